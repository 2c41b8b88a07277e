-- memory-setup.sql: fixtures of the "memory" tier (test/tiers/85-memory.sh).
-- Run by psql from the checkout root with ON_ERROR_STOP.  Defines
-- mem_round(reps), which calls every public code path that allocates
-- OpenSSL, zlib or libqrencode objects, on success and on failure, reps
-- times, and returns the number of function calls it made (raising if any
-- card gets another status than the forger expects).
CREATE EXTENSION shc;
\set fx `cat test/data/forged-cards.json`
\set tk `cat test/data/test-keys.json`
CREATE TABLE fx AS SELECT :'fx'::jsonb AS j, :'tk'::jsonb AS k;
SELECT shc_trust(j->'issuers'->>'a', j->'jwks'->'a'), shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx;
SELECT shc_trust('https://issuer-a2.example.org', j->'jwks'->'a2') FROM fx;
SELECT shc_trust_crl(j->'issuers'->>'a', j->'crl') FROM fx;
SELECT shc_key_create('https://issuer-m.example.org') AS kid \gset
SELECT shc_trust('https://issuer-m.example.org', shc_jwks('https://issuer-m.example.org'));
CREATE TABLE settings AS SELECT :'kid'::text AS kid;

-- a realistic 3-dose bundle
CREATE TABLE bundles AS SELECT jsonb_build_object(
  'resourceType', 'Bundle', 'type', 'collection',
  'entry', jsonb_build_array(
    jsonb_build_object('fullUrl', 'resource:0', 'resource', jsonb_build_object(
      'resourceType', 'Patient', 'name', jsonb_build_array(jsonb_build_object('family', 'Memory', 'given', jsonb_build_array('Flat'))),
      'birthDate', '1970-01-01'))) ||
    (SELECT jsonb_agg(jsonb_build_object('fullUrl', 'resource:' || d, 'resource', jsonb_build_object(
      'resourceType', 'Immunization', 'status', 'completed',
      'vaccineCode', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://hl7.org/fhir/sid/cvx', 'code', '207'))),
      'patient', jsonb_build_object('reference', 'resource:0'),
      'occurrenceDateTime', '2021-0' || d || '-01', 'lotNumber', 'LOT' || d,
      'performer', jsonb_build_array(jsonb_build_object('actor', jsonb_build_object('display', 'Clinic')))))) FROM generate_series(1, 3) d)
) AS b;

-- every forged card with its expected status, and cards issued here
CREATE TABLE cards AS
  SELECT e->>'name' AS name, e->>'expect' AS expect, e->>'card' AS card
    FROM fx, jsonb_array_elements(j->'cards') e;
INSERT INTO cards SELECT 'issued-' || i, 'valid', shc_issue(b, :'kid', nbf => '2023-12-01', rid => 'r' || i)
  FROM bundles, generate_series(1, 8) i;
