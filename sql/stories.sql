-- The stories end to end.  Story 1 (DBA): a vaccination row is inserted, a
-- trigger issues the patient's card with every dose on record.  Story 2:
-- a booster issues a NEW card; the first stays as it was and still
-- verifies.  Labs go to their own cards.  Story 3 (analyst): verified
-- content as rows.  Story 4: issuer-side revocation of the first card.

-- the example schema (README "Issuing from relational rows")
CREATE TABLE public.patients (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  family text NOT NULL,
  given text[],
  birth_date date
);
CREATE TABLE public.vaccinations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients,
  cvx text NOT NULL,
  given_on date NOT NULL,
  lot text,
  performer text
);
CREATE TABLE public.lab_results (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients,
  loinc text NOT NULL,
  result_snomed text NOT NULL,
  effective date NOT NULL,
  performer text
);
CREATE TABLE public.cards (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients,
  source text NOT NULL,
  card text NOT NULL,
  kid text NOT NULL,
  rid text,
  issued_at timestamptz NOT NULL
);

-- one bundle function per kind of card (SHC-NOTES 7: granular sharing)
CREATE FUNCTION public.vaccination_bundle(patient bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT shc_bundle(shc_fhir_patient(p.family, p.given, p.birth_date),
                    ARRAY(SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', v.cvx, v.given_on,
                                                       v.lot, v.performer)
                            FROM vaccinations v WHERE v.patient_id = p.id
                           ORDER BY v.given_on, v.id))
    FROM patients p WHERE p.id = patient
