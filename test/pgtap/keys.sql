-- The key store's security model (DESIGN.md, "Security model"): who may
-- execute what, that an issuing role can sign but never read private key
-- material, SECURITY DEFINER with a pinned search_path, dump registration
-- and the cache-invalidation triggers.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;

SELECT plan(27);

SELECT shc_key_create('https://tap.example/issuer') AS kid \gset
CREATE ROLE shc_tap_issuer;
CREATE ROLE shc_tap_nobody;
GRANT EXECUTE ON FUNCTION shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) TO shc_tap_issuer;

-- what PUBLIC gets
SELECT ok(NOT has_table_privilege('public', 'shc_private_keys', 'SELECT'), 'PUBLIC cannot read shc_private_keys');
SELECT ok(has_table_privilege('public', 'shc_keys', 'SELECT'), 'PUBLIC can read the public key table');
SELECT ok(NOT has_table_privilege('public', 'shc_keys', 'INSERT, UPDATE, DELETE, TRUNCATE'), 'PUBLIC cannot change shc_keys');
SELECT is(array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text),
          ARRAY['shc_cache_invalidate_trigger()', 'shc_code_names_load(text,text,text,date)', 'shc_distribute_trust()',
                'shc_issue(jsonb,jsonb,text,timestamp with time zone,timestamp with time zone,text,boolean)',
                'shc_issue(jsonb,text,timestamp with time zone,timestamp with time zone,text,boolean)',
                'shc_issue_card(jsonb,text,timestamp with time zone,timestamp with time zone,text,boolean)',
                'shc_issue_trigger_check()', 'shc_issue_trigger_forget()', 'shc_issue_trigger_resolve(oid,text)',
                'shc_issuer_grant(text,regrole)', 'shc_issuer_revoke(text,regrole)',
                'shc_key_create(text)', 'shc_key_import(text,jsonb)', 'shc_key_import_file(text,text)',
                'shc_key_replace(text)', 'shc_key_retire(text)',
                -- SMART Health Links: creating (shc_issuer), answering (shc_link_server), internals
                'shc_link_add_file(text,jsonb)', 'shc_link_answer(text,integer,jsonb)',
                'shc_link_attempt(text,integer)', 'shc_link_caller()',
                'shc_link_create(jsonb,text,text,timestamp with time zone,text,text,text,integer,text)',
                'shc_link_deactivate(text)', 'shc_link_direct(text,text,timestamp with time zone)',
                'shc_link_encode_sealed(text,bytea,text,timestamp with time zone,text,text,text)',
                'shc_link_encrypt_files(text,bytea,text[],text[])',
                'shc_link_file(text,timestamp with time zone)', 'shc_link_file_content(jsonb)',
                'shc_link_log(bigint,text,timestamp with time zone,text,text)',
                'shc_link_manifest(text,jsonb,timestamp with time zone)',
                'shc_link_may_manage(oid,text,name)',
                'shc_link_passcode_check(text,text)', 'shc_link_passcode_hash(text)',
                'shc_link_random_id()', 'shc_link_uri(text)',
                'shc_memo_clear()', 'shc_restore_guard()',
                'shc_revoke(text,text,timestamp with time zone)', 'shc_rid(text,text,integer)',
                'shc_rid_secret_create(text)', 'shc_rid_secret_import(text,text)',
                'shc_rid_secret_import_file(text,text)', 'shc_root_key_id()', 'shc_root_key_rotate()',
                'shc_stats()', 'shc_trust(text,jsonb,text)', 'shc_trust_anchor_add(text)', 'shc_trust_anchor_remove(text)',
                'shc_trust_crl(text,jsonb)', 'shc_trust_directory(jsonb)', 'shc_trust_distribute()',
                'shc_trust_generation_bump()', 'shc_trust_generation_bump_replica()', 'shc_trust_issuers(jsonb)',
                'shc_trust_vci_anchor_set(text)', 'shc_trust_vci_directory(jsonb,jsonb,jsonb,boolean)', 'shc_trust_vci_snapshot(bytea,bytea,text,boolean)',
                'shc_untrust(text)', 'shc_vci_load(jsonb,text,text)', 'shc_x5c_policy_set(text,text)'],
          'EXECUTE is revoked from PUBLIC on exactly the signing, key, revocation, trust-writing, memo-clearing and internal functions (trigger functions included)')
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc')
   AND NOT has_function_privilege('public', p.oid, 'EXECUTE');

