#!/usr/bin/env bash
# profile.sh: callgrind profiles of the SQL paths of shc (not a test).
#
#   bash test/bench/profile.sh [N]        (default N = 2000 cards)
#   SHC_PROFILE="issue verify" bash test/bench/profile.sh [N]   (only those)
#
# Starts its own scratch server (test/scripts/common.sh; honours
# SHC_PG_TREE and SHC_PGPORT), creates the benchmark database
# (test/bench/setup.sql) and N cards, stops the server, then runs a
# single-user backend under valgrind --tool=callgrind for each statement:
#   issue:   SELECT count(shc_issue(bundle, key => <kid>)) FROM bundles
#   verify:  SELECT count(*) FILTER (WHERE (shc_verify(card)).valid) FROM cards
#   status:  SELECT count(*) FILTER (WHERE shc_verify_status(card) = 'valid') FROM cards
# the last two also twice in one backend (verify2, status2: the second pass
# finds every signature in the memo), prints the top of callgrind_annotate
# --inclusive=yes for issue and verify, and the instructions per card of
# each, first time and again.  The
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

V="SELECT count(*) FILTER (WHERE (shc_verify(card)).valid) FROM cards"
S="SELECT count(*) FILTER (WHERE shc_verify_status(card) = 'valid') FROM cards"
declare -A stmt=(
	[issue]="SELECT count(shc_issue(bundle, key => (SELECT kid FROM bench_key))) FROM bundles"
	[verify]="$V"
	[verify2]="$V;
$V"
	[status]="$S"
	[status2]="$S;
$S"
)
declare -A total=()
# SHC_PROFILE="issue verify" profiles only those statements
for what in ${SHC_PROFILE:-issue verify verify2 status status2}; do
	out="$SCRATCH/callgrind.$what"
	log "callgrind: $what, $N cards, single-user backend"
	echo "${stmt[$what]}" | as_server_user valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$BINDIR/postgres" --single -D "$SCRATCH/data" -c max_parallel_workers_per_gather=0 "$db" \
		2>"$SCRATCH/valgrind.$what.log" | grep -E '^\s+[0-9]+: count' || { tail "$SCRATCH/valgrind.$what.log"; exit 1; }
	cp "$out" "$B/callgrind.$what"
	total[$what]=$(sed -nE 's/^summary: ([0-9]+).*/\1/p' "$out" | head -n 1)
	if [ "$what" = issue ] || [ "$what" = verify ]; then
		callgrind_annotate --inclusive=yes "$B/callgrind.$what" 2>/dev/null | sed -n '1,60p' | cut -c1-160
	fi
done
# a statement's cost per card; "again" is the second pass of the same
# statement in the same backend (every signature in the memo): the
# two-statement run minus the one-statement run
log "instructions per card (whole backend, start-up included once)"
k() { awk -v a="$1" -v b="$2" -v n="$N" 'BEGIN { printf "%8.0f k\n", (a - b) / n / 1000 }'; }
for what in issue verify status; do
	[ -n "${total[$what]:-}" ] || continue
	printf '  %-28s %s\n' "$what (first time)" "$(k "${total[$what]}" 0)"
done
[ -n "${total[verify2]:-}" ] && printf '  %-28s %s\n' "verify again (memo)" "$(k "${total[verify2]}" "${total[verify]}")"
[ -n "${total[status2]:-}" ] && printf '  %-28s %s\n' "status again (memo)" "$(k "${total[status2]}" "${total[status]}")"
true
