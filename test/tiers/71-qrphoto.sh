#!/usr/bin/env bash
# Tier "qrphoto": shc_qr_scan() reads QR codes from images inside SQL.
#
#  - shc's own PNGs (shc_qr_png) at module sizes 1 to 8 pixels;
#  - shc's SVGs (shc_qr_svg) rasterized with rsvg-convert at several
#    widths, turned by 90 and 180 degrees and by 30 degrees (an SVG
#    transform), and saved as JPEG at qualities 90, 50 and 20 (ImageMagick);
#  - the spec's example QR SVGs ($SHC_VECTORS), each read back to exactly
#    its f-*.txt text, and example-00 verified with the spec issuer's key;
#  - degraded copies (blur, noise, perspective): the mild ones must read,
#    the strong ones are reported (which are too far gone to read);
#  - a photo of a printed card: shc_card_svg rasterized at phone-camera
#    resolution (3024 pixels across), turned and sheared, saved as JPEG,
#    verifies in one SQL statement.
# ImageMagick work is kept to small images: this tier runs on busy machines.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

for tool in rsvg-convert convert base64; do
	if ! command -v "$tool" >/dev/null; then
		echo "$tool not found (Debian packages librsvg2-bin, imagemagick, coreutils)"
		echo "tier qrphoto: 0 passed, 1 failed, 0 skipped"
		exit 1
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=shc_qrphoto
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
psql -X -q -d "$db" -c "CREATE EXTENSION shc" || { echo "tier qrphoto: 0 passed, 1 failed, 0 skipped"; exit 1; }
IM=(convert -limit thread 1)

# reads "<got>" "<description>": passes when got is the card's QR text
reads() {
	if [ "$1" = "$want" ]; then ok "$2"
	else notok "$2 (got ${#1} characters: $(head -c 80 <<<"$1"))"; fi
}

