#!/usr/bin/env bash
# Tier "verify-parallel": shc_verify over a table of 10,000 forged cards
# (test/scripts/forge-cards.mjs --bulk, signed at run time with the suite's
# test keys): every row gets its expected status, a parallel plan (Gather
# with launched workers) gives the same counts as a serial plan.
set -uo pipefail
cd "$SHC_ROOT"
db=shc_parallel
N=${SHC_PARALLEL_CARDS:-10000}
source test/scripts/tier.sh

cards=$(mktemp)
node test/scripts/forge-cards.mjs --bulk "$N" >"$cards" || { echo "tier verify-parallel: 0 passed, 1 failed, 0 skipped"; exit 1; }
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
CREATE EXTENSION shc;
\set fx \`cat test/data/forged-cards.json\`
CREATE TEMP TABLE fx AS SELECT :'fx'::jsonb AS j;
SELECT shc_trust(j->'issuers'->>'a', j->'jwks'->'a'), shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx;
SELECT shc_trust_crl(j->'issuers'->>'a', j->'crl') FROM fx;
CREATE TABLE scans (id serial, expect text, card text);
\copy scans (expect, card) FROM '$cards'
ANALYZE scans;
SQL
rm -f "$cards"
is "$(psql -X -At -d "$db" -c 'SELECT count(*) FROM scans')" "$N" "$N cards loaded"

AT="'2024-01-01 00:00:00+00'"
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
Q="SELECT (shc_verify(card, $AT)).status, count(*) FROM scans GROUP BY 1 ORDER BY 1"

serial=$(psql -X -q -At -d "$db" -c "SET max_parallel_workers_per_gather = 0" -c "$Q")
parallel=$(psql -X -q -At -d "$db" -c "$PAR" -c "$Q")
expected=$(psql -X -At -d "$db" -c "SELECT expect, count(*) FROM scans GROUP BY 1 ORDER BY 1")
echo "serial:"; echo "$serial"
is "$parallel" "$serial" "parallel counts equal serial counts"
is "$serial" "$expected" "counts equal the forger's expectations"
is "$(psql -X -q -At -d "$db" -c "$PAR" -c "SELECT count(*) FROM scans WHERE (shc_verify(card, $AT)).status <> expect")" \
	"0" "every row has its expected status (parallel)"

plan=$(psql -X -q -At -d "$db" -c "$PAR" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $Q")
echo "$plan"
is "$(grep -c 'Gather' <<<"$plan" | tr -d ' ')" "1" "the plan has a Gather node"
launched=$(sed -nE 's/.*Workers Launched: ([0-9]+).*/\1/p' <<<"$plan" | head -n 1)
is "$([ "${launched:-0}" -ge 1 ] && echo yes || echo no)" "yes" "parallel workers were launched (${launched:-0})"
is "$(grep -c 'Parallel Seq Scan on scans' <<<"$plan" | tr -d ' ')" "1" "the scan of the cards is parallel"

dropdb "$db"
echo "tier verify-parallel: $pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