$$;
CREATE FUNCTION public.lab_bundle(patient bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT shc_bundle(shc_fhir_patient(p.family, p.given, p.birth_date),
                    ARRAY(SELECT shc_fhir_observation(l.loinc, l.effective, value_code => l.result_snomed,
                                                      performer => l.performer)
                            FROM lab_results l WHERE l.patient_id = p.id
                           ORDER BY l.effective, l.id))
    FROM patients p WHERE p.id = patient
$$;

-- the issuer: a key made inside the server, its own JWKS trusted by the verifier side
SELECT shc_key_create('https://clinic.example.org/issuer') AS kid \gset
SELECT shc_rid_secret_create('https://clinic.example.org/issuer') AS secret_version;
SELECT shc_trust('https://clinic.example.org/issuer', shc_jwks('https://clinic.example.org/issuer'),
                 'Example Clinic');

-- one CREATE TRIGGER per source table; the issuer URL stands for its newest key
CREATE TRIGGER issue_vaccination_card AFTER INSERT ON vaccinations
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org/issuer', 'vaccination_bundle', 'cards', 'rid');
CREATE TRIGGER issue_lab_card AFTER INSERT ON lab_results
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(:'kid', 'lab_bundle', 'cards');

-- story 1: a patient and a vaccination -> one card, valid, one dose
INSERT INTO patients (family, given, birth_date) VALUES ('Anyperson', ARRAY['John', 'B.'], '1951-01-20');
INSERT INTO vaccinations (patient_id, cvx, given_on, lot, performer)
  VALUES (1, '207', '2021-01-01', '0000001', 'ABC General Hospital');
SELECT count(*) AS cards, bool_and(kid = :'kid') AS signed_with_the_key,
       bool_and(rid ~ '^[A-Za-z0-9_-]{11}$') AS has_rid FROM cards;
SELECT c.id, c.source, v.status, v.iss, (SELECT count(*) FROM shc_immunizations(v.bundle)) AS doses
  FROM cards c, shc_verify(c.card) v ORDER BY c.id;
SELECT card AS first_card FROM cards WHERE id = 1 \gset

-- story 2: a booster (a second later, so the two cards' nbf differ) -> a new card with both doses
SELECT pg_sleep(1.1);
INSERT INTO vaccinations (patient_id, cvx, given_on, lot, performer)
  VALUES (1, '207', '2021-01-29', '0000007', 'ABC General Hospital');
SELECT c.id, v.status, (SELECT count(*) FROM shc_immunizations(v.bundle)) AS doses,
       c.card = :'first_card' AS unchanged
  FROM cards c, shc_verify(c.card) v ORDER BY c.id;
SELECT c.id, i.occurrence_text, i.lot_number, i.performer
  FROM cards c, shc_verify(c.card) v, shc_immunizations(v.bundle) i ORDER BY c.id, i.entry;
SELECT count(DISTINCT rid) AS one_rid_per_patient FROM cards;

-- labs go to their own card
INSERT INTO lab_results (patient_id, loinc, result_snomed, effective, performer)
  VALUES (1, '94558-4', '260385009', '2021-02-17', 'ABC Lab');
SELECT c.source, v.status, (SELECT count(*) FROM shc_immunizations(v.bundle)) AS doses,
       (SELECT count(*) FROM shc_observations(v.bundle)) AS results
  FROM cards c, shc_verify(c.card) v ORDER BY c.id;

-- a second patient with one dose
INSERT INTO patients (family, given, birth_date) VALUES ('Otherperson', ARRAY['Jane'], '1970-05-06');
INSERT INTO vaccinations (patient_id, cvx, given_on, lot) VALUES (2, '208', '2021-04-01', 'X1');

-- story 3: the analyst's query: patients with at least two verified COVID-19
-- doses (CVX 207, 208, 210, 212, 213) from trusted issuers, from the newest card of each patient
SELECT p.name, p.birth_date, count(*) AS covid_doses, min(i.occurrence) AS first_dose
  FROM (SELECT DISTINCT ON (patient_id) card FROM cards WHERE source = 'vaccinations'
         ORDER BY patient_id, issued_at DESC, id DESC) c
  CROSS JOIN LATERAL shc_verify(c.card) v
  CROSS JOIN LATERAL shc_patient(v.bundle) p
  CROSS JOIN LATERAL shc_immunizations(v.bundle) i
 WHERE v.valid AND i.vaccine_system = 'http://hl7.org/fhir/sid/cvx'
   AND i.vaccine_code IN ('207', '208', '210', '212', '213') AND i.status = 'completed'
 GROUP BY p.name, p.birth_date
HAVING count(*) >= 2;

-- story 4: the issuer revokes the first card.  Both cards of patient 1 carry
-- the patient's rid; the CRL entry "rid.<second card's nbf>" revokes only
-- the cards issued before the second one (SHC-NOTES 10).
SELECT shc_revoke(:'kid', c.rid, before => (SELECT (shc_verify(card)).issued_at FROM cards WHERE id = 2)) AS crl_ctr
  FROM cards c WHERE c.id = 1;
SELECT shc_crl(:'kid')->>'method' AS method, (shc_crl(:'kid')->>'ctr')::int AS ctr,
       jsonb_array_length(shc_crl(:'kid')->'rids') AS entries,
       (shc_jwks('https://clinic.example.org/issuer')->'keys'->0->>'crlVersion')::int AS crl_version;
-- the verifier reloads the published JWKS (now with crlVersion) and the CRL
SELECT shc_trust('https://clinic.example.org/issuer', shc_jwks('https://clinic.example.org/issuer'),
                 'Example Clinic');
SELECT shc_trust_crl('https://clinic.example.org/issuer', shc_crl(:'kid'));
SELECT c.id, c.source, v.status, v.reason IS NOT NULL AS has_reason,
       (SELECT count(*) FROM shc_immunizations(v.bundle)) AS doses
  FROM cards c, shc_verify(c.card) v ORDER BY c.id;

-- the trigger's misuse is reported clearly
CREATE TABLE public.bad_source (id int, who bigint);
CREATE TABLE public.bad_source2 (patient_id bigint);
\pset format unaligned
-- CREATE TRIGGER checks the arguments (an event trigger), so a misconfigured
-- trigger never exists
SELECT * FROM regress_error(format($$CREATE TRIGGER t1 AFTER INSERT ON bad_source FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle', 'cards')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t2 BEFORE INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle', 'cards')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t2 AFTER DELETE ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle', 'cards')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t2 AFTER INSERT ON bad_source2 FOR EACH STATEMENT EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle', 'cards')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t3 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t4 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'no_such_function', 'cards')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t4 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'shc_fhir_patient', 'cards')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t5 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle', 'no_such_table')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t5 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle', 'patients')$$, :'kid'));
SELECT * FROM regress_error(format($$CREATE TRIGGER t6 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(%L, 'vaccination_bundle', 'cards', 'yes')$$, :'kid'));
SELECT * FROM regress_error($$CREATE TRIGGER t8 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://nobody.example.org', 'vaccination_bundle', 'cards')$$);
SELECT * FROM regress_error($$CREATE TRIGGER t8 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://nobody.example.org/', 'vaccination_bundle', 'cards')$$);
SELECT * FROM regress_error($$CREATE TRIGGER t8 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('no-such-kid', 'vaccination_bundle', 'cards')$$);
SELECT count(*) AS shc_triggers_on_bad_tables FROM pg_trigger WHERE tgrelid IN ('bad_source'::regclass, 'bad_source2'::regclass);
-- patient 99 does not exist: the bundle function returns NULL (found when it fires)
CREATE TRIGGER t7 AFTER INSERT ON bad_source2 FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger(:'kid', 'vaccination_bundle', 'cards');
SELECT * FROM regress_error($$INSERT INTO bad_source2 VALUES (99)$$);
DROP TRIGGER t7 ON bad_source2;
SELECT count(*) AS forgotten FROM shc_issue_triggers WHERE table_oid = 'bad_source2'::regclass;
SELECT * FROM regress_error($$SELECT shc_issue_trigger()$$);
-- a failed issue rolls back the insert: no row without its card
SELECT (SELECT count(*) FROM bad_source2) AS rows_kept, (SELECT count(*) FROM cards) AS cards;
SELECT shc_untrust('https://clinic.example.org/issuer');
\pset format aligned
