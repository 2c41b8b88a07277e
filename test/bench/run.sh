#!/usr/bin/env bash
# run.sh: the benchmark of shc (not part of the pass/fail tests).
#
#   bash test/bench/run.sh [N] [seconds-per-measurement]
#                                    (defaults: N = 20000 cards, 1.0 s)
#
# 1. Core and raw primitives: builds test/bench/bench.c against src/core
#    (-O2, libcrypto, zlib and libdeflate, no PostgreSQL) into build/bench/
#    and runs it pinned to one CPU (the last; SHC_BENCH_CPU): the raw OpenSSL P-256 sign/verify, what
#    "openssl speed ecdsap256" times, zlib and libdeflate DEFLATE/inflate
#    rates and sizes on realistic 3-dose cards, the same work through
#    src/core, and their ratios; then "openssl speed" itself for reference.
# 2. SQL: builds and installs the extension and starts its own scratch
#    server (test/scripts/common.sh; honours SHC_PG_TREE and SHC_PGPORT, like
#    the test command) with shc in shared_preload_libraries (the shared
#    signature memo; SHC_BENCH_SHARED=0 without), creates a stored key, then
#    in one session issues N cards of realistic 3-dose bundles through
#    shc_issue, checks that verifying them a second time (signature memo)
#    and the status-only path give identical results row by row, and times:
#    first-time verify (memo emptied by shc_memo_clear()), verify again
#    (memo warm), shc_verify_status again and first time, GROUP BY status,
#    parallel first time and again (2 workers), and the cost of the
#    functions' pinned search_path (the same statements with it removed in
#    this database; docs/security.md).  It prints cards/second and every
#    ratio against the raw OpenSSL figures of part 1 (docs/performance.md).
#    N = 0 skips this part.
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
# libdeflate (which the core compresses with) is measured beside zlib
ld=(-DHAVE_LIBDEFLATE -ldeflate)
cc -std=c99 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-Isrc/core -Itest/bench -o "$B/bench" test/bench/bench.c "$B/libshccore.a" \
	-lcrypto -lz "${ld[@]}"

echo "== core and raw primitives, one core ($(nproc) online)"
# One CPU for everything measured: the raw primitives here and, below, the
# backend that runs the SQL statements (a VM's vCPUs differ in speed, and
# drift: the two sides of a ratio must run on the same one)
CPU=${SHC_BENCH_CPU:-$(( $(nproc) - 1 ))}
pin=()
command -v taskset >/dev/null && pin=(taskset -c "$CPU")
"${pin[@]}" "$B/bench" "$SECS" | tee "$B/core.txt"
echo "== openssl speed -seconds 1 ecdsap256 (wall time; for reference)"
"${pin[@]}" openssl speed -seconds 1 ecdsap256 2>/dev/null | tail -n 2 || true

# The raw rates are in the last line of core.txt, as
#   RAW_SIGN=... RAW_VERIFY=... RAW_DEFLATE=... RAW_INFLATE=... CORE_ISSUE=...
#   CORE_VERIFY=... SPEED_SIGN=... SPEED_VERIFY=...
# so later sections can divide by them.
eval "$(tail -n 1 "$B/core.txt")"
export RAW_SIGN RAW_VERIFY RAW_DEFLATE RAW_INFLATE CORE_ISSUE CORE_VERIFY SPEED_SIGN SPEED_VERIFY


# --- SQL ------------------------------------------------------------------
[ "$N" -gt 0 ] || exit 0
source test/scripts/common.sh
ensure_packages
pg_bindir >/dev/null
build_install >/dev/null
server_start
cd "$ROOT"
# the shared signature memo (shc in shared_preload_libraries), so that
# parallel workers, which start with empty session memos, find the
# signatures the leader or earlier workers checked; SHC_BENCH_SHARED=0 runs
# with the session memos alone
SHARED=${SHC_BENCH_SHARED:-1}
if [ "$SHARED" = 1 ]; then
	psql -X -q -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'shc'"
	as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -l "$SCRATCH/server.log" -w -t 60 restart >/dev/null
fi
db=shc_bench
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
CLK=$(getconf CLK_TCK)

# timed NAME SQL: one timing of SQL (a statement returning one column n);
# its wall and backend CPU seconds go into bench_run.
# timed NAME SQL raw: the same, with the raw rates measured just before it
# (bench raw), kept in the row so its ratio pairs the two measurements.
timed() {
	if [ "${3:-}" = raw ]; then
		echo "\\! $RAWCMD"
		echo "\\set rawnow \`tail -n 1 $ROOT/$B/raw.txt\`"
	else
		echo "\\set rawnow ''"
	fi
	cat <<SQL
SELECT clock_timestamp() AS t0, bench_cpu() AS c0 \gset
$2 \gset r_
INSERT INTO bench_run VALUES ('$1', extract(epoch FROM clock_timestamp() - :'t0'), bench_cpu() - :c0, :r_n, :'rawnow');
SQL
}

