#!/usr/bin/env bash
# Tier "x5c": shc_x5c_check on certificate chains made here with the
# openssl CLI (root -> intermediate -> leaf, P-256), one per case: valid,
# wrong SAN URI, DNS-only SAN, no SAN, leaf key not the JWK's, broken chain
# (an intermediate from another root), expired and not yet valid leaves, and
# no trust anchor loaded.  Then the spec example issuer's key, whose 3-cert
# x5c chain is in $SHC_VECTORS (leaf valid 2021-06-01 to 2022-06-01):
# valid inside that window with its root as anchor, expired after it.
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
else
	echo "# SHC_VECTORS not set: the spec example x5c chain is not checked"
	skip=$((skip + 4))
fi

dropdb --if-exists "$db" >/dev/null 2>&1
echo "tier x5c: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
