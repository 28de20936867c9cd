#!/bin/sh
# build/static.sh -- `make static`: the release tools, fully static with
# musl, with TLS (out/static, and beside them the tools image's multi-call
# binary, out/static/multicall/replkit) and without (out/static-notls).
#
# The Makefile runs it with MAKE, STATIC_CFLAGS and STATIC_LDFLAGS in the
# environment (its settings), and build/deps.sh builds the musl OpenSSL and
# libmariadb once into the cache.
set -eu
cd "$(dirname "$0")/.."
: "${MAKE:=make}" "${STATIC_CFLAGS:?}" "${STATIC_LDFLAGS:?}"

# fresh OUT DEPS: when the flags or the dependencies (their stamp) differ
# from those OUT was built with, its objects go, so that they are rebuilt
# and the tools relinked (make alone would not notice).
fresh() {
	s="$STATIC_CFLAGS $STATIC_LDFLAGS $(cat "$2/.replkit-stamp")"
	if [ "$(cat "$1/.static-stamp" 2>/dev/null)" != "$s" ]; then
		rm -rf "${1:?}/lib" "$1/libreplkit.a" "$1/multicall"
		mkdir -p "$1"
		printf '%s\n' "$s" >"$1/.static-stamp"
	fi
}

P=$(build/deps.sh tls)
fresh out/static "$P"
$MAKE --no-print-directory all multicall \
    OUT=out/static CC=musl-gcc \
    CFLAGS="$STATIC_CFLAGS" LDFLAGS="$STATIC_LDFLAGS" \
    MYSQL_CFLAGS="-I$P/include" \
    MYSQL_LIBS="$P/lib/libmariadbclient.a $P/lib/libssl.a $P/lib/libcrypto.a -lpthread"

P=$(build/deps.sh notls)
fresh out/static-notls "$P"
$MAKE --no-print-directory all \
    OUT=out/static-notls CC=musl-gcc \
    CFLAGS="$STATIC_CFLAGS" LDFLAGS="$STATIC_LDFLAGS" \
    REPL_CPPFLAGS="-D_DEFAULT_SOURCE -DREPL_NO_TLS -Ilib" \
    MYSQL_CFLAGS="-I$P/include" \
    MYSQL_LIBS="$P/lib/libmariadbclient.a -lpthread"
