#!/usr/bin/env bash
# Tier "web": the issuer's web face (web/server.mjs, docs/web.md) used as
# the world uses it.  The tier starts the service on loopback ports derived
# from PGPORT (SHC_WEB_PORT, default PGPORT+50; the browser page's origin
# PGPORT+51) as a login role that is only a member of shc_link_server, and
# stops it at the end.
#
#  - the role: a member of shc_link_server that cannot read private keys,
#    sign, or read the links' tables;
#  - the independent receiver of the shl tier (test/shl/client.mjs, jose)
#    reads five links through the service;
#  - headless Chromium (Debian's, driven by playwright-core) loads a page
#    from another origin that fetches the JWKS and POSTs to manifests
#    cross-origin (preflighted), decrypts and verifies a card with
#    WebCrypto, sees a wrong passcode and an expired link; the service's
#    access log shows the preflights;
#  - an independent verifier (test/scripts/verify-card.mjs, Node's crypto)
#    verifies a card against the JWKS fetched over HTTP; after shc_revoke
#    the CRL fetched over HTTP revokes it (test/web/revocation.mjs);
#  - the per-client passcode limit answers 429 before the link's counter
#    runs out, for that client only;
#  - load: 200 concurrent receivers for 10 s (SHC_WEB_LOAD_SECONDS) against
#    one manifest and the JWKS: zero errors, the service's database
#    connections (pg_stat_activity) never above its pool size; p50/p99
#    printed as a benchmark line;
#  - hostile requests (test/web/hostile.mjs): clean 4xx, still serving;
#  - two issuers on one path told apart by Host (port PGPORT+53); an
#    instance whose database does not answer gives 503 (PGPORT+52);
#  - the access log never holds a passcode, a link key, a manifest id, a
#    location token or a shlink:/ text;
#  - SIGTERM with an idle keep-alive connection open: the service stops,
#    exit status 0.
# npm packages (web/package-lock.json, test/web/package-lock.json,
# test/shl/package-lock.json) are installed with npm ci on first use;
# without them, or without /usr/bin/chromium, those parts are skipped.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

db=shc_web_tier
role=shc_web_tier_http
port=${SHC_WEB_PORT:-$((PGPORT + 50))}
page_port=$((port + 1))
pool_size=4
work=$(mktemp -d)
chmod 755 "$work"
svc_pid=""
sampler_pid=""
stop_service() {
	if [ -n "$svc_pid" ]; then
		kill "$svc_pid" 2>/dev/null
		wait "$svc_pid" 2>/dev/null
		svc_pid=""
	fi
}
cleanup() {
	stop_service
	if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null; fi
	dropdb --if-exists "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
finish() {
	echo "tier web: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

# --- npm packages ---------------------------------------------------------------
npm_ci() { # dir: install from its package-lock.json unless up to date
	if [ ! -f "$1/node_modules/.package-lock.json" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
		(cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
	fi
}
if ! npm_ci web; then
	echo "npm could not install the service's packages (web/package-lock.json): skipping the tier"
	skip=$((skip + 1))
	finish
fi
have_jose=1
npm_ci test/shl || have_jose=0
have_browser=1
npm_ci test/web || have_browser=0
[ -x "${SHC_CHROMIUM:-/usr/bin/chromium}" ] || have_browser=0

PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db")
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
# the service's role: a member of shc_link_server and nothing else; its
# statements' bind parameters (a passcode) stay out of the server log
if ! "${PSQL[@]}" -c "CREATE EXTENSION shc" -c "CREATE ROLE $role LOGIN IN ROLE shc_link_server" \
	-c "ALTER ROLE $role SET log_parameter_max_length = 0" >/dev/null; then
	notok "the database and the service's role were created"
	finish
fi

# --- the role reads public keys only ------------------------------------------------
denied() { # what, SQL: must fail with "permission denied" as the role
	local out
	out=$(psql -X -q -At -d "$db" -U "$role" -c "$2" 2>&1)
	if grep -q "permission denied" <<<"$out"; then ok "the service's role cannot $1"; else notok "the service's role cannot $1 (got: $out)"; fi
}
denied "read private keys" "SELECT count(*) FROM shc.shc_private_keys"
denied "sign a card" "SELECT shc.shc_issue('{}'::jsonb, 'x')"
denied "create a link" "SELECT shc.shc_link_create('[]'::jsonb, 'https://x.example/shl')"
denied "read the links' table" "SELECT count(*) FROM shc.shc_links"
denied "read the access log" "SELECT count(*) FROM shc.shc_link_access"
is "$(psql -X -q -At -d "$db" -U "$role" -c "SELECT shc.shc_jwks('https://none.example')::text" 2>&1)" '{"keys": []}' \
	"the service's role can read public keys (shc_jwks)"

# --- keys, cards and links made in SQL ---------------------------------------------------
iss=https://issuer.example/clinic
iss_path=/clinic
svc="http://127.0.0.1:$port"
base="$svc/shl"
passcode="correct horse"
attempts=3
"${PSQL[@]}" -v base="$base" -v pass="$passcode" -v attempts="$attempts" -v iss="$iss" >"$work/config.json" <<'SQL'
SELECT shc_key_create(:'iss') AS kid \gset
SELECT shc_trust(:'iss', shc_jwks(:'iss')) AS trusted \gset
CREATE TABLE card AS SELECT shc_issue('{"resourceType":"Bundle","type":"collection","entry":[
  {"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Anyperson","given":["John","B."]}],"birthDate":"1951-01-20"}},
  {"fullUrl":"resource:1","resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-01","lotNumber":"0000001"}}]}'::jsonb,
  :'kid', nbf => '2024-01-01 00:00:00+00', rid => 'MKyCxh7p6uQ') AS jws;
