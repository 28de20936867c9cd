#!/bin/bash
# Local stand-ins for the official server and proxy images, for machines
# that cannot pull from a registry: Debian root filesystems made with
# debootstrap (MariaDB from Debian's mariadb-server, HAProxy from haproxy),
# imported into Docker, with an entrypoint that honours the part of the
# official images' interface the compose stacks use (docker/README).
#
#   docker/standin/build.sh            build what is missing, print the tags
#
# The root filesystem is cached as a tarball in $REPLKIT_CACHE/standin,
# keyed by the suite and the package list, so only the first run
# debootstraps; the images are rebuilt from it when they are missing.
# Needs root, debootstrap and a reachable Debian mirror (the one apt uses
# here, or STANDIN_MIRROR).
set -eu
cd "$(dirname "$0")"
here=$PWD

suite=${STANDIN_SUITE:-bookworm}
pkgs="mariadb-server mariadb-client haproxy"
cache=${REPLKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/replkit}/standin
key=$(printf '%s\n' "$suite" "$pkgs" "rootfs-1" | sha256sum | cut -c1-12)
tarball=$cache/rootfs-$suite-$key.tar
base=replkit-standin-base:$key
server=${STANDIN_SERVER_IMAGE:-replkit-standin-mariadb:local}
proxy=${STANDIN_PROXY_IMAGE:-replkit-standin-haproxy:local}

log() { printf 'standin: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# The mirror apt uses on this machine for the suite, so that a proxy or a
# local mirror set up for apt serves debootstrap too.
mirror() {
	if [ -n "${STANDIN_MIRROR:-}" ]; then
		echo "$STANDIN_MIRROR"
		return
	fi
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' \
	    'Identifier: Packages' 2>/dev/null |
	    awk -v s="$suite" '$2 == s { print $1; exit }'
}

make_rootfs() {
	local dir m
	command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
	m=$(mirror)
	[ -n "$m" ] || die "no apt source for '$suite' here; set STANDIN_MIRROR"
	mkdir -p "$cache"
	dir=$(mktemp -d "$cache/rootfs.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$dir'" EXIT
	log "debootstrap $suite (minbase) into $dir"
	debootstrap --variant=minbase "$suite" "$dir" "$m" >"$cache/debootstrap.log" 2>&1 ||
	    { tail -20 "$cache/debootstrap.log" >&2; die "debootstrap failed (log: $cache/debootstrap.log)"; }
	# No service starts inside the chroot while packages install.
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	log "installing $pkgs"
	# shellcheck disable=SC2086
	chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $pkgs \
	    >"$cache/install.log" 2>&1 ||
	    { tail -20 "$cache/install.log" >&2; die "installing $pkgs failed (log: $cache/install.log)"; }
	chroot "$dir" apt-get clean
	# An empty datadir, as in the official image: the entrypoint
	# initializes it on the first start.
	rm -rf "$dir"/var/lib/mysql/* "$dir"/var/lib/apt/lists/* \
	    "$dir/usr/sbin/policy-rc.d" "$dir"/var/log/*.log
	tar --numeric-owner -C "$dir" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	rm -rf "$dir"
	trap - EXIT
	log "cached $tarball ($(du -h "$tarball" | cut -f1))"
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if ! have_image "$base"; then
	[ -f "$tarball" ] || make_rootfs
	log "importing $tarball as $base"
	docker import "$tarball" "$base" >/dev/null
fi

# The thin images: an entrypoint and a command over the shared base.
# Docker's build cache makes this a no-op when nothing changed.
export DOCKER_BUILDKIT=0
docker build -q -t "$server" --build-arg BASE="$base" -f mariadb.Dockerfile . >/dev/null
docker build -q -t "$proxy" --build-arg BASE="$base" -f haproxy.Dockerfile . >/dev/null
echo "$server"
echo "$proxy"
