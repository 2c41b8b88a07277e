-- The revocation side of the security model (DESIGN.md, "Security model";
-- SHC-NOTES 10): an issuing role granted shc_rid computes rids but can
-- never read, replace or count the rid secrets; the CRL and the JWKS stay
-- public; secrets are kept on rotation.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;

SELECT plan(27);

SELECT shc_key_create('https://tap.example/issuer') AS kid \gset
SELECT shc_rid_secret_create('https://tap.example/issuer') AS v1 \gset
CREATE ROLE shc_tap_rid_issuer;
CREATE ROLE shc_tap_rid_nobody;
GRANT EXECUTE ON FUNCTION shc_rid(text, text, integer) TO shc_tap_rid_issuer;
GRANT EXECUTE ON FUNCTION shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) TO shc_tap_rid_issuer;

-- what PUBLIC gets
SELECT ok(NOT has_table_privilege('public', 'shc_private_rid_secrets', 'SELECT'), 'PUBLIC cannot read shc_private_rid_secrets');
SELECT ok(NOT has_table_privilege('public', 'shc_private_rid_secrets', 'INSERT, UPDATE, DELETE, TRUNCATE'), 'nor change it');
SELECT ok(has_table_privilege('public', 'shc_rid_secrets', 'SELECT'), 'PUBLIC can read which secret versions exist');
SELECT ok(has_table_privilege('public', 'shc_revocations', 'SELECT') AND has_table_privilege('public', 'shc_crls', 'SELECT'),
          'PUBLIC can read the revocation lists (they are published)');
SELECT ok(NOT has_table_privilege('public', 'shc_revocations', 'INSERT, UPDATE, DELETE, TRUNCATE')
          AND NOT has_table_privilege('public', 'shc_crls', 'INSERT, UPDATE, DELETE, TRUNCATE')
          AND NOT has_table_privilege('public', 'shc_rid_secrets', 'INSERT, UPDATE, DELETE, TRUNCATE'),
          'PUBLIC cannot change the revocation tables');
SELECT ok(has_function_privilege('public', 'shc_crl(text)', 'EXECUTE'), 'shc_crl is public');
SELECT ok(has_function_privilege('public', 'shc_jwks(text)', 'EXECUTE'), 'shc_jwks is public');
SELECT fk_ok('shc_private_rid_secrets', ARRAY['iss', 'version'], 'shc_rid_secrets', ARRAY['iss', 'version']);
SELECT fk_ok('shc_revocations', 'kid', 'shc_keys', 'kid');

-- an issuing role computes rids and issues with them, but reads no secret
SET ROLE shc_tap_rid_issuer;
SELECT matches(shc_rid(:'kid', 'patient-1'), '^[A-Za-z0-9_-]{11}$', 'the issuing role computes a rid');
SELECT lives_ok(format($$SELECT shc_issue('{"resourceType":"Bundle"}', %L, rid => shc_rid(%L, 'patient-1'))$$, :'kid', :'kid'),
                'and issues a card with it');
SELECT throws_ok('SELECT sealed_secret FROM shc_private_rid_secrets', '42501', NULL, 'the issuing role cannot SELECT rid secrets');
SELECT throws_ok('SELECT count(*) FROM shc_private_rid_secrets', '42501', NULL, 'not even count them');
SELECT throws_ok($$UPDATE shc_private_rid_secrets SET sealed_secret = '\x00'$$, '42501', NULL, 'nor replace them');
SELECT throws_ok('DELETE FROM shc_rid_secrets', '42501', NULL, 'nor delete secret versions');
SELECT throws_ok($$SELECT shc_rid_secret_create('https://tap.example/issuer')$$, '42501', NULL, 'nor rotate the secret without a grant');
SELECT throws_ok($$SELECT shc_rid_secret_import('https://tap.example/issuer', repeat('A', 43))$$, '42501', NULL,
                 'nor import a secret without a grant');
SELECT throws_ok(format($$SELECT shc_revoke(%L, 'abc')$$, :'kid'), '42501', NULL, 'nor revoke without a grant');
SELECT throws_ok(format($$DELETE FROM shc_revocations WHERE kid = %L$$, :'kid'), '42501', NULL, 'nor un-revoke by hand');
SELECT throws_ok(format($$UPDATE shc_crls SET ctr = 1 WHERE kid = %L$$, :'kid'), '42501', NULL, 'nor reset a CRL counter');
SELECT is(shc_crl(:'kid'), NULL, 'the issuing role reads the (absent) CRL');
RESET ROLE;

-- a role with no grant cannot compute rids
SET ROLE shc_tap_rid_nobody;
SELECT throws_ok(format($$SELECT shc_rid(%L, 'patient-1')$$, :'kid'), '42501', NULL, 'a role without the grant cannot compute rids');
RESET ROLE;

-- the owner revokes; everyone sees the CRL and crlVersion
SELECT is(shc_revoke(:'kid', shc_rid(:'kid', 'patient-1')), 1, 'the owner revokes');
SET ROLE shc_tap_rid_nobody;
SELECT is(shc_crl(:'kid') - 'rids', jsonb_build_object('kid', :'kid', 'method', 'rid', 'ctr', 1), 'any role reads the CRL');
SELECT is((shc_jwks('https://tap.example/issuer')->'keys'->0->>'crlVersion')::int, 1, 'and crlVersion in the JWKS');
RESET ROLE;

-- rotation keeps the old secret
SELECT shc_rid_secret_create('https://tap.example/issuer') AS v2 \gset
SELECT is((SELECT count(*)::int FROM shc_private_rid_secrets WHERE iss = 'https://tap.example/issuer'), 2,
          'rotation keeps the old secret');
SELECT isnt(shc_rid(:'kid', 'patient-1'), shc_rid(:'kid', 'patient-1', :v1), 'the new secret gives new rids, the old one by version');

SELECT * FROM finish();
ROLLBACK;