CREATE TABLE links AS SELECT
  shc_link_create(jsonb_build_array(c.jws, '{"contentType":"application/fhir+json","content":{"resourceType":"Patient","name":[{"family":"Anyperson"}]}}'::jsonb),
                  :'base', label => 'John''s records') AS open,
  shc_link_create(jsonb_build_array(c.jws), :'base', passcode => :'pass', max_attempts => :attempts,
                  exp => now() + interval '1 day') AS main,
  shc_link_create(jsonb_build_array(c.jws), :'base', exp => now() + interval '1 day') AS expired,
  shc_link_create(jsonb_build_array(c.jws), :'base', flag => 'U') AS u,
  shc_link_create(jsonb_build_array(c.jws), :'base', flag => 'L', viewer => 'https://viewer.example/#') AS viewer,
  shc_link_create(jsonb_build_array(c.jws), :'base', passcode => :'pass', max_attempts => 100) AS browser,
  shc_link_create(jsonb_build_array(c.jws), :'base', passcode => :'pass', max_attempts => 10) AS limited,
  shc_link_create(jsonb_build_array(c.jws), :'base') AS load
  FROM card c;
-- the "expired" link's time has come
UPDATE shc.shc_links SET exp = now() - interval '1 minute'
 WHERE url = (SELECT (shc_link_decode(expired)).url FROM links);
SELECT jsonb_build_object('links', to_jsonb(l), 'passcode', :'pass', 'attempts', :attempts,
                          'iss', :'iss', 'kid', :'kid', 'card', (SELECT jws FROM card))
  FROM links l;
SQL
if [ ! -s "$work/config.json" ]; then
	notok "keys, a card and links were created in SQL"
	finish
fi
ok "a key, a card with a rid and eight links created in SQL"
jq_() { node -e 'let v=JSON.parse(require("fs").readFileSync(process.argv[1]));for(const k of process.argv[2].split("."))v=v[k];process.stdout.write(typeof v==="string"?v:JSON.stringify(v))' "$work/config.json" "$1"; }
url_of() { node -e 'const t=process.argv[1];process.stdout.write(JSON.parse(Buffer.from(t.slice(t.indexOf("shlink:/")+8),"base64url")).url)' "$(jq_ "links.$1")"; }

