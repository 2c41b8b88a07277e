#!/usr/bin/env bash
# Tier "upgrade": ALTER EXTENSION shc UPDATE from every released version.
#
# For each release in test/upgrade/releases (version, git commit and the
# PostgreSQL majors it builds on; skipped on another major):
#   1. build that release from git history (git archive <commit>) and
#      install it, with its own control file, into a private copy of the
#      PostgreSQL installation; start a scratch server from that copy
#   2. put a database in use with it: test/upgrade/setup-<version>.sql
#      (keys, a rid secret, trust, a trigger, issued and revoked cards)
#   3. install the current version over it (make install), restart; the
#      window before the update (README "Upgrading"): the new library with
#      the old catalog verifies the stored cards, decodes and makes QR
#      codes, and issuing (direct and by the trigger), key creation, rids,
#      revocation and trust changes fail with the one error (55000) naming both versions
#      and ALTER EXTENSION shc UPDATE, and leave nothing behind; then
#      ALTER EXTENSION shc UPDATE
#   4. test/upgrade/check.sql: stored cards verify as before, the trigger
#      and shc_issue still issue with the old key
#   5. compare the catalog (test/upgrade/catalog.sql) with a fresh
#      CREATE EXTENSION shc of the current version, made after the upgraded
#      database and the roles it made are dropped: no difference
# A release whose commit is not in this clone (a shallow clone, a release
# tarball) is skipped and counted as skipped.
set -uo pipefail
source "$SHC_ROOT/test/scripts/common.sh"
source "$SHC_ROOT/test/scripts/tier.sh"
set +e

current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$SHC_ROOT/shc.control")
base_scratch=$SCRATCH/upgrade
rm -rf "$base_scratch"
mkdir -p "$base_scratch"
export PGPORT=${SHC_UPGRADE_PORT:-$((PGPORT + 3))}
BINDIR=$(pg_bindir)
SCRATCH=$base_scratch
up_stop() {
	[ -f "$SCRATCH/data/postmaster.pid" ] &&
		as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -m fast -w stop >/dev/null 2>&1
	true
}
trap up_stop EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# the error a statement raises, as "SQLSTATE|message|hint" ("none" if none)
window_error() {
	psql -X -q -At -d upgraded -v ON_ERROR_STOP=1 2>&1 <<SQL
DO \$w\$
DECLARE st text; msg text; hint text;
BEGIN
  BEGIN
    $1;
    st := 'none';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  END;
  RAISE NOTICE '%', concat_ws('|', st, msg, hint);
END \$w\$;
SQL
}

