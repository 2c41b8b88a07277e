-- check.sql: after ALTER EXTENSION shc UPDATE, the data of setup-<version>.sql
-- still verifies, and the server still issues (trigger and direct), with
-- the key made before the update.  Each line prints "name|t" when it holds.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
SELECT 'version|' || (extversion = :'version') FROM pg_extension WHERE extname = 'shc';
SELECT 'schema|' || (extnamespace::regnamespace::text = 'shc') FROM pg_extension WHERE extname = 'shc';
SELECT 'stored cards verify as before|'
       || (string_agg(c.patient_id || ':' || (v).status, ',' ORDER BY c.id) = '1:valid,2:revoked')
  FROM (SELECT c.*, shc.shc_verify(c.card) AS v FROM cards c) c;
INSERT INTO vaccinations (patient_id, cvx, given_on, lot) VALUES (1, '207', '2021-01-29', '0000007');
SELECT 'the trigger issues a new card|' || (count(*) = 3) FROM cards;
SELECT 'the new card verifies with both doses|'
       || ((v).status = 'valid' AND (SELECT count(*) FROM shc.shc_immunizations((v).bundle)) = 2
           AND kid = (SELECT kid FROM cards WHERE id = 1))
  FROM (SELECT c.*, shc.shc_verify(c.card) AS v FROM cards c ORDER BY id DESC LIMIT 1) c;
SELECT 'shc_issue signs with the key made before the update|'
       || ((shc.shc_verify(shc.shc_issue(vaccination_bundle(1), kid))).status = 'valid')
  FROM cards WHERE id = 1;
SELECT 'the rid secret made before the update still derives the same rid|'
       || (shc.shc_rid(kid, '1') = rid) FROM cards WHERE id = 1;
SELECT 'the update loads the code names: the stored card''s dose has its vaccine name|'
       || (string_agg(DISTINCT i.vaccine_name, ',') = 'COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5mL dose or 50 mcg/0.25mL dose')
  FROM cards c, shc.shc_verify(c.card) v, shc.shc_immunizations(v.bundle) i WHERE c.id = 1;
-- SMART Health Links made before the update (0.2.0's set-up has one):
-- they belong to the role that made them, keep the attempts they had
-- left, and answer
SELECT 'links made before the update belong to their creator and keep their attempts|'
       || coalesce(bool_and(iss IS NULL AND max_attempts IS NOT DISTINCT FROM attempts_left
                            AND (passcode_hash IS NULL OR attempts_left = 4)), true)
  FROM shc.shc_links;
SELECT 'a link made before the update answers its passcode|'
       || coalesce(bool_and((shc.shc_link_manifest(manifest_id, '{"recipient":"r","passcode":"4711"}')).outcome = 'ok'), true)
  FROM shc.shc_links WHERE passcode_hash IS NOT NULL;
