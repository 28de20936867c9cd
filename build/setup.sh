#!/bin/bash
# Install what a fresh Debian machine lacks to build and test replkit.
# Only packages that are missing are installed; needs root for that.
set -eu

pkgs="gcc make libc6-dev pkg-config libmariadb-dev mariadb-server
mariadb-client musl-tools cmake libcmocka-dev mandoc shellcheck openssl
perl dpkg-dev ca-certificates util-linux iproute2 debootstrap"
# Where Docker runs: the tools image's static shell (mksh), the server
# stand-ins' root filesystem (debootstrap), and a compose command.
if command -v docker >/dev/null 2>&1; then
	pkgs="$pkgs mksh"
	docker compose version >/dev/null 2>&1 || pkgs="$pkgs docker-compose"
fi

missing=
for p in $pkgs; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "setup: missing Debian packages:$missing" >&2
	echo "setup: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "setup: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
