#!/bin/bash
# make image: the replkit tools image, FROM scratch (docker/Dockerfile).
#
# It holds what `make static` builds: out/static/multicall/replkit, every
# tool in one binary (docker/multicall.c; the Makefile's multicall rule),
# since copies of static OpenSSL, one per tool, would not fit the image's
# size target, and a hard link to it per tool.  Beside it: mksh, Debian's
# static musl build, as /bin/sh, for `sh -c 'a && b | c'` entrypoints; and
# the system's CA bundle.
#
# Tags replkit:$VERSION and replkit:latest (IMAGE overrides the name).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
name=${IMAGE:-replkit}
version=${VERSION:-$(sed -n 's/^VERSION = //p' Makefile)}
out=$top/out/image
sh=${IMAGE_SH:-}
if [ -z "$sh" ]; then
	for f in /usr/lib/*-linux-musl/bin/mksh; do
		[ -x "$f" ] && sh=$f && break
	done
fi
ca=${IMAGE_CA:-/etc/ssl/certs/ca-certificates.crt}
multi=out/static/multicall/replkit

die() { printf 'image: %s\n' "$*" >&2; exit 1; }

# What the image is made of; a label on the image, so that
# `docker/image.sh --check` tells whether it is up to date.
stamp() {
	cat "$multi" docker/Dockerfile docker/image.sh 2>/dev/null |
	    sha256sum | cut -c1-16
}
if [ "${1:-}" = --check ]; then
	[ "$(docker image inspect -f '{{index .Config.Labels "replkit.stamp"}}' \
	    "$name:latest" 2>/dev/null)" = "$(stamp)" ]
	exit
fi

command -v docker >/dev/null || die "docker is not installed"
if [ -z "$sh" ] || [ ! -x "$sh" ]; then
	die "no static mksh (apt-get install mksh)"
fi
[ -f "$ca" ] || die "no CA bundle at $ca (apt-get install ca-certificates)"
[ -x "$multi" ] || die "$multi is not built (make static)"

# The tools are those the binary dispatches to: run with no tool's name,
# it lists them.
tools=$("$multi" 2>&1 | sed -n 's/^tools: //p')
[ -n "$tools" ] || die "$multi names no tools"

rm -rf "$out" && mkdir -p "$out/rootfs/usr/local/bin" \
    "$out/rootfs/bin" "$out/rootfs/etc/ssl/certs" "$out/rootfs/tmp"
cp "$multi" "$out/rootfs/usr/local/bin/replkit"
if readelf -d "$out/rootfs/usr/local/bin/replkit" 2>/dev/null | grep -q NEEDED; then
	die "replkit is not static"
fi
for t in $tools; do
	ln "$out/rootfs/usr/local/bin/replkit" "$out/rootfs/usr/local/bin/$t"
done
cp "$sh" "$out/rootfs/bin/sh"
cp "$ca" "$out/rootfs/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$out/rootfs/tmp"
cp docker/Dockerfile "$out/Dockerfile"

old=$(docker image inspect -f '{{.Id}}' "$name:latest" 2>/dev/null || :)
DOCKER_BUILDKIT=0 docker build -q --label "replkit.stamp=$(stamp)" \
    -t "$name:$version" -t "$name:latest" "$out" >/dev/null 2>"$out/build.log" ||
    { cat "$out/build.log" >&2; die "docker build failed"; }
# The image this one replaces, unless something still uses it.
if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$name:latest")" ]; then
	docker rmi "$old" >/dev/null 2>&1 || :
fi
printf '%s:%s %s bytes (%s)\n' "$name" "$version" \
    "$(docker image inspect -f '{{.Size}}' "$name:$version")" "${tools# }"
