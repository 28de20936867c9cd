#!/bin/bash
# repl-pos against real servers: the line, its JSON, and its failures.
. "$(dirname "$0")/lib/server.sh"

json_get() {
	perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>);
	    print $j->{$ARGV[0]}, "\n"' "$2" <"$1"
}

test_expect 'a source with writes' '
	srv_start src &&
	SRC=$(srv_addr src) && PORT=$(cat "$T/src/port") &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY);
	    INSERT INTO d.t VALUES (1); INSERT INTO d.t VALUES (2)"
'

test_expect 'the line matches SHOW MASTER STATUS and gtid_binlog_pos exactly' '
	repl-pos -u rk "$SRC" >out 2>err &&
	check_empty err &&
	file=$(srv_sql src "SHOW MASTER STATUS" | cut -f1) &&
	pos=$(srv_sql src "SHOW MASTER STATUS" | cut -f2) &&
	gtid=$(srv_sql src "SELECT @@gtid_binlog_pos") &&
	check_file out "flavor=mariadb host=127.0.0.1 port=$PORT server_id=1 file=$file pos=$pos gtid=$gtid"
'

test_expect '--json: the same fields, as one JSON object' '
	repl-pos -u rk --json "$SRC" >out.json &&
	test "$(json_get out.json flavor)" = mariadb &&
	test "$(json_get out.json port)" = "$PORT" &&
	test "$(json_get out.json pos)" = "$pos" &&
	test "$(json_get out.json file)" = "$file" &&
	test "$(json_get out.json gtid)" = "$gtid" &&
	test "$(json_get out.json server_id)" = 1
'

test_expect '--advertise: the host and port replicas should use' '
	repl-pos -u rk --advertise db1.example:3307 "$SRC" >out &&
	check_grep out "^flavor=mariadb host=db1.example port=3307 server_id=1 " &&
	repl-pos -u rk --advertise "[fd00::1]" "$SRC" >out6 &&
	check_grep out6 " host=fd00::1 port=3306 "
'

test_expect 'a unix socket operand: host from the server, its port' '
	repl-pos -u rk "$T/src/sock" >out &&
	check_grep out " port=$PORT server_id=1 file=" &&
	! grep -q "host=localhost" out
'

test_expect 'the line is read back by repl-wait (round trip)' '
	repl-pos -u rk "$SRC" >line &&
	expect_exit 124 repl-wait -u rk -t 0 "$SRC" <line 2>err &&
	check_grep err "is not configured as a replica"
'

test_expect 'a source under continuous writes: file/pos and GTID agree' '
	srv_sql src "CREATE TABLE d.w (i INT AUTO_INCREMENT PRIMARY KEY)" &&
	( for i in $(seq 300); do echo "INSERT INTO d.w VALUES ();"; done |
	  env -u MYSQL_PWD mariadb --no-defaults -S "$T/src/sock" -uroot ) &
	writer=$! &&
	n=0 && agree=yes &&
	while [ $n -lt 20 ]; do
		repl-pos -u rk "$SRC" >busy &&
		f=$(sed "s/.* file=\([^ ]*\) .*/\1/" busy) &&
		p=$(sed "s/.* pos=\([^ ]*\) .*/\1/" busy) &&
		g=$(sed "s/.* gtid=\([^ ]*\).*/\1/" busy) &&
		test "$(srv_sql src "SELECT BINLOG_GTID_POS(\"$f\", $p)")" = "$g" ||
		{ agree=no; cat busy; break; }
		n=$((n + 1))
	done &&
	wait $writer && test $agree = yes
'

test_expect 'binary logging off: exit 2, says so' '
	srv_start nolog --skip-log-bin &&
	expect_exit 2 repl-pos -u rk "$(srv_addr nolog)" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-pos: .* has binary logging disabled"
'

test_expect 'unreachable: exit 3 (temporary), within the connect timeout' '
	port=$(free_port) &&
	expect_exit 3 repl-pos -u rk "127.0.0.1:$port" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-pos: unable to connect to .127.0.0.1:$port."
'

test_expect 'refused login: exit 2' '
	MYSQL_PWD=nope expect_exit 2 repl-pos -u rk "$SRC" 2>err &&
	check_grep err "Access denied"
'

test_expect 'usage errors: exit 2 and nothing sent' '
	expect_exit 2 repl-pos 2>err && check_grep err "expected one server" &&
	expect_exit 2 repl-pos "$SRC" "$SRC" 2>err &&
	expect_exit 2 repl-pos "db1;DROP" 2>err && check_grep err "invalid server" &&
	expect_exit 2 repl-pos --advertise "a b" "$SRC" 2>err &&
	expect_exit 2 repl-pos --advertise /tmp/sock "$SRC" 2>err &&
	expect_exit 2 repl-pos -p "$SRC" 2>err &&
	expect_exit 2 repl-pos --password=secret "$SRC" 2>err
'

done_testing
