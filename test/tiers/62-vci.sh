#!/usr/bin/env bash
# Tier "vci": the real VCI directory as published ($SHC_VECTORS/vci, see its
# README), loaded with shc_trust_vci_snapshot and shc_trust_vci_directory.
#
#  - a snapshot with one changed byte, or a changed signature, or another
#    certificate, loads nothing (the signature is checked first);
#  - the real signed snapshot loads 648 of its 651 issuers; the 3 skipped
#    ones and the 2 skipped keys are pinned with their reasons; the string
#    crlVersion "1" is taken as 1; canonical_iss aliases share their keys;
#  - loading it again changes nothing; the plain directory with the JWKS
#    of two issuers supplied replaces the import (the others are removed);
#    an issuer trusted by hand is never touched.
# The load time is printed, never asserted.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

V=${SHC_VECTORS:+$SHC_VECTORS/vci}
if [ -z "$V" ] || [ ! -f "$V/vci_snapshot.json" ]; then
	echo "# $SHC_VECTORS/vci not present: the real directory is not loaded"
	echo "tier vci: 0 passed, 0 failed, 16 skipped"
	exit 0
fi
if ! command -v openssl >/dev/null; then
	echo "openssl not found (Debian package openssl)"
	echo "tier vci: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=shc_vci
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
quiet_plans "$db"	# the 700 kB snapshot in every nested plan of the import (6 GB of log); public data only
psql -X -q -d "$db" -c "CREATE EXTENSION shc" || { echo "tier vci: 0 passed, 1 failed, 0 skipped"; exit 1; }

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@" 2>&1; }

# tampered copies: one byte of the JSON, one byte of the signature
cp "$V/vci_snapshot.json" "$work/snap-tampered.json"
printf 'X' | dd of="$work/snap-tampered.json" bs=1 seek=300000 conv=notrunc status=none
cp "$V/vci_snapshot.sig" "$work/sig-tampered.sig"
printf '\x01' | dd of="$work/sig-tampered.sig" bs=1 seek=40 conv=notrunc status=none
# another certificate (P-256, made here)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/other.key" \
	-subj /CN=other -days 30 -out "$work/other.crt" 2>/dev/null

# a hand-trusted issuer that no directory lists
hand_iss=https://hand.example.org
q -v keys="$(cat test/data/test-keys.json)" >/dev/null <<SQL
SELECT shc_trust('$hand_iss', jsonb_build_object('keys', jsonb_build_array(k - 'd' ||
         jsonb_build_object('use', 'sig', 'alg', 'ES256', 'kid', shc_kid(k - 'd')))), 'By hand')
  FROM (SELECT (:'keys'::jsonb)->'keys'->'a' AS k) s;
SQL

