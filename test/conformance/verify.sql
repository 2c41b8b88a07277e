-- Conformance: shc_verify over the spec's example cards (both example
-- sets) with the spec issuer's JWKS and CRL trusted, and the revocation
-- table of the vectors' README.  Runs only when ../shared/vectors is
-- present (SHC_VECTORS).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;
SELECT plan(29);

\set v `echo "$SHC_VECTORS"`
\set jwks `cat :v/issuer/.well-known/jwks.json`
\set crl `cat :v/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json`
SELECT is(shc_trust('https://spec.smarthealth.cards/examples/issuer', :'jwks'::jsonb, 'SMART Health Cards examples'),
          2, 'the spec JWKS: both keys trusted');
SELECT is(shc_trust_crl('https://spec.smarthealth.cards/examples/issuer', :'crl'::jsonb), 4, 'the spec CRL: four rids');

CREATE TEMP TABLE ex (set text, n text, jws text, qr text, file jsonb);
\set d `echo "$SHC_VECTORS/examples"`
\set h `echo "$SHC_VECTORS/examples-hl7-stu1"`
\set j `cat :d/example-00-d-jws.txt`
\set q `cat :d/example-00-f-qr-code-numeric-value-0.txt`
\set f `cat :d/example-00-e-file.smart-health-card`
INSERT INTO ex VALUES ('examples', '00', :'j', :'q', :'f');
\set j `cat :d/example-01-d-jws.txt`
\set q `cat :d/example-01-f-qr-code-numeric-value-0.txt`
\set f `cat :d/example-01-e-file.smart-health-card`
INSERT INTO ex VALUES ('examples', '01', :'j', :'q', :'f');
\set j `cat :d/example-02-d-jws.txt`
\set f `cat :d/example-02-e-file.smart-health-card`
INSERT INTO ex VALUES ('examples', '02', :'j', NULL, :'f');
\set j `cat :d/example-03-d-jws.txt`
\set q `cat :d/example-03-f-qr-code-numeric-value-0.txt`
\set f `cat :d/example-03-e-file.smart-health-card`
INSERT INTO ex VALUES ('examples', '03', :'j', :'q', :'f');
\set j `cat :h/example-00-d-jws.txt`
\set q `cat :h/example-00-f-qr-code-numeric-value-0.txt`
\set f `cat :h/example-00-e-file.smart-health-card`
INSERT INTO ex VALUES ('hl7', '00', :'j', :'q', :'f');
\set j `cat :h/example-01-d-jws.txt`
\set q `cat :h/example-01-f-qr-code-numeric-value-0.txt`
\set f `cat :h/example-01-e-file.smart-health-card`
INSERT INTO ex VALUES ('hl7', '01', :'j', :'q', :'f');
\set j `cat :h/example-02-d-jws.txt`
\set f `cat :h/example-02-e-file.smart-health-card`
INSERT INTO ex VALUES ('hl7', '02', :'j', NULL, :'f');
\set j `cat :h/example-03-d-jws.txt`
\set q `cat :h/example-03-f-qr-code-numeric-value-0.txt`
\set f `cat :h/example-03-e-file.smart-health-card`
INSERT INTO ex VALUES ('hl7', '03', :'j', :'q', :'f');

-- a time inside each card's validity: one day after its nbf
CREATE TEMP TABLE ev AS
  SELECT ex.*, v.*, to_timestamp((shc_decode(jws)->'payload'->>'nbf')::numeric + 86400) AS inside
    FROM ex, shc_verify(ex.jws, to_timestamp((shc_decode(ex.jws)->'payload'->>'nbf')::numeric + 86400)) v;

-- the revocation table of vectors/README.md: only examples/example-03 is
-- revoked (nbf 1687450764.657 < 1687450765); the HL7 re-signing of the
-- same rid (nbf 1715107763.678) is not
SELECT is(status, CASE WHEN set = 'examples' AND n = '03' THEN 'revoked' ELSE 'valid' END,
          set || ' example-' || n || ': ' || CASE WHEN set = 'examples' AND n = '03' THEN 'revoked' ELSE 'valid' END
              || ' inside its validity')
  FROM ev ORDER BY set, n;
SELECT is(reason, 'The rid "vwAjHdarZuc" is revoked for cards issued before '
                  || to_timestamp(1687450765)::text || ' by revocation list 1 of key "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s".',
          'examples example-03: the reason names the rid, the timestamp and the key')
  FROM ev WHERE set = 'examples' AND n = '03';
-- the claims come out of a valid card
SELECT is(bundle, (shc_decode(jws)->'payload'->'vc'->'credentialSubject'->'fhirBundle'),
          set || ' example-' || n || ': the bundle is the payload''s fhirBundle')
  FROM ev WHERE n = '00' ORDER BY set;
SELECT ok(iss = 'https://spec.smarthealth.cards/examples/issuer' AND types = ARRAY['https://smarthealth.cards#health-card']
          AND fhir_version = '4.0.1' AND rid = 'MKyCxh7p6uQ' AND kid = '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s',
          'examples example-00: iss, types, fhir_version, rid, kid')
  FROM ev WHERE set = 'examples' AND n = '00';
SELECT is(issued_at, to_timestamp(1687450764.656), 'examples example-00: fractional nbf kept to the millisecond')
  FROM ev WHERE set = 'examples' AND n = '00';

-- example-03 of both sets expires (exp checked before revocation)
SELECT is((shc_verify(jws, to_timestamp((shc_decode(jws)->'payload'->>'exp')::numeric + 1))).status, 'expired',
          set || ' example-03: expired after its exp')
  FROM ex WHERE n = '03' ORDER BY set;
SELECT is((shc_verify(jws, '2025-06-01 00:00:00+00')).status, 'expired', set || ' example-03: expired today')
  FROM ex WHERE n = '03' ORDER BY set;

-- the QR text and the .smart-health-card file give the same status
SELECT is((shc_verify(qr, inside)).status, status, set || ' example-' || n || ': shc:/ text verifies the same')
  FROM ev WHERE qr IS NOT NULL AND n IN ('00', '01') ORDER BY set, n;
SELECT is((SELECT array_agg(f.status) FROM shc_verify_file(file, inside) f), ARRAY[status],
          set || ' example-' || n || ': the file verifies the same')
  FROM ev WHERE n IN ('00', '02') ORDER BY set, n;

-- without the CRL, key 3Kfdg (crlVersion 1) cannot vouch for its cards
-- that carry a rid (example-00 has one): no_crl
DELETE FROM shc_trusted_crl;
SELECT is((shc_verify(jws, inside)).status, 'no_crl', 'examples example-00: no_crl without the CRL its key announces')
  FROM ev WHERE set = 'examples' AND n = '00';
SELECT is((shc_verify(jws, inside)).status, 'valid', 'examples example-01: key EBKOr has no crlVersion, still valid')
  FROM ev WHERE set = 'examples' AND n = '01';

SELECT * FROM finish();
ROLLBACK;
