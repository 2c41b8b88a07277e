#!/usr/bin/env bash
# Root key handling (issue 22): the attacks on the root key settings,
# played against the server itself (settings, reloads, concurrent
# sessions), so a shell script.  Run by test/tiers/65-privilege.sh with the
# counters of test/scripts/tier.sh and the roles of that tier; can run
# alone (bash test/privilege/72-root-key.sh) against the harness's scratch
# server.
#
#   1. a key administrator (who may not read the superuser-only settings)
#      sets statement_timeout below the run time of shc.root_key_command:
#      the timeout kills the command; neither the error nor the server log
#      quotes the command line or the token in it
#   2. a missing shc.root_key_file: neither the error nor the server log
#      quotes its path
#   3. a session that first loads the library inside a parallel query: no
#      WARNING about shc.root_key_file, and the session keeps its root key
#   4. rotation against sealing: a transaction that sealed a new key under
#      the old root key before the reload commits after the rotation began;
#      a statement that began before the reload seals after the rotation
#      committed.  Afterwards, with the old root key gone, every key signs
#      and a second rotation has nothing to do.
set -uo pipefail
cd "${SHC_ROOT:?}"
if [ -z "${pass+x}" ]; then
	source test/scripts/tier.sh
	standalone=1
	for r in shc_key_admin shc_pv_keyadmin; do
		psql -X -q -d postgres -c "DO \$\$ BEGIN CREATE ROLE $r NOLOGIN; EXCEPTION WHEN duplicate_object THEN END \$\$" >/dev/null
	done
	psql -X -q -d postgres -c "GRANT shc_key_admin TO shc_pv_keyadmin" >/dev/null
