#!/usr/bin/env bash
# Tier "memory": the memory of a backend does not grow with the number of
# calls.  One backend calls shc_issue (stored key and JWK) and shc_verify
# (every status of test/data/forged-cards.json plus issued cards), the
# readers (shc_decode, shc_verify_file, QR images, the printable card) and
# every error path that raises after OpenSSL, zlib or libqrencode work
# (inside PL/pgSQL EXCEPTION blocks), some hundreds of thousands of times,
# and samples its own anonymous RSS (/proc/<pid>/status RssAnon, where
# OpenSSL's and zlib's malloc memory shows) and the total of its memory
# contexts:
#   - across statements: after two warm-up rounds, the later half of
#     SHC_MEMORY_ROUNDS more rounds must not go above the peak of the earlier
#     ones by more than SHC_MEMORY_SLACK_KB;
#   - within one statement: 100,000 verifications in one SELECT, sampled
#     every 12,600, must not grow RSS or contexts.
# The fixtures and the round are in test/load/memory-setup.sql.
set -uo pipefail
cd "$SHC_ROOT"
db=shc_memory
REPS=${SHC_MEMORY_REPS:-40}				# reps per round, ~28,000 calls
ROUNDS=${SHC_MEMORY_ROUNDS:-8}			# measured rounds after 2 warm-ups
SLACK=${SHC_MEMORY_SLACK_KB:-1024}
source test/scripts/tier.sh

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
if ! psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/load/memory-setup.sql >/dev/null; then
	echo "tier memory: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

start=$(date +%s)
# one backend for everything below
out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<SQL
SET client_min_messages = warning;
SET log_min_messages = warning;
-- JIT off: LLVM keeps memory per compiled query in PostgreSQL 15 (not
-- ours; seen with heaptrack), which would hide a small leak of our own
SET jit = off;
SELECT pg_backend_pid();
-- warm-up: two rounds reach the allocator's high-water mark
SELECT mem_sample('round', 0, mem_round($REPS) + mem_round($REPS)) \g /dev/null
$(for i in $(seq 1 "$ROUNDS"); do echo "SELECT mem_sample('round', $i, mem_round($REPS)) \\g /dev/null"; done)
-- within one statement: 1600 x 63 verifications, sampled every 200 x 63
SELECT count(*) FILTER (WHERE (shc_verify(c.card, '2024-01-01 00:00:00+00')).status <> c.expect) AS wrong,
       count(*) FILTER (WHERE c.name = 'valid' AND i % 200 = 0 AND mem_sample('statement', i / 200, i * 63))
  FROM generate_series(1, 1600) i, cards c WHERE c.name <> 'inflate-bomb';
SQL
)
rc=$?
echo "$out" | sed 's/^/# /'
is "$rc" "0" "the rounds ran without an unexpected status or error in one backend"
echo "# $(( $(date +%s) - start )) s"

