#!/bin/bash
# repl-pos against real servers: the line, its JSON, and its failures.
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-pos against servers'

json_get() {
	perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>);
	    print $j->{$ARGV[0]}, "\n"' "$2" <"$1"
}

# binlog_status NAME: the binary log file and position, tab-separated,
# as the server itself shows them (MySQL 8.2 and later renamed the
# statement).
binlog_status() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql "$1" "SHOW BINARY LOG STATUS" | cut -f1,2
	else
		srv_sql "$1" "SHOW MASTER STATUS" | cut -f1,2
	fi
}

# gtid_at NAME FILE POS: the GTID position the server had when its binary
# log FILE reached POS, asked of the server. MariaDB computes it
# (BINLOG_GTID_POS); MySQL has no such function, so it is read from the
# Gtid events of FILE before POS (this test's source never rotates its
# log, so FILE is its first and only one, and its history starts empty).
gtid_at() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql "$1" "SHOW BINLOG EVENTS IN '$2'" |
		awk -F '\t' -v pos="$3" -v q="'" '
		    $3 == "Previous_gtids" && $6 != "" { h = $6; exit }
		    $3 == "Gtid" && $2 + 0 < pos + 0 {
			split($6, w, q); n = split(w[2], g, ":")
			uuid = g[1]; last = g[n] }
		    END { if (h != "") print "history: " h
			  else if (uuid != "") print uuid ":1" (last > 1 ? "-" last : "") }'
	else
		srv_sql "$1" "SELECT BINLOG_GTID_POS('$2', $3)"
	fi
}

test_expect 'a source with writes' '
	srv_start src &&
	SRC=$(srv_addr src) && PORT=$(cat "$T/src/port") &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY);
	    INSERT INTO d.t VALUES (1); INSERT INTO d.t VALUES (2)"
'

# What the line says beyond file, position and GTID: MySQL's server_uuid.
uuid_field=
if [ "$SRV_FLAVOR" = mysql ]; then
	uuid=$(srv_sql src "SELECT @@server_uuid")
	uuid_field=" uuid=$uuid"
fi

test_expect 'the line matches the binary log status and GTID position exactly' '
	repl-pos -u rk "$SRC" >out 2>err &&
	check_empty err &&
	file=$(binlog_status src | cut -f1) &&
	pos=$(binlog_status src | cut -f2) &&
	gtid=$(srv_gtid src) &&
	test -n "$gtid" &&
	check_file out "flavor=$SRV_FLAVOR host=127.0.0.1 port=$PORT server_id=1 file=$file pos=$pos gtid=$gtid$uuid_field"
'

test_expect '--json: the same fields, as one JSON object' '
	repl-pos -u rk --json "$SRC" >out.json &&
	test "$(json_get out.json flavor)" = "$SRV_FLAVOR" &&
	test "$(json_get out.json port)" = "$PORT" &&
	test "$(json_get out.json pos)" = "$pos" &&
	test "$(json_get out.json file)" = "$file" &&
	test "$(json_get out.json gtid)" = "$gtid" &&
	test "$(json_get out.json server_id)" = 1 &&
	if [ "$SRV_FLAVOR" = mysql ]; then
		test "$(json_get out.json uuid)" = "$uuid"
	else
		test -z "$(json_get out.json uuid)"
	fi
'

test_expect '--advertise: the host and port replicas should use' '
	repl-pos -u rk --advertise db1.example:3307 "$SRC" >out &&
	check_grep out "^flavor=$SRV_FLAVOR host=db1.example port=3307 server_id=1 " &&
	repl-pos -u rk --advertise "[fd00::1]" "$SRC" >out6 &&
	check_grep out6 " host=fd00::1 port=3306 "
'

test_expect 'a unix socket operand: host from the server, its port' '
	repl-pos -u rk "$T/src/sock" >out &&
	check_grep out " port=$PORT server_id=1 file=" &&
	! grep -q "host=localhost" out
'

# Read back by repl-wait on the source itself: MariaDB's MASTER_GTID_WAIT
# waits for gtid_slave_pos, which a server that is no replica does not
# have; MySQL's WAIT_FOR_EXECUTED_GTID_SET finds the source's own GTIDs in
# its gtid_executed, applied. By file and position (MASTER_POS_WAIT,
# SOURCE_POS_WAIT), no replica on either flavor.
test_expect 'the line is read back by repl-wait (round trip)' '
	repl-pos -u rk "$SRC" >line &&
	sed "s/ gtid=[^ ]*//" line >line.nogtid &&
	check_grep line.nogtid " file=mysql-bin\.[0-9]+ pos=[0-9]+" &&
	expect_exit 124 repl-wait -u rk -t 0 "$SRC" <line.nogtid 2>err &&
	check_grep err "is not configured as a replica" &&
	if [ "$SRV_FLAVOR" = mysql ]; then
		repl-wait -u rk -t 0 "$SRC" <line 2>err &&
		check_empty err
	else
		expect_exit 124 repl-wait -u rk -t 0 "$SRC" <line 2>err &&
		check_grep err "is not configured as a replica"
	fi
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
		at=$(gtid_at src "$f" "$p") && test "$at" = "$g" ||
		{ agree=no; cat busy; echo "the GTID position at $f:$p: $at"; break; }
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