PAR="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
SER="SET max_parallel_workers_per_gather = 0;"
CLEAR="SELECT shc_memo_clear();"
ISSUE="SELECT count(shc_issue(bundle, key => :'kid')) AS n FROM bundles"
VERIFY="SELECT count(*) FILTER (WHERE (shc_verify(card)).valid) AS n FROM cards"
STATUS="SELECT count(*) FILTER (WHERE shc_verify_status(card) = 'valid') AS n FROM cards"
GROUPED="SELECT sum(c) AS n FROM (SELECT shc_verify_status(card) AS s, count(*) AS c FROM cards GROUP BY 1) g WHERE s = 'valid'"

# The raw rates are measured again between the SQL statements (this
# machine's speed drifts by 20 % within minutes: a VM), and every ratio
# divides by the best raw rate seen in the run, as the SQL side takes its
# best of SHC_BENCH_REPEAT runs.
RAWCMD="${pin[*]} $ROOT/$B/bench raw 0.3 >> $ROOT/$B/raw.txt"
tail -n 1 "$B/core.txt" | sed -E 's/ CORE_[A-Z]+=[0-9]+//g; s/ RAW_INFLATE=[0-9]+//; s/ SPEED_VERIFY=[0-9]+//' >"$B/raw.txt"
{
	cat <<SQL
\set ON_ERROR_STOP 1
\set QUIET 1
\set N $N
-- this backend on the CPU the raw rates are measured on
COPY (SELECT pg_backend_pid()) TO PROGRAM 'xargs taskset -p -c $CPU >/dev/null 2>&1 || true';
\i $ROOT/test/bench/setup.sql
-- the backend's CPU seconds (utime + stime, fields 14 and 15)
CREATE FUNCTION bench_cpu() RETURNS float8 LANGUAGE sql VOLATILE AS
\$\$ SELECT (f[12]::float8 + f[13]::float8) / $CLK
      FROM string_to_array(split_part(pg_read_file('/proc/self/stat'), ') ', 2), ' ') AS f \$\$;
CREATE TABLE bench_run (name text, wall float8, cpu float8, n bigint, raw text);
SELECT 1 AS n \gset r_
SQL
	for _ in $(seq "$REPEAT"); do timed issue "$ISSUE" raw; done
	cat <<SQL
CREATE TABLE cards AS SELECT i, shc_issue(bundle, key => :'kid') AS card FROM bundles;
VACUUM ANALYZE cards;
$SER
-- identical results: every row's full verification, first time and again
$CLEAR
CREATE TABLE r1 AS SELECT i, shc_verify(card) AS v FROM cards;
CREATE TABLE r2 AS SELECT i, shc_verify(card) AS v FROM cards;
CREATE TABLE r3 AS SELECT i, shc_verify_status(card) AS s FROM cards;
SQL
	for _ in $(seq "$REPEAT"); do
		echo "$SER $CLEAR"
		timed verify_first "$VERIFY" raw
		# the pinned search_path (a per-call SET) against none, first time
		echo "ALTER FUNCTION shc.shc_verify(text, timestamptz) RESET search_path; $CLEAR"
		timed verify_first_unpinned "$VERIFY" raw
		echo "ALTER FUNCTION shc.shc_verify(text, timestamptz) SET search_path = pg_catalog, pg_temp; $CLEAR"
		timed verify_first "$VERIFY" raw
		timed verify_again "$VERIFY"
		timed status_again "$STATUS"
		timed status_group_again "$GROUPED"
		echo "$CLEAR"
		timed status_first "$STATUS"
		echo "$PAR $CLEAR"
		timed verify_parallel_first "$VERIFY"
		timed verify_parallel_again "$VERIFY"
	done
	# what the pinned search_path of the functions costs per call: the same
	# memo-warm statements with the SET clause removed (this database only)
	cat <<SQL
$SER
ALTER FUNCTION shc.shc_verify(text, timestamptz) RESET search_path;
ALTER FUNCTION shc.shc_verify_status(text, timestamptz) RESET search_path;
SQL
	for _ in $(seq "$REPEAT"); do
		timed verify_again_unpinned "$VERIFY"
		timed status_again_unpinned "$STATUS"
	done
	cat <<SQL
\echo
\echo == the parallel plan
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $VERIFY;
\echo == the memo counters of this session
SELECT * FROM shc_stats();
SQL
} >"$B/sql-bench.sql"

