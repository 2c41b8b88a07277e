-- setup-0.2.0.sql: a database in use with shc 0.2.0 (its API, objects in
-- schema shc): a signing key and a rid secret made in the server, the
-- clinic's own keys trusted, a trigger that issues a card per vaccination
-- row, two patients' cards, one of them revoked with the CRL trusted.
\set ON_ERROR_STOP on
CREATE EXTENSION shc VERSION '0.2.0';
-- the search path 0.2.0's README recommended (0.3.0's puts shc first)
SET search_path = "$user", public, shc;

CREATE TABLE patients (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  family text NOT NULL,
  given text[],
  birth_date date
);
CREATE TABLE vaccinations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients,
  cvx text NOT NULL,
  given_on date NOT NULL,
  lot text
);
CREATE TABLE cards (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients,
  source text NOT NULL,
  card text NOT NULL,
  kid text NOT NULL,
  rid text,
  issued_at timestamptz NOT NULL
);
CREATE FUNCTION vaccination_bundle(patient bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT shc_bundle(shc_fhir_patient(p.family, p.given, p.birth_date),
                    ARRAY(SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', v.cvx, v.given_on, v.lot)
                            FROM vaccinations v WHERE v.patient_id = p.id
                           ORDER BY v.given_on, v.id))
    FROM patients p WHERE p.id = patient
$$;

SELECT shc_key_create('https://clinic.example.org/issuer') AS kid \gset
SELECT shc_rid_secret_create('https://clinic.example.org/issuer');
SELECT shc_trust('https://clinic.example.org/issuer', shc_jwks('https://clinic.example.org/issuer'),
                 'Example Clinic');
CREATE TRIGGER issue_vaccination_card AFTER INSERT ON vaccinations
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org/issuer',
                                                  'vaccination_bundle', 'cards', 'rid');

INSERT INTO patients (family, given, birth_date)
  VALUES ('Anyperson', ARRAY['John', 'B.'], '1951-01-20'),
         ('Otherperson', ARRAY['Jane'], '1970-05-06');
INSERT INTO vaccinations (patient_id, cvx, given_on, lot)
  VALUES (1, '207', '2021-01-01', '0000001'), (2, '208', '2021-04-01', 'X1');

-- patient 2's cards are revoked; the verifier side trusts the new CRL
SELECT shc_revoke(:'kid', (SELECT rid FROM cards WHERE patient_id = 2));
SELECT shc_trust_crl('https://clinic.example.org/issuer', shc_crl(:'kid'));

-- a SMART Health Link with a passcode (five attempts), one wrong guess spent
SELECT shc_link_create(jsonb_build_array((SELECT card FROM cards WHERE patient_id = 1 LIMIT 1)),
                       'https://shl.clinic.example.org/m', passcode => '4711', max_attempts => 5) AS link \gset
SELECT outcome FROM shc_link_manifest(regexp_replace((shc_shlink_decode(:'link')).url, '^.*/', ''),
                                      '{"recipient":"r","passcode":"0000"}');

-- what 0.2.0 says before the update (the tier compares it with after)
SELECT string_agg(c.patient_id || ':' || v.status, ',' ORDER BY c.id) AS before_update
  FROM cards c, shc_verify(c.card) v;