show="SELECT label, step, CASE label WHEN 'round' THEN sum(calls) OVER (PARTITION BY label ORDER BY step) ELSE calls END AS calls_so_far, rss_anon_kb, contexts_bytes FROM samples ORDER BY label, step"
psql -X -q -d "$db" -c "$show" | sed 's/^/# /'
total=$(psql -X -At -d "$db" -c "SELECT sum(calls) FROM samples WHERE label = 'round'")
is "$([ "${total:-0}" -ge 250000 ] && echo yes || echo no)" "yes" "${total:-0} calls across statements (at least 250,000)"
is "$(psql -X -At -d "$db" -c "SELECT count(*) FROM samples WHERE label = 'round'")" "$((ROUNDS + 1))" "a sample after the warm-up and after each of $ROUNDS rounds"
# a leak grows with the calls: the later half of the rounds must not go
# above the peak of the warm-up and the earlier half (the allocator's
# high-water mark moves a little with fragmentation, then returns)
half=$((ROUNDS / 2))
read -r grow ctx <<<"$(psql -X -At -F ' ' -d "$db" -c "SELECT max(rss_anon_kb) FILTER (WHERE step > $half) - max(rss_anon_kb) FILTER (WHERE step <= $half), max(contexts_bytes) FILTER (WHERE step > $half) - max(contexts_bytes) FILTER (WHERE step <= $half) FROM samples WHERE label = 'round'")"
is "$([ "${grow:-999999}" -le "$SLACK" ] && echo yes || echo no)" "yes" "RSS in rounds $((half + 1))-$ROUNDS exceeds its peak in the warm-up and rounds 1-$half by ${grow:-?} kB (at most $SLACK kB)"
is "$([ "${ctx:-999999}" -le 65536 ] && echo yes || echo no)" "yes" "memory contexts in rounds $((half + 1))-$ROUNDS exceed their earlier peak by ${ctx:-?} bytes (at most 64 kB)"
read -r sgrow sctx n <<<"$(psql -X -At -F ' ' -d "$db" -c "SELECT max(rss_anon_kb) - min(rss_anon_kb) FILTER (WHERE step = 1), max(contexts_bytes) - min(contexts_bytes) FILTER (WHERE step = 1), count(*) FROM samples WHERE label = 'statement'")"
is "${n:-0}" "8" "8 samples inside the 100,800-verification statement"
is "$([ "${sgrow:-999999}" -le 512 ] && echo yes || echo no)" "yes" "RSS inside one statement grew by ${sgrow:-?} kB from the first sample to the last (at most 512 kB)"
is "${sctx:-?}" "0" "memory contexts inside one statement did not grow"

# 100 MB inputs: refused without a copy (an ARRAY[...] built in the query
# would be PostgreSQL's own copy: the array is stored instead).  The input itself is read once
# (VmHWM, the backend's peak RSS, includes it); no function may raise the
# peak by a further copy.
psql -X -q -d "$db" -c "CREATE TABLE big AS SELECT repeat('a', 100000000) AS t, 'shc:/' || repeat('56', 50000000) AS q, ARRAY['shc:/' || repeat('56', 50000000)] AS qa"
# a new backend: its peak so far is one detoasted input
hwm=$(psql -X -q -At -d "$db" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.hwm() RETURNS bigint LANGUAGE sql AS $$
	SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s*(\d+)')::bigint $$;
CREATE FUNCTION pg_temp.try(q text) RETURNS void LANGUAGE plpgsql AS $$
	BEGIN EXECUTE q; EXCEPTION WHEN OTHERS THEN NULL; END $$;
SELECT length(q) FROM big \g /dev/null
SELECT pg_temp.hwm() AS before \gset
SELECT (shc_verify(t)).status FROM big \g /dev/null
SELECT (shc_verify(q)).status FROM big \g /dev/null
SELECT pg_temp.try('SELECT shc_decode(t) FROM big') \g /dev/null
SELECT pg_temp.try('SELECT shc_decode(q) FROM big') \g /dev/null
SELECT pg_temp.try('SELECT shc_qr_decode(qa) FROM big') \g /dev/null
SELECT pg_temp.try('SELECT shc_qr_png(t) FROM big') \g /dev/null
SELECT pg_temp.try('SELECT shc_qr_svg(q) FROM big') \g /dev/null
SELECT pg_temp.try('SELECT shc_card_svg(t) FROM big') \g /dev/null
SELECT pg_temp.try('SELECT shc_qr_numeric(t) FROM big') \g /dev/null
SELECT pg_temp.try('SELECT shc_qr_chunks(t) FROM big') \g /dev/null
SELECT jws_length FROM big, shc_qr_info(t) \g /dev/null
SELECT :before, pg_temp.hwm() - :before;
SQL
)
echo "# VmHWM (kB) with the 100 MB inputs read, and its growth: $hwm"
is "$([ "${hwm#*|}" -le 16384 ] 2>/dev/null && echo yes || echo no)" "yes" "100 MB inputs to shc_verify, shc_decode, shc_qr_*, shc_card_svg raise the peak RSS by at most 16 MB"

[ "$fail" -eq 0 ] && dropdb "$db"
echo "tier memory: $pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
