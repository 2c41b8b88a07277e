-- The extension's object inventory and each function's markings
-- (volatility, strictness, parallel safety, security).  Later features
-- extend the lists here; an object added or changed without updating this
-- file fails the test.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;

SELECT plan(10);

SELECT has_extension('shc', 'the extension is installed');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'shc'), '0.3.0', 'version 0.3.0');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'shc'), false, 'not relocatable');

-- every function of the extension: signature, volatility, strict, parallel, security definer
SELECT results_eq(
  $$SELECT p.oid::regprocedure::text, p.provolatile::text, p.proisstrict, p.proparallel::text, p.prosecdef
      FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
     WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc') AND d.deptype = 'e'
     ORDER BY 1$$,
  $$SELECT * FROM (VALUES ('shc_bundle(jsonb,jsonb[])', 'i', false, 's', false),
           ('shc_cache_invalidate_trigger()', 'v', false, 'u', false),
           ('shc_card_id(text)', 'i', true, 's', false),
           ('shc_card_svg(text,text)', 's', true, 's', false),
           ('shc_card_text(text)', 'i', true, 's', false),
           ('shc_setup_check(name[])', 'v', true, 'r', false),
           ('shc_root_key_status()', 'v', false, 'r', true),
           ('shc_code_display(text,text)', 's', true, 's', false),
           ('shc_code_names_load(text,text,text,date)', 'v', false, 'u', true),
           ('shc_crl(text)', 's', true, 's', false),
           ('shc_decode(text)', 's', true, 's', false),
           ('shc_trust_distribute()', 'v', false, 'u', false),
           ('shc_fhir_date(date)', 'i', true, 's', false),
           ('shc_fhir_immunization(text,text,date,text,text,text)', 'i', false, 's', false),
           ('shc_fhir_observation(text,date,text,text,numeric,text,text,text,text)', 'i', false, 's', false),
           ('shc_fhir_patient(text,text[],date)', 'i', false, 's', false),
           ('shc_file(text[])', 'i', true, 's', false),
           ('shc_file_cards(jsonb)', 'i', true, 's', false),
           ('shc_health_cards_issue(jsonb,jsonb,text)', 'v', true, 'u', false),
           ('shc_immunizations(jsonb)', 's', true, 's', false),
           ('shc_issue(jsonb,jsonb,text,timestamp with time zone,timestamp with time zone,text,boolean)', 'v', false, 's', false),
           ('shc_issue(jsonb,text,timestamp with time zone,timestamp with time zone,text,boolean)', 'v', false, 'r', false),
           ('shc_issue_card(jsonb,text,timestamp with time zone,timestamp with time zone,text,boolean)', 'v', false, 'r', false),
           ('shc_issue_trigger()', 'v', false, 'u', false),
           ('shc_issue_trigger_check()', 'v', false, 'u', true),
           ('shc_issue_trigger_forget()', 'v', false, 'u', true),
           ('shc_issue_trigger_resolve(oid,text)', 'v', true, 'u', true),
           ('shc_issuer_grant(text,regrole)', 'v', true, 'u', true),
           ('shc_issuer_revoke(text,regrole)', 'v', true, 'u', true),
           ('shc_json_compact(jsonb)', 'i', true, 's', false),
           ('shc_json_parse(text)', 'i', true, 's', false),
           ('shc_jwks(text)', 's', true, 's', false),
           ('shc_key_create(text)', 'v', true, 'u', true),
           ('shc_key_import(text,jsonb)', 'v', true, 'u', true),
           ('shc_key_import_file(text,text)', 'v', true, 'u', false),
           ('shc_key_retire(text)', 'v', true, 'u', true),
           ('shc_link_decrypt(text,text)', 's', true, 's', false),
           ('shc_link_encrypt(text,text,text,boolean)', 'v', true, 's', false),
           ('shc_link_add_file(text,jsonb)', 'v', true, 'u', true),
           ('shc_link_answer(text,integer,jsonb)', 'i', true, 's', false),
           ('shc_link_attempt(text,integer)', 'v', true, 'u', false),
           ('shc_link_caller()', 's', false, 'r', false),
           ('shc_link_create(jsonb,text,text,timestamp with time zone,text,text,text,integer,text)', 'v', false, 'u', true),
           ('shc_link_may_manage(oid,text,name)', 's', false, 's', false),
           ('shc_link_deactivate(text)', 'v', true, 'u', true),
           ('shc_link_direct(text,text,timestamp with time zone)', 'v', false, 'u', true),
           ('shc_link_encode_sealed(text,bytea,text,timestamp with time zone,text,text,text)', 's', false, 'u', false),
           ('shc_link_encrypt_files(text,bytea,text[],text[])', 'v', false, 'u', false),
           ('shc_link_file(text,timestamp with time zone)', 'v', false, 'u', true),
           ('shc_link_file_content(jsonb)', 'i', true, 's', false),
           ('shc_link_log(bigint,text,timestamp with time zone,text,text)', 'v', false, 'u', false),
           ('shc_link_manifest(text,jsonb,timestamp with time zone)', 'v', false, 'u', true),
           ('shc_link_passcode_check(text,text)', 'i', true, 's', false),
           ('shc_link_passcode_hash(text)', 'v', true, 's', false),
           ('shc_link_random_id()', 'v', false, 's', false),
           ('shc_link_uri(text)', 's', true, 'u', true),
           ('shc_link_verify_file(text,text,timestamp with time zone)', 's', true, 's', false),
           ('shc_link_decode(text)', 'i', true, 's', false),
           ('shc_link_encode(text,text,timestamp with time zone,text,text,text)', 'i', false, 's', false),
           ('shc_kid(jsonb)', 'i', true, 's', false),
           ('shc_library_version()', 's', true, 's', false),
           ('shc_memo_clear()', 'v', true, 'u', false),
           ('shc_minimize(jsonb)', 'i', true, 's', false),
           ('shc_observations(jsonb)', 's', true, 's', false),
           ('shc_patient(jsonb)', 'i', true, 's', false),
           ('shc_qr_chunks(text)', 'i', true, 's', false),
           ('shc_qr_decode(text[])', 'i', true, 's', false),
           ('shc_qr_info(text)', 'i', true, 's', false),
           ('shc_qr_numeric(text)', 'i', true, 's', false),
           ('shc_qr_png(text,integer,integer)', 'i', true, 's', false),
           ('shc_qr_scan(bytea)', 's', true, 's', false),
           ('shc_qr_svg(text,integer,integer)', 'i', true, 's', false),
           ('shc_restore_guard()', 'v', false, 'u', false),
           ('shc_revoke(text,text,timestamp with time zone)', 'v', false, 'u', true),
           ('shc_rid(text,text,integer)', 's', false, 's', true),
           ('shc_rid_secret_create(text)', 'v', true, 'u', true),
           ('shc_rid_secret_import(text,text)', 'v', true, 'u', true),
           ('shc_rid_secret_import_file(text,text)', 'v', true, 'u', false),
           ('shc_key_replace(text)', 'v', false, 'u', false),
           ('shc_root_key_id()', 's', false, 'r', false),
           ('shc_root_key_rotate()', 'v', false, 'u', true),
           ('shc_stats()', 'v', true, 'r', false),
           ('shc_trust(text,jsonb,text)', 'v', false, 'u', true),
           ('shc_trust_crl(text,jsonb)', 'v', true, 'u', true),
           ('shc_trust_issuers(jsonb)', 'v', true, 'u', true),
           ('shc_trust_generation_bump()', 'v', false, 'u', true),
           ('shc_trust_generation_bump_replica()', 'v', false, 'u', true),
           ('shc_untrust(text)', 'v', true, 'u', true),
           ('shc_verify(text,timestamp with time zone)', 's', true, 's', false),
           ('shc_verify_file(jsonb,timestamp with time zone)', 's', true, 's', false),
           ('shc_signature_verify(bytea,bytea,text,timestamp with time zone)', 'i', true, 's', false),
           ('shc_trust_anchor_add(text)', 'v', true, 'u', true),
           ('shc_trust_anchor_remove(text)', 'v', true, 'u', true),
           ('shc_trust_vci_directory(jsonb,jsonb,jsonb,boolean)', 'v', true, 'u', true),
           ('shc_trust_vci_snapshot(bytea,bytea,text,boolean)', 'v', true, 'u', true),
           ('shc_trust_vci_anchor_set(text)', 'v', false, 'u', true),
           ('shc_vci_load(jsonb,text,text)', 'v', true, 'u', true),
           ('shc_verify_status(text,timestamp with time zone)', 's', true, 's', false),
           ('shc_x509_info(text)', 'i', true, 's', false),
           ('shc_x5c_policy_set(text,text)', 'v', false, 'u', true),
           ('shc_x5c_check(jsonb,text,timestamp with time zone)', 's', true, 's', false),
           -- deprecated names (0.3.0, docs/api.md): wrappers with the markings of the old functions
           ('shc_check_setup(name[])', 'v', true, 'r', false),
           ('shc_distribute_trust()', 'v', false, 'u', false),
           ('shc_jwe_decrypt(text,text)', 's', true, 's', false),
           ('shc_jwe_encrypt(text,text,text,boolean)', 'v', true, 's', false),
           ('shc_shlink_decode(text)', 'i', true, 's', false),
           ('shc_shlink_encode(text,text,timestamp with time zone,text,text,text)', 'i', false, 's', false),
           ('shc_trust_directory(jsonb)', 'v', true, 'u', false)) v ORDER BY 1$$,
  'function inventory and markings');

