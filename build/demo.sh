#!/bin/bash
# The main job, end to end on throwaway local servers (no Docker): start a
# source and two replicas, wire them with repl-pos | repl-attach, kill and
# restart a replica under writes, let replkit wait and check, and end with
# a clean repl-diff.
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
  source     127.0.0.1:$(cat "$T/src/port")
  replica 1  127.0.0.1:$(cat "$T/rep1/port")
  replica 2  127.0.0.1:$(cat "$T/rep2/port")
Connect with: MYSQL_PWD=$RK_PASS mariadb -h127.0.0.1 -P$(cat "$T/src/port") -u$RK_USER
Stop them and remove everything with:
  kill $(cat "$T/src/mariadbd.pid") $(cat "$T/rep1/mariadbd.pid") $(cat "$T/rep2/mariadbd.pid"); rm -rf $T
EOT
		return
	fi
	srv_cleanup
	rm -rf "$REPL_TRASH"
}
trap finish EXIT

say "start a source and two replicas (mariadbd, 127.0.0.1, throwaway datadirs)"
srv_start src || fail "source did not start"
srv_start rep1 || fail "replica 1 did not start"
srv_start rep2 || fail "replica 2 did not start"
SRC=$(srv_addr src) REP1=$(srv_addr rep1) REP2=$(srv_addr rep2)
printf '%s\n' "$REPL_PASS" >"$T/repl-password"
echo "source $SRC, replicas $REP1 and $REP2"
echo "tools log in as '$RK_USER' (MYSQL_PWD); replicas use '$REPL_USER' (password in a file)"

say "wait until the source answers (instead of a shell loop of mysql -e)"
run repl-wait -v -u rk -t 30 "$SRC" </dev/null || fail "repl-wait source"

say "some data on the source before the replicas exist"
srv_sql src "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT
    AUTO_INCREMENT PRIMARY KEY, item VARCHAR(40), at TIMESTAMP DEFAULT
    CURRENT_TIMESTAMP); INSERT INTO shop.orders (item) VALUES ('tea'),
    ('milk'), ('bread')"

say "the source's position, as a coordinate line"
run repl-pos -u rk "$SRC" || fail "repl-pos"

say "attach both replicas (by GTID: they receive the whole history)"
for r in "$REP1" "$REP2"; do
	printf '$ repl-pos %s | repl-attach -v --repl-password-file repl-password %s\n' "$SRC" "$r"
	repl-pos -u rk "$SRC" | repl-attach -v -u rk -t 30 \
	    --repl-password-file "$T/repl-password" "$r" || fail "attach $r"
done
printf '$ repl-pos %s | repl-attach --repl-password-file repl-password %s   # again: idempotent\n' "$SRC" "$REP1"
repl-pos -u rk "$SRC" | repl-attach -v -u rk --repl-password-file "$T/repl-password" "$REP1" ||
    fail "second attach"

say "more writes; wait until both replicas have applied the source's position"
srv_sql src "INSERT INTO shop.orders (item) VALUES ('jam'), ('eggs')"
printf '$ repl-pos %s | repl-wait -v %s %s\n' "$SRC" "$REP1" "$REP2"
repl-pos -u rk "$SRC" | repl-wait -v -u rk -t 30 "$REP1" "$REP2" || fail "not caught up"
counts() {
	echo "rows: source $(srv_sql src "SELECT COUNT(*) FROM shop.orders")," \
	    "replica 1 $(srv_sql rep1 "SELECT COUNT(*) FROM shop.orders")," \
	    "replica 2 $(srv_sql rep2 "SELECT COUNT(*) FROM shop.orders")"
}
counts

say "a steady writer on the source; the apply lag of replica 2, per transaction"
printf '$ repl-feed -n 300 -b 10 -r 1000 %s | repl-wait --follow %s | tail -3\n' "$SRC" "$REP2"
repl-feed -u rk -n 300 -b 10 -r 1000 "$SRC" 2>"$T/feed.err" |
    repl-wait -u rk -t 30 --follow "$REP2" >"$T/lag" || fail "feed or follow"
tail -3 "$T/lag"
sed 's/^repl-feed: //' "$T/feed.err"
awk '{ sub("lag_ms=", "", $1); print $1 }' "$T/lag" | sort -n |
    awk '{ a[NR] = $1 } END { printf "lag over %d transactions: median %s ms, max %s ms\n", NR, a[int((NR + 1) / 2)], a[NR] }'

say "replica 1 is killed (kill -9) while the source keeps writing"
srv_kill rep1
repl-feed -u rk -n 100 -b 5 "$SRC" >/dev/null 2>&1 || fail "feed while rep1 is down"
rc=0
printf '$ repl-wait -t 0 --replica %s\n' "$REP1"
repl-wait -u rk -t 0 --replica "$REP1" </dev/null || rc=$?
echo "exit $rc (124: not up, a temporary state)"
[ "$rc" = 124 ] || fail "expected 124"

say "replica 1 restarts and catches up"
srv_restart rep1 || fail "restart"
printf '$ repl-pos %s | repl-wait -v %s %s\n' "$SRC" "$REP1" "$REP2"
repl-pos -u rk "$SRC" | repl-wait -v -u rk -t 60 "$REP1" "$REP2" || fail "not caught up"
printf '$ repl-count --wait %s %s %s\n' "$SRC" "$REP1" "$REP2"
repl-count -u rk --wait -t 30 "$SRC" "$REP1" "$REP2" || fail "counts differ"

say "a replica whose SQL thread stops on an error is reported at once (exit 1)"
srv_sql rep2 "SET sql_log_bin=0; INSERT INTO shop.orders (id, item) VALUES (100, 'stray')"
srv_sql src "INSERT INTO shop.orders (id, item) VALUES (100, 'real')"
wait_for 100 0.1 srv_status_is rep2 Slave_SQL_Running No || fail "no error seen"
rc=0
printf '$ repl-wait --replica %s\n' "$REP2"
repl-wait -u rk -t 30 --replica "$REP2" </dev/null || rc=$?
echo "exit $rc"
[ "$rc" = 1 ] || fail "expected 1"
srv_sql rep2 "SET sql_log_bin=0; DELETE FROM shop.orders WHERE id = 100; START SLAVE"
run repl-wait -u rk -t 30 --replica "$REP2" </dev/null || fail "not repaired"

say "replica 2 drifts behind replication's back (sql_log_bin=0): repl-diff finds it"
srv_sql rep2 "SET sql_log_bin=0; UPDATE shop.orders SET item = 'MILK' WHERE id = 2;
    DELETE FROM shop.orders WHERE id = 3"
rc=0
printf '$ repl-diff %s %s %s\n' "$SRC" "$REP1" "$REP2"
repl-diff -u rk -t 30 "$SRC" "$REP1" "$REP2" || rc=$?
echo "exit $rc (1: differences)"
[ "$rc" = 1 ] || fail "expected 1"
printf '$ repl-diff --sql %s %s   # statements that mend replica 2, for review\n' "$SRC" "$REP2"
repl-diff -u rk -t 30 --sql "$SRC" "$REP2" >"$T/mend.sql" && fail "no difference in --sql"
cat "$T/mend.sql"
echo "(applied on replica 2 with sql_log_bin=0; repl-diff itself never writes)"
srv_sql rep2 "SET sql_log_bin=0; $(cat "$T/mend.sql")"

say "the end: source and both replicas hold the same schemas and rows"
run repl-diff -u rk -t 30 "$SRC" "$REP1" "$REP2" || fail "repl-diff after mending"
echo "exit 0: no differences"

ok=1
say "done: every step passed"
