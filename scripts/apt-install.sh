#!/usr/bin/env bash
# apt-get install the named Debian packages without starting their services.
# Used by the ensure-*.sh scripts; the tests start their own servers (PostgreSQL,
# HAProxy) on private ports and never touch a system-wide service.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# policy-rc.d exit 101 stops a package's postinst from starting its service
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
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
