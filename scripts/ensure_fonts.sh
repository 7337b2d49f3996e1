#!/usr/bin/env bash
# Installs Debian's Noto CJK fonts when no font covers Korean, Japanese and Chinese, so the link-preview
# images and chart PNG/SVG (vl-convert) and the browser draw 딥시크, バイトダンス and 字節跳動 without
# missing-glyph boxes (issue 25). `make run` and `make test` call it, as they do for Chromium.
set -euo pipefail
if command -v fc-list >/dev/null && [ -n "$(fc-list :lang=ko 2>/dev/null | head -1)" ] \
  && [ -n "$(fc-list :lang=ja 2>/dev/null | head -1)" ] && [ -n "$(fc-list :lang=zh-tw 2>/dev/null | head -1)" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "No font covers Korean, Japanese and Chinese: run 'sudo apt-get install -y fonts-noto-cjk fontconfig'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null
