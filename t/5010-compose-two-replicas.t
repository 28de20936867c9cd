#!/bin/bash
# compose/two-replicas (seed 002), run for real: a source and two
# replicas wired by the init service; a replica killed while the source
# takes writes catches up when it starts again; a column dropped on a
# replica outside the binary log is found by repl-diff, and the replica's
# healthcheck says what its replication threads say.
. "$(dirname "$0")/lib/compose.sh"

compose_start two-replicas

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

test_expect 'down -v leaves no container, volume or network behind' '
	dc down -v >down.log 2>&1 &&
	left_behind >left.out &&
	check_empty left.out
'

done_testing
