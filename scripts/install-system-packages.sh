#!/usr/bin/env bash
# Install the Debian packages the tests use when they are missing:
#   postfix  - a real MTA run on a loopback port with a throwaway configuration, and smtp-sink
#   chromium - headless browser that renders the documentation site in a test
# The postfix package's own service is left stopped; tests start private instances.
set -euo pipefail

missing=()
command -v postconf >/dev/null 2>&1 || missing+=(postfix)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}; run this script as root to install them." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# A package install may start the system-wide Postfix; the tests never use it.
if command -v postfix >/dev/null 2>&1; then
  postfix stop >/dev/null 2>&1 || true
fi
echo "Installed: ${missing[*]}"