# --- the service ------------------------------------------------------------------------
# settings from one config file (the database from the PG* environment)
cat >"$work/web.json" <<JSON
{
  "listen": "127.0.0.1:$port",
  "issuers": ["$iss"],
  "linkPath": "/shl",
  "poolSize": $pool_size,
  "maxBodyBytes": 8192,
  "headersTimeoutMs": 2000,
  "requestTimeoutMs": 4000,
  "passcodeLimit": 6,
  "passcodeWindowS": 600
}
JSON
start_service() {
	PGDATABASE=$db PGUSER=$role SHC_WEB_CONFIG="$work/web.json" node web/server.mjs >>"$work/access.log" 2>>"$work/service.err" &
	svc_pid=$!
	for _ in $(seq 1 100); do
		grep -q '"event":"listening"' "$work/access.log" 2>/dev/null && return 0
		kill -0 "$svc_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
if ! start_service; then
	cat "$work/service.err"
	notok "the service starts on 127.0.0.1:$port"
	finish
fi
ok "the service listens on 127.0.0.1:$port (config file $work/web.json, pool $pool_size)"
health=$(curl -s "$svc/healthz")
check "GET /healthz answers ok ($health)" grep -q '"status":"ok"' <<<"$health"

# JWKS and CRL over HTTP: headers
curl -s -D "$work/jwks.h" -o "$work/jwks.json" "$svc$iss_path/.well-known/jwks.json"
check "jwks.json: 200 application/json" grep -qi '^content-type: application/json' "$work/jwks.h"
check "jwks.json: Access-Control-Allow-Origin: *" grep -qi '^access-control-allow-origin: \*' "$work/jwks.h"
check "jwks.json: Cache-Control public, max-age" grep -qiE '^cache-control: public, max-age=[0-9]+' "$work/jwks.h"
kid=$(jq_ kid)
check "jwks.json: the issuer's key, no private part" node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));process.exit(j.keys.length===1&&j.keys[0].kid===process.argv[2]&&!("d" in j.keys[0])?0:1)' "$work/jwks.json" "$kid"
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' "$work/jwks.h")
is "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$svc$iss_path/.well-known/jwks.json")" 304 "jwks.json: 304 for its ETag"
is "$(curl -s -o /dev/null -w '%{http_code}' "$svc/other/.well-known/jwks.json")" 404 "jwks.json of an issuer the service is not configured for: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' "$svc$iss_path/.well-known/crl/$kid.json")" 404 "crl/<kid>.json of a key without revocations: 404"
other_kid=$("${PSQL[@]}" -c "SELECT shc_key_create('https://other.example')")
is "$(curl -s -o /dev/null -w '%{http_code}' "$svc$iss_path/.well-known/crl/$other_kid.json")" 404 "crl/<kid>.json of another issuer's key: 404"
pre=$(curl -s -o /dev/null -D - -X OPTIONS -H 'Origin: https://viewer.example' -H 'Access-Control-Request-Method: POST' \
	-H 'Access-Control-Request-Headers: content-type' "$(url_of open)")
check "preflight (OPTIONS) of a manifest: 204, allows POST and Content-Type, no-store" \
	bash -c 'grep -q "^HTTP/1.1 204" <<<"$1" && grep -qi "^access-control-allow-methods: .*POST" <<<"$1" && grep -qi "^access-control-allow-headers: content-type" <<<"$1" && grep -qi "^cache-control: no-store" <<<"$1"' _ "$pre"

# --- the independent receiver (jose) reads the links through the service ------------------
if [ "$have_jose" = 1 ]; then
	node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1]));c.jwks=JSON.parse(require("fs").readFileSync(process.argv[2]));require("fs").writeFileSync(process.argv[3],JSON.stringify(c))' \
		"$work/config.json" "$work/jwks.json" "$work/client.json"
	(cd test/shl && PGDATABASE=$db node client.mjs "$work/client.json") >"$work/client.out" 2>&1
	rc=$?
	grep -E '^not ok|^# ' "$work/client.out"
	p=$(grep -c '^ok ' "$work/client.out")
	f=$(grep -c '^not ok ' "$work/client.out")
	pass=$((pass + p))
	fail=$((fail + f))
	echo "# test/shl/client.mjs (jose, JWKS fetched over HTTP) through the service: $p passed, $f failed"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then notok "client.mjs exited $rc"; fi
	if [ "$p" -lt 40 ]; then notok "client.mjs ran only $p checks"; fi
else
	skip=$((skip + 1))
	echo "ok - the jose receiver # SKIP npm could not install jose"
fi

