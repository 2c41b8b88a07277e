#!/usr/bin/env bash
# Tier "dist": the release as a user gets it.
#
#   - META.json against the PGXN Meta Spec 1.0.0 (test/meta/check-meta.py)
#   - make dist gives shc-<version>.tar.gz (git HEAD) with the license and
#     the metadata in it
#   - the unpacked tarball builds out of its tree (a VPATH build, as
#     pg_buildext runs it), and the shc.so it gives defines every C function
#     the SQL scripts bind (AS 'MODULE_PATHNAME', '<symbol>') and
#     Pg_magic_func: an empty library would fail here, not at CREATE EXTENSION
#   - make install DESTDIR=... installs the library, the control file and
#     every script
set -uo pipefail
source "$SHC_ROOT/test/scripts/tier.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- metadata -----------------------------------------------------------------
while IFS= read -r line; do
	case "$line" in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) notok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done < <(python3 "$SHC_ROOT/test/meta/check-meta.py" "$SHC_ROOT/META.json" 2>&1)

# --- make dist --------------------------------------------------------------
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$SHC_ROOT/shc.control")
if make -s -C "$work" -f "$SHC_ROOT/Makefile" VPATH="$SHC_ROOT" PG_CONFIG="$PG_CONFIG" dist >"$work/dist.log" 2>&1 &&
	[ -f "$work/shc-$version.tar.gz" ]; then
	ok "make dist gives shc-$version.tar.gz"
else
	cat "$work/dist.log"
	notok "make dist gives shc-$version.tar.gz"
	echo "tier dist: $pass passed, $fail failed, $skip skipped"
	exit 1
fi
list=$(tar tzf "$work/shc-$version.tar.gz")
for f in LICENSE META.json README.md Makefile shc.control sql/extension/shc.sql sql/extension/shc--0.1.0.sql src/core/shc_core.c; do
	if grep -qx "shc-$version/$f" <<<"$list"; then ok "the tarball holds $f"; else notok "the tarball holds $f"; fi
done
# the install script is built from the one source (sql/extension/shc.sql)
if grep -qx "shc-$version/sql/extension/shc--$version.sql" <<<"$list"; then
	notok "the tarball holds no built install script shc--$version.sql"
else
	ok "the tarball holds no built install script shc--$version.sql"
fi

# --- out-of-tree build of the unpacked release -------------------------------
tar xzf "$work/shc-$version.tar.gz" -C "$work"
src=$work/shc-$version
mkdir -p "$work/build"
if make -s -j2 -C "$work/build" -f "$src/Makefile" VPATH="$src" PG_CONFIG="$PG_CONFIG" >"$work/build.log" 2>&1; then
	ok "the release builds out of its tree (make -f shc-$version/Makefile VPATH=shc-$version)"
else
	tail -n 40 "$work/build.log"
	notok "the release builds out of its tree"
fi
so=$work/build/shc.so
defined=$(nm -D --defined-only "$so" 2>/dev/null | awk '$2 == "T" { print $3 }' | sort -u)
wanted=$(cat "$src"/sql/extension/shc*.sql | grep -oE "'MODULE_PATHNAME' *, *'[A-Za-z0-9_]+'" |
	sed -E "s/.*'([A-Za-z0-9_]+)'$/\1/" | sort -u)
nwanted=$(grep -c . <<<"$wanted")
missing=$(comm -23 <(echo "$wanted") <(echo "$defined"))
if [ "$nwanted" -gt 20 ] && [ -z "$missing" ]; then
	ok "shc.so defines all $nwanted C functions the SQL scripts bind"
else
	notok "shc.so defines the $nwanted C functions the SQL scripts bind (missing: $(echo $missing | cut -c1-300))"
fi
check "shc.so defines Pg_magic_func and shc_verify_sql" \
	bash -c "grep -qx Pg_magic_func <<<'$defined' && grep -qx shc_verify_sql <<<'$defined'"
check "the VPATH build wrote its objects under the build directory, none in the source" \
	bash -c "[ -f '$work/build/src/core/shc_jws.o' ] && [ -z \"\$(find '$src' -name '*.o' -o -name '*.so' | head -n 1)\" ]"

if make -s -C "$work/build" -f "$src/Makefile" VPATH="$src" PG_CONFIG="$PG_CONFIG" \
	DESTDIR="$work/root" install >"$work/install.log" 2>&1; then
	ok "make install DESTDIR=... works from the build directory"
else
	cat "$work/install.log"
	notok "make install DESTDIR=... works from the build directory"
fi
pkglib=$("$PG_CONFIG" --pkglibdir)
share=$("$PG_CONFIG" --sharedir)
check "the library is installed" test -s "$work/root$pkglib/shc.so"
check "the control file is installed" test -s "$work/root$share/extension/shc.control"
for f in "$src"/sql/extension/shc--*.sql; do
	check "$(basename "$f") is installed" cmp -s "$f" "$work/root$share/extension/$(basename "$f")"
done
check "shc--$version.sql, built from sql/extension/shc.sql in the build directory, is installed" \
	cmp -s "$src/sql/extension/shc.sql" "$work/root$share/extension/shc--$version.sql"
check "the VPATH build wrote the install script under the build directory, not in the source" \
	bash -c "[ -f '$work/build/sql/extension/shc--$version.sql' ] && [ ! -e '$src/sql/extension/shc--$version.sql' ]"

echo "tier dist: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
