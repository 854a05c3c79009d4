#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for the workshop store's PostgreSQL tests when
# its binaries (initdb, pg_ctl, postgres under /usr/lib/postgresql/*/bin) are missing.
# The tests start a throwaway cluster of their own (tests/postgres.py); this script
# never starts, enables or touches a system-wide service or cluster.
set -euo pipefail
for bin in /usr/lib/postgresql/*/bin; do
  if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [ -x "$bin/postgres" ]; then exit 0; fi
done
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# policy-rc.d exit 101 stops the package's postinst from starting the main cluster
# (Debian's way to forbid service starts during installs); removed afterwards
# unless one was already there.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  OWN_POLICY=1
fi
trap 'if [ -n "$OWN_POLICY" ]; then $SUDO rm -f "$POLICY"; fi' EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
