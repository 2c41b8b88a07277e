-- Trust data from the real world: revocation edge cases and the messages
-- of trust-loading errors.  A key announcing a CRL (crlVersion) that the
-- trust store lacks: a card without a rid needs none (valid), a card with a
-- rid cannot be checked (no_crl).  Duplicate rids in a CRL are merged with a
-- WARNING.  Every error says what is wrong in its message.
\set keys `cat test/data/test-keys.json`
CREATE TEMP TABLE edge_key AS
  SELECT k AS priv, (k - 'd') || jsonb_build_object('use', 'sig', 'alg', 'ES256', 'kid', shc_kid(k - 'd')) AS pub
    FROM (SELECT (:'keys'::jsonb)->'keys'->'b' AS k) s;
-- crlVersion 2, as a numeric string (seen in the VCI directory)
SELECT shc_trust('https://edge.example.org',
                 jsonb_build_object('keys', jsonb_build_array(pub || '{"crlVersion": "2"}'))) AS keys
  FROM edge_key;
SELECT crl_version FROM shc_trusted_key WHERE iss = 'https://edge.example.org';
CREATE TEMP TABLE edge_card AS
  SELECT shc_issue(shc_bundle(shc_fhir_patient('Edge'), ARRAY[]::jsonb[]), priv, 'https://edge.example.org',
                   '2024-01-01 00:00:00+00', rid => 'ridAAAAAAAA') AS with_rid,
         shc_issue(shc_bundle(shc_fhir_patient('Edge'), ARRAY[]::jsonb[]), priv, 'https://edge.example.org',
                   '2024-01-01 00:00:00+00') AS without_rid
    FROM edge_key;

-- no CRL loaded
SELECT (shc_verify(with_rid, '2024-02-01')).status AS with_rid,
       (shc_verify(with_rid, '2024-02-01')).reason AS with_rid_reason,
       (shc_verify(without_rid, '2024-02-01')).status AS without_rid
  FROM edge_card;
-- a CRL behind the key's crlVersion
SELECT shc_trust_crl('https://edge.example.org',
                     jsonb_build_object('kid', pub->>'kid', 'method', 'rid', 'ctr', 1, 'rids', '[]'::jsonb)) AS rids
  FROM edge_key;
SELECT (shc_verify(with_rid, '2024-02-01')).status AS with_rid,
       (shc_verify(with_rid, '2024-02-01')).reason AS with_rid_reason,
       (shc_verify(without_rid, '2024-02-01')).status AS without_rid
  FROM edge_card;
-- a current CRL that lists the rid three times: merged, the entry that
-- revokes the most (no timestamp) wins
SELECT shc_trust_crl('https://edge.example.org',
                     jsonb_build_object('kid', pub->>'kid', 'method', 'rid', 'ctr', '2',
                                        'rids', '["ridAAAAAAAA.1700000000", "other", "ridAAAAAAAA", "ridAAAAAAAA.1800000000"]'::jsonb)) AS rids
  FROM edge_key;
SELECT ctr, rids FROM shc_trusted_crl WHERE iss = 'https://edge.example.org';
SELECT (shc_verify(with_rid, '2024-02-01')).status AS with_rid,
       (shc_verify(without_rid, '2024-02-01')).status AS without_rid
  FROM edge_card;
-- repeated entries with timestamps only: the latest timestamp wins
SELECT shc_trust_crl('https://edge.example.org',
                     jsonb_build_object('kid', pub->>'kid', 'method', 'rid', 'ctr', 3,
                                        'rids', '["ridAAAAAAAA.1600000000", "ridAAAAAAAA.1700000000"]'::jsonb)) AS rids
  FROM edge_key;
SELECT rids FROM shc_trusted_crl WHERE iss = 'https://edge.example.org';

-- every trust-loading error says what is wrong in its message
SELECT * FROM regress_error($$SELECT shc_trust('http://edge.example.org', '{"keys": []}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://edge.example.org', '{"key": []}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://edge.example.org', '{"keys": [{"kty":"EC","crv":"P-256","use":"sig","alg":"ES256"}]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://edge.example.org', '{"keys": [{"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","x":"AAAA","y":"AAAA"}]}')$$);
SELECT * FROM regress_error(format($$SELECT shc_trust('https://edge.example.org', '{"keys": [%s]}')$$,
                                   (SELECT pub || '{"crlVersion": "one"}' FROM edge_key)));
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://edge.example.org', '[]')$$);
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://edge.example.org', '{"method": "rid"}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://edge.example.org', '{"kid": "k", "method": "rid", "ctr": 0, "rids": []}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://edge.example.org', '{"kid": "k", "method": "rid", "ctr": 1}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://edge.example.org', '{"kid": "k", "method": "rid", "ctr": 1, "rids": [1]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_crl('https://edge.example.org', '{"kid": "k", "method": "rid", "ctr": 1, "rids": ["a b"]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_issuers('{"issuerInfo": []}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_issuers('{"participating_issuers": [{"name": "x"}]}')$$);
-- the plain directory has no keys: nothing is loaded, and it says so
SELECT shc_trust_issuers('{"participating_issuers": [{"iss": "https://nokeys.example.org", "name": "N"}]}') AS loaded;

SELECT shc_untrust('https://edge.example.org') AS untrusted;
DROP TABLE edge_key, edge_card;
