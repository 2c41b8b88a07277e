#!/usr/bin/env bash
# Keys at rest (issue 10): the attacks on stored secrets, played with
# the server itself (logs, data files, dumps), so a shell script rather
# than a pgTAP file.  Run by test/tiers/65-privilege.sh with the counters
# of test/scripts/tier.sh loaded and the roles of that tier created; it
# can also run alone (bash test/privilege/70-keys-at-rest.sh) against the
# harness's scratch server.
#
#   1. debug_print_plan (client_min_messages = log) while keys and secrets
#      are created and imported: no private value as a plan constant
#   2. the server log, with log_statement = 'all', debug_print_plan,
#      auto_explain (nested, verbose, every statement) and
#      log_min_error_statement, holds no private scalar, rid secret or
#      root key
#   3. the data directory after create, retire, VACUUM and CHECKPOINT holds
#      no private scalar or secret in clear (raw, base64url or hex)
#   4. pg_dump by the database owner (not a superuser) works and holds only
#      ciphertext; the dump restored under another root key cannot sign
#      and says why; a root key rotation reseals everything
#   5. concurrent shc_rid_secret_create for one issuer: no unique violation
#
# The private values are generated here (Node) and imported from server
# files, so the test knows every one of them.
set -uo pipefail
cd "${SHC_ROOT:?}"
if [ -z "${pass+x}" ]; then
	source test/scripts/tier.sh
	standalone=1
fi
ISS=https://atrest.example
db=shc_priv_keys_at_rest
work=$(mktemp -d)
chmod 755 "$work"
log="$SCRATCH/server.log"
datadir="$SCRATCH/data"
restore_root_key() {
	psql -X -q -d postgres -c "LOAD 'shc'" -c "ALTER SYSTEM RESET shc.root_key_file" -c "ALTER SYSTEM RESET shc.root_key_previous_file" \
		-c "SELECT pg_reload_conf()" >/dev/null 2>&1
	sleep 0.3
}
trap 'restore_root_key; rm -rf "$work"' EXIT
if [ "$(id -u)" = 0 ]; then own() { chown postgres: "$@"; }; else own() { :; }; fi

# --- private values this test knows -----------------------------------------
for i in 1 2 3; do
	node -e '
const { generateKeyPairSync } = require("node:crypto");
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
process.stdout.write(JSON.stringify(privateKey.export({ format: "jwk" })));' >"$work/k$i.jwk"
	node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))' >"$work/s$i.txt"
done
chmod 600 "$work"/k*.jwk "$work"/s*.txt
own "$work"/k*.jwk "$work"/s*.txt
ds=$(node -e 'for (const f of process.argv.slice(1)) console.log(JSON.parse(require("fs").readFileSync(f)).d)' "$work"/k*.jwk)
secrets=$(cat "$work"/s1.txt; echo; cat "$work"/s2.txt; echo; cat "$work"/s3.txt; echo)
rootkey=$(cat "${SHC_ROOT_KEY_FILE:?}" 2>/dev/null || true)

# every form a value could take on disk or in a log: the text, its bytes as
# a plan prints a constant (decimals), and for d the raw scalar and its hex
patterns() {
	node -e '
const out = [];
for (const d of process.argv[1].split(/\s+/).filter(Boolean)) {
  const raw = Buffer.from(d, "base64url");
  out.push(Buffer.from(d).toString("hex"), raw.toString("hex"),
           Buffer.from(raw.toString("hex")).toString("hex"));
}
for (const s of process.argv[2].split(/\s+/).filter(Boolean))
  out.push(Buffer.from(s).toString("hex"));
console.log(out.join("\n"));' -- "$ds" "$secrets"
}
# print the files that hold any pattern; false when none does
cat >"$work/find.pl" <<'PERL'
my $patfile = shift;
open(my $pf, "<", $patfile) or die;
my @pats = map { chomp; pack("H*", $_) } grep { /\S/ } <$pf>;
my $found = 0;
for my $f (@ARGV) {
  open(my $fh, "<:raw", $f) or next;
  local $/; my $c = <$fh>; close $fh;
  next unless defined $c;
  for my $p (@pats) { if (index($c, $p) >= 0) { print "$f\n"; $found = 1; last } }
}
exit($found ? 0 : 1);
PERL
find_patterns() { perl "$work/find.pl" "$work/pats" "$@"; }
# the decimal byte form of a plan constant ("70 118 79 ...") of each value
plan_forms() {
	for v in $ds $secrets; do
		printf '%s' "${v:0:24}" | od -An -tu1 -v | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
	done
}

