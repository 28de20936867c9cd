#!/bin/bash
# Everything CI runs: set-up, the dynamic, static and sanitizer builds,
# the whole suite against the static tools (the server tests once per
# server of the matrix) and again under ASan+UBSan, and the lint of man
# pages and scripts.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
jobs=$(nproc 2>/dev/null || echo 2)
# The server matrix: every server test runs against each; the first is
# the host's own and runs the rest of the suite too.
servers="mariadb-10.11 mariadb-11.8 mysql-9.7"
newer_servers=${servers#* }
server_tests=(t/0210-*.t t/1*.t t/5*.t t/8*.t)

step() { printf '\n=== %s\n' "$*"; }

step "set-up"
build/setup.sh

step "the servers of the matrix (Debian roots for MariaDB 11.8 and MySQL 9.7, made once, cached)"
for f in $newer_servers; do
	build/serverroot.sh "$f" >/dev/null
done

step "dynamic build (system libmariadb)"
make -j"$jobs" all units

step "the demo (the README's first command)"
build/demo.sh

step "static release build (musl; OpenSSL and libmariadb built once, cached)"
make static
for f in out/static/bin/* out/static-notls/bin/*; do
	if readelf -d "$f" 2>/dev/null | grep -q NEEDED; then
		echo "$f: not static" >&2
		exit 1
	fi
	printf '%-36s %8d bytes\n' "$f" "$(stat -c %s "$f")"
done

step "the tools image and the server stand-ins (MariaDB 10.11 and 11.8, MySQL 9.7, HAProxy), for the compose tests (t/50*.t)"
if docker info >/dev/null 2>&1; then
	make image
	docker/standin/build.sh
else
	echo "no usable Docker engine here: the compose tests will be skipped"
fi

step "sanitizer build (ASan+UBSan)"
make -j"$jobs" asan

step "lint"
make lint

step "the suite against the static tools, servers: ${servers%% *}"
t0=$SECONDS
REPLKIT_TEST_SERVER=${servers%% *} \
REPL_BIN=$top/out/static/bin REPL_BIN_NOTLS=$top/out/static-notls/bin \
    REPL_UNIT=$top/out/dev/t prove -j2 --failures --comments t/
echo "(${servers%% *}: $((SECONDS - t0)) s)"
for f in $newer_servers; do
	step "the server tests against the static tools, servers: $f"
	t0=$SECONDS
	REPLKIT_TEST_SERVER=$f \
	REPL_BIN=$top/out/static/bin REPL_BIN_NOTLS=$top/out/static-notls/bin \
	    REPL_UNIT=$top/out/dev/t prove -j2 --failures --comments \
	    "${server_tests[@]}"
	echo "($f: $((SECONDS - t0)) s)"
done

step "the suite under ASan+UBSan, servers: ${servers%% *}"
# Not the compose tests (t/50*.t): their tools run in the image, from the
# static build, and they ran above.
asan_tests=()
for f in t/*.t; do
	case $f in
	t/50*) ;;
	*) asan_tests+=("$f") ;;
	esac
done
REPLKIT_TEST_SERVER=${servers%% *} \
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
REPL_BIN=$top/out/asan/bin REPL_UNIT=$top/out/asan/t prove -j2 --failures --comments \
    "${asan_tests[@]}"
