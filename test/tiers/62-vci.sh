#!/usr/bin/env bash
# Tier "vci": the real VCI directory as published ($SHC_VECTORS/vci, see its
# README), loaded with shc_trust_vci_snapshot and shc_trust_vci_directory.
#
#  - a snapshot with one changed byte, or a changed signature, or another
#    certificate, loads nothing (the signature is checked first, and the
#    certificate must be the pinned one: issue 22's self-signed snapshot
#    attack; shc_trust_vci_anchor_set pins another and returns to the shipped);
#  - the real signed snapshot loads 645 of its 651 issuers; the 6 skipped
#    ones and the 10 skipped keys are pinned with their reasons (8 keys of 3
#    issuers have an x5c leaf naming the spec's example issuer: issue 22); the string
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
	echo "tier vci: 0 passed, 0 failed, 28 skipped"
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
check "another certificate is refused: it is not the pinned one" grep -q 'is not the pinned VCI directory certificate' <<<"$got"
is "$(count_dir)" 0 "nothing was loaded by the refused snapshots"

# ---- issue 22: the self-signed snapshot attack ---------------------------------
# A snapshot of the attacker's, signed with the attacker's own self-signed
# certificate, that makes a new issuer of the test key "a" (0.2.0 loaded
# it: the call passed the certificate that checked its own signature).
is "$(q -c "SELECT sha256 FROM shc_vci_anchor WHERE shipped")" \
	"$(openssl x509 -in "$V/vci_snapshot.crt" -outform DER | sha256sum | cut -d' ' -f1)" \
	"the shipped pin is the SHA-256 of the directory's published certificate"
node -e '
const k = require(process.argv[1]).keys.a;
const { d, ...pub } = k;
const jwk = { ...pub, use: "sig", alg: "ES256" };
const c = require("node:crypto");
jwk.kid = c.createHash("sha256").update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest("base64url");
process.stdout.write(JSON.stringify({ directory: "https://attacker.example/vci-issuers.json", time: "2026-01-01T00:00:00Z",
  issuerInfo: [{ issuer: { iss: "https://attacker.example", name: "Attacker" }, keys: [jwk] }] }));' \
	"$SHC_ROOT/test/data/test-keys.json" >"$work/attack.json"
openssl dgst -sha256 -sign "$work/other.key" -out "$work/attack.sig" "$work/attack.json"
check "the attacker's snapshot verifies with the attacker's certificate (openssl)" \
	bash -c "openssl x509 -in '$work/other.crt' -pubkey -noout >'$work/other.pub' &&
	         openssl dgst -sha256 -verify '$work/other.pub' -signature '$work/attack.sig' '$work/attack.json' >/dev/null"
got=$(load "$work/attack.json" "$work/attack.sig" "$work/other.crt")
check "a snapshot signed by a self-signed certificate of the caller's is refused ($(head -n 1 <<<"$got" | cut -c1-90))" \
	grep -q 'is not the pinned VCI directory certificate' <<<"$got"
is "$(q -c "SELECT count(*) FROM shc_trusted_issuer WHERE iss = 'https://attacker.example'")" 0 \
	"the attacker's issuer is not trusted"
# the trust administrator may pin another certificate, and return to the shipped one
other_fp=$(openssl x509 -in "$work/other.crt" -outform DER | sha256sum | cut -d' ' -f1)
is "$(q -c "SELECT shc_trust_vci_anchor_set('$other_fp')")" "$other_fp" "shc_trust_vci_anchor_set pins another certificate"
got=$(load "$work/attack.json" "$work/attack.sig" "$work/other.crt")
is "$got" "ok 1" "a snapshot signed with the pinned certificate loads"
# the pin survives pg_dump and restore (the shipped row comes with CREATE EXTENSION)
dropdb --if-exists "${db}_restored" >/dev/null 2>&1
createdb "${db}_restored"
pg_dump -d "$db" | psql -X -q -v ON_ERROR_STOP=1 -d "${db}_restored" >/dev/null 2>"$work/restore.err"
is "$?|$(psql -X -At -d "${db}_restored" -c "SELECT string_agg(sha256 || ':' || shipped, ' ' ORDER BY shipped) FROM shc_vci_anchor")" \
	"0|$other_fp:false c3e44e40a20e6d54a5ad247e9ddd07763708cec1aa9acd47a408a3cc28f320fb:true" \
	"the pin survives pg_dump and restore beside the shipped row"
