#!/bin/bash
# repl-feed and repl-wait --follow against real servers: exact row counts,
# coordinate lines other tools accept, a lag line per input line, usage
# errors that write nothing, and a source restarted under the feed.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

if ! have_mariadb; then
	test_skip 'repl-feed' 'mariadbd, mariadb-install-db or mariadb not installed'
	done_testing
	exit
fi

printf '%s\n' "$REPL_PASS" >"$T/replpw"

# rows NAME [TABLE]: the rows of the feed table on a server.
rows() {
	srv_sql "$1" "SELECT COUNT(*) FROM ${2:-replkit.feed}"
}

# summary FILE KEY: a value of repl-feed's summary line on stderr.
summary() {
	sed -n "s/^repl-feed: rows=.* $2=\\([0-9.]*\\).*/\\1/p; s/^repl-feed: $2=\\([0-9]*\\) .*/\\1/p" "$1"
}

test_expect 'a source and a replica' '
	srv_start src && srv_start rep &&
	SRC=$(srv_addr src) && REP=$(srv_addr rep) &&
	repl-pos -u rk "$SRC" >pos0 &&
	repl-attach -u rk -t 30 --repl-password-file "$T/replpw" "$REP" <pos0
'
SRC=$(srv_addr src) REP=$(srv_addr rep)

test_expect 'repl-feed -n 25: exactly 25 rows, one line per commit' '
	repl-feed -u rk -n 25 "$SRC" </dev/null >out 2>err &&
	test "$(rows src)" = 25 &&
	test "$(wc -l <out)" = 25 &&
	check_grep out "^flavor=mariadb host=127\.0\.0\.1 port=[0-9]+ server_id=1 gtid=0-1-[0-9]+$" &&
	test "$(summary err rows)" = 25 &&
	test "$(summary err transactions)" = 25 &&
	test "$(summary err unknown_rows)" = 0
'

