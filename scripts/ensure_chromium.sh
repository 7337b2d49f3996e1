#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (never `playwright install`).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Debian's chromium is missing: run 'sudo apt-get install -y chromium fonts-liberation'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-liberation >/dev/null
