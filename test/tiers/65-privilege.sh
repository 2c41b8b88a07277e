#!/usr/bin/env bash
# Tier "privilege": the attacks of issue 10, played by the roles a real
# deployment has, on a database whose public schema everyone may create in
# (as after an upgrade from PostgreSQL 14):
#
#   superuser            the test's own session (installs the extension)
#   shc_pv_owner         owns the database, not a superuser
#   shc_pv_keyadmin      member of shc_key_admin
#   shc_pv_issuer        member of shc_issuer
#   shc_pv_trustadmin    member of shc_trust_admin
#   shc_pv_analyst       no grant: verification is open to everyone
#   shc_pv_hostile       no grant, may create its own schema
#   shc_pv_issuer2       member of shc_issuer: a second issuer's application
#   shc_pv_linkserver    member of shc_link_server (the HTTP layer of links)
#
# Every test/privilege/*.sh (keys at rest, key rotation) is a shell script
# sourced at the end with the counters of test/scripts/tier.sh.
# Every test/privilege/*.sql is a pgTAP file, run by pg_prove in a fresh
# database set up as above (so a file's planted objects never reach the
# next); the psql variable fx holds what test/privilege/forge.mjs forges.
# To add an attack, add a file.
#
# SHC_PRIVILEGE_BASELINE=1 plays the same files against an installation of
# 0.1.0 (the extension in public, no roles): the roles are then given the
# grants 0.1.0's README suggested, and the attacks are expected to succeed.
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/tier.sh

fx=$(node test/privilege/forge.mjs) || { echo "tier privilege: 0 passed, 1 failed, 0 skipped"; exit 1; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL'
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['shc_key_admin', 'shc_issuer', 'shc_trust_admin', 'shc_pv_owner', 'shc_pv_keyadmin',
                           'shc_pv_issuer', 'shc_pv_trustadmin', 'shc_pv_analyst', 'shc_pv_hostile',
                           'shc_pv_issuer2', 'shc_pv_linkserver'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;
ALTER ROLE shc_pv_owner NOSUPERUSER NOCREATEROLE;
GRANT shc_key_admin TO shc_pv_keyadmin;
GRANT shc_issuer TO shc_pv_issuer;
GRANT shc_trust_admin TO shc_pv_trustadmin;
GRANT shc_issuer TO shc_pv_issuer2;
DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'shc_link_server') THEN
    GRANT shc_link_server TO shc_pv_linkserver;
  END IF;
END $$;
SQL

for f in test/privilege/*.sql; do
	name=$(basename "$f" .sql)
	db="shc_priv_${name//-/_}"
	dropdb --if-exists "$db" >/dev/null 2>&1
	createdb -O shc_pv_owner "$db"
	if ! psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null 2>&1 <<SQL; then
GRANT CREATE ON SCHEMA public TO PUBLIC;
GRANT CREATE ON DATABASE "$db" TO shc_pv_hostile;
CREATE EXTENSION pgtap;
CREATE EXTENSION shc ${SHC_PRIVILEGE_BASELINE:+VERSION '0.1.0'};
SQL
		notok "$name: set-up"
		continue
	fi
	if [ -n "${SHC_PRIVILEGE_BASELINE:-}" ]; then
		psql -X -q -d "$db" >/dev/null 2>&1 <<'SQL'
GRANT EXECUTE ON FUNCTION shc_key_create(text), shc_key_import(text, jsonb), shc_key_retire(text),
  shc_rid_secret_create(text), shc_rid_secret_import(text, text), shc_revoke(text, text, timestamptz),
  shc_rid(text, text, integer) TO shc_key_admin;
GRANT EXECUTE ON FUNCTION shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean), shc_rid(text, text, integer) TO shc_issuer;
GRANT INSERT, UPDATE, DELETE ON shc_trusted_issuer, shc_trusted_key, shc_trusted_crl TO shc_trust_admin;
SQL
	fi
	out=$(pg_prove --verbose --failures -d "$db" --set fx="$fx" "$f" 2>&1)
	echo "$out"
	p=$(grep -cE '^ok [0-9]+' <<<"$out")
	n=$(grep -cE '^not ok [0-9]+' <<<"$out")
	pass=$((pass + p))
	fail=$((fail + n))
	if ! grep -qE "^(All tests successful|Result: PASS)" <<<"$out" && [ "$n" -eq 0 ]; then
		notok "$name: the file did not run to its end"
	fi
	dropdb "$db"
done
# An issue trigger survives pg_dump and restore: the restore creates it with
# search_path '' and its unqualified arguments, which stand for the schema
# of its table, then shc.
if [ -z "${SHC_PRIVILEGE_BASELINE:-}" ]; then
	db=shc_priv_dump
	dropdb --if-exists "$db" >/dev/null 2>&1
	dropdb --if-exists "${db}_restored" >/dev/null 2>&1
	createdb "$db"
	createdb "${db}_restored"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null 2>&1 <<'SQL'
CREATE EXTENSION shc;
CREATE TABLE public.vaccinations (patient_id bigint, cvx text);
CREATE TABLE public.cards (patient_id bigint, source text, card text, kid text, rid text, issued_at timestamptz);
CREATE FUNCTION public.bundle(p bigint) RETURNS jsonb LANGUAGE sql STABLE AS
  $f$ SELECT shc_bundle(shc_fhir_patient('P' || p), ARRAY[]::jsonb[]) FROM vaccinations LIMIT 1 $f$;
SELECT shc_key_create('https://clinic.example.org');
CREATE TRIGGER issue AFTER INSERT ON vaccinations
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://clinic.example.org', 'bundle', 'cards');
SQL
	pg_dump -d "$db" | psql -X -q -v ON_ERROR_STOP=1 -d "${db}_restored" >/dev/null 2>"$SCRATCH/privilege-restore.err"
	is "$?" "0" "an issue trigger restores from pg_dump without error"
	is "$(psql -X -At -d "${db}_restored" -c "SELECT search_path FROM shc_issue_triggers")" "public, shc" \
		"the restored trigger is recorded, its names looked up in its table's schema, then shc"
	is "$(psql -X -q -At -d "${db}_restored" -c "INSERT INTO vaccinations VALUES (7, '207')" -c "SELECT count(*) FROM cards")" "1" \
		"and issues a card in the restored database"
	dropdb "${db}_restored"
	dropdb "$db"
fi
# The attacks on stored secrets need the server itself (logs, data files,
# dumps, pgbench): shell scripts, sourced with these counters and roles.
for f in test/privilege/*.sh; do
	echo "# $f"
	source "$f"
	cd "$SHC_ROOT"
done
echo "tier privilege: $pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
