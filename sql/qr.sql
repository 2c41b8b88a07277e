-- shc:/ numeric QR text (SHC-NOTES section 8): encoding, strict decoding,
-- the deprecated chunks, and every error a user can cause.

-- the spec's character table: '-'->00 '.'->01 '0'->03 'A'->20 'X'->43 '_'->50 'a'->52 'z'->77
SELECT shc_qr_numeric('-.0AX_az');
SELECT shc_qr_decode(ARRAY['shc:/0001032043505277']);

-- a JWS-shaped string round-trips
SELECT shc_qr_decode(ARRAY[shc_qr_numeric('eyJ6aXAiOiJERUYifQ.AbC-_9.xyz')]) = 'eyJ6aXAiOiJERUYifQ.AbC-_9.xyz' AS round_trip;

-- 1195 characters fit one QR code; 1196 do not
SELECT length(shc_qr_numeric(repeat('a', 1195)));
SELECT * FROM regress_error($$SELECT shc_qr_numeric(repeat('a', 1196))$$);

-- chunks: one text when it fits, else ceil(len/1191) balanced chunks
SELECT shc_qr_chunks('abc');
SELECT array_length(shc_qr_chunks(repeat('a', 1195)), 1) AS one;
SELECT array_length(c, 1) AS n, length(c[1]) AS len1, length(c[2]) AS len2,
       left(c[1], 9) AS head1, left(c[2], 9) AS head2
  FROM (SELECT shc_qr_chunks(repeat('a', 1196)) AS c) s;
SELECT array_length(c, 1) AS n, left(c[3], 9) AS head3, length(c[3]) - 9 AS digits3
  FROM (SELECT shc_qr_chunks(repeat('b', 3285)) AS c) s;
-- chunks decode in any order
SELECT shc_qr_decode(ARRAY[c[3], c[1], c[2]]) = repeat('b', 3285) AS any_order
  FROM (SELECT shc_qr_chunks(repeat('b', 3285)) AS c) s;

-- encoding errors
\pset format unaligned
SELECT * FROM regress_error($$SELECT shc_qr_numeric('')$$);
SELECT * FROM regress_error($$SELECT shc_qr_numeric('abc def')$$);
SELECT * FROM regress_error($$SELECT shc_qr_numeric('abc=')$$);
SELECT * FROM regress_error($$SELECT shc_qr_numeric(E'abc\u00e9')$$);
SELECT * FROM regress_error($$SELECT shc_qr_chunks('a+b')$$);
SELECT * FROM regress_error($$SELECT shc_qr_chunks(repeat('a', 200000))$$);

-- decoding errors
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['SHC:/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/000'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/0078'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/0002'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/00x1'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/00 01'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/' || repeat('52', 1196)])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/1/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/01/2/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/3/2/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/100/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/2/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/2/0001', 'shc:/1/2/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/2/0001', 'shc:/2/3/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/2/0001', 'shc:/0001'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/2/0001', 'shc:/2/2/0099'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/1/2/' || repeat('52', 1192), 'shc:/2/2/52'])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY[]::text[])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/0001', NULL])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY[['shc:/0001'], ['shc:/0001']])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode((SELECT array_agg('shc:/0001'::text) FROM generate_series(1, 100)))$$);

\pset format aligned
-- STRICT: NULL in, NULL out
SELECT shc_qr_numeric(NULL) IS NULL AS n1, shc_qr_decode(NULL) IS NULL AS n2,
       shc_qr_chunks(NULL) IS NULL AS n3;
