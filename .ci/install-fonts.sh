#!/bin/sh
# CJK fonts for the pages' screenshots (portal, KB articles): without them Chinese renders as boxes.
# Idempotent: installs only when missing.
set -eu
if [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"
$APT update
$APT install -y fonts-wqy-microhei
