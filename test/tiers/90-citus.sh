#!/usr/bin/env bash
# Tier "citus": shc on a Citus 13.2 cluster (a coordinator and two workers
# on 127.0.0.1, under the scratch folder) gives the single-server answers.
#
# - Citus is built once per machine from ../shared/citus into
#   /var/cache/shc (test/scripts/citus-build.sh); without the source and
#   without Citus installed the tier is skipped.
# - 10,000 mixed cards (valid, expired, revoked, forged, unknown issuer,
#   malformed) made on the scratch server: the distributed table gives the
#   scratch server's status counts, in sessions opened on every node before
#   a trust change and a revocation made on the coordinator, and after them.
# - shc_verify() is pushed down to the workers (EXPLAIN).
# - After shc_untrust() on the coordinator no open session on any node says
#   valid for that issuer.
# - The DBA's story on distributed tables: a vaccination entered on the
#   coordinator issues the card there (private keys only on the
#   coordinator); the analyst's story over the distributed cards.
# - Every node is stopped on exit, also on failure; nothing is left running.
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/tier.sh
db=shc_scale
ncards=${SHC_SCALE_CARDS:-10000}

bash test/scripts/citus-build.sh "${SHC_PG_TREE:-}"
rc=$?
if [ "$rc" -ne 0 ]; then
	if [ "$rc" -eq 2 ]; then
		echo "# no ../shared/citus and no Citus installed: skipped"
		echo "tier citus: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
	notok "Citus builds and installs"
	echo "tier citus: $pass passed, $fail failed, $skip skipped"
	exit 1
fi

source test/scripts/cluster.sh
base=${SHC_CLUSTER_PORT:-$((PGPORT + 1))}
trap 'node_stop_all' EXIT

# --- the single server: the cards and the answers to match ------------------
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
t0=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -v n="$ncards" -d "$db" -c 'CREATE EXTENSION shc' \
	-f test/scripts/mixed-cards.sql >/dev/null || { notok "the mixed cards are made"; exit 1; }
echo "# $ncards mixed cards made in $(($(date +%s) - t0)) s"
COUNTS="SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (SELECT (shc_verify(card)).status, count(*) AS n FROM scan GROUP BY 1) s;"
single_before=$(psql -X -At -d "$db" -c "$COUNTS")
echo "# single server: $single_before"
# what the construction says (mixed-cards.sql: kinds by patient_id % 20)
want() {
	psql -X -At -d "$db" -c "SELECT string_agg(s || '=' || n, ' ' ORDER BY s) FROM (SELECT CASE kind
	  WHEN 'valid-b' THEN $1 WHEN 'revoked-later' THEN $2 WHEN 'forged' THEN 'bad_signature'
	  WHEN 'unknown-issuer' THEN 'unknown_issuer' WHEN 'valid' THEN 'valid' ELSE kind END AS s, count(*) AS n
	  FROM scan GROUP BY 1) x"
}
is "$single_before" "$(want "'valid'" "'valid'")" "single server: every card gets the status it was made with"
psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
SELECT shc_untrust('https://issuer-b.scale.example');
SELECT shc_trust_crl('https://issuer-a.scale.example', doc) FROM published WHERE what = 'crl-a-later';
SQL
single_after=$(psql -X -At -d "$db" -c "$COUNTS")
echo "# single server after the changes: $single_after"
is "$single_after" "$(want "'unknown_issuer'" "'revoked'")" "single server: untrusted and newly revoked cards change status"
bcard=$(psql -X -At -d "$db" -c "SELECT card FROM scan WHERE kind = 'valid-b' LIMIT 1")

# --- the cluster --------------------------------------------------------------
CITUS_CONF=(
	"shared_preload_libraries = 'citus'"
	"max_prepared_transactions = 20"
	"citus.node_conninfo = 'sslmode=disable'"
	"citus.shard_count = 8"
	"citus.log_remote_commands = off"
)
ok_cluster=true
for i in 0 1 2; do
	name=$([ "$i" = 0 ] && echo coord || echo "worker$i")
	node_init "$name" $((base + i)) "${CITUS_CONF[@]}" && node_start "$name" || ok_cluster=false
done
if $ok_cluster; then ok "a coordinator and two workers start (ports $base-$((base + 2)))"; else
	notok "a coordinator and two workers start"
	echo "tier citus: $pass passed, $fail failed, $skip skipped"
	exit 1
