-- trust: shc_trust, shc_trust_crl, shc_untrust and the trust tables.
-- The keys are the suite's own test keys (test/data/test-keys.json), read
-- through the fixture file test/scripts/forge-cards.mjs wrote.
\set fx `cat test/data/forged-cards.json`
CREATE TEMP TABLE fx AS SELECT :'fx'::jsonb AS j;

-- trust two issuers; key a is also trusted for a second issuer
SELECT shc_trust(j->'issuers'->>'a', j->'jwks'->'a', 'Issuer A') FROM fx;
SELECT shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx;
SELECT shc_trust('https://issuer-a2.example.org', j->'jwks'->'a2', 'Issuer A, second name') FROM fx;
SELECT iss, name FROM shc_trusted_issuer ORDER BY iss;
SELECT k.iss, k.kid = (fx.j->'kids'->>'a') AS is_key_a, k.crl_version
  FROM shc_trusted_key k, fx ORDER BY 1;

-- refreshing keeps the name when none is given, and is idempotent
SELECT shc_trust(j->'issuers'->>'a', j->'jwks'->'a') FROM fx;
SELECT name FROM shc_trusted_issuer WHERE iss = 'https://issuer-a.example.org';

-- ignored keys: a NOTICE each; kid that is not the thumbprint: a WARNING
SELECT shc_trust('https://mixed.example.org',
  jsonb_build_object('keys', jsonb_build_array(
    jsonb_build_object('kty', 'RSA', 'n', 'AQAB', 'e', 'AQAB'),
    (j->'jwks'->'b'->'keys'->0) || '{"alg":"ES384"}',
    (j->'jwks'->'b'->'keys'->0) - 'use',
    (j->'jwks'->'b'->'keys'->0) || '{"kid":"wrong"}',
    '"not a key"'::jsonb,
    j->'jwks'->'b'->'keys'->0,
    j->'jwks'->'b'->'keys'->0 || '{"x5c":["AAAA"]}'))) FROM fx;
SELECT count(*) FROM shc_trusted_key WHERE iss = 'https://mixed.example.org';

-- refresh with a new set replaces the issuer's keys
SELECT shc_trust('https://mixed.example.org', j->'jwks'->'a2') FROM fx;
SELECT k.kid = (fx.j->'kids'->>'a') AS is_key_a FROM shc_trusted_key k, fx
 WHERE iss = 'https://mixed.example.org';

-- errors
SELECT * FROM regress_error($$SELECT shc_trust(NULL, '{"keys":[]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://x.example.org', NULL)$$);
SELECT * FROM regress_error($$SELECT shc_trust('http://x.example.org', '{"keys":[]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://x.example.org/', '{"keys":[]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://x.example.org', '[]')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://x.example.org', '{"keys":{}}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://x.example.org', '{"keys":[]}')$$);
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust(%L, %L)', 'https://x.example.org',
  jsonb_build_object('keys', jsonb_build_array(j->'jwks'->'b'->'keys'->0, (j->'jwks'->'b'->'keys'->0) || '{"d":"c2VjcmV0"}')))) r;
SELECT * FROM regress_error($$SELECT shc_trust('https://x.example.org',
  '{"keys":[{"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://x.example.org',
  '{"keys":[{"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","x":"short"}]}')$$);
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust(%L, %L)', 'https://x.example.org',
  jsonb_build_object('keys', jsonb_build_array((j->'jwks'->'b'->'keys'->0) || '{"crlVersion":0}')))) r;
SELECT count(*) FROM shc_trusted_issuer WHERE iss = 'https://x.example.org';

-- CRLs
-- a list behind the key's crlVersion (2): NOTICE
SELECT shc_trust_crl(j->'issuers'->>'a', jsonb_set(j->'crl', '{ctr}', '1')) FROM fx;
SELECT shc_trust_crl(j->'issuers'->>'a', j->'crl') FROM fx;
SELECT iss, method, ctr, rids FROM shc_trusted_crl;
-- reloading the same ctr is fine; ctr as a quoted integer is accepted
SELECT shc_trust_crl(j->'issuers'->>'a', jsonb_set(j->'crl', '{ctr}', '"2"')) FROM fx;
-- a newer list than crlVersion is fine; an older one than loaded is refused
SELECT shc_trust_crl('https://issuer-a.example.org', jsonb_set(j->'crl', '{ctr}', '3')) FROM fx;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{ctr}', '2'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-b.example.org', j->'crl')) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{method}', '"hash-fhir"'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  (j->'crl') - 'method')) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{ctr}', '0'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{ctr}', '1.5'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{rids}', '["abc", "abc.1700000000"]'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{rids}', '["abc.17x"]'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{rids}', '["abcdefghijklmnopqrstuvwxy"]'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  jsonb_set(j->'crl', '{rids}', '[7]'))) r;
SELECT r.* FROM fx, regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://issuer-a.example.org',
  (j->'crl') - 'rids')) r;
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://issuer-a.example.org', '[]')$$);
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://issuer-a.example.org', '{"method":"rid"}')$$);

-- untrust cascades to keys and CRLs
SELECT shc_untrust('https://mixed.example.org');
SELECT shc_untrust('https://mixed.example.org');
SELECT (SELECT count(*) FROM shc_trusted_issuer) AS issuers,
       (SELECT count(*) FROM shc_trusted_key) AS keys,
       (SELECT count(*) FROM shc_trusted_crl) AS crls;
