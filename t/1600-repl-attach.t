#!/bin/bash
# repl-attach against real servers: the seeds' set-ups and faults.
. "$(dirname "$0")/lib/server.sh"

printf '%s\n' "$REPL_PASS" >"$T/replpw"
printf 'wrong\n' >"$T/badpw"
ATTACH="repl-attach -u rk -t 30 --repl-password-file $T/replpw"

# status NAME: the replica status, without fields that move by themselves.
status() {
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -E \
	    -e "SHOW SLAVE STATUS" |
	    grep -v -E "Seconds_Behind|Slave_SQL_Running_State|Read_Master_Log_Pos|Exec_Master_Log_Pos|Relay_Log_Pos|Relay_Log_Space|Gtid_IO_Pos|Slave_IO_State"
	return 0
}

rows() {
	srv_sql "$1" "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM d.t"
}

test_expect 'a source with data written before the replica existed' '
	srv_start src && srv_start rep &&
	SRC=$(srv_addr src) && REP=$(srv_addr rep) &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(20)); INSERT INTO d.t (v) VALUES (\"a\"),(\"b\"),(\"c\")"
'

test_expect 'attach by GTID: old and new rows reach the replica' '
	repl-pos -u rk "$SRC" >pos &&
	$ATTACH "$REP" <pos >out 2>err &&
	check_empty out && check_empty err &&
	test "$(srv_status rep Using_Gtid)" = Slave_Pos &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"d\")" &&
	repl-pos -u rk "$SRC" >pos2 &&
	repl-wait -u rk -t 30 "$REP" <pos2 &&
	test "$(rows src)" = "$(rows rep)" && test "$(rows rep)" = "4	10"
'

test_expect 'idempotent: a second run changes nothing, says so with -v, exits 0' '
	status rep >before &&
	$ATTACH -v "$REP" <pos >out 2>err &&
	status rep >after &&
	diff before after &&
	check_grep err "already replicates from .127.0.0.1:[0-9]+.: nothing changed"
'

test_expect '-n prints the statements, password masked, and changes nothing' '
	srv_start dry && DRY=$(srv_addr dry) &&
	$ATTACH -n "$DRY" <pos >out 2>err &&
	check_grep out "^CHANGE MASTER TO MASTER_HOST=.127.0.0.1., MASTER_PORT=[0-9]+, MASTER_USER=.repl., MASTER_PASSWORD=.\*\*\*., MASTER_USE_GTID=slave_pos;$" &&
	check_grep out "^START SLAVE;$" &&
	! grep -q "$REPL_PASS" out err &&
	test -z "$(srv_sql dry "SHOW SLAVE STATUS")"
'

test_expect 'wrong replication password: exit 1 at once with the IO error' '
	t0=$(now_ms) &&
	expect_exit 1 repl-attach -u rk -t 30 --repl-password-file "$T/badpw" "$DRY" <pos 2>err &&
	t1=$(now_ms) && test $((t1 - t0)) -lt 20000 &&
	check_grep err "IO thread cannot connect to the source: error 1045: .*Access denied for user .repl."
'

test_expect 'fixed password: the same command now attaches' '
	$ATTACH "$DRY" <pos && repl-wait -u rk -t 30 "$DRY" <pos2 &&
	test "$(rows dry)" = "$(rows src)"
'

test_expect 'the source itself, or a same server_id: exit 2, untouched' '
	status src >before &&
	expect_exit 2 $ATTACH "$SRC" <pos 2>err &&
	check_grep err "has server_id 1, the same as the source" &&
	status src >after && diff before after
'

test_expect 'already replicating from another source: exit 2 without --force' '
	srv_start other && OTHER=$(srv_addr other) &&
	repl-pos -u rk "$OTHER" >other.pos &&
	status rep >before &&
	expect_exit 2 $ATTACH "$REP" <other.pos 2>err &&
	check_grep err "already replicates from .127.0.0.1:[0-9]+., not .127.0.0.1:[0-9]+.: give --force" &&
	status rep >after && diff before after
'

test_expect 'bad input: exit 2 and the replica exactly as before' '
	status rep >before &&
	printf "garbage\n" >bad1 &&
	expect_exit 2 $ATTACH "$REP" <bad1 2>err &&
	printf "flavor=mariadb host=127.0.0.1 port=1 file=x'"'"';STOP/**/SLAVE;-- pos=4\n" >bad2 &&
	expect_exit 2 $ATTACH --no-gtid "$REP" <bad2 2>err &&
	printf "flavor=mariadb gtid=0-1-1\n" >bad3 &&
	expect_exit 2 $ATTACH "$REP" <bad3 2>err && check_grep err "names no host" &&
	: >empty && expect_exit 2 $ATTACH "$REP" <empty 2>err &&
	expect_exit 2 $ATTACH "$REP" </dev/null 2>err &&
	check_grep err "no coordinate line on standard input and no --source" &&
	expect_exit 2 $ATTACH --source "127.0.0.1:1;x" "$REP" </dev/null 2>err &&
	expect_exit 2 $ATTACH --source 127.0.0.1:1 --gtid "0-1-1'"'"'" "$REP" </dev/null 2>err &&
	expect_exit 2 $ATTACH --no-gtid --at-position "$REP" <pos 2>err &&
	expect_exit 2 $ATTACH --no-gtid --source 127.0.0.1:1 --gtid 0-1-1 "$REP" </dev/null 2>err &&
	check_grep err "needs a file and position" &&
	status rep >after && diff before after
'

test_expect 'the source purged its early binlogs: empty replica refused, untouched' '
	srv_start purged && PURGED=$(srv_addr purged) &&
	srv_sql src "FLUSH BINARY LOGS; INSERT INTO d.t (v) VALUES (\"e\");
	    FLUSH BINARY LOGS" &&
	last=$(srv_sql src "SHOW MASTER STATUS" | cut -f1) &&
	srv_sql src "PURGE BINARY LOGS TO \"$last\"" &&
	repl-pos -u rk "$SRC" >pos3 &&
	expect_exit 2 $ATTACH "$PURGED" <pos3 2>err &&
	check_grep err "has purged the binary logs .* load the replica from a snapshot" &&
	test -z "$(srv_sql purged "SHOW SLAVE STATUS")"
'

test_expect 'a dump loaded with binary logging on is seen as errant: exit 2' '
	srv_start errant &&
	env -u MYSQL_PWD mariadb-dump --no-defaults -S "$T/src/sock" -uroot \
	    --databases d >dump0.sql &&
	repl-pos -u rk "$SRC" >pos0 &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/errant/sock" -uroot <dump0.sql &&
	expect_exit 2 $ATTACH --at-position "$(srv_addr errant)" <pos0 2>err &&
	check_grep err "has transaction 0-[0-9]+-[0-9]+ that the source \(at 0-1-[0-9]+\) never had" &&
	test -z "$(srv_sql errant "SHOW SLAVE STATUS")"
'

test_expect '--at-position after loading a dump taken at that position' '
	env -u MYSQL_PWD mariadb-dump --no-defaults -S "$T/src/sock" -uroot \
	    --databases d >dump.sql &&
	repl-pos -u rk "$SRC" >pos4 &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/purged/sock" -uroot \
	    --init-command="SET sql_log_bin=0" <dump.sql &&
	$ATTACH --at-position "$PURGED" <pos4 &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"f\")" &&
	repl-pos -u rk "$SRC" >pos5 &&
	repl-wait -u rk -t 30 "$PURGED" <pos5 &&
	test "$(rows purged)" = "$(rows src)"
'

test_expect '--no-gtid on a replica loaded from a dump at the position' '
	srv_start fp && FP=$(srv_addr fp) &&
	env -u MYSQL_PWD mariadb-dump --no-defaults -S "$T/src/sock" -uroot \
	    --databases d >dump2.sql &&
	repl-pos -u rk "$SRC" >pos6 &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/fp/sock" -uroot \
	    --init-command="SET sql_log_bin=0" <dump2.sql &&
	$ATTACH --no-gtid "$FP" <pos6 &&
	test "$(srv_status fp Using_Gtid)" = No &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"g\")" &&
	repl-pos -u rk "$SRC" >pos7 &&
	repl-wait -u rk -t 30 "$FP" <pos7 &&
	test "$(rows fp)" = "$(rows src)"
'

test_expect '--no-gtid on an empty replica skips the history (the man page warns)' '
	srv_start blank && EMPTY=$(srv_addr blank) &&
	srv_sql blank "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(20))" &&
	repl-pos -u rk "$SRC" >pos8 &&
	$ATTACH --no-gtid "$EMPTY" <pos8 &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"h\")" &&
	repl-pos -u rk "$SRC" >pos9 &&
	repl-wait -u rk -t 30 "$EMPTY" <pos9 &&
	test "$(srv_sql blank "SELECT COUNT(*) FROM d.t")" = 1
'

test_expect '--no-gtid again on a stopped replica: started where it is, nothing skipped' '
	srv_sql fp "STOP SLAVE" &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"i\")" &&
	repl-pos -u rk "$SRC" >pos10 &&
	$ATTACH -v --no-gtid "$FP" <pos10 2>err &&
	check_grep err "set up for .127.0.0.1:[0-9]+. but stopped: starting it where it is" &&
	repl-wait -u rk -t 30 "$FP" <pos10 &&
	test "$(rows fp)" = "$(rows src)"
'

test_expect '-q: usage errors print nothing either' '
	expect_exit 2 $ATTACH -q -t nonsense "$REP" </dev/null >out 2>err &&
	check_empty out && check_empty err
'

done_testing