# --- a real browser on another origin ----------------------------------------------------------
if [ "$have_browser" = 1 ]; then
	node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1]));require("fs").writeFileSync(process.argv[2],JSON.stringify({pagePort:+process.argv[3],jwksUrl:process.argv[4],iss:c.iss,passcode:c.passcode,links:{pass:c.links.browser,expired:c.links.expired}}))' \
		"$work/config.json" "$work/browser.json" "$page_port" "$svc$iss_path/.well-known/jwks.json"
	lines_before=$(wc -l <"$work/access.log")
	(cd test/web && timeout 180 node browser.mjs "$work/browser.json") >"$work/browser.out" 2>&1
	rc=$?
	cat "$work/browser.out" | grep -E '^(ok|not ok|#)' || tail -20 "$work/browser.out"
	p=$(grep -c '^ok ' "$work/browser.out")
	f=$(grep -c '^not ok ' "$work/browser.out")
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then notok "browser.mjs exited $rc"; fi
	if [ "$p" -lt 12 ]; then notok "browser.mjs ran only $p checks"; fi
	# what the service saw of the browser: preflights from the page's origin
	tail -n +"$((lines_before + 1))" "$work/access.log" >"$work/browser.log"
	origin="http://localhost:$page_port"
	n_pre=$(grep -c "\"method\":\"OPTIONS\",\"route\":\"link\",\"status\":204,.*\"origin\":\"$origin\"" "$work/browser.log")
	n_post=$(grep -c "\"method\":\"POST\",\"route\":\"link_manifest\",.*\"origin\":\"$origin\"" "$work/browser.log")
	n_401=$(grep -c "\"method\":\"POST\",\"route\":\"link_manifest\",\"status\":401,.*\"origin\":\"$origin\"" "$work/browser.log")
	check "the browser sent CORS preflights (OPTIONS, 204) from $origin before its POSTs ($n_pre preflights, $n_post POSTs, $n_401 answered 401)" \
		test "$n_pre" -ge 1 -a "$n_post" -eq 4 -a "$n_401" -eq 1
	n_jwks=$(grep -c "\"method\":\"GET\",\"route\":\"jwks\",\"status\":200,.*\"origin\":\"$origin\"" "$work/browser.log")
	check "the browser's JWKS fetch carried its Origin ($n_jwks)" test "$n_jwks" -ge 1
else
	skip=$((skip + 1))
	echo "ok - the browser checks # SKIP no /usr/bin/chromium or playwright-core"
fi

# --- an independent verifier over HTTP, then revocation ----------------------------------------
card=$(jq_ card)
node -e 'const [c,j,out]=process.argv.slice(1);const cfg=JSON.parse(require("fs").readFileSync(c));require("fs").writeFileSync(out,JSON.stringify({name:"card via HTTP JWKS",card:cfg.card,jwks:JSON.parse(require("fs").readFileSync(j)),kid:cfg.kid,iss:cfg.iss,nbf:1704067200,exp:null,rid:"MKyCxh7p6uQ",minimized:true,
 bundle:{resourceType:"Bundle",type:"collection",entry:[{fullUrl:"resource:0",resource:{resourceType:"Patient",name:[{family:"Anyperson",given:["John","B."]}],birthDate:"1951-01-20"}},{fullUrl:"resource:1",resource:{resourceType:"Immunization",status:"completed",vaccineCode:{coding:[{system:"http://hl7.org/fhir/sid/cvx",code:"207"}]},patient:{reference:"resource:0"},occurrenceDateTime:"2021-01-01",lotNumber:"0000001"}}]}})+"\n")' \
	"$work/config.json" "$work/jwks.json" "$work/verify.jsonl"
node test/scripts/verify-card.mjs "$work/verify.jsonl" >"$work/verify.out" 2>&1
rc=$?
grep -E '^not ok' "$work/verify.out"
p=$(grep -c '^ok ' "$work/verify.out")
f=$(grep -c '^not ok ' "$work/verify.out")
pass=$((pass + p))
fail=$((fail + f))
echo "# test/scripts/verify-card.mjs against the JWKS fetched over HTTP: $p passed, $f failed"
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then notok "verify-card.mjs exited $rc"; fi
before=$(node test/web/revocation.mjs "$card" "$svc$iss_path")
check "before shc_revoke the verifier finds the card valid, no CRL to fetch ($before)" grep -q '"status":"valid","crlVersion":null' <<<"$before"
ctr=$("${PSQL[@]}" -c "SELECT shc_revoke('$kid', 'MKyCxh7p6uQ')")
after=$(node test/web/revocation.mjs "$card" "$svc$iss_path")
check "after shc_revoke the CRL fetched over HTTP revokes it ($after)" \
	grep -q "\"status\":\"revoked\",\"crlVersion\":$ctr,\"ctr\":$ctr,\"type\":\"application/json\",\"cors\":\"\\*\"" <<<"$after"
