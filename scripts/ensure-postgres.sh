#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for the workshop store's PostgreSQL tests when
# its binaries (initdb, pg_ctl, postgres under /usr/lib/postgresql/*/bin) are missing.
# The tests start a throwaway cluster of their own (deploy/postgres.py); this script
# never starts, enables or touches a system-wide service or cluster.
set -euo pipefail
for bin in /usr/lib/postgresql/*/bin; do
  if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [ -x "$bin/postgres" ]; then exit 0; fi
done
"$(dirname "$0")/apt-install.sh" postgresql
