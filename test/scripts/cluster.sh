# shellcheck shell=bash
# cluster.sh: extra PostgreSQL servers for the scale-out tiers and the
# cluster benchmark: Citus nodes, a hot standby, a logical subscriber, each
# its own data directory under the scratch folder and its own port on
# 127.0.0.1; and psql sessions kept open across statements.
#
#   node_init NAME PORT [conf line...]   initdb + postgresql.conf
#   node_start NAME / node_stop NAME     pg_ctl
#   node_stop_all                        stop every node started (trap it)
#   node_leftovers                       prints processes of our nodes still alive
#   nsql NAME [psql args...]             psql on a node (-X -q -At, stop on error)
#   sess_open ID NAME [DB] / sess_run ID SQL / sess_close_all
#
# Needs BINDIR, SCRATCH and PGUSER from common.sh's server_start (the
# tiers run after it).

CLUSTER_DIR=${CLUSTER_DIR:-$SCRATCH/cluster}
as_server_user() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
declare -A NODE_PORT=()
NODES_STARTED=()

node_dir() { echo "$CLUSTER_DIR/$1"; }

node_init() {
	local name=$1 port=$2 dir
	shift 2
	dir=$(node_dir "$name")
	rm -rf "$dir"
	mkdir -p "$dir/sock"
	[ "$(id -u)" = 0 ] && chown -R postgres: "$CLUSTER_DIR"
	as_server_user "$BINDIR/initdb" -D "$dir/data" -U "$PGUSER" --auth=trust \
		--no-locale -E UTF8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; return 1; }
	node_conf "$name" "$port" "$@"
}

# the settings every node gets, then the caller's lines
node_conf() {
	local name=$1 port=$2 dir line
	shift 2
	dir=$(node_dir "$name")
	NODE_PORT[$name]=$port
	{
		cat <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
search_path = '"\$user", public, shc'
shared_buffers = 32MB
max_connections = 100
max_worker_processes = 8
fsync = off
full_page_writes = off
synchronous_commit = off
log_line_prefix = '%m [%p] '
CONF
		# the scratch server's root key (test/scripts/common.sh): a node that
		# signs (the coordinator) opens its sealed keys with it
		[ -n "${SHC_ROOT_KEY_FILE:-}" ] && echo "shc.root_key_file = '$SHC_ROOT_KEY_FILE'"
		for line in "$@"; do echo "$line"; done
	} >>"$dir/data/postgresql.conf"
}

node_start() {
	local dir
	dir=$(node_dir "$1")
	as_server_user "$BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ tail -n 20 "$dir/server.log"; return 1; }
	NODES_STARTED+=("$1")
}

node_stop() {
	local dir
	dir=$(node_dir "$1")
	[ -f "$dir/data/postmaster.pid" ] &&
		as_server_user "$BINDIR/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1
	# a server that would not stop in time
	[ -f "$dir/data/postmaster.pid" ] &&
		as_server_user "$BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	return 0
}

node_stop_all() {
	local n
	sess_close_all
	for n in "${NODES_STARTED[@]}"; do node_stop "$n"; done
}

# postmaster pids of our nodes that are still running, one a line
node_leftovers() {
	local n pid dir
	for n in "${NODES_STARTED[@]}"; do
		dir=$(node_dir "$n")
		if [ -f "$dir/data/postmaster.pid" ]; then
			pid=$(head -n 1 "$dir/data/postmaster.pid")
			kill -0 "$pid" 2>/dev/null && echo "$n:$pid"
		fi
	done
	return 0
}

nsql() {
	local name=$1
	shift
	psql -X -q -At -v ON_ERROR_STOP=1 -h "$(node_dir "$name")/sock" -p "${NODE_PORT[$name]}" "$@"
}

# --- sessions kept open: psql reading a FIFO, output to a file --------------
declare -A SESS_FD=() SESS_PID=()
SESS_DIR=
sess_open() { # ID NODE [DB]
	local id=$1 name=$2 db=${3:-postgres} fd
	[ -n "$SESS_DIR" ] || SESS_DIR=$(mktemp -d)
	mkfifo "$SESS_DIR/$id.in"
	# the new psql must not hold the other sessions' FIFOs open (they would
	# never see end of input)
	(
		for fd in "${SESS_FD[@]}"; do eval "exec $fd>&-"; done
		exec psql -X -q -At -h "$(node_dir "$name")/sock" -p "${NODE_PORT[$name]}" -d "$db" \
			<"$SESS_DIR/$id.in" >"$SESS_DIR/$id.out" 2>&1
	) &
	SESS_PID[$id]=$!
	exec {fd}>"$SESS_DIR/$id.in"
	SESS_FD[$id]=$fd
	echo 0 >"$SESS_DIR/$id.n"
}

# run SQL in an open session, print its output (errors included); waits
# for a marker line, 120 s at most
sess_run() {
	local id=$1 sql=$2 n before i
	n=$(($(cat "$SESS_DIR/$id.n") + 1))
	echo "$n" >"$SESS_DIR/$id.n"
	before=$(wc -l <"$SESS_DIR/$id.out")
	printf '%s\n\\echo @@%d\n' "$sql" "$n" >&"${SESS_FD[$id]}"
	for i in $(seq 1 1200); do
		grep -q "^@@$n\$" "$SESS_DIR/$id.out" && break
		kill -0 "${SESS_PID[$id]}" 2>/dev/null || break # psql is gone
		sleep 0.1
	done
	tail -n +"$((before + 1))" "$SESS_DIR/$id.out" | grep -v '^@@'
}

# the backend pid of an open session (to show it is the same one later)
sess_pid() { sess_run "$1" "SELECT pg_backend_pid();"; }

sess_close_all() {
	local id
	for id in "${!SESS_FD[@]}"; do
		eval "exec ${SESS_FD[$id]}>&-" 2>/dev/null
		wait "${SESS_PID[$id]}" 2>/dev/null
		unset "SESS_FD[$id]"
	done
	[ -n "$SESS_DIR" ] && rm -rf "$SESS_DIR"
	SESS_DIR=
	return 0
}
