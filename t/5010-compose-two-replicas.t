#!/bin/bash
# compose/two-replicas (seed 002), run for real: a source and two
# replicas wired by the init service; a replica killed while the source
# takes writes catches up when it starts again; a column dropped on a
# replica outside the binary log is found by repl-diff, and the replica's
# healthcheck says what its replication threads say.  Then a third
# replica added to the running stack by one `run` of the grow service
# (repl-clone | repl-attach --at-position), after the source has purged
# the binary logs that hold its first transactions; grow run again
# refuses and changes nothing.
. "$(dirname "$0")/lib/compose.sh"

compose_start two-replicas

# The objects grow must copy besides the rows, made by the app user (as
# definer) in app and in a database of their own: a foreign key, a view,
# a function, a procedure, a trigger and an event.
OBJECTS="CREATE DATABASE shop;
CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY,
    item INT NOT NULL, qty INT NOT NULL,
    FOREIGN KEY (item) REFERENCES shop.items (id));
INSERT INTO shop.items VALUES (1, 'tea'), (2, 'rice');
INSERT INTO shop.orders (item, qty) VALUES (1, 3), (2, 1), (1, 5);
CREATE TABLE app.notes (id INT PRIMARY KEY, body VARCHAR(80) NOT NULL);
CREATE DEFINER = 'app'@'%' VIEW app.note_lengths AS
    SELECT id, CHAR_LENGTH(body) AS len FROM app.notes;
CREATE DEFINER = 'app'@'%' FUNCTION app.shout(s VARCHAR(80))
    RETURNS VARCHAR(80) DETERMINISTIC RETURN UPPER(s);
CREATE DEFINER = 'app'@'%' PROCEDURE app.note(i INT, b VARCHAR(80))
    INSERT INTO app.notes VALUES (i, b);
CREATE DEFINER = 'app'@'%' TRIGGER app.notes_trim BEFORE INSERT ON app.notes
    FOR EACH ROW SET NEW.body = TRIM(NEW.body);
CREATE DEFINER = 'app'@'%' EVENT app.tidy ON SCHEDULE EVERY 1 DAY DISABLE
    DO DELETE FROM app.notes WHERE body = '';
INSERT INTO app.notes VALUES (1, '  first  ');"

# objects SERVICE: the views, routines, triggers and events of app and
# shop, with their definers.
objects() {
	csql "$1" "SELECT 'VIEW', TABLE_SCHEMA, TABLE_NAME, DEFINER
	    FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN ('app', 'shop')
	    UNION ALL SELECT ROUTINE_TYPE, ROUTINE_SCHEMA, ROUTINE_NAME, DEFINER
	    FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN ('app', 'shop')
	    UNION ALL SELECT 'TRIGGER', TRIGGER_SCHEMA, TRIGGER_NAME, DEFINER
	    FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN ('app', 'shop')
	    UNION ALL SELECT 'EVENT', EVENT_SCHEMA, EVENT_NAME, DEFINER
	    FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN ('app', 'shop')
	    ORDER BY 1, 2, 3"
}

# purged: the source's binary logs rotated, and all but the newest
# purged (a replica still reading an older one holds it: polled).
purged() {
	local last
	csql source "FLUSH BINARY LOGS" &&
	last=$(csql source "SHOW BINARY LOGS" | tail -n 1 | cut -f 1) &&
	csql source "PURGE BINARY LOGS TO '$last'" &&
	test "$(csql source "SHOW BINARY LOGS" | wc -l)" = 1
}

# grow_state: what a refused grow must leave as it was: replica3's
# databases and tables, the source it replicates from and its threads,
# the GTIDs it applied and those the source logged.
grow_state() {
	csql replica3 "SELECT GROUP_CONCAT(CONCAT(TABLE_SCHEMA, '.', TABLE_NAME)
	    ORDER BY 1) FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN
	    ('mysql', 'information_schema', 'performance_schema', 'sys');
	    SELECT $GTID_APPLIED" &&
	cstatus replica3 Master_Host && cstatus replica3 Slave_IO_Running &&
	cstatus replica3 Slave_SQL_Running &&
	csql source "SELECT $GTID_LOGGED"
}

test_expect 'the images: tools (make image), server stand-in (debootstrap)' '
	compose_images && compose_secrets
'

test_expect 'one up: the init service exits 0 after attaching both replicas' '
	compose_up &&
	check_grep "$T/init.log" "^repl-attach: .replica1:3306. replicates from .source:3306.$" &&
	check_grep "$T/init.log" "^repl-attach: .replica2:3306. replicates from .source:3306.$"
'

test_expect 'the healthchecks: the source answers, both replicas replicate' '
	wait_for 60 1 health_is source healthy &&
	wait_for 60 1 health_is replica1 healthy &&
	wait_for 60 1 health_is replica2 healthy
'

test_expect 'rows written on the source reach both replicas' '
	rk repl-feed -n 1000 -b 100 -T app.feed $APP source >feed.out 2>feed.err &&
	check_grep feed.err "rows=1000 " &&
	rk repl-count --wait -t 60 $RK -d app source replica1 replica2 >count.out &&
	check_file count.out "table     source  replica1  replica2  status
app.feed    1000      1000      1000  equal"
'

test_expect 'docker kill a replica, keep writing: it shows as down' '
	docker kill "$(cid replica1)" >/dev/null &&
	rk repl-feed -n 500 -b 50 -T app.feed $APP source >feed.out 2>feed.err &&
	check_grep feed.err "rows=500 unknown_rows=0|rows=500 .*unknown_rows=0" &&
	expect_exit 3 rk repl-count -t 5 $RK -d app source replica1 replica2 >count.out &&
	check_grep count.out "^app.feed +1500 +down +1500 +down$"
