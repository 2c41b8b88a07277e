-- The ready-made roles grant exactly what each user of the README needs:
-- the key administrator manages keys and rid secrets, the issuer signs,
-- the trust administrator changes the trust store through its functions
-- only, and the analyst (anyone) verifies.  Nobody but the superuser reads
-- a private table.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(24);

SET ROLE shc_pv_keyadmin;
SELECT lives_ok($$SELECT shc_key_create('https://clinic.example.org')$$, 'key admin: creates a key');
SELECT lives_ok($$SELECT shc_rid_secret_create('https://clinic.example.org')$$, 'key admin: creates a rid secret');
SELECT throws_ok($$SELECT shc_issue('{"resourceType":"Bundle"}', (SELECT kid FROM shc_keys LIMIT 1))$$, '42501', NULL, 'key admin: cannot sign');
SELECT throws_ok(format($$SELECT shc_trust('https://x.example.org', %L)$$, :'fx'::jsonb->'victim_jwks'), '42501', NULL, 'key admin: cannot change the trust store');
SELECT throws_ok('SELECT * FROM shc_private_keys', '42501', NULL, 'key admin: cannot read private keys');
SELECT throws_ok('SELECT * FROM shc_private_rid_secrets', '42501', NULL, 'key admin: cannot read rid secrets');
RESET ROLE;
SELECT kid AS kid FROM shc_keys LIMIT 1 \gset

SET ROLE shc_pv_issuer;
SELECT ok(shc_issue('{"resourceType":"Bundle"}', :'kid') ~ '^[\w-]+\.[\w-]+\.[\w-]+$', 'issuer: signs with a stored key');
SELECT ok(shc_rid(:'kid', 'patient-1') ~ '^[\w-]{11}$', 'issuer: computes rids');
SELECT throws_ok($$SELECT shc_key_create('https://clinic.example.org')$$, '42501', NULL, 'issuer: cannot create keys');
SELECT throws_ok(format('SELECT shc_key_retire(%L)', :'kid'), '42501', NULL, 'issuer: cannot retire keys');
SELECT throws_ok(format($$SELECT shc_trust('https://x.example.org', %L)$$, :'fx'::jsonb->'victim_jwks'), '42501', NULL, 'issuer: cannot change the trust store');
SELECT throws_ok('SELECT * FROM shc_private_keys', '42501', NULL, 'issuer: cannot read private keys');
RESET ROLE;

SET ROLE shc_pv_trustadmin;
SELECT is(shc_trust(:'fx'::jsonb->>'victim_iss', :'fx'::jsonb->'victim_jwks'), 1, 'trust admin: trusts an issuer through shc_trust');
SELECT throws_ok($$INSERT INTO shc_trusted_issuer (iss) VALUES ('https://x.example.org')$$, '42501', NULL, 'trust admin: cannot INSERT into the trust tables');
SELECT throws_ok('DELETE FROM shc_trusted_key', '42501', NULL, 'trust admin: cannot DELETE from them');
SELECT throws_ok('TRUNCATE shc_trusted_crl', '42501', NULL, 'trust admin: cannot TRUNCATE them');
SELECT throws_ok($$SELECT shc_key_create('https://clinic.example.org')$$, '42501', NULL, 'trust admin: cannot create keys');
SELECT throws_ok(format($$SELECT shc_issue('{"resourceType":"Bundle"}', %L)$$, :'kid'), '42501', NULL, 'trust admin: cannot sign');
RESET ROLE;

SET ROLE shc_pv_analyst;
SELECT is((shc_verify(:'fx'::jsonb->>'victim_card', '2024-01-01')).status, 'valid', 'analyst: verifies');
SELECT is(shc_decode(:'fx'::jsonb->>'victim_card')->'payload'->>'iss', :'fx'::jsonb->>'victim_iss', 'analyst: decodes');
SELECT throws_ok(format($$SELECT shc_issue('{"resourceType":"Bundle"}', %L)$$, :'kid'), '42501', NULL, 'analyst: cannot sign');
SELECT throws_ok($$SELECT shc_untrust('https://victim.example.org')$$, '42501', NULL, 'analyst: cannot change the trust store');
SELECT throws_ok('SELECT * FROM shc_private_keys', '42501', NULL, 'analyst: cannot read private keys');
RESET ROLE;

-- no role but the superuser may read a table holding a secret
SELECT is(array_agg(format('%s on %s', r, t) ORDER BY r, t), NULL,
          'no shc role nor the database owner may SELECT the private tables')
  FROM unnest(ARRAY['shc_pv_owner', 'shc_pv_keyadmin', 'shc_pv_issuer', 'shc_pv_trustadmin', 'shc_pv_analyst', 'shc_pv_hostile']) r,
       unnest(ARRAY['shc_private_keys', 'shc_private_rid_secrets']) t
 WHERE has_table_privilege(r, t, 'SELECT');

SELECT * FROM finish();
