#!/bin/bash
# repl-feed and repl-wait --follow against real servers: exact row counts,
# coordinate lines other tools accept, a lag line per input line, usage
# errors that write nothing, and a source restarted under the feed.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'repl-feed'

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

# LINE: an ERE for the line of a commit on src, its sequence number in
# \1 (MariaDB: domain-server-seq; MySQL: uuid:seq and the uuid field).
# FAR: a GTID of src it will not reach; BAD: a line with an invalid GTID.
if [ "$SRV_FLAVOR" = mysql ]; then
	UUID=$(srv_sql src "SELECT @@GLOBAL.server_uuid")
	LINE="flavor=mysql host=127\.0\.0\.1 port=[0-9]+ server_id=1 gtid=$UUID:([0-9]+) uuid=$UUID"
	FAR="$UUID:999999"
	BAD="flavor=mysql gtid=$UUID:1;DROP uuid=$UUID"
else
	LINE="flavor=mariadb host=127\.0\.0\.1 port=[0-9]+ server_id=1 gtid=0-1-([0-9]+)"
	FAR=0-1-999999
	BAD="flavor=mariadb gtid=0-1-1;DROP"
fi

test_expect 'repl-feed -n 25: exactly 25 rows, one line per commit' '
	repl-feed -u rk -n 25 "$SRC" </dev/null >out 2>err &&
	test "$(rows src)" = 25 &&
	test "$(wc -l <out)" = 25 &&
	check_grep out "^$LINE\$" && ! grep -Ev "^$LINE\$" out &&
	test "$(summary err rows)" = 25 &&
	test "$(summary err transactions)" = 25 &&
	test "$(summary err unknown_rows)" = 0
'

test_expect 'its table: id, payload of -s bytes, ts; -n 7 -b 3 is 3 commits' '
	repl-feed -u rk -n 7 -b 3 -s 40 -T "d-1.t\`x" "$SRC" </dev/null >out 2>err &&
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

test_expect 'repl-feed -c 4 -n 1003 -b 10: exactly 1003 rows, a line per commit, in binary log order' '
	repl-feed -u rk -c 4 -n 1003 -b 10 -T c4.feed "$SRC" </dev/null >c4.out 2>c4.err &&
	test "$(rows src c4.feed)" = 1003 &&
	test "$(summary c4.err rows)" = 1003 &&
	test "$(summary c4.err transactions)" = 101 &&
	test "$(wc -l <c4.out)" = 101 &&
	sed -E -n "s/^$LINE\$/\1/p" c4.out >seqs &&
	test "$(wc -l <seqs)" = 101 &&
	sort -c -u -n seqs &&
	test $(($(tail -n 1 seqs) - $(head -n 1 seqs) + 1)) = 101 &&
	test "$(srv_sql src "SELECT COUNT(DISTINCT payload) FROM c4.feed")" = 1003
'

test_expect 'repl-feed -c 4: repl-wait takes its lines, one lag line each' '
	sed -n 50p c4.out >mid &&
	repl-wait -u rk -t 30 "$REP" <mid &&
	repl-wait -u rk -t 30 --follow "$REP" <c4.out >c4.follow 2>c4.ferr &&
	check_empty c4.ferr &&
	test "$(wc -l <c4.follow)" = 101 &&
	test "$(rows rep c4.feed)" = 1003
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
	check_grep follow.out "^lag_ms=[0-9]+\.[0-9]{3} $LINE\$" &&
	! grep -Ev "^lag_ms=[0-9]+\.[0-9]{3} $LINE\$" follow.out &&
	test "$(rows rep)" = "$(rows src)"
'

test_expect '--follow: a bad line ends it with exit 2 after the lines before' '
	head -n 2 feed.out >mixed && echo "$BAD" >>mixed &&
	cat feed.out >>mixed &&
	expect_exit 2 repl-wait -u rk -t 30 --follow "$REP" <mixed >out 2>err &&
	test "$(wc -l <out)" = 2 &&
	check_grep err "invalid coordinate line: gtid"
'

