#!/usr/bin/env bash
# Tier "trust-sessions": the per-backend key cache never serves stale
# trust.  Session A keeps one backend (psql fed through a FIFO) with a
# warm cache; session B changes the trust store; A must see each change at
# its next statement.  A warm cache runs no query on the trust tables.
# Then the trust store survives pg_dump and restore.
set -uo pipefail
cd "$SHC_ROOT"
db=shc_sessions
source test/scripts/tier.sh

dropdb --if-exists "$db" >/dev/null 2>&1
dropdb --if-exists "${db}_restored" >/dev/null 2>&1
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION shc;
\set fx `cat test/data/forged-cards.json`
CREATE TABLE fx AS SELECT :'fx'::jsonb AS j;
CREATE TABLE cards AS SELECT e->>'name' AS name, e->>'card' AS card FROM fx, jsonb_array_elements(j->'cards') e;
SELECT shc_trust(j->'issuers'->>'a', j->'jwks'->'a'), shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx;
SELECT shc_trust_crl(j->'issuers'->>'a', j->'crl') FROM fx;
SQL

work=$(mktemp -d)
mkfifo "$work/in"
psql -X -q -At -d "$db" <"$work/in" >"$work/out" 2>&1 &
apid=$!
exec 3>"$work/in"
echo 0 >"$work/n"
# run a statement in session A and print its output
in_a() {
	local before n
	# a marker unique across calls (in_a runs in command substitutions)
	n=$(($(cat "$work/n") + 1))
	echo "$n" >"$work/n"
	before=$(wc -l <"$work/out")
	printf '%s\n\\echo @@%d\n' "$1" "$n" >&3
	for _ in $(seq 1 300); do
		grep -q "^@@$n\$" "$work/out" && break
		sleep 0.1
	done
	tail -n +"$((before + 1))" "$work/out" | grep -v '^@@'
}
in_b() { psql -X -q -At -d "$db" -c "$1" >/dev/null; }
STATUS_B="SELECT (shc_verify(card, '2024-01-01 00:00:00+00')).status FROM cards WHERE name = 'valid-issuer-b';"
STATUS_A="SELECT (shc_verify(card, '2024-01-01 00:00:00+00')).status FROM cards WHERE name = 'revoked-all';"

is "$(in_a "$STATUS_B" | sort -u)" "valid" "A: issuer b's card is valid (cache warm)"
# pending scan counters of the trust tables, read before and after in one
# transaction (PostgreSQL 15 keeps them per backend until flushed)
SCANS="SELECT pg_stat_get_xact_numscans('shc_trusted_issuer'::regclass) + pg_stat_get_xact_numscans('shc_trusted_key'::regclass) + pg_stat_get_xact_numscans('shc_trusted_crl'::regclass);"
raw=$(in_a "BEGIN; $SCANS SELECT count(*) FROM cards, shc_verify(card, '2024-01-01 00:00:00+00') v; $SCANS COMMIT;")
sed 's/^/# /' <<<"$raw"
is "$(awk 'NR==1{a=$1} NR==3{print $1-a}' <<<"$raw")" \
	"0" "A: a warm cache verifies every card without reading the trust tables"
in_b "SELECT shc_untrust('https://issuer-b.example.org')"
is "$(in_a "$STATUS_B")" "unknown_issuer" "A: sees B's shc_untrust at once"
in_b "SELECT shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx"
is "$(in_a "$STATUS_B")" "valid" "A: sees B trusting the issuer again"
in_b "SELECT shc_trust(j->'issuers'->>'b', j->'jwks'->'a2') FROM fx"
is "$(in_a "$STATUS_B")" "unknown_key" "A: sees B removing the issuer's key"
in_b "BEGIN; SELECT shc_untrust('https://issuer-a.example.org'); ROLLBACK;"
is "$(in_a "$STATUS_A")" "revoked" "A: a rolled-back change in B changes nothing"
in_b "DELETE FROM shc_trusted_crl"
is "$(in_a "$STATUS_A")" "no_crl" "A: sees B deleting the CRL (the key announces one): the card with a rid is no_crl"
in_b "SELECT shc_trust_crl(j->'issuers'->>'a', j->'crl') FROM fx"
is "$(in_a "$STATUS_A")" "revoked" "A: sees B loading the CRL"
in_b "SELECT shc_trust(j->'issuers'->>'b', j->'jwks'->'b') FROM fx"
exec 3>&-
wait "$apid"
rm -rf "$work"

# pg_dump keeps the trust store (extension configuration tables)
createdb "${db}_restored"
pg_dump -d "$db" | psql -X -q -d "${db}_restored" >/dev/null 2>&1
is "$(psql -X -At -d "${db}_restored" -c "SELECT (SELECT count(*) FROM shc_trusted_issuer) || '/' || (SELECT count(*) FROM shc_trusted_key) || '/' || (SELECT count(*) FROM shc_trusted_crl)")" \
	"2/2/1" "pg_dump and restore keep issuers, keys and CRLs"
is "$(psql -X -At -d "${db}_restored" -c "SELECT string_agg((shc_verify(card, '2024-01-01 00:00:00+00')).status, ',' ORDER BY name) FROM cards WHERE name IN ('valid', 'valid-issuer-b', 'revoked-all')")" \
	"revoked,valid,valid" "the restored database verifies as before"
dropdb "${db}_restored"
dropdb "$db"
echo "tier trust-sessions: $pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
