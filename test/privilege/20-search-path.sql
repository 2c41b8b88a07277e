-- Attack 1 of issue 10: the database owner (not a superuser), who may
-- create in public (and so may everyone, as after an upgrade from 14),
-- plants public.=(text,text), public.now() and public.->>(jsonb,text).
-- Each records that it ran, and tries to make the owner a superuser.  In
-- 0.1.0 every SECURITY DEFINER function put the extension's schema
-- (public) before pg_catalog, so the next shc_issue, shc_key_retire,
-- shc_revoke or shc_jwks by anyone ran them as the extension owner.  Now
-- every function runs with search_path = pg_catalog, pg_temp and names
-- its own objects shc.<name>: none of them runs, as any role.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(6);

SET ROLE shc_pv_owner;
CREATE TABLE public.pwned (who text, what text);
GRANT INSERT, SELECT ON public.pwned TO PUBLIC;
CREATE FUNCTION public.pv_mark(what text) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO public.pwned VALUES (pg_catalog.current_user(), what);
  BEGIN
    EXECUTE 'ALTER ROLE shc_pv_owner SUPERUSER';
  EXCEPTION WHEN OTHERS THEN NULL;
  END;
END $f$;
CREATE FUNCTION public.pv_texteq(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.pv_mark('text = text'); RETURN a OPERATOR(pg_catalog.=) b; END $f$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.pv_texteq);
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.pv_mark('now()'); RETURN pg_catalog.now(); END $f$;
CREATE FUNCTION public.pv_arrow(j jsonb, k text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.pv_mark('jsonb ->> text'); RETURN j OPERATOR(pg_catalog.->>) k; END $f$;
CREATE OPERATOR public.->> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = public.pv_arrow);
CREATE FUNCTION public.pv_concat(a text, b text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN PERFORM public.pv_mark('text || text'); RETURN a OPERATOR(pg_catalog.||) b; END $f$;
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = public.pv_concat);
-- the owner's bundle function and tables for the issue trigger
CREATE TABLE public.vaccinations (patient_id bigint, cvx text);
CREATE TABLE public.cards (patient_id bigint, source text, card text, kid text, rid text, issued_at timestamptz);
CREATE FUNCTION public.bundle(p bigint) RETURNS jsonb LANGUAGE sql STABLE
  AS $f$ SELECT '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Anyperson"}]}}]}'::jsonb $f$;
GRANT INSERT, SELECT ON public.vaccinations, public.cards TO PUBLIC;
RESET ROLE;
SET ROLE shc_pv_keyadmin;
SELECT shc_key_create('https://owner.example.org');
RESET ROLE;
-- the owner creates an issue trigger of its own with its planted schema
-- before pg_catalog: the check that runs for CREATE TRIGGER (as the
-- extension owner) must not use the owner's operators
SET ROLE shc_pv_owner;
SET search_path = public, pg_catalog, shc;
CREATE TRIGGER issue_owner AFTER INSERT ON public.vaccinations
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://owner.example.org', 'bundle', 'cards');
RESET search_path;
RESET ROLE;

-- every shc function, as the role that may call it
SET ROLE shc_pv_keyadmin;
SELECT shc_key_create('https://clinic.example.org') AS kid \gset
SELECT shc_key_create('https://clinic.example.org') AS kid2 \gset
SELECT shc_rid_secret_create('https://clinic.example.org');
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'p1'));
SELECT shc_key_retire(:'kid2');
RESET ROLE;
-- the DBA's trigger (created by the superuser, fired by the issuer)
CREATE TRIGGER issue AFTER INSERT ON public.vaccinations
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org', 'public.bundle', 'public.cards', 'rid');
SET ROLE shc_pv_issuer;
SELECT shc_issue('{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Anyperson"}]}}]}', :'kid', rid => shc_rid(:'kid', 'p2')) AS card \gset
INSERT INTO public.vaccinations VALUES (1, '207');
SELECT shc_health_cards_issue('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}]}',
                              '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Patient"}]}', :'kid');
RESET ROLE;
SET ROLE shc_pv_trustadmin;
SELECT shc_trust('https://clinic.example.org', shc_jwks('https://clinic.example.org'), 'Clinic');
SELECT shc_trust_crl('https://clinic.example.org', shc_crl(:'kid'));
SELECT shc_trust_issuers(jsonb_build_object('participating_issuers', jsonb_build_array(
         jsonb_build_object('iss', :'fx'::jsonb->>'victim_iss', 'keys', :'fx'::jsonb->'victim_jwks'->'keys'))));
SELECT shc_untrust(:'fx'::jsonb->>'victim_iss');
RESET ROLE;
SET ROLE shc_pv_analyst;
SELECT (shc_verify(:'card')).status;
SELECT (v).status FROM (SELECT shc_verify(c.card) AS v FROM public.cards c) x;
SELECT count(*) FROM shc_verify_file(shc_file(ARRAY[:'card']));
SELECT shc_decode(:'card') IS NOT NULL;
SELECT shc_jwks('https://clinic.example.org') IS NOT NULL, shc_crl(:'kid') IS NOT NULL;
SELECT shc_card_svg(:'card') IS NOT NULL, shc_qr_numeric(:'card') IS NOT NULL;
SELECT shc_bundle(shc_fhir_patient('Anyperson', '{John}', '1951-01-20'),
                  ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01')]) IS NOT NULL;
SELECT count(*) FROM shc_immunizations('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Immunization","status":"completed"}}]}');
RESET ROLE;

SELECT is((SELECT count(*)::int FROM public.cards), 2, 'both triggers issued their cards');
SELECT is((SELECT count(*)::int FROM shc_keys WHERE retired_at IS NOT NULL), 1, 'the key was retired');
SELECT is((SELECT count(*)::int FROM shc_revocations), 1, 'the card was revoked');
SELECT is((SELECT count(*)::int FROM shc_trusted_issuer), 1, 'the trust store changed');
SELECT is((SELECT string_agg(DISTINCT who || ': ' || what, '; ') FROM public.pwned), NULL,
          'no object planted in public ran during any shc function, as any role');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'shc_pv_owner'), 'the database owner is still not a superuser');

SELECT * FROM finish();
