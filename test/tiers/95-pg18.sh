#!/usr/bin/env bash
# Tier "pg18": shc on PostgreSQL 18.
#
# Builds PostgreSQL 18.3 once per machine (test/scripts/build-pg18.sh, from
# ../shared/postgresql; an existing build is reused), copies that
# installation into this run's scratch directory (so shc is never installed
# into the machine-wide build), builds shc against it out of the source
# tree (a VPATH build in build/pg18, leaving the PostgreSQL 15 objects
# alone), installs it into the copy, starts a scratch PostgreSQL 18 server
# on its own port and socket (as the postgres user when root; stopped on
# exit, also on failure) and runs the unit, regress and pgtap tiers there.
#
# Skipped (counted as skipped) when neither the 18.3 source nor a built
# PostgreSQL 18 is present.  SHC_PG18_CONFIG=<pg_config of an installed
# PostgreSQL 18> uses that installation instead of building one.
set -uo pipefail
source "$SHC_ROOT/test/scripts/common.sh"
source "$SHC_ROOT/test/scripts/tier.sh"
set +e

finish() {
	echo "tier pg18: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

# --- PostgreSQL 18: an installed one, or the machine-wide build -------------
pg18_config=${SHC_PG18_CONFIG:-}
if [ -z "$pg18_config" ] && [ -x /usr/lib/postgresql/18/bin/pg_config ]; then
	pg18_config=/usr/lib/postgresql/18/bin/pg_config
fi
if [ -z "$pg18_config" ]; then
	prefix=$(bash "$SHC_ROOT/test/scripts/build-pg18.sh")
	rc=$?
	if [ "$rc" -eq 2 ]; then
		skip=$((skip + 1))
		echo "ok - # SKIP neither PostgreSQL 18 nor its source (../shared/postgresql) is present"
		finish
	fi
	if [ "$rc" -ne 0 ]; then
		notok "PostgreSQL 18.3 builds"
		finish
	fi
	ok "PostgreSQL 18.3 is built in $prefix"
	pg18_config=$prefix/bin/pg_config
fi
version=$("$pg18_config" --version)
case "$version" in
"PostgreSQL 18"*) ok "pg_config reports $version" ;;
*) notok "pg_config reports PostgreSQL 18 (got '$version')"; finish ;;
esac

# --- a private copy of the installation to install shc into -----------------
SCRATCH=$SCRATCH/pg18
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
tree=$SCRATCH/install
src_prefix=$(cd "$("$pg18_config" --bindir)/.." && pwd)
if [ "$src_prefix" = /usr/lib/postgresql/18 ]; then
	# Debian layout: bin and lib under /usr/lib, share under /usr/share
	# (found relative to the binaries, as SHC_PG_TREE does for 15)
	mkdir -p "$tree/usr/lib/postgresql" "$tree/usr/share/postgresql"
	cp -a /usr/lib/postgresql/18 "$tree/usr/lib/postgresql/"
	cp -a /usr/share/postgresql/18 "$tree/usr/share/postgresql/"
	PG_CONFIG=$tree/usr/lib/postgresql/18/bin/pg_config
else
	# a --prefix build: bin, lib and share under one directory, relocatable
	cp -a "$src_prefix" "$tree"
	PG_CONFIG=$tree/bin/pg_config
fi
chmod -R a+rX "$SCRATCH"
BINDIR=$("$PG_CONFIG" --bindir)
export PG_CONFIG BINDIR
is "$BINDIR" "$(dirname "$PG_CONFIG")" "the copy's pg_config reports the copy's own paths"

# pgTAP is SQL only: its extension files serve 18 as they serve 15
cp /usr/share/postgresql/"$PG_MAJOR"/extension/pgtap* "$("$PG_CONFIG" --sharedir)/extension/" 2>/dev/null

# --- shc, built out of the source tree --------------------------------------
export SHC_BUILD_DIR=$SHC_ROOT/build/pg18
mkdir -p "$SHC_BUILD_DIR"
if make -s -j2 -C "$SHC_BUILD_DIR" -f "$SHC_ROOT/Makefile" VPATH="$SHC_ROOT" \
	PG_CONFIG="$PG_CONFIG" >"$SCRATCH/build.log" 2>&1; then
	ok "shc builds against PostgreSQL 18 (VPATH build in build/pg18)"
else
	cat "$SCRATCH/build.log"
	notok "shc builds against PostgreSQL 18"
	finish
fi
if grep -E 'warning:' "$SCRATCH/build.log"; then
	notok "the PostgreSQL 18 build has no compiler warnings"
else
	ok "the PostgreSQL 18 build has no compiler warnings"
fi
check "the PostgreSQL 18 shc.so exports shc_verify_sql and Pg_magic_func" \
	bash -c "nm -D '$SHC_BUILD_DIR/shc.so' | grep -q ' T shc_verify_sql\$' &&
		nm -D '$SHC_BUILD_DIR/shc.so' | grep -q ' T Pg_magic_func\$'"
if make -s -C "$SHC_BUILD_DIR" -f "$SHC_ROOT/Makefile" VPATH="$SHC_ROOT" \
	PG_CONFIG="$PG_CONFIG" install >"$SCRATCH/install.log" 2>&1; then
	ok "shc installs into the private PostgreSQL 18 tree"
else
	cat "$SCRATCH/install.log"
	notok "shc installs into the private PostgreSQL 18 tree"
	finish
fi
chmod -R a+rX "$tree"

# --- a scratch PostgreSQL 18 server ------------------------------------------
export PGPORT=${SHC_PG18_PORT:-$((PGPORT + 1))}
export SCRATCH
pg18_stop() {
	as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -m fast -w stop >/dev/null 2>&1 || true
}
trap pg18_stop EXIT
if cluster_start; then
	ok "a scratch PostgreSQL 18 server runs on port $PGPORT"
else
	cat "$SCRATCH/server.log" 2>/dev/null
	notok "a scratch PostgreSQL 18 server starts"
	finish
fi
export PATH="$BINDIR:$PATH"
is "$(psql -X -At -d postgres -c 'SHOW server_version_num' | cut -c1-2)" 18 "the clients reach the PostgreSQL 18 server"

# --- the tiers, on 18 --------------------------------------------------------
for t in unit regress pgtap; do
	f=$(ls "$SHC_ROOT"/test/tiers/[0-9][0-9]-"$t".sh 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		notok "tier $t exists"
		continue
	fi
	out="$SCRATCH/tier-$t.log"
	bash "$f" >"$out" 2>&1
	rc=$?
	line=$(grep -E "^tier $t: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$line" ] && [[ "$line" == *" 0 failed"* ]]; then
		ok "on PostgreSQL 18: $line"
	else
		grep -E '^not ok|FAILED|failed|error' "$out" | head -n 40
		[ -f "$SHC_BUILD_DIR/regression.diffs" ] && [ "$t" = regress ] &&
			head -n 150 "$SHC_BUILD_DIR/regression.diffs"
		notok "on PostgreSQL 18: ${line:-tier $t exited $rc without a result line}"
	fi
done
finish
