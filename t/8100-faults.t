#!/bin/bash
# Faults: servers killed and restarted while repl-wait waits on them.
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'fault tests'

test_expect 'a source and a replica' '
	srv_start src && srv_start rep && srv_replicate rep src &&
	SRC=$(srv_addr src) && REP=$(srv_addr rep) &&
	repl-wait -u rk -t 30 --replica "$REP" &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY)"
'

test_expect 'a replica killed: -t 0 says 124 (temporary, not 2)' '
	srv_kill rep &&
	expect_exit 124 repl-wait -u rk -t 0 --replica "$REP" 2>err &&
	check_grep err "timed out: unable to connect"
'

test_expect 'repl-wait waits through the outage; the restarted replica catches up' '
	srv_sql src "INSERT INTO d.t VALUES (1),(2),(3)" &&
	repl-pos -u rk "$SRC" >pos &&
	run_bg w pos repl-wait -v -u rk -t 60 "$REP" &&
	sleep 1 && alive_bg w &&
	srv_restart rep &&
	wait_bg w &&
	check_grep w.err "unable to connect" &&
	test "$(srv_sql rep "SELECT COUNT(*) FROM d.t")" = 3
'

test_expect 'a source killed: the replica is not broken, only not running' '
	srv_kill src &&
	expect_exit 124 repl-wait -u rk -t 2 --replica "$REP" 2>err &&
	check_grep err "replication not running \(io (Connecting|No)"
'

test_expect 'the source restarted: --replica sees the IO thread back' '
	srv_restart src &&
	repl-wait -u rk -t 60 --replica "$REP" &&
	srv_sql src "INSERT INTO d.t VALUES (4)" &&
	repl-pos -u rk "$SRC" >pos2 &&
	repl-wait -u rk -t 30 "$REP" <pos2 &&
	test "$(srv_sql rep "SELECT COUNT(*) FROM d.t")" = 4
'

test_expect 'a replica killed in the middle of a server-side wait' '
	srv_sql rep "STOP REPLICA SQL_THREAD" &&
	srv_sql src "INSERT INTO d.t VALUES (5)" &&
	repl-pos -u rk "$SRC" >pos3 &&
	run_bg w2 pos3 repl-wait -v -u rk -t 60 "$REP" &&
	sleep 1.5 && alive_bg w2 &&
	srv_kill rep && srv_restart rep &&
	wait_bg w2 &&
	test "$(srv_sql rep "SELECT COUNT(*) FROM d.t")" = 5
'

done_testing
