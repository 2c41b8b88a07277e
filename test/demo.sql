-- demo.sql: what test/run-demo.sh shows.  Story 1 end to end: a clinic's
-- tables, a trigger, a vaccination inserted -> a signed card -> verified ->
-- QR code and printable card written to demo-out/.
\pset footer off
\set ON_ERROR_STOP 1
\set out `echo "$SHC_DEMO_OUT"`
CREATE EXTENSION shc;
\echo
\echo '== shc version'
SELECT extversion FROM pg_extension WHERE extname = 'shc';

\echo
\echo '== the clinic: an issuer key generated inside the server, and its public JWKS'
SELECT shc_key_create('https://clinic.example.org/issuer') AS kid \gset
SELECT shc_rid_secret_create('https://clinic.example.org/issuer') IS NOT NULL AS revocation_secret_created;
SELECT jsonb_pretty(shc_jwks('https://clinic.example.org/issuer')) AS "jwks.json";

-- the clinic's own tables, and one trigger
CREATE TABLE public.patients (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                       family text NOT NULL, given text[], birth_date date);
CREATE TABLE public.vaccinations (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                           patient_id bigint NOT NULL REFERENCES patients,
                           cvx text NOT NULL, given_on date NOT NULL, lot text, performer text);
CREATE TABLE public.cards (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    patient_id bigint NOT NULL REFERENCES patients, source text NOT NULL,
                    card text NOT NULL, kid text NOT NULL, rid text, issued_at timestamptz NOT NULL);
CREATE FUNCTION public.vaccination_bundle(patient bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT shc_bundle(shc_fhir_patient(p.family, p.given, p.birth_date),
                    ARRAY(SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', v.cvx, v.given_on,
                                                       v.lot, v.performer)
                            FROM vaccinations v WHERE v.patient_id = p.id ORDER BY v.given_on, v.id))
    FROM patients p WHERE p.id = patient $$;
CREATE TRIGGER issue_vaccination_card AFTER INSERT ON vaccinations
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org/issuer',
                                                  'vaccination_bundle', 'cards', 'rid');

\echo
\echo '== a patient gets two doses: each INSERT issues a new card holding every dose'
INSERT INTO patients (family, given, birth_date) VALUES ('Anyperson', ARRAY['John', 'B.'], '1951-01-20');
INSERT INTO vaccinations (patient_id, cvx, given_on, lot, performer)
  VALUES (1, '207', '2021-01-01', '0000001', 'ABC General Hospital');
INSERT INTO vaccinations (patient_id, cvx, given_on, lot, performer)
  VALUES (1, '207', '2021-01-29', '0000007', 'ABC General Hospital');
SELECT id, source, length(card) AS jws_chars, left(card, 40) || '...' AS card FROM cards ORDER BY id;

\echo
\echo '== a verifier trusts the clinic (its JWKS, loaded by you: the database fetches nothing) and checks every card'
SELECT shc_trust('https://clinic.example.org/issuer', shc_jwks('https://clinic.example.org/issuer'),
                 'Example Clinic') AS keys_trusted;
SELECT c.id, v.status, v.iss, v.issued_at IS NOT NULL AS has_nbf, v.rid,
       (SELECT count(*) FROM shc_immunizations(v.bundle)) AS doses
  FROM cards c CROSS JOIN LATERAL shc_verify(c.card) v ORDER BY c.id;
\echo
\echo '== the newest card, as an analyst reads it'
SELECT i.* FROM (SELECT card FROM cards ORDER BY id DESC LIMIT 1) c,
       shc_verify(c.card) v, shc_immunizations(v.bundle) i;
\echo
\echo '== a card with one payload character changed is refused, not raised'
SELECT v.status, v.reason
  FROM (SELECT overlay(card placing (CASE substr(card, 200, 1) WHEN 'A' THEN 'B' ELSE 'A' END) FROM 200 FOR 1) AS card
          FROM cards ORDER BY id DESC LIMIT 1) c, shc_verify(c.card) v;

SELECT card AS jws FROM cards ORDER BY id DESC LIMIT 1 \gset
\echo
\echo '== its QR code: shc:/ numeric text, version, modules'
SELECT left(shc_qr_numeric(:'jws'), 50) || '...' AS qr_text, length(shc_qr_numeric(:'jws')) AS chars;
SELECT * FROM shc_qr_info(:'jws');
SELECT shc_qr_decode(ARRAY[shc_qr_numeric(:'jws')]) = :'jws' AS round_trip_jws_shc_jws,
       (shc_verify(shc_qr_numeric(:'jws'))).status AS verified_from_the_qr_text;

\pset format unaligned
\pset tuples_only on
\o :out/card.qr.txt
SELECT shc_qr_numeric(:'jws');
\o :out/card.smart-health-card
SELECT jsonb_pretty(shc_file(ARRAY[:'jws']));
\o :out/card.qr.png.hex
SELECT encode(shc_qr_png(:'jws'), 'hex');
\o :out/card.qr.svg
SELECT shc_qr_svg(:'jws');
\o :out/card.svg
SELECT shc_card_svg(:'jws');
\o
\pset tuples_only off
\pset format aligned
\! xxd -r -p "$SHC_DEMO_OUT/card.qr.png.hex" > "$SHC_DEMO_OUT/card.qr.png" && rm -f "$SHC_DEMO_OUT/card.qr.png.hex"
\echo
\echo 'wrote demo-out/card.qr.png and card.qr.svg (the QR code), card.svg (the printable card),'
\echo 'card.qr.txt (the shc:/ text) and card.smart-health-card (the download file)'

-- With the spec's vectors beside the checkout: their example card against
-- their published keys and revocation list.
\set vec `echo "${SHC_VECTORS:-}"`
\if `[ -n "$SHC_VECTORS" ] && [ -f "$SHC_VECTORS/examples/example-00-d-jws.txt" ] && echo true || echo false`
\echo
\echo '== the spec example-00 card, verified against the spec issuer JWKS and CRL'
\set sjwks `cat "$SHC_VECTORS/issuer/.well-known/jwks.json"`
\set scrl `cat "$SHC_VECTORS/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json"`
\set sjws `cat "$SHC_VECTORS/examples/example-00-d-jws.txt"`
SELECT shc_trust('https://spec.smarthealth.cards/examples/issuer', :'sjwks'::jsonb, 'Spec examples') AS keys_trusted;
SELECT shc_trust_crl('https://spec.smarthealth.cards/examples/issuer', :'scrl'::jsonb) AS crl_entries;
SELECT v.status, v.iss, v.kid, v.rid, p.name FROM shc_verify(:'sjws') v, shc_patient(v.bundle) p;
\echo
\echo '== the spec example-00 card through its shc:/ numeric QR text and back'
\set sqr `cat "$SHC_VECTORS/examples/example-00-f-qr-code-numeric-value-0.txt"`
SELECT left(shc_qr_numeric(:'sjws'), 50) || '...' AS qr_text,
       shc_qr_numeric(:'sjws') = :'sqr' AS equals_the_spec_qr_file,
       shc_qr_decode(ARRAY[shc_qr_numeric(:'sjws')]) = :'sjws' AS round_trip_ok;
\endif
