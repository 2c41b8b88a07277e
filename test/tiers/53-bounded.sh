#!/usr/bin/env bash
# Tier "bounded": the costly cards of issue 11 (test/scripts/big-cards.mjs,
# signed at run time with a throwaway key).  A card whose kid no trusted key
# has is never inflated in full nor built into jsonb: its status comes from
# a bounded scan for iss.  Every shc function that can run long on a card
# or a bundle stops on statement_timeout and on pg_cancel_backend.
# Timings are printed for the record (README "Limits"), never asserted; the
# only bound tested is a generous one (2 s for a 100 ms timeout).
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/tier.sh
db=shc_bounded
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PSQL=(psql -X -q -At -d "$db")

node test/scripts/big-cards.mjs >"$work/big.json" ||
	{ echo "tier bounded: 0 passed, 1 failed, 0 skipped"; exit 1; }
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
quiet_plans "$db"	# 4 MB cards in every plan: no secret here
"${PSQL[@]}" -v ON_ERROR_STOP=1 -v f="$work/big.json" >/dev/null <<'SQL'
CREATE EXTENSION shc;
\set j `cat :'f'`
CREATE TABLE c AS SELECT key AS name, value AS card FROM jsonb_each_text((:'j'::jsonb)->'cards');
SELECT shc_trust((:'j'::jsonb)->>'iss', jsonb_build_object('keys', jsonb_build_array((:'j'::jsonb)->'jwk')));
-- a bundle of 60,000 resources, and a JSON text of 4 MB
CREATE TABLE big AS
SELECT jsonb_build_object('resourceType', 'Bundle', 'entry',
         (SELECT jsonb_agg(jsonb_build_object('resource', jsonb_build_object('resourceType', 'Observation', 'id', g::text)))
            FROM generate_series(1, 60000) g)) AS bundle,
       '[' || repeat('{"a":[1,"x"]},', 300000) || '{}]' AS json;
SQL

# 1. cards nobody vouches for: status from the bounded scan, timings noted
res=$("${PSQL[@]}" 2>&1 <<'SQL'
DO $$
DECLARE w text; u text; t0 timestamptz; s text; r text; i int;
BEGIN
  SELECT card INTO w FROM c WHERE name = 'worst972';
  SELECT card INTO u FROM c WHERE name = 'unknown4m';
  s := (shc_verify(w)).status;
  t0 := clock_timestamp();
  FOR i IN 1..1000 LOOP s := (shc_verify(w || '')).status; END LOOP;
  RAISE NOTICE 'worst972 % % chars: % ms per shc_verify', s, length(w),
    round(extract(epoch FROM clock_timestamp() - t0), 4);
  t0 := clock_timestamp();
  FOR i IN 1..10 LOOP s := (shc_verify(u)).status; END LOOP;
  RAISE NOTICE 'unknown4m % % chars: % ms per shc_verify', s, length(u),
    round(extract(epoch FROM clock_timestamp() - t0) * 100, 2);
END $$;
SQL
)
sed 's/^NOTICE: */# /' <<<"$res"
check "a 972-character card of an unknown key is unknown_key (nothing built)" grep -q "worst972 unknown_key" <<<"$res"
check "a 4 MB card of an unknown key is unknown_key (nothing built)" grep -q "unknown4m unknown_key" <<<"$res"

# 2. statement_timeout stops every function that can run long.  The
# statements call the shc function alone (IS NOT NULL, count): a cast to
# text would time PostgreSQL's jsonb output, which does not look at
# cancels.  "must" says the statement runs longer than the timeout, so it
# must be cancelled; the cards of 972 characters are now read in tens of
# milliseconds, so for them finishing first is a pass as well.  The time
# from the timeout to the error is printed (docs/verifying.md, "Limits").
while IFS='|' read -r what must query; do
	# the statement's own time as psql measures it (no connection set-up)
	out=$(printf '%s\n' "SET statement_timeout = '100ms';" '\timing on' "$query;" | "${PSQL[@]}" 2>&1)
	ms=$(grep -oE '^Time: [0-9.]+' <<<"$out" | tail -n 1 | awk '{printf "%d", $2}')
	ms=${ms:-99999}
	if grep -q "canceling statement due to statement timeout" <<<"$out"; then
		echo "# $what: cancelled $((ms - 100)) ms after a 100 ms statement_timeout"
		ok "statement_timeout stops $what"
	elif [ "$must" = must ]; then
		echo "# $what: $ms ms, not cancelled by a 100 ms statement_timeout"
		notok "statement_timeout stops $what"
	else
		echo "# $what: finished in $ms ms, before a 100 ms statement_timeout"
		check "$what finishes or stops" grep -qE '^(t|f|[0-9]+)$' <<<"$out"
	fi
	check "$what returns within 2 s of a 100 ms timeout ($ms ms)" test "$ms" -lt 2100
