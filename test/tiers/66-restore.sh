#!/usr/bin/env bash
# Tier "restore": pg_dump and pg_restore of a database that holds shc's
# keys, rid secrets and trust store, by its owner who is not a superuser
# (docs/operations.md, "Dump and restore").
#
#   1. a superuser creates the extension in a database owned by
#      shc_rs_owner and stores a key, a rid secret, trust and a card
#   2. the owner dumps it (pg_dump -Fc): every table is readable to it
#   3. the owner restores into a database where a superuser created the
#      extension: every shc table is refused with the guard's error (a
#      superuser must restore, and why), never a bare "permission denied";
#      no key, secret or trusted issuer arrives; exit status 1
#   4. the owner restores into an empty database with --no-owner
#      --exit-on-error: it stops at CREATE EXTENSION, which needs a superuser
#   5. a superuser restores the owner's dump into an empty database owned
#      by the owner: every key, secret and trusted issuer is back, the
#      stored card verifies and the restored key signs
set -uo pipefail
source "$SHC_ROOT/test/scripts/common.sh"
source "$SHC_ROOT/test/scripts/tier.sh"
set +e

work=$SCRATCH/restore
rm -rf "$work"
mkdir -p "$work"
chmod 0777 "$work"
cd "$work" || exit 1
owner=shc_rs_owner
su=$PGUSER
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
counts="SELECT (SELECT count(*) FROM shc.shc_keys) || ' keys, '
            || (SELECT count(*) FROM shc.shc_private_keys) || ' private keys, '
            || (SELECT count(*) FROM shc.shc_private_rid_secrets) || ' rid secrets, '
            || (SELECT count(*) FROM shc.shc_trusted_issuer) || ' trusted issuers, '
            || (SELECT count(*) FROM shc.shc_trusted_key) || ' trusted keys'"

for db in rs_src rs_owner_into rs_owner_empty rs_super; do dropdb --if-exists "$db" >/dev/null 2>&1; done
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $owner" >/dev/null 2>&1
psql -X -q -d postgres -c "CREATE ROLE $owner LOGIN" >/dev/null

# 1. the source database
createdb -O "$owner" rs_src
if q -d rs_src >"$work/setup.log" 2>&1 <<SQL; then
CREATE EXTENSION shc;
SET search_path = "\$user", public, shc;
SELECT shc_key_create('https://restore.example.org/issuer') AS kid \gset
SELECT shc_rid_secret_create('https://restore.example.org/issuer');
SELECT shc_trust('https://restore.example.org/issuer', shc_jwks('https://restore.example.org/issuer'), 'Restore');
SET ROLE $owner;
CREATE TABLE public.cards (id int PRIMARY KEY, card text NOT NULL);
RESET ROLE;
INSERT INTO public.cards VALUES (1, shc_issue(shc_bundle(shc_fhir_patient('Anyperson', ARRAY['John']), ARRAY[]::jsonb[]), :'kid'));
SQL
	ok "a superuser stores a key, a rid secret, trust and a card in the owner's database"
else
	cat "$work/setup.log"
	notok "a superuser stores a key, a rid secret, trust and a card in the owner's database"
	echo "tier restore: $pass passed, $fail failed, $skip skipped"
	exit 1
fi
src_counts=$(q -d rs_src -c "$counts")
src_rid=$(q -d rs_src -c "SELECT shc.shc_rid(kid, '1') FROM shc.shc_keys")
is "$src_counts" "1 keys, 1 private keys, 1 rid secrets, 1 trusted issuers, 1 trusted keys" "the source holds what was stored"

# 2. the owner's dump
if pg_dump -U "$owner" -Fc -d rs_src -f "$work/owner.dump" 2>"$work/dump.err"; then
	ok "the owner (not a superuser) dumps the database"
else
	cat "$work/dump.err"
	notok "the owner (not a superuser) dumps the database"
fi
check "the owner's dump holds shc's key, secret and trust rows" \
	bash -c "pg_restore -f - --data-only '$work/owner.dump' | grep -q 'COPY shc.shc_private_keys' &&
	         pg_restore -f - --data-only '$work/owner.dump' | grep -q 'COPY shc.shc_trusted_issuer'"