-- SECURITY DEFINER functions pin search_path
SELECT is(array_agg(p.proname::text ORDER BY p.proname::text),
          ARRAY['shc_code_names_load', 'shc_issue_trigger_check', 'shc_issue_trigger_forget', 'shc_issue_trigger_resolve',
                'shc_issuer_grant', 'shc_issuer_revoke',
                'shc_key_create', 'shc_key_import', 'shc_key_retire',
                'shc_link_add_file', 'shc_link_create', 'shc_link_deactivate', 'shc_link_direct',
                'shc_link_file', 'shc_link_manifest', 'shc_link_uri',
                'shc_revoke', 'shc_rid', 'shc_rid_secret_create', 'shc_rid_secret_import', 'shc_root_key_rotate', 'shc_root_key_status',
                'shc_trust', 'shc_trust_anchor_add', 'shc_trust_anchor_remove', 'shc_trust_crl',
                'shc_trust_generation_bump',
                'shc_trust_generation_bump_replica', 'shc_trust_issuers', 'shc_trust_vci_anchor_set', 'shc_trust_vci_directory',
                'shc_trust_vci_snapshot', 'shc_untrust', 'shc_vci_load', 'shc_x5c_policy_set'],
          'the SECURITY DEFINER functions (shc_issue runs as its caller, so its grants per issuer can be checked)')
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc') AND p.prosecdef;
SELECT is(array_agg(p.proname::text), ARRAY['shc_issue_trigger_check'],
          'every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp (the CREATE TRIGGER check pins it in its first statement)')
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc') AND p.prosecdef
   AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp'];

-- dump registration and cache triggers
SELECT ok((SELECT array_agg(c::regclass::text ORDER BY c::regclass::text COLLATE "C") FROM pg_extension, unnest(extconfig) c WHERE extname = 'shc')
          @> ARRAY['shc_crls', 'shc_keys', 'shc_private_keys', 'shc_private_rid_secrets', 'shc_revocations', 'shc_rid_secrets'],
          'the key, rid secret and revocation tables are registered with pg_extension_config_dump');
SELECT is((SELECT count(*)::int FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE p.proname = 'shc_cache_invalidate_trigger'
              AND t.tgrelid IN ('shc_keys'::regclass, 'shc_private_keys'::regclass)), 2,
          'both key tables carry the cache invalidation trigger');
SELECT fk_ok('shc_private_keys', 'kid', 'shc_keys', 'kid');

-- an issuing role signs, but cannot read or change key material
SET ROLE shc_tap_issuer;
SELECT lives_ok(format($$SELECT shc_issue('{"resourceType":"Bundle"}', %L)$$, :'kid'), 'the issuing role can issue with a stored key');
SELECT ok(shc_issue('{"resourceType":"Bundle"}', :'kid') ~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$', 'and gets a compact JWS');
SELECT throws_ok('SELECT sealed_d FROM shc_private_keys', '42501', NULL, 'the issuing role cannot SELECT private keys');
SELECT throws_ok('SELECT count(*) FROM shc_private_keys', '42501', NULL, 'not even count them');
SELECT throws_ok('DELETE FROM shc_private_keys', '42501', NULL, 'nor delete them');
SELECT throws_ok(format('UPDATE shc_keys SET retired_at = NULL WHERE kid = %L', :'kid'), '42501', NULL, 'nor un-retire a key');
SELECT throws_ok($$INSERT INTO shc_keys (kid, iss, x, y) VALUES (repeat('A', 43), 'https://evil.example', repeat('A', 43), repeat('A', 43))$$,
                 '42501', NULL, 'nor insert a public key');
SELECT throws_ok($$SELECT shc_key_create('https://tap.example/issuer')$$, '42501', NULL, 'nor create keys without a grant');
SELECT throws_ok($$SELECT shc_key_import('https://tap.example/issuer', '{}')$$, '42501', NULL, 'nor import keys without a grant');
SELECT throws_ok(format('SELECT shc_key_retire(%L)', :'kid'), '42501', NULL, 'nor retire keys without a grant');
SELECT throws_ok($$SELECT shc_issue('{"resourceType":"Bundle"}', '{}'::jsonb, 'https://x.example')$$, '42501', NULL,
                 'the JWK overload needs its own grant');
SELECT is(jsonb_array_length(shc_jwks('https://tap.example/issuer')->'keys'), 1, 'the issuing role can read the public JWKS');
SELECT is((SELECT count(*)::int FROM shc_keys WHERE kid = :'kid'), 1, 'and the public key table');
SELECT is(shc_minimize('{"resourceType":"Bundle","id":"x"}'), '{"resourceType":"Bundle"}'::jsonb, 'shc_minimize is open to everyone');
RESET ROLE;

-- a role with no grant cannot issue at all
SET ROLE shc_tap_nobody;
SELECT throws_ok(format($$SELECT shc_issue('{"resourceType":"Bundle"}', %L)$$, :'kid'), '42501', NULL, 'a role without the grant cannot issue');
RESET ROLE;

-- retiring destroys the private part; the issuing role can no longer sign
SELECT lives_ok(format('SELECT shc_key_retire(%L)', :'kid'), 'the owner retires the key');
SELECT is((SELECT count(*)::int FROM shc_private_keys WHERE kid = :'kid'), 0, 'its private part is gone');
SET ROLE shc_tap_issuer;
SELECT throws_ok(format($$SELECT shc_issue('{"resourceType":"Bundle"}', %L)$$, :'kid'), '55000', NULL, 'a retired key cannot sign');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
