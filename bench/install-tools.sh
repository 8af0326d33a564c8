#!/usr/bin/env bash
# Debian's wrk and nginx for `make bench`, installed only when missing.
set -euo pipefail

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# The shipped site file (deploy/nginx) serves whitenoise's .br files: bench/proxy.py runs it.
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || missing+=(libnginx-mod-http-brotli-static)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian's ${missing[*]} for the benchmark..."
# The bench starts nginx itself, on a free port, and stops it: the package must not start
# (and leave running) a server of its own on port 80. policy-rc.d saying 101 forbids that.
guard=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  guard=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' >"$guard"
  chmod 755 "$guard"
  trap 'rm -f "$guard"' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
