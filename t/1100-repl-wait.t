#!/bin/bash
# repl-wait against real servers: readiness, replication, caught-up.
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-wait against servers'

test_expect 'a source and a replica start and replicate' '
	srv_start src && srv_start rep &&
	srv_replicate rep src &&
	SRC=$(srv_addr src) && REP=$(srv_addr rep) &&
	repl-wait -u rk -t 30 --replica "$REP" </dev/null
'
SRC=$(srv_addr src) REP=$(srv_addr rep)

# The GTID position of the source's own writes, in this flavor's form: a
# domain-server_id-seqno on MariaDB, the source's UUID and an interval on
# MySQL.
if [ "$SRV_FLAVOR" = mysql ]; then
	src_uuid=$(srv_sql src "SELECT @@server_uuid")
	own_gtid="gtid=$src_uuid:1-[0-9]+ uuid=$src_uuid\$"
else
	own_gtid="gtid=0-1-[0-9]+\$"
fi

# What repl-wait shows of a duplicate key that stopped the SQL thread:
# MariaDB's applier error itself; MySQL's coordinator error, which names
# the worker and the transaction it failed on (the worker's own message
# is in performance_schema, off in these tests), under the worker's errno.
if [ "$SRV_FLAVOR" = mysql ]; then
	dup_error() {
		echo "SQL thread stopped: error 1062: Coordinator stopped because there were error\(s\) in the worker\(s\)\..*Worker [0-9]+ failed executing transaction .$src_uuid:$1."
	}
else
	dup_error() {
		echo "SQL thread stopped: error 1062: .*Duplicate entry .7. for key .PRIMARY."
	}
fi

test_expect 'a ready server: exit 0, nothing on stdout or stderr' '
	repl-wait -u rk "$SRC" </dev/null >out 2>err &&
	check_empty out && check_empty err
'

test_expect 'stdout closed: repl-wait writes nothing, exit 0; repl-pos on a full disk: 3' '
	repl-wait -u rk "$SRC" </dev/null >&- 2>err && check_empty err &&
	expect_exit 3 repl-pos -u rk "$SRC" >/dev/full 2>err &&
	check_grep err "^repl-pos: unable to write to stdout"
'

test_expect 'a server that starts 3 s after the tool: waited for, exit 0' '
	port=$(free_port) &&
	run_bg late /dev/null repl-wait -u rk -t 30 -v "127.0.0.1:$port" &&
	sleep 3 &&
	alive_bg late &&
	SRV_PORT=$port srv_start late &&
	wait_bg late &&
	check_grep late.err "unable to connect" &&
	check_grep late.err "ready"
'

test_expect 'a server that never starts: exit 124 within timeout + 1 s' '
	port=$(free_port) &&
	t0=$(now_ms) &&
	expect_exit 124 repl-wait -u rk -t 2 "127.0.0.1:$port" </dev/null 2>err &&
	t1=$(now_ms) &&
	echo "elapsed $((t1 - t0)) ms" &&
	test $((t1 - t0)) -ge 2000 && test $((t1 - t0)) -le 3000 &&
	check_grep err "^repl-wait: timed out: unable to connect to .127.0.0.1:$port."
'

test_expect 'wrong password: exit 2 at once, not after the timeout' '
	t0=$(now_ms) &&
	MYSQL_PWD=wrong expect_exit 2 repl-wait -u rk -t 30 "$SRC" </dev/null 2>err &&
	t1=$(now_ms) &&
	test $((t1 - t0)) -lt 5000 &&
	check_grep err "Access denied for user .rk."
'

test_expect 'unknown user: exit 2 at once' '
	expect_exit 2 repl-wait -u nosuchuser -t 30 "$SRC" </dev/null 2>err &&
	check_grep err "Access denied"
'

test_expect '-q: a failure prints nothing' '
	MYSQL_PWD=wrong expect_exit 2 repl-wait -q -u rk "$SRC" </dev/null >out 2>err &&
	check_empty out && check_empty err
