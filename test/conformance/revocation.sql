-- Conformance: the spec's example rids from its example HMAC secret
-- (SHC-NOTES 10; keys/issuer.hmac.private.json, used as text), and the
-- spec's example CRL rebuilt with shc_revoke from those rids.
-- Runs only when ../shared/vectors is present (SHC_VECTORS).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;
SELECT plan(12);

\set keys `cat "$SHC_VECTORS/keys/issuer.jwks.private.json"`
\set hmac `cat "$SHC_VECTORS/keys/issuer.hmac.private.json"`
\set crl `cat "$SHC_VECTORS/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json"`
\set iss 'https://spec.smarthealth.cards/examples/issuer'
\set kid '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s'

SELECT is(shc_key_import(:'iss', (:'keys'::jsonb)->'keys'->0), :'kid', 'the spec key imports');
SELECT is(shc_rid_secret_import(:'iss', (:'hmac'::jsonb)->>'secret'), 1, 'the spec rid secret imports');

SELECT is(shc_rid(:'kid', 'userid-00'), 'MKyCxh7p6uQ', 'userid-00 -> MKyCxh7p6uQ (example 00)');
SELECT is(shc_rid(:'kid', 'userid-02'), 'YjKhdFoxL_g', 'userid-02 -> YjKhdFoxL_g (example 02)');
SELECT is(shc_rid(:'kid', 'userid-03'), 'vwAjHdarZuc', 'userid-03 -> vwAjHdarZuc (example 03)');
SELECT is(shc_rid(:'kid', 'fake-userid-1'), 'FKDIxsTCGlU', 'fake-userid-1 -> FKDIxsTCGlU');
SELECT is(shc_rid(:'kid', 'fake-userid-2'), 'XkNHp2Iyk0Y', 'fake-userid-2 -> XkNHp2Iyk0Y');
SELECT is(shc_rid(:'kid', 'fake-userid-3'), 'TqB_qu_6OtM', 'fake-userid-3 -> TqB_qu_6OtM');

-- the spec's CRL: userid-03 and fake-userid-2 revoked for cards before
-- 1687450765, fake-userid-1 and fake-userid-3 entirely
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'userid-03'), to_timestamp(1687450765));
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'fake-userid-1'));
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'fake-userid-2'), '2023-06-22 16:19:24.001+00');
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'fake-userid-3'));
SELECT is((SELECT array_agg(r ORDER BY r COLLATE "C") FROM jsonb_array_elements_text(shc_crl(:'kid')->'rids') r),
          (SELECT array_agg(r ORDER BY r COLLATE "C") FROM jsonb_array_elements_text((:'crl'::jsonb)->'rids') r),
          'shc_crl lists the rids of the spec CRL');
SELECT is(shc_crl(:'kid') - 'ctr' - 'rids', (:'crl'::jsonb) - 'ctr' - 'rids', 'with the same kid and method');
SELECT is(shc_crl(:'kid')->'ctr', '4'::jsonb, 'ctr is an integer counting the four changes (the spec CRL was published at 1)');
SELECT is(shc_jwks(:'iss')->'keys'->0->'crlVersion', shc_crl(:'kid')->'ctr', 'crlVersion in the JWKS equals ctr');

SELECT * FROM finish();
ROLLBACK;
