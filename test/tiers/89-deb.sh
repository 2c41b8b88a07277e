#!/usr/bin/env bash
# Tier "deb": the Debian package, PGDG style (debian/, pg_buildext).
#
# Builds postgresql-15-shc from the release tarball (make dist) with
# dpkg-buildpackage -b (the package's own regression run, dh_pgxs_test, is
# replaced by the run below: DEB_BUILD_OPTIONS=nocheck), checks what the
# .deb holds, unpacks it with dpkg -x into a private copy of the
# PostgreSQL installation (never into the system, whose shc files the
# other tiers use), starts a scratch server from that copy on its own port
# and runs CREATE EXTENSION and the regress tier against the packaged files.
set -uo pipefail
source "$SHC_ROOT/test/scripts/common.sh"
source "$SHC_ROOT/test/scripts/tier.sh"
set +e

finish() {
	echo "tier deb: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

for tool in dpkg-buildpackage dh pg_buildext; do
	if ! command -v "$tool" >/dev/null; then
		notok "$tool is installed (SHC_PACKAGES: dpkg-dev, debhelper, postgresql-server-dev-all)"
		finish
	fi
done

SCRATCH=$SCRATCH/deb
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH/src"
work=$SCRATCH

# --- build ------------------------------------------------------------------
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$SHC_ROOT/shc.control")
make -s -C "$work/src" -f "$SHC_ROOT/Makefile" VPATH="$SHC_ROOT" PG_CONFIG="$PG_CONFIG" dist >/dev/null 2>&1
tar xzf "$work/src/shc-$version.tar.gz" -C "$work/src"
cp "$work/src/shc-$version.tar.gz" "$work/src/shc_$version.orig.tar.gz"
debversion=$(dpkg-parsechangelog -l "$work/src/shc-$version/debian/changelog" -S Version)
is "${debversion%-*}" "$version" "debian/changelog's upstream version is the control file's default_version"
if (cd "$work/src/shc-$version" &&
	DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1; then
	ok "dpkg-buildpackage builds the package"
else
	tail -n 60 "$work/build.log"
	notok "dpkg-buildpackage builds the package"
	finish
fi
deb=$(ls "$work"/src/postgresql-"$PG_MAJOR"-shc_"$debversion"_*.deb 2>/dev/null | grep -v dbgsym | head -n 1)
if [ -n "$deb" ]; then ok "the binary package is postgresql-$PG_MAJOR-shc $debversion"; else notok "a postgresql-$PG_MAJOR-shc .deb was built"; finish; fi
check "pg_buildext built shc out of tree (build-$PG_MAJOR)" test -f "$work/src/shc-$version/build-$PG_MAJOR/shc.so"

contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
pkglib=$("$PG_CONFIG" --pkglibdir)
share=$("$PG_CONFIG" --sharedir)
for f in "$pkglib/shc.so" "$share/extension/shc.control" "$share/extension/shc--0.1.0.sql" \
	"$share/extension/shc--$version.sql" "$share/extension/shc--0.1.0--0.2.0.sql" "$share/extension/shc--0.2.0--$version.sql" /usr/share/doc/postgresql-"$PG_MAJOR"-shc/copyright; do
	if grep -qx "$f" <<<"$contents"; then ok "the package holds $f"; else notok "the package holds $f"; fi
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in "postgresql-$PG_MAJOR" libssl3 libqrencode4 zlib1g libzbar0 libpng16-16 libjpeg62-turbo; do
	if grep -q "$d" <<<"$depends"; then ok "the package depends on $d"; else notok "the package depends on $d (Depends: $depends)"; fi
done

# --- unpack into a private copy of the PostgreSQL installation -------------
tree=$work/tree
bin=$("$PG_CONFIG" --bindir)
private_pg_tree "$tree"
dpkg -x "$deb" "$tree"
chmod -R a+rX "$work"
check "the packaged shc.so is the one in the private tree" cmp -s "$tree$pkglib/shc.so" \
	<(dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$pkglib/shc.so")
defined=$(nm -D --defined-only "$tree$pkglib/shc.so" | awk '$2 == "T" { print $3 }')
check "the packaged shc.so defines shc_verify_sql and Pg_magic_func" \
	bash -c "grep -qx shc_verify_sql <<<'$defined' && grep -qx Pg_magic_func <<<'$defined'"

# --- a server from the private tree, and the regress tier -------------------
export SCRATCH BINDIR=$tree$bin
export PGPORT=${SHC_DEB_PORT:-$((PGPORT + 2))}
deb_stop() {
	as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -m fast -w stop >/dev/null 2>&1 || true
}
trap deb_stop EXIT
if cluster_start; then
	ok "a scratch server runs from the tree with the packaged files (port $PGPORT)"
else
	cat "$SCRATCH/server.log" 2>/dev/null
	notok "a scratch server starts from the tree with the packaged files"
	finish
fi
is "$(psql -X -At -d postgres -c "SELECT setting FROM pg_config() WHERE name = 'PKGLIBDIR'")" "$tree$pkglib" \
	"the server loads libraries from the private tree"
createdb deb_check
is "$(psql -X -At -d deb_check -c 'CREATE EXTENSION shc' -c "SELECT extversion FROM pg_extension WHERE extname = 'shc'" 2>&1)" \
	"CREATE EXTENSION
$version" "CREATE EXTENSION shc installs $version from the package"
is "$(psql -X -At -d deb_check -c "SELECT shc.shc_qr_numeric('a.b.c') IS NOT NULL" 2>&1)" t \
	"a C function of the packaged library answers"
dropdb deb_check

out="$SCRATCH/tier-regress.log"
bash "$SHC_ROOT/test/tiers/20-regress.sh" >"$out" 2>&1
rc=$?
line=$(grep -E "^tier regress: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
if [ "$rc" -eq 0 ] && [[ "$line" == *" 0 failed"* ]]; then
	ok "against the packaged files: $line"
else
	tail -n 80 "$out"
	notok "against the packaged files: ${line:-regress exited $rc without a result line}"
fi
finish