"${PSQL[@]}" -c "SELECT shc_revoke('$kid', 'someoneElse')" >/dev/null
"${PSQL[@]}" -c "DELETE FROM shc.shc_revocations WHERE rid = 'MKyCxh7p6uQ'" -c "UPDATE shc.shc_crls SET ctr = ctr + 1" >/dev/null
again=$(node test/web/revocation.mjs "$card" "$svc$iss_path")
check "a CRL without the card's rid leaves it valid ($again)" grep -q '"status":"valid","crlVersion":3' <<<"$again"

# --- the per-client passcode limit --------------------------------------------------------------
limited=$(url_of limited)
codes=$(node -e '
const http = require("node:http");
const [url, from] = process.argv.slice(1);
const one = (pc) => new Promise((res) => {
  const b = JSON.stringify({ recipient: "limit test", passcode: pc });
  const r = http.request(url, { method: "POST", localAddress: from, headers: { "Content-Type": "application/json", "Content-Length": b.length } },
    (s) => { s.resume(); s.on("end", () => res(s.statusCode)); });
  r.end(b);
});
(async () => { const out = []; for (let i = 0; i < 8; i++) out.push(await one("guess " + i)); console.log(out.join(" ")); })();
' "$limited" 127.0.0.3)
is "$codes" "401 401 401 401 401 401 429 429" "one client (127.0.0.3): 6 wrong passcodes answer 401, then 429 before the link's counter runs out"
other=$(node -e '
const http = require("node:http");
const b = JSON.stringify({ recipient: "limit test", passcode: "guess" });
const r = http.request(process.argv[1], { method: "POST", localAddress: "127.0.0.4", headers: { "Content-Type": "application/json", "Content-Length": b.length } },
  (s) => { let d = ""; s.on("data", (c) => d += c); s.on("end", () => console.log(s.statusCode, JSON.parse(d).remainingAttempts)); });
r.end(b);' "$limited")
is "$other" "401 3" "another client (127.0.0.4) is still heard: 401, and the link's counter lost only the 7 attempts that reached it"
right=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.3 -H 'Content-Type: application/json' \
	-d "{\"recipient\":\"limit test\",\"passcode\":\"$passcode\"}" "$limited")
is "$right" 429 "the limited client is refused even with the right passcode until its window ends"
open_code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.3 -H 'Content-Type: application/json' \
	-d '{"recipient":"limit test"}' "$(url_of open)")
is "$open_code" 200 "the limited client still reads links without a passcode"

# --- load -----------------------------------------------------------------------------------------
seconds=${SHC_WEB_LOAD_SECONDS:-10}
PGDATABASE=$db node test/web/sampler.mjs "$role" >"$work/sampler.out" 2>&1 &
sampler_pid=$!
for _ in $(seq 1 100); do grep -q ready "$work/sampler.out" && break; sleep 0.1; done
node test/web/load.mjs "$(url_of load)" "$svc$iss_path/.well-known/jwks.json" 200 "$seconds" >"$work/load.out" 2>&1
rc=$?
kill -TERM "$sampler_pid" 2>/dev/null
wait "$sampler_pid" 2>/dev/null
sampler_pid=""
cat "$work/load.out"
errors=$(sed -n 's/^requests \([0-9]*\) errors \([0-9]*\).*/\2/p' "$work/load.out")
requests=$(sed -n 's/^requests \([0-9]*\) errors.*/\1/p' "$work/load.out")
check "load: 200 receivers for $seconds s, $requests requests, zero errors" test "$rc" -eq 0 -a "${errors:-1}" -eq 0 -a "${requests:-0}" -gt 100
maxconn=$(sed -n 's/^max \([0-9]*\) samples.*/\1/p' "$work/sampler.out")
samples=$(sed -n 's/^max [0-9]* samples \([0-9]*\)/\1/p' "$work/sampler.out")
check "load: the service's database connections never above its pool size (at most $maxconn <= $pool_size in ${samples:-0} samples of pg_stat_activity)" \
	test "${maxconn:-0}" -ge 1 -a "${maxconn:-99}" -le "$pool_size" -a "${samples:-0}" -ge 10
