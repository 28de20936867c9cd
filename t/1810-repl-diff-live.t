#!/bin/bash
# repl-diff on live servers: a replica merely behind is no difference; a
# continuous writer on the source all through the comparison (repl-feed
# inserting, a loop updating and deleting rows of the table compared)
# gives no false difference, while a difference made on the replica
# before the run is still found, exactly; once the writers stop, found
# without a second look.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'repl-diff on live servers'

lines() {
	cat >"$T/.want"
	diff -u "$T/.want" "$1" >&2
}

# The bound of a recursive CTE, by each flavor's name for it. (SHA2,
# not MD5, for text: MySQL 9.7 has no MD5().)
if [ "$SRV_FLAVOR" = mysql ]; then
	cte_max=cte_max_recursion_depth
else
	cte_max=max_recursive_iterations
fi

# writer SECONDS: in the background, for about SECONDS, updates of random
# rows of d.w, deletes and re-inserts, a statement every 10 ms or so.
writer() {
	{
		local end=$((SECONDS + $1)) i=0
		while [ "$SECONDS" -lt "$end" ] && [ "$i" -lt 5000 ]; do
			srv_sql src "UPDATE d.w SET v = v + 1 WHERE id = FLOOR(1 + RAND() * 20000) * 2;
			    DELETE FROM d.w WHERE id = 40001; INSERT INTO d.w VALUES (40001, 1, 'x');
			    UPDATE d.w SET s = LEFT(SHA2(RAND(), 256), 32) WHERE id = 2" || exit 1
			i=$((i + 1))
		done
	} >"$T/writer.log" 2>&1 &
	writer_pid=$!
}

test_expect 'a source and a replica, with a table of 20000 rows' '
	srv_start src && srv_start rep && srv_replicate rep src &&
	SRC=$(srv_addr src) REP=$(srv_addr rep) &&
	srv_sql src "SET $cte_max = 100000; CREATE DATABASE d;
	    CREATE TABLE d.w (id INT PRIMARY KEY, v INT, s VARCHAR(40));
	    INSERT INTO d.w WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
	        SELECT i + 1 FROM s WHERE i < 20000) SELECT i * 2, i,
	        LEFT(SHA2(i, 256), 32) FROM s;
	    CREATE TABLE d.quiet (id INT PRIMARY KEY, v INT);
	    INSERT INTO d.quiet VALUES (1, 1), (2, 2), (3, 3)" &&
	repl-pos -u rk "$SRC" >pos && repl-wait -u rk -t 30 "$REP" <pos
'

test_expect 'a replica behind (SQL thread stopped): waited for, no difference' '
	srv_sql rep "STOP REPLICA SQL_THREAD" &&
	srv_sql src "UPDATE d.w SET v = 0 WHERE id <= 100; DELETE FROM d.quiet
	    WHERE id = 3; INSERT INTO d.w VALUES (3, 3, NULL)" &&
	run_bg behind /dev/null repl-diff -u rk -t 30 "$SRC" "$REP" &&
	sleep 1 && alive_bg behind &&
	srv_sql rep "START REPLICA SQL_THREAD" &&
	wait_bg behind &&
	check_empty behind.out && check_empty behind.err
'

test_expect 'a continuous writer all through: no false difference (exit 0)' '
	writer 15 &&
	run_bg feed /dev/null repl-feed -u rk -d 15s -r 200 -b 5 -T d.feed "$SRC" &&
	wait_for 100 0.1 srv_sql src "SELECT 1 FROM d.feed LIMIT 1" &&
	for i in 1 2 3; do
		repl-diff -v -u rk --chunk-time 5ms -t 30 "$SRC" "$REP" >out 2>err ||
		    { cat out err; exit 1; }
		check_empty out || exit 1
		cat err
	done &&
	alive_bg feed && kill -0 "$writer_pid"
'

test_expect '... while a difference made before the run is still found' '
	srv_sql rep "SET sql_log_bin = 0; UPDATE d.w SET s = NULL WHERE id = 30000;
	    DELETE FROM d.quiet WHERE id = 2; INSERT INTO d.w VALUES (39999, 0, NULL)" &&
	expect_exit 1 repl-diff -v -u rk --chunk-time 5ms -t 30 "$SRC" "$REP" \
	    >out 2>err &&
	cat err &&
	lines out <<-EOF &&
	$REP d.quiet row missing id=2
	$REP d.w row differs id=30000 s
	$REP d.w row extra id=39999
	EOF
	alive_bg feed && kill -0 "$writer_pid" &&
	check_grep err "^repl-diff: 3 tables, [0-9]+ rows in [0-9]+ chunks"
'

kill "$writer_pid" 2>/dev/null
test_expect 'the writers ran without a failure' '
	wait_bg feed && check_grep feed.err "^repl-feed: rows=" &&
	! grep -i error "$T/writer.log"
'

# The source quiet: nothing logged since the replica caught up, so the
# checksums of both were of the same data and a difference is no lag;
# found at once, without a wait and a second look.
test_expect 'writers stopped: the same differences, found without looking again' '
	expect_exit 1 repl-diff -v -u rk --chunk-time 5ms -t 30 "$SRC" "$REP" \
	    >out 2>err &&
	lines out <<-EOF &&
	$REP d.quiet row missing id=2
	$REP d.w row differs id=30000 s
	$REP d.w row extra id=39999
	EOF
	check_grep err "^repl-diff: 3 tables, [0-9]+ rows in [0-9]+ chunks, 0 re-checks, 3 differences"
'

done_testing
