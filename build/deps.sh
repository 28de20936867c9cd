#!/usr/bin/env bash
# build/deps.sh VARIANT -- build the static C dependencies of replkit with musl.
#
#   VARIANT  tls    static OpenSSL (built here with musl-gcc) + static
#                   libmariadbclient (MariaDB Connector/C) using it
#            notls  static libmariadbclient without any TLS library
#
# The result is installed into a prefix folder in a cache OUTSIDE the source
# tree; its path is printed as the last (and only) line on stdout.  Everything
# else goes to stderr or to log files under $REPLKIT_CACHE/logs, so a Makefile
# can do
#
#     DEPS := $(shell build/deps.sh tls)
#     CPPFLAGS += -I$(DEPS)/include
#     LDLIBS   += -L$(DEPS)/lib -lmariadbclient -lssl -lcrypto -lpthread
#
# (notls: -L$(DEPS)/lib -lmariadbclient -lpthread).  $(DEPS)/ldflags holds
# the same library flags for the variant.
#
# Prefix layout:
#   include/            mysql.h, errmsg.h, mariadb_rpl.h, mysql/..., mariadb/...
#                       (usable with -I PREFIX/include; include/mariadb/ also has
#                       links to the top-level headers so <mariadb/mysql.h> works)
#   lib/                libmariadbclient.a (+ libssl.a libcrypto.a for tls)
#   ldflags             the link flags above, one line
#   .replkit-stamp      what was built (see below)
#
# Environment (all optional):
#   REPLKIT_CACHE    cache root, default ${XDG_CACHE_HOME:-$HOME/.cache}/replkit
#   CONC_TARBALL     Connector/C source tarball (mariadb-connector-c-*-src.tar.gz)
#                    or a MariaDB server tarball (its libmariadb/ folder is used)
#                    to use instead of the Debian source package "mariadb"
#   OPENSSL_TARBALL  OpenSSL source tarball to use instead of the Debian source
#                    package "openssl"
#   JOBS             parallel make jobs, default $(nproc)
#
# Sources: unless overridden, the *.orig.tar.gz of the Debian source packages
# mariadb and openssl are fetched once with `apt-get source --download-only`
# into $REPLKIT_CACHE/src and reused from there (the newest one present there
# wins; delete that folder to pick up a newer Debian version).
#
# A stamp file per prefix records the variant, the source tarballs and the
# sha256 of this script; when it matches, the run is a no-op that only prints
# the prefix (no apt, no network).  Editing this script rebuilds.
#
# Both are built for size: the release tools link them statically, and the
# link drops every function and object nothing uses (see `dep_cflags` and
# `ossl_off` below, and the `static` rule of the Makefile).
#
# Requires: musl-gcc (musl-tools), cmake, make, tar, gzip, perl (tls), and for
# fetching sources apt-get with a deb-src entry (added automatically as root).
set -eu
set -o pipefail

prog=build/deps.sh

log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

usage() {
	printf 'usage: %s tls|notls\n' "$prog" >&2
	exit 2
}

[ $# -eq 1 ] || usage
variant=$1
case $variant in
tls | notls) ;;
*) usage ;;
esac

self=${BASH_SOURCE[0]}
self_sum=$(sha256sum <"$self")
self_sum=${self_sum%% *}

if [ -n "${REPLKIT_CACHE:-}" ]; then
	cache=$REPLKIT_CACHE
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
	cache=$XDG_CACHE_HOME/replkit
else
	[ -n "${HOME:-}" ] || die "neither REPLKIT_CACHE nor XDG_CACHE_HOME nor HOME is set"
	cache=$HOME/.cache/replkit
fi
mkdir -p "$cache/src"
cache=$(cd "$cache" && pwd -P)
srcdir=$cache/src

# ---------------------------------------------------------------------------
# Source resolution (cheap: only looks at local files)

