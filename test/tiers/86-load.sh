#!/usr/bin/env bash
# Tier "load": pgbench clients issue cards from a trigger and verify cards
# concurrently for SHC_LOAD_SECONDS while another session keeps changing
# the trust store (untrust and re-trust an unrelated issuer and the card
# issuer itself).  Afterwards: no pgbench error, every dose has exactly one
# card, every card verifies, the statuses seen during the run are only the
# ones the trust changes allow, and a session whose cache stayed warm
# through the run sees the final trust state.  Scripts: test/load/.
set -uo pipefail
cd "$SHC_ROOT"
db=shc_load
SECS=${SHC_LOAD_SECONDS:-20}
CLINIC=https://clinic.example.org
B=https://issuer-b.example.org
source test/scripts/tier.sh
q() { psql -X -q -At -d "$db" -c "$1"; }

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
if ! psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/load/load-setup.sql >/dev/null; then
	echo "tier load: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
# a few cards before the run, so verifiers have work from the start
pgbench -n -t 10 -c 1 -f test/load/issue.sql "$db" >/dev/null 2>&1

work=$(mktemp -d)
chmod 755 "$work"
# session A: one backend kept warm through the whole run
mkfifo "$work/in"
psql -X -q -At -d "$db" <"$work/in" >"$work/a.out" 2>&1 &
apid=$!
exec 3>"$work/in"
echo "SELECT 'A warm', count(*) FROM cards, shc_verify(card) v WHERE v.valid;" >&3

# the trust store changes while the clients run
(
	n=0
	end=$((SECONDS + SECS - 2))
	while [ "$SECONDS" -lt "$end" ]; do
		q "SELECT shc_untrust('$B')" >/dev/null
		sleep 0.2
		q "SELECT shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx" >/dev/null
		q "SELECT shc_untrust('$CLINIC')" >/dev/null
		sleep 0.2
		q "SELECT shc_trust(iss, shc_jwks(iss), 'Load test clinic') FROM clinic" >/dev/null
		n=$((n + 1))
		sleep 0.3
	done
	# the final state: issuer b untrusted, the clinic trusted
	q "SELECT shc_untrust('$B')" >/dev/null
	echo "$n" >"$work/cycles"
) &
cpid=$!
pgbench -n -T "$SECS" -c 3 -j 1 -f test/load/issue.sql "$db" >"$work/issue.log" 2>&1 &
ip=$!
pgbench -n -T "$SECS" -c 3 -j 1 -f test/load/verify.sql "$db" >"$work/verify.log" 2>&1 &
vp=$!
for _ in $(seq 1 $((SECS / 2))); do
	sleep 2
	echo "SELECT 'A during', count(*) FROM cards, shc_verify(card) v WHERE v.valid;" >&3
done
wait "$ip"; irc=$?
wait "$vp"; vrc=$?
wait "$cpid"
sed 's/^/# issue: /' "$work/issue.log" | grep -E 'clients|transactions|tps|failed|error|abort' || true
sed 's/^/# verify: /' "$work/verify.log" | grep -E 'clients|transactions|tps|failed|error|abort' || true
is "$irc/$vrc" "0/0" "both pgbench runs exit 0"
failed() { sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$1"; }
is "$(failed "$work/issue.log")/$(failed "$work/verify.log")" "0/0" "no failed transaction (issue/verify)"
issued=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$work/issue.log")
verified=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$work/verify.log")
echo "# $issued doses inserted by pgbench, $verified verify transactions, $(cat "$work/cycles") trust change cycles"
is "$([ "${issued:-0}" -gt 0 ] && [ "${verified:-0}" -gt 0 ] && echo yes || echo no)" "yes" "both kinds of client did work"

# rows: one card per dose, none lost, none twice
is "$(q "SELECT count(*) FROM vaccinations")" "$((issued + 10))" "every inserted dose is in vaccinations ($((issued + 10)))"
is "$(q "SELECT count(*) || '/' || count(DISTINCT vaccination_id) FROM cards")" "$((issued + 10))/$((issued + 10))" "one card per dose, no duplicate"
is "$(q "SELECT count(*) FROM vaccinations v LEFT JOIN cards c ON c.vaccination_id = v.id WHERE c.id IS NULL")" "0" "no dose without a card"

# what the verifiers saw during the run
q "SELECT status, sum(n) FROM seen WHERE status LIKE 'clinic:%' GROUP BY 1 ORDER BY 1" | sed 's/^/# seen /'
is "$(q "SELECT count(*) FROM seen WHERE status NOT IN ('clinic:valid', 'clinic:unknown_issuer') AND status LIKE 'clinic:%'")" "0" "clinic cards were only valid or unknown_issuer (while untrusted) during the run"
is "$([ "$(q "SELECT coalesce(sum(n), 0) FROM seen WHERE status = 'clinic:unknown_issuer'")" -gt 0 ] && echo yes || echo no)" "yes" "the verifiers saw the clinic untrusted at times (the trust changes reached their caches)"
is "$(q "SELECT count(*) FROM seen s JOIN fixture_cards f ON s.status LIKE 'fixture:' || f.name || ':%'
          WHERE split_part(s.status, ':', 3) <> f.expect
            AND NOT (split_part(s.status, ':', 3) = 'unknown_issuer' AND s.status LIKE '%:$B')")" \
	"0" "fixture cards had their expected status, or unknown_issuer while issuer b was untrusted"

# the final state, seen by the warm session and by a new one
is "$(q "SELECT count(*) FILTER (WHERE NOT (shc_verify(card)).valid) FROM cards")" "0" "every issued card verifies valid after the run"
echo "SELECT 'A final', (SELECT count(*) FILTER (WHERE NOT (shc_verify(card)).valid) FROM cards), (SELECT (shc_verify(card, '2024-01-01')).status FROM fixture_cards WHERE name = 'valid-issuer-b');" >&3
q "SELECT shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx" >/dev/null
echo "SELECT 'A retrusted', (SELECT (shc_verify(card, '2024-01-01')).status FROM fixture_cards WHERE name = 'valid-issuer-b');" >&3
exec 3>&-
wait "$apid"
grep -c '^A during' "$work/a.out" | sed 's/^/# session A verified during the run, times: /'
is "$(grep '^A final' "$work/a.out")" "A final|0|unknown_issuer" "warm session A: every clinic card valid, issuer b's card unknown_issuer (final state)"
is "$(grep '^A retrusted' "$work/a.out")" "A retrusted|valid" "warm session A sees issuer b trusted again"
is "$(grep -c -E 'ERROR|FATAL' "$work/a.out")" "0" "session A had no error"
rm -rf "$work"
[ "$fail" -eq 0 ] && dropdb "$db"
echo "tier load: $pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
