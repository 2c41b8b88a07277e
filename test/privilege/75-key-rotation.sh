#!/usr/bin/env bash
# Key rotation while cards are issued (issue 10): one session rotates the
# issuer's key in a loop (create a new key, retire the old one, in one
# transaction) while pgbench clients insert vaccinations whose trigger
# signs with the issuer URL (shc_issue(bundle, 'https://...')), first in
# READ COMMITTED, then in REPEATABLE READ.  Afterwards: no failed insert,
# one card per dose, every card verifies, and no card was signed by a key
# whose retirement had committed before the card's transaction began.
# Run by test/tiers/65-privilege.sh (counters of test/scripts/tier.sh); can
# run alone against the harness's scratch server.
set -uo pipefail
cd "${SHC_ROOT:?}"
if [ -z "${pass+x}" ]; then
	source test/scripts/tier.sh
	standalone=1
fi
db=shc_priv_key_rotation
ISS=https://rotation.example
SECS=${SHC_ROTATION_SECONDS:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
CREATE EXTENSION shc ${SHC_PRIVILEGE_BASELINE:+VERSION '0.1.0'};
SELECT shc.shc_key_create('$ISS');
CREATE TABLE vaccinations (id bigserial PRIMARY KEY, patient text NOT NULL, given date NOT NULL);
CREATE TABLE cards (vaccination_id bigint PRIMARY KEY REFERENCES vaccinations, card text NOT NULL,
                    xact_start timestamptz NOT NULL, isolation text NOT NULL);
-- when each key's retirement had certainly committed (written after it)
CREATE TABLE retired (kid text PRIMARY KEY, committed_before timestamptz NOT NULL);
CREATE FUNCTION issue_card() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  INSERT INTO cards VALUES (NEW.id,
    shc.shc_issue(jsonb_build_object('resourceType', 'Bundle', 'type', 'collection', 'entry',
      jsonb_build_array(jsonb_build_object('fullUrl', 'resource:0', 'resource',
        jsonb_build_object('resourceType', 'Patient', 'name', jsonb_build_array(jsonb_build_object('family', NEW.patient)))),
        jsonb_build_object('fullUrl', 'resource:1', 'resource',
        jsonb_build_object('resourceType', 'Immunization', 'status', 'completed', 'occurrenceDateTime', NEW.given,
          'vaccineCode', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://hl7.org/fhir/sid/cvx', 'code', '207'))),
          'patient', jsonb_build_object('reference', 'resource:0'))))), '$ISS'),
    now(), current_setting('transaction_isolation'));
  RETURN NULL;
END \$\$;
CREATE TRIGGER vaccinations_issue AFTER INSERT ON vaccinations FOR EACH ROW EXECUTE FUNCTION issue_card();
SQL
cat >"$work/rc.sql" <<'SQL'
\set p random(1, 1000)
INSERT INTO vaccinations (patient, given) VALUES ('P' || :p, date '2021-01-01' + :p);
SQL
cat >"$work/rr.sql" <<'SQL'
\set p random(1, 1000)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM vaccinations WHERE patient = 'P' || :p;
INSERT INTO vaccinations (patient, given) VALUES ('P' || :p, date '2021-01-01' + :p);
COMMIT;
SQL

rotate() {
	local end=$((SECONDS + SECS)) n=0 old
	while [ "$SECONDS" -lt "$end" ]; do
		old=$(psql -X -At -d "$db" 2>>"$work/rotate.err" <<SQL
BEGIN;
SELECT kid FROM shc.shc_keys WHERE iss = '$ISS' AND retired_at IS NULL \gset
SELECT shc.shc_key_create('$ISS') \g /dev/null
SELECT shc.shc_key_retire(:'kid') \g /dev/null
COMMIT;
SELECT :'kid';
SQL
)
		psql -X -q -d "$db" -c "INSERT INTO retired VALUES ('$old', clock_timestamp())" 2>>"$work/rotate.err"
		n=$((n + 1))
		sleep 0.1
	done
	echo "$n" >"$work/rotations"
}

for mode in rc rr; do
	rotate &
	rp=$!
	pgbench -n -T "$SECS" -c 3 -j 1 -f "$work/$mode.sql" "$db" >"$work/$mode.log" 2>&1
	brc=$?
	wait "$rp"
	check "$mode: pgbench ran without a failed insert ($(grep -oE 'number of transactions actually processed: [0-9]+' "$work/$mode.log" | grep -oE '[0-9]+$') transactions, $(cat "$work/rotations") key rotations)" \
		bash -c "[ $brc -eq 0 ] && ! grep -qiE 'aborted|error' $work/$mode.log"
	[ "$brc" -ne 0 ] && grep -iE 'error|aborted' "$work/$mode.log" | head -3 | sed 's/^/# /'
done
check "the rotating session had no error" test ! -s "$work/rotate.err"
[ -s "$work/rotate.err" ] && head -3 "$work/rotate.err" | sed 's/^/# /'

res=$(psql -X -At -d "$db" <<SQL
SELECT shc.shc_trust('$ISS', shc.shc_jwks('$ISS')) \g /dev/null
SELECT (SELECT count(*) FROM vaccinations) || ' ' || (SELECT count(*) FROM cards) || ' ' ||
       (SELECT count(*) FROM cards c, shc.shc_verify(c.card) v WHERE v.status = 'valid') || ' ' ||
       (SELECT count(DISTINCT isolation) FROM cards) || ' ' ||
       (SELECT count(*) FROM cards c JOIN retired r ON r.kid = shc.shc_decode(c.card)->'header'->>'kid'
         WHERE c.xact_start > r.committed_before) || ' ' ||
       (SELECT count(DISTINCT shc.shc_decode(c.card)->'header'->>'kid') FROM cards c);
SQL
)
read -r nv nc nvalid niso nlate nkeys <<<"$res"
check "one card per dose ($nv doses, $nc cards), in both isolation levels" test -n "$nv" -a "$nv" = "$nc" -a "${niso:-0}" = 2 -a "${nv:-0}" -gt 0
check "every card verifies ($nvalid of $nc valid), signed by $nkeys different keys" test "$nvalid" = "$nc" -a "${nkeys:-0}" -gt 1
check "no card was signed by a key retired before its transaction began" test "$nlate" = 0

dropdb "$db"
if [ -n "${standalone:-}" ]; then echo "tier key-rotation: $pass passed, $fail failed, $skip skipped"; fi
