#!/usr/bin/env bash
# run.sh: the benchmark of shc (not part of the pass/fail tests).
#
#   bash test/bench/run.sh [N] [seconds-per-measurement]
#                                    (defaults: N = 20000 cards, 1.0 s)
#
# 1. Core and raw primitives: builds test/bench/bench.c against src/core
#    (-O2, libcrypto and zlib only, no PostgreSQL) into build/bench/ and runs
#    it pinned to one core: the raw OpenSSL P-256 sign/verify and zlib
#    DEFLATE/inflate rates on a realistic 3-dose card, the same work through
#    src/core, and their ratios.
# 2. SQL: builds and installs the extension and starts its own scratch
#    server (test/scripts/common.sh; honours SHC_PG_TREE and SHC_PGPORT, like
#    the test command), creates a stored key, then in one session issues N
#    cards of realistic 3-dose bundles through shc_issue in one statement,
#    and verifies them through shc_verify in one statement, serially
#    (max_parallel_workers_per_gather = 0) and with 2 parallel workers.  It
#    prints cards/second and the ratios SQL verify / raw verify, SQL issue /
#    (raw sign + raw deflate), parallel / serial, and serial verify with the
#    function's pinned search_path against the same without it (its cost:
#    docs/security.md).  N = 0 skips this part.
#
# Each SQL statement is timed in the server (clock_timestamp() before and
# after, in the same session; the result is one row, so no client transfer
# is measured) and, for the serial ones, also by the backend's CPU time
# (/proc/self/stat read through pg_read_file), which is what the raw rates
# are (thread CPU time) and which other load on the machine hardly
# disturbs.  Every timing is the best of SHC_BENCH_REPEAT runs (default 3).
#
# Profile the core pipelines with
#   valgrind --tool=callgrind build/bench/bench profile-verify 2000
#   valgrind --tool=callgrind build/bench/bench profile-issue 2000
# and the SQL paths with test/bench/profile.sh (callgrind on a backend).
# (perf cannot count instructions in this machine's VM.)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
N=${1:-20000}
SECS=${2:-1.0}
REPEAT=${SHC_BENCH_REPEAT:-3}
case "$N$REPEAT" in *[!0-9]*) echo "usage: bash test/bench/run.sh [N] [seconds]" >&2; exit 2 ;; esac
B=build/bench
mkdir -p "$B/core"