patterns >"$work/pats"
# the tier "log-audit" (the last) searches the whole run's server log for
# these test values too (throwaway values of this test): those no
# statement ever carries, k2, k3, s2 and s3 (k1 and s1 are written into a
# 0.1.0 installation by plain INSERTs at the end, as 0.1.0 stored them)
if [ -n "${SCRATCH:-}" ]; then
	mkdir -p "$SCRATCH/known-secrets"
	(
		ds=$(node -e 'for (const f of process.argv.slice(1)) console.log(JSON.parse(require("fs").readFileSync(f)).d)' "$work"/k2.jwk "$work"/k3.jwk)
		secrets=$(cat "$work"/s2.txt; echo; cat "$work"/s3.txt; echo)
		patterns >"$SCRATCH/known-secrets/keys-at-rest.hex"
		plan_forms >"$SCRATCH/known-secrets/keys-at-rest.decimal"
		printf '%s\n' $ds $secrets >"$SCRATCH/known-secrets/keys-at-rest.text"
	)
fi
check "the test knows 3 private scalars and 3 rid secrets ($(wc -l <"$work/pats") byte patterns)" test "$(wc -l <"$work/pats")" -eq 12

dropdb --if-exists "$db" >/dev/null 2>&1
dropdb --if-exists "${db}_restored" >/dev/null 2>&1
createdb -O shc_pv_owner "$db"
psql -X -q -d "$db" -c "CREATE EXTENSION shc ${SHC_PRIVILEGE_BASELINE:+VERSION '0.1.0'}" >/dev/null
psql -X -q -d "$db" -c "CREATE EXTENSION IF NOT EXISTS shc" >/dev/null 2>&1

# --- 1. plan constants --------------------------------------------------------
psql -X -q -d "$db" -v work="$work" -v iss="$ISS" >"$work/plan.out" 2>&1 <<'SQL'
SET client_min_messages = log;
SET debug_print_plan = on;
SET debug_print_parse = on;
SELECT shc.shc_key_import_file(:'iss', :'work' || '/k1.jwk');
SELECT shc.shc_rid_secret_import_file(:'iss', :'work' || '/s1.txt');
SELECT shc.shc_key_create(:'iss');
SELECT shc.shc_rid_secret_create(:'iss');
SQL
check "debug_print_plan printed the plans of the key functions" grep -q 'PLAN' "$work/plan.out"
leaks=0
while read -r form; do
	[ -n "$form" ] && grep -qF -- "$form" "$work/plan.out" && leaks=$((leaks + 1))
done < <(plan_forms)
check "no private scalar or secret is a constant of a printed plan" test "$leaks" -eq 0 -a -s "$work/plan.out"
check "nor its text" bash -c "! grep -qF -e \"\$(head -c 20 $work/s1.txt)\" -e \"\$(node -e 'console.log(JSON.parse(require(\"fs\").readFileSync(\"$work/k1.jwk\")).d.slice(0,20))')\" $work/plan.out"

