#!/usr/bin/env bash
# Tier "pgtap": object inventory, markings, privileges and dump/restore,
# with pg_prove.
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/pgtap.sh
run_pgtap pgtap shc_tap test/pgtap/*.sql
