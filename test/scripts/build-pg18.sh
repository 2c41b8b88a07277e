#!/usr/bin/env bash
# build-pg18.sh: build PostgreSQL 18.3 once per machine.
#
#   bash test/scripts/build-pg18.sh            # prints the prefix on stdout
#
# Source: ../shared/postgresql/postgresql-18.3.tar.gz beside the checkout
# (SHC_PG18_SOURCE overrides).  Prefix: /var/cache/shc/pg18-18.3
# (SHC_PG18_PREFIX overrides).  The build runs under flock, so two runs
# on one machine never build at once; a prefix that holds a finished
# build (its .complete stamp) is used as it is.  The contrib modules the
# tests use (dblink) are built too (stamp .contrib; added to an earlier
# build from the same source with PGXS).  Exit 2 when neither a finished
# build nor the source is present (the caller skips).

set -euo pipefail

SHC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VERSION=18.3
PREFIX=${SHC_PG18_PREFIX:-/var/cache/shc/pg18-$VERSION}
SOURCE=${SHC_PG18_SOURCE:-$SHC_ROOT/../shared/postgresql/postgresql-$VERSION.tar.gz}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

CONTRIB="dblink"
ready() { [ -f "$PREFIX/.complete" ] && [ -f "$PREFIX/.contrib" ] && [ -x "$PREFIX/bin/pg_config" ]; }
if ready; then
	echo "$PREFIX"
	exit 0
fi
if [ ! -f "$SOURCE" ] && [ -f "$PREFIX/.complete" ]; then
	echo "build-pg18: $SOURCE is gone; using $PREFIX without its contrib modules" >&2
	echo "$PREFIX"
	exit 0
fi
if [ ! -f "$SOURCE" ]; then
	echo "build-pg18: neither $PREFIX nor $SOURCE is present" >&2
	exit 2
fi

parent=$(dirname "$PREFIX")
if [ ! -d "$parent" ]; then
	as_root mkdir -p "$parent"
	as_root chmod 1777 "$parent"
fi

# Build dependencies (the tarball is a git tree: the parser needs bison and flex).
missing=()
for p in bison flex libreadline-dev zlib1g-dev libssl-dev pkg-config make gcc; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "build-pg18: installing ${missing[*]}" >&2
	apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 -y -qq)
	as_root "${apt[@]}" install --no-install-recommends "${missing[@]}" >&2 ||
		{ as_root "${apt[@]}" update >&2 &&
			as_root "${apt[@]}" install --no-install-recommends "${missing[@]}" >&2; }
fi

exec 9>"$parent/.pg18-$VERSION.lock"
flock 9
# Another run may have finished the build while this one waited.
if ready; then
	echo "$PREFIX"
	exit 0
fi

work=$(mktemp -d "$parent/.pg18-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -f "$PREFIX/.complete" ]; then
	# the server is built; add the contrib modules with PGXS
	echo "build-pg18: adding contrib modules ($CONTRIB) to $PREFIX" >&2
	{
		tar -xzf "$SOURCE" -C "$work" --wildcards $(for m in $CONTRIB; do echo "*/contrib/$m/*"; done)
		for m in $CONTRIB; do
			d=$(find "$work" -type d -path "*/contrib/$m" | head -n 1)
			make -C "$d" USE_PGXS=1 PG_CONFIG="$PREFIX/bin/pg_config" install
		done
	} >>"$parent/pg18-$VERSION-build.log" 2>&1 || {
		tail -n 40 "$parent/pg18-$VERSION-build.log" >&2
		exit 1
	}
	chmod -R a+rX "$PREFIX"
	touch "$PREFIX/.contrib"
	echo "$PREFIX"
	exit 0
fi
rm -rf "$PREFIX"
echo "build-pg18: building PostgreSQL $VERSION into $PREFIX (several minutes; log $parent/pg18-$VERSION-build.log)" >&2
{
	tar -xzf "$SOURCE" -C "$work"
	src=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	cd "$src"
	./configure --prefix="$PREFIX" --without-icu --with-openssl
	make -j2
	make install
	for m in $CONTRIB; do make -C "contrib/$m" install; done
} >"$parent/pg18-$VERSION-build.log" 2>&1 || {
	tail -n 40 "$parent/pg18-$VERSION-build.log" >&2
	exit 1
}
chmod -R a+rX "$PREFIX"
touch "$PREFIX/.complete" "$PREFIX/.contrib"
echo "$PREFIX"