'

test_expect 'started again, it catches up: nothing lost, nothing doubled' '
	docker start "$(cid replica1)" >/dev/null &&
	wait_for 120 1 health_is replica1 healthy &&
	rk repl-count --wait -t 120 $RK -d app source replica1 replica2 >count.out &&
	check_file count.out "table     source  replica1  replica2  status
app.feed    1500      1500      1500  equal" &&
	csql replica1 "SELECT COUNT(DISTINCT id), MIN(id), MAX(id) FROM app.feed" >ids.out &&
	csql source "SELECT COUNT(DISTINCT id), MIN(id), MAX(id) FROM app.feed" >ids.src &&
	diff -u ids.src ids.out
'

test_expect 'a column dropped on a replica with sql_log_bin=0: repl-diff says so' '
	csql source "SELECT $GTID_LOGGED" >src.before &&
	csql replica2 "SET SESSION sql_log_bin = 0;
	    ALTER TABLE app.feed DROP COLUMN payload" &&
	expect_exit 1 rk repl-diff $RK -d app source replica2 >diff.out 2>diff.err &&
	check_grep diff.out "^replica2 app\.feed column missing payload$" &&
	csql source "SELECT $GTID_LOGGED" >src.after &&
	diff -u src.before src.after &&
	rk repl-diff $RK -d app source replica1 >diff1.out &&
	check_empty diff1.out
'

test_expect 'the broken replica turns unhealthy with its SQL thread error, the other stays healthy' '
	rk repl-feed -n 10 -T app.feed $APP source >/dev/null 2>feed.err &&
	wait_for 60 1 health_is replica2 unhealthy &&
	docker inspect -f "{{range .State.Health.Log}}{{.Output}}{{end}}" \
	    "$(cid replica2)" >health.out &&
	check_grep health.out "repl-wait: .*replica2|repl-wait: .*127\.0\.0\.1" &&
	test "$(cstatus replica2 Slave_SQL_Running)" = No &&
	err=$(cstatus replica2 Last_SQL_Error) &&
	test -n "$err" &&
	grep -F -q -- "${err%%;*}" health.out &&
	expect_exit 1 docker exec "$(cid replica2)" repl-wait -t 0 --replica -u monitor \
	    --password-file /run/secrets/monitor_password 127.0.0.1 2>rw.err &&
	grep -F -q -- "${err%%;*}" rw.err &&
	health_is replica1 healthy &&
	rk repl-count --wait -t 60 $RK -d app source replica1 >count.out &&
	check_grep count.out "^app.feed +1510 +1510 +equal$"
'

test_expect 'grow: data and objects on the source, its first binary logs purged' '
	rk repl-feed -n 1000 -b 100 -T app.feed $APP source >feed.out 2>feed.err &&
	check_grep feed.err "rows=1000 " &&
	croot source <<<"$OBJECTS" &&
	objects source >objects.src &&
	check_file objects.src "EVENT	app	tidy	app@%
FUNCTION	app	shout	app@%
PROCEDURE	app	note	app@%
TRIGGER	app	notes_trim	app@%
VIEW	app	note_lengths	app@%" &&
	wait_for 60 1 purged
'

test_expect 'grow: one run starts replica3, clones the source into it and attaches it' '
	test -z "$(cid replica3)" &&
	{ dc run --rm -T grow >grow.log 2>&1 || { cat grow.log; false; }; } &&
	check_grep grow.log "^repl-clone: copied [0-9]+ tables, " &&
	check_grep grow.log "^repl-attach: .replica3:3306. replicates from .source:3306.$" &&
	test -n "$(cid replica3)" && test -z "$(cid grow)"
'

test_expect 'replica3 replicates, with the data and objects the source had' '
	rk repl-wait -t 60 --replica $RK replica3 &&
	wait_for 60 1 health_is replica3 healthy &&
	objects replica3 >objects.rep &&
	diff -u objects.src objects.rep &&
	rk repl-diff $RK source replica3 >diff3.out &&
	check_empty diff3.out
'

test_expect 'more writes on the source: counts and rows equal on replica3' '
	rk repl-feed -n 500 -b 50 -T app.feed $APP source >feed.out 2>feed.err &&
	check_grep feed.err "rows=500 " &&
	csql source "CALL app.note(2, \"  second \");
	    INSERT INTO shop.orders (item, qty) VALUES (2, 7)" &&
	rk repl-count --wait -t 120 $RK -d app -d shop \
	    source replica1 replica3 >count.out &&
	check_file count.out "table        source  replica1  replica3  status
app.feed       3010      3010      3010  equal
app.notes         2         2         2  equal
shop.items        2         2         2  equal
shop.orders       4         4         4  equal" &&
	rk repl-diff $RK source replica3 >diff3.out &&
	check_empty diff3.out &&
	test "$(csql replica3 "SELECT body FROM app.notes WHERE id = 2")" = second
'

test_expect 'grow run again refuses, as replica3 replicates, and changes nothing' '
	grow_state >state.before &&
	{ expect_exit 2 dc run --rm -T grow >grow2.log 2>&1 ||
	    { cat grow2.log; false; }; } &&
	check_grep grow2.log "^repl-clone: .replica3:3306. replicates from .source:3306.: repl-clone fills a new server" &&
	! grep -q "^repl-attach: .* replicates from" grow2.log &&
	grow_state >state.after &&
	diff -u state.before state.after &&
	health_is replica3 healthy
'

test_expect 'down -v leaves no container, volume or network behind' '
	dc down -v >down.log 2>&1 &&
	left_behind >left.out &&
	check_empty left.out
'

done_testing
