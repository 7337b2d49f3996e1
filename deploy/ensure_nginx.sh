#!/usr/bin/env bash
# Installs Debian's nginx for the benchmark's replica section when it is missing (the package's
# own service is not started: deploy/run_local.sh runs nginx with its own config on loopback).
# Never fails the benchmark: without nginx that section reports itself as skipped.
set -uo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "nginx is missing: 'sudo apt-get install -y nginx' to measure the replica layout" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
(apt-get install -y -qq nginx >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq nginx >/dev/null)) \
  || echo "could not install nginx; the benchmark's nginx section will be skipped" >&2
exit 0
