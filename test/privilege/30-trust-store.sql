-- Attack 2 of issue 10: a forged trust row.  The victim issuer is trusted
-- with its key; a trust administrator (who also runs an issuer of its
-- own) adds a row with the victim's kid and its own coordinates, then
-- presents a card for the victim's iss signed with its own key.  In 0.1.0
-- the verifier checked the signature with the first row having the kid and
-- the issuer binding with another, and the README suggested granting
-- INSERT on the trust tables: the card verified as valid.  Now the tables
-- take no write but the owner's, the table refuses a kid that is not the
-- thumbprint even to the owner, a row written around that check is never
-- loaded (with a warning), and the key is looked up by (iss, kid) at once.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(8);
SELECT :'fx'::jsonb AS j \gset
CREATE TEMP TABLE fx AS SELECT :'j'::jsonb AS j;
GRANT SELECT ON fx TO PUBLIC;
SELECT shc_trust(j->>'victim_iss', j->'victim_jwks', 'Victim') FROM fx;
SELECT shc_trust(j->>'attacker_iss', j->'attacker_jwks', 'Attacker') FROM fx;
SELECT is((SELECT (shc_verify(j->>'victim_card', '2024-01-01')).status FROM fx), 'valid', 'the victim''s own card is valid');
SELECT is((SELECT (shc_verify(j->>'forged_card', '2024-01-01')).status FROM fx), 'bad_signature',
          'the forged card fails with only shc_trust() rows');

SET ROLE shc_pv_trustadmin;
SELECT throws_ok($$INSERT INTO shc_trusted_key (iss, kid, jwk)
                   SELECT j->>'attacker_iss', j->'forged_jwk'->>'kid', j->'forged_jwk' FROM fx$$,
                 '42501', NULL, 'the trust administrator cannot INSERT a trust row');
SELECT throws_ok($$UPDATE shc_trusted_key SET jwk = (SELECT j->'forged_jwk' FROM fx)$$,
                 '42501', NULL, 'nor UPDATE one');
SELECT throws_ok($$SELECT shc_trust(j->>'attacker_iss', jsonb_build_object('keys', jsonb_build_array(j->'forged_jwk'))) FROM fx$$,
                 '22023', NULL, 'and shc_trust() refuses a JWKS whose only key has a kid that is not its thumbprint');
RESET ROLE;

-- not even the owner can store it
SELECT throws_ok($$INSERT INTO shc_trusted_key (iss, kid, jwk)
                   SELECT j->>'attacker_iss', j->'forged_jwk'->>'kid', j->'forged_jwk' FROM fx$$,
                 '23514', NULL, 'the table refuses a kid that is not the thumbprint, even to the owner');

-- a row written around the constraint (here: the constraint dropped by a
-- superuser inside this transaction) is never used by the verifier
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conname = 'shc_trusted_key_kid_is_thumbprint') THEN
    EXECUTE 'ALTER TABLE shc.shc_trusted_key DROP CONSTRAINT shc_trusted_key_kid_is_thumbprint';
  END IF;
END $$;
INSERT INTO shc_trusted_key (iss, kid, jwk)
  SELECT j->>'attacker_iss', j->'forged_jwk'->>'kid', j->'forged_jwk' FROM fx
ON CONFLICT DO NOTHING;
SET ROLE shc_pv_analyst;
SELECT is((SELECT (shc_verify(j->>'forged_card', '2024-01-01')).status FROM fx), 'bad_signature',
          'a forged row in the table still cannot make the forged card valid');
SELECT is((SELECT (shc_verify(j->>'victim_card', '2024-01-01')).status FROM fx), 'valid',
          'and the victim''s card stays valid');
RESET ROLE;

SELECT * FROM finish();