log "SQL: $N cards, best of $REPEAT runs each ($(nproc) cores online; load average $(cut -d' ' -f1-3 /proc/loadavg); shared memo: $SHARED)"
psql -X -d "$db" -f "$B/sql-bench.sql"
# the best raw rate of the run (the first measurement and the interleaved ones)
best_raw() { sed -nE "s/.*$1=([0-9]+).*/\1/p" "$B/raw.txt" | sort -n | tail -n 1; }
echo "== raw rates measured $(wc -l <"$B/raw.txt") times in this run (first, lowest, best):"
for k in RAW_VERIFY SPEED_SIGN RAW_SIGN RAW_DEFLATE; do
	vals=$(sed -nE "s/.*$k=([0-9]+).*/\1/p" "$B/raw.txt")
	printf '  %-12s %s, %s, %s\n' "$k" "$(head -n 1 <<<"$vals")" "$(sort -n <<<"$vals" | head -n 1)" "$(sort -n <<<"$vals" | tail -n 1)"
done
RAW_VERIFY=$(best_raw RAW_VERIFY)
SPEED_SIGN=$(best_raw SPEED_SIGN)
RAW_SIGN=$(best_raw RAW_SIGN)
RAW_DEFLATE=$(best_raw RAW_DEFLATE)
psql -X -d "$db" -v n="$N" -v rs="$RAW_SIGN" -v rv="$RAW_VERIFY" -v rd="$RAW_DEFLATE" \
	-v ss="$SPEED_SIGN" -v sv="$SPEED_VERIFY" <<'SQL' | tee "$B/sql.txt"
\set ON_ERROR_STOP 1
\pset footer off
SELECT DISTINCT n = :n AS all_cards_valid FROM bench_run;
SELECT (SELECT count(*) FROM r1 JOIN r2 USING (i) WHERE r1.v IS DISTINCT FROM r2.v) AS "verify again differs",
       (SELECT count(*) FROM r1 JOIN r3 USING (i) WHERE (r1.v).status IS DISTINCT FROM r3.s) AS "status-only differs";
\echo == cards per second (wall time of the statement; backend CPU time for the serial ones)
WITH best AS (
  SELECT name, min(wall) AS wall, min(cpu) AS cpu FROM bench_run GROUP BY name)
SELECT name AS statement,
       round((:n / wall)::numeric) AS "cards/s (wall)",
       CASE WHEN name NOT LIKE '%parallel%' THEN round((:n / cpu)::numeric) END AS "cards/s (CPU)",
       round((1e6 * wall / :n)::numeric, 1) AS "us/card (wall)"
  FROM best ORDER BY name;
\echo == each run against the raw rates measured just before it (the speed of this machine drifts)
SELECT name, round((n / cpu)::numeric) AS "cards/s (CPU)",
       substring(raw FROM 'RAW_VERIFY=([0-9]+)') AS "raw verify/s",
       substring(raw FROM 'SPEED_SIGN=([0-9]+)') AS "speed sign/s",
       round(CASE WHEN name = 'issue'
                  THEN (n / cpu) / substring(raw FROM 'SPEED_SIGN=([0-9]+)')::float8
                  ELSE (n / cpu) / substring(raw FROM 'RAW_VERIFY=([0-9]+)')::float8 END::numeric, 2) AS "ratio"
  FROM bench_run WHERE raw <> '' ORDER BY name;
\echo == ratios (targets: first-time verify >= 0.85 of raw verify; verify again >= 3 x first time; issue >= 0.5 of openssl speed sign)
WITH best AS (
  SELECT name, min(wall) AS wall, min(cpu) AS cpu FROM bench_run GROUP BY name),
r AS (
  SELECT name, :n / cpu AS cpu, :n / wall AS wall FROM best),
-- each run against the raw rates measured just before it: verify against
-- raw verify; issue against raw sign + raw deflate, and (_ss) against
-- openssl speed sign
raw AS (
  SELECT name, n / cpu AS rate_cpu, n / wall AS rate_wall,
         substring(raw FROM 'RAW_VERIFY=([0-9]+)')::float8 AS rv,
         substring(raw FROM 'SPEED_SIGN=([0-9]+)')::float8 AS ss,
         substring(raw FROM 'RAW_SIGN=([0-9]+)')::float8 AS rs,
         substring(raw FROM 'RAW_DEFLATE=([0-9]+)')::float8 AS rd
    FROM bench_run WHERE raw <> ''),
