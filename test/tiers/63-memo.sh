#!/usr/bin/env bash
# Tier "memo": the signature memo across sessions, parallel workers and
# trust changes (docs/performance.md).  Bulk forged cards (every status)
# are verified with the memo off for the reference, then with the session
# memo, serially and with 2 parallel workers, twice each; then the server is
# restarted with shc in shared_preload_libraries (the shared memo) and the
# same runs must give the same rows, the workers must find the leader's
# checks in the shared memo, and untrusting an issuer must change exactly
# what it changes with the memo off.  The server is restarted without the
# preload at the end.
set -uo pipefail
cd "$SHC_ROOT"
db=shc_memo
N=${SHC_MEMO_CARDS:-2000}
source test/scripts/tier.sh
as_server_user() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
restart() {
	as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -l "$SCRATCH/server.log" -w -t 60 restart >/dev/null
}

cards=$(mktemp)
node test/scripts/forge-cards.mjs --bulk "$N" >"$cards" || { echo "tier memo: 0 passed, 1 failed, 0 skipped"; exit 1; }
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
q >/dev/null <<SQL
CREATE EXTENSION shc;
\set fx \`cat test/data/forged-cards.json\`
CREATE TABLE fx AS SELECT :'fx'::jsonb AS j;
SELECT shc_trust(j->'issuers'->>'a', j->'jwks'->'a'), shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx;
SELECT shc_trust_crl(j->'issuers'->>'a', j->'crl') FROM fx;
CREATE TABLE scans (id serial, expect text, card text);
\copy scans (expect, card) FROM '$cards'
ANALYZE scans;
SQL
rm -f "$cards"

AT="'2024-01-01 00:00:00+00'"
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
SER="SET max_parallel_workers_per_gather = 0;"
OFF="SET shc.signature_memo_size = 0;"
# every row's full result, as one digest: a sum of per-row hashes, which
# parallel plans compute in the workers (partial aggregates), so the workers
# verify the cards
ROWS="SELECT sum(hashtextextended(s.id || ':' || v.status || ':' || v.reason || ':' || coalesce(md5(v.bundle::text), '-'), 0))
        FROM scans s, LATERAL shc_verify(s.card, $AT) v"
STATUS="SELECT sum(hashtextextended(id || ':' || shc_verify_status(card, $AT), 0)) FROM scans"
untrust_b() { q -c "SELECT shc_untrust(j->'issuers'->>'b') FROM fx" >/dev/null; }
trust_b() { q -c "SELECT shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx" >/dev/null; }

# references, memo off
ref1=$(q -c "$SER" -c "$OFF" -c "$ROWS")
ref1s=$(q -c "$SER" -c "$OFF" -c "$STATUS")
untrust_b
ref2=$(q -c "$SER" -c "$OFF" -c "$ROWS")
ref2s=$(q -c "$SER" -c "$OFF" -c "$STATUS")
trust_b
check "untrusting issuer b changes results (memo off)" [ "$ref1" != "$ref2" ]
expected=$(q -c "SELECT count(*) FROM scans WHERE expect = 'valid'")
is "$(q -c "$SER" -c "SELECT count(*) FROM scans WHERE (shc_verify(card, $AT)).valid")" "$expected" "valid cards as the forger expects"

# the session memo: serial twice in one session, then parallel twice
out=$(q -c "$SER" -c "$ROWS" -c "$ROWS" -c "$STATUS" -c "SELECT hits > 0 FROM shc_stats() WHERE memo = 'backend'")
is "$out" "$ref1
$ref1
$ref1s
t" "session memo, serial: first pass, second pass (hits) and status-only equal the reference"
out=$(q -c "$PAR" -c "$ROWS" -c "$ROWS" -c "$STATUS")
is "$out" "$ref1
$ref1
$ref1s" "session memo, 2 parallel workers: both passes and status-only equal the reference"
plan=$(q -c "$PAR" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $ROWS")
launched=$(sed -nE 's/.*Workers Launched: ([0-9]+).*/\1/p' <<<"$plan" | head -n 1)
check "the parallel plan verifies in launched workers (${launched:-0})" [ "${launched:-0}" -ge 1 ]

# the shared memo
q -c "ALTER SYSTEM SET shared_preload_libraries = 'shc'" >/dev/null
restart
is "$(q -c "SELECT count(*) FROM shc_stats() WHERE memo = 'shared'")" "1" "preloaded: shc_stats() has the shared memo"
out=$(q -c "$PAR" -c "$ROWS" -c "$ROWS")
is "$out" "$ref1
$ref1" "shared memo, 2 parallel workers: both passes equal the reference"
shits=$(q -c "SELECT hits FROM shc_stats() WHERE memo = 'shared'")
check "the second parallel pass found checks in the shared memo ($shits hits)" [ "${shits:-0}" -gt 0 ]
out=$(q -c "$SER" -c "$ROWS")
is "$out" "$ref1" "shared memo, a new session, serial: equal the reference"
untrust_b
out=$(q -c "$PAR" -c "$ROWS" -c "$STATUS")
is "$out" "$ref2
$ref2s" "issuer b untrusted, memoized checks: parallel results equal the memo-off reference"
out=$(q -c "$SER" -c "$ROWS")
is "$out" "$ref2" "issuer b untrusted: serial results equal the memo-off reference"
trust_b
out=$(q -c "$PAR" -c "$ROWS")
is "$out" "$ref1" "issuer b trusted again: results equal the first reference"
# the shared memo's entries are per database (issue 22): a copy of this
# database finds none of the checks made here, then its own
dropdb --if-exists "${db}_other" >/dev/null 2>&1
createdb -T "$db" "${db}_other"
h0=$(q -c "SELECT hits FROM shc_stats() WHERE memo = 'shared'")
psql -X -q -At -v ON_ERROR_STOP=1 -d "${db}_other" -c "$SER" -c "$ROWS" >/dev/null
h1=$(q -c "SELECT hits FROM shc_stats() WHERE memo = 'shared'")
is "$((h1 - h0))" "0" "another database finds none of this database's checks in the shared memo"
psql -X -q -At -v ON_ERROR_STOP=1 -d "${db}_other" -c "$SER" -c "$ROWS" >/dev/null
h2=$(q -c "SELECT hits FROM shc_stats() WHERE memo = 'shared'")
check "and finds its own in a new session ($((h2 - h1)) hits)" [ "$((h2 - h1))" -gt 0 ]
dropdb "${db}_other"
q -c "SELECT shc_memo_clear()" >/dev/null
is "$(q -c "SELECT entries FROM shc_stats() WHERE memo = 'shared'")" "0" "shc_memo_clear() empties the shared memo"

q -c "ALTER SYSTEM RESET shared_preload_libraries" >/dev/null
restart
is "$(q -c "SELECT count(*) FROM shc_stats() WHERE memo = 'shared'")" "0" "not preloaded: no shared memo"

dropdb "$db"
echo "tier memo: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
