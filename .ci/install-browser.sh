#!/bin/sh
# Headless Chromium for the portal tests (tests/channels/web). Idempotent: installs only when missing.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# Other installers (.ci/run's Dovecot, Redis …) may hold the dpkg lock: wait for it instead of failing.
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"
$APT update
$APT install -y chromium