paired AS (
  SELECT name,
         CASE WHEN name = 'issue' THEN rate_cpu * (1 / rs + 1 / rd) ELSE rate_cpu / rv END AS cpu,
         CASE WHEN name = 'issue' THEN rate_wall * (1 / rs + 1 / rd) ELSE rate_wall / rv END AS wall,
         rate_cpu / ss AS cpu_ss, rate_wall / ss AS wall_ss
    FROM raw)
SELECT ratio, round(by_cpu::numeric, 2) AS "by CPU time", round(by_wall::numeric, 2) AS "by wall time"
  FROM (
SELECT 1 AS o, 'first-time verify / raw verify (paired, median of the runs; best raw ' || :rv || '/s)' AS ratio,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu) FROM paired WHERE name = 'verify_first') AS by_cpu,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wall) FROM paired WHERE name = 'verify_first') AS by_wall
UNION ALL
SELECT 2, 'verify again (memo) / first-time verify',
       (SELECT cpu FROM r WHERE name = 'verify_again') / (SELECT cpu FROM r WHERE name = 'verify_first'),
       (SELECT wall FROM r WHERE name = 'verify_again') / (SELECT wall FROM r WHERE name = 'verify_first')
UNION ALL
SELECT 3, 'verify again (memo) / raw verify',
       (SELECT cpu FROM r WHERE name = 'verify_again') / :rv,
       (SELECT wall FROM r WHERE name = 'verify_again') / :rv
UNION ALL
SELECT 4, 'status-only again / raw verify',
       (SELECT cpu FROM r WHERE name = 'status_again') / :rv,
       (SELECT wall FROM r WHERE name = 'status_again') / :rv
UNION ALL
SELECT 5, 'status-only again / verify again',
       (SELECT cpu FROM r WHERE name = 'status_again') / (SELECT cpu FROM r WHERE name = 'verify_again'),
       (SELECT wall FROM r WHERE name = 'status_again') / (SELECT wall FROM r WHERE name = 'verify_again')
UNION ALL
SELECT 6, 'status-only first time / first-time verify',
       (SELECT cpu FROM r WHERE name = 'status_first') / (SELECT cpu FROM r WHERE name = 'verify_first'),
       (SELECT wall FROM r WHERE name = 'status_first') / (SELECT wall FROM r WHERE name = 'verify_first')
UNION ALL
SELECT 7, 'issue / openssl speed sign (paired, median of the runs; best raw ' || :ss || '/s)',
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ss) FROM paired WHERE name = 'issue'),
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wall_ss) FROM paired WHERE name = 'issue')
UNION ALL
SELECT 8, 'issue / (raw sign + raw deflate) (paired, median of the runs; best raw ' || round(1 / (1 / :rs::float8 + 1 / :rd::float8)) || '/s)',
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu) FROM paired WHERE name = 'issue'),
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wall) FROM paired WHERE name = 'issue')
UNION ALL
SELECT 8.4, 'verify with pinned search_path / without (first time, paired, medians)',
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu) FROM paired WHERE name = 'verify_first') / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu) FROM paired WHERE name = 'verify_first_unpinned'),
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wall) FROM paired WHERE name = 'verify_first') / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wall) FROM paired WHERE name = 'verify_first_unpinned')
UNION ALL
SELECT 8.5, 'verify again without / with SET search_path on the function',
       (SELECT cpu FROM r WHERE name = 'verify_again_unpinned') / (SELECT cpu FROM r WHERE name = 'verify_again'),
       (SELECT wall FROM r WHERE name = 'verify_again_unpinned') / (SELECT wall FROM r WHERE name = 'verify_again')
UNION ALL
SELECT 8.6, 'status-only again without / with SET search_path',
       (SELECT cpu FROM r WHERE name = 'status_again_unpinned') / (SELECT cpu FROM r WHERE name = 'status_again'),
       (SELECT wall FROM r WHERE name = 'status_again_unpinned') / (SELECT wall FROM r WHERE name = 'status_again')
UNION ALL
SELECT 9, 'parallel first-time verify (2 workers) / serial', NULL,
       (SELECT wall FROM r WHERE name = 'verify_parallel_first') / (SELECT wall FROM r WHERE name = 'verify_first')
UNION ALL
SELECT 10, 'parallel verify again (2 workers) / serial again', NULL,
       (SELECT wall FROM r WHERE name = 'verify_parallel_again') / (SELECT wall FROM r WHERE name = 'verify_again')
) x ORDER BY o;
SQL
dropdb "$db"
if [ "$SHARED" = 1 ]; then
	psql -X -q -d postgres -c "ALTER SYSTEM RESET shared_preload_libraries"
fi
