# shellcheck shell=bash
# common.sh: shared set-up for test/run-demo.sh and test/run-tests.sh.
#
# Installs the Debian packages that are missing, builds and installs the
# extension, and runs a scratch PostgreSQL server that belongs to this
# checkout: its own data directory (.scratch/ under the checkout), its own
# port and Unix socket, never the system cluster.  As root the server runs
# as the "postgres" user (PostgreSQL refuses to run as root); otherwise as
# the invoking user, with sudo used only for apt-get and "make install".

set -euo pipefail

SHC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export SHC_ROOT
PG_MAJOR=${PG_MAJOR:-15}
export PGPORT=${SHC_PGPORT:-54329}
export PGUSER=${SHC_PGUSER:-postgres}
export PGDATABASE=${SHC_PGDATABASE:-postgres}

# Test data from the spec, present next to the project checkout only.
SHC_VECTORS=${SHC_VECTORS:-$SHC_ROOT/../shared/vectors}
if [ -d "$SHC_VECTORS" ]; then
	SHC_VECTORS=$(cd "$SHC_VECTORS" && pwd)
else
	SHC_VECTORS=""
fi
export SHC_VECTORS

log() { printf '\n== %s\n' "$*"; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages the build, the server and every test tier need.
SHC_PACKAGES=(
	make gcc clang libclang-rt-14-dev pkg-config python3-jsonschema
	dpkg-dev debhelper "postgresql-server-dev-all"
	"postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" "postgresql-$PG_MAJOR-pgtap"
	libtap-parser-sourcehandler-pgtap-perl
	libssl-dev openssl libdeflate-dev zlib1g-dev libqrencode-dev
	zbar-tools librsvg2-bin xxd nodejs imagemagick libxml2-utils
	libzbar-dev libpng-dev libjpeg62-turbo-dev
	chromium
)

ensure_packages() {
	local missing=() p
	# the majors tier runs the suite in a chroot prepared with what its
	# tiers need (test/scripts/build-chroot.sh), never with apt-get there
	if [ "${SHC_NO_APT:-0}" = 1 ]; then
		echo "Debian packages not checked (SHC_NO_APT=1)"
		return
	fi
	for p in "${SHC_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "all ${#SHC_PACKAGES[@]} required Debian packages are installed"
		return
	fi
	log "installing missing Debian packages: ${missing[*]}"
	# Debian's postgresql-common would otherwise create and start the
	# system's default cluster on first install; we never use it.  A
	# drop-in (read by createcluster.conf's include_dir) rather than the
	# conffile itself, so the package installs without a conffile question.
	if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
		as_root mkdir -p /etc/postgresql-common/createcluster.d
		echo "create_main_cluster = false" |
			as_root tee /etc/postgresql-common/createcluster.d/shc-no-main-cluster.conf >/dev/null
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
}

pg_bindir() {
	PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
	[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
	export PG_CONFIG
	"$PG_CONFIG" --bindir
}

# SHC_PG_TREE=<dir>: install into a private copy of the PostgreSQL
# installation instead of the system one (PostgreSQL finds its share and
# lib directories relative to its binaries), so several checkouts can be
# tested side by side.  Unset, the extension is installed system-wide.
build_install() {
	log "building and installing shc"
	cd "$SHC_ROOT"
	make -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG"
	if [ -n "${SHC_PG_TREE:-}" ]; then
		local bin share lib
		bin=$("$PG_CONFIG" --bindir)
		share=$("$PG_CONFIG" --sharedir)
		lib=$("$PG_CONFIG" --pkglibdir)
		if [ ! -x "$SHC_PG_TREE$bin/postgres" ]; then
			mkdir -p "$SHC_PG_TREE$(dirname "$bin")" "$SHC_PG_TREE$(dirname "$share")"
			cp -a "$(dirname "$bin")/." "$SHC_PG_TREE$(dirname "$bin")/"
			cp -a "$share/." "$SHC_PG_TREE$share/"
			[ -d "$SHC_PG_TREE$lib" ] || cp -a "$lib/." "$SHC_PG_TREE$lib/"
			chmod -R a+rX "$SHC_PG_TREE"
		fi
		make -s install PG_CONFIG="$PG_CONFIG" DESTDIR="$SHC_PG_TREE" >/dev/null
	else
		as_root make -s install PG_CONFIG="$PG_CONFIG" >/dev/null
	fi
}

# private_pg_tree DIR: a copy of the PostgreSQL installation that PG_CONFIG
# names under DIR (same layout, so its binaries find their share and lib
# directories), without any shc files: the deb and upgrade tiers install
# other builds of shc there, never into the system.
private_pg_tree() {
	local tree=$1 bin share lib
	bin=$("$PG_CONFIG" --bindir)
	share=$("$PG_CONFIG" --sharedir)
	lib=$("$PG_CONFIG" --pkglibdir)
	mkdir -p "$tree$(dirname "$bin")" "$tree$share" "$tree$lib"
	cp -a "$(dirname "$bin")/." "$tree$(dirname "$bin")/"
	cp -a "$share/." "$tree$share/"
	cp -a "$lib/." "$tree$lib/"
	rm -rf "$tree$lib"/shc.so "$tree$lib"/bitcode/shc* "$tree$share"/extension/shc[.-]*
	chmod -R a+rX "$tree"
}

# The scratch server lives under the checkout when the server's user can
# reach it there, otherwise under /tmp.
scratch_dir() {
	local d="$SHC_ROOT/.scratch"
	if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$SHC_ROOT" 2>/dev/null; then
		d="/tmp/shc-scratch-$(printf '%s' "$SHC_ROOT" | cksum | cut -d' ' -f1)"
	fi
	echo "$d"
}

as_server_user() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

server_stop() {
	if [ -n "${SCRATCH:-}" ] && [ -f "$SCRATCH/data/postmaster.pid" ]; then
		as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
}

# Start a fresh scratch cluster (wiping a previous one) and export
# PGHOST/PGPORT/PGUSER for every client that follows.
server_start() {
	BINDIR=$(pg_bindir)
	if [ -n "${SHC_PG_TREE:-}" ]; then BINDIR="$SHC_PG_TREE$BINDIR"; fi
	SCRATCH=$(scratch_dir)
	export SCRATCH BINDIR
	server_stop
	rm -rf "$SCRATCH"
	cluster_start
	trap server_stop EXIT
	# Issue 10: with SHC_LOG_AUDIT=1 (the test command's default) the whole
	# run is logged as a curious administrator would log it; the last tier
	# (log-audit) searches that log for secrets.
	if [ "${SHC_LOG_AUDIT:-0}" = 1 ]; then
		cat >>"$SCRATCH/data/postgresql.conf" <<CONF
log_statement = 'all'
debug_print_plan = on
session_preload_libraries = 'auto_explain'
auto_explain.log_min_duration = 0
auto_explain.log_nested_statements = on
auto_explain.log_verbose = on
CONF
		as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" reload >/dev/null
	fi
}

# cluster_start: initdb and start a cluster with the binaries in $BINDIR,
# in $SCRATCH/data, on port $PGPORT, with its socket in $SCRATCH/sock; the
# settings every tier expects.  The upgrade tier calls it for its own
# servers (their own BINDIR, SCRATCH and PGPORT).
cluster_start() {
	mkdir -p "$SCRATCH/data" "$SCRATCH/sock"
	if [ "$(id -u)" = 0 ]; then
		chown -R postgres: "$SCRATCH"
		export PGUSER=postgres
	else
		export PGUSER=${SHC_PGUSER:-$(id -un)}
	fi
	log "starting a scratch PostgreSQL server in $SCRATCH (port $PGPORT)"
	as_server_user "$BINDIR/initdb" -D "$SCRATCH/data" -U "$PGUSER" --auth=trust \
		--no-locale -E UTF8 >"$SCRATCH/initdb.log" 2>&1 ||
		{ cat "$SCRATCH/initdb.log"; return 1; }
	# shc seals private keys and secrets under a root key kept outside the
	# database: a file beside (not in) the data directory, readable only by
	# the server's OS user (docs/security.md)
	SHC_ROOT_KEY_FILE="$SCRATCH/root.key"
	export SHC_ROOT_KEY_FILE
	(umask 077 && openssl rand -hex 32 >"$SHC_ROOT_KEY_FILE")
	if [ "$(id -u)" = 0 ]; then chown postgres: "$SHC_ROOT_KEY_FILE"; fi
	cat >>"$SCRATCH/data/postgresql.conf" <<CONF
shc.root_key_file = '$SHC_ROOT_KEY_FILE'
listen_addresses = ''
port = $PGPORT
unix_socket_directories = '$SCRATCH/sock'
max_worker_processes = 8
# shc lives in schema shc; put it first on every session's path, as the
# README tells users to do (issue 22: no schema another role may create in
# comes before it)
search_path = 'shc, "\$user", public'
max_parallel_workers = 4
max_parallel_workers_per_gather = 2
log_min_messages = notice
log_line_prefix = '%m [%p] '
fsync = off
full_page_writes = off
synchronous_commit = off
CONF
	as_server_user "$BINDIR/pg_ctl" -D "$SCRATCH/data" -l "$SCRATCH/server.log" -w -t 60 start >/dev/null
	export PGHOST="$SCRATCH/sock"
}
