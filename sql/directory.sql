-- shc_trust_issuers: a directory of participating issuers
-- ({"participating_issuers": [...]}, the VCI format), each entry either
-- {"iss", "name", "keys", "crls"} or a snapshot's {"issuer": {...}, "keys"}.
SELECT shc_key_create('https://dir-a.example.org') IS NOT NULL AS key_a,
       shc_key_create('https://dir-b.example.org') IS NOT NULL AS key_b;
SELECT shc_trust_issuers(jsonb_build_object('participating_issuers', jsonb_build_array(
  jsonb_build_object('iss', 'https://dir-a.example.org', 'name', 'Directory A',
                     'keys', shc_jwks('https://dir-a.example.org')->'keys'),
  jsonb_build_object('issuer', jsonb_build_object('iss', 'https://dir-b.example.org', 'name', 'Directory B'),
                     'keys', shc_jwks('https://dir-b.example.org')->'keys'),
  jsonb_build_object('iss', 'https://dir-c.example.org', 'name', 'Directory C without keys'))))
  AS issuers_loaded;
SELECT i.iss, i.name, count(k.kid) AS keys
  FROM shc_trusted_issuer i LEFT JOIN shc_trusted_key k USING (iss)
 WHERE i.iss LIKE 'https://dir-%' GROUP BY 1, 2 ORDER BY 1;
-- cards of a directory issuer verify
SELECT (shc_verify(shc_issue(shc_bundle(shc_fhir_patient('Dir'), NULL),
                             (SELECT kid FROM shc_keys WHERE iss = 'https://dir-a.example.org')))).status;
-- an entry's CRLs are loaded with its keys
SELECT shc_revoke((SELECT kid FROM shc_keys WHERE iss = 'https://dir-a.example.org'), 'revokedRid1') AS ctr;
SELECT shc_trust_issuers(jsonb_build_object('participating_issuers', jsonb_build_array(
  jsonb_build_object('iss', 'https://dir-a.example.org', 'name', 'Directory A',
                     'keys', shc_jwks('https://dir-a.example.org')->'keys',
                     'crls', jsonb_build_array(shc_crl((SELECT kid FROM shc_keys WHERE iss = 'https://dir-a.example.org')))))))
  AS issuers_loaded;
SELECT count(*) AS crls_loaded FROM shc_trusted_crl WHERE iss = 'https://dir-a.example.org';
-- errors (a directory loads all or nothing: an error undoes every entry)
\pset format unaligned
SELECT * FROM regress_error($$SELECT shc_trust_issuers('[]')$$);
SELECT * FROM regress_error($$SELECT shc_trust_issuers('{"participating_issuers": {}}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_issuers('{"participating_issuers": [{"name": "x"}]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_issuers('{"participating_issuers": [{"iss": "http://insecure.example.org", "keys": []}]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_issuers('{"participating_issuers": [{"iss": "https://x.example.org", "keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"}]}]}')$$);
SELECT shc_trust_issuers(NULL) IS NULL AS strict;
\pset format aligned
SELECT shc_untrust('https://dir-a.example.org'), shc_untrust('https://dir-b.example.org');
