#!/usr/bin/env bash
# citus-build.sh: build Citus once per machine and install it into the
# PostgreSQL tree a test run uses.
#
#   bash test/scripts/citus-build.sh [PG_TREE]
#
# The build (about 7 minutes on 2 cores) goes to a machine-wide cache,
# /var/cache/shc/citus-<version>/, guarded by flock so two runs never build
# at once; a finished build is marked with a stamp and never redone.  The
# built files are then copied into PG_TREE (a private copy of the
# PostgreSQL installation, as SHC_PG_TREE) or, without one, into the system
# installation.
#
# Exit status: 0 installed (or already there), 2 no source and no Citus
# (the caller counts its work as skipped), 1 the build failed.

set -euo pipefail

CITUS_VERSION=13.2.2
PG_TREE=${1:-${SHC_PG_TREE:-}}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=${SHC_CITUS_SRC:-$here/../../../shared/citus}
CACHE_ROOT=${SHC_CACHE:-/var/cache/shc}
CACHE=$CACHE_ROOT/citus-$CITUS_VERSION
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
PKGLIB=$("$PG_CONFIG" --pkglibdir)
SHAREDIR=$("$PG_CONFIG" --sharedir)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

installed_in() { # $1 = tree prefix ("" for the system)
	[ -f "$1$PKGLIB/citus.so" ] && [ -f "$1$SHAREDIR/extension/citus.control" ] &&
		grep -q "default_version = '${CITUS_VERSION%.*}" "$1$SHAREDIR/extension/citus.control" 2>/dev/null &&
		[ -f "$1$SHAREDIR/extension/.citus-$CITUS_VERSION" ]
}

if [ "${SHC_CITUS_CACHE_ONLY:-}" != 1 ] && installed_in "$PG_TREE"; then
	echo "citus $CITUS_VERSION already installed${PG_TREE:+ in $PG_TREE}"
	exit 0
fi

build() {
	if [ -f "$CACHE/.built" ]; then
		echo "citus $CITUS_VERSION: using the build cached in $CACHE"
		return 0
	fi
	local tarball=$SRC_DIR/citus-$CITUS_VERSION.tar.gz
	if [ ! -f "$tarball" ]; then
		echo "citus: no source ($tarball) and no cached build"
		return 2
	fi
	SRC_DIR=$(cd "$SRC_DIR" && pwd)
	local pkgs=(libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev) missing=() p
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "citus: installing build dependencies ${missing[*]}"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
			{ as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq &&
				as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
	fi
	echo "citus $CITUS_VERSION: building into $CACHE (several minutes, once per machine)"
	rm -rf "$CACHE/src" "$CACHE/stage"
	mkdir -p "$CACHE/src"
	tar xzf "$tarball" -C "$CACHE/src"
	local top
	top=$(find "$CACHE/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	(
		set -e
		cd "$top"
		for pt in "$SRC_DIR"/*.patch; do
			[ -f "$pt" ] || continue
			# The patch is needed only where PostgreSQL's headers export the function.
			if patch -p1 --dry-run -s <"$pt" >/dev/null 2>&1; then patch -p1 -s <"$pt"; fi
		done
		./configure PG_CONFIG="$PG_CONFIG" >"$CACHE/configure.log" 2>&1 &&
			make -j2 with_llvm=no >"$CACHE/build.log" 2>&1 &&
			make install with_llvm=no DESTDIR="$CACHE/stage" >"$CACHE/install.log" 2>&1
	) || { echo "citus build failed; see $CACHE/*.log"; tail -n 30 "$CACHE/build.log" 2>/dev/null; return 1; }
	touch "$CACHE/stage$SHAREDIR/extension/.citus-$CITUS_VERSION"
	rm -rf "$CACHE/src"
	touch "$CACHE/.built"
}

as_root mkdir -p "$CACHE_ROOT"
as_root chmod 1777 "$CACHE_ROOT" 2>/dev/null || true
mkdir -p "$CACHE"
exec 9>"$CACHE_ROOT/citus-$CITUS_VERSION.lock"
flock 9
rc=0
build || rc=$?
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
if [ "${SHC_CITUS_CACHE_ONLY:-}" = 1 ]; then exit 0; fi

# Runtime libraries citus.so links against (libcurl, lz4, zstd).
for p in libcurl4 liblz4-1 libzstd1; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$p" >/dev/null
done

if [ -n "$PG_TREE" ]; then
	cp -a "$CACHE/stage/." "$PG_TREE/"
else
	as_root cp -a "$CACHE/stage/." /
fi
echo "citus $CITUS_VERSION installed${PG_TREE:+ in $PG_TREE}"