fi
for n in coord worker1 worker2; do
	nsql "$n" -d postgres -c "CREATE DATABASE $db" &&
		nsql "$n" -d "$db" -c "CREATE EXTENSION citus" >/dev/null || ok_cluster=false
done
nsql coord -d "$db" >/dev/null <<SQL || ok_cluster=false
SELECT citus_set_coordinator_host('127.0.0.1', $base);
SELECT citus_add_node('127.0.0.1', $((base + 1)));
SELECT citus_add_node('127.0.0.1', $((base + 2)));
CREATE EXTENSION shc;
SQL
check "Citus joins the nodes; CREATE EXTENSION shc on the coordinator" $ok_cluster
is "$(nsql coord -d "$db" -c "SELECT string_agg(result, ',') FROM run_command_on_workers(\$\$SELECT extversion FROM pg_extension WHERE extname = 'shc'\$\$)")" \
	"$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$SHC_ROOT/shc.control"),$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$SHC_ROOT/shc.control")" "Citus created shc on both workers"
# the trust tables (and the directory-import record, where it exists)
TRUST_TABLES="ARRAY['shc_trusted_issuer', 'shc_trusted_key', 'shc_trusted_crl', 'shc_trusted_rid', 'shc_directory_issuer', 'shc_trust_anchor', 'shc_x5c_policy']"
ntables=$(nsql coord -d "$db" -c "SELECT count(*) FROM unnest($TRUST_TABLES) t WHERE to_regclass('shc.' || t) IS NOT NULL")
is "$(nsql coord -d "$db" -c "SELECT shc_trust_distribute()")" "$ntables" "shc_trust_distribute() makes the $ntables trust tables reference tables"
is "$(nsql coord -d "$db" -c "SELECT shc_trust_distribute()")" "0" "shc_trust_distribute() a second time changes nothing"
is "$(nsql coord -d "$db" -c "SELECT count(*) || '/' || count(DISTINCT s.logicalrelid) FROM pg_dist_placement p JOIN pg_dist_shard s USING (shardid) JOIN pg_class c ON c.oid = s.logicalrelid WHERE c.relnamespace = 'shc'::regnamespace")" \
	"$((3 * ntables))/$ntables" "each trust table has a placement on all three nodes"

# the cards and the publishers' documents, copied from the single server
nsql coord -d "$db" >/dev/null <<'SQL'
CREATE TABLE scan (patient_id bigint PRIMARY KEY, kind text NOT NULL, card text NOT NULL);
SELECT create_distributed_table('scan', 'patient_id');
CREATE TABLE published (what text PRIMARY KEY, doc jsonb NOT NULL);
SQL
psql -X -q -d "$db" -c "\\copy scan TO STDOUT" | nsql coord -d "$db" -c "\\copy scan FROM STDIN"
psql -X -q -d "$db" -c "\\copy published TO STDOUT" | nsql coord -d "$db" -c "\\copy published FROM STDIN"
is "$(nsql coord -d "$db" -c "SELECT count(*) FROM scan")" "$ncards" "the $ncards cards are in the distributed table"

# the verifier's trust store, loaded on the coordinator only
nsql coord -d "$db" >/dev/null <<'SQL'
SELECT shc_trust('https://issuer-a.scale.example', doc) FROM published WHERE what = 'jwks-a';
SELECT shc_trust('https://issuer-b.scale.example', doc) FROM published WHERE what = 'jwks-b';
SELECT shc_trust_crl('https://issuer-a.scale.example', doc) FROM published WHERE what = 'crl-a';
SQL
SAME="SELECT count(DISTINCT result) || '/' || count(*) FROM run_command_on_placements('shc.%s', \$\$SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM %s t\$\$)"
same_everywhere() {
	local t r=""
	for t in shc_trusted_issuer shc_trusted_key shc_trusted_crl shc_trusted_rid; do
		r="$r $(nsql coord -d "$db" -c "$(printf "$SAME" "$t" "%s")")"
	done
	echo "$r"
}
is "$(same_everywhere)" " 1/3 1/3 1/3 1/3" "issuers, keys, CRLs and revoked rids are the same on the three nodes"

