#!/usr/bin/env bash
# Tier "keys-at-rest": the attacks on stored secrets of issue 10 that need
# the server itself (logs, data files, dumps, pgbench), one script each in
# test/privilege/*.sh (sourced here, sharing the counters of
# test/scripts/tier.sh).  Until the privilege tier (65-privilege.sh) runs
# them, this tier does, with the one role they need.
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/tier.sh
psql -X -q -d postgres >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shc_pv_owner') THEN
    CREATE ROLE shc_pv_owner NOLOGIN;
  END IF;
END $$;
SQL
for f in test/privilege/*.sh; do
	echo "# $f"
	source "$f"
done
echo "tier keys-at-rest: $pass passed, $fail failed, $skip skipped"
