#!/bin/sh
# Dovecot IMAP for the email channel tests (tests/channels/email): the tests start their own Dovecot on a
# loopback port with a throwaway config, so the system service is never used. Idempotent: installs only when missing.
set -eu
if [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# Other installers may hold the dpkg lock: wait for it instead of failing.
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"
$APT update
$APT install -y dovecot-imapd
