#!/usr/bin/env bash
# build-chroot.sh: a Debian chroot holding a newer PostgreSQL, made once
# per machine with mmdebstrap.
#
#   bash test/scripts/build-chroot.sh trixie   # PostgreSQL 17
#   bash test/scripts/build-chroot.sh sid      # PostgreSQL 18 (sid) and 19 (experimental)
#
# Prints the chroot's directory on stdout: /var/cache/shc/chroot-<suite>
# (SHC_CHROOT_DIR overrides /var/cache/shc).  Debian 12 packages only
# PostgreSQL 15, and the newer majors' binaries need a newer C library than
# Debian 12's, so they run in a chroot of the suite that packages them.
# The mirror is the one this machine's apt already uses.
#
# Idempotent: a chroot that holds a finished build of this recipe (its
# .shc-complete stamp, which records the recipe) is used as it is.  The
# build runs under flock, so two runs on one machine never build the same
# chroot at once; it is made in a temporary directory beside the final one
# and renamed into place only when complete, with the stamp written last.
# A chroot of an older recipe is replaced.
#
# Exit 2 (the caller skips) when the chroot cannot be made here: mmdebstrap
# is not installed and cannot be, or the package registry is unreachable.
# Exit 1 on any other failure (log in /var/cache/shc/chroot-<suite>.log).
set -euo pipefail

suite=${1:?usage: build-chroot.sh trixie|sid}
CACHE=${SHC_CHROOT_DIR:-/var/cache/shc}
BASE="build-essential,pkg-config,openssl,libssl-dev,zlib1g-dev,libdeflate-dev,libqrencode-dev,libzbar-dev,libpng-dev,libjpeg-dev,git,python3,libtap-parser-sourcehandler-pgtap-perl"
aptopts=()
case "$suite" in
trixie)
	majors="17"
	include="$BASE,postgresql-17,postgresql-server-dev-17"
	sources=("deb MIRROR trixie main")
	;;
sid)
	majors="18 19"
	# experimental's packages are installed only when named: PostgreSQL 19
	# and the libpq it needs
	include="$BASE,postgresql-18,postgresql-server-dev-18,postgresql-19,postgresql-server-dev-19,libpq5/experimental,libpq-dev/experimental"
	sources=("deb MIRROR sid main" "deb MIRROR experimental main")
	# sid's and experimental's Release files carry a short Valid-Until that
	# a registry's copy may have passed
	aptopts=(--aptopt='Acquire::Check-Valid-Until "false"')
	;;
*)
	echo "build-chroot: unknown suite '$suite' (trixie or sid)" >&2
	exit 64
	;;
esac
# pgTAP (SQL only) for each major where Debian has it; where it does not,
# another major's pgTAP files are copied to it
optional=$(for m in $majors; do printf 'postgresql-%s-pgtap ' "$m"; done)
RECIPE="2 $suite $include $optional"

dir=$CACHE/chroot-$suite
stamp=$dir/.shc-complete
ready() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$RECIPE" ]; }
if ready; then
	echo "$dir"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "build-chroot: making a chroot needs root" >&2
	exit 2
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
	echo "build-chroot: installing mmdebstrap" >&2
	apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 -y -qq)
	"${apt[@]}" install --no-install-recommends mmdebstrap >&2 ||
		{ "${apt[@]}" update >&2 && "${apt[@]}" install --no-install-recommends mmdebstrap >&2; } ||
		{
			echo "build-chroot: mmdebstrap is not installed and cannot be installed" >&2
			exit 2
		}
fi
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
	mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
if [ -z "$mirror" ]; then
	echo "build-chroot: no Debian mirror in this machine's apt sources" >&2
	exit 2
fi
# copy_pgtap ROOT MAJOR...: pgTAP's extension files (SQL only) from a major
# that has them to each that has not
copy_pgtap() {
	local root=$1 m from=""
	shift
	for m in "$@"; do
		[ -f "$root/usr/share/postgresql/$m/extension/pgtap.control" ] && from=$m
	done
	[ -n "$from" ] || return 0
	for m in "$@"; do
		[ -f "$root/usr/share/postgresql/$m/extension/pgtap.control" ] && continue
		echo "pgTAP for PostgreSQL $m: the files of PostgreSQL $from's"
		cp "$root/usr/share/postgresql/$from/extension/"pgtap* "$root/usr/share/postgresql/$m/extension/"
	done
}
srcs=()
for s in "${sources[@]}"; do srcs+=("${s/MIRROR/$mirror}"); done

mkdir -p "$CACHE"
exec 9>"$CACHE/.chroot-$suite.lock"
flock 9
# another run may have finished the chroot while this one waited
if ready; then
	echo "$dir"
	exit 0
fi

log=$CACHE/chroot-$suite.log
tmp=$CACHE/.chroot-$suite.tmp
# never into anything still mounted there (mmdebstrap mounts /dev, /proc
# and /sys into the chroot while it works, and unmounts them itself)
remove_tmp() {
	if grep -q " $tmp/" /proc/mounts 2>/dev/null; then
		echo "build-chroot: $tmp still has mounts; not removed" >&2
	else
		rm -rf --one-file-system "$tmp"
	fi
}
remove_tmp
trap remove_tmp EXIT
trap 'exit 143' INT TERM
echo "build-chroot: making $dir with mmdebstrap (3 to 9 minutes; log $log)" >&2
started=$(date +%s)
# Debian's postgresql-common would create (and try to start) a "main"
# cluster for every major it installs; the tiers make their own
# dpkg's fsyncs are what a throw-away chroot can do without; nor does it
# need manual pages, translations or documentation
if ! mmdebstrap --variant=apt "${aptopts[@]}" \
	--dpkgopt=force-unsafe-io --dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
	--essential-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/shc-no-main-cluster.conf"' \
	--include="$include" \
	--customize-hook="chroot \"\$1\" sh -c 'for p in $optional; do apt-get install -y -q --no-install-recommends \$p || echo \"no \$p\"; done'" \
	"$suite" "$tmp" "${srcs[@]}" >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	if grep -qE 'Could not resolve|Temporary failure|Failed to fetch|Unable to connect|Connection (refused|timed out)' "$log"; then
		echo "build-chroot: the package registry cannot be reached" >&2
		exit 2
	fi
	echo "build-chroot: mmdebstrap failed (log $log)" >&2
	exit 1
fi
copy_pgtap "$tmp" $majors >>"$log"
for m in $majors; do
	for f in lib/postgresql/$m/bin/pg_config lib/postgresql/$m/bin/postgres share/postgresql/$m/extension/pgtap.control; do
		if [ ! -e "$tmp/usr/$f" ]; then
			echo "build-chroot: /usr/$f is missing from the new chroot (log $log)" >&2
			exit 1
		fi
	done
done
echo "build-chroot: made in $(($(date +%s) - started)) s, $(du -sh "$tmp" | cut -f1)" >>"$log"
rm -rf --one-file-system "$dir"
mv "$tmp" "$dir"
trap - EXIT
# written last: the chroot is complete
printf '%s' "$RECIPE" >"$stamp"
tail -n 1 "$log" >&2
echo "$dir"
