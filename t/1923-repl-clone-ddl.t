#!/bin/bash
# repl-clone when the source's tables change while its snapshot starts:
# a table's definition read before the snapshot and changed before it
# would be copied by its old columns, and the change would come through
# neither the copy nor replication. Here an ALTER TABLE waits (for a
# transaction that holds the table) while the clone reads its plan, then
# goes through while the clone waits to start its snapshot; the clone
# must see it, start again, and copy the table as it is in the snapshot.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-clone against a changing source'

SSL=
[ "$SRV_SERVER" = mariadb-11.8 ] && SSL=--ssl

# holder_id: the connection of the transaction that holds d.t.
holder_id() {
	srv_sql src "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE INFO LIKE '%SLEEP(600)%' AND INFO NOT LIKE '%PROCESSLIST%'"
}

# waiting STATE: the ALTER, or the clone, waits as STATE says.
alter_waits() {
	test -n "$(srv_sql src "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE INFO LIKE 'ALTER TABLE d.t%'
	    AND STATE LIKE 'Waiting for table metadata lock'")"
}
clone_waits() {
	test -n "$(srv_sql src "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE USER = 'rk' AND STATE LIKE 'Waiting for%'")"
}

test_expect 'a source with an InnoDB and a MyISAM table, an empty replica' '
	srv_start src $SSL && srv_start rep $SSL &&
	SRC=$(srv_addr src) REP=$(srv_addr rep) &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY,
	    v INT NOT NULL); INSERT INTO d.t VALUES (1, 1), (2, 2), (3, 3);
	    CREATE TABLE d.my (id INT PRIMARY KEY) ENGINE = MyISAM;
	    INSERT INTO d.my VALUES (1)"
'

test_expect 'an ALTER TABLE that goes through between the plan and the snapshot: started again, the new column copied' '
	run_bg holder /dev/null srv_sql src "BEGIN; SELECT COUNT(*) FROM d.t;
	    SELECT SLEEP(600)" &&
	wait_for 600 0.1 eval "test -n \"\$(holder_id)\"" &&
	run_bg alter /dev/null srv_sql src "ALTER TABLE d.t ADD COLUMN z INT
	    NOT NULL DEFAULT 7" &&
	wait_for 600 0.1 alter_waits &&
	run_bg clone /dev/null repl-clone -u rk -t 120 "$SRC" "$REP" &&
	wait_for 1200 0.1 clone_waits &&
	srv_sql src "KILL $(holder_id)" &&
	{ wait_bg alter || { cat "$T/alter.err"; false; }; } &&
	{ wait_bg clone || { cat "$T/clone.err"; false; }; } &&
	cat "$T/clone.err" &&
	check_grep "$T/clone.err" "table .d.\..t. was changed while the snapshot started: starting again" &&
	test "$(wc -l <"$T/clone.out")" = 1 &&
	test "$(srv_sql rep "SELECT GROUP_CONCAT(z) FROM d.t")" = "7,7,7" &&
	{ repl-diff -u rk "$SRC" "$REP" >out 2>err || { cat out err; false; }; } &&
	check_empty out
'

test_expect 'without a change, no second start' '
	srv_start rep2 $SSL &&
	{ repl-clone -u rk -t 60 "$SRC" "$(srv_addr rep2)" >out 2>err ||
	    { cat err; false; }; } &&
	! grep -q "starting again" err &&
	test "$(srv_sql rep2 "SELECT GROUP_CONCAT(z) FROM d.t")" = "7,7,7"
'

done_testing
