#!/usr/bin/env bash
# Installs Debian's HAProxy (the balancer of make serve and the cluster test) and,
# with the argument "wrk", the wrk load generator (the cluster benchmark) when missing.
# deploy/cluster.py starts its own haproxy on a private port; the system service is
# never started.
set -euo pipefail
missing=()
if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then missing+=(haproxy); fi
for extra in "$@"; do
  if ! command -v "$extra" >/dev/null; then missing+=("$extra"); fi
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
"$(dirname "$0")/apt-install.sh" "${missing[@]}"