# 3. the owner restores into a database where a superuser created shc
createdb -O "$owner" rs_owner_into
q -d rs_owner_into -c "CREATE EXTENSION shc"
pg_restore -U "$owner" -d rs_owner_into "$work/owner.dump" >"$work/owner-into.log" 2>&1
rc=$?
isnt_zero() { [ "$1" -ne 0 ]; }
check "the owner's restore exits non-zero (status $rc)" isnt_zero "$rc"
first=$(grep -m1 -E 'ERROR: .*(shc\.shc_|table "?shc_)' "$work/owner-into.log")
echo "# first error about an shc table: $first"
check "the first error about an shc table says only a superuser can restore it" \
	grep -qE '^pg_restore: error: COPY failed for table "(shc_[a-z_]+)": ERROR:  only a superuser can restore the rows of table shc\.\1$' <<<"$first"
check "the error says why (rows written as they are, not through shc's checking functions)" \
	grep -q "^DETAIL:  shc's keys, secrets and trust store are written only by shc's functions, which check what they store; a restore writes the dumped rows as they are, so it must run as a superuser.$" "$work/owner-into.log"
check "and what to do (restore as a superuser, docs/operations.md)" \
	grep -q '^HINT:  Restore the dump as a superuser (pg_restore -U postgres); see docs/operations.md.$' "$work/owner-into.log"
nguard=$(grep -c 'ERROR:  only a superuser can restore the rows of table shc\.' "$work/owner-into.log")
ndumped=$(pg_restore -f - --data-only "$work/owner.dump" | grep -c '^COPY shc\.')
is "$nguard" "$ndumped" "every shc table in the dump is refused the same way ($ndumped tables)"
check "no bare \"permission denied\" for an shc table" bash -c "! grep -q 'permission denied for table shc_' '$work/owner-into.log'"
is "$(q -d rs_owner_into -c "$counts")" "0 keys, 0 private keys, 0 rid secrets, 0 trusted issuers, 0 trusted keys" \
	"nothing of shc's rows was restored by the owner"
is "$(q -d rs_owner_into -c "SELECT count(*) FROM public.cards")" 1 "the owner's own table was restored"

# 4. the owner restores into an empty database, stopping at the first error
createdb -O "$owner" rs_owner_empty
# (--no-owner: without it the restore stops one step earlier, at ALTER SCHEMA
# shc OWNER TO the superuser who created the extension)
pg_restore -U "$owner" -d rs_owner_empty --no-owner --exit-on-error "$work/owner.dump" >"$work/owner-empty.log" 2>&1
rc=$?
check "into an empty database the owner's restore stops (status $rc)" isnt_zero "$rc"
check "at CREATE EXTENSION shc: permission denied, must be superuser" \
	bash -c "grep -q 'ERROR:  permission denied to create extension \"shc\"' '$work/owner-empty.log' &&
	         grep -q 'HINT:  Must be superuser to create this extension.' '$work/owner-empty.log'"

# 5. a superuser restores the owner's dump
createdb -O "$owner" rs_super
if pg_restore -U "$su" -d rs_super --exit-on-error "$work/owner.dump" >"$work/super.log" 2>&1; then
	ok "a superuser restores the owner's dump into an empty database without an error"
else
	cat "$work/super.log"
	notok "a superuser restores the owner's dump into an empty database without an error"
fi
is "$(q -d rs_super -c "$counts")" "$src_counts" "every key, secret and trusted issuer is back ($src_counts)"
is "$(q -d rs_super -c "SELECT (shc.shc_verify(card)).status FROM public.cards WHERE id = 1")" valid \
	"the stored card verifies against the restored trust store"
is "$(q -d rs_super -c "SELECT (shc.shc_verify(shc.shc_issue(shc.shc_bundle(shc.shc_fhir_patient('Otherperson', ARRAY['Jane']), ARRAY[]::jsonb[]), kid))).status FROM shc.shc_keys")" valid \
	"the restored key signs, the rid secret opens: a new card verifies"
is "$(q -d rs_super -c "SELECT shc.shc_rid(kid, '1') FROM shc.shc_keys")" "$src_rid" \
	"the restored rid secret derives the same rid as the source"
is "$(q -d rs_super -c "SELECT tableowner FROM pg_tables WHERE tablename = 'cards'")" "$owner" "the owner's table belongs to the owner again"

for db in rs_src rs_owner_into rs_owner_empty rs_super; do dropdb --if-exists "$db" >/dev/null 2>&1; done
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $owner" >/dev/null 2>&1
echo "tier restore: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
