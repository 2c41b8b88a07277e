-- Issuer-side revocation (SHC-NOTES section 10): rid secrets, shc_rid (the
-- spec's HMAC recipe), shc_revoke, shc_crl and crlVersion in shc_jwks.
-- Uses the spec key imported by sql/keys.sql.  The rid secret here is a
-- made-up one; the expected rids were computed independently (Node's
-- crypto).  The spec's own example rids are reproduced from its example
-- secret in test/conformance/revocation.sql.
\pset format unaligned
\set kid '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s'
\set iss 'https://spec.smarthealth.cards/examples/issuer'
\set secret 'shc-unit-test-secret-not-random-0123456789A'

-- before any revocation: no CRL, no crlVersion
SELECT shc_crl(:'kid') IS NULL AS no_crl;
SELECT jsonb_path_query_array(shc_jwks(:'iss'), '$.keys[*].crlVersion') AS crl_versions;
SELECT * FROM regress_error($$SELECT shc_rid('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', 'alice')$$);

-- a secret made elsewhere, then the recipe
SELECT shc_rid_secret_import(:'iss', :'secret') AS version;
SELECT shc_rid(:'kid', 'alice') AS alice, shc_rid(:'kid', 'Zoë') AS zoe,
       shc_rid(:'kid', 'alice', 1) AS alice_v1;
SELECT shc_rid(NULL, 'alice') IS NULL AS n1, shc_rid(:'kid', NULL) IS NULL AS n2;
-- a rid can go into a card
SELECT shc_issue('{"resourceType":"Bundle"}', :'kid', rid => shc_rid(:'kid', 'alice'))
       ~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$' AS card;

-- rotation: a new secret generated in the server becomes current; the old
-- one is kept and still gives the old rids by version
SELECT shc_rid_secret_create(:'iss') AS version;
SELECT version, retired_at IS NOT NULL AS retired FROM shc_rid_secrets WHERE iss = :'iss' ORDER BY version;
SELECT version, length(sealed_secret) AS sealed_length FROM shc_private_rid_secrets WHERE iss = :'iss' ORDER BY version;
SELECT shc_rid(:'kid', 'alice') <> 'O_jIuoUhFuU' AS new_rid, length(shc_rid(:'kid', 'alice')) AS rid_length,
       shc_rid(:'kid', 'alice', 1) AS alice_v1,
       shc_rid(:'kid', 'alice') = shc_rid(:'kid', 'alice', 2) AS current_is_v2;
-- importing makes the imported secret current, too
SELECT shc_rid_secret_import(:'iss', :'secret' || 'x') AS version;
SELECT shc_rid(:'kid', 'alice') AS alice_v3;

-- errors: secrets
SELECT * FROM regress_error($$SELECT shc_rid_secret_import('https://spec.smarthealth.cards/examples/issuer', 'shc-unit-test-secret-not-random-0123456789A')$$);
SELECT * FROM regress_error($$SELECT shc_rid_secret_import('https://x.example', 'too-short')$$);
SELECT * FROM regress_error($$SELECT shc_rid_secret_import('https://x.example', repeat('a', 257))$$);
SELECT * FROM regress_error($$SELECT shc_rid_secret_import('https://x.example', 'shc-unit-test-secret-not-random-0123456789+')$$);
SELECT * FROM regress_error($$SELECT shc_rid_secret_import('https://x.example', 'shc-unit-test-secret-not-random-0123456789=')$$);
SELECT * FROM regress_error($$SELECT shc_rid_secret_import('http://x.example', 'shc-unit-test-secret-not-random-0123456789A')$$);
SELECT * FROM regress_error($$SELECT shc_rid_secret_create('https://x.example/')$$);

-- errors: shc_rid
SELECT * FROM regress_error($$SELECT shc_rid('nope', 'alice')$$);
SELECT * FROM regress_error($$SELECT shc_rid('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'alice')$$);
SELECT * FROM regress_error($$SELECT shc_rid('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', '')$$);
SELECT * FROM regress_error($$SELECT shc_rid('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', 'alice', 9)$$);
SELECT * FROM regress_error($$SELECT shc_rid('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', 'alice', 0)$$);
-- an issuer with a key but no secret
SELECT shc_key_create('https://nosecret.example') AS nokid \gset
SELECT * FROM regress_error(format('SELECT shc_rid(%L, %L)', :'nokid', 'alice'));

-- revoking: the entries of the spec's example CRL
SELECT shc_revoke(:'kid', 'vwAjHdarZuc', '2023-06-22 16:19:24.5+00') AS ctr;
SELECT shc_revoke(:'kid', 'FKDIxsTCGlU') AS ctr;
SELECT shc_revoke(:'kid', 'XkNHp2Iyk0Y', to_timestamp(1687450765)) AS ctr;
SELECT shc_revoke(kid => :'kid', rid => 'TqB_qu_6OtM', before => NULL) AS ctr;
SELECT shc_crl(:'kid') AS crl;
-- a repeated rid that changes nothing leaves the counter
SELECT shc_revoke(:'kid', 'FKDIxsTCGlU') AS ctr, shc_revoke(:'kid', 'XkNHp2Iyk0Y', '2023-06-22 16:19:25+00') AS ctr2;
-- a repeated rid updates its one entry: the last call wins
SELECT shc_revoke(:'kid', 'FKDIxsTCGlU', '2024-01-01 00:00:00+00') AS ctr;
SELECT shc_crl(:'kid')->'rids' AS rids;
SELECT shc_revoke(:'kid', 'FKDIxsTCGlU') AS ctr;
SELECT shc_crl(:'kid') AS crl;
SELECT rid, extract(epoch FROM before)::bigint AS before FROM shc_revocations WHERE kid = :'kid' ORDER BY rid COLLATE "C";
-- the longest rid, and a rid that is no HMAC output
SELECT shc_revoke(:'kid', repeat('A', 24)) AS ctr, shc_revoke(:'kid', 'a-_') AS ctr2;
SELECT jsonb_array_length(shc_crl(:'kid')->'rids') AS entries;

-- crlVersion in the JWKS equals the CRL's ctr; keys without a CRL have none
SELECT k->>'kid' AS kid, k->'crlVersion' AS crl_version
  FROM jsonb_array_elements(shc_jwks(:'iss')->'keys') k ORDER BY 1;
SELECT (SELECT (k->'crlVersion')::int FROM jsonb_array_elements(shc_jwks(:'iss')->'keys') k
         WHERE k->>'kid' = :'kid') = (shc_crl(:'kid')->>'ctr')::int AS crl_version_is_ctr;
SELECT shc_crl(:'nokid') IS NULL AS no_crl,
       shc_jwks('https://nosecret.example')->'keys'->0 ? 'crlVersion' AS has_crl_version;

-- a retired key can still revoke the cards it signed
SELECT shc_key_create('https://nosecret.example') AS oldkid \gset
SELECT shc_key_retire(:'oldkid');
SELECT shc_revoke(:'oldkid', 'abc') AS ctr;
SELECT shc_crl(:'oldkid') - 'kid' AS crl, shc_crl(:'oldkid')->>'kid' = :'oldkid' AS kid_ok;

-- errors: shc_revoke and shc_crl
SELECT * FROM regress_error($$SELECT shc_revoke(NULL, 'abc')$$);
SELECT * FROM regress_error($$SELECT shc_revoke('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', NULL)$$);
SELECT * FROM regress_error($$SELECT shc_revoke('nope', 'abc')$$);
SELECT * FROM regress_error($$SELECT shc_revoke('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'abc')$$);
SELECT * FROM regress_error($$SELECT shc_revoke('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', '')$$);
SELECT * FROM regress_error($$SELECT shc_revoke('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', repeat('A', 25))$$);
SELECT * FROM regress_error($$SELECT shc_revoke('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', 'vwAjHdarZuc.1687450765')$$);
SELECT * FROM regress_error($$SELECT shc_revoke('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', 'abc', 'infinity')$$);
SELECT * FROM regress_error($$SELECT shc_revoke('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', 'abc', '-infinity')$$);
SELECT * FROM regress_error($$SELECT shc_revoke('3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', 'abc', '1970-01-01 00:00:00+00')$$);
SELECT * FROM regress_error($$SELECT shc_crl('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')$$);
-- the failed calls changed nothing
SELECT shc_crl(:'kid')->'ctr' AS ctr;
