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
#   3. install the current version over it (make install), restart, and
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
