-- status: shc_verify_status, the status-only path (docs/performance.md).
-- It reads the claims without building the bundle's jsonb and must give
-- exactly the status of shc_verify for every card: the forged fixture
-- cards (every mutation), their shc:/ forms, at several times.  Runs after
-- verify.sql (issuers a, b, a2 and the CRL of key a are trusted).
\set fx `cat test/data/forged-cards.json`
CREATE TEMP TABLE sfx AS SELECT :'fx'::jsonb AS j;
CREATE TEMP TABLE scards AS
  SELECT c.ord, c.e->>'name' AS name, c.e->>'expect' AS expect, c.e->>'card' AS card
    FROM sfx, jsonb_array_elements(j->'cards') WITH ORDINALITY AS c(e, ord);
CREATE TEMP TABLE times (at timestamptz);
INSERT INTO times VALUES ('2024-01-01 00:00:00+00'), (to_timestamp(1700003600)),
  (to_timestamp(1800000000 - 301)), (to_timestamp(1900000000));

-- the same status as shc_verify, card by card and time by time
SELECT count(*) AS checked,
       count(*) FILTER (WHERE shc_verify_status(card, at) IS DISTINCT FROM (shc_verify(card, at)).status) AS differ
  FROM scards, times;
SELECT count(*) AS checked,
       count(*) FILTER (WHERE shc_verify_status(shc_qr_numeric(card), '2024-01-01 00:00:00+00')
                        IS DISTINCT FROM (shc_verify(shc_qr_numeric(card), '2024-01-01 00:00:00+00')).status) AS differ
  FROM scards WHERE length(card) <= 1195;
-- the fixture's expectations, in the forms analysts write
SELECT shc_verify_status(card, '2024-01-01 00:00:00+00') AS status, count(*)
  FROM scards GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE shc_verify_status(card, '2024-01-01 00:00:00+00') = 'valid') AS valid,
       count(*) FILTER (WHERE shc_verify_status(card, '2024-01-01 00:00:00+00') = expect) AS as_expected,
       count(*) AS cards
  FROM scards;

-- NULL in, NULL out; the time must be finite
SELECT shc_verify_status(NULL) IS NULL AS strict_card, shc_verify_status('x', NULL) IS NULL AS strict_at;
SELECT shc_verify_status('not a card') AS garbage, shc_verify_status('') AS empty;
SELECT * FROM regress_error($$SELECT shc_verify_status('x', 'infinity')$$);
