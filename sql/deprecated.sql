-- Deprecated names (0.3.0, docs/api.md): each old name works for one more
-- release as a wrapper that raises a WARNING (SQLSTATE 01P01,
-- deprecated_feature) naming the new function, and gives the new
-- function's answer, errors included.
\pset format unaligned
\set k0 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'

-- the list: every deprecated function names an existing new one
SELECT p.proname AS old_name, n.new_name, to_regproc('shc.' || n.new_name) IS NOT NULL AS new_exists
  FROM pg_proc p, LATERAL (SELECT substring(obj_description(p.oid, 'pg_proc') FROM '^deprecated name of (\w+) ') AS new_name) n
 WHERE p.pronamespace = 'shc'::regnamespace AND n.new_name IS NOT NULL
 ORDER BY 1;

-- the warning's SQLSTATE
\set VERBOSITY sqlstate
SELECT length(shc_jwe_encrypt('x', :'k0', 'text/plain')) > 0 AS encrypted;
\set VERBOSITY default

-- SMART Health Links: shc_jwe_encrypt, shc_jwe_decrypt, shc_shlink_encode,
-- shc_shlink_decode
SELECT (shc_link_decrypt(shc_jwe_encrypt('x', :'k0', 'text/plain', true), :'k0')).plaintext AS round_trip;
SELECT * FROM shc_jwe_decrypt(shc_link_encrypt('{"a":1}', :'k0', 'application/fhir+json'), :'k0');
SELECT shc_shlink_encode('https://x.example/m', :'k0', flag => 'L', label => 'a label')
     = shc_link_encode('https://x.example/m', :'k0', flag => 'L', label => 'a label') AS same_link;
SELECT * FROM shc_shlink_decode(shc_link_encode('https://x.example/m', :'k0', exp => '2030-01-01 00:00:00+00', flag => 'LP', label => 'a label'));
SELECT * FROM regress_error($$SELECT shc_shlink_decode('shc:/56762909')$$);
SELECT * FROM regress_error($$SELECT shc_jwe_decrypt('a.b.c.d.e', 'AAEC')$$);

-- the trust store: shc_trust_directory, as shc_trust_admin may call it
SELECT shc_key_create('https://deprecated.example.org') IS NOT NULL AS key;
SELECT shc_trust_directory(jsonb_build_object('participating_issuers', jsonb_build_array(
  jsonb_build_object('iss', 'https://deprecated.example.org', 'name', 'Deprecated',
                     'keys', shc_jwks('https://deprecated.example.org')->'keys')))) AS issuers_loaded;
SELECT name FROM shc_trusted_issuer WHERE iss = 'https://deprecated.example.org';
SELECT * FROM regress_error($$SELECT shc_trust_directory('[]')$$);
SELECT has_function_privilege('public', 'shc_trust_directory(jsonb)', 'EXECUTE') AS public_may,
       has_function_privilege('shc_trust_admin', 'shc_trust_directory(jsonb)', 'EXECUTE') AS trust_admin_may,
       (SELECT prosecdef FROM pg_proc WHERE oid = 'shc_trust_directory(jsonb)'::regprocedure) AS security_definer;
SELECT shc_untrust('https://deprecated.example.org') AS untrusted;

-- setup and scale-out: shc_check_setup, shc_distribute_trust
SELECT (SELECT array_agg(item ORDER BY item) FROM shc_check_setup())
     = (SELECT array_agg(item ORDER BY item) FROM shc_setup_check()) AS same_items;
SELECT * FROM regress_error($$SELECT shc_distribute_trust()$$);
SELECT has_function_privilege('public', 'shc_distribute_trust()', 'EXECUTE') AS public_may;
