-- load-setup.sql: fixtures of the "load" tier (test/tiers/86-load.sh).
-- A clinic's vaccination table whose AFTER INSERT trigger issues a card
-- for every dose with shc_issue (stored key) into a cards table; the card
-- issuer and the forged-card issuers a and b are trusted.
CREATE EXTENSION shc;
\set fx `cat test/data/forged-cards.json`
CREATE TABLE fx AS SELECT :'fx'::jsonb AS j;
SELECT shc_trust(j->'issuers'->>'a', j->'jwks'->'a'), shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx;
SELECT shc_trust('https://issuer-a2.example.org', j->'jwks'->'a2') FROM fx;
SELECT shc_trust_crl(j->'issuers'->>'a', j->'crl') FROM fx;
CREATE TABLE fixture_cards AS
  SELECT e->>'name' AS name, e->>'expect' AS expect, e->>'card' AS card
    FROM fx, jsonb_array_elements(j->'cards') e;

CREATE TABLE clinic (iss text PRIMARY KEY, kid text NOT NULL);
INSERT INTO clinic SELECT 'https://clinic.example.org', shc_key_create('https://clinic.example.org');
SELECT shc_trust(iss, shc_jwks(iss), 'Load test clinic') FROM clinic;

CREATE TABLE vaccinations (
	id bigserial PRIMARY KEY,
	patient text NOT NULL,
	cvx text NOT NULL,
	given date NOT NULL,
	lot text NOT NULL
);
CREATE TABLE cards (
	id bigserial PRIMARY KEY,
	vaccination_id bigint NOT NULL UNIQUE REFERENCES vaccinations,
	card text NOT NULL
);
-- statuses the verifying clients saw while the trust store changed
CREATE TABLE seen (status text NOT NULL, n bigint NOT NULL);

-- the patient's card holds every dose given so far (a booster makes a new
-- card holding all of them)
CREATE FUNCTION issue_card() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	b jsonb;
BEGIN
	SELECT jsonb_build_object('resourceType', 'Bundle', 'type', 'collection',
	         'entry', jsonb_build_array(jsonb_build_object('fullUrl', 'resource:0',
	           'resource', jsonb_build_object('resourceType', 'Patient',
	             'name', jsonb_build_array(jsonb_build_object('family', NEW.patient)),
	             'birthDate', '1970-01-01'))) ||
	         jsonb_agg(jsonb_build_object('fullUrl', 'resource:' || n,
	           'resource', jsonb_build_object('resourceType', 'Immunization', 'status', 'completed',
	             'vaccineCode', jsonb_build_object('coding', jsonb_build_array(
	               jsonb_build_object('system', 'http://hl7.org/fhir/sid/cvx', 'code', v.cvx))),
	             'patient', jsonb_build_object('reference', 'resource:0'),
	             'occurrenceDateTime', v.given, 'lotNumber', v.lot)) ORDER BY n))
	  INTO b
	  FROM (SELECT v.*, row_number() OVER (ORDER BY v.id) AS n
	          FROM vaccinations v WHERE v.patient = NEW.patient AND v.id <= NEW.id
	         ORDER BY v.id DESC LIMIT 3) v;
	INSERT INTO cards (vaccination_id, card)
	  SELECT NEW.id, shc_issue(b, c.kid) FROM clinic c;
	RETURN NULL;
END $$;
CREATE TRIGGER vaccinations_issue AFTER INSERT ON vaccinations
  FOR EACH ROW EXECUTE FUNCTION issue_card();
