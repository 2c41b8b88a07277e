#!/usr/bin/env bash
# run-demo.sh: the main job, from a fresh machine.
#
#   bash test/run-demo.sh
#
# Installs missing Debian packages, builds and installs shc, starts a
# scratch PostgreSQL server of its own, creates the extension in a demo
# database and plays the demo in test/demo.sql, writing its files to
# demo-out/.  The server is stopped at the end.
source "$(dirname "$0")/scripts/common.sh"

ensure_packages
pg_bindir >/dev/null
build_install
server_start

OUT="$SHC_ROOT/demo-out"
mkdir -p "$OUT"
export SHC_DEMO_OUT="$OUT"
log "demo"
createdb shc_demo
psql -X -q -v ON_ERROR_STOP=1 -d shc_demo -f "$SHC_ROOT/test/demo.sql"
log "done; files written to $OUT:"
ls -l "$OUT"

# --- the issuer's web face (web/, docs/web.md) ------------------------------
# The demo's issuer key and a Health Link, served by shc-web on loopback as a
# role that is only a member of shc_link_server.  SHC_DEMO_WEB_PORT picks the
# port (default PGPORT+70).  On a terminal the service runs until Enter;
# otherwise the demo fetches both URLs itself and stops it.
log "the issuer's web face"
if ! npm ci --prefix "$SHC_ROOT/web" --omit=dev --no-audit --no-fund --loglevel=error >/dev/null 2>&1; then
	echo "npm could not install web/'s packages (pg): the service is not started"
	exit 0
fi
web_port=${SHC_DEMO_WEB_PORT:-$((PGPORT + 70))}
web="http://127.0.0.1:$web_port"
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d shc_demo -c "DROP ROLE IF EXISTS shc_demo_web" \
	-c "CREATE ROLE shc_demo_web LOGIN IN ROLE shc_link_server" \
	-c "ALTER ROLE shc_demo_web SET log_parameter_max_length = 0"
link=$(psql -X -q -At -v ON_ERROR_STOP=1 -d shc_demo -v base="$web/shl" <<'SQL'
SELECT shc_link_create(jsonb_build_array(
         (SELECT shc_issue(shc_bundle(shc_fhir_patient('Anyperson', ARRAY['John', 'B.'], '1951-01-20'),
                                      ARRAY[shc_fhir_observation('2345-7', '2024-01-01', value_quantity => 98, unit => 'mg/dL')]),
                           (SELECT kid FROM shc_keys WHERE iss = 'https://clinic.example.org/issuer' AND retired_at IS NULL LIMIT 1)))),
       :'base', flag => 'U', label => 'Demo: one lab result')
SQL
)
PGDATABASE=shc_demo PGUSER=shc_demo_web SHC_WEB_LISTEN="127.0.0.1:$web_port" \
	SHC_WEB_ISSUERS=https://clinic.example.org/issuer node "$SHC_ROOT/web/server.mjs" >"$OUT/web-access.log" 2>&1 &
web_pid=$!
stop_web() { kill "$web_pid" 2>/dev/null; wait "$web_pid" 2>/dev/null; server_stop; }
trap stop_web EXIT
curl -sf --retry 30 --retry-connrefused --retry-delay 1 -o /dev/null "$web/healthz"
url=$(psql -X -At -d shc_demo -c "SELECT url FROM shc_link_decode('$link')")
psql -X -At -d shc_demo -c "SELECT encode(shc_qr_png('$link'), 'hex')" | xxd -r -p >"$OUT/link.png"
cat <<TEXT
shc-web listens on $web (access log: $OUT/web-access.log)

  the issuer's keys (JWKS), https://clinic.example.org/issuer served under /issuer:
      $web/issuer/.well-known/jwks.json
  a SMART Health Link (flag U, its QR code in $OUT/link.png):
      $link
  its file, as a receiver fetches it:  $url?recipient=Demo
  or its manifest:  curl -X POST -H 'Content-Type: application/json' -d '{"recipient":"Demo"}' $url
TEXT
if [ -t 0 ]; then
	read -r -p "Press Enter to stop the service. " _
else
	jwks=$(curl -sf "$web/issuer/.well-known/jwks.json")
	file=$(curl -sf "$url?recipient=Demo")
	echo "fetched: jwks.json with ${#jwks} bytes, the link's file with ${#file} bytes (a JWE); stopping the service"
fi