# --- 2. everything logged -----------------------------------------------------
psql -X -q -d postgres >/dev/null <<SQL
ALTER DATABASE $db SET log_statement = 'all';
ALTER DATABASE $db SET log_min_duration_statement = 0;
ALTER DATABASE $db SET log_min_error_statement = 'debug5';
ALTER DATABASE $db SET log_error_verbosity = 'verbose';
ALTER DATABASE $db SET debug_print_plan = on;
ALTER DATABASE $db SET session_preload_libraries = 'auto_explain';
ALTER DATABASE $db SET auto_explain.log_min_duration = 0;
ALTER DATABASE $db SET auto_explain.log_nested_statements = on;
ALTER DATABASE $db SET auto_explain.log_verbose = on;
ALTER DATABASE $db SET auto_explain.log_analyze = on;
SQL
logstart=$(wc -c <"$log")
psql -X -q -d "$db" -v work="$work" -v iss="$ISS" >"$work/log.out" 2>&1 <<'SQL'
SELECT shc.shc_key_import_file(:'iss', :'work' || '/k2.jwk') AS k2 \gset
SELECT shc.shc_key_import_file(:'iss', :'work' || '/k3.jwk') AS k3 \gset
SELECT shc.shc_rid_secret_import_file(:'iss', :'work' || '/s2.txt');
SELECT shc.shc_rid_secret_import_file(:'iss', :'work' || '/s3.txt');
SELECT shc.shc_key_create(:'iss');
SELECT shc.shc_rid_secret_create(:'iss');
SELECT shc.shc_issue('{"resourceType":"Bundle"}', kid, rid => shc.shc_rid(kid, 'p1'))
  FROM shc.shc_keys WHERE iss = :'iss' AND retired_at IS NULL;
SELECT shc.shc_issue('{"resourceType":"Bundle"}', :'iss');
SELECT shc.shc_rid(kid, 'p1', v) FROM shc.shc_keys, generate_series(1, 4) v WHERE iss = :'iss';
-- errors after secrets were read
SELECT shc.shc_key_import_file(:'iss', :'work' || '/k2.jwk');
SELECT shc.shc_rid_secret_import_file(:'iss', :'work' || '/s2.txt');
SELECT shc.shc_rid(:'k2', 'p1', 99);
-- retire two keys (one created, one imported)
SELECT shc.shc_key_retire(:'k2');
SELECT shc.shc_key_retire(kid) FROM shc.shc_keys WHERE iss = :'iss' AND kid NOT IN (:'k3') AND retired_at IS NULL
  ORDER BY created_at LIMIT 1;
SQL
psql -X -q -d postgres -c "SELECT pg_sleep(0.3)" >/dev/null
tail -c +"$((logstart + 1))" "$log" >"$work/server.log.part"
check "the server log recorded the statements, plans and nested plans (settings took effect)" \
	bash -c "grep -q 'statement: SELECT shc.shc_key_import_file' $work/server.log.part &&
	         grep -q 'plan:' $work/server.log.part && grep -q 'duration: .* plan:' $work/server.log.part"
if find_patterns "$work/server.log.part" >/dev/null; then notok "the server log holds a private value"; else ok "the server log holds no private scalar or rid secret, in text, hex or raw form"; fi
leaks=0
while read -r form; do
	[ -n "$form" ] && grep -qF -- "$form" "$work/server.log.part" && leaks=$((leaks + 1))
done < <(plan_forms)
check "and none as the bytes of a plan constant" test "$leaks" -eq 0
if [ -n "$rootkey" ]; then
	check "the root key is in no log line" bash -c "! grep -qiF -- '$rootkey' $work/server.log.part"
else
	notok "the harness's root key file is readable by the test"
fi
psql -X -q -d postgres -c "ALTER DATABASE $db RESET ALL" >/dev/null

# --- 3. the data directory ----------------------------------------------------
psql -X -q -d "$db" -c "VACUUM shc.shc_private_keys" -c "VACUUM shc.shc_private_rid_secrets" -c "CHECKPOINT" >/dev/null
psql -X -q -d postgres -c "CHECKPOINT" >/dev/null
nfiles=$(find "$datadir" -type f | wc -l)
hits=$(find "$datadir" -type f -print0 | xargs -0 perl "$work/find.pl" "$work/pats" 2>/dev/null)
check "no file of the data directory ($nfiles files: heap, WAL, ...) holds a private scalar or secret in clear" test -z "$hits"
[ -n "$hits" ] && echo "# found in: $hits"

