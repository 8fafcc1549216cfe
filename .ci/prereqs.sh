#!/bin/sh
# Everything the test suite needs outside node_modules, installed or started only when missing, so
# `npm test` works on a fresh machine and costs nothing on a ready one.
set -eu
here=$(dirname "$0")
sh "$here/services.sh"
sh "$here/install-email.sh"
sh "$here/install-browser.sh"
sh "$here/install-fonts.sh"
