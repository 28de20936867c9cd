#!/bin/bash
# The main job, end to end on throwaway local servers (no Docker): start a
# source and a replica, wire them, and let replkit wait and check.
# --keep leaves the servers running and says how to reach and stop them.
set -eu
cd "$(dirname "$0")/.."
keep=0
[ "${1:-}" = --keep ] && keep=1

build/setup.sh
make -s all >/dev/null

REPL_TRASH=$(mktemp -d /tmp/replkit-demo.XXXXXX)
export REPL_TRASH
# shellcheck source=t/lib/server.sh
. t/lib/server.sh
if [ -t 1 ]; then b=$(printf '\033[1m') n=$(printf '\033[0m'); else b='' n=''; fi
say() { printf '\n%s== %s%s\n' "$b" "$*" "$n"; }
run() { printf '$ %s\n' "$*"; "$@"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

finish() {
	if [ "$keep" = 1 ] && [ "${ok:-0}" = 1 ]; then
		trap - EXIT
		cat <<EOT

The servers keep running:
  source   127.0.0.1:$(cat "$T/src/port")   mariadb -h127.0.0.1 -P$(cat "$T/src/port") -urk -p$RK_PASS
  replica  127.0.0.1:$(cat "$T/rep/port")
Stop them and remove everything with:
  kill $(cat "$T/src/mariadbd.pid") $(cat "$T/rep/mariadbd.pid"); rm -rf $T
EOT
		return
	fi
	srv_cleanup
	rm -rf "$REPL_TRASH"
}
trap finish EXIT

say "start a source and a replica (mariadbd, 127.0.0.1, throwaway datadirs)"
srv_start src || fail "source did not start"
srv_start rep || fail "replica did not start"
SRC=$(srv_addr src) REP=$(srv_addr rep)
echo "source $SRC, replica $REP; tools log in as '$RK_USER' (password in MYSQL_PWD)"

say "wait until the source answers (instead of a shell loop of mysql -e)"
run repl-wait -v -u rk -t 30 "$SRC" </dev/null || fail "repl-wait source"

say "some data on the source before the replica exists"
srv_sql src "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT
    AUTO_INCREMENT PRIMARY KEY, item VARCHAR(40), at TIMESTAMP DEFAULT
    CURRENT_TIMESTAMP); INSERT INTO shop.orders (item) VALUES ('tea'),
    ('milk'), ('bread')"

say "the source's position, as a coordinate line"
run repl-pos -u rk "$SRC" || fail "repl-pos"

say "wire the replica by hand (repl-attach will do this), by GTID"
srv_replicate rep src
run repl-wait -v -u rk -t 30 --replica "$REP" </dev/null || fail "replica not running"

say "more writes; then wait until the replica has applied the source's position"
srv_sql src "INSERT INTO shop.orders (item) VALUES ('jam'), ('eggs')"
printf '$ repl-pos -u rk %s | repl-wait -v -u rk %s\n' "$SRC" "$REP"
repl-pos -u rk "$SRC" | repl-wait -v -u rk -t 30 "$REP" || fail "not caught up"
s=$(srv_sql src "SELECT COUNT(*) FROM shop.orders")
r=$(srv_sql rep "SELECT COUNT(*) FROM shop.orders")
echo "rows: source $s, replica $r"
[ "$s" = "$r" ] || fail "counts differ"

say "a replica that falls behind: a check-once says 124, then it catches up"
srv_sql rep "STOP SLAVE SQL_THREAD"
srv_sql src "INSERT INTO shop.orders (item) VALUES ('rice')"
repl-pos -u rk "$SRC" >"$T/pos"
rc=0
printf '$ repl-wait -t 0 %s < pos\n' "$REP"
repl-wait -u rk -t 0 "$REP" <"$T/pos" || rc=$?
echo "exit $rc (124: not caught up yet)"
[ "$rc" = 124 ] || fail "expected 124"
srv_sql rep "START SLAVE SQL_THREAD"
run repl-wait -v -u rk -t 30 "$REP" <"$T/pos" || fail "not caught up"

say "a replica whose SQL thread stops on an error is reported at once (exit 1)"
srv_sql rep "SET sql_log_bin=0; INSERT INTO shop.orders (id, item) VALUES (100, 'stray')"
srv_sql src "INSERT INTO shop.orders (id, item) VALUES (100, 'real')"
wait_for 100 0.1 srv_status_is rep Slave_SQL_Running No || fail "no error seen"
rc=0
printf '$ repl-wait --replica %s\n' "$REP"
repl-wait -u rk -t 30 --replica "$REP" </dev/null || rc=$?
echo "exit $rc"
[ "$rc" = 1 ] || fail "expected 1"
srv_sql rep "SET sql_log_bin=0; DELETE FROM shop.orders WHERE id = 100; START SLAVE"
run repl-wait -u rk -t 30 --replica "$REP" </dev/null || fail "not repaired"

ok=1
say "done: every step passed"