-- every function has a comment and named arguments
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
            AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
            AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc')
           WHERE obj_description(p.oid, 'pg_proc') IS NULL), 0, 'every function has a comment');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
            AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
            AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc')
           WHERE p.pronargs > 0 AND (p.proargnames IS NULL OR '' = ANY (p.proargnames))), 0,
          'every argument is named');
-- every function runs with search_path = pg_catalog, pg_temp (issue 10):
-- the one exception is the event trigger function that must read the
-- CREATE TRIGGER statement's path, and pins the path itself first thing
SELECT is(array_agg(p.oid::regprocedure::text ORDER BY 1), ARRAY['shc_issue_trigger_check()'],
          'every function but the CREATE TRIGGER check pins search_path = pg_catalog, pg_temp')
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc')
   AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp'];
SELECT matches(prosrc, '^\s*DECLARE\s+creator_path text := pg_catalog\.current_setting\(''search_path''\);\s+t oid;\s+BEGIN\s+PERFORM pg_catalog\.set_config\(''search_path'', ''pg_catalog, pg_temp'', true\);',
               'shc_issue_trigger_check() reads the path qualified and pins it before anything else')
  FROM pg_proc WHERE oid = 'shc.shc_issue_trigger_check()'::regprocedure;

-- nothing is LEAKPROOF, every name starts with shc_
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
            AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
            AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc')
           WHERE p.proleakproof), 0, 'no function is LEAKPROOF');
SELECT is((SELECT count(*)::int FROM pg_depend d
           WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'shc') AND d.deptype = 'e'
             AND pg_describe_object(d.classid, d.objid, 0) !~ '^(function|table|type|view|sequence|index|event trigger) shc_'
             AND pg_describe_object(d.classid, d.objid, 0) !~ '^(function|table|type|view|sequence) [a-z_]*\.?shc_'),
          0, 'every object name starts with shc_');

SELECT * FROM finish();
ROLLBACK;