-- the malformed ones that shc_decode raises on (every decoder's error path)
CREATE TABLE bad_cards AS SELECT card FROM cards WHERE name IN ('alg-none-unsigned',
    'zip-missing', 'zip-wrong', 'header-not-json', 'header-array', 'zlib-wrapped',
    'inflate-bomb', 'not-json', 'bom', 'deep-nesting', 'huge-exponent', 'invalid-utf8')
  UNION ALL VALUES ('shc:/5'), ('shc:/99'), ('shc:/C/1/2/00'), ('a.b'), ('!!.!!.!!'), ('');

CREATE FUNCTION mem_round(reps int) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
	calls bigint := 0;
	n bigint;
	bad bigint;
	kid text := (SELECT s.kid FROM settings s);
	bundle jsonb := (SELECT b FROM bundles);
	jwk jsonb := (SELECT k->'keys'->'a' FROM fx);
	badjwk jsonb := (SELECT (k->'keys'->'a') || jsonb_build_object('d', k->'keys'->'b'->>'d') FROM fx);
	offcurve jsonb := (SELECT (k->'keys'->'a') || jsonb_build_object('y', k->'keys'->'b'->>'y') FROM fx);
	longjws text := repeat('a', 700) || '.' || repeat('b', 700) || '.' || repeat('c', 86);
	r record;
	q text;
BEGIN
	-- verification, every status: each card 10 times per rep (the DEFLATE
	-- bomb, which inflates up to shc.max_payload_size each time, once)
	SELECT count(*), count(*) FILTER (WHERE (shc_verify(c.card, '2024-01-01 00:00:00+00')).status <> c.expect)
	  INTO n, bad FROM generate_series(1, reps * 10) i, cards c
	 WHERE c.name <> 'inflate-bomb' OR i % 10 = 0;
	IF bad <> 0 THEN RAISE 'shc_verify gave % unexpected statuses', bad; END IF;
	calls := calls + n;
	-- a .smart-health-card file of every card (one call per rep, one
	-- verification per card)
	SELECT count(*), count(*) FILTER (WHERE NOT v.valid) INTO n, bad
	  FROM generate_series(1, reps) i,
	       LATERAL shc_verify_file(jsonb_build_object('verifiableCredential',
	           (SELECT jsonb_agg(card) FROM cards WHERE name LIKE 'issued-%' AND i > 0)), '2024-01-01') v;
	IF bad <> 0 THEN RAISE 'shc_verify_file gave % invalid cards', bad; END IF;
	calls := calls + n;
	-- issuing with the stored key (cached) and with a JWK (parsed each call)
	SELECT count(shc_issue(b, kid, rid => 'x' || i)) INTO n FROM generate_series(1, 10 * reps) i, bundles;
	calls := calls + n;
	SELECT count(shc_issue(b, jwk, 'https://issuer-a.example.org')) INTO n FROM generate_series(1, 2 * reps) i, bundles;
	calls := calls + n;
	-- non-raising readers of whole cards: decode, QR images, printable card
	SELECT count(shc_decode(card)) INTO n FROM generate_series(1, reps), cards WHERE name LIKE 'issued-%';
	calls := calls + n;
	SELECT count(shc_qr_png(card, 1, 0)) + count(shc_qr_svg(card)) + count(shc_card_svg(card))
	  INTO n FROM generate_series(1, reps), cards WHERE name = 'issued-1';
	calls := calls + n;
	-- error paths: each raises after its OpenSSL, zlib or libqrencode
	-- objects are freed, or the memory would grow here
	FOR i IN 1..reps LOOP
		FOR r IN SELECT card FROM bad_cards LOOP
			BEGIN PERFORM shc_decode(r.card); RAISE 'shc_decode accepted a bad card';
			EXCEPTION WHEN data_exception OR program_limit_exceeded THEN calls := calls + 1; END;
		END LOOP;
		FOREACH q IN ARRAY ARRAY[
			'SELECT shc_issue($1, $2, rid => ''not a rid!'')',
			'SELECT shc_issue(''{"resourceType":"Patient"}'', $2)',
			'SELECT shc_issue($1, ''no-such-kid'')',
			'SELECT shc_issue($1, $2, nbf => ''2024-01-01'', exp => ''2023-01-01'')',
			'SELECT shc_issue($1, $3, ''https://issuer-a.example.org'')',
			'SELECT shc_issue($1, $4, ''https://issuer-a.example.org'')',
			'SELECT shc_issue($1, $5, ''http://insecure.example.org'')',
			'SELECT shc_kid($4)',
			'SELECT shc_key_import(''https://issuer-m.example.org'', $3)',
			'SELECT shc_qr_png(''shc:/5'')',
			'SELECT shc_qr_png($6)',
			'SELECT shc_qr_png(''a.b.c'', 0)',
			'SELECT shc_qr_svg($6)',
			'SELECT shc_qr_numeric($6)',
			'SELECT shc_qr_decode(ARRAY[''shc:/C/1/2/00'', ''shc:/C/1/2/00''])',
			'SELECT shc_trust(''https://issuer-x.example.org'', jsonb_build_object(''keys'', jsonb_build_array($5)))',
			'SELECT shc_trust(''https://issuer-x.example.org'', jsonb_build_object(''keys'', jsonb_build_array($4 - ''d'')))'
		] LOOP
			BEGIN EXECUTE q USING bundle, kid, badjwk, offcurve, jwk, longjws;
				RAISE 'accepted: %', q;
			EXCEPTION WHEN data_exception OR program_limit_exceeded OR undefined_object OR duplicate_object THEN calls := calls + 1; END;
		END LOOP;
	END LOOP;
	RETURN calls;
END $fn$;

-- anonymous memory of this backend (kB) and its memory contexts (bytes)
CREATE FUNCTION mem_now(OUT rss_anon_kb bigint, OUT contexts_bytes bigint) LANGUAGE sql AS $$
	SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'RssAnon:\s*(\d+)')::bigint,
	       (SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts)
$$;

-- samples of mem_now() taken by the tier
CREATE TABLE samples (label text, step int, calls bigint, rss_anon_kb bigint, contexts_bytes bigint);
CREATE FUNCTION mem_sample(label text, step int, calls bigint) RETURNS bool LANGUAGE sql AS $$
	INSERT INTO samples SELECT label, step, calls, m.* FROM mem_now() m RETURNING true
$$;