test_expect '--follow: a line the replica never gets: 124 after -t' '
	echo "flavor=$SRV_FLAVOR gtid=$FAR" >far &&
	expect_exit 124 repl-wait -u rk -t 1 --follow "$REP" <far >out 2>err &&
	check_empty out && check_grep err "has not applied gtid $FAR"
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
	    "-n 5 -t a.b.c" "-n 5 -t .x" "-n 5 -s 0" "-n 5 -c 0" "-n 5 -c 1001" "-d 0" \
	    "-n 5 -r 0" "-n 5 -b 100000 -s 60000" "-n x"; do
		echo "args: $args" &&
		# shellcheck disable=SC2086
		expect_exit 2 repl-feed -u rk -T other.t $args "$SRC" </dev/null >out 2>err &&
		check_empty out && test -s err || exit 1
	done) &&
	expect_exit 2 repl-feed -u rk -n 5 -T "bad.$(printf "\001")" "$SRC" </dev/null &&
	test "$(srv_sql src "SHOW DATABASES" | tr "\n" " ")" = "$before"
'

test_expect 'binary logging off: exit 2, says so, nothing created' '
	srv_start nobin --skip-log-bin && NOBIN=$(srv_addr nobin) &&
	expect_exit 2 repl-feed -u rk -n 5 "$NOBIN" </dev/null >out 2>err &&
	check_empty out && check_grep err "binary logging disabled" &&
	test -z "$(srv_sql nobin "SHOW DATABASES LIKE \"replkit\"")"
'

test_expect 'an existing table it cannot write: exit 2, says why, writes nothing' '
	srv_sql src "CREATE DATABASE x; CREATE TABLE x.nopay (id INT AUTO_INCREMENT PRIMARY KEY, n INT);
	    CREATE TABLE x.short (id INT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(10) NOT NULL)" &&
	expect_exit 2 repl-feed -u rk -n 5 -c 2 -T x.nopay "$SRC" </dev/null >out 2>err &&
	check_empty out && check_grep err "Unknown column .payload." &&
	expect_exit 2 repl-feed -u rk -n 5 -T x.short "$SRC" </dev/null >out 2>err &&
	check_empty out && check_grep err "Data too long for column .payload." &&
	test "$(srv_sql src "SELECT COUNT(*) FROM x.nopay")" = 0 &&
	test "$(srv_sql src "SELECT COUNT(*) FROM x.short")" = 0
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
	test "$unknown" = 0 && test "$count" = "$committed" &&
	test "$(srv_sql src "SELECT COUNT(*) - COUNT(DISTINCT payload) FROM replkit.feed")" = 0 &&
	tail -n 1 feed.out >last &&
	repl-wait -u rk -t 120 "$REP" <last &&
	test "$(rows rep)" = "$count"
'

# nodup NAME TABLE: no payload twice, so no batch was written twice.
nodup() {
	test "$(srv_sql "$1" "SELECT COUNT(*) - COUNT(DISTINCT payload) FROM $2")" = 0
}

test_expect 'a source killed under 4 writers at full speed: each batch on its way looked up, none lost or doubled' '
	srv_start lone && LONE=$(srv_addr lone) &&
	run_bg kill9 /dev/null repl-feed -u rk -c 4 -b 10 -d 10s "$LONE" &&
	wait_for 100 0.05 test -s kill9.out &&
	sleep 1 && srv_kill lone && srv_restart lone &&
	wait_bg kill9 &&
	cat kill9.err &&
	test "$(grep -c "reconnected to" kill9.err)" -ge 4 &&
	check_grep kill9.err "^repl-feed: batch [0-9]+ \(10 rows\): the connection broke before the commit was answered; (found committed|not committed, sending it again)$" &&
	! grep "unable to end the lost connection" kill9.err &&
	test "$(summary kill9.err unknown_rows)" = 0 &&
	test "$(rows lone)" = "$(summary kill9.err rows)" &&
	test "$(summary kill9.err rows)" = $(($(summary kill9.err transactions) * 10)) &&
	nodup lone replkit.feed
'