# pushdown
plan=$(nsql coord -d "$db" -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT (shc_verify(card)).status, count(*) FROM scan GROUP BY 1")
sed 's/^/# /' <<<"$plan" | head -n 20
check "EXPLAIN: shc_verify() runs on the workers, inside each shard's query" \
	grep -qE "Query: SELECT .*shc_verify\(.*FROM shc_scale|Query: SELECT .*shc_verify\(.*scan_[0-9]+" <<<"$plan"
check "EXPLAIN: one task per shard on the workers" grep -q "Task Count: 8" <<<"$plan"

# sessions opened before the changes, on every node, warm
declare -A pids=()
for n in coord worker1 worker2; do sess_open "$n" "$n" "$db"; done
for n in coord worker1 worker2; do
	is "$(sess_run "$n" "$COUNTS")" "$single_before" "open session on $n: the distributed table gives the single-server counts"
	is "$(sess_run "$n" "SELECT (shc_verify('$bcard')).status;")" "valid" "open session on $n: issuer B's card is valid"
	pids[$n]=$(sess_pid "$n")
done

# a rolled-back change changes nothing, anywhere
nsql coord -d "$db" -c "BEGIN; SELECT shc_untrust('https://issuer-b.scale.example'); ROLLBACK;" >/dev/null
is "$(same_everywhere)" " 1/3 1/3 1/3 1/3" "a rolled-back shc_untrust leaves every node's copy as it was"
is "$(sess_run worker1 "SELECT (shc_verify('$bcard')).status;")" "valid" "open session on worker1: still valid after the rollback"

# the trust change and the revocation, on the coordinator, in one transaction
nsql coord -d "$db" >/dev/null <<'SQL'
BEGIN;
SELECT shc_untrust('https://issuer-b.scale.example');
SELECT shc_trust_crl('https://issuer-a.scale.example', doc) FROM published WHERE what = 'crl-a-later';
COMMIT;
SQL
is "$(same_everywhere)" " 1/3 1/3 1/3 1/3" "after the change: issuers, keys and CRLs are the same on the three nodes"
for n in coord worker1 worker2; do
	is "$(sess_run "$n" "$COUNTS")" "$single_after" "open session on $n: after the changes, the single-server counts"
	is "$(sess_run "$n" "SELECT (shc_verify('$bcard')).status;")" "unknown_issuer" "open session on $n: issuer B's card is no longer valid"
	is "$(sess_run "$n" "SELECT count(*) FROM scan WHERE kind = 'valid-b' AND (shc_verify(card)).valid;")" "0" \
		"open session on $n: no card of the untrusted issuer is valid on any shard"
	is "$(sess_pid "$n")" "${pids[$n]}" "the session on $n is the one opened before the changes"
done

# --- the DBA's story: distributed tables, signing on the coordinator --------
dba=$(nsql coord -d "$db" 2>&1 <<'SQL'
CREATE TABLE patients (id bigint PRIMARY KEY, family text NOT NULL, given text[], birth_date date);
CREATE TABLE vaccinations (id bigserial, patient_id bigint NOT NULL, cvx text NOT NULL,
                           given_on date NOT NULL, lot text, PRIMARY KEY (patient_id, id));
CREATE TABLE cards (id bigserial, patient_id bigint NOT NULL, card text NOT NULL, kid text NOT NULL,
                    rid text, issued_at timestamptz NOT NULL, PRIMARY KEY (patient_id, id));
SELECT create_distributed_table('patients', 'id');
SELECT create_distributed_table('vaccinations', 'patient_id', colocate_with => 'patients');
SELECT create_distributed_table('cards', 'patient_id', colocate_with => 'patients');
-- PL/pgSQL: Citus plans its queries with the patient as a constant
CREATE FUNCTION vaccination_bundle(patient bigint) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT shc_bundle(shc_fhir_patient(p.family, p.given, p.birth_date),
                    ARRAY(SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', v.cvx, v.given_on, v.lot)
                            FROM vaccinations v WHERE v.patient_id = patient ORDER BY v.given_on, v.id))
            FROM patients p WHERE p.id = patient);
END
$$;
SELECT shc_key_create('https://clinic.scale.example') AS kid \gset
SELECT shc_rid_secret_create('https://clinic.scale.example') IS NOT NULL AS rid_secret;
SELECT shc_trust('https://clinic.scale.example', shc_jwks('https://clinic.scale.example'));
-- entering a vaccination on the coordinator stores it and issues the card
-- there, where the key is (docs/scaling-out.md)
CREATE VIEW vaccination_entry AS SELECT patient_id, cvx, given_on, lot FROM vaccinations;
CREATE FUNCTION enter_vaccination() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k text := (SELECT kid FROM shc_keys WHERE iss = 'https://clinic.scale.example' AND retired_at IS NULL);
  r text;
BEGIN
  INSERT INTO vaccinations (patient_id, cvx, given_on, lot) VALUES (NEW.patient_id, NEW.cvx, NEW.given_on, NEW.lot);
  r := shc_rid(k, NEW.patient_id::text);
  INSERT INTO cards (patient_id, card, kid, rid, issued_at)
  VALUES (NEW.patient_id, shc_issue(vaccination_bundle(NEW.patient_id), k, rid => r), k, r, now());
  RETURN NEW;
END
$$;
CREATE TRIGGER issue_card INSTEAD OF INSERT ON vaccination_entry
  FOR EACH ROW EXECUTE FUNCTION enter_vaccination();
INSERT INTO patients SELECT g, 'Person' || g, ARRAY['Pat'], date '1960-01-01' + g FROM generate_series(1, 40) g;
INSERT INTO vaccination_entry SELECT g, '207', date '2021-01-01', 'LOT' || g FROM generate_series(1, 40) g;
INSERT INTO vaccination_entry SELECT g, '207', date '2021-02-01', 'LOT' || g FROM generate_series(1, 20) g;
SQL
)
[ -n "$dba" ] && sed 's/^/# /' <<<"$dba"
is "$(nsql coord -d "$db" -c "SELECT count(*) || ' ' || count(DISTINCT patient_id) FROM cards")" "60 40" \
	"DBA: 60 vaccinations entered, 60 cards issued into the distributed cards table"