'

test_expect '--replica on a server that is no replica: 124, says why' '
	expect_exit 124 repl-wait -u rk -t 1 --replica "$SRC" </dev/null 2>err &&
	check_grep err "is not configured as a replica"
'

test_expect '--replica -t 0 on a healthy replica: exit 0 (a healthcheck)' '
	repl-wait -u rk -t 0 --replica "$REP" </dev/null
'

test_expect 'several servers: all must be ready' '
	repl-wait -u rk -t 5 "$SRC" "$REP" </dev/null &&
	port=$(free_port) &&
	expect_exit 124 repl-wait -u rk -t 1 "$SRC" "127.0.0.1:$port" </dev/null
'

test_expect 'caught up: repl-pos src | repl-wait rep, by GTID' '
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY);
	    INSERT INTO d.t VALUES (1),(2),(3)" &&
	repl-pos -u rk "$SRC" >pos &&
	check_grep pos "$own_gtid" &&
	repl-wait -u rk -t 10 "$REP" <pos &&
	test "$(srv_sql rep "SELECT COUNT(*) FROM d.t")" = 3
'

test_expect 'a replica behind: -t 0 says 124; then it catches up: 0' '
	srv_sql rep "STOP REPLICA SQL_THREAD" &&
	srv_sql src "INSERT INTO d.t VALUES (4),(5)" &&
	repl-pos -u rk "$SRC" >pos2 &&
	expect_exit 124 repl-wait -u rk -t 0 "$REP" <pos2 2>err &&
	check_grep err "has not applied gtid" &&
	run_bg behind pos2 repl-wait -u rk -t 30 "$REP" &&
	sleep 1 && alive_bg behind &&
	srv_sql rep "START REPLICA SQL_THREAD" &&
	wait_bg behind &&
	test "$(srv_sql rep "SELECT COUNT(*) FROM d.t")" = 5
'

test_expect 'caught up by file and position when the line has no GTID' '
	srv_sql rep "STOP REPLICA SQL_THREAD" &&
	srv_sql src "INSERT INTO d.t VALUES (6)" &&
	repl-pos -u rk "$SRC" >pos3 &&
	sed "s/ gtid=[^ ]*//" pos3 >pos3.nogtid &&
	check_grep pos3.nogtid "file=mysql-bin" &&
	expect_exit 124 repl-wait -u rk -t 0 "$REP" <pos3.nogtid &&
	srv_sql rep "START REPLICA SQL_THREAD" &&
	repl-wait -u rk -t 30 "$REP" <pos3.nogtid &&
	test "$(srv_sql rep "SELECT COUNT(*) FROM d.t")" = 6
'

test_expect 'an SQL thread stopped on an error: exit 1 at once, the error shown' '
	srv_sql rep "SET sql_log_bin=0; INSERT INTO d.t VALUES (7)" &&
	srv_sql src "INSERT INTO d.t VALUES (7)" &&
	repl-pos -u rk "$SRC" >pos4 &&
	seqno=$(sed -n "s/.* gtid=[^ ]*-\([0-9]*\)\( .*\)\{0,1\}\$/\1/p" pos4) &&
	test -n "$seqno" &&
	wait_for 100 0.1 srv_status_is rep Slave_SQL_Running No &&
	t0=$(now_ms) &&
	expect_exit 1 repl-wait -u rk -t 30 --replica "$REP" </dev/null 2>err &&
	check_grep err "$(dup_error "$seqno")" &&
	expect_exit 1 repl-wait -u rk -t 30 "$REP" <pos4 2>err2 &&
	check_grep err2 "has not applied gtid .*error 1062" &&
	t1=$(now_ms) && test $((t1 - t0)) -lt 10000
'

test_expect 'the broken replica repaired: caught up again' '
	srv_sql rep "SET sql_log_bin=0; DELETE FROM d.t WHERE i = 7; START REPLICA" &&
	repl-wait -u rk -t 30 --replica "$REP" <pos4
'

done_testing
