-- Issue 22: the documented search path against the database owner.  The
-- owner (not a superuser; PostgreSQL 15 lets it create in public) plants
-- public.shc_issue(jsonb, text), which captures the bundle and signs one
-- of its own choosing with the caller's grant, and
-- public.shc_verify_status(text), which answers valid for anything.
-- 0.2.0's README put public before shc ("$user", public, shc): the
-- issuing application's and the analyst's ordinary unqualified calls ran
-- the owner's functions.  The documented path (shc, "$user", public)
-- puts shc first: the same calls run shc's, and shc_setup_check() flags
-- the old path and the open public.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(11);

SET ROLE shc_pv_keyadmin;
SELECT shc.shc_key_create('https://clinic.example.org') AS kid \gset
RESET ROLE;
GRANT USAGE ON SCHEMA shc TO shc_pv_owner;

SET ROLE shc_pv_owner;
CREATE TABLE public.captured (who text, bundle jsonb);
GRANT INSERT, SELECT ON public.captured TO PUBLIC;
CREATE FUNCTION public.shc_issue(bundle jsonb, kid text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO public.captured VALUES (current_user, bundle);
  RETURN shc.shc_issue('{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Chosen-by-owner"}]}}]}', kid);
END $f$;
CREATE FUNCTION public.shc_verify_status(card text) RETURNS text LANGUAGE sql AS $f$ SELECT 'valid'::text $f$;
RESET ROLE;

\set bundle '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Anyperson"}]}}]}'

-- 0.2.0's documented path: the planted functions run (the attack itself)
SET ROLE shc_pv_issuer;
SET search_path = "$user", public, shc;
SELECT shc_issue(:'bundle', :'kid') AS card_old \gset
SELECT is((SELECT count(*) FROM public.captured)::int, 1,
          'with "$user", public, shc the owner''s shc_issue runs for the issuer (the attack)');
SELECT is((SELECT ok FROM shc.shc_setup_check() WHERE item = 'search_path order'), false,
          'shc_setup_check() flags a path where a schema others may create in precedes shc');
SELECT ok((SELECT detail FROM shc.shc_setup_check() WHERE item = 'search_path order') ~ 'ALTER ROLE shc_pv_issuer SET search_path = shc, "\$user", public',
          'and says how to fix it');
RESET search_path;
RESET ROLE;

-- the documented path
SET ROLE shc_pv_issuer;
SET search_path = shc, "$user", public;
SELECT shc_issue(:'bundle', :'kid') AS card \gset
SELECT is((SELECT count(*) FROM public.captured)::int, 1,
          'with shc, "$user", public the issuer''s unqualified shc_issue runs shc''s: nothing captured');
SELECT is(shc_decode(:'card') #>> '{payload,vc,credentialSubject,fhirBundle,entry,0,resource,name,0,family}', 'Anyperson',
          'and the card holds the issuer''s bundle, not the owner''s');
SELECT is((SELECT ok FROM shc.shc_setup_check() WHERE item = 'search_path order'), true,
          'shc_setup_check() accepts the documented path');
SELECT is((SELECT ok FROM shc.shc_setup_check() WHERE item = 'public schema'), false,
          'and flags a public others may create in');
RESET search_path;
RESET ROLE;

SET ROLE shc_pv_analyst;
SET search_path = "$user", public, shc;
SELECT is(shc_verify_status('not a card'), 'valid', 'with the old path the planted shc_verify_status answers (the attack)');
SET search_path = shc, "$user", public;
SELECT is(shc_verify_status('not a card'), 'malformed', 'with the documented path the analyst''s call is shc''s');
RESET search_path;
RESET ROLE;

-- the owner cannot reach into shc, nor change a role's path
SET ROLE shc_pv_owner;
SELECT throws_ok($$CREATE FUNCTION shc.shc_verify_status(card text) RETURNS text LANGUAGE sql AS 'SELECT ''valid''::text'$$,
                 '42501', NULL, 'the owner cannot create in schema shc');
SELECT throws_ok($$ALTER ROLE shc_pv_issuer IN DATABASE $$ || quote_ident(current_database()) || $$ SET search_path = public, shc$$,
                 '42501', NULL, 'the owner cannot change the issuing role''s search path');
RESET ROLE;

SELECT * FROM finish();
