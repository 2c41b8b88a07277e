#!/usr/bin/env bash
# cluster.sh: verification on a 3-node Citus cluster against one server,
# same cards, same machine (not part of the pass/fail tests).
#
#   bash test/bench/cluster.sh [N]        (default N = 20000 cards)
#
# 1. The raw OpenSSL P-256 verify rate of one core, measured now
#    (test/bench/run.sh 0: build/bench/bench).
# 2. The scratch server (test/scripts/common.sh; SHC_PG_TREE, SHC_PGPORT)
#    issues N valid cards and verifies them in one statement, serially
#    (max_parallel_workers_per_gather = 0) and with 2 parallel workers.
# 3. A coordinator and two workers (ports SHC_CLUSTER_PORT.. +2, default
#    scratch port + 1; Citus from test/scripts/citus-build.sh) get the same
#    cards in a table distributed over 8 shards and the same trust store;
#    the same statement runs on the coordinator, pushed down to the workers.
#
# Each statement is timed in the server (clock_timestamp() around it, one
# row out), best of SHC_BENCH_REPEAT (3).  Printed: cards/s, cluster /
# single ratios, cards/s per worker node, and every rate / raw verify.
# docs/scaling-out.md has the model these numbers are read against.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
N=${1:-20000}
REPEAT=${SHC_BENCH_REPEAT:-3}
case "$N$REPEAT" in *[!0-9]*) echo "usage: bash test/bench/cluster.sh [N]" >&2; exit 2 ;; esac

bash test/bench/run.sh 0 0.5 >/dev/null
eval "$(tail -n 1 build/bench/core.txt)"
echo "raw OpenSSL P-256 verify, one core: $RAW_VERIFY/s"

source test/scripts/common.sh
ensure_packages
pg_bindir >/dev/null
build_install >/dev/null
server_start
cd "$ROOT"
bash test/scripts/citus-build.sh "${SHC_PG_TREE:-}" >/dev/null
source test/scripts/cluster.sh
base=${SHC_CLUSTER_PORT:-$((PGPORT + 1))}
trap 'node_stop_all; server_stop' EXIT
db=shc_bench_cluster

createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
CREATE EXTENSION shc;
SELECT shc_key_create('https://bench.scale.example') AS k \gset
CREATE TABLE cards (id bigint PRIMARY KEY, card text NOT NULL);
INSERT INTO cards
SELECT g, shc_issue(shc_bundle(shc_fhir_patient('Bench' || g, ARRAY['Pat'], date '1960-01-01' + g % 9000),
                               ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', date '2021-01-01', 'L1'),
                                     shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', date '2021-01-29', 'L2'),
                                     shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '229', date '2021-10-01', 'L3')]),
                    :'k')
  FROM generate_series(1, $N) g;
SELECT shc_trust('https://bench.scale.example', shc_jwks('https://bench.scale.example'));
SQL

CONF=("shared_preload_libraries = 'citus'" "max_prepared_transactions = 20"
	"citus.node_conninfo = 'sslmode=disable'" "citus.shard_count = 8")
node_init coord "$base" "${CONF[@]}" && node_start coord
node_init worker1 $((base + 1)) "${CONF[@]}" && node_start worker1
node_init worker2 $((base + 2)) "${CONF[@]}" && node_start worker2
for n in coord worker1 worker2; do
	nsql "$n" -d postgres -c "CREATE DATABASE $db"
	nsql "$n" -d "$db" -c "CREATE EXTENSION citus" >/dev/null
done
nsql coord -d "$db" >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', $base);
SELECT citus_add_node('127.0.0.1', $((base + 1))), citus_add_node('127.0.0.1', $((base + 2)));
CREATE EXTENSION shc;
SELECT shc_trust_distribute();
CREATE TABLE cards (id bigint PRIMARY KEY, card text NOT NULL);
SELECT create_distributed_table('cards', 'id');
SQL
psql -X -q -d "$db" -c "\\copy cards TO STDOUT" | nsql coord -d "$db" -c "\\copy cards FROM STDIN"
jwks=$(psql -X -At -d "$db" -c "SELECT shc_jwks('https://bench.scale.example')")
nsql coord -d "$db" -c "SELECT shc_trust('https://bench.scale.example', '$jwks')" >/dev/null

# best seconds of one verification statement over all cards; the count must be N
STMT="SELECT count(*) FILTER (WHERE (shc_verify(card)).valid) FROM cards"
timed() { # psql-command... ; prints best seconds
	local best="" i out
	for i in $(seq 1 "$REPEAT"); do
		out=$("$@" <<SQL
$PRE
SELECT clock_timestamp() AS t0 \gset
$STMT \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) || ' ' || :'count';
SQL
)
		out=$(tail -n 1 <<<"$out")
		[ "${out#* }" = "$N" ] || { echo "wrong count: $out" >&2; exit 1; }
		best=$(awk -v a="${best:-1e9}" -v b="${out%% *}" 'BEGIN { print (b < a ? b : a) }')
	done
	echo "$best"
}
PRE="SET max_parallel_workers_per_gather = 0; $STMT;"
s1=$(timed psql -X -q -At -d "$db")
PRE="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET min_parallel_table_scan_size = 0; $STMT;"
s2=$(timed psql -X -q -At -d "$db")
PRE="$STMT;"
sc=$(timed nsql coord -d "$db")

awk -v n="$N" -v s1="$s1" -v s2="$s2" -v sc="$sc" -v raw="$RAW_VERIFY" 'BEGIN {
	r1 = n / s1; r2 = n / s2; rc = n / sc
	printf "%-44s %10s %8s\n", "", "cards/s", "/ raw"
	printf "%-44s %10.0f %8.2f\n", "one server, serial (1 core)", r1, r1 / raw
	printf "%-44s %10.0f %8.2f\n", "one server, 2 parallel workers", r2, r2 / raw
	printf "%-44s %10.0f %8.2f\n", "Citus: coordinator + 2 workers, 8 shards", rc, rc / raw
	printf "%-44s %10.0f %8.2f\n", "  per worker node", rc / 2, rc / 2 / raw
	printf "%-44s %10.0f %8.2f\n", "  per node (3 nodes)", rc / 3, rc / 3 / raw
	printf "cluster / one server serial: %.2f   cluster / one server parallel: %.2f\n", rc / r1, rc / r2
}'
echo "($N cards, best of $REPEAT, $(nproc) cores shared by every node)"