dropdb "${db}_restored"
got=$(load "$V/vci_snapshot.json" "$V/vci_snapshot.sig" "$V/vci_snapshot.crt")
check "the published certificate is refused while another one is pinned" grep -q 'is not the pinned VCI directory certificate' <<<"$got"
is "$(q -c "SELECT shc_trust_vci_anchor_set(NULL)")" "$(q -c "SELECT sha256 FROM shc_vci_anchor WHERE shipped")" \
	"shc_trust_vci_anchor_set(NULL) returns to the shipped pin"
q -c "SELECT shc_untrust('https://attacker.example')" -c "DELETE FROM shc_directory_issuer" >/dev/null

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
	"645 6 10" "real snapshot: 645 issuers loaded, 6 issuers and 10 keys skipped"
want='https://fhir.dchstx.org/FHIR-External/api/epic/2021/Security/Open/EcKeys/32001/SHC||none of its keys is usable (see the rows of its keys)
https://fhir.dchstx.org/FHIR-External/api/epic/2021/Security/Open/EcKeys/32001/SHC|nCwM-Wnp2Om2Whzqfbenxp67FnraMzPLqmTAzGfYpJM|wrong coordinate length: "x" has 42 characters and "y" 43; a P-256 coordinate has 43
https://prodsoap1.tgh.org/FHIR/api/epic/2021/Security/Open/EcKeys/32001/SHC||its key list is empty
https://soap.bassett.org/FHIR/api/epic/2021/Security/Open/EcKeys/32001/SHC||none of its keys is usable (see the rows of its keys)
https://soap.bassett.org/FHIR/api/epic/2021/Security/Open/EcKeys/32001/SHC|-IgAJf77qAqSQGRHMXqAik9MDgFc2jk3JiLZQpuSQ2A|wrong coordinate length: "x" has 42 characters and "y" 43; a P-256 coordinate has 43'
# issue 22: keys whose x5c leaf names another issuer are not trusted under
# any policy; in this snapshot 8 keys of 3 issuers carry a leaf naming the
# spec's example issuer (the validator SDK calls that INVALID_KEY_X5C)
x5c_skip="reason = 'x5c san_mismatch (policy ignore): The leaf certificate''s subjectAltName URI \"https://spec.smarthealth.cards/examples/issuer\" is not the issuer.'"
is "$(q -c "SELECT iss, kid, reason FROM result WHERE status <> 'loaded' AND NOT $x5c_skip
              AND iss NOT IN (SELECT iss FROM result WHERE $x5c_skip) ORDER BY iss, kid NULLS FIRST")" \
	"$want" "real snapshot: each skipped issuer and key with its reason"
is "$(q -c "SELECT count(DISTINCT iss) || ' ' || count(*) FROM result WHERE $x5c_skip")" "3 8" \
	"real snapshot: 8 keys of 3 issuers skipped, their x5c leaf naming the spec's example issuer"
is "$(q -c "SELECT count(*) FROM result r WHERE r.kid IS NULL AND r.reason = 'none of its keys is usable (see the rows of its keys)'
              AND r.iss IN (SELECT iss FROM result WHERE $x5c_skip)")" 3 \
	"real snapshot: those 3 issuers have no other usable key"
is "$(q -c "SELECT count(*) FROM shc_trusted_issuer")" 646 "645 directory issuers and the hand-trusted one are trusted"
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
is "$got" "ok 661" "loading the same snapshot again gives the same rows"
is "$(q -c "SELECT count(*) FROM shc_trusted_issuer")" 646 "and the same trust store"
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
is "$(tr '\n' ' ' <"$work/plain.out")" "loaded|2 removed|643 skipped|635 " \
	"the plain directory with two JWKS: 2 loaded, 635 without keys skipped, 643 of the snapshot import removed"
is "$(q -c "SELECT CASE WHEN count(*) > 5 THEN count(*) || ' issuers' ELSE string_agg(iss, ' ' ORDER BY iss) END FROM shc_trusted_issuer")" \
	"$hand_iss https://myvaccinerecord.cdph.ca.gov/creds https://www.hss.gov.nt.ca/covax" \
	"the trust store holds the two and the hand-trusted issuer"
is "$(q -c "SELECT count(*) FROM shc_trusted_key WHERE iss = '$hand_iss'")" 1 "the hand-trusted issuer's key is untouched"

dropdb --if-exists "$db" >/dev/null 2>&1
echo "tier vci: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
