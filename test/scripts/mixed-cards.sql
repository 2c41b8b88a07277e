-- mixed-cards.sql: :n cards of every kind a scan of real cards meets, made
-- on one server for the scale-out tiers and the cluster benchmark.
--
--   psql -v n=10000 -f test/scripts/mixed-cards.sql   (in a database with shc)
--
-- Leaves table scan (patient_id, kind, card) and the issuers' published
-- documents in table published (what, doc); the trust store of this server
-- trusts issuers A and B with A's CRL.  Kinds, by patient_id % 20:
--   0-7  valid (A)                 8-9  valid (B, untrusted later)
--   10-11 expired (A)              12-13 revoked (A, in the first CRL)
--   14  valid, revoked later (A)   15-16 forged (A, a signature byte changed)
--   17  unknown issuer (X, never trusted)   18-19 malformed
\set ON_ERROR_STOP 1
SELECT shc_key_create('https://issuer-a.scale.example') AS ka \gset
SELECT shc_key_create('https://issuer-b.scale.example') AS kb \gset
SELECT shc_key_create('https://issuer-x.scale.example') AS kx \gset
SELECT shc_rid_secret_create('https://issuer-a.scale.example') AS rid_version \gset

CREATE TABLE public.scan (patient_id bigint PRIMARY KEY, kind text NOT NULL, card text NOT NULL);

-- one small bundle per patient; signing is the cost (about 0.1 ms a card)
WITH p AS (
  SELECT g AS id, g % 20 AS k,
         shc_bundle(shc_fhir_patient('Scale' || g, ARRAY['Test'], date '1970-01-01' + (g % 9000)),
                    ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207',
                                                date '2021-01-01' + (g % 300), 'L' || g)]) AS b
    FROM generate_series(1, :n) g)
INSERT INTO scan
SELECT id,
       CASE WHEN k <= 7 THEN 'valid' WHEN k <= 9 THEN 'valid-b' WHEN k <= 11 THEN 'expired'
            WHEN k <= 13 THEN 'revoked' WHEN k = 14 THEN 'revoked-later' WHEN k <= 16 THEN 'forged'
            WHEN k = 17 THEN 'unknown-issuer' ELSE 'malformed' END,
       CASE WHEN k <= 7 OR k = 14 OR k IN (12, 13) THEN
              shc_issue(b, :'ka', rid => shc_rid(:'ka', id::text))
            WHEN k <= 9 THEN shc_issue(b, :'kb')
            WHEN k <= 11 THEN shc_issue(b, :'ka', nbf => timestamptz '2021-01-01', exp => timestamptz '2022-01-01')
            WHEN k <= 16 THEN shc_issue(b, :'ka')
            WHEN k = 17 THEN shc_issue(b, :'kx')
            WHEN k = 18 THEN 'not a card ' || id
            ELSE 'eyJhbGciOiJFUzI1NiJ9.' || id END
  FROM p;

-- forged: one character of the signature changed (all its bits count)
UPDATE scan SET card = overlay(card PLACING
         CASE WHEN substr(card, length(card) - 20, 1) = 'A' THEN 'B' ELSE 'A' END
         FROM length(card) - 20 FOR 1)
 WHERE kind = 'forged';

-- the issuer revokes the "revoked" patients now, the "revoked-later" ones in the run
SELECT count(shc_revoke(:'ka', shc_rid(:'ka', patient_id::text))) AS revoked
  FROM scan WHERE kind = 'revoked';

CREATE TABLE public.published (what text PRIMARY KEY, doc jsonb NOT NULL);
INSERT INTO published VALUES
  ('jwks-a', shc_jwks('https://issuer-a.scale.example')),
  ('jwks-b', shc_jwks('https://issuer-b.scale.example')),
  ('crl-a', shc_crl(:'ka'));

SELECT shc_trust('https://issuer-a.scale.example', doc) FROM published WHERE what = 'jwks-a';
SELECT shc_trust('https://issuer-b.scale.example', doc) FROM published WHERE what = 'jwks-b';
SELECT shc_trust_crl('https://issuer-a.scale.example', doc) FROM published WHERE what = 'crl-a';

-- the revocation made during the run: the second CRL, published beside the first
SELECT count(shc_revoke(:'ka', shc_rid(:'ka', patient_id::text))) AS revoked_later
  FROM scan WHERE kind = 'revoked-later';
INSERT INTO published VALUES ('crl-a-later', shc_crl(:'ka'));