n_ok=$("${PSQL[@]}" -c "SELECT count(*) FROM shc.shc_link_access a JOIN shc.shc_links l USING (link_id) WHERE l.url = '$(url_of load)' AND a.outcome = 'ok'")
is "$n_ok" "$(sed -n 's/.* manifest \([0-9]*\) jwks.*/\1/p' "$work/load.out")" "load: every manifest answer is a row of the access log"

# --- hostile requests -----------------------------------------------------------------------------
main_url=$(url_of open)
cat >"$work/hostile.json" <<JSON
{"port": $port, "linkPath": "/shl", "issPath": "$iss_path", "id": "${main_url##*/}", "kid": "$kid",
 "headersTimeoutMs": 2000, "requestTimeoutMs": 4000, "maxBodyBytes": 8192}
JSON
node test/web/hostile.mjs "$work/hostile.json" >"$work/hostile.out" 2>&1
rc=$?
grep -E '^not ok|^# ' "$work/hostile.out"
p=$(grep -c '^ok ' "$work/hostile.out")
f=$(grep -c '^not ok ' "$work/hostile.out")
pass=$((pass + p))
fail=$((fail + f))
echo "# test/web/hostile.mjs: $p passed, $f failed"
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then notok "hostile.mjs exited $rc"; fi
if [ "$p" -lt 40 ]; then notok "hostile.mjs ran only $p checks"; fi
check "the service survived: still the same process" kill -0 "$svc_pid"
n5=$(grep -c '"status":5[0-9][0-9]' "$work/access.log")
is "$n5" 0 "no request was answered with a 5xx"

# start_bg LOG COMMAND...: start a service instance in the background
# (bg_pid) and wait until it listens; a port that is taken for the moment
# (the loopback ports are also in the ephemeral range of client sockets)
# is tried again, up to three times.
start_bg() {
	local log=$1 attempt
	shift
	for attempt in 1 2 3; do
		"$@" >"$log" 2>&1 &
		bg_pid=$!
		for _ in $(seq 1 100); do
			grep -q '"event":"listening"' "$log" && return 0
			kill -0 "$bg_pid" 2>/dev/null || break
			sleep 0.1
		done
		wait "$bg_pid" 2>/dev/null
		grep -q "cannot listen" "$log" || return 1
		sleep 1
	done
	return 1
}

# --- two issuers on one path, told apart by Host ----------------------------------------------------
"${PSQL[@]}" -c "SELECT shc_key_create('https://a.example/clinic')" -c "SELECT shc_key_create('https://b.example/clinic')" >/dev/null
start_bg "$work/two.log" env PGDATABASE=$db PGUSER=$role SHC_WEB_LISTEN=127.0.0.1:$((port + 3)) \
	SHC_WEB_ISSUERS="https://a.example/clinic, https://b.example/clinic" node web/server.mjs
two_pid=$bg_pid
two="http://127.0.0.1:$((port + 3))/clinic/.well-known/jwks.json"
kid_a=$(curl -s -H 'Host: a.example' "$two" | node -pe 'JSON.parse(require("fs").readFileSync(0)).keys[0].kid' 2>/dev/null)
kid_b=$(curl -s -H 'Host: b.example' "$two" | node -pe 'JSON.parse(require("fs").readFileSync(0)).keys[0].kid' 2>/dev/null)
want_a=$("${PSQL[@]}" -c "SELECT kid FROM shc_keys WHERE iss = 'https://a.example/clinic'")
want_b=$("${PSQL[@]}" -c "SELECT kid FROM shc_keys WHERE iss = 'https://b.example/clinic'")
is "$kid_a/$kid_b" "$want_a/$want_b" "two issuers under /clinic: Host a.example and b.example get their own keys"
is "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: c.example' "$two")" 404 "and a third host gets 404"
kill -TERM "$two_pid"
wait "$two_pid"

