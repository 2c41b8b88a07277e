-- Conformance: the spec examples' JWS <-> shc:/ numeric QR text files,
-- both example sets, including the deprecated 3-chunk split of example-02.
-- Runs only when ../shared/vectors is present (SHC_VECTORS).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;
SELECT plan(20);

\set d `echo "$SHC_VECTORS/examples"`
\set h `echo "$SHC_VECTORS/examples-hl7-stu1"`
CREATE TEMP TABLE ex (set text, n text, jws text, qr0 text, qr1 text, qr2 text);
\set j `cat :d/example-00-d-jws.txt`
\set q `cat :d/example-00-f-qr-code-numeric-value-0.txt`
INSERT INTO ex VALUES ('examples', '00', :'j', :'q');
\set j `cat :d/example-01-d-jws.txt`
\set q `cat :d/example-01-f-qr-code-numeric-value-0.txt`
INSERT INTO ex VALUES ('examples', '01', :'j', :'q');
\set j `cat :d/example-03-d-jws.txt`
\set q `cat :d/example-03-f-qr-code-numeric-value-0.txt`
INSERT INTO ex VALUES ('examples', '03', :'j', :'q');
\set j `cat :h/example-00-d-jws.txt`
\set q `cat :h/example-00-f-qr-code-numeric-value-0.txt`
INSERT INTO ex VALUES ('hl7', '00', :'j', :'q');
\set j `cat :h/example-01-d-jws.txt`
\set q `cat :h/example-01-f-qr-code-numeric-value-0.txt`
INSERT INTO ex VALUES ('hl7', '01', :'j', :'q');
\set j `cat :h/example-03-d-jws.txt`
\set q `cat :h/example-03-f-qr-code-numeric-value-0.txt`
INSERT INTO ex VALUES ('hl7', '03', :'j', :'q');
\set j `cat :d/example-02-d-jws.txt`
\set q0 `cat :d/example-02-f-qr-code-numeric-value-0.txt`
\set q1 `cat :d/example-02-f-qr-code-numeric-value-1.txt`
\set q2 `cat :d/example-02-f-qr-code-numeric-value-2.txt`
INSERT INTO ex VALUES ('examples', '02', :'j', :'q0', :'q1', :'q2');
\set j `cat :h/example-02-d-jws.txt`
\set q0 `cat :h/example-02-f-qr-code-numeric-value-0.txt`
\set q1 `cat :h/example-02-f-qr-code-numeric-value-1.txt`
\set q2 `cat :h/example-02-f-qr-code-numeric-value-2.txt`
INSERT INTO ex VALUES ('hl7', '02', :'j', :'q0', :'q1', :'q2');

-- single QR: encode equals the file, decode gives the JWS (6 x 2)
SELECT is(shc_qr_numeric(jws), qr0, set || ' example-' || n || ': shc_qr_numeric equals the spec file')
  FROM ex WHERE qr1 IS NULL ORDER BY set, n;
SELECT is(shc_qr_decode(ARRAY[qr0]), jws, set || ' example-' || n || ': shc_qr_decode gives the JWS')
  FROM ex WHERE qr1 IS NULL ORDER BY set, n;
-- the same through shc_qr_chunks, which must not chunk a card that fits
SELECT is(shc_qr_chunks(jws), ARRAY[qr0], set || ' example-' || n || ': shc_qr_chunks gives one text')
  FROM ex WHERE qr1 IS NULL AND set = 'examples' ORDER BY n;
-- example-02: the deprecated chunks byte for byte, and back in any order (2 x 2)
SELECT is(shc_qr_chunks(jws), ARRAY[qr0, qr1, qr2], set || ' example-02: shc_qr_chunks equals the three spec files')
  FROM ex WHERE qr1 IS NOT NULL ORDER BY set;
SELECT is(shc_qr_decode(ARRAY[qr2, qr0, qr1]), jws, set || ' example-02: shuffled chunks decode to the JWS')
  FROM ex WHERE qr1 IS NOT NULL ORDER BY set;
-- one chunk left out is an error naming it
SELECT throws_ok(format('SELECT shc_qr_decode(ARRAY[%L, %L])', qr0, qr2), '22023',
                 'invalid set of SMART Health Card QR chunks', 'examples example-02: a missing chunk is rejected')
  FROM ex WHERE qr1 IS NOT NULL AND set = 'examples';

SELECT * FROM finish();
ROLLBACK;
