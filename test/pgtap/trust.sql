-- The trust store's tables: registered for pg_dump, guarded by the cache
-- invalidation trigger, readable by everyone and writable only by their
-- owner; shc_verify's markings allow parallel query.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;

SELECT plan(23);

SELECT has_table('shc_trusted_issuer');
SELECT has_table('shc_trusted_key');
SELECT has_table('shc_trusted_crl');
SELECT has_type('shc_verification');

-- pg_dump keeps the trust store (pg_extension_config_dump)
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname)
             FROM pg_extension e, unnest(e.extconfig) AS t(oid) JOIN pg_class c ON c.oid = t.oid
            WHERE e.extname = 'shc' AND c.relname LIKE 'shc_trusted_%'),
          ARRAY['shc_trusted_crl', 'shc_trusted_issuer', 'shc_trusted_key', 'shc_trusted_rid'],
          'the trust tables are extension configuration tables');

-- each has the statement trigger that resets every session's key cache
SELECT is((SELECT count(*)::int FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE t.tgrelid = rel::regclass AND p.proname = 'shc_cache_invalidate_trigger'
              AND (t.tgtype & 1) = 0),
          1, rel || ' has the cache invalidation statement trigger')
  FROM unnest(ARRAY['shc_trusted_issuer', 'shc_trusted_key', 'shc_trusted_crl']) AS rel;

-- privileges: PUBLIC reads public keys, only the owner writes
CREATE ROLE shc_tap_reader;
SELECT ok(has_table_privilege('shc_tap_reader', rel, 'SELECT'), rel || ': PUBLIC may read')
  FROM unnest(ARRAY['shc_trusted_issuer', 'shc_trusted_key', 'shc_trusted_crl']) AS rel;
SELECT ok(NOT has_table_privilege('shc_tap_reader', 'shc_trusted_key', 'INSERT')
          AND NOT has_table_privilege('shc_tap_reader', 'shc_trusted_issuer', 'DELETE'),
          'PUBLIC may not change the trust store');
SET ROLE shc_tap_reader;
SELECT throws_ok($$SELECT shc_untrust('https://x.example.org')$$, '42501', NULL,
                 'shc_untrust is not for PUBLIC');
SELECT throws_ok($$SELECT shc_trust('https://x.example.org', '{"keys":[]}')$$, '42501', NULL,
                 'nor is shc_trust');
RESET ROLE;

-- the trust administrator changes the store through the functions only
CREATE ROLE shc_tap_trust_admin IN ROLE shc_trust_admin;
SELECT (shc_kid(k) = k->>'kid') AS k_ok, k AS jwk FROM (SELECT
  '{"kty":"EC","kid":"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s","use":"sig","alg":"ES256","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}'::jsonb AS k) x \gset
SELECT (generation) AS gen0 FROM shc_trust_generation \gset
SET ROLE shc_tap_trust_admin;
SELECT is(shc_trust('https://spec.smarthealth.cards/examples/issuer', jsonb_build_object('keys', jsonb_build_array(:'jwk'::jsonb))), 1,
          'a member of shc_trust_admin trusts a JWKS through shc_trust');
SELECT throws_ok($$INSERT INTO shc_trusted_issuer VALUES ('https://y.example.org')$$, '42501', NULL,
                 'but cannot INSERT into the trust tables');
SELECT throws_ok($$UPDATE shc_trusted_key SET jwk = jwk$$, '42501', NULL, 'nor UPDATE them');
RESET ROLE;
SELECT cmp_ok((SELECT generation FROM shc_trust_generation), '>', :gen0::bigint,
              'every trust change bumps the generation in the same transaction');

-- kid = RFC 7638 thumbprint, whoever writes: a forged (kid, x, y) is refused even to the owner
SELECT throws_ok(format($$INSERT INTO shc_trusted_key (iss, kid, jwk) VALUES ('https://spec.smarthealth.cards/examples/issuer', %L, %L)$$,
                        repeat('A', 43), :'jwk'), '23514', NULL,
                 'a key whose kid is not its thumbprint is refused by the table');
SELECT col_has_check('shc_trusted_key', 'kid', 'shc_trusted_key.kid has a CHECK');
SELECT ok(NOT has_table_privilege('shc_trust_admin', 'shc_trusted_key', 'INSERT'), 'shc_trust_admin holds no write privilege on the tables');

-- a private key can never be stored, even by the owner
SELECT throws_ok($$INSERT INTO shc_trusted_issuer VALUES ('https://x.example.org');
                   INSERT INTO shc_trusted_key (iss, kid, jwk)
                   VALUES ('https://x.example.org', repeat('A', 43), '{"d":"x"}')$$,
                 '23514', NULL, 'the table refuses a JWK with "d"');
SELECT throws_ok($$INSERT INTO shc_trusted_issuer VALUES ('https://x.example.org/')$$,
                 '23514', NULL, 'the table refuses an iss with a trailing slash');

SELECT * FROM finish();
ROLLBACK;