is "$(nsql coord -d "$db" -c "SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (SELECT (shc_verify(card)).status, count(*) AS n FROM cards GROUP BY 1) s")" \
	"valid=60" "DBA: every issued card verifies, on the workers that hold it"
is "$(sess_run worker2 "SELECT count(*) FROM cards WHERE (shc_verify(card)).valid;")" "60" \
	"DBA: the open session on worker2 sees the new issuer's trust at once"
is "$(nsql coord -d "$db" -c "SELECT (SELECT count(*) FROM shc_private_keys) || ' ' || (SELECT string_agg(result, ',') FROM run_command_on_workers('SELECT count(*) FROM shc.shc_private_keys'))")" \
	"1 0,0" "private keys live on the coordinator only"
is "$(nsql coord -d "$db" -c "SELECT string_agg(result, ',') FROM run_command_on_workers('SELECT count(*) FROM shc.shc_rid_secrets')")" \
	"0,0" "rid secrets live on the coordinator only"
# the analyst's story: patients with two verified doses, from the newest card of each
# (the FHIR readers are STABLE: they read the code names table, so Citus runs
# them over the verified bundles of a materialized CTE, not on the shards)
is "$(sess_run worker1 "WITH c AS MATERIALIZED (SELECT patient_id, (shc_verify(card)).bundle AS b, (shc_verify(card)).valid AS ok, row_number() OVER (PARTITION BY patient_id ORDER BY issued_at DESC, id DESC) AS r FROM cards) SELECT count(*) FROM c WHERE r = 1 AND ok AND (SELECT count(*) FROM shc_immunizations(b) i WHERE i.vaccine_code = '207') >= 2;")" \
	"20" "analyst (open session on worker1): 20 patients with two verified doses"
# issuing where there are no keys fails clearly
kid=$(nsql coord -d "$db" -c "SELECT kid FROM cards LIMIT 1")
is "$(nsql worker1 -d "$db" -c "SELECT shc_issue(vaccination_bundle(1), '$kid')" 2>&1 >/dev/null | sed -n 's/^.*ERROR: *//p')" \
	"signing key \"$kid\" does not exist" "issuing on a worker fails: the key is not there"

# --- stop everything ---------------------------------------------------------
node_stop_all
trap - EXIT
left=$(node_leftovers)
is "$left" "" "every node stopped; no server process left running"
dropdb "$db"
echo "tier citus: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
