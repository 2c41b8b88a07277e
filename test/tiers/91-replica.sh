#!/usr/bin/env bash
# Tier "replica": a hot standby (physical streaming) and a logical
# subscriber of the scratch server give the primary's answers, and trust
# changes made on the primary reach sessions already open on them.
#
# - The scratch server gets wal_level = logical for the tier (restarted,
#   and set back at the end); the standby is a pg_basebackup of it, the
#   subscriber a fresh server subscribed to the trust tables and the cards.
# - Mixed cards (test/scripts/mixed-cards.sql) give the primary's counts on
#   both, before and after an shc_untrust and a new CRL on the primary, in
#   sessions opened before the change.
# - On the standby, verify and decode work; issuing and trust changes are
#   refused as read-only.
# - Every server started here is stopped on exit, also on failure.
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/tier.sh
source test/scripts/cluster.sh
db=shc_repl
ncards=${SHC_REPLICA_CARDS:-10000}
base=${SHC_CLUSTER_PORT:-$((PGPORT + 1))}

primary_restart() {
	as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -l "$SCRATCH/server.log" -m fast -w -t 60 restart >/dev/null
}
cleanup() {
	# the subscriber first, so that its slot on the primary can go
	[ -n "${NODE_PORT[sub]:-}" ] && nsql sub -d "$db" -c "DROP SUBSCRIPTION IF EXISTS shc_trust_sub" >/dev/null 2>&1
	node_stop_all
	psql -X -q -d postgres -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active" >/dev/null 2>&1
	psql -X -q -d postgres -c "ALTER SYSTEM RESET wal_level" >/dev/null 2>&1
	primary_restart
}
trap cleanup EXIT

# --- the primary: the scratch server --------------------------------------
psql -X -q -d postgres -c "ALTER SYSTEM SET wal_level = logical" >/dev/null
primary_restart
is "$(psql -X -At -d postgres -c 'SHOW wal_level')" "logical" "the scratch server runs with wal_level = logical"
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
t0=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -v n="$ncards" -d "$db" -c 'CREATE EXTENSION shc' \
	-f test/scripts/mixed-cards.sql >/dev/null || { notok "the mixed cards are made"; exit 1; }
echo "# $ncards mixed cards made in $(($(date +%s) - t0)) s"
COUNTS="SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (SELECT (shc_verify(card)).status, count(*) AS n FROM scan GROUP BY 1) s;"
primary_before=$(psql -X -At -d "$db" -c "$COUNTS")
echo "# primary: $primary_before"
bcard=$(psql -X -At -d "$db" -c "SELECT card FROM scan WHERE kind = 'valid-b' LIMIT 1")
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE PUBLICATION shc_trust FOR TABLE shc.shc_trusted_issuer, shc.shc_trusted_key, shc.shc_trusted_crl, shc.shc_trusted_rid;
CREATE PUBLICATION shc_cards FOR TABLE scan, published;
SQL

# --- the hot standby ----------------------------------------------------------
mkdir -p "$(node_dir standby)"
[ "$(id -u)" = 0 ] && chown -R postgres: "$CLUSTER_DIR"
as_server_user "$BINDIR/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" \
	-D "$(node_dir standby)/data" -R -X stream -c fast >"$(node_dir standby)/basebackup.log" 2>&1
mkdir -p "$(node_dir standby)/sock"
[ "$(id -u)" = 0 ] && chown -R postgres: "$CLUSTER_DIR"
node_conf standby "$base" "hot_standby = on" && node_start standby
is "$(nsql standby -d "$db" -c 'SELECT pg_is_in_recovery()')" "t" "a hot standby of the scratch server runs (port $base)"

# --- the logical subscriber ---------------------------------------------------
node_init sub $((base + 1)) && node_start sub
nsql sub -d postgres -c "CREATE DATABASE $db" >/dev/null
nsql sub -d "$db" >/dev/null <<SQL
CREATE EXTENSION shc;
CREATE TABLE scan (patient_id bigint PRIMARY KEY, kind text NOT NULL, card text NOT NULL);
CREATE TABLE published (what text PRIMARY KEY, doc jsonb NOT NULL);
CREATE SUBSCRIPTION shc_trust_sub CONNECTION 'host=$PGHOST port=$PGPORT dbname=$db user=$PGUSER'
  PUBLICATION shc_trust, shc_cards;
