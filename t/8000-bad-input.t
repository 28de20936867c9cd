#!/bin/bash
# Bad input: a clear message, exit 2, and nothing sent to any server.
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'bad input tests'

connections() {
	srv_sql a "SHOW GLOBAL STATUS LIKE 'Connections'" | cut -f2
}

# refused LINE-FILE: repl-wait reads it, exits 2 with a message, and the
# server saw no connection but the one counting them.
refused() {
	local before after
	before=$(connections) &&
	expect_exit 2 repl-wait -u rk -t 5 "$A" <"$1" >out 2>err &&
	after=$(connections) &&
	check_empty out &&
	check_grep err "^repl-wait: (invalid coordinate line|no coordinate line)" ||
	    return 1
	if [ "$after" != $((before + 1)) ]; then
		echo "connections before $before, after $after" >&2
		return 1
	fi
}

test_expect 'a server and a table that must stay untouched' '
	srv_start a && A=$(srv_addr a) &&
	srv_sql a "CREATE DATABASE d; CREATE TABLE d.t (i INT); INSERT INTO d.t VALUES (1)"
'

line() { printf '%s\n' "$1" >in && refused in; }

test_expect 'garbage' 'line "hello world"'
test_expect 'empty input' ': >in && refused in'
test_expect 'a blank line' 'printf "\n" >in && refused in'
test_expect 'two lines' 'printf "flavor=mariadb gtid=0-1-1\nflavor=mariadb gtid=0-1-2\n" >in && refused in'
test_expect 'no flavor' 'line "gtid=0-1-1"'
test_expect 'unknown flavor' 'line "flavor=postgres gtid=0-1-1"'
test_expect 'no position at all' 'line "flavor=mariadb host=db1 port=3306"'
test_expect 'file without pos' 'line "flavor=mariadb file=mysql-bin.000001"'
test_expect 'a repeated key' 'line "flavor=mariadb gtid=0-1-1 gtid=0-1-2"'
test_expect 'pos zero, signed, hex, overflowing' '
	line "flavor=mariadb file=b.1 pos=0" && line "flavor=mariadb file=b.1 pos=-4" &&
	line "flavor=mariadb file=b.1 pos=0x10" &&
	line "flavor=mariadb file=b.1 pos=99999999999999999999"
'
test_expect 'injection through gtid' '
	line "flavor=mariadb gtid=0-1-1'"'"',0)+SLEEP(5)#" &&
	line "flavor=mariadb gtid=0-1-1),(SELECT(1" &&
	line "flavor=mysql gtid=3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5'"'"');DROP/**/TABLE/**/d.t;--"
'
test_expect 'injection through file' '
	line "flavor=mariadb file=x'"'"';DROP/**/TABLE/**/d.t;-- pos=4" &&
	line "flavor=mariadb file=a\\\\b pos=4" &&
	line "flavor=mariadb file=\`x\` pos=4"
'
test_expect 'injection through host, port, server_id, uuid' '
	line "flavor=mariadb host=db1'"'"'; gtid=0-1-1" &&
	line "flavor=mariadb host=a;b gtid=0-1-1" &&
	line "flavor=mariadb port=3306;DROP gtid=0-1-1" &&
	line "flavor=mariadb server_id=1e3 gtid=0-1-1" &&
	line "flavor=mysql uuid=x gtid=3E11FA47-71CA-11E1-9E33-C80AA9429562:1"
'
test_expect 'a NUL byte and control characters' '
	printf "flavor=mariadb gtid=0-1-1\0\n" >in && refused in &&
	printf "flavor=mariadb gtid=0-1-1\r\n" >in && refused in
'
test_expect 'a huge line (100 KB)' '
	{ printf "flavor=mariadb gtid=0-1-1 x="; head -c 100000 /dev/zero | tr "\0" a; echo; } >in &&
	refused in && check_grep err "longer than 65536 bytes"
'
test_expect 'a huge GTID list (over 16 KB)' '
	{ printf "flavor=mariadb gtid=0-1-1"; for i in $(seq 1 3000); do printf ",%d-1-1" $i; done; echo; } >in &&
	refused in
'
test_expect 'non-ASCII' 'line "flavor=mariadb gtid=0-1-1 file=bin.0001é pos=4"'

test_expect 'the table is untouched' '
	test "$(srv_sql a "SELECT COUNT(*) FROM d.t")" = 1
'

test_expect 'bad operands and options: exit 2, before any connection' '
	before=$(connections) &&
	expect_exit 2 repl-wait -u rk "db1;rm -rf /" </dev/null 2>err &&
	check_grep err "invalid server" &&
	expect_exit 2 repl-wait -u rk "$A:1" </dev/null 2>err &&
	expect_exit 2 repl-wait -u rk "127.0.0.1:0" </dev/null 2>err &&
	expect_exit 2 repl-wait -u rk "127.0.0.1:65536" </dev/null 2>err &&
	expect_exit 2 repl-wait -u rk "[::1" </dev/null 2>err &&
	expect_exit 2 repl-wait -u rk -t abc "$A" </dev/null 2>err &&
	check_grep err "invalid timeout .abc." &&
	expect_exit 2 repl-wait -u rk -t -1 "$A" </dev/null 2>err &&
	expect_exit 2 repl-wait -u rk --ssl-mode=SOMETIMES "$A" </dev/null 2>err &&
	check_grep err "invalid --ssl-mode" &&
	expect_exit 2 repl-wait -u rk --connect-timeout=0 "$A" </dev/null 2>err &&
	expect_exit 2 repl-wait -u rk </dev/null 2>err &&
	check_grep err "expected at least one server" &&
	expect_exit 2 repl-wait -u rk "$A" "bad host!" </dev/null 2>err &&
	after=$(connections) &&
	test "$after" = $((before + 1))
'

done_testing
