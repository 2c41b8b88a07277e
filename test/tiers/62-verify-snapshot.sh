#!/usr/bin/env bash
# Tier "verify-snapshot": verification is snapshot-consistent (issue 11,
# "Parallel and serial answers differ").  6,000 cards with rids are issued
# and trusted; session A holds a transaction open while session B commits
# a revocation list that revokes 4,000 of them.  In REPEATABLE READ, A's
# serial count and its forced-parallel count (Gather with launched
# workers) are equal and are what A's snapshot holds (nothing revoked);
# in READ COMMITTED both see B's commit, and neither sees B's change
# before it commits.  On 0.1.0 the leader's cache followed the latest
# committed trust store (the CRL applied) while the workers read the
# query's snapshot (no CRL), so the two counts differed.  The CRL is longer
# than the cache holds (1,000 entries), so its rids are looked up in
# shc_trusted_rid's index, by the leader and by every worker.
set -uo pipefail
cd "$SHC_ROOT"
db=shc_snapshot
N=${SHC_SNAPSHOT_CARDS:-6000}
R=${SHC_SNAPSHOT_REVOKED:-4000}
ISS=https://snapshot.example.org
source test/scripts/tier.sh

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
if ! psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL; then
CREATE EXTENSION shc;
SELECT shc_key_create('$ISS') AS kid \gset
CREATE TABLE scans (id int, rid text, card text);
INSERT INTO scans
SELECT i, 'r' || i, shc_issue(shc_bundle(shc_fhir_patient('P' || i), ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01')]),
                              :'kid', nbf => '2023-01-01', rid => 'r' || i)
  FROM generate_series(1, $N) i;
ANALYZE scans;
SELECT shc_trust('$ISS', shc_jwks('$ISS'));
CREATE TABLE crl AS
SELECT jsonb_build_object('kid', :'kid', 'method', 'rid', 'ctr', 1,
                          'rids', jsonb_agg('r' || i)) AS doc
  FROM generate_series(1, $R) i;
SQL
	echo "tier verify-snapshot: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

work=$(mktemp -d)
# session <name>: one backend fed through a FIFO, so a transaction stays open
start_session() {
	mkfifo "$work/$1.in"
	: >"$work/$1.out"
	psql -X -q -At -d "$db" <"$work/$1.in" >"$work/$1.out" 2>&1 &
	echo $! >"$work/$1.pid"
	echo 0 >"$work/$1.n"
}
# in <name> <sql>: run in that session and print its output
in_s() {
	local s=$1 before n
	n=$(($(cat "$work/$s.n") + 1))
	echo "$n" >"$work/$s.n"
	before=$(wc -l <"$work/$s.out")
	printf '%s\n\\echo @@%d\n' "$2" "$n" >>"$work/$s.in"
	for _ in $(seq 1 1200); do
		grep -q "^@@$n\$" "$work/$s.out" && break
		sleep 0.1
	done
	tail -n +"$((before + 1))" "$work/$s.out" | grep -v '^@@'
}
start_session a
start_session b
# keep both FIFOs open for the sessions' lifetime
exec 3>"$work/a.in" 4>"$work/b.in"

AT="'2024-01-01 00:00:00+00'"
SERIAL="SET max_parallel_workers_per_gather = 0;"
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
COUNT="SELECT count(*) FILTER (WHERE (shc_verify(card, $AT)).status = 'valid') FROM scans;"

# the plan really is parallel
plan=$(in_s a "$PAR EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $COUNT")
launched=$(sed -nE 's/.*Workers Launched: ([0-9]+).*/\1/p' <<<"$plan" | head -n 1)
is "$([ "${launched:-0}" -ge 1 ] && echo yes || echo no)" "yes" "the forced plan launches parallel workers (${launched:-0})"
is "$(in_s a "$SERIAL $COUNT")" "$N" "before the CRL: all $N cards are valid"

# --- REPEATABLE READ ---------------------------------------------------------
in_s a "BEGIN ISOLATION LEVEL REPEATABLE READ; $SERIAL $COUNT" >/dev/null
in_s b "SELECT shc_trust_crl('$ISS', doc) FROM crl;" >/dev/null
serial=$(in_s a "$SERIAL $COUNT")
parallel=$(in_s a "$PAR $COUNT")
echo "# repeatable read, after B committed the CRL: serial $serial, parallel $parallel"
is "$parallel" "$serial" "REPEATABLE READ: forced-parallel count equals serial count"
is "$serial" "$N" "REPEATABLE READ: the transaction's snapshot predates the CRL, so nothing is revoked"
is "$(in_s a "SELECT count(*) FILTER (WHERE (shc_verify(card, $AT)).status = 'revoked') FROM scans;")" "0" \
	"REPEATABLE READ: and no card is called revoked"
in_s a "COMMIT;" >/dev/null
in_s a "BEGIN ISOLATION LEVEL REPEATABLE READ;" >/dev/null
serial=$(in_s a "$SERIAL $COUNT")
parallel=$(in_s a "$PAR $COUNT")
is "$serial/$parallel" "$((N - R))/$((N - R))" "a new REPEATABLE READ transaction sees the CRL, serial and parallel"
in_s a "COMMIT;" >/dev/null
# a long revocation list is searched in its index, not copied into the session
bytes=$(in_s a "SELECT sum(total_bytes) FROM pg_backend_memory_contexts WHERE name = 'shc trust cache';")
echo "# trust cache with a $R-entry CRL: $bytes bytes"
is "$([ -n "$bytes" ] && [ "$bytes" -lt 65536 ] && echo small || echo "large ($bytes)")" "small" \
	"the session's trust cache stays small with a $R-entry CRL (rids looked up, not copied)"

# --- READ COMMITTED ----------------------------------------------------------
# B replaces the CRL in an open transaction: A must not see it before the commit
in_s b "BEGIN; SELECT shc_trust_crl('$ISS', jsonb_build_object('kid', doc->'kid', 'method', 'rid', 'ctr', 2, 'rids', '[]'::jsonb)) FROM crl;" >/dev/null
in_s a "BEGIN ISOLATION LEVEL READ COMMITTED;" >/dev/null
serial=$(in_s a "$SERIAL $COUNT")
parallel=$(in_s a "$PAR $COUNT")
is "$serial/$parallel" "$((N - R))/$((N - R))" "READ COMMITTED: B's uncommitted CRL is seen neither serially nor in parallel"
in_s b "COMMIT;" >/dev/null
serial=$(in_s a "$SERIAL $COUNT")
parallel=$(in_s a "$PAR $COUNT")
is "$serial/$parallel" "$N/$N" "READ COMMITTED: the next statement sees B's commit, serially and in parallel"
in_s a "COMMIT;" >/dev/null

# --- one statement, one answer: a trust change inside A's own transaction ----
in_s a "BEGIN; SELECT shc_trust_crl('$ISS', jsonb_set(doc, '{ctr}', '3')) FROM crl;" >/dev/null
serial=$(in_s a "$SERIAL $COUNT")
parallel=$(in_s a "$PAR $COUNT")
is "$serial/$parallel" "$((N - R))/$((N - R))" "A's own uncommitted CRL: serial and parallel agree"
in_s a "ROLLBACK;" >/dev/null
is "$(in_s a "$SERIAL $COUNT")" "$N" "after A's rollback the CRL is gone again"

exec 3>&- 4>&-
wait "$(cat "$work/a.pid")" "$(cat "$work/b.pid")" 2>/dev/null
rm -rf "$work"
dropdb "$db"
echo "tier verify-snapshot: $pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
