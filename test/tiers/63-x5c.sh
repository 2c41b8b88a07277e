#!/usr/bin/env bash
# Tier "x5c": shc_x5c_check on certificate chains made here with the
# openssl CLI (root -> intermediate -> leaf, P-256), one per case: valid,
# wrong SAN URI, DNS-only SAN, no SAN, leaf key not the JWK's, broken chain
# (an intermediate from another root), expired and not yet valid leaves, and
# no trust anchor loaded.  Then the policies (a leaf over another key or
# naming another issuer fails under every policy, issue 22): keys loaded by a directory
# import, and cards verified by shc_verify (a card signed by the leaf key,
# the key trusted by hand with each case's x5c) under each policy, set
# globally and per issuer; a chain that expires after loading; anchors and
# policy rows changed in the same session.  Then the spec example issuer's
# key, whose 3-cert x5c chain is in $SHC_VECTORS (leaf valid 2021-06-01 to
# 2022-06-01): valid inside that window with its root as anchor, expired
# after it, and the example cards under when_present.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

if ! command -v openssl >/dev/null; then
	echo "openssl not found (Debian package openssl)"
	echo "tier x5c: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=shc_x5c
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
psql -X -q -d "$db" -c "CREATE EXTENSION shc" || { echo "tier x5c: 0 passed, 1 failed, 0 skipped"; exit 1; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@" 2>&1; }

cd "$work"
cat >ca.cnf <<'EOF'
[ ca ]
default_ca = CA_default
[ CA_default ]
database = ./index.txt
new_certs_dir = ./new
serial = ./serial
default_md = sha256
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_uri ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
subjectAltName = URI:https://x5c.example.org
[ leaf_other ]
basicConstraints = critical,CA:false
subjectAltName = URI:https://other.example.org
[ leaf_dns ]
basicConstraints = critical,CA:false
subjectAltName = DNS:x5c.example.org
[ leaf_nosan ]
basicConstraints = critical,CA:false
EOF
mkdir new && touch index.txt && echo 1000 >serial
key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1.key" 2>/dev/null; }
# issue <name> <ca name or -self> <extensions> <start> <end>
issue() {
	openssl req -new -key "$1.key" -subj "/CN=$1" -out "$1.csr" 2>/dev/null
	if [ "$2" = -self ]; then
		openssl ca -batch -config ca.cnf -selfsign -keyfile "$1.key" -in "$1.csr" \
			-startdate "$4" -enddate "$5" -extensions "$3" -out "$1.pem" >/dev/null 2>&1
	else
		openssl ca -batch -config ca.cnf -cert "$2.pem" -keyfile "$2.key" -in "$1.csr" \
			-startdate "$4" -enddate "$5" -extensions "$3" -out "$1.pem" >/dev/null 2>&1
	fi
	openssl x509 -in "$1.pem" -out "$1.pem" 2>/dev/null
}
b64der() { openssl x509 -in "$1.pem" -outform DER | base64 -w0; }
# the JWK of a key: x and y are the 64 bytes after the DER SPKI prefix
jwk() {
	local xy x y
	xy=$(openssl ec -in "$1.key" -pubout -outform DER 2>/dev/null | tail -c 64 | xxd -p | tr -d '\n')
	x=$(xxd -r -p <<<"${xy:0:64}" | base64 -w0 | tr '+/' '-_' | tr -d '=')
	y=$(xxd -r -p <<<"${xy:64:64}" | base64 -w0 | tr '+/' '-_' | tr -d '=')
	printf '{"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","x":"%s","y":"%s"' "$x" "$y"
}

for k in root inter leaf leaf2 other_root other_inter; do key "$k"; done
issue root -self v3_ca 20200101000000Z 20400101000000Z
issue inter root v3_ca 20200101000000Z 20390101000000Z
issue other_root -self v3_ca 20200101000000Z 20400101000000Z
issue other_inter other_root v3_ca 20200101000000Z 20390101000000Z
# each leaf certificate is over key "leaf" (or "leaf2" for the mismatch)
for c in valid other dns nosan expired future broken; do cp leaf.key "leaf_$c.key"; done
cp leaf2.key leaf_mismatch.key
issue leaf_valid inter leaf_uri 20210101000000Z 20380101000000Z
issue leaf_other inter leaf_other 20210101000000Z 20380101000000Z
issue leaf_dns inter leaf_dns 20210101000000Z 20380101000000Z
issue leaf_nosan inter leaf_nosan 20210101000000Z 20380101000000Z
issue leaf_expired inter leaf_uri 20210101000000Z 20220101000000Z
issue leaf_future inter leaf_uri 20370101000000Z 20380101000000Z
issue leaf_broken other_inter leaf_uri 20210101000000Z 20380101000000Z
issue leaf_mismatch inter leaf_uri 20210101000000Z 20380101000000Z
cd "$SHC_ROOT"

base=$(cd "$work" && jwk leaf)
chain() { # chain <leaf> <intermediate>: the x5c array
	printf '["%s","%s"]' "$(cd "$work" && b64der "$1")" "$(cd "$work" && b64der "$2")"
}
# case <name> <jwk> <at> <want status>
check_case() {
	local got
	got=$(q -c "SELECT status || '|' || coalesce(reason, '') FROM shc_x5c_check('$2'::jsonb, 'https://x5c.example.org', '$3')")
	if [ "${got%%|*}" = "$4" ]; then ok "$1: $4${got#*|:+ (${got#*|})}"
	else notok "$1: got '$got', want $4"; fi
}
J() { printf '%s,"x5c":%s}' "$base" "$(chain "$1" "$2")"; }

now=2026-06-01
check_case "no anchor loaded" "$(J leaf_valid inter)" "$now" no_anchor
q -v pem="$(cat "$work/root.pem")" <<<"SELECT shc_trust_anchor_add(:'pem')" >/dev/null
is "$(q -c "SELECT count(*) FROM shc_trust_anchor")" 1 "the root is the one trust anchor"
check_case "no x5c" "$base}" "$now" none
check_case "valid chain" "$(J leaf_valid inter)" "$now" valid
check_case "valid chain with the root included" \
	"$(printf '%s,"x5c":["%s","%s","%s"]}' "$base" "$(cd "$work" && b64der leaf_valid)" "$(cd "$work" && b64der inter)" "$(cd "$work" && b64der root)")" "$now" valid
check_case "wrong SAN URI" "$(J leaf_other inter)" "$now" san_mismatch
check_case "DNS-only SAN" "$(J leaf_dns inter)" "$now" no_uri_san
check_case "no SAN" "$(J leaf_nosan inter)" "$now" no_san
check_case "leaf key is not the JWK's" "$(J leaf_mismatch inter)" "$now" key_mismatch
check_case "broken chain (intermediate of another root)" "$(J leaf_broken other_inter)" "$now" broken_chain
check_case "intermediate missing" "$(printf '%s,"x5c":["%s"]}' "$base" "$(cd "$work" && b64der leaf_valid)")" "$now" broken_chain
check_case "expired leaf" "$(J leaf_expired inter)" "$now" expired
check_case "the expired leaf, checked at a time it was valid" "$(J leaf_expired inter)" 2021-06-01 valid
check_case "leaf not yet valid" "$(J leaf_future inter)" "$now" not_yet_valid
check_case "root not yet valid at the time" "$(J leaf_valid inter)" 2019-06-01 not_yet_valid
check_case "x5c entry not base64 DER" "$base,\"x5c\":[\"bm90IGEgY2VydA==\"]}" "$now" malformed
check_case "x5c not an array" "$base,\"x5c\":\"abc\"}" "$now" malformed

# ---- policies: loading keys through the directory import ------------------
# load <policy> <jwk>: the status of the key's row (skipped) or "loaded"
policy_load() {
	q -v jwk="$2" <<SQL | tail -n 1
SET shc.x5c_policy = '$1';
SELECT coalesce(max(r.status || ': ' || r.reason) FILTER (WHERE r.kid IS NOT NULL), min(r.status))
  FROM (SELECT (:'jwk'::jsonb) || jsonb_build_object('kid', shc_kid(:'jwk'::jsonb)) AS k) s,
       shc_trust_vci_directory('{"participating_issuers": [{"iss": "https://x5c.example.org"}]}',
                               jsonb_build_object('https://x5c.example.org', jsonb_build_object('keys', jsonb_build_array(k))),
                               allow_remove_all => true) r
 WHERE r.iss = 'https://x5c.example.org';
SQL
}
# name | jwk | ignore | when_present | required (the x5c status that skips it, or loaded)
cases=(
	"valid chain|$(J leaf_valid inter)|loaded|loaded|loaded"
	"no x5c|$base}|loaded|loaded|no x5c"
	"wrong SAN|$(J leaf_other inter)|san_mismatch|san_mismatch|san_mismatch"
	"DNS SAN|$(J leaf_dns inter)|loaded|no_uri_san|no_uri_san"
	"no SAN|$(J leaf_nosan inter)|loaded|no_san|no_san"
	"key mismatch|$(J leaf_mismatch inter)|key_mismatch|key_mismatch|key_mismatch"
	"broken chain|$(J leaf_broken other_inter)|loaded|broken_chain|broken_chain"
	"expired|$(J leaf_expired inter)|loaded|expired|expired"
)
pols=(ignore when_present required)
for c in "${cases[@]}"; do
	IFS='|' read -r name jwkv w0 w1 w2 <<<"$c"
	want=("$w0" "$w1" "$w2")
	for i in 0 1 2; do
		got=$(policy_load "${pols[$i]}" "$jwkv")
		if [ "${want[$i]}" = loaded ]; then
			if [ "$got" = loaded ]; then ok "policy ${pols[$i]}, $name: loaded"
			else notok "policy ${pols[$i]}, $name: got '$got', want loaded"; fi
		elif grep -q "^skipped: .*${want[$i]}" <<<"$got"; then
			ok "policy ${pols[$i]}, $name: not loaded (${got#skipped: })"
		else
			notok "policy ${pols[$i]}, $name: got '$got', want skipped for ${want[$i]}"
		fi
	done
done
# a per-issuer policy overrides the setting
got=$(q -c "SELECT shc_x5c_policy_set('https://x5c.example.org', 'required')")
got=$(policy_load ignore "$base}")
check "a per-issuer policy (required) overrides shc.x5c_policy = ignore ($got)" grep -q "^skipped: no x5c" <<<"$got"
q -c "SELECT shc_x5c_policy_set('https://x5c.example.org', NULL)" >/dev/null
is "$(policy_load ignore "$base}")" loaded "the per-issuer policy removed, the setting applies again"

