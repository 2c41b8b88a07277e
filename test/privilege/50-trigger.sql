-- The issue trigger looks nothing up by name when it fires.  In 0.1.0 it
-- resolved its cards table and bundle function with the inserting role's
-- search_path at every insert, so a temporary table named like the cards
-- table (pg_temp comes first) received the card, and a function planted
-- under the bundle function's name could be called instead.  Now both are
-- resolved when the trigger is created, recorded by OID and used by OID.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(6);

CREATE TABLE public.vaccinations (patient_id bigint, cvx text);
CREATE TABLE public.cards (patient_id bigint, source text, card text, kid text, rid text, issued_at timestamptz);
CREATE FUNCTION public.bundle(p bigint) RETURNS jsonb LANGUAGE sql STABLE
  AS $f$ SELECT '{"resourceType":"Bundle","type":"collection","entry":[]}'::jsonb $f$;
GRANT INSERT ON public.vaccinations, public.cards TO PUBLIC;
SELECT shc_key_create('https://clinic.example.org');
CREATE TRIGGER issue AFTER INSERT ON vaccinations
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org', 'bundle', 'cards');

SET ROLE shc_pv_issuer;
-- a temporary table and a function named like the trigger's targets, first on the path
CREATE TEMP TABLE cards (patient_id bigint, source text, card text, kid text, rid text, issued_at timestamptz);
RESET ROLE;
SET ROLE shc_pv_hostile;
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.bundle(p bigint) RETURNS jsonb LANGUAGE sql
  AS $f$ SELECT '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Planted"}]}}]}'::jsonb $f$;
GRANT USAGE ON SCHEMA hostile TO PUBLIC;
RESET ROLE;
SET ROLE shc_pv_issuer;
SET search_path = hostile, "$user", public, shc;
SELECT lives_ok($$INSERT INTO public.vaccinations VALUES (1, '207')$$, 'the issuer inserts a vaccination');
RESET search_path;
SELECT is((SELECT count(*)::int FROM pg_temp.cards), 0, 'the temporary table named like the cards table received nothing');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM public.cards), 1, 'the card went to the cards table named when the trigger was created');
SELECT is((SELECT shc_decode(card)->'payload'->'vc'->'credentialSubject'->'fhirBundle'->'entry' FROM public.cards),
          '[]'::jsonb, 'built by the bundle function named when the trigger was created');

-- and the trigger cannot be created to write into a temporary table
CREATE TEMP TABLE tcards (patient_id bigint, source text, card text, kid text, rid text, issued_at timestamptz);
SELECT throws_ok($$CREATE TRIGGER issue2 AFTER INSERT ON vaccinations
                   FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org', 'bundle', 'tcards')$$,
                 '42809', NULL, 'a permanent table''s trigger cannot send cards to a temporary table');
SELECT throws_ok($$CREATE TRIGGER issue3 AFTER INSERT ON vaccinations
                   FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org', 'no_such_bundle', 'cards')$$,
                 '42883', NULL, 'a trigger naming a missing bundle function is refused when created');

SELECT * FROM finish();
