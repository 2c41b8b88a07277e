#!/usr/bin/env bash
# Tier "qrscan": a real QR reader decodes our images.
#
#  - shc_qr_png output is scanned with zbarimg (zbar-tools) and
#    shc_qr_svg output rasterized with rsvg-convert (librsvg2-bin) and
#    scanned the same way; both must give exactly shc_qr_numeric of the
#    card (or the shc:/ text itself for a chunk).  Cases: JWS-shaped
#    strings of many lengths up to 1195 characters, our synthetic sample
#    card (test/data/sample-card.jws) and, when $SHC_VECTORS is present,
#    the spec's example cards and example-02's three chunks.
#  - the version shc_qr_info reports is the smallest that fits, computed
#    here independently from the level-L capacity table of ISO/IEC 18004,
#    never above 22; example-00 gives version 18, 89 modules.
#  - the printable card (shc_card_svg), rasterized, decodes with zbarimg,
#    and its text holds the holder's name and every dose (date, lot,
#    performer), read from the card independently with Node's zlib.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

for tool in zbarimg rsvg-convert xxd node xmllint; do
	if ! command -v "$tool" >/dev/null; then
		echo "$tool not found (Debian packages zbar-tools, librsvg2-bin, xxd, nodejs, libxml2-utils)"
		echo "tier qrscan: 0 passed, 1 failed, 0 skipped"
		exit 1
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=shc_qrscan
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
psql -X -q -d "$db" -c "CREATE EXTENSION shc" || { echo "tier qrscan: 0 passed, 1 failed, 0 skipped"; exit 1; }

# scan an image file; prints the decoded text (no trailing newline)
scan() { zbarimg -q --raw "$1" 2>/dev/null | head -c 100000 | sed -e '$ s/\r\{0,1\}$//' | tr -d '\n'; }

# A JWS-shaped string of n characters: base64url characters from a fixed
# seed, with two dots.
synthetic() {
	awk -v n="$1" 'BEGIN {
		a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		srand(n); s = "";
		for (i = 1; i <= n; i++)
			s = s ((i == int(n / 4) || i == int(3 * n / 4)) ? "." : substr(a, int(rand() * 64) + 1, 1));
		printf "%s", s }'
}

# ---- cases: name <TAB> card ------------------------------------------------
{
	for n in 5 16 17 30 41 42 77 100 128 200 255 300 400 500 600 700 796 804 \
		900 1000 1050 1100 1150 1180 1190 1194 1195; do
		printf 'synthetic-%04d\t%s\n' "$n" "$(synthetic "$n")"
	done
	printf 'sample-card\t%s\n' "$(cat test/data/sample-card.jws)"
	if [ -n "$SHC_VECTORS" ]; then
		for set in examples examples-hl7-stu1; do
			for f in "$SHC_VECTORS/$set"/example-0[013]-d-jws.txt; do
				[ -f "$f" ] && printf '%s/%s\t%s\n' "$set" "$(basename "$f" -d-jws.txt)" "$(cat "$f")"
			done
			for f in "$SHC_VECTORS/$set"/example-02-f-qr-code-numeric-value-*.txt; do
				[ -f "$f" ] && printf '%s/%s\t%s\n' "$set" "$(basename "$f" .txt)" "$(cat "$f")"
			done
		done
	fi
} >"$work/cases.tsv"
ncases=$(wc -l <"$work/cases.tsv")
if [ -z "$SHC_VECTORS" ]; then
	# 2 sets x (examples 00, 01, 03 and 3 chunks of 02) x 3 checks, and
	# the version-18 check of both example-00
	skip=$((skip + 2 * 6 * 3 + 2))
	echo "# SHC_VECTORS not set: the spec's example cards are not scanned"
fi

psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL || notok "images generated"
CREATE TABLE cases (name text, card text);
\copy cases FROM '$work/cases.tsv'
\copy (SELECT c.name, CASE WHEN c.card LIKE 'shc:/%' THEN c.card ELSE shc_qr_numeric(c.card) END, i.version, i.modules, i.fits_single_qr, encode(shc_qr_png(c.card, 4), 'hex'), encode(convert_to(shc_qr_svg(c.card, 4), 'UTF8'), 'hex') FROM cases c, shc_qr_info(c.card) i ORDER BY c.name) TO '$work/out.tsv'
SQL

