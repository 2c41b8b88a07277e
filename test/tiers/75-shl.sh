#!/usr/bin/env bash
# Tier "shl": SMART Health Links served over HTTP and read by an
# independent receiver.
#
#  - test/shl/server.mjs (Node's http module) answers manifest, location
#    and direct requests by calling shc_link_manifest / shc_link_file /
#    shc_link_direct through psql, as a login role that is only a member
#    of shc_link_server;
#  - test/shl/client.mjs decodes the shlink:/ texts itself, fetches the
#    manifests and files over HTTP, decrypts them with the npm package jose
#    and verifies the cards with jose (ES256) and Node's zlib; a wrong
#    passcode costs an attempt and the link locks at zero; an expired link
#    answers expired; jose encrypts and shc decrypts; every rejection
#    (key length, alg, enc, tag, truncation) on JWEs jose made;
#  - the QR code of a link (shc_qr_png) scans back to the link (zbarimg);
#  - the access log holds every request, by the HTTP layer's role.
# jose comes from npm (test/shl/package-lock.json), installed into
# test/shl/node_modules on first use; without npm the tier is skipped.
# SHC_SHL_HTTP_PORT picks the HTTP port (default: any free port).  The
# HTTP server is stopped on exit.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

db=shc_shl_tier
role=shc_shl_tier_http
work=$(mktemp -d)
chmod 755 "$work"
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	dropdb --if-exists "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# --- jose from npm ------------------------------------------------------------
if [ ! -f test/shl/node_modules/jose/package.json ] ||
	[ test/shl/package-lock.json -nt test/shl/node_modules/.package-lock.json ]; then
	if ! (cd test/shl && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1); then
		echo "npm could not install jose (test/shl/package-lock.json): skipping the HTTP tests"
		echo "tier shl: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
fi

PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db")
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
if ! "${PSQL[@]}" -c "CREATE EXTENSION shc" -c "CREATE ROLE $role LOGIN IN ROLE shc_link_server" >/dev/null; then
	echo "tier shl: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

# --- the HTTP layer -------------------------------------------------------------
PGDATABASE=$db SHL_DB_ROLE=$role SHL_HTTP_PORT=${SHC_SHL_HTTP_PORT:-0} \
	node test/shl/server.mjs >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
	port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$work/server.out")
	[ -n "$port" ] && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$port" ]; then
	cat "$work/server.err"
	notok "the HTTP server started"
	echo "tier shl: $pass passed, $fail failed, $skip skipped"
	exit 1
fi
ok "the HTTP server listens on 127.0.0.1:$port"
base="http://127.0.0.1:$port/shl"

# --- links made in SQL ------------------------------------------------------------
passcode="correct horse"
attempts=3
"${PSQL[@]}" -v base="$base" -v pass="$passcode" -v attempts="$attempts" >"$work/config.json" <<'SQL'
SELECT shc_key_create('https://shl.issuer.example') AS kid \gset
SELECT shc_trust('https://shl.issuer.example', shc_jwks('https://shl.issuer.example')) AS trusted \gset
CREATE TEMP TABLE card AS SELECT shc_issue('{"resourceType":"Bundle","type":"collection","entry":[
  {"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Anyperson","given":["John","B."]}],"birthDate":"1951-01-20"}},
  {"fullUrl":"resource:1","resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-01","lotNumber":"0000001"}}]}'::jsonb,
  (SELECT kid FROM shc_keys WHERE iss = 'https://shl.issuer.example')) AS jws;
CREATE TEMP TABLE links AS SELECT
  shc_link_create(jsonb_build_array(c.jws, '{"contentType":"application/fhir+json","content":{"resourceType":"Patient","name":[{"family":"Anyperson"}]}}'::jsonb),
                  :'base', label => 'John''s records') AS open,
  shc_link_create(jsonb_build_array(c.jws), :'base', passcode => :'pass', max_attempts => :attempts,
                  exp => now() + interval '1 day') AS main,
  shc_link_create(jsonb_build_array(c.jws), :'base', exp => now() + interval '1 day') AS expired,
  shc_link_create(jsonb_build_array(c.jws), :'base', flag => 'U') AS u,
  shc_link_create(jsonb_build_array(c.jws), :'base', flag => 'L', viewer => 'https://viewer.example/#') AS viewer
  FROM card c;
-- the "expired" link's time has come
UPDATE shc.shc_links SET exp = now() - interval '1 minute'
 WHERE url = (SELECT (shc_link_decode(expired)).url FROM links);
SELECT jsonb_build_object('links', to_jsonb(l), 'passcode', :'pass', 'attempts', :attempts,
                          'iss', 'https://shl.issuer.example',
                          'jwks', shc_jwks('https://shl.issuer.example'))
  FROM links l;
SQL
if [ ! -s "$work/config.json" ]; then
	notok "links were created in SQL"
	echo "tier shl: $pass passed, $fail failed, $skip skipped"
	exit 1
fi
ok "five links created in SQL (open, passcode, expired, U, viewer prefix)"

# --- the receiver ------------------------------------------------------------------
(cd test/shl && PGDATABASE=$db node client.mjs "$work/config.json") >"$work/client.out" 2>&1
rc=$?
cat "$work/client.out"
p=$(grep -c '^ok ' "$work/client.out")
f=$(grep -c '^not ok ' "$work/client.out")
pass=$((pass + p))
fail=$((fail + f))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then notok "client.mjs exited $rc"; fi
if [ "$p" -lt 40 ]; then notok "client.mjs ran only $p checks"; fi

# --- the QR code of a link scans back to it ------------------------------------
link=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1])).links.open)' "$work/config.json")
echo "SELECT encode(shc_qr_png(:'link'), 'hex')" | "${PSQL[@]}" -v link="$link" | xxd -r -p >"$work/link.png"
got=$(zbarimg -q --raw "$work/link.png" 2>/dev/null | tr -d '\r\n')
is "$got" "$link" "the QR code of a link (shc_qr_png) scans back to the shlink:/ text"
echo "SELECT shc_qr_svg(:'link')" | "${PSQL[@]}" -v link="$link" >"$work/link.svg"
rsvg-convert -o "$work/link-svg.png" "$work/link.svg" 2>/dev/null
got=$(zbarimg -q --raw "$work/link-svg.png" 2>/dev/null | tr -d '\r\n')
is "$got" "$link" "the SVG QR code of a link scans back too"

# --- the access log ----------------------------------------------------------------
log=$("${PSQL[@]}" -c "SELECT string_agg(DISTINCT db_role::text, ','),
  count(*) FILTER (WHERE outcome = 'unauthorized' AND recipient = 'Mallory'),
  count(*) FILTER (WHERE outcome = 'locked'),
  count(*) FILTER (WHERE outcome = 'expired'),
  count(*) FILTER (WHERE request = 'file' AND outcome = 'ok'),
  count(*) FILTER (WHERE request = 'direct' AND outcome = 'ok')
  FROM shc.shc_link_access")
is "$log" "$role|$attempts|1|1|2|1" "the access log holds every request, made by the HTTP layer's role"
left=$("${PSQL[@]}" -c "SELECT attempts_left FROM shc.shc_links WHERE flag = 'P'")
is "$left" "0" "the passcode link has no attempts left"
if grep -q . "$work/server.err"; then
	notok "the HTTP server logged errors: $(head -c 300 "$work/server.err")"
else
	ok "the HTTP server logged no error"
fi

echo "tier shl: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