test_expect 'its connections killed on a running source: the old threads are waited for, none lost or doubled' '
	srv_sql lone "DROP DATABASE replkit" &&
	run_bg kconn /dev/null repl-feed -u rk -c 4 -b 10 -d 6s "$LONE" &&
	wait_for 100 0.05 test -s kconn.out &&
	(for round in 1 2 3; do
		ids=$(srv_sql lone "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = \"rk\"") &&
		echo "round $round: killing $ids" &&
		for id in $ids; do srv_sql lone "KILL CONNECTION $id" 2>/dev/null || :; done &&
		sleep 1 || exit 1
	done) &&
	wait_bg kconn &&
	cat kconn.err &&
	check_grep kconn.err "reconnected to" &&
	check_grep kconn.err "^repl-feed: batch [0-9]+ \(10 rows\): the connection broke before the commit was answered; (found committed|not committed, sending it again)$" &&
	test "$(summary kconn.err unknown_rows)" = 0 &&
	test "$(rows lone)" = "$(summary kconn.err rows)" &&
	nodup lone replkit.feed
'

# A source killed while the first lines come (a server a second or two
# old: its restart is told apart all the same, and no thread is killed
# on the new server) and started again only once -d has passed: each
# batch on its way is still looked up, on the server that came back.
test_expect 'a source back only after -d: the batches on their way looked up all the same, none unknown' '
	srv_sql lone "DROP DATABASE replkit" &&
	srv_kill lone && srv_restart lone &&
	run_bg late /dev/null repl-feed -u rk -c 4 -b 10 -d 2s "$LONE" &&
	wait_for 100 0.05 test -s late.out &&
	over=$(($(now_ms) + 2500)) &&
	srv_kill lone &&
	wait_for 100 0.1 eval "[ \$(now_ms) -gt $over ]" &&
	alive_bg late && srv_restart lone &&
	wait_bg late &&
	cat late.err &&
	check_grep late.err "^repl-feed: batch [0-9]+ \(10 rows\): the connection broke before the commit was answered; (found committed|not committed, and the time is up)$" &&
	! grep "unable to end the lost connection" late.err &&
	test "$(summary late.err unknown_rows)" = 0 &&
	test "$(rows lone)" = "$(summary late.err rows)" &&
	nodup lone replkit.feed
'

test_expect 'a source that stays down past --reconnect: each batch on its way said unknown, exit 3' '
	srv_sql lone "DROP DATABASE replkit" &&
	run_bg gone /dev/null repl-feed -u rk -c 2 -b 10 -d 60s --reconnect 2s "$LONE" &&
	wait_for 100 0.05 test -s gone.out &&
	srv_kill lone &&
	{ wait_bg gone; rc=$?; } ; srv_restart lone &&
	cat gone.err && test "$rc" = 3 &&
	check_grep gone.err "^repl-feed: commit of batch [0-9]+ \(10 rows\) unknown: the connection broke before the server answered; not found out within the --reconnect time$" &&
	unknown=$(summary gone.err unknown_rows) && committed=$(summary gone.err rows) &&
	test "$unknown" -ge 10 && count=$(rows lone) &&
	test "$count" -ge "$committed" && test "$count" -le $((committed + unknown)) &&
	nodup lone replkit.feed
'

test_expect 'payloads under 16 bytes cannot be looked up: an unknown commit is said and counted' '
	srv_sql lone "DROP DATABASE replkit" &&
	run_bg small /dev/null repl-feed -u rk -c 2 -b 10 -s 8 -d 6s "$LONE" &&
	wait_for 100 0.05 test -s small.out &&
	sleep 1 && srv_kill lone && srv_restart lone &&
	wait_bg small &&
	cat small.err &&
	committed=$(summary small.err rows) && unknown=$(summary small.err unknown_rows) &&
	count=$(rows lone) &&
	test "$count" -ge "$committed" && test "$count" -le $((committed + unknown)) &&
	if [ "$unknown" -gt 0 ]; then check_grep small.err "commit of batch [0-9]+ \(10 rows\) unknown: .*payloads under 16 bytes"; fi
'

done_testing