# level-L data codewords of versions 1..22 (ISO/IEC 18004 table 7)
cap=(0 19 34 55 80 108 136 156 194 232 274 324 370 428 461 523 589 647 721 795 861 932 1006)
smallest_version() {
	# $1 = shc:/ text: byte segment up to the digits, numeric segment after
	local text=$1 digits hdr v bits ccb ccn
	digits=$(sed -E 's|^shc:/([0-9]+/[0-9]+/)?||' <<<"$text")
	hdr=$((${#text} - ${#digits}))
	for v in $(seq 1 22); do
		if [ "$v" -le 9 ]; then ccb=8 ccn=10; else ccb=16 ccn=12; fi
		bits=$((4 + ccb + 8 * hdr + 4 + ccn + 10 * (${#digits} / 3)))
		case $((${#digits} % 3)) in 1) bits=$((bits + 4)) ;; 2) bits=$((bits + 7)) ;; esac
		if [ "$bits" -le $((8 * cap[v])) ]; then echo "$v"; return; fi
	done
	echo none
}

rows=0
while IFS=$'\t' read -r name text version modules fits png svg; do
	rows=$((rows + 1))
	f="$work/$(tr '/' '_' <<<"$name")"
	xxd -r -p <<<"$png" >"$f.png"
	xxd -r -p <<<"$svg" >"$f.svg"
	check "$name: the QR SVG is well-formed XML (xmllint)" xmllint --noout "$f.svg"
	got=$(scan "$f.png")
	if [ "$got" = "$text" ]; then ok "$name: zbarimg reads the PNG (${#text} characters)"
	else notok "$name: zbarimg reads the PNG (got ${#got} characters, want ${#text})"; fi
	if rsvg-convert -b white "$f.svg" -o "$f.svg.png" 2>/dev/null; then
		got=$(scan "$f.svg.png")
	else
		got="(rsvg-convert failed)"
	fi
	if [ "$got" = "$text" ]; then ok "$name: zbarimg reads the rasterized SVG"
	else notok "$name: zbarimg reads the rasterized SVG (got ${#got} characters)"; fi
	want=$(smallest_version "$text")
	if [ "$fits" = t ] && [ "$version" = "$want" ] && [ "$version" -le 22 ] &&
		[ "$modules" -eq $((17 + 4 * version)) ]; then
		ok "$name: version $version is the smallest that fits ($modules modules)"
	else
		notok "$name: version $version, modules $modules, smallest that fits $want"
	fi
	case $name in
	examples/example-00 | examples-hl7-stu1/example-00)
		if [ "$version" = 18 ] && [ "$modules" = 89 ]; then ok "$name: version 18, 89 modules as the spec's QR"
		else notok "$name: version $version, $modules modules; the spec's QR is version 18, 89 modules"; fi ;;
	esac
done <"$work/out.tsv"
[ "$rows" -eq "$ncases" ] && ok "every case produced images ($rows)" || notok "every case produced images ($rows of $ncases)"

# ---- the printable card ----------------------------------------------------
cat >"$work/card-check.mjs" <<'JS'
// node card-check.mjs <jws file> <svg file>: the card's holder and doses,
// read here with Node's zlib, must all appear as text lines of the SVG.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
const jws = readFileSync(process.argv[2], 'utf8').trim();
const svg = readFileSync(process.argv[3], 'utf8');
const payload = JSON.parse(inflateRawSync(Buffer.from(jws.split('.')[1], 'base64url')));
const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
	.replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const lines = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unxml(m[1]));
const entries = payload.vc.credentialSubject.fhirBundle.entry.map((e) => e.resource);
const want = [];
const pat = entries.find((r) => r.resourceType === 'Patient');
const n = pat.name[0];
want.push(['holder name', n.text ?? [...(n.given ?? []), n.family].join(' ')]);
if (pat.birthDate) want.push(['birth date', pat.birthDate]);
for (const r of entries.filter((r) => r.resourceType === 'Immunization')) {
	want.push(['dose date', r.occurrenceDateTime]);
	if (r.lotNumber) want.push(['dose lot', r.lotNumber]);
	const perf = r.performer?.[0]?.actor?.display;
	if (perf) want.push(['dose performer', perf]);
}
want.push(['issuer', payload.iss]);
// count each line as many times as it is wanted (three doses, three dates)
let bad = 0;
const have = new Map();
for (const l of lines) have.set(l, (have.get(l) ?? 0) + 1);
for (const [what, v] of want) {
	const k = have.get(v) ?? 0;
	if (k > 0) have.set(v, k - 1); else { bad++; console.log(`# missing ${what}: ${v}`); }
}
console.log(`${want.length - bad} ${bad}`);
JS

cards=("sample-card:test/data/sample-card.jws")
if [ -n "$SHC_VECTORS" ]; then
	cards+=("examples/example-00:$SHC_VECTORS/examples/example-00-d-jws.txt"
		"examples-hl7-stu1/example-00:$SHC_VECTORS/examples-hl7-stu1/example-00-d-jws.txt")
else
	skip=$((skip + 4))
fi
for c in "${cards[@]}"; do
	name=${c%%:*}
	jwsf=${c#*:}
	f="$work/card-$(tr '/' '_' <<<"$name")"
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -v card="$(cat "$jwsf")" \
		<<<"SELECT shc_card_svg(:'card')" >"$f.svg" 2>"$f.err" ||
		{ notok "$name: shc_card_svg ($(head -c 200 "$f.err"))"; continue; }
	check "$name: the printable card is well-formed XML (xmllint)" xmllint --noout "$f.svg"
	want=$(psql -X -q -At -d "$db" -v card="$(cat "$jwsf")" <<<"SELECT shc_qr_numeric(:'card')")
	# 1654 pixels across 210 mm: about 200 dpi, as a printer or a camera
	if rsvg-convert -w 1654 -b white "$f.svg" -o "$f.png" 2>/dev/null && [ "$(scan "$f.png")" = "$want" ]; then
		ok "$name: the printable card's QR code decodes with zbarimg"
	else
		notok "$name: the printable card's QR code decodes with zbarimg"
	fi
	read -r good missing < <(node "$work/card-check.mjs" "$jwsf" "$f.svg" | tee "$f.check" | tail -n 1)
	grep '^#' "$f.check"
	if [ "${missing:-1}" = 0 ] && [ "${good:-0}" -gt 0 ]; then
		ok "$name: the card shows the holder, birth date, issuer and every dose ($good items)"
	else
		notok "$name: the card shows the holder, birth date, issuer and every dose ($missing missing)"
	fi
done

# a card and a title carrying characters XML 1.0 forbids (U+FFFE, U+FFFF,
# control characters): the printable card replaces them and stays well-formed
psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" >"$work/hostile.svg" <<'SQL'
SELECT shc_card_svg(shc_issue(shc_bundle(shc_fhir_patient(U&'Ann\FFFE\FFFF' || chr(7) || '<&>', ARRAY[U&'\FFFF'], '1960-01-01'),
         ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-05-01', U&'L\FFFE' || chr(27), U&'Clinic \FFFF')]),
         private_jwk => '{"kty":"EC","crv":"P-256","x":"PQHApUWm94mflvswQgAnfHlETMwJFqjUVSs7WU6LQy4","y":"7mj8IO-8V5VZjDbRVsJINC_Rq5ai5CDhFX18ceRsLWQ","d":"vRyvhpwvbBuGVF3xmzpdvQjNH_IthPq3ehMWqPtlRXQ"}',
         iss => 'https://hostile.example'), U&'Title \FFFE' || chr(1) || chr(11));
SQL
check "a printable card of a card and title with U+FFFE, U+FFFF and control characters is well-formed XML (xmllint)" \
	xmllint --noout "$work/hostile.svg"
check "... and holds none of them" test "$(LC_ALL=C grep -cP '\xef\xbf[\xbe\xbf]|[\x01-\x08\x0b\x0c\x0e-\x1f]' "$work/hostile.svg")" = 0

dropdb --if-exists "$db" >/dev/null 2>&1
echo "tier qrscan: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
