#!/bin/bash
# repl-diff across servers in different time zones: a TIMESTAMP is one
# instant, printed in each server's zone unless the session says
# otherwise. repl-diff reads every value in UTC, so the same instants
# are equal, a changed one is found, and --sql writes it in UTC (with
# SET time_zone), so applying it restores exactly the source's instant.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'repl-diff time zones'

# lines FILE: FILE holds exactly the lines on stdin.
lines() {
	cat >"$T/.want"
	diff -u "$T/.want" "$1" >&2
}

test_expect 'a source in UTC and a replica at +05:00, with TIMESTAMPs' '
	srv_start src --default-time-zone=+00:00 &&
	srv_start rep --default-time-zone=+05:00 &&
	srv_replicate rep src &&
	SRC=$(srv_addr src) REP=$(srv_addr rep) &&
	srv_sql src "CREATE DATABASE z; CREATE TABLE z.t (id INT PRIMARY KEY,
	    at TIMESTAMP(3) NULL, d DATETIME); INSERT INTO z.t VALUES
	    (1, '"'"'2026-11-25 12:00:00.250'"'"', '"'"'2026-11-25 12:00:00'"'"'),
	    (2, '"'"'1999-12-31 23:59:59'"'"', NULL), (3, NULL, NULL)" &&
	repl-pos -u rk "$SRC" >pos && repl-wait -u rk -t 30 "$REP" <pos &&
	test "$(srv_sql src "SELECT at FROM z.t WHERE id = 1")" = "2026-11-25 12:00:00.250" &&
	test "$(srv_sql rep "SELECT at FROM z.t WHERE id = 1")" = "2026-11-25 17:00:00.250"
'

test_expect 'the same instants in two zones: no difference' '
	repl-diff -u rk "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err
'

test_expect 'an instant changed on the replica: found, and --sql mends it' '
	srv_sql rep "SET sql_log_bin = 0; UPDATE z.t SET
	    at = at + INTERVAL 1 SECOND WHERE id = 2" &&
	expect_exit 1 repl-diff -u rk "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$REP z.t row differs id=2 at
	EOF
	expect_exit 1 repl-diff -u rk --sql "$SRC" "$REP" >fix.sql 2>err &&
	check_empty err &&
	lines fix.sql <<-EOF &&
	SET NAMES utf8mb4;
	SET time_zone = '"'"'+00:00'"'"';
	-- $REP
	UPDATE \`z\`.\`t\` SET \`at\` = '"'"'1999-12-31 23:59:59.000'"'"' WHERE (\`id\` = 2);
	EOF
	{ echo "SET sql_log_bin = 0;"; cat fix.sql; } >apply.sql &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/rep/sock" -uroot \
	    <apply.sql &&
	test "$(srv_sql rep "SELECT at FROM z.t WHERE id = 2")" = "2000-01-01 04:59:59.000" &&
	repl-diff -u rk "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err
'

done_testing
