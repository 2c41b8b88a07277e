-- demo.sql: what test/run-demo.sh shows.
\pset footer off
CREATE EXTENSION shc;
\echo
\echo 'shc' version:
SELECT extversion FROM pg_extension WHERE extname = 'shc';

-- A compact JWS (the spec's example-00 when ../shared/vectors is present,
-- otherwise our synthetic, unsigned sample card test/data/sample-card.jws)
-- through the shc:/ numeric QR text and back.
\set vec `echo "${SHC_VECTORS:-}"`
\set jws `f="$SHC_VECTORS/examples/example-00-d-jws.txt"; if [ -n "$SHC_VECTORS" ] && [ -f "$f" ]; then cat "$f"; else cat "$SHC_ROOT/test/data/sample-card.jws"; fi`
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

-- The QR code as a PNG and the printable card as an SVG.  psql writes the
-- PNG as hex, xxd turns it back into bytes.
\echo
\echo 'the QR code: version, modules per side, and whether it fits one QR code:'
SELECT * FROM shc_qr_info(:'jws');
\pset format unaligned
\pset tuples_only on
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
\echo 'wrote the QR code to demo-out/card.qr.png and demo-out/card.qr.svg, the printable card to demo-out/card.svg'