# the texts shc_qr_scan finds in an image file, one per line
sqlscan() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<SQL
\\set img \`base64 -w0 '$1'\`
SELECT array_to_string(shc_qr_scan(decode(:'img', 'base64')), E'\\n');
SQL
}

# ---- a trusted issuer and a card ---------------------------------------
iss=https://photo.example.org
psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" >"$work/card.jws" 2>"$work/setup.err" <<SQL
SELECT shc_key_create('$iss') \\g /dev/null
SELECT shc_trust('$iss', shc_jwks('$iss'), 'Photo test issuer') \\g /dev/null
SELECT shc_issue('{"resourceType":"Bundle","type":"collection","entry":[
  {"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Photograph","given":["Paula"]}],"birthDate":"1960-02-03"}},
  {"fullUrl":"resource:1","resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-01","performer":[{"actor":{"display":"ABC General Hospital"}}],"lotNumber":"0000001"}}]}'::jsonb,
  (SELECT kid FROM shc_keys WHERE iss = '$iss' LIMIT 1));
SQL
card=$(cat "$work/card.jws")
if [ -z "$card" ]; then
	cat "$work/setup.err"
	echo "tier qrphoto: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
want=$(psql -X -q -At -d "$db" -v card="$card" <<<"SELECT shc_qr_numeric(:'card')")

# ---- shc's own PNGs, in SQL only -----------------------------------------
while IFS='|' read -r px same; do
	if [ "$same" = t ]; then ok "PNG at $px pixel(s) per module reads back"
	else notok "PNG at $px pixel(s) per module reads back (got $same)"; fi
done < <(psql -X -q -At -d "$db" -v card="$card" <<'SQL'
SELECT px, shc_qr_scan(shc_qr_png(:'card', px)) = ARRAY[shc_qr_numeric(:'card')]
  FROM unnest(ARRAY[2, 3, 4, 8]) px ORDER BY px;
SQL
)
# one pixel per module is below what zbar reads reliably: reported only
got=$(psql -X -q -At -d "$db" -v card="$card" <<<"SELECT shc_qr_scan(shc_qr_png(:'card', 1)) = ARRAY[shc_qr_numeric(:'card')]")
echo "# PNG at 1 pixel per module: $([ "$got" = t ] && echo reads || echo 'does not read')"
# a longer card: the synthetic sample card
sample=$(cat test/data/sample-card.jws)
got=$(psql -X -q -At -d "$db" -v card="$sample" <<<"SELECT shc_qr_scan(shc_qr_png(:'card', 2)) = ARRAY[shc_qr_numeric(:'card')]")
is "$got" t "the sample card's PNG reads back"
# every chunk of a card split in three, each its own PNG, decodes to the JWS
got=$(psql -X -q -At -d "$db" -v card="$(printf 'a%.0s' $(seq 1 3000))" <<'SQL'
SELECT shc_qr_decode(array_agg(s ORDER BY s DESC)) = :'card'
  FROM unnest(shc_qr_chunks(:'card')) c, unnest(shc_qr_scan(shc_qr_png(c, 2))) s;
SQL
)
is "$got" t "three chunk PNGs read in any order give back the JWS"

# ---- rasterized SVGs: widths, rotations, JPEG qualities -----------------
psql -X -q -At -d "$db" -v card="$card" <<<"SELECT shc_qr_svg(:'card', 4)" >"$work/qr.svg"
for w in 150 300 600 1200; do
	rsvg-convert -w "$w" -b white "$work/qr.svg" -o "$work/qr-$w.png"
	reads "$(sqlscan "$work/qr-$w.png")" "rasterized SVG, $w pixels wide"
done
for r in 90 180; do
	"${IM[@]}" "$work/qr-600.png" -rotate "$r" "$work/qr-rot$r.png"
	reads "$(sqlscan "$work/qr-rot$r.png")" "rasterized SVG turned by $r degrees"
done
# 30 degrees: an SVG transform, rendered by rsvg-convert
sed -E 's|<svg[^>]*>||; s|</svg>||' "$work/qr.svg" >"$work/qr-inner.txt"
inner=$(sed -n 's|.*viewBox="0 0 \([0-9]*\) .*|\1|p' "$work/qr.svg")
{
	printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="800" height="800">' "$((inner * 3 / 2))" "$((inner * 3 / 2))"
	printf '<rect width="100%%" height="100%%" fill="white"/><g transform="translate(%d %d) rotate(30) translate(%d %d)">' \
		"$((inner * 3 / 4))" "$((inner * 3 / 4))" "$((-inner / 2))" "$((-inner / 2))"
	sed -n 's|.*<svg[^>]*>\(.*\)</svg>.*|\1|p' "$work/qr.svg" | tr -d '\n'
	printf '</g></svg>'
} >"$work/qr-rot30.svg"
rsvg-convert -b white "$work/qr-rot30.svg" -o "$work/qr-rot30.png"
reads "$(sqlscan "$work/qr-rot30.png")" "rasterized SVG turned by 30 degrees"
for q in 90 50 20; do
	"${IM[@]}" "$work/qr-300.png" -quality "$q" "$work/qr-q$q.jpg"
	reads "$(sqlscan "$work/qr-q$q.jpg")" "JPEG at quality $q"
done
"${IM[@]}" "$work/qr-300.png" -interlace JPEG -quality 75 "$work/qr-prog.jpg"
reads "$(sqlscan "$work/qr-prog.jpg")" "progressive JPEG"
# white made transparent: shc_qr_scan puts transparent pixels on white
"${IM[@]}" "$work/qr-300.png" -transparent white "$work/qr-alpha.png"
reads "$(sqlscan "$work/qr-alpha.png")" "PNG with a transparent background"

# ---- degraded copies -----------------------------------------------------
# name | ImageMagick options | must read (1) or is reported only (0)
degrades=(
	"blur 0x1|-blur 0x1|1"
	"blur 0x2|-blur 0x2|1"
	"blur 0x4|-blur 0x4|0"
	"blur 0x6|-blur 0x6|0"
	"noise 0.5|-attenuate 0.5 +noise Gaussian|1"
	"noise 2|-attenuate 2 +noise Gaussian|0"
	"noise 4|-attenuate 4 +noise Gaussian|0"
	"perspective slight|-bordercolor white -border 100 -virtual-pixel white -distort Perspective 100,100,120,110_699,100,680,100_100,699,100,699_699,699,699,680|1"
	"perspective mild|-bordercolor white -border 100 -virtual-pixel white -distort Perspective 100,100,140,120_699,100,660,100_100,699,100,699_699,699,699,660|0"
	"perspective strong|-bordercolor white -border 100 -virtual-pixel white -distort Perspective 100,100,190,140_699,100,620,100_100,699,100,699_699,699,699,600|0"
	"low contrast|-level 0%,100%,1 +level 45%,65%|1"
	"downscale 200 px|-resize 200x200|1"
	"downscale 130 px|-resize 130x130|0"
	"downscale 100 px|-resize 100x100|0"
	"downscale 80 px|-resize 80x80|0"
)
too_far=()
for d in "${degrades[@]}"; do
	IFS='|' read -r name opts must <<<"$d"
	# perspective points are written with _ for spaces
	read -r -a args <<<"${opts//_/ }"
	"${IM[@]}" "$work/qr-600.png" "${args[@]}" "$work/deg.png" 2>/dev/null
	got=$(sqlscan "$work/deg.png")
	if [ "$must" = 1 ]; then
		reads "$got" "degraded ($name) still reads"
	elif [ "$got" = "$want" ]; then
		echo "# degraded ($name): reads"
	else
		echo "# degraded ($name): too far to read (${#got} characters found)"
		too_far+=("$name")
	fi
done
echo "# degraded beyond reading: ${too_far[*]:-none}"

# ---- the spec's example QR images -------------------------------------------
if [ -n "$SHC_VECTORS" ]; then
	for set in examples examples-hl7-stu1; do
		for f in "$SHC_VECTORS/$set"/example-0*-g-qr-code-*.svg; do
			[ -f "$f" ] || continue
			b=$(basename "$f" .svg)
			txt=$(dirname "$f")/${b/-g-qr-code-/-f-qr-code-numeric-value-}.txt
			rsvg-convert -w 500 -b white "$f" -o "$work/spec.png"
			is "$(sqlscan "$work/spec.png")" "$(cat "$txt")" "$set/$b reads as its f-*.txt"
		done
		# example-02's three QR codes, side by side in one image
		if [ -f "$SHC_VECTORS/$set/example-02-g-qr-code-2.svg" ]; then
			for k in 0 1 2; do
				rsvg-convert -w 420 -b white "$SHC_VECTORS/$set/example-02-g-qr-code-$k.svg" -o "$work/c$k.png"
			done
			"${IM[@]}" "$work/c2.png" "$work/c0.png" "$work/c1.png" +append "$work/three.png"
			got=$(psql -X -q -At -d "$db" 2>&1 <<SQL
\\set img \`base64 -w0 '$work/three.png'\`
SELECT cardinality(shc_qr_scan(decode(:'img', 'base64'))),
       shc_qr_decode(shc_qr_scan(decode(:'img', 'base64'))) = '$(cat "$SHC_VECTORS/$set/example-02-d-jws.txt")';
SQL
)
			is "$got" "3|t" "$set/example-02: three QR codes in one image decode to the JWS"
		fi
	done
	# example-00 verifies from its picture with the spec issuer's key
	rsvg-convert -w 500 -b white "$SHC_VECTORS/examples/example-00-g-qr-code-0.svg" -o "$work/ex00.png"
	got=$(psql -X -q -At -d "$db" 2>&1 <<SQL
SELECT shc_trust('https://spec.smarthealth.cards/examples/issuer',
                 '$(cat "$SHC_VECTORS/issuer/.well-known/jwks.json")'::jsonb) \\g /dev/null
SELECT shc_trust_crl('https://spec.smarthealth.cards/examples/issuer',
                     '$(cat "$SHC_VECTORS"/issuer/.well-known/crl/3Kfdg*.json)'::jsonb) \\g /dev/null
\\set img \`base64 -w0 '$work/ex00.png'\`
SELECT (shc_verify(shc_qr_decode(shc_qr_scan(decode(:'img', 'base64'))), '2023-07-01 00:00:00+00')).status;
SQL
)
	is "$got" valid "the spec's example-00 QR image verifies"
else
	echo "# SHC_VECTORS not set: the spec's example QR images are not read"
	skip=$((skip + 14))
fi

# ---- a photo of a printed card ---------------------------------------------
psql -X -q -At -d "$db" -v card="$card" <<<"SELECT shc_card_svg(:'card')" >"$work/card.svg"
vb=$(sed -n 's|.*viewBox="\([^"]*\)".*|\1|p' "$work/card.svg" | head -n 1)
read -r _ _ cw ch <<<"$vb"
{
	# the page turned by 4 degrees and sheared by 3 on a grey desk
	printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s">' "$cw" "$ch"
	printf '<rect width="100%%" height="100%%" fill="#b9b4a8"/>'
	printf '<g transform="translate(%s %s) rotate(4) skewX(3) scale(0.9) translate(%s %s)">' \
		"$(awk -v w="$cw" 'BEGIN{print w/2}')" "$(awk -v h="$ch" 'BEGIN{print h/2}')" \
		"$(awk -v w="$cw" 'BEGIN{print -w/2}')" "$(awk -v h="$ch" 'BEGIN{print -h/2}')"
	sed -n '1h;1!H;${g;s|^.*<svg[^>]*>||;s|</svg>[^<]*$||;p}' "$work/card.svg"
	printf '</g></svg>'
} >"$work/photo.svg"
if rsvg-convert -w 3024 -b '#b9b4a8' "$work/photo.svg" -o "$work/photo.png" 2>"$work/rsvg.err" &&
	"${IM[@]}" "$work/photo.png" -quality 80 "$work/photo.jpg"; then
	size=$(identify -format '%wx%h' "$work/photo.jpg" 2>/dev/null)
	got=$(psql -X -q -At -d "$db" 2>&1 <<SQL
\\set img \`base64 -w0 '$work/photo.jpg'\`
SELECT v.status, v.bundle->'entry'->0->'resource'->'name'->0->>'family'
  FROM shc_verify(shc_qr_decode(shc_qr_scan(decode(:'img', 'base64')))) v;
SQL
)
	is "$got" "valid|Photograph" "a JPEG photo ($size) of the printed card verifies in one statement"
else
	notok "the photo of the printed card could not be made ($(head -c 200 "$work/rsvg.err"))"
fi

dropdb --if-exists "$db" >/dev/null 2>&1
echo "tier qrphoto: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
