#!/usr/bin/env bash
# Tier "revocation": rid secrets never reach the server log (log_statement
# = 'all', verbose errors, failing imports included), and the rid secrets,
# revocations and CRL counters survive pg_dump / pg_restore into a new
# database, where the restored secrets still give the same rids.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

db=shc_revocation_tier
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")

dropdb --if-exists "$db" >/dev/null 2>&1
dropdb --if-exists "${db}_restored" >/dev/null 2>&1
createdb "$db"
"${PSQL[@]}" -c "CREATE EXTENSION shc" >/dev/null

# --- 1. no rid secret in the server log -----------------------------------
log="$SCRATCH/server.log"
bogus=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))')
bad="${bogus:0:42}+"
# two secrets imported from server files, with statement logging on (the
# way to import: only the path is in the statement)
for i in 1 2; do
	node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))' >"$work/rid$i.txt"
	chmod 644 "$work/rid$i.txt"
done
file1=$(cat "$work/rid1.txt")
file2=$(cat "$work/rid2.txt")
# (no ON_ERROR_STOP: several statements fail on purpose)
psql -X -q -d "$db" -v bogus="$bogus" -v bad="$bad" -v work="$work" <<'SQL' >/dev/null 2>&1
SET log_statement = 'all';
SET log_min_duration_statement = 0;
SET log_min_error_statement = 'debug5';
SET log_error_verbosity = 'verbose';
SELECT shc_key_create('https://log.example') AS kid \gset
SELECT shc_rid_secret_create('https://log.example') FROM generate_series(1, 3);
SELECT shc_rid(:'kid', 'patient-' || i, v) FROM generate_series(1, 3) i, generate_series(1, 3) v;
DO $$ BEGIN PERFORM shc_rid_secret_create('https://log.example'); END $$;
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'patient-1'));
-- failing calls after a secret was read or generated
SELECT shc_rid(:'kid', 'patient-1', 99);
SELECT shc_rid_secret_create('https://log.example/');
SELECT shc_rid_secret_import_file('https://log.example', :'work' || '/rid1.txt');
SELECT shc_rid_secret_import_file('https://log.example', :'work' || '/rid2.txt');
SELECT shc_rid_secret_import_file('https://log.example', :'work' || '/rid2.txt');
SELECT shc_rid(:'kid', 'patient-1');
-- literal imports: their statements hold the secret, so statement logging is off
-- (a statement log records every argument); the errors must not show it
SET log_statement = 'none';
SET log_min_duration_statement = -1;
-- nor the plans of the run's full logging (test/scripts/common.sh), which
-- print the statement's text and constants
SET debug_print_plan = off;
SET auto_explain.log_min_duration = -1;
SELECT shc_rid_secret_import('https://log.example', :'bogus');
SELECT shc_rid_secret_import('https://log.example', :'bogus');
SELECT shc_rid_secret_import('https://log.example', :'bad');
SQL
"${PSQL[@]}" -At -c "SELECT pg_sleep(0.2)" >/dev/null
check "the server log recorded the secret statements (log_statement = 'all' was on)" \
	grep -q "statement: SELECT shc_rid_secret_create('https://log.example')" "$log"
check "the duplicate import was logged as an error" grep -q "already has this revocation secret" "$log"
check "the malformed import was logged as an error" grep -q "invalid revocation secret" "$log"
check "the file imports stored two secrets" test "$(psql -X -At -d "$db" -c \
	"SELECT count(*) FROM shc_rid_secrets WHERE iss = 'https://log.example'")" -eq 7
# the secrets this test knows (created ones are never readable in clear)
secrets="$file1 $file2 $bogus"
n=0
leaked=0
for s in $secrets "$bad"; do
	n=$((n + 1))
	if grep -qF -- "$s" "$log"; then leaked=$((leaked + 1)); fi
	# a prefix of a secret is no better
	if grep -qF -- "${s:0:16}" "$log"; then leaked=$((leaked + 1)); fi
done
check "none of $n rid secrets (nor a 16-character prefix) appears in the server log" test "$leaked" -eq 0
check "checked 2 file-imported, 1 literal-imported and 1 malformed secret" test "$n" -eq 4

# --- 2. dump and restore --------------------------------------------------
"${PSQL[@]}" <<'SQL' >/dev/null
SELECT shc_rid_secret_import('https://dump.example', repeat('A', 43));
SELECT shc_key_create('https://dump.example') AS kid \gset
SELECT shc_rid_secret_create('https://dump.example');
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'u1', 1), '2024-01-01 00:00:00+00');
SELECT shc_revoke(:'kid', shc_rid(:'kid', 'u2'));
SQL
q="SELECT s.iss, s.version, s.created_at, s.retired_at, md5(p.sealed_secret)
     FROM shc_rid_secrets s JOIN shc_private_rid_secrets p USING (iss, version) ORDER BY 1, 2;
   SELECT kid, rid, before, revoked_at FROM shc_revocations ORDER BY 1, 2;
   SELECT kid, ctr, updated_at FROM shc_crls ORDER BY 1;
   SELECT shc_crl(kid)::text FROM shc_crls ORDER BY 1;
   SELECT kid, shc_rid(kid, 'u1', 1), shc_rid(kid, 'u1') FROM shc_keys k
    WHERE EXISTS (SELECT 1 FROM shc_rid_secrets s WHERE s.iss = k.iss) ORDER BY 1;
   SELECT shc_jwks('https://dump.example')::text"
"$BINDIR/pg_dump" -Fc -d "$db" -f "$work/dump" &&
	createdb "${db}_restored" &&
	"$BINDIR/pg_restore" --exit-on-error -d "${db}_restored" "$work/dump"
check "pg_dump and pg_restore into a new database" test $? -eq 0
before=$(psql -X -At -d "$db" -c "$q")
after=$(psql -X -At -d "${db}_restored" -c "$q")
check "secrets, revocations, counters, CRLs, rids and crlVersion survive ($(wc -l <<<"$before") rows)" \
	test -n "$before" -a "$before" = "$after"
check "the restored extension still refuses EXECUTE on shc_rid to PUBLIC" test "$(psql -X -At -d "${db}_restored" -c \
	"SELECT has_function_privilege('public', 'shc_rid(text, text, integer)', 'EXECUTE')")" = f
check "the restored secret table is still closed to PUBLIC" test "$(psql -X -At -d "${db}_restored" -c \
	"SELECT has_table_privilege('public', 'shc_private_rid_secrets', 'SELECT')")" = f
dropdb "${db}_restored"

dropdb "$db"
echo "tier revocation: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