# ---- policies: verifying cards (shc_verify applies the policy) -------------
# A card signed by the leaf key, whose JWK is trusted by hand with
# shc_trust() carrying each case's x5c.  Under each policy, set globally and
# then per issuer (the setting then says something else), the card's status,
# and for bad_x5c the x5c verdict the reason names.
X5C_ISS=https://x5c.example.org
# the private JWK of the leaf key: d is the 32 bytes after the SEC1 prefix
d=$(cd "$work" && openssl ec -in leaf.key -outform DER 2>/dev/null | head -c 39 | tail -c 32 | base64 -w0 | tr '+/' '-_' | tr -d '=')
priv="$base,\"d\":\"$d\"}"
q -c "SELECT shc_untrust('$X5C_ISS')" >/dev/null
card=$(q -v priv="$priv" <<SQL
SELECT shc_issue(shc_bundle(shc_fhir_patient('X5c'), ARRAY[]::jsonb[]), :'priv'::jsonb, '$X5C_ISS', '2025-01-01');
SQL
)
card_2021=$(q -v priv="$priv" <<SQL
SELECT shc_issue(shc_bundle(shc_fhir_patient('X5c'), ARRAY[]::jsonb[]), :'priv'::jsonb, '$X5C_ISS', '2021-06-01');
SQL
)
check "cards signed by the leaf key" test "${card:0:3}" = eyJ -a "${card_2021:0:3}" = eyJ
# verify_policies <jwk> <at>: trust the key with this JWK by hand, then one
# line "status|reason" per policy: ignore, when_present, required set
# globally, then the same set per issuer while the setting says otherwise
verify_policies() {
	q -v jwk="$1" -v card="$card" <<SQL
SET client_min_messages = warning;
SELECT shc_trust('$X5C_ISS', jsonb_build_object('keys', jsonb_build_array(
         :'jwk'::jsonb || jsonb_build_object('kid', shc_kid(:'jwk'::jsonb))))) AS n \gset
SET shc.x5c_policy = 'ignore';
SELECT status || '|' || reason FROM shc_verify(:'card', '$2');
SET shc.x5c_policy = 'when_present';
SELECT status || '|' || reason FROM shc_verify(:'card', '$2');
SET shc.x5c_policy = 'required';
SELECT status || '|' || reason FROM shc_verify(:'card', '$2');
SELECT shc_x5c_policy_set('$X5C_ISS', 'ignore') AS v \gset
SELECT status || '|' || reason FROM shc_verify(:'card', '$2');
SET shc.x5c_policy = 'ignore';
SELECT shc_x5c_policy_set('$X5C_ISS', 'when_present') AS v \gset
SELECT status || '|' || reason FROM shc_verify(:'card', '$2');
SELECT shc_x5c_policy_set('$X5C_ISS', 'required') AS v \gset
SELECT status || '|' || reason FROM shc_verify(:'card', '$2');
SELECT shc_x5c_policy_set('$X5C_ISS', NULL) AS v \gset
SQL
}
# want "<status>[:<x5c verdict>]": valid, or bad_x5c:<verdict>, or bad_x5c:none
verify_want() { # <description> <got line> <want>
	local st=${2%%|*} why=${2#*|} wst=${3%%:*} wx=${3#*:}
	if [ "$st" != "$wst" ]; then
		notok "$1: got '$2', want $wst"
	elif [ "$wst" = bad_x5c ] && [ "$wx" = none ]; then
		if grep -q "fails x5c policy required: no x5c certificate chain\.$" <<<"$why"; then ok "$1: bad_x5c ($why)"
		else notok "$1: reason '$why' does not say the key has no x5c"; fi
	elif [ "$wst" = bad_x5c ]; then
		if grep -qE "^The key \"[^\"]*\" of issuer \"$X5C_ISS\" (fails x5c policy [a-z_]*|contradicts its own x5c certificate, under every x5c policy): x5c $wx: " <<<"$why"; then ok "$1: bad_x5c ($why)"
		else notok "$1: reason '$why' does not name x5c $wx"; fi
	else
		ok "$1: $st"
	fi
}
# name | jwk | ignore | when_present | required
vcases=(
	"valid chain|$(J leaf_valid inter)|valid|valid|valid"
	"no x5c|$base}|valid|valid|bad_x5c:none"
	"wrong SAN|$(J leaf_other inter)|bad_x5c:san_mismatch|bad_x5c:san_mismatch|bad_x5c:san_mismatch"
	"DNS SAN|$(J leaf_dns inter)|valid|bad_x5c:no_uri_san|bad_x5c:no_uri_san"
	"no SAN|$(J leaf_nosan inter)|valid|bad_x5c:no_san|bad_x5c:no_san"
	"key mismatch|$(J leaf_mismatch inter)|bad_x5c:key_mismatch|bad_x5c:key_mismatch|bad_x5c:key_mismatch"
	"broken chain|$(J leaf_broken other_inter)|valid|bad_x5c:broken_chain|bad_x5c:broken_chain"
	"intermediate missing|$(printf '%s,"x5c":["%s"]}' "$base" "$(cd "$work" && b64der leaf_valid)")|valid|bad_x5c:broken_chain|bad_x5c:broken_chain"
	"expired leaf|$(J leaf_expired inter)|valid|bad_x5c:expired|bad_x5c:expired"
	"leaf not yet valid|$(J leaf_future inter)|valid|bad_x5c:not_yet_valid|bad_x5c:not_yet_valid"
	"x5c entry not base64 DER|$base,\"x5c\":[\"bm90IGEgY2VydA==\"]}|valid|bad_x5c:malformed|bad_x5c:malformed"
	"x5c not an array|$base,\"x5c\":\"abc\"}|valid|bad_x5c:malformed|bad_x5c:malformed"
)
for c in "${vcases[@]}"; do
	IFS='|' read -r name jwkv w0 w1 w2 <<<"$c"
	want=("$w0" "$w1" "$w2" "$w0" "$w1" "$w2")
	mapfile -t got < <(verify_policies "$jwkv" "$now")
	if [ "${#got[@]}" -ne 6 ]; then
		notok "verify, $name: expected 6 results, got: ${got[*]}"
		continue
	fi
	for i in 0 1 2 3 4 5; do
		how=$([ "$i" -lt 3 ] && echo "setting" || echo "issuer row")
		verify_want "verify, $how ${pols[$((i % 3))]}, $name" "${got[$i]}" "${want[$i]}"
	done
done

# issue 22: the health-cards-validation-SDK's two x5c cases ("Keys: wrong SAN
# in x5c cert": a good chain whose leaf names another issuer URL; "Keys: key
# and x5c cert mismatch": a leaf over another key), made here, as cards of
# a hand-trusted key, in a session that sets nothing (the default policy
# ignore, no trust anchor needed): neither is valid.
for c in "validator 'wrong SAN in x5c cert'|$(J leaf_other inter)|san_mismatch" \
	"validator 'key and x5c cert mismatch'|$(J leaf_mismatch inter)|key_mismatch"; do
	IFS='|' read -r name jwkv wx <<<"$c"
	got=$(q -v jwk="$jwkv" -v card="$card" <<SQL
SET client_min_messages = warning;
SELECT shc_trust('$X5C_ISS', jsonb_build_object('keys', jsonb_build_array(
         :'jwk'::jsonb || jsonb_build_object('kid', shc_kid(:'jwk'::jsonb))))) AS n \gset
SELECT current_setting('shc.x5c_policy') || '|' || status || '|' || reason FROM shc_verify(:'card', '$now');
SQL
)
	is "${got%%|*}" ignore "$name: the session's policy is the default"
	verify_want "$name, default policy: the card is not valid" "${got#*|}" "bad_x5c:$wx"
done
q -c "SELECT shc_untrust('$X5C_ISS')" >/dev/null

# the chain expires after the key was trusted: shc_verify(card, at) sees it
q -v jwk="$(J leaf_expired inter)" >/dev/null <<SQL
SELECT shc_trust('$X5C_ISS', jsonb_build_object('keys', jsonb_build_array(
         :'jwk'::jsonb || jsonb_build_object('kid', shc_kid(:'jwk'::jsonb)))));
SQL
mapfile -t got < <(q -v card="$card_2021" <<'SQL'
SET shc.x5c_policy = 'when_present';
SELECT status FROM shc_verify(:'card', '2021-12-31 23:59:59+00');
SELECT status || '|' || reason FROM shc_verify(:'card', '2022-01-01 00:00:00+00');
SELECT shc_verify_status(:'card', '2022-06-01');
SELECT string_agg(status, ',') FROM shc_verify_file(shc_file(ARRAY[:'card']), '2022-06-01');
SET shc.x5c_policy = 'ignore';
SELECT status FROM shc_verify(:'card', '2022-06-01');
SQL
)
is "${got[0]}" valid "leaf valid until 2022-01-01: valid a second before its notAfter"
verify_want "leaf valid until 2022-01-01: at its notAfter" "${got[1]}" bad_x5c:expired
is "${got[2]}" bad_x5c "the status-only path (shc_verify_status) agrees"
is "${got[3]}" bad_x5c "shc_verify_file agrees"
is "${got[4]}" valid "under ignore the expired chain is not looked at"
# parallel workers apply the leader's setting (the library loaded before
# the SET, as docs/trust.md says) or the issuer's row: the same verdicts
q -v card="$card_2021" >/dev/null <<'SQL'
CREATE TABLE x5c_scans AS SELECT g AS id, :'card' AS card FROM generate_series(1, 2000) g;
ANALYZE x5c_scans;
SQL
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2; SELECT shc_library_version() AS v \gset"
PQ="SELECT (shc_verify(card, '2022-06-01')).status, count(*) FROM x5c_scans GROUP BY 1"
is "$(q <<<"$PAR
SET shc.x5c_policy = 'when_present';
$PQ")" "bad_x5c|2000" "a parallel plan: every card bad_x5c under the session's when_present"
plan=$(q <<<"$PAR
SET shc.x5c_policy = 'when_present';
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $PQ")
launched=$(sed -nE 's/.*Workers Launched: ([0-9]+).*/\1/p' <<<"$plan" | head -n 1)
is "$([ "${launched:-0}" -ge 1 ] && echo yes || echo no)" yes "parallel workers were launched (${launched:-0})"
q -c "SELECT shc_x5c_policy_set('$X5C_ISS', 'when_present')" >/dev/null
is "$(q <<<"$PAR
$PQ")" "bad_x5c|2000" "a parallel plan: every card bad_x5c under the issuer's row when_present"
q -c "SELECT shc_x5c_policy_set('$X5C_ISS', NULL)" -c "DROP TABLE x5c_scans" >/dev/null

# anchors and the policy row change the verdict in the same session
root_sha=$(q -v pem="$(cat "$work/root.pem")" <<<"SELECT sha256 FROM shc_x509_info(:'pem')")
mapfile -t got < <(q -v jwk="$(J leaf_valid inter)" -v nox5c="$base}" -v card="$card" -v pem="$(cat "$work/root.pem")" <<SQL
SET client_min_messages = warning;
SET shc.x5c_policy = 'when_present';
SELECT shc_trust('$X5C_ISS', jsonb_build_object('keys', jsonb_build_array(
         :'jwk'::jsonb || jsonb_build_object('kid', shc_kid(:'jwk'::jsonb))))) AS n \gset
SELECT status FROM shc_verify(:'card', '$now');
SELECT shc_trust_anchor_remove('$root_sha') AS removed \gset
SELECT status || '|' || reason FROM shc_verify(:'card', '$now');
SELECT shc_trust_anchor_add(:'pem') AS added \gset
SELECT status FROM shc_verify(:'card', '$now');
SELECT shc_trust('$X5C_ISS', jsonb_build_object('keys', jsonb_build_array(
         :'nox5c'::jsonb || jsonb_build_object('kid', shc_kid(:'nox5c'::jsonb))))) AS n \gset
SET shc.x5c_policy = 'required';
SELECT status FROM shc_verify(:'card', '$now');
SELECT shc_x5c_policy_set('$X5C_ISS', 'when_present') AS v \gset
SELECT status FROM shc_verify(:'card', '$now');
SELECT shc_x5c_policy_set('$X5C_ISS', NULL) AS v \gset
SELECT status FROM shc_verify(:'card', '$now');
SQL
)
is "${got[0]}" valid "same session: valid chain, root loaded"
verify_want "same session: the root anchor removed" "${got[1]}" bad_x5c:no_anchor
is "${got[2]}" valid "same session: the root added again"
is "${got[3]}" bad_x5c "same session: the key trusted again without x5c, policy required"
is "${got[4]}" valid "same session: an issuer row when_present overrides the setting required"
is "${got[5]}" bad_x5c "same session: the row removed, the setting applies again"
q -c "SELECT shc_untrust('$X5C_ISS')" >/dev/null

# ---- the spec example issuer's key -----------------------------------------
jwks=${SHC_VECTORS:+$SHC_VECTORS/issuer/.well-known/jwks.json}
if [ -n "$jwks" ] && [ -f "$jwks" ]; then
	spec=$(node -e 'const j = require(process.argv[1]); console.log(JSON.stringify(j.keys.find((k) => k.x5c)))' "$jwks")
	root_pem=$(node -e 'const j = require(process.argv[1]); const c = j.keys.find((k) => k.x5c).x5c;
		console.log("-----BEGIN CERTIFICATE-----\n" + c[c.length - 1].match(/.{1,64}/g).join("\n") + "\n-----END CERTIFICATE-----")' "$jwks")
	iss=https://spec.smarthealth.cards/examples/issuer
	got=$(q -c "SELECT status FROM shc_x5c_check('$spec'::jsonb, '$iss', '2022-01-01')")
	is "$got" broken_chain "spec example key: its chain does not lead to our anchor"
	q -v pem="$root_pem" <<<"SELECT shc_trust_anchor_add(:'pem')" >/dev/null
	is "$(q -c "SELECT status FROM shc_x5c_check('$spec'::jsonb, '$iss', '2022-01-01')")" valid \
		"spec example key: valid on 2022-01-01 with its root as anchor"
	got=$(q -c "SELECT status || '|' || reason FROM shc_x5c_check('$spec'::jsonb, '$iss', '2023-06-22')")
	is "${got%%|*}" expired "spec example key: expired on 2023-06-22 (${got#*|})"
	is "$(q -c "SELECT status FROM shc_x5c_check('$spec'::jsonb, 'https://spec.smarthealth.cards/examples/other', '2022-01-01')")" \
		san_mismatch "spec example key: another issuer URL does not match its SAN"

	# the example cards under when_present, the root as anchor: example-01
	# (key EBKOr..., nbf 2023-06-22) is bad_x5c, its leaf having expired on
	# 2022-06-01; on 2022-01-01 the chain is valid and the card's own nbf
	# decides.  A card signed with that key on 2021-12-01 is valid on
	# 2022-01-01.  example-00 (key 3Kfdg..., no x5c) passes when_present.
	mapfile -t got < <(q -v jwks="$(cat "$jwks")" -v priv="$(cat "$SHC_VECTORS/keys/issuer.jwks.private.json")" \
		-v e1="$(cat "$SHC_VECTORS/examples/example-01-d-jws.txt")" \
		-v h1="$(cat "$SHC_VECTORS/examples-hl7-stu1/example-01-d-jws.txt")" \
		-v e0="$(cat "$SHC_VECTORS/examples/example-00-d-jws.txt")" <<SQL
SET client_min_messages = warning;
SELECT shc_trust('$iss', :'jwks'::jsonb) AS n \gset
SELECT shc_issue(shc_bundle(shc_fhir_patient('Spec'), ARRAY[]::jsonb[]),
                 (SELECT k FROM jsonb_array_elements((:'priv'::jsonb)->'keys') k
                   WHERE k->>'kid' = 'EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw'),
                 '$iss', '2021-12-01') AS fresh \gset
SET shc.x5c_policy = 'when_present';
SELECT status || '|' || reason FROM shc_verify(:'e1', '2023-06-23');
SELECT status || '|' || reason FROM shc_verify(:'h1', '2024-05-08');
SELECT status || '|' || reason FROM shc_verify(:'e1', '2022-01-01');
SELECT status FROM shc_verify(:'fresh', '2022-01-01');
SELECT status || '|' || reason FROM shc_verify(:'fresh', '2022-06-02');
SELECT status FROM shc_verify(:'e0', '2023-06-23');
SET shc.x5c_policy = 'required';
SELECT status FROM shc_verify(:'e0', '2023-06-23');
SET shc.x5c_policy = 'ignore';
SELECT status FROM shc_verify(:'e1', '2023-06-23');
SQL
	)
	X5C_ISS=$iss
	verify_want "spec example-01 under when_present at its issue date" "${got[0]}" bad_x5c:expired
	verify_want "HL7 STU1 example-01 under when_present at its issue date" "${got[1]}" bad_x5c:expired
	is "${got[2]%%|*}" not_yet_valid "spec example-01 on 2022-01-01: the chain passes, the card's nbf decides (${got[2]#*|})"
	is "${got[3]}" valid "a card signed with the example x5c key on 2021-12-01: valid on 2022-01-01 under when_present"
	verify_want "that card on 2022-06-02, after the leaf's notAfter" "${got[4]}" bad_x5c:expired
	check "spec example-00 (no x5c) under when_present: not bad_x5c (${got[5]})" [ "${got[5]}" != bad_x5c ]
	is "${got[6]}" bad_x5c "spec example-00 (no x5c) under required"
	is "${got[7]}" valid "spec example-01 under ignore"
else
	echo "# SHC_VECTORS not set: the spec example x5c chain is not checked"
	skip=$((skip + 12))
fi

dropdb --if-exists "$db" >/dev/null 2>&1
echo "tier x5c: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
