#!/usr/bin/env bash
# run-demo.sh: the main job, from a fresh machine.
#
#   bash test/run-demo.sh
#
# Installs missing Debian packages, builds and installs shc, starts a
# scratch PostgreSQL server of its own, creates the extension in a demo
# database and plays the demo in test/demo.sql, writing its files to
# demo-out/.  The server is stopped at the end.
source "$(dirname "$0")/scripts/common.sh"

ensure_packages
pg_bindir >/dev/null
build_install
server_start

OUT="$SHC_ROOT/demo-out"
mkdir -p "$OUT"
export SHC_DEMO_OUT="$OUT"
log "demo"
createdb shc_demo
psql -X -q -v ON_ERROR_STOP=1 -d shc_demo -f "$SHC_ROOT/test/demo.sql"
log "done; files written to $OUT:"
ls -l "$OUT"