# the core as a static library, so only the objects the bench uses are
# linked (and with them only libcrypto and zlib)
objs=()
for c in src/core/*.c; do
	o=$B/core/$(basename "${c%.c}").o
	cc -std=c99 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-unused-parameter \
		-Isrc/core -c -o "$o" "$c"
	objs+=("$o")
done
rm -f "$B/libshccore.a"
ar rcs "$B/libshccore.a" "${objs[@]}"
cc -std=c99 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-Isrc/core -Itest/bench -o "$B/bench" test/bench/bench.c "$B/libshccore.a" \
	-lcrypto -lz

echo "== core and raw primitives, one core ($(nproc) online)"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
"${pin[@]}" "$B/bench" "$SECS" | tee "$B/core.txt"

# The raw rates are in the last line of core.txt, as
#   RAW_SIGN=... RAW_VERIFY=... RAW_DEFLATE=... RAW_INFLATE=... CORE_ISSUE=... CORE_VERIFY=...
# so later sections can divide by them.
eval "$(tail -n 1 "$B/core.txt")"
export RAW_SIGN RAW_VERIFY RAW_DEFLATE RAW_INFLATE CORE_ISSUE CORE_VERIFY


# --- SQL ------------------------------------------------------------------
[ "$N" -gt 0 ] || exit 0
source test/scripts/common.sh
ensure_packages
pg_bindir >/dev/null
build_install >/dev/null
server_start
cd "$ROOT"
db=shc_bench
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
CLK=$(getconf CLK_TCK)

# timed NAME SQL: one timing of SQL (a statement returning one column n);
# its wall and backend CPU seconds go into bench_run.
timed() {
	cat <<SQL
SELECT clock_timestamp() AS t0, bench_cpu() AS c0 \gset
$2 \gset r_
INSERT INTO bench_run VALUES ('$1', extract(epoch FROM clock_timestamp() - :'t0'), bench_cpu() - :c0, :r_n);
SQL
}

PAR="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
ISSUE="SELECT count(shc_issue(bundle, key => :'kid')) AS n FROM bundles"
VERIFY="SELECT count(*) FILTER (WHERE (shc_verify(card)).valid) AS n FROM cards"

{
	cat <<SQL
\set ON_ERROR_STOP 1
\set QUIET 1
\set N $N
\i $ROOT/test/bench/setup.sql
-- the backend's CPU seconds (utime + stime, fields 14 and 15)
CREATE FUNCTION bench_cpu() RETURNS float8 LANGUAGE sql VOLATILE AS
\$\$ SELECT (f[12]::float8 + f[13]::float8) / $CLK
      FROM string_to_array(split_part(pg_read_file('/proc/self/stat'), ') ', 2), ' ') AS f \$\$;
CREATE TABLE bench_run (name text, wall float8, cpu float8, n bigint);
SELECT 1 AS n \gset r_
SQL
	for _ in $(seq "$REPEAT"); do timed issue "$ISSUE"; done
	cat <<SQL
CREATE TABLE cards AS SELECT i, shc_issue(bundle, key => :'kid') AS card FROM bundles;
VACUUM ANALYZE cards;
SET max_parallel_workers_per_gather = 0;
SQL
	# the pinned search_path (a per-call SET) against none, alternately
	for _ in $(seq "$REPEAT"); do
		timed verify_serial "$VERIFY"
		echo "ALTER FUNCTION shc_verify(text, timestamptz) RESET search_path;"
		timed verify_unpinned "$VERIFY"
		echo "ALTER FUNCTION shc_verify(text, timestamptz) SET search_path = pg_catalog, pg_temp;"
	done
	echo "$PAR"
	for _ in $(seq "$REPEAT"); do timed verify_parallel "$VERIFY"; done
	cat <<SQL
\echo
\echo == the parallel plan
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $VERIFY;
SQL
} >"$B/sql-bench.sql"

log "SQL: $N cards, best of $REPEAT runs each ($(nproc) cores online; load average $(cut -d' ' -f1-3 /proc/loadavg))"
psql -X -d "$db" -f "$B/sql-bench.sql"
psql -X -d "$db" -v n="$N" -v rs="$RAW_SIGN" -v rv="$RAW_VERIFY" -v rd="$RAW_DEFLATE" <<'SQL' | tee "$B/sql.txt"
\set ON_ERROR_STOP 1
\pset footer off
SELECT DISTINCT n = :n AS all_cards_ok FROM bench_run;
\echo == cards per second (wall time of the statement; backend CPU time for the serial ones)
WITH best AS (
  SELECT name, min(wall) AS wall, min(cpu) AS cpu FROM bench_run GROUP BY name)
SELECT name AS statement,
       round((:n / wall)::numeric) AS "cards/s (wall)",
       CASE WHEN name <> 'verify_parallel' THEN round((:n / cpu)::numeric) END AS "cards/s (CPU)",
       round((1e6 * wall / :n)::numeric, 1) AS "us/card (wall)"
  FROM best ORDER BY name;
\echo == ratios (targets: verify >= 0.8, issue >= 0.7, parallel >= 1.7)
WITH best AS (
  SELECT name, min(wall) AS wall, min(cpu) AS cpu FROM bench_run GROUP BY name),
r AS (
  SELECT (SELECT :n / cpu FROM best WHERE name = 'verify_serial') AS sv_cpu,
         (SELECT :n / wall FROM best WHERE name = 'verify_serial') AS sv_wall,
         (SELECT :n / cpu FROM best WHERE name = 'issue') AS si_cpu,
         (SELECT :n / wall FROM best WHERE name = 'issue') AS si_wall,
         (SELECT :n / wall FROM best WHERE name = 'verify_parallel') AS pv_wall,
         (SELECT :n / cpu FROM best WHERE name = 'verify_unpinned') AS uv_cpu,
         (SELECT :n / wall FROM best WHERE name = 'verify_unpinned') AS uv_wall,
         1 / (1 / :rs::float8 + 1 / :rd::float8) AS raw_issue)
SELECT 'SQL verify / raw verify (' || :rv || '/s)' AS ratio,
       round((sv_cpu / :rv)::numeric, 2) AS "by CPU time", round((sv_wall / :rv)::numeric, 2) AS "by wall time"
  FROM r
UNION ALL
SELECT 'SQL issue / (raw sign + raw deflate) (' || round(raw_issue) || '/s)',
       round((si_cpu / raw_issue)::numeric, 2), round((si_wall / raw_issue)::numeric, 2)
  FROM r
UNION ALL
SELECT 'parallel verify (2 workers) / serial verify', NULL, round((pv_wall / sv_wall)::numeric, 2)
  FROM r
UNION ALL
SELECT 'verify with pinned search_path / without', round((sv_cpu / uv_cpu)::numeric, 3), round((sv_wall / uv_wall)::numeric, 3)
  FROM r;
SQL
dropdb "$db"
