#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests; does nothing when it is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
    SUDO='sudo'
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
    cat "$log" >&2
    echo 'install-chromium: apt-get failed' >&2
    exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
    echo 'install-chromium: /usr/bin/chromium still missing after apt-get install' >&2
    exit 1
fi
