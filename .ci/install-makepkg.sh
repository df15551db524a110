#!/usr/bin/env bash
# Installs Debian's real makepkg, the oracle that checks every committed
# .SRCINFO and the PKGBUILD reader (test/fixtures/srcinfo-matches-makepkg.test.ts).
# Idempotent: does nothing when makepkg and pacman are already on PATH.
set -euo pipefail

if command -v makepkg >/dev/null 2>&1 && command -v pacman >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-makepkg: no apt-get here; install makepkg and pacman (6.0.2) by hand" >&2
  exit 1
fi

# Not root (a developer machine, a CI runner with sudo): go through sudo.
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  SUDO=(sudo)
fi

# pacman-package-manager is only a Recommends of makepkg, yet makepkg aborts
# with "An unknown error has occurred" when no pacman binary is on PATH.
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  makepkg pacman-package-manager

makepkg --version | sed -n 1p