fi
db=shc_priv_root_key
log="$SCRATCH/server.log"
work=$(mktemp -d)
chmod 755 "$work"
if [ "$(id -u)" = 0 ]; then own() { chown postgres: "$@"; }; else own() { :; }; fi
# the settings as the harness left them, restored on every exit
reset_root_key() {
	psql -X -q -d postgres -c "LOAD 'shc'" -c "ALTER SYSTEM RESET shc.root_key_file" \
		-c "ALTER SYSTEM RESET shc.root_key_command" -c "ALTER SYSTEM RESET shc.root_key_previous_file" \
		-c "SELECT pg_reload_conf()" >/dev/null 2>&1
	sleep 0.5
}
trap 'reset_root_key; rm -rf "$work"' EXIT
# set NAME VALUE ...: ALTER SYSTEM for each pair, then reload
set_root_key() {
	local args=(-c "LOAD 'shc'")
	while [ $# -gt 0 ]; do
		args+=(-c "ALTER SYSTEM SET $1 = '$2'")
		shift 2
	done
	psql -X -q -d postgres "${args[@]}" -c "SELECT pg_reload_conf()" >/dev/null
	sleep 0.5
}
# the log lines written since offset $1, without PostgreSQL's own record of
# the settings (the superuser's ALTER SYSTEM statement and the reload's
# "parameter ... changed to" line, both only in the server log)
log_since() {
	tail -c +"$(($1 + 1))" "$log" | grep -v -e 'ALTER SYSTEM' -e 'changed to "'
}

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
# the documented setup (docs/security.md): shc loaded at the start of every
# session, so that its settings exist as superuser-only settings before
# any statement runs (a setting of a library not loaded yet is a
# placeholder that every role can SHOW)
psql -X -q -d postgres -c "ALTER DATABASE $db SET session_preload_libraries = 'shc'" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION shc;
CREATE TABLE big AS SELECT g FROM generate_series(1, 100000) g;
ANALYZE big;
SQL

# --- 1. statement_timeout kills the root key command -------------------------
token="tok$(openssl rand -hex 8)"
cp "$SHC_ROOT_KEY_FILE" "$work/cmd.key"
chmod 600 "$work/cmd.key"
own "$work/cmd.key"
set_root_key shc.root_key_file '' shc.root_key_command "sleep 3; cat $work/cmd.key # $token"
start=$(wc -c <"$log")
err=$(psql -X -q -d "$db" 2>&1 <<'SQL'
SET ROLE shc_pv_keyadmin;
SHOW shc.root_key_command;
SET statement_timeout = '400ms';
SELECT shc.shc_key_create('https://rootkey.example');
SQL
)
check "the key administrator may not read shc.root_key_command" grep -q 'to examine "shc.root_key_command"' <<<"$err"
check "a statement_timeout below the command's run time makes the key creation fail" grep -q 'ERROR' <<<"$(sed 1d <<<"$err")"
check "the error quotes neither the command line nor its token" bash -c "! grep -qe '$token' -e 'sleep 3' <<<\"\$1\"" _ "$err"
psql -X -q -d postgres -c "SELECT pg_sleep(3)" >/dev/null
check "nor does any line of the server log" bash -c "! grep -qe '$token' -e 'sleep 3' <<<\"\$1\"" _ "$(log_since "$start")"

# --- 2. a missing key file ----------------------------------------------------
set_root_key shc.root_key_command '' shc.root_key_file "$work/$token/root.key"
start=$(wc -c <"$log")
err=$(psql -X -q -d "$db" -c "SET ROLE shc_pv_keyadmin" -c "SELECT shc.shc_key_create('https://rootkey.example')" 2>&1)
check "a missing key file makes the key creation fail, naming the setting" grep -q 'cannot read the root key named by shc.root_key_file' <<<"$err"
check "the error does not quote the file's path" bash -c "! grep -qe '$token' -e '$work' <<<\"\$1\"" _ "$err"
psql -X -q -d postgres -c "SELECT pg_sleep(0.3)" >/dev/null
check "nor does any line of the server log" bash -c "! grep -qe '$token' <<<\"\$1\"" _ "$(log_since "$start")"
reset_root_key

# --- 3. the library first loaded inside a parallel query ----------------------
# (this session without the database's session_preload_libraries)
out=$(PGOPTIONS="-c session_preload_libraries=" psql -X -q -At -d "$db" 2>&1 <<'SQL'
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(shc.shc_verify_status('x')) FROM big;
SELECT 'key:' || (shc.shc_root_key_id() IS NOT NULL);
SQL
)
check "the query ran with parallel workers" grep -qE 'Workers Launched: [1-9]' <<<"$out"
check "no WARNING about shc.root_key_file (or anything else) reaches the client" bash -c "! grep -q WARNING <<<\"\$1\"" _ "$out"
check "and the session keeps its root key" grep -qx 'key:true' <<<"$out"

# --- 4. rotation while secrets are sealed -------------------------------------
ISS=https://rotate-race.example
(umask 077 && openssl rand -hex 32 >"$work/new.key")
own "$work/new.key"
psql -X -q -d "$db" -c "SELECT shc.shc_key_create('$ISS')" -c "SELECT shc.shc_rid_secret_create('$ISS')" >/dev/null
# a: a transaction seals a key under the old root key, commits 3 s later
psql -X -q -d "$db" >"$work/a.out" 2>&1 <<SQL &
BEGIN;
SELECT shc.shc_key_create('$ISS');
SELECT pg_sleep(3);
COMMIT;
SQL
apid=$!
# b: a statement reads the old settings, then seals 4 s later
psql -X -q -d "$db" >"$work/b.out" 2>&1 <<SQL &
SELECT shc.shc_root_key_id();
SELECT shc.shc_key_create('$ISS') FROM (SELECT pg_sleep(4)) s;
SQL
bpid=$!
sleep 1
set_root_key shc.root_key_file "$work/new.key" shc.root_key_previous_file "$SHC_ROOT_KEY_FILE"
t0=$(date +%s.%N)
n=$(psql -X -q -At -d "$db" -c "SELECT shc.shc_root_key_rotate()" 2>&1)
t1=$(date +%s.%N)
wait "$apid" "$bpid"
waited=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
check "the rotation waited for the transaction that had sealed a key (${waited} s) and resealed it ($n)" \
	awk -v w="$waited" -v n="$n" 'BEGIN { exit !(w >= 1 && n >= 2) }'
check "that transaction committed" bash -c "! grep -q ERROR '$work/a.out'"
bres=$(cat "$work/b.out")
check "the statement that read the old settings gets a retryable error (40001), not a secret under the old key" \
	grep -q 'cannot store a secret: the root key of this session was rotated away' <<<"$bres"
grep -q 'rotated away' <<<"$bres" || sed 's/^/# /' <<<"$bres"
set_root_key shc.root_key_file "$work/new.key" shc.root_key_previous_file ''
r2=$(psql -X -q -At -d "$db" -c "SELECT shc.shc_root_key_rotate()" 2>&1)
check "with the old root key gone, a second rotation has nothing left under it ($r2)" test "$r2" = 0
bad=$(psql -X -q -At -d "$db" 2>&1 <<SQL
SELECT count(*) FROM shc.shc_keys k
 WHERE k.iss = '$ISS' AND k.retired_at IS NULL
   AND shc.shc_issue('{"resourceType":"Bundle"}', k.kid) IS NULL;
SELECT count(shc.shc_rid(k.kid, 'p1')) FROM shc.shc_keys k WHERE k.iss = '$ISS' AND k.retired_at IS NULL;
SQL
)
check "every key of the issuer signs and computes rids under the new root key" bash -c "! grep -q ERROR <<<\"\$1\" && [ \"\$(head -n 1 <<<\"\$1\")\" = 0 ]" _ "$bad"
[ "$bad" = "" ] || grep ERROR <<<"$bad" | head -2 | sed 's/^/# /'
reset_root_key

dropdb "$db"
if [ -n "${standalone:-}" ]; then echo "tier root-key: $pass passed, $fail failed, $skip skipped"; fi