# --- 4. dump by the database owner, restore elsewhere -----------------------
"$BINDIR/pg_dump" --role=shc_pv_owner -Fp -d "$db" -f "$work/dump.sql" 2>"$work/dump.err"
check "the database owner (not a superuser) can pg_dump the database" test $? -eq 0
check "the dump holds the sealed keys" grep -q 'shc_private_keys' "$work/dump.sql"
if find_patterns "$work/dump.sql" >/dev/null; then notok "the dump holds a private value"; else ok "the dump holds no private scalar or secret in clear"; fi
createdb "${db}_restored" && psql -X -q -v ON_ERROR_STOP=1 -d "${db}_restored" -f "$work/dump.sql" >/dev/null 2>"$work/restore.err"
check "the dump restores into a new database" test $? -eq 0
k3=$(psql -X -At -d "$db" -c "SELECT shc.shc_kid(pg_read_file('$work/k3.jwk')::jsonb)")
check "the restored key signs under this server's root key" test -n "$(psql -X -At -d "${db}_restored" -c \
	"SELECT shc.shc_issue('{\"resourceType\":\"Bundle\"}', '$k3')")"
rid_before=$(psql -X -At -d "${db}_restored" -c "SELECT shc.shc_rid('$k3', 'p1', 2)")
# another server: the same data under another root key
(umask 077 && openssl rand -hex 32 >"$work/other.key")
own "$work/other.key"
psql -X -q -d postgres -c "LOAD 'shc'" -c "ALTER SYSTEM SET shc.root_key_file = '$work/other.key'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
err=$(psql -X -At -d "${db}_restored" -c "SELECT shc.shc_issue('{\"resourceType\":\"Bundle\"}', '$k3')" 2>&1)
check "without its root key the restored key cannot sign, and the error says why" \
	grep -q "cannot sign with key \"$k3\": the root key that sealed it is not configured" <<<"$err"
err=$(psql -X -At -d "${db}_restored" -c "SELECT shc.shc_rid('$k3', 'p1', 1)" 2>&1)
check "nor compute a rid" grep -q "the root key that sealed it is not configured" <<<"$err"
check "verification needs no root key" test "$(psql -X -At -d "${db}_restored" -c \
	"SELECT count(*) FROM shc.shc_jwks('$ISS') j, jsonb_array_elements(j->'keys')")" -ge 3
# rotation: the other key becomes the root key, the harness's the previous one
psql -X -q -d postgres -c "LOAD 'shc'" -c "ALTER SYSTEM SET shc.root_key_previous_file = '$SHC_ROOT_KEY_FILE'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
n=$(psql -X -At -d "${db}_restored" -c "SELECT shc.shc_root_key_rotate()" 2>&1)
check "shc_root_key_rotate reseals every key and secret under the new root key ($n)" test "$n" -ge 5 2>/dev/null
check "a second rotation has nothing left to reseal" test "$(psql -X -At -d "${db}_restored" -c "SELECT shc.shc_root_key_rotate()")" = 0
psql -X -q -d postgres -c "LOAD 'shc'" -c "ALTER SYSTEM RESET shc.root_key_previous_file" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
check "after the rotation, with the old root key gone, the key signs" test -n "$(psql -X -At -d "${db}_restored" -c \
	"SELECT shc.shc_issue('{\"resourceType\":\"Bundle\"}', '$k3')")"
check "and the rids are the same as before the rotation" test -n "$rid_before" -a \
	"$(psql -X -At -d "${db}_restored" -c "SELECT shc.shc_rid('$k3', 'p1', 2)")" = "$rid_before"
restore_root_key
err=$(psql -X -At -d "${db}_restored" -c "SELECT shc.shc_issue('{\"resourceType\":\"Bundle\"}', '$k3')" 2>&1)
check "and the old root key no longer opens it" grep -q "the root key that sealed it is not configured" <<<"$err"
dropdb "${db}_restored"

# --- 5. concurrent rid secret creation for one issuer -------------------------
for c in 1 2 3 4 5 6; do
	psql -X -q -d "$db" -c "SELECT shc.shc_rid_secret_create('https://concurrent.example') FROM generate_series(1, 5)" \
		>"$work/c$c.out" 2>&1 &
done
wait
check "six sessions creating rid secrets for one issuer at once: no error at all" bash -c "! grep -q ERROR $work/c?.out"
check "30 versions, numbered 1 to 30, one current" test "$(psql -X -At -d "$db" -c \
	"SELECT count(*) || ' ' || max(version) || ' ' || count(*) FILTER (WHERE retired_at IS NULL)
	   FROM shc.shc_rid_secrets WHERE iss = 'https://concurrent.example'")" = "30 30 1"
