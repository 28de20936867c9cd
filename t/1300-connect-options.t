#!/bin/bash
# Connecting like the mysql client: option files through libmariadb,
# their precedence, passwords never on the command line, program_name.
. "$(dirname "$0")/lib/server.sh"
srv_require 'connection options against servers'

test_expect 'a server with performance_schema (to see connect attributes)' '
	srv_start a --performance-schema=ON &&
	A=$(srv_addr a) &&
	mkdir -p home && export HOME=$T/home && unset MYSQL_PWD
'

test_expect 'no password anywhere: refused (exit 2)' '
	expect_exit 2 repl-wait -u rk "$A" 2>err &&
	check_grep err "Access denied for user .rk.@.127.0.0.1. \(using password: NO\)"
'

test_expect 'MYSQL_PWD is honoured' '
	MYSQL_PWD=$RK_PASS repl-wait -u rk "$A"
'

test_expect '--password-file: its first line is the password' '
	printf "%s\nsecond line\n" "$RK_PASS" >pw && chmod 600 pw &&
	repl-wait -u rk --password-file pw "$A" &&
	expect_exit 2 repl-wait -u rk --password-file nonexistent "$A" 2>err &&
	check_grep err "unable to open password file .nonexistent."
'

test_expect 'a password on the command line is refused (exit 2)' '
	expect_exit 2 repl-wait -u rk -p "$A" 2>err &&
	expect_exit 2 repl-wait -u rk --password="$RK_PASS" "$A" 2>err &&
	expect_exit 2 repl-pos -u rk --password "$RK_PASS" "$A" 2>err
'

test_expect 'HOME/.my.cnf [client]: user and password' '
	printf "[client]\nuser=rk\npassword=%s\n" "$RK_PASS" >home/.my.cnf &&
	repl-wait "$A"
'

test_expect '[replkit] overrides [client] (later in the file)' '
	printf "[client]\nuser=nobody\npassword=x\n[replkit]\nuser=rk\npassword=%s\n" \
	    "$RK_PASS" >home/.my.cnf &&
	repl-wait "$A" &&
	printf "[replkit]\nuser=rk\npassword=%s\n[mysql]\nuser=nobody\n" \
	    "$RK_PASS" >home/.my.cnf &&
	repl-wait "$A"
'

test_expect 'the tool group [repl-wait] overrides [replkit], only for repl-wait' '
	printf "[client]\nuser=rk\npassword=%s\n[repl-wait]\nuser=nobody\n" \
	    "$RK_PASS" >home/.my.cnf &&
	expect_exit 2 repl-wait "$A" 2>err &&
	check_grep err "user .nobody." &&
	repl-pos "$A" >/dev/null &&
	printf "[client]\nuser=nobody\npassword=%s\n[replkit]\nuser=nobody2\n[repl-wait]\nuser=rk\n" \
	    "$RK_PASS" >home/.my.cnf &&
	repl-wait "$A" &&
	expect_exit 2 repl-pos "$A" 2>err &&
	check_grep err "user .nobody2."
'

test_expect 'the command line overrides option files: -u' '
	printf "[replkit]\nuser=rk\npassword=%s\n" "$RK_PASS" >home/.my.cnf &&
	expect_exit 2 repl-wait -u nobody "$A" 2>err &&
	check_grep err "Access denied for user .nobody."
'

test_expect 'the command line overrides option files: --password-file' '
	printf "wrong\n" >badpw &&
	expect_exit 2 repl-wait --password-file badpw "$A" 2>err &&
	check_grep err "Access denied for user .rk."
'

test_expect 'an option file password overrides MYSQL_PWD' '
	MYSQL_PWD=wrong repl-wait "$A"
'

test_expect '--no-defaults: no option file is read' '
	expect_exit 2 repl-wait --no-defaults "$A" 2>err &&
	! grep -q "user .rk." err &&
	MYSQL_PWD=$RK_PASS repl-wait --no-defaults -u rk "$A"
'

test_expect '--defaults-file: only that file' '
	printf "[client]\nuser=nobody\n" >only.cnf &&
	expect_exit 2 repl-wait --defaults-file only.cnf "$A" 2>err &&
	check_grep err "user .nobody." &&
	expect_exit 2 repl-wait --defaults-file missing.cnf "$A" 2>err &&
	check_grep err "unable to read option file .missing.cnf."
'

test_expect '--defaults-extra-file: read after the others' '
	printf "[replkit]\npassword=wrong\n" >extra.cnf &&
	expect_exit 2 repl-wait --defaults-extra-file extra.cnf "$A" 2>err &&
	check_grep err "user .rk." &&
	printf "[replkit]\npassword=%s\n" "$RK_PASS" >extra.cnf &&
	printf "[client]\nuser=rk\npassword=wrong\n" >home/.my.cnf &&
	repl-wait --defaults-extra-file extra.cnf "$A"
'

test_expect 'an option file pointing at a host does not beat the operand' '
	printf "[client]\nuser=rk\npassword=%s\nhost=127.0.0.2\nport=1\n" \
	    "$RK_PASS" >home/.my.cnf &&
	repl-wait -t 2 "$A"
'

program_name_seen() {
	test "$(srv_sql a "SELECT COUNT(*) FROM performance_schema.session_connect_attrs
	    WHERE ATTR_NAME = 'program_name' AND ATTR_VALUE = '$1'")" = 1
}

test_expect 'program_name is the tool name (seen in the server)' '
	repl-pos "$A" >line &&
	run_bg waiter line repl-wait -t 10 "$A" &&
	wait_for 50 0.1 program_name_seen repl-wait &&
	{ wait_bg waiter; test $? = 124; }
'

test_expect 'the password never appears in output or argv' '
	printf "[client]\nuser=rk\npassword=%s\n" "$RK_PASS" >home/.my.cnf &&
	repl-wait -v "$A" >o 2>e && repl-pos --json "$A" >>o 2>>e &&
	! grep -q "$RK_PASS" o e
'

done_testing
