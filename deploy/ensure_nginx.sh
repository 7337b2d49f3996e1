#!/usr/bin/env bash
# Installs Debian's nginx when it is missing (the package's own service is not started:
# deploy/run_local.sh runs nginx with its own config on loopback), as scripts/ensure_chromium.sh
# installs Chromium.
#
#   bash deploy/ensure_nginx.sh --required   # `make test`: the deploy tests need it; fails without it
#   bash deploy/ensure_nginx.sh              # `make bench`: never fails; the nginx section then says skipped
set -uo pipefail
required=0
if [ "${1:-}" = "--required" ]; then required=1; fi
missing() {
  echo "$1" >&2
  exit "$required"
}
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  missing "nginx is missing: run 'sudo apt-get install -y nginx' (the deploy tests and the benchmark's replica section need it)"
fi
export DEBIAN_FRONTEND=noninteractive
(apt-get install -y -qq nginx >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq nginx >/dev/null)) \
  || missing "could not install nginx (apt-get install -y nginx failed)"
# The package may start its own service on port 80 where a service manager runs: leave it alone,
# the tests and the benchmark start nginx themselves with deploy/nginx.conf.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing "nginx is still missing after apt-get"
exit 0