# --- no database: 503, not a hang or a crash -----------------------------------------------------
# a second instance whose database does not answer (nothing listens on its port)
start_bg "$work/nodb.log" env PGHOST=127.0.0.1 PGPORT=9 PGDATABASE=$db PGUSER=$role SHC_WEB_LISTEN=127.0.0.1:$((port + 2)) \
	SHC_WEB_ISSUERS=$iss SHC_WEB_POOL_WAIT_MS=1000 node web/server.mjs || cat "$work/nodb.log"
nodb_pid=$bg_pid
nodb=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((port + 2))/healthz")
hdr=$(curl -s -D - -o /dev/null "http://127.0.0.1:$((port + 2))$iss_path/.well-known/jwks.json")
kill -TERM "$nodb_pid"
wait "$nodb_pid"
nodb_rc=$?
check "without a database: /healthz 503, jwks.json 503 with Retry-After, and a clean stop ($nodb, rc $nodb_rc)" \
	bash -c '[ "$1" = 503 ] && grep -q "^HTTP/1.1 503" <<<"$2" && grep -qi "^retry-after: 1" <<<"$2" && [ "$3" = 0 ]' _ "$nodb" "$hdr" "$nodb_rc"

# --- graceful shutdown ------------------------------------------------------------------------------
# an idle keep-alive connection must not hold the service up
node -e '
const http = require("node:http");
const agent = new http.Agent({ keepAlive: true });
http.get(process.argv[1], { agent }, (r) => { r.resume(); r.on("end", () => { console.log("idle"); setTimeout(() => {}, 20000); }); })
  .on("error", () => {});
' "$svc/healthz" >"$work/idle.out" &
idle_pid=$!
for _ in $(seq 1 100); do grep -q idle "$work/idle.out" && break; sleep 0.1; done
check "an idle keep-alive connection is open" grep -q idle "$work/idle.out"
t0=$(date +%s%N)
kill -TERM "$svc_pid"
wait "$svc_pid"
rc=$?
svc_pid=""
ms=$((($(date +%s%N) - t0) / 1000000))
kill "$idle_pid" 2>/dev/null
wait "$idle_pid" 2>/dev/null
check "SIGTERM with an idle keep-alive connection open: exit 0 within 5 s ($rc, $ms ms)" test "$rc" -eq 0 -a "$ms" -lt 5000
check "the access log records the shutdown" grep -q '"event":"stopped"' "$work/access.log"
gone=$(curl -s -o /dev/null -w '%{http_code}' "$svc/healthz")
is "$gone" 000 "nothing listens on the port any more"

# --- the access log ----------------------------------------------------------------------------------
lines=$(grep -c '"route":' "$work/access.log")
check "the access log has one JSON line per request ($lines)" node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
let n = 0;
for (const l of lines) { const o = JSON.parse(l); if (o.route) { n++; for (const k of ["t", "method", "status", "ms", "client"]) if (!(k in o)) process.exit(1); } }
process.exit(n > 500 ? 0 : 1);' "$work/access.log"
"${PSQL[@]}" -c "SELECT manifest_id FROM shc.shc_links UNION ALL SELECT token FROM shc.shc_link_locations" >"$work/secrets"
node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1]));for(const t of Object.values(c.links)){const p=JSON.parse(Buffer.from(t.slice(t.indexOf("shlink:/")+8),"base64url"));console.log(p.key)}' "$work/config.json" >>"$work/secrets"
printf '%s\n%s\nshlink:/\n' "$passcode" "guess " >>"$work/secrets"
n_secrets=$(wc -l <"$work/secrets")
leaks=$(grep -c -F -f "$work/secrets" "$work/access.log" "$work/service.err" | awk -F: '{s += $2} END {print s}')
is "$leaks" 0 "the access log and stderr hold none of $n_secrets secrets (passcodes, link keys, manifest ids, location tokens, shlink:/)"
if [ -s "$work/service.err" ]; then
	notok "the service wrote to stderr: $(head -c 300 "$work/service.err")"
else
	ok "the service wrote nothing to stderr"
fi

finish