out=$(psql -X -d "$db" 2>&1 <<'SQL'
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM shc.shc_keys;
\! psql -X -q -d shc_priv_keys_at_rest -c "SELECT shc.shc_rid_secret_create('https://concurrent.example')" >/dev/null
SELECT shc.shc_rid_secret_create('https://concurrent.example');
ROLLBACK;
SQL
)
rr_retryable() { grep -q 'ERROR:  could not store a revocation secret' <<<"$out" && ! grep -q 'duplicate key' <<<"$out"; }
check "a REPEATABLE READ transaction older than another's creation gets a retryable error (40001), not 23505" rr_retryable

# --- 6. upgrade from 0.1.0: cleartext rows are sealed ------------------------
if [ -z "${SHC_PRIVILEGE_BASELINE:-}" ]; then
	up=${db}_upgrade
	dropdb --if-exists "$up" >/dev/null 2>&1
	createdb "$up"
	d1=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).d)' "$work/k1.jwk")
	psql -X -q -v ON_ERROR_STOP=1 -d "$up" -v jwk="$(cat "$work/k1.jwk")" -v s="$(cat "$work/s1.txt")" >/dev/null <<'SQL'
CREATE EXTENSION shc VERSION '0.1.0';
-- the rows 0.1.0's functions wrote (its SQL now runs against the current
-- library, so they are written directly, as 0.1.0 stored them)
INSERT INTO shc_keys (kid, iss, x, y)
  SELECT shc_kid(:'jwk'::jsonb), 'https://upgrade.example', :'jwk'::jsonb->>'x', :'jwk'::jsonb->>'y';
INSERT INTO shc_private_keys (kid, d) SELECT shc_kid(:'jwk'::jsonb), :'jwk'::jsonb->>'d';
INSERT INTO shc_rid_secrets (iss, version) VALUES ('https://upgrade.example', 1);
INSERT INTO shc_private_rid_secrets (iss, version, secret) VALUES ('https://upgrade.example', 1, :'s');
SQL
	psql -X -q -d postgres -c "LOAD 'shc'" -c "ALTER SYSTEM SET shc.root_key_file = ''" -c "SELECT pg_reload_conf()" >/dev/null
	sleep 0.5
	err=$(psql -X -q -d "$up" -c "ALTER EXTENSION shc UPDATE" 2>&1)
	check "upgrading a 0.1.0 database with keys but no root key stops and says what to configure" \
		grep -q 'cannot upgrade shc: no root key is configured' <<<"$err"
	check "and leaves it at 0.1.0" test "$(psql -X -At -d "$up" -c "SELECT extversion FROM pg_extension WHERE extname = 'shc'")" = 0.1.0
	restore_root_key
	psql -X -q -d "$up" -c "ALTER EXTENSION shc UPDATE" >/dev/null 2>&1
	check "with the root key the upgrade goes through" test "$(psql -X -At -d "$up" -c "SELECT extversion FROM pg_extension WHERE extname = 'shc'")" = "$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$SHC_ROOT/shc.control")"
	check "the upgraded keys sign and the upgraded secret computes rids" test -n "$(psql -X -At -d "$up" -c \
		"SELECT count(shc.shc_issue('{\"resourceType\":\"Bundle\"}', kid, rid => shc.shc_rid(kid, 'p'))) FROM shc.shc_keys")"
	check "the upgraded rows are sealed: no d, no secret column, the scalar is in no row" test "$(psql -X -At -d "$up" -c \
		"SELECT count(*) FROM shc.shc_private_keys WHERE position(convert_to('$d1', 'UTF8') IN sealed_d) > 0")" = 0
	file=$(psql -X -At -d "$up" -c "SELECT pg_relation_filepath('shc.shc_private_keys')")
	psql -X -q -d "$up" -c "CHECKPOINT" >/dev/null
	check "the rewritten key table's heap file holds no cleartext scalar" bash -c "! grep -qF '$d1' '$datadir/$file'"
	dropdb "$up"
fi

dropdb "$db"
if [ -n "${standalone:-}" ]; then echo "tier keys-at-rest: $pass passed, $fail failed, $skip skipped"; fi