SQL
for _ in $(seq 1 300); do
	[ "$(nsql sub -d "$db" -c "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'")" = 0 ] && break
	sleep 0.1
done
is "$(nsql sub -d "$db" -c "SELECT count(*) FROM scan")" "$ncards" "a logical subscriber has the cards and the trust store (port $((base + 1)))"
is "$(nsql sub -d "$db" -c "SELECT string_agg(tgenabled::text, '' ORDER BY tgname) FROM pg_trigger WHERE tgname LIKE 'shc_trusted_%_generation%'")" \
	"ARARARAR" "the trust tables' generation triggers fire ALWAYS, their row twins in the apply worker"

# sessions opened before the change, warm
declare -A pids=()
for n in standby sub; do
	sess_open "$n" "$n" "$db"
	is "$(sess_run "$n" "$COUNTS")" "$primary_before" "open session on the $n: the primary's counts"
	is "$(sess_run "$n" "SELECT (shc_verify('$bcard')).status;")" "valid" "open session on the $n: issuer B's card is valid"
	pids[$n]=$(sess_pid "$n")
done

# the change, on the primary
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
BEGIN;
SELECT shc_untrust('https://issuer-b.scale.example');
SELECT shc_trust_crl('https://issuer-a.scale.example', doc) FROM published WHERE what = 'crl-a-later';
COMMIT;
SQL
primary_after=$(psql -X -At -d "$db" -c "$COUNTS")
echo "# primary after the change: $primary_after"
check "the primary's counts change" test "$primary_after" != "$primary_before"
lsn=$(psql -X -At -d "$db" -c "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 300); do
	[ "$(nsql standby -d "$db" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] &&
		[ "$(nsql sub -d "$db" -c "SELECT count(*) FROM shc_trusted_issuer WHERE iss = 'https://issuer-b.scale.example'")" = 0 ] &&
		[ "$(nsql sub -d "$db" -c "SELECT coalesce(max(ctr), 0) FROM shc_trusted_crl")" = \
			"$(psql -X -At -d "$db" -c "SELECT max(ctr) FROM shc_trusted_crl")" ] && break
	sleep 0.1
done
for n in standby sub; do
	is "$(sess_run "$n" "$COUNTS")" "$primary_after" "open session on the $n: after the change, the primary's counts"
	is "$(sess_run "$n" "SELECT (shc_verify('$bcard')).status;")" "unknown_issuer" "open session on the $n: issuer B's card is no longer valid"
	is "$(sess_pid "$n")" "${pids[$n]}" "the session on the $n is the one opened before the change"
done

# the standby: reading works, writing is refused as read-only
is "$(sess_run standby "SELECT shc_decode(card)->'payload'->>'iss' FROM scan WHERE kind = 'valid' LIMIT 1;")" \
	"https://issuer-a.scale.example" "standby: shc_decode works"
err() { nsql standby -d "$db" -c "$1" 2>&1 >/dev/null | sed -n 's/^.*ERROR: *//p' | head -n 1; }
kid=$(psql -X -At -d "$db" -c "SELECT kid FROM shc_keys WHERE iss = 'https://issuer-a.scale.example'")
is "$(err "SELECT shc_issue(shc_bundle(shc_fhir_patient('X'), ARRAY[]::jsonb[]), '$kid')")" \
	"cannot issue a card on a hot standby" "standby: issuing is refused with a clear error"
is "$(nsql standby -d "$db" -c "DO \$\$BEGIN PERFORM shc.shc_untrust('https://issuer-a.scale.example'); EXCEPTION WHEN read_only_sql_transaction THEN RAISE NOTICE 'read-only'; END\$\$" 2>&1 | grep -c read-only)" \
	"1" "standby: the refusal is SQLSTATE 25006 (read_only_sql_transaction)"
is "$(err "SELECT shc_untrust('https://issuer-a.scale.example')")" \
	"cannot change the trust store on a hot standby" "standby: shc_untrust is refused"
is "$(err "SELECT shc_trust_crl('https://issuer-a.scale.example', doc) FROM published WHERE what = 'crl-a'")" \
	"cannot change the trust store on a hot standby" "standby: shc_trust_crl is refused"
is "$(err "SELECT shc_key_create('https://issuer-z.scale.example')")" \
	"cannot execute INSERT in a read-only transaction" "standby: creating a key is refused (read-only)"

# the subscriber's trust store is the primary's
TRUST_MD5="SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT iss || '/' || kid || '/' || jwk::text || '/' || coalesce(crl_version, 0) AS x FROM shc_trusted_key UNION ALL SELECT iss || '/' || kid || '/' || ctr || '/' || rids::text FROM shc_trusted_crl) t"
is "$(nsql sub -d "$db" -c "$TRUST_MD5")" "$(psql -X -At -d "$db" -c "$TRUST_MD5")" "the subscriber's keys and CRLs are the primary's"

cleanup
trap - EXIT
is "$(node_leftovers)" "" "standby and subscriber stopped; no server process left running"
is "$(psql -X -At -d postgres -c 'SELECT count(*) FROM pg_replication_slots')" "0" "no replication slot left on the scratch server"
dropdb "$db"
echo "tier replica: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