load() { # load <json> <sig> <crt>: prints the error or "ok <n rows>"
	q <<SQL
\\set snap \`base64 -w0 '$1'\`
\\set sig \`base64 -w0 '$2'\`
\\set crt \`cat '$3'\`
SELECT 'ok ' || count(*) FROM shc_trust_vci_snapshot(decode(:'snap', 'base64'), decode(:'sig', 'base64'), :'crt');
SQL
}
count_dir() { q -c "SELECT count(*) FROM shc_directory_issuer"; }

got=$(load "$work/snap-tampered.json" "$V/vci_snapshot.sig" "$V/vci_snapshot.crt")
check "a snapshot with one changed byte is refused ($(head -n 1 <<<"$got" | cut -c1-90))" grep -q 'signature does not verify' <<<"$got"
is "$(count_dir)" 0 "a tampered snapshot loads nothing"
got=$(load "$V/vci_snapshot.json" "$work/sig-tampered.sig" "$V/vci_snapshot.crt")
check "a changed signature is refused" grep -q 'signature does not verify' <<<"$got"
got=$(load "$V/vci_snapshot.json" "$V/vci_snapshot.sig" "$work/other.crt")
check "another certificate is refused" grep -q 'signature does not verify' <<<"$got"
is "$(count_dir)" 0 "nothing was loaded by the refused snapshots"

# ---- the real snapshot -------------------------------------------------------
start=$(date +%s.%N)
q >"$work/load.out" <<SQL
\\set snap \`base64 -w0 '$V/vci_snapshot.json'\`
\\set sig \`base64 -w0 '$V/vci_snapshot.sig'\`
\\set crt \`cat '$V/vci_snapshot.crt'\`
CREATE TABLE result AS
  SELECT * FROM shc_trust_vci_snapshot(decode(:'snap', 'base64'), decode(:'sig', 'base64'), :'crt');
SQL
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
echo "# load time of the real snapshot: $secs s (651 issuers, 961 keys)"
cat "$work/load.out"
is "$(q -c "SELECT count(*) FILTER (WHERE status = 'loaded' AND kid IS NULL) || ' ' ||
               count(*) FILTER (WHERE status = 'skipped' AND kid IS NULL) || ' ' ||
               count(*) FILTER (WHERE status = 'skipped' AND kid IS NOT NULL) FROM result")" \
	"648 3 2" "real snapshot: 648 issuers loaded, 3 issuers and 2 keys skipped"
want='https://fhir.dchstx.org/FHIR-External/api/epic/2021/Security/Open/EcKeys/32001/SHC||none of its keys is usable (see the rows of its keys)
https://fhir.dchstx.org/FHIR-External/api/epic/2021/Security/Open/EcKeys/32001/SHC|nCwM-Wnp2Om2Whzqfbenxp67FnraMzPLqmTAzGfYpJM|wrong coordinate length: "x" has 42 characters and "y" 43; a P-256 coordinate has 43
https://prodsoap1.tgh.org/FHIR/api/epic/2021/Security/Open/EcKeys/32001/SHC||its key list is empty
https://soap.bassett.org/FHIR/api/epic/2021/Security/Open/EcKeys/32001/SHC||none of its keys is usable (see the rows of its keys)
https://soap.bassett.org/FHIR/api/epic/2021/Security/Open/EcKeys/32001/SHC|-IgAJf77qAqSQGRHMXqAik9MDgFc2jk3JiLZQpuSQ2A|wrong coordinate length: "x" has 42 characters and "y" 43; a P-256 coordinate has 43'
is "$(q -c "SELECT iss, kid, reason FROM result WHERE status <> 'loaded' ORDER BY iss, kid NULLS FIRST")" \
	"$want" "real snapshot: each skipped issuer and key with its reason"
is "$(q -c "SELECT count(*) FROM shc_trusted_issuer")" 649 "648 directory issuers and the hand-trusted one are trusted"
is "$(q -c "SELECT string_agg(DISTINCT crl_version::text, ',') || ' ' || count(*) FROM shc_trusted_key
            WHERE iss = 'https://www.hss.gov.nt.ca/covax'")" "1 3" 'crlVersion "1" (a string) is loaded as 1 on all 3 keys'
is "$(q -c "SELECT count(*) || ' ' || sum(cardinality(rids)) FROM shc_trusted_crl")" "$(node -e '
	const s = require(process.argv[1]);
	let n = 0, r = 0;
	for (const i of s.issuerInfo) if ((i.keys || []).some((k) => k.x.length === 43 && k.y.length === 43))
		for (const c of i.crls || []) { n++; r += c.rids.length; }
	console.log(n + " " + r)' "$V/vci_snapshot.json")" "every CRL of the snapshot is loaded with all its rids"
# aliases: both URLs of each canonical_iss pair trust the same keys
is "$(q -c "SELECT count(*) FILTER (WHERE NOT EXISTS (
              SELECT FROM shc_trusted_key a, shc_trusted_key c
               WHERE a.iss = d.iss AND c.iss = d.canonical_iss AND a.kid = c.kid)) || ' of ' || count(*)
              FROM shc_directory_issuer d WHERE d.canonical_iss IS NOT NULL")" "0 of 6" \
	"each of the 6 canonical_iss aliases shares a key with its canonical issuer"
alias=$(q -c "SELECT iss || ' ' || canonical_iss FROM shc_directory_issuer WHERE canonical_iss IS NOT NULL ORDER BY iss LIMIT 1")
is "$(q -c "SELECT count(DISTINCT iss) FROM shc_trusted_key WHERE kid IN (SELECT kid FROM shc_trusted_key WHERE iss = '${alias%% *}')
            AND iss IN ('${alias%% *}', '${alias#* }')")" 2 "a card's key is found from the alias URL and from the canonical URL"

# ---- again, then replaced by the plain directory -----------------------------
got=$(load "$V/vci_snapshot.json" "$V/vci_snapshot.sig" "$V/vci_snapshot.crt")
is "$got" "ok 653" "loading the same snapshot again gives the same rows"
is "$(q -c "SELECT count(*) FROM shc_trusted_issuer")" 649 "and the same trust store"
q >/dev/null <<SQL
\\set snap \`cat '$V/vci_snapshot.json'\`
CREATE TABLE jwks AS SELECT jsonb_object_agg(i->'issuer'->>'iss', jsonb_build_object('keys', i->'keys')) AS j
  FROM (SELECT i FROM jsonb_array_elements(:'snap'::jsonb->'issuerInfo') i
         WHERE i->'issuer'->>'iss' IN ('https://myvaccinerecord.cdph.ca.gov/creds', 'https://www.hss.gov.nt.ca/covax')) s;
SQL
q >"$work/plain.out" <<SQL
\\set dir \`cat '$V/vci-issuers.json'\`
SELECT status, count(*) FROM jwks, shc_trust_vci_directory(:'dir'::jsonb, j) GROUP BY 1 ORDER BY 1;
SQL
is "$(tr '\n' ' ' <"$work/plain.out")" "loaded|2 removed|646 skipped|635 " \
	"the plain directory with two JWKS: 2 loaded, 635 without keys skipped, 646 of the snapshot import removed"
is "$(q -c "SELECT CASE WHEN count(*) > 5 THEN count(*) || ' issuers' ELSE string_agg(iss, ' ' ORDER BY iss) END FROM shc_trusted_issuer")" \
	"$hand_iss https://myvaccinerecord.cdph.ca.gov/creds https://www.hss.gov.nt.ca/covax" \
	"the trust store holds the two and the hand-trusted issuer"
is "$(q -c "SELECT count(*) FROM shc_trusted_key WHERE iss = '$hand_iss'")" 1 "the hand-trusted issuer's key is untouched"

dropdb --if-exists "$db" >/dev/null 2>&1
echo "tier vci: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