# newest_local PKG: newest PKG_*.orig.tar.{gz,xz} in $srcdir, or nothing.
newest_local() {
	local f list=
	for f in "$srcdir/$1"_*.orig.tar.gz "$srcdir/$1"_*.orig.tar.xz; do
		[ -f "$f" ] && list="$list$f"$'\n'
	done
	[ -n "$list" ] || return 0
	printf '%s' "$list" | sort -V | tail -n 1
}

# describe FILE: a string that changes when the tarball does.
describe() {
	local st
	st=$(stat -L -c '%s %Y' "$1")
	printf '%s %s' "$1" "$st"
}

# tarball_id FILE: readable name of a tarball without its extension.
tarball_id() {
	local b
	b=${1##*/}
	b=${b%.tar.*}
	b=${b%.tgz}
	printf '%s' "$b"
}

# resolve: sets conc_file/conc_id, ossl_file/ossl_id, prefix, expected_stamp.
# Returns 1 if a Debian source tarball is not available locally yet.
resolve() {
	local v
	missing=
	if [ -n "${CONC_TARBALL:-}" ]; then
		[ -f "$CONC_TARBALL" ] || die "CONC_TARBALL=$CONC_TARBALL: no such file"
		conc_file=$(cd "$(dirname "$CONC_TARBALL")" && pwd -P)/${CONC_TARBALL##*/}
		conc_id=$(tarball_id "$conc_file")
	else
		conc_file=$(newest_local mariadb)
		if [ -z "$conc_file" ]; then
			missing="$missing mariadb"
		else
			v=${conc_file##*/mariadb_}
			conc_id=mariadb-${v%.orig.tar.*}
		fi
	fi
	ossl_file=
	ossl_id=
	if [ "$variant" = tls ]; then
		if [ -n "${OPENSSL_TARBALL:-}" ]; then
			[ -f "$OPENSSL_TARBALL" ] || die "OPENSSL_TARBALL=$OPENSSL_TARBALL: no such file"
			ossl_file=$(cd "$(dirname "$OPENSSL_TARBALL")" && pwd -P)/${OPENSSL_TARBALL##*/}
			ossl_id=$(tarball_id "$ossl_file")
		else
			ossl_file=$(newest_local openssl)
			if [ -z "$ossl_file" ]; then
				missing="$missing openssl"
			else
				v=${ossl_file##*/openssl_}
				ossl_id=openssl-${v%.orig.tar.*}
			fi
		fi
	fi
	[ -z "$missing" ] || return 1

	local name=$variant-$conc_id
	[ -z "$ossl_id" ] || name=$name-$ossl_id
	name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._+-' '_')
	prefix=$cache/$name
	expected_stamp="replkit-deps 1
variant=$variant
conc=$(describe "$conc_file")
openssl=${ossl_file:+$(describe "$ossl_file")}
script=$self_sum"
}

stamp_ok() {
	[ -f "$prefix/.replkit-stamp" ] &&
		[ "$(cat "$prefix/.replkit-stamp")" = "$expected_stamp" ]
}

# Fast path: everything already built.
if resolve && stamp_ok; then
	printf '%s\n' "$prefix"
	exit 0
fi

# ---------------------------------------------------------------------------
# Slow path

start=$SECONDS
JOBS=${JOBS:-$(nproc)}

# Compiler flags for both dependencies, chosen for size:
#  -Os                  instead of upstream's -O3 (the tools wait on servers;
#                       the hot paths of TLS are assembler anyway)
#  -ffunction-sections -fdata-sections
#                       one section per function/object, so that the final
#                       link (-Wl,--gc-sections) keeps only what is reached
#  -fno-asynchronous-unwind-tables -fno-unwind-tables
#                       no .eh_frame: plain C that never unwinds (no C++, no
#                       exceptions; musl needs none for pthread_cancel), and
#                       the release binaries are stripped anyway
dep_cflags="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables"

logdir=$cache/logs
mkdir -p "$logdir"

need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install it (Debian package: $2)"
}
need musl-gcc musl-tools
need cmake cmake
need make make
need tar tar
need gzip gzip
need flock util-linux
[ "$variant" = notls ] || need perl perl

# Serialise concurrent runs (e.g. parallel make invocations).
exec 9>"$cache/.lock"
if ! flock -n 9; then
	log "waiting for another deps.sh run (lock $cache/.lock)"
	flock 9
fi

# run LOGFILE CMD...: run a command with output to a log; on failure show the
# tail of the log on stderr and exit.
run() {
	local logf=$1
	shift
	printf '+ %s\n' "$*" >>"$logf"
	if ! "$@" >>"$logf" 2>&1; then
		log "command failed: $*"
		log "last lines of $logf:"
		tail -n 40 "$logf" >&2
		exit 1
	fi
}

# ensure_deb_src PKG: make `apt-cache showsrc PKG` work.
ensure_deb_src() {
	local pkg=$1 f=/etc/apt/sources.list.d/replkit-deb-src.sources
	[ -z "$(apt-cache showsrc "$pkg" 2>/dev/null)" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		die "no Debian source package '$pkg' known to apt. As root, add deb-src
entries, e.g. $f with:
    Types: deb-src
    URIs: http://deb.debian.org/debian
    Suites: bookworm bookworm-updates
    Components: main

    Types: deb-src
    URIs: http://deb.debian.org/debian-security
    Suites: bookworm-security
    Components: main
and run 'apt-get update'. Or set CONC_TARBALL / OPENSSL_TARBALL."
	fi
	if ! grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/; then
		log "adding deb-src entries in $f"
		# apt refuses two entries for one URI with different Signed-By
		# values: sign ours as the system's deb entries are signed.
		local sb
		sb=$(awk 'BEGIN { RS = ""; FS = "\n" }
		    /URIs:[^\n]*deb\.debian\.org/ {
			for (i = 1; i <= NF; i++)
				if ($i ~ /^Signed-By:/) { print $i; exit }
		    }' /etc/apt/sources.list.d/*.sources 2>/dev/null)
		{
			printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\n'
			printf 'Suites: bookworm bookworm-updates\nComponents: main\n'
			[ -z "$sb" ] || printf '%s\n' "$sb"
			printf '\nTypes: deb-src\nURIs: http://deb.debian.org/debian-security\n'
			printf 'Suites: bookworm-security\nComponents: main\n'
			[ -z "$sb" ] || printf '%s\n' "$sb"
		} >"$f"
	fi
	log "apt-get update (for deb-src indexes)"
	run "$logdir/apt.log" apt-get update
	[ -n "$(apt-cache showsrc "$pkg" 2>/dev/null)" ] ||
		die "apt still knows no source package '$pkg' (see $logdir/apt.log)"
}

# fetch PKG: download the orig tarball of the newest downloadable version of
# the Debian source package PKG into $srcdir.  Some mirrors (security) 404 on
# files of the newest version, so every version apt knows is tried in turn.
fetch() {
	local pkg=$1 v versions tmp logf=$logdir/apt.log f
	need apt-get apt
	ensure_deb_src "$pkg"
	versions=$(apt-cache showsrc "$pkg" |
		awk -v p="$pkg" '/^Package: /{cur=$2} /^Version: / && cur==p {print $2}' |
		sort -Vru)
	[ -n "$versions" ] || die "apt-cache showsrc $pkg lists no versions"
	tmp=$(mktemp -d "$srcdir/.download.XXXXXX")
	for v in $versions; do
		log "downloading Debian source $pkg=$v"
		printf '+ apt-get source --download-only %s=%s\n' "$pkg" "$v" >>"$logf"
		if (cd "$tmp" && apt-get source --download-only "$pkg=$v") >>"$logf" 2>&1; then
			for f in "$tmp/$pkg"_*.orig.tar.gz "$tmp/$pkg"_*.orig.tar.xz; do
				[ -f "$f" ] && mv -f "$f" "$srcdir/"
			done
			rm -rf "$tmp"
			return 0
		fi
		log "  failed (see $logf), trying an older version"
		find "$tmp" -mindepth 1 -delete
	done
	rm -rf "$tmp"
	die "could not download any version of Debian source package $pkg"
}

if ! resolve; then
	for p in $missing; do
		fetch "$p"
	done
	resolve || die "source tarballs still missing:$missing"
fi

if stamp_ok; then # built by a concurrent run while we waited
	printf '%s\n' "$prefix"
	exit 0
fi

name=${prefix##*/}
build=$cache/build/$name
stage=$build/stage
dest=$stage$prefix # staged prefix (DESTDIR installs)
logbase=$logdir/$name
rm -rf "$build"
mkdir -p "$build" "$dest/include" "$dest/lib"
rm -f "$logbase".*.log
log "building $variant dependencies into $prefix (JOBS=$JOBS, logs: $logbase.*.log)"

# ---------------------------------------------------------------------------
# OpenSSL (tls only)

if [ "$variant" = tls ]; then
	t0=$SECONDS
	case $(uname -m) in
	x86_64) ossl_target=linux-x86_64 ;;
	aarch64) ossl_target=linux-aarch64 ;;
	*) die "unsupported architecture $(uname -m)" ;;
	esac
	multiarch=$(gcc -dumpmachine 2>/dev/null || echo "$(uname -m)-linux-gnu")

	# Debian's musl-gcc does not search /usr/include, so the Linux kernel
	# headers (package linux-libc-dev) are not visible; OpenSSL needs a few.
	# Offer just those (not glibc's headers) through a folder of symlinks.
	khdr=$build/kernel-headers
	[ -d /usr/include/linux ] || die "/usr/include/linux missing; install linux-libc-dev"
	mkdir -p "$khdr"
	ln -s /usr/include/linux "$khdr/linux"
	ln -s /usr/include/asm-generic "$khdr/asm-generic"
	if [ -d "/usr/include/$multiarch/asm" ]; then
		ln -s "/usr/include/$multiarch/asm" "$khdr/asm"
	else
		ln -s /usr/include/asm "$khdr/asm"
	fi

	log "extracting $ossl_file"
	mkdir -p "$build/openssl"
	run "$logbase.openssl.log" tar xf "$ossl_file" -C "$build/openssl" --strip-components=1
	log "building OpenSSL ($ossl_id)"
	# What a MySQL/MariaDB client never uses.  Kept on purpose: TLS 1.2 and
	# 1.3 (and 1.0/1.1, which Connector/C's tls-version option can still
	# ask for), RSA, DH (DHE suites), EC (ECDHE, ECDSA, X25519), DSA
	# certificates, AES (CBC, GCM, CCM), ChaCha20-Poly1305, 3DES (legacy
	# "openssl rsa -des3" encrypted keys), MD5, SHA-1/2/3, RIPEMD-160 (used
	# by Connector/C's hash API), X.509 verification with CRLs, PEM/DER,
	# PKCS#8, the console passphrase prompt, socket BIOs, error strings and
	# the system openssl.cnf (/etc/ssl).
	ossl_off=(
		no-shared no-tests no-module no-dso no-engine
		# protocols and TLS features a client of a database never uses
		no-dtls no-srtp no-psk no-srp no-nextprotoneg no-comp no-ct no-ocsp
		no-ssl-trace no-multiblock no-async
		# CMS, time stamps, certificate management protocol
		no-cms no-ts no-cmp
		# algorithms outside the TLS cipher suites and key formats above
		no-aria no-bf no-blake2 no-camellia no-cast no-cmac no-ec2m no-gost
		no-idea no-md4 no-mdc2 no-ocb no-rc2 no-rc4 no-rc5 no-scrypt no-seed
		no-siphash no-sm2 no-sm3 no-sm4 no-whirlpool
		# the legacy provider (MD4, RC4, single DES, ...): nothing loads it
		no-legacy
		# no __FILE__ strings in the error queue (never shown)
		no-filenames
	)
	# OPENSSLDIR=/etc/ssl: Debian's system CA store (/etc/ssl/certs) and
	# openssl.cnf are then found at run time by the static binaries.
	# --prefix is the final prefix; we install into the stage via DESTDIR.
	# CFLAGS replaces OpenSSL's default "-O3 -Wall" (not its -pthread etc.).
	(
		cd "$build/openssl"
		run "$logbase.openssl.log" env CC=musl-gcc CPPFLAGS="-isystem $khdr" \
			CFLAGS="$dep_cflags" \
			./Configure "$ossl_target" "${ossl_off[@]}" \
			--prefix="$prefix" --libdir=lib --openssldir=/etc/ssl
		run "$logbase.openssl.log" make -j"$JOBS" build_libs
		run "$logbase.openssl.log" make install_dev DESTDIR="$stage"
	)
	rm -rf "$dest/lib/pkgconfig"
	if [ ! -f "$dest/lib/libssl.a" ] || [ ! -f "$dest/lib/libcrypto.a" ]; then
		die "OpenSSL install did not produce libssl.a/libcrypto.a"
	fi
	log "OpenSSL done in $((SECONDS - t0)) s"
fi

# ---------------------------------------------------------------------------
# MariaDB Connector/C

t0=$SECONDS
log "extracting Connector/C from $conc_file"
conc_src=$build/conc
mkdir -p "$conc_src"
case ${conc_file##*/} in
*connector-c*)
	run "$logbase.conc.log" tar xf "$conc_file" -C "$conc_src" --strip-components=1
	;;
*)
	# MariaDB server tarball: Connector/C is its libmariadb/ folder.
	run "$logbase.conc.log" tar xf "$conc_file" -C "$build" --wildcards '*/libmariadb/*'
	for d in "$build"/*/libmariadb; do
		[ -f "$d/CMakeLists.txt" ] || continue
		rmdir "$conc_src"
		mv "$d" "$conc_src"
		break
	done
	;;
esac
[ -f "$conc_src/CMakeLists.txt" ] || die "no Connector/C sources (CMakeLists.txt) found in $conc_file"

conc_args=(
	-G "Unix Makefiles"
	-DCMAKE_C_COMPILER=musl-gcc
	-DCMAKE_BUILD_TYPE=Release
	# for size (see dep_cflags); upstream adds -DDBUG_OFF to Release
	-DCMAKE_C_FLAGS_RELEASE="-Os -DNDEBUG"
	-DCMAKE_C_FLAGS="${dep_cflags/-Os /}"
	-DCMAKE_INSTALL_PREFIX="$prefix"
	-DINSTALL_INCLUDEDIR=include
	-DINSTALL_LIBDIR=lib
	# upstream adds -Werror for standalone builds; don't fail on new warnings
	-DCMAKE_COMPILE_WARNING_AS_ERROR=OFF
	# never pick up glibc-built headers/libraries of the host (zstd, zlib,
	# OpenSSL, ...) under musl-gcc
	-DCMAKE_IGNORE_PATH="/usr/include;/usr/local/include;/usr/lib;/usr/local/lib;/lib;/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x)"
	-DWITH_UNIT_TESTS=OFF
	# bundled zlib, compiled into the archive.  It cannot be left out: the
	# zlib compression plugin is always built in (upstream allows no OFF)
	# and an option file's "compress" turns protocol compression on.
	-DWITH_EXTERNAL_ZLIB=OFF
	-DWITH_CURL=OFF
	-DWITH_DOCS=OFF
	-DWITH_MYSQLCOMPAT=OFF
	-DWITH_ICONV=OFF
	# Debian's server socket, instead of upstream's /tmp/mysql.sock
	-DMARIADB_UNIX_ADDR=/run/mysqld/mysqld.sock
	# A static binary cannot dlopen() plugins: build every client plugin we
	# want into the archive, switch off the rest.
	-DCLIENT_PLUGIN_DIALOG=STATIC
	-DCLIENT_PLUGIN_MYSQL_CLEAR_PASSWORD=STATIC
	-DCLIENT_PLUGIN_REMOTE_IO=OFF
	-DREMOTEIO_PLUGIN_TYPE=OFF
	-DCLIENT_PLUGIN_AUTH_GSSAPI_CLIENT=OFF
	-DAUTH_GSSAPI_PLUGIN_TYPE=OFF
	-DCLIENT_PLUGIN_ZSTD=OFF
)
if [ "$variant" = tls ]; then
	conc_args+=(
		-DWITH_SSL=OPENSSL
		-DOPENSSL_ROOT_DIR="$dest"
		-DOPENSSL_USE_STATIC_LIBS=ON
		-DOPENSSL_INCLUDE_DIR="$dest/include"
		-DOPENSSL_SSL_LIBRARY="$dest/lib/libssl.a"
		-DOPENSSL_CRYPTO_LIBRARY="$dest/lib/libcrypto.a"
		-DCLIENT_PLUGIN_CLIENT_ED25519=STATIC
		-DCLIENT_PLUGIN_CACHING_SHA2_PASSWORD=STATIC
		-DCLIENT_PLUGIN_SHA256_PASSWORD=STATIC
	)
else
	# No TLS library at all.  Upstream then does not even define the
	# client_ed25519, caching_sha2_password and sha256_password plugins: they
	# need a crypto library (openssl_crypt.c / RSA), which notls does not
	# have.  Only mysql_native_password, mysql_old_password, dialog and
	# mysql_clear_password are available in this variant.
	conc_args+=(-DWITH_SSL=OFF)
fi

log "configuring Connector/C ($conc_id)"
run "$logbase.conc.log" cmake -S "$conc_src" -B "$build/conc-build" "${conc_args[@]}"
if grep -rqsE --include=flags.make -e '-I/usr/include( |$)|-isystem /usr/include( |$)' "$build/conc-build"; then
	die "Connector/C configuration would compile against /usr/include (glibc headers); see $logbase.conc.log"
fi
log "building Connector/C"
run "$logbase.conc.log" cmake --build "$build/conc-build" --target mariadbclient -j "$JOBS"
# Install the headers with upstream's own rules, the archive by hand (the
# full install also wants the shared library, which we do not build).
run "$logbase.conc.log" env DESTDIR="$stage" cmake -DCMAKE_INSTALL_COMPONENT=Development \
	-P "$build/conc-build/include/cmake_install.cmake"
cp "$build/conc-build/libmariadb/libmariadbclient.a" "$dest/lib/"
[ -f "$dest/include/mysql.h" ] || die "Connector/C install did not produce include/mysql.h"
# Also allow <mariadb/mysql.h> (Debian/pkg-config style) next to <mysql.h>.
mkdir -p "$dest/include/mariadb"
for f in "$dest"/include/*.h "$dest/include/mysql"; do
	ln -sfn "../${f##*/}" "$dest/include/mariadb/${f##*/}"
done
log "Connector/C done in $((SECONDS - t0)) s"

if [ "$variant" = tls ]; then
	libs="-L$prefix/lib -lmariadbclient -lssl -lcrypto -lpthread"
else
	libs="-L$prefix/lib -lmariadbclient -lpthread"
fi
printf '%s\n' "$libs" >"$dest/ldflags"
printf '%s\n' "$expected_stamp" >"$dest/.replkit-stamp"

rm -rf "$prefix"
mv "$dest" "$prefix"
rm -rf "$build"
log "done: $variant in $((SECONDS - start)) s"
printf '%s\n' "$prefix"
