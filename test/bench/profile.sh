#!/usr/bin/env bash
# profile.sh: callgrind profiles of the SQL paths of shc (not a test).
#
#   bash test/bench/profile.sh [N]        (default N = 2000 cards)
#
# Starts its own scratch server (test/scripts/common.sh; honours
# SHC_PG_TREE and SHC_PGPORT), creates the benchmark database
# (test/bench/setup.sql) and N cards, stops the server, then runs a
# single-user backend under valgrind --tool=callgrind for each statement:
#   issue:   SELECT count(shc_issue(bundle, key => <kid>)) FROM bundles
#   verify:  SELECT count(*) FILTER (WHERE (shc_verify(card)).valid) FROM cards
# and prints the top of callgrind_annotate --inclusive=yes for each.  The
# raw outputs are build/bench/callgrind.{issue,verify}; open them with
# callgrind_annotate or kcachegrind.  (perf cannot count instructions in
# this machine's VM; callgrind counts them exactly, so the numbers do not
# depend on the load on the machine.)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
N=${1:-2000}
case "$N" in '' | *[!0-9]*) echo "usage: bash test/bench/profile.sh [N]" >&2; exit 2 ;; esac
B=$ROOT/build/bench
mkdir -p "$B"
source "$ROOT/test/scripts/common.sh"
ensure_packages
command -v valgrind >/dev/null || { echo "profile.sh needs valgrind (apt-get install valgrind)" >&2; exit 1; }
pg_bindir >/dev/null
build_install >/dev/null
server_start
db=shc_prof
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -v N="$N" -d "$db" >/dev/null <<SQL
\i $ROOT/test/bench/setup.sql
CREATE TABLE cards AS SELECT i, shc_issue(bundle, key => :'kid') AS card FROM bundles;
VACUUM ANALYZE cards;
SQL
server_stop
trap - EXIT

declare -A stmt=(
	[issue]="SELECT count(shc_issue(bundle, key => (SELECT kid FROM bench_key))) FROM bundles"
	[verify]="SELECT count(*) FILTER (WHERE (shc_verify(card)).valid) FROM cards"
)
for what in issue verify; do
	out="$SCRATCH/callgrind.$what"
	log "callgrind: $what, $N cards, single-user backend"
	echo "${stmt[$what]}" | as_server_user valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$BINDIR/postgres" --single -D "$SCRATCH/data" -c max_parallel_workers_per_gather=0 "$db" \
		2>"$SCRATCH/valgrind.$what.log" | grep -E '^\s+[0-9]+: count' || { tail "$SCRATCH/valgrind.$what.log"; exit 1; }
	cp "$out" "$B/callgrind.$what"
	callgrind_annotate --inclusive=yes "$B/callgrind.$what" 2>/dev/null | sed -n '1,60p' | cut -c1-160
done