done <<'Q'
shc_verify of a trusted 4 MB payload|must|SELECT (shc_verify(card)).status FROM c WHERE name = 'signed4m'
shc_verify_file of three such cards|must|SELECT count(*) FROM c, shc_verify_file(jsonb_build_object('verifiableCredential', jsonb_build_array(card, card, card))) WHERE name = 'signed4m'
shc_decode of a 4 MB payload|must|SELECT shc_decode(card) IS NOT NULL FROM c WHERE name = 'signed4m'
shc_decode of the 972-character card|may|SELECT shc_decode(card) IS NOT NULL FROM c WHERE name = 'worst972'
shc_card_svg of the 972-character card|may|SELECT length(shc_card_svg(card)) FROM c WHERE name = 'worst972'
shc_json_parse of 4 MB|must|SELECT shc_json_parse(json) IS NOT NULL FROM big
shc_minimize of 60,000 resources|must|SELECT shc_minimize(bundle) IS NOT NULL FROM big
shc_issue of 60,000 resources|must|SELECT length(shc_issue(bundle, private_jwk => '{"kty":"EC","crv":"P-256","x":"PQHApUWm94mflvswQgAnfHlETMwJFqjUVSs7WU6LQy4","y":"7mj8IO-8V5VZjDbRVsJINC_Rq5ai5CDhFX18ceRsLWQ","d":"vRyvhpwvbBuGVF3xmzpdvQjNH_IthPq3ehMWqPtlRXQ"}', iss => 'https://big.example', minimize => false)) FROM big
Q

# 3. pg_cancel_backend: a session verifying the 4 MB payload is cancelled.
# Measured in the server: the canceller notes the server's clock when it
# sends the cancel; the victim's session then runs a second statement at
# once, whose query_start (pg_stat_activity) is when the cancelled one had
# returned to the client, plus one round trip.
"${PSQL[@]}" -c "SET application_name = 'shc_bounded_victim'" \
	-c "SELECT (shc_verify(card)).status FROM c WHERE name = 'signed4m'" \
	-c "SELECT pg_sleep(3) /* after the cancel */" >"$work/victim.out" 2>&1 &
victim=$!
sent=
for _ in $(seq 1 100); do
	sleep 0.1
	sent=$("${PSQL[@]}" -c "SELECT pg_cancel_backend(pid), (extract(epoch FROM clock_timestamp()) * 1000)::bigint
	  FROM pg_stat_activity WHERE application_name = 'shc_bounded_victim' AND state = 'active'
	   AND query LIKE '%shc_verify%'" | awk -F'|' '$1 == "t" {print $2}')
	[ -n "$sent" ] && break
done
back=
for _ in $(seq 1 50); do
	back=$("${PSQL[@]}" -c "SELECT (extract(epoch FROM query_start) * 1000)::bigint FROM pg_stat_activity
	  WHERE application_name = 'shc_bounded_victim' AND query LIKE '%after the cancel%'")
	[ -n "$back" ] && break
	sleep 0.05
done
wait "$victim"
ms=$(( ${back:-999999} - ${sent:-0} ))
echo "# pg_cancel_backend: shc_verify returned $ms ms after the cancel was sent (server clock)"
check "pg_cancel_backend cancels shc_verify" grep -q "canceling statement due to user request" "$work/victim.out"
check "the cancelled session returns within 2 s ($ms ms)" test -n "$sent" -a -n "$back" -a "$ms" -lt 2000

dropdb "$db"
echo "tier bounded: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
