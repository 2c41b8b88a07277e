-- Attack 4 of issue 10: a poisoned verification cache shared across roles.
-- A role with its own schema defines an ->> operator there that answers
-- its own key's coordinates, puts the schema before pg_catalog, and
-- verifies once, so the per-backend trust cache is loaded through its
-- operator.  In 0.1.0 every later role on that backend (SET ROLE, as a
-- connection pooler does) then accepted its forged cards.  Now the cache
-- is read as the owner of the trust tables with a pinned search_path:
-- what one role defines cannot change what another is served.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(5);
CREATE TEMP TABLE fx AS SELECT :'fx'::jsonb AS j;
GRANT SELECT ON fx TO PUBLIC;
SELECT shc_trust(j->>'victim_iss', j->'victim_jwks', 'Victim') FROM fx;

SET ROLE shc_pv_hostile;
CREATE SCHEMA hostile;
SELECT format($q$CREATE FUNCTION hostile.arrow(j jsonb, k text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
BEGIN
  IF k OPERATOR(pg_catalog.=) 'x' THEN RETURN %L; END IF;
  IF k OPERATOR(pg_catalog.=) 'y' THEN RETURN %L; END IF;
  RETURN j OPERATOR(pg_catalog.->>) k;
END $f$$q$, j->'forged_jwk'->>'x', j->'forged_jwk'->>'y') FROM fx \gexec
CREATE OPERATOR hostile.->> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = hostile.arrow);
CREATE FUNCTION hostile.jsonb_object_field_text(j jsonb, k text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $f$ SELECT hostile.arrow(j, k) $f$;
SET search_path = hostile, pg_catalog, public, shc;
-- the hostile role's first verification fills the backend's cache
SELECT (shc_verify(j->>'victim_card', '2024-01-01')).status AS hostile_saw FROM fx;
SELECT is((SELECT (shc_verify(j->>'forged_card', '2024-01-01')).status FROM fx), 'bad_signature',
          'the hostile role itself does not get its forged card accepted');
RESET search_path;
RESET ROLE;

SET ROLE shc_pv_analyst;
SELECT is((SELECT (shc_verify(j->>'forged_card', '2024-01-01')).status FROM fx), 'bad_signature',
          'the next role on the same backend does not accept the forged card');
SELECT is((SELECT (shc_verify(j->>'victim_card', '2024-01-01')).status FROM fx), 'valid',
          'and verifies the genuine card');
RESET ROLE;
SELECT is((SELECT (shc_verify(j->>'forged_card', '2024-01-01')).status FROM fx), 'bad_signature',
          'nor does the superuser');

-- the other way round: a cache filled by a trusted role serves the hostile
-- role the same answers, whatever it defines
SELECT shc_trust(j->>'victim_iss', j->'victim_jwks', 'Victim again') FROM fx;
SELECT (shc_verify(j->>'victim_card', '2024-01-01')).status FROM fx;
SET ROLE shc_pv_hostile;
SET search_path = hostile, pg_catalog, public, shc;
SELECT is((SELECT (shc_verify(j->>'forged_card', '2024-01-01')).status FROM fx), 'bad_signature',
          'a cache filled by another role gives the hostile role the same answer');
RESET search_path;
RESET ROLE;

SELECT * FROM finish();
