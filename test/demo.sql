-- demo.sql: what test/run-demo.sh shows.
\pset footer off
CREATE EXTENSION shc;
\echo
\echo 'shc' version:
SELECT extversion FROM pg_extension WHERE extname = 'shc';

-- A compact JWS (the spec's example-00 when ../shared/vectors is present,
-- otherwise a JWS-shaped sample) through the shc:/ numeric QR text and back.
\set vec `echo "${SHC_VECTORS:-}"`
\set jws `f="$SHC_VECTORS/examples/example-00-d-jws.txt"; if [ -n "$SHC_VECTORS" ] && [ -f "$f" ]; then cat "$f"; else echo eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiJ9.c2hjLWRlbW8.c2lnbmF0dXJl; fi`
\echo
\echo 'JWS (first 60 characters) and its length:'
SELECT left(:'jws', 60) || '...' AS jws, length(:'jws') AS chars;
\echo
\echo 'shc:/ numeric QR text (first 60 characters) and its length:'
SELECT left(shc_qr_numeric(:'jws'), 60) || '...' AS qr, length(shc_qr_numeric(:'jws')) AS chars;
\echo
\echo 'round trip JWS -> shc:/ -> JWS:'
SELECT shc_qr_decode(ARRAY[shc_qr_numeric(:'jws')]) = :'jws' AS round_trip_ok;
\set out `echo "$SHC_DEMO_OUT"`
\pset format unaligned
\pset tuples_only on
\o :out/card.qr.txt
SELECT shc_qr_numeric(:'jws');
\o
\pset tuples_only off
\pset format aligned
\echo
\echo 'wrote the shc:/ text to demo-out/card.qr.txt'
