-- Scanner text: shc_verify, shc_decode and shc_qr_decode take a card exactly
-- as the spec writes it (lower-case shc:/, no surrounding white space);
-- shc_card_text() normalizes what a scanner or a paste gives, in one call.
SELECT shc_card_text(E'shc:/5676\n') AS trailing_newline,
       shc_card_text(E'  SHC:/5676 \r\n') AS upper_case_crlf,
       shc_card_text(E'\tShC:/5676') AS mixed_case,
       shc_card_text('a.b.c ') AS jws,
       shc_card_text(E'shc:/56 76') AS inner_space_kept,
       shc_card_text(E' \n ') AS blank,
       shc_card_text('SHC:') AS short;
-- the strict functions refuse the raw scanner text, and accept it normalized
SELECT (shc_verify(E'shc:/5676\n')).status AS raw_newline,
       (shc_verify('SHC:/5676')).status AS raw_upper;
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY[E'shc:/5201530154\n'])$$);
SELECT shc_qr_decode(ARRAY[shc_card_text(E'shc:/5201530154\n')]) AS normalized,
       shc_qr_decode(ARRAY[shc_card_text('SHC:/5201530154')]) AS upper;
SELECT * FROM regress_error($$SELECT shc_decode(E'eyJ6aXAiOiJERUYifQ.AbC.xyz\n')$$);
SELECT * FROM regress_error($$SELECT shc_decode(shc_card_text(E'eyJ6aXAiOiJERUYifQ.AbC.xyz\n'))$$);
-- a chunk set pasted line by line
SELECT shc_qr_decode(ARRAY(SELECT shc_card_text(l)
                             FROM regexp_split_to_table(E'  ' || array_to_string(shc_qr_chunks(repeat('q', 2500)), E'\r\n') || E'\n', E'\n') l
                            WHERE btrim(l) <> '')) = repeat('q', 2500) AS pasted_chunks;
-- a signed card pasted with a trailing newline, and its QR text in upper case
\set keys `cat test/data/test-keys.json`
CREATE TEMP TABLE scan_card AS
  SELECT shc_issue(shc_bundle(shc_fhir_patient('Scanner', ARRAY['Sam']), ARRAY[]::jsonb[]),
                   (:'keys'::jsonb)->'keys'->'c', 'https://scanner.example.org',
                   '2024-01-01 00:00:00+00') AS jws;
SELECT shc_trust('https://scanner.example.org',
                 jsonb_build_object('keys', jsonb_build_array(k - 'd' || jsonb_build_object(
                   'use', 'sig', 'alg', 'ES256', 'kid', shc_kid(k - 'd'))))) AS trusted
  FROM (SELECT (:'keys'::jsonb)->'keys'->'c' AS k) s;
SELECT (shc_verify(jws || E'\n', '2024-02-01')).status AS raw,
       (shc_verify(shc_card_text(jws || E'\n'), '2024-02-01')).status AS pasted,
       (shc_verify(shc_card_text(E'\r\n ' || upper(shc_qr_numeric(jws)) || E'\r\n'), '2024-02-01')).status AS upper_qr
  FROM scan_card;
SELECT shc_untrust('https://scanner.example.org') AS untrusted;
DROP TABLE scan_card;