major=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
while read -r version commit majors; do
	case "$version" in '' | '#'*) continue ;; esac
	[ "$version" = "$current" ] && continue
	echo "# --- from $version ($commit) to $current"
	if [[ " $majors " != *" $major "* ]]; then
		skip=$((skip + 1))
		echo "ok - # SKIP release $version does not build on PostgreSQL $major (it builds on $majors)"
		continue
	fi
	if ! git -C "$SHC_ROOT" cat-file -e "$commit^{commit}" 2>/dev/null; then
		skip=$((skip + 1))
		echo "ok - # SKIP release $version: commit $commit is not in this clone"
		continue
	fi
	work=$base_scratch/$version
	SCRATCH=$work
	mkdir -p "$work/src"

	# 1. the release, built from history, in a private installation
	git -C "$SHC_ROOT" archive "$commit" | tar -x -C "$work/src"
	if make -s -j2 -C "$work/src" PG_CONFIG="$PG_CONFIG" >"$work/build.log" 2>&1; then
		ok "release $version builds from git $commit"
	else
		tail -n 30 "$work/build.log"
		notok "release $version builds from git $commit"
		continue
	fi
	tree=$work/tree
	private_pg_tree "$tree"
	make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" DESTDIR="$tree" install >/dev/null 2>&1
	chmod -R a+rX "$tree"
	is "$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$tree$("$PG_CONFIG" --sharedir)/extension/shc.control")" \
		"$version" "release $version's own control file is installed"
	BINDIR=$tree$("$PG_CONFIG" --bindir)
	export SCRATCH BINDIR
	if ! cluster_start; then
		notok "a scratch server starts from the private tree"
		continue
	fi
	roles_before=$(psql -X -At -d postgres -c "SELECT rolname FROM pg_roles ORDER BY 1")

	# 2. a database in use with the release
	createdb upgraded
	if q -d upgraded -f "$SHC_ROOT/test/upgrade/setup-$version.sql" >"$work/setup.log" 2>&1; then
		ok "release $version: keys, trust, trigger and cards in place"
	else
		cat "$work/setup.log"
		notok "release $version: keys, trust, trigger and cards in place"
		up_stop
		continue
	fi
	before=$(grep -E '^ *[0-9]+:[a-z_]+(,[0-9]+:[a-z_]+)*$' "$work/setup.log" | tr -d ' ')
	is "$before" "1:valid,2:revoked" "release $version verifies its cards (one valid, one revoked)"

	# 3. the current version over it, and the update
	make -s -C "$SHC_ROOT" PG_CONFIG="$PG_CONFIG" DESTDIR="$tree" install >/dev/null 2>&1
	chmod -R a+rX "$tree"
	as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -l "$SCRATCH/server.log" -m fast -w restart >/dev/null

	# the window: library $current, catalog $version
	# (0.1.0 has no shc_library_version(): bind the library's symbol here)
	is "$(psql -X -q -At -d upgraded -c "CREATE FUNCTION pg_temp.lib_version() RETURNS text AS '\$libdir/shc', 'shc_library_version_sql' LANGUAGE C" \
		-c "SELECT pg_temp.lib_version() || ' ' || extversion FROM pg_extension WHERE extname = 'shc'" 2>&1)" \
		"$current $version" "window $version: the new library runs, the catalog is still $version"
	is "$(psql -X -At -d upgraded -c "SELECT string_agg(c.patient_id || ':' || v.status, ',' ORDER BY c.id) FROM cards c, shc_verify(c.card) v" 2>&1)" \
		"1:valid,2:revoked" "window $version: shc_verify verifies the stored cards as before (one valid, one revoked)"
	is "$(psql -X -At -d upgraded -c "SELECT count(*) FROM cards c, shc_verify_file(jsonb_build_object('verifiableCredential', jsonb_build_array(c.card))) v WHERE v.valid" 2>&1)" \
		1 "window $version: shc_verify_file verifies too"
	is "$(psql -X -At -d upgraded -c "SELECT shc_decode(card)->'payload'->>'iss' FROM cards WHERE id = 1" 2>&1)" \
		"https://clinic.example.org/issuer" "window $version: shc_decode decodes a stored card"
	is "$(psql -X -At -d upgraded -c "SELECT (shc_verify(shc_qr_decode(shc_qr_chunks(card)))).status || ' ' || (shc_qr_numeric(card) LIKE 'shc:/%') || ' ' || (length(shc_qr_png(card)) > 100) FROM cards WHERE id = 1" 2>&1)" \
		"valid true true" "window $version: QR numeric text, chunks, decode and PNG work"
	ncards=$(psql -X -At -d upgraded -c "SELECT count(*) FROM cards")
	nkeys=$(psql -X -At -d upgraded -c "SELECT count(*) FROM shc_keys")
	want="55000|extension \"shc\" is at version $version in this database, its library at version $current|Run ALTER EXTENSION shc UPDATE; in this database (as the extension's owner or a superuser)."
	is "$(window_error "PERFORM shc_issue(vaccination_bundle(1), (SELECT kid FROM cards WHERE id = 1))")" \
		"NOTICE:  $want" "window $version: shc_issue gives the one error naming both versions and ALTER EXTENSION shc UPDATE"
	is "$(window_error "INSERT INTO vaccinations (patient_id, cvx, given_on) VALUES (1, '207', '2021-02-01')")" \
		"NOTICE:  $want" "window $version: the issue trigger gives the same error (the row is not inserted)"
	is "$(window_error "PERFORM shc_key_create('https://window.example.org')")" \
		"NOTICE:  $want" "window $version: shc_key_create gives the same error"
	is "$(window_error "PERFORM shc_trust('https://window.example.org', '{\"keys\": []}')")" \
		"NOTICE:  $want" "window $version: shc_trust gives the same error"
	is "$(window_error "PERFORM shc_untrust('https://clinic.example.org/issuer')")" \
		"NOTICE:  $want" "window $version: shc_untrust gives the same error"
	is "$(window_error "PERFORM shc_revoke(kid, rid) FROM cards WHERE id = 1")" \
		"NOTICE:  $want" "window $version: shc_revoke gives the same error"
	is "$(window_error "PERFORM shc_rid(kid, '1') FROM cards WHERE id = 1")" \
		"NOTICE:  $want" "window $version: shc_rid gives the same error"
	is "$(psql -X -At -d upgraded -c "SELECT count(*) FROM cards" -c "SELECT count(*) FROM shc_keys" 2>&1 | paste -sd' ')" \
		"$ncards $nkeys" "window $version: nothing was written (cards, keys)"
	if grep -iq reinstall "$SCRATCH/server.log"; then notok "window $version: no message says reinstall"; else ok "window $version: no message says reinstall"; fi

	if q -d upgraded -c "ALTER EXTENSION shc UPDATE" >"$work/update.log" 2>&1; then
		ok "ALTER EXTENSION shc UPDATE from $version to $current"
	else
		cat "$work/update.log"
		notok "ALTER EXTENSION shc UPDATE from $version to $current"
		up_stop
		continue
	fi

	# 4. the data still verifies and issues
	q -d upgraded -v version="$current" -f "$SHC_ROOT/test/upgrade/check.sql" >"$work/check.log" 2>&1
	rc=$?
	nchecks=0
	while IFS='|' read -r what result; do
		nchecks=$((nchecks + 1))
		is "$result" true "after the update from $version: $what"
	done < <(grep -E '^[^|]+[|](true|false|)$' "$work/check.log")
	if [ "$rc" -ne 0 ] || [ "$nchecks" -lt 7 ]; then
		cat "$work/check.log"
		notok "check.sql ran to its end after the update from $version ($nchecks checks)"
	fi
	q -d upgraded -f "$SHC_ROOT/test/upgrade/catalog.sql" >"$work/catalog-upgraded.txt" 2>&1

	# 5. a fresh install of the current version, in a cluster without the
	#    upgraded database and without the roles the scripts made
	dropdb upgraded
	roles_after=$(psql -X -At -d postgres -c "SELECT rolname FROM pg_roles ORDER BY 1")
	for r in $(comm -13 <(echo "$roles_before") <(echo "$roles_after")); do
		psql -X -q -d postgres -c "DROP ROLE \"$r\"" >/dev/null
	done
	createdb fresh
	if q -d fresh -c "CREATE EXTENSION shc" >"$work/fresh.log" 2>&1; then
		ok "CREATE EXTENSION shc installs $current fresh"
	else
		cat "$work/fresh.log"
		notok "CREATE EXTENSION shc installs $current fresh"
	fi
	q -d fresh -f "$SHC_ROOT/test/upgrade/catalog.sql" >"$work/catalog-fresh.txt" 2>&1
	lines=$(wc -l <"$work/catalog-fresh.txt")
	if [ "$lines" -gt 100 ] && diff -u "$work/catalog-fresh.txt" "$work/catalog-upgraded.txt" >"$work/catalog.diff"; then
		ok "the catalog after the update from $version is a fresh install's ($lines lines: functions, tables, columns, constraints, indexes, triggers, types, privileges, comments, roles)"
	else
		head -n 80 "$work/catalog.diff"
		notok "the catalog after the update from $version is a fresh install's ($lines lines, $(grep -c '^[-+][^-+]' "$work/catalog.diff") differ; fresh -, upgraded +)"
	fi
	up_stop
done <"$SHC_ROOT/test/upgrade/releases"

echo "tier upgrade: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