test_expect 'its table: id, payload of -s bytes, ts; -n 7 -b 3 is 3 commits' '
	repl-feed -u rk -n 7 -b 3 -s 40 -t "d-1.t\`x" "$SRC" </dev/null >out 2>err &&
	test "$(wc -l <out)" = 3 &&
	test "$(rows src "\`d-1\`.\`t\`\`x\`")" = 7 &&
	test "$(srv_sql src "SELECT DISTINCT LENGTH(payload) FROM \`d-1\`.\`t\`\`x\`")" = 40 &&
	srv_sql src "SHOW CREATE TABLE \`d-1\`.\`t\`\`x\`" >ddl &&
	check_grep ddl "varbinary\(40\)" && check_grep ddl "timestamp\(6\)"
'

test_expect 'its lines: repl-wait takes the last, the replica has every row' '
	repl-feed -u rk -n 10 -b 4 "$SRC" </dev/null >out 2>err &&
	tail -n 1 out >last &&
	repl-wait -u rk -t 30 "$REP" <last &&
	test "$(rows rep)" = "$(rows src)" && test "$(rows rep)" = 35
'

test_expect 'its lines: repl-attach wires a fresh replica with one' '
	srv_start fresh && FRESH=$(srv_addr fresh) &&
	head -n 1 out >first &&
	repl-attach -u rk -t 30 --repl-password-file "$T/replpw" "$FRESH" <first &&
	repl-wait -u rk -t 30 "$FRESH" <last &&
	test "$(rows fresh)" = 35
'

test_expect 'repl-feed -n 200 -b 10 | repl-wait --follow: 20 lag lines, exit 0' '
	repl-feed -u rk -n 200 -b 10 "$SRC" </dev/null >feed.out 2>feed.err &&
	test "$(wc -l <feed.out)" = 20 &&
	repl-wait -u rk -t 30 --follow "$REP" <feed.out >follow.out 2>follow.err &&
	check_empty follow.err &&
	test "$(wc -l <follow.out)" = 20 &&
	sed -E "s/^lag_ms=[0-9]+\.[0-9]{3} //" follow.out >follow.lines &&
	diff feed.out follow.lines &&
	test "$(rows rep)" = "$(rows src)"
'

test_expect 'as a pipeline, lines as they come: --follow of a live feed' '
	mkfifo pipe &&
	run_bg follow pipe repl-wait -u rk -t 30 --follow "$REP" &&
	repl-feed -u rk -n 50 -b 5 -r 500 "$SRC" </dev/null >pipe 2>feed.err &&
	wait_bg follow &&
	test "$(wc -l <follow.out)" = 10 &&
	check_grep follow.out "^lag_ms=[0-9]+\.[0-9]{3} flavor=mariadb host=127\.0\.0\.1 port=[0-9]+ server_id=1 gtid=0-1-[0-9]+$" &&
	test "$(rows rep)" = "$(rows src)"
'

test_expect '--follow: a bad line ends it with exit 2 after the lines before' '
	head -n 2 feed.out >mixed && echo "flavor=mariadb gtid=0-1-1;DROP" >>mixed &&
	cat feed.out >>mixed &&
	expect_exit 2 repl-wait -u rk -t 30 --follow "$REP" <mixed >out 2>err &&
	test "$(wc -l <out)" = 2 &&
	check_grep err "invalid coordinate line: gtid"
'

test_expect '--follow: a line the replica never gets: 124 after -t' '
	echo "flavor=mariadb gtid=0-1-999999" >far &&
	expect_exit 124 repl-wait -u rk -t 1 --follow "$REP" <far >out 2>err &&
	check_empty out && check_grep err "has not applied gtid 0-1-999999"
'

test_expect '--follow: empty input prints nothing, exit 0; two servers: exit 2' '
	repl-wait -u rk --follow "$REP" </dev/null >out 2>err &&
	check_empty out && check_empty err &&
	expect_exit 2 repl-wait -u rk --follow "$REP" "$SRC" </dev/null 2>err &&
	check_grep err "follow takes one server"
'

test_expect 'usage errors: exit 2, nothing created or written' '
	before=$(srv_sql src "SHOW DATABASES" | tr "\n" " ") &&
	(for args in "-n 5 -d 1s" "" "-n 0" "-n 5 -b 0" "-n 5 -t nodot" \
	    "-n 5 -t a.b.c" "-n 5 -t .x" "-n 5 -s 0" "-n 5 -c 2" "-d 0" \
	    "-n 5 -r 0" "-n 5 -b 100000 -s 60000" "-n x"; do
		echo "args: $args" &&
		# shellcheck disable=SC2086
		expect_exit 2 repl-feed -u rk -t other.t $args "$SRC" </dev/null >out 2>err &&
		check_empty out && test -s err || exit 1
	done) &&
	expect_exit 2 repl-feed -u rk -n 5 -t "bad.$(printf "\001")" "$SRC" </dev/null &&
	test "$(srv_sql src "SHOW DATABASES" | tr "\n" " ")" = "$before"
'

test_expect 'binary logging off: exit 2, says so, nothing created' '
	srv_start nobin --skip-log-bin && NOBIN=$(srv_addr nobin) &&
	expect_exit 2 repl-feed -u rk -n 5 "$NOBIN" </dev/null >out 2>err &&
	check_empty out && check_grep err "binary logging disabled" &&
	test -z "$(srv_sql nobin "SHOW DATABASES LIKE \"replkit\"")"
'

test_expect 'a source killed and restarted under repl-feed -d 8s (2000 rows/s, so the replica keeps up on a busy machine)' '
	srv_sql src "DROP DATABASE replkit" &&
	run_bg feed /dev/null repl-feed -u rk -d 8s -b 20 -r 2000 "$SRC" &&
	sleep 2 && srv_kill src && sleep 1 && srv_restart src &&
	wait_bg feed &&
	cat feed.err &&
	check_grep feed.err "reconnecting" &&
	check_grep feed.err "reconnected to" &&
	committed=$(summary feed.err rows) &&
	unknown=$(summary feed.err unknown_rows) &&
	count=$(rows src) &&
	echo "committed $committed unknown $unknown counted $count" &&
	test "$committed" -gt 0 &&
	test "$count" -ge "$committed" &&
	test "$count" -le $((committed + unknown)) &&
	if [ "$unknown" -gt 0 ]; then check_grep feed.err "commit of batch [0-9]+ \(20 rows\) unknown"; fi &&
	tail -n 1 feed.out >last &&
	repl-wait -u rk -t 120 "$REP" <last &&
	test "$(rows rep)" = "$count"
'

done_testing
