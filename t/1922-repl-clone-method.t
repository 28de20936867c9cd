#!/bin/bash
# repl-clone --method=clone against real servers: MySQL's clone plugin
# copies the whole instance into the replica, which restarts on the copy
# (here nothing supervises it: the test starts it again, as a container's
# restart policy would); the position of the copy, read from
# performance_schema.clone_status, feeds repl-attach while a writer runs.
# The refusals change nothing: MariaDB, a replica without the plugin or
# with performance_schema OFF, a replica with tables, an account without
# BACKUP_ADMIN. A replica that does not come back in time is a timeout
# that says where the outcome can be read; a source killed mid-clone
# leaves the replica marked, which repl-attach refuses.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
# shellcheck source=t/lib/clone.sh
. "$TOP/t/lib/clone.sh"
srv_require 'repl-clone --method=clone against servers'

printf '%s\n' "$REPL_PASS" >"$T/replpw"
ATTACH="repl-attach -u rk -t 60 --repl-password-file $T/replpw"
CLONE="repl-clone -u rk --method=clone"
trap 'touch "$T/stop"; srv_cleanup' EXIT

SSL=
[ "$SRV_SERVER" = mariadb-11.8 ] && SSL=--ssl
ARGS=()
[ "$SRV_FLAVOR" = mysql ] &&
    ARGS=(--performance-schema=ON --plugin-load-add=mysql_clone.so)

test_expect 'a source with data, its early binary logs purged' '
	srv_start src $SSL "${ARGS[@]}" && srv_start rep $SSL "${ARGS[@]}" &&
	SRC=$(srv_addr src) REP=$(srv_addr rep) &&
	srv_sql src "SET NAMES utf8mb4; CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY,
	    c VARCHAR(40) CHARACTER SET utf8mb4);
	    INSERT INTO d.t VALUES (1, \"tä 😀\"), (2, NULL), (3, \"\");
	    CREATE TABLE d.w (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL);
	    CREATE VIEW d.v AS SELECT id FROM d.t;
	    FLUSH BINARY LOGS" &&
	last=$(srv_sql src "SHOW BINARY LOG STATUS" 2>/dev/null | cut -f1) &&
	{ [ "$SRV_FLAVOR" != mysql ] ||
	    srv_sql src "PURGE BINARY LOGS TO \"$last\""; }
'

test_expect 'bad input: exit 2, nothing sent' '
	fails 2 $CLONE -d d "$SRC" "$REP" &&
	check_empty out && check_grep err "whole instance: -d and -T do not apply" &&
	fails 2 repl-clone -u rk --method=copy "$SRC" "$REP" &&
	check_grep err "invalid --method .copy.: expected logical or clone"
'

if [ "$SRV_FLAVOR" = mariadb ]; then
	test_expect 'MariaDB has no clone plugin: refused, nothing changed' '
		refused rep "needs MySQL 8\.0\.17 or later on both servers" \
		    $CLONE "$SRC" "$REP"
	'
fi

if srv_only mysql 'the clone plugin copies the instance' 'MySQL only'; then
	test_expect 'refused: a replica without the plugin, or without performance_schema' '
		srv_start bare $SSL && BARE=$(srv_addr bare) &&
		refused bare "no active clone plugin" $CLONE "$SRC" "$BARE" &&
		srv_sql bare "INSTALL PLUGIN clone SONAME \"mysql_clone.so\"" &&
		refused bare "performance_schema OFF" $CLONE "$SRC" "$BARE"
	'

	test_expect 'refused: a replica with tables; -n shows what --force replaces' '
		srv_sql rep "SET sql_log_bin = 0; CREATE DATABASE mine;
		    CREATE TABLE mine.x (i INT)" &&
		refused rep "holds tables in mine.*--force" $CLONE "$SRC" "$REP" &&
		{ $CLONE --force -n "$SRC" "$REP" >plan 2>err || { cat err; false; }; } &&
		check_grep plan "^# method: CLONE INSTANCE FROM 127\.0\.0\.1:${SRC##*:}" &&
		check_grep plan "^drop database mine$" &&
		check_grep plan "^clone instance$" &&
		state rep >after && diff before after &&
		srv_sql rep "SET sql_log_bin = 0; DROP DATABASE mine"
	'

	test_expect 'refused by the source: an account without BACKUP_ADMIN; nothing changed' '
		for n in src rep; do
			srv_sql $n "SET sql_log_bin = 0;
			    CREATE USER nb@\"127.0.0.1\" IDENTIFIED BY \"nb-secret\";
			    GRANT SELECT, RELOAD, PROCESS, REPLICATION CLIENT,
			        CLONE_ADMIN, SYSTEM_VARIABLES_ADMIN ON *.* TO
			        nb@\"127.0.0.1\"" || exit 1
		done &&
		refused rep "BACKUP_ADMIN" env MYSQL_PWD=nb-secret \
		    repl-clone -u nb --method=clone "$SRC" "$REP" &&
		! grep -q "may have lost" err
	'

	test_expect 'a replica that does not come back in time: exit 124, no line' '
		srv_start rep3 $SSL "${ARGS[@]}" && REP3=$(srv_addr rep3) &&
		fails 124 $CLONE -t 3 "$SRC" "$REP3" &&
		check_empty out &&
		check_grep err "shut down: nothing supervises it" &&
		check_grep err "performance_schema.clone_status says how its clone ended" &&
		check_grep err "may have lost its databases" &&
		wait_for 600 0.1 srv_gone rep3 && srv_restart rep3 &&
		test "$(srv_sql rep3 "SELECT STATE FROM performance_schema.clone_status")" = Completed &&
		test "$(srv_sql rep3 "SELECT COUNT(*) FROM d.t")" = 3
	'

	test_expect 'clone while a writer runs: the replica restarted, then attached at its position' '
		rm -f "$T/stop" && { writer & } && wpid=$! &&
		sleep 0.5 &&
		run_bg clone /dev/null $CLONE -t 300 "$SRC" "$REP" &&
		wait_for 3000 0.1 srv_gone rep && srv_restart rep &&
		{ wait_bg clone || { cat "$T/clone.err"; false; }; } &&
		test "$(wc -l <"$T/clone.out")" = 1 &&
		check_grep clone.out "^flavor=mysql host=127\.0\.0\.1 port=${SRC##*:} .* file=mysql-bin\.[0-9]+ pos=[0-9]+ gtid=[^ ]+:[0-9-]+" &&
		check_grep clone.err "has its copy and has shut down" &&
		check_grep clone.err "cloned the instance in [0-9]+\.[0-9] s$" &&
		$ATTACH --at-position "$REP" <"$T/clone.out" &&
		sleep 1 && touch "$T/stop" && wait "$wpid" &&
		test "$(srv_sql src "SELECT COUNT(*) FROM d.w")" -gt 0 &&
		repl-pos -u rk "$SRC" >pos2 && repl-wait -u rk -t 60 "$REP" <pos2
	'

	# copying NAME: the clone into NAME copies files now (slowly: 1 MiB/s;
	# and without waiting for a lost source to come back).
	copying() {
		test "$(srv_sql "$1" "SELECT STATE FROM
		    performance_schema.clone_progress
		    WHERE STAGE = \"FILE COPY\"")" = "In Progress"
	}

	test_expect 'fault: the source killed mid-clone: exit 3, no line, the replica marked' '
		srv_start src2 $SSL "${ARGS[@]}" && srv_start rep4 $SSL "${ARGS[@]}" &&
		SRC2=$(srv_addr src2) REP4=$(srv_addr rep4) &&
		srv_sql src2 "CREATE DATABASE x;
		    SET GLOBAL clone_donor_timeout_after_network_failure = 0" &&
		repl-pos -u rk "$SRC2" >pos4 &&
		srv_sql rep4 "SET GLOBAL clone_max_data_bandwidth = 1" &&
		run_bg clone /dev/null $CLONE -t 60 "$SRC2" "$REP4" &&
		wait_for 1200 0.05 copying rep4 &&
		srv_kill src2 &&
		{ wait_bg clone; rc=$?; test "$rc" = 3 ||
		    { echo "exit $rc, expected 3"; cat "$T/clone.err"; false; }; } &&
		check_empty "$T/clone.out" &&
		check_grep "$T/clone.err" "the clone failed on" &&
		check_grep "$T/clone.err" "incomplete clone" &&
		marked rep4 &&
		test "$(srv_gtid rep4)" = "" &&
		srv_restart src2 &&
		fails 2 $ATTACH --at-position "$REP4" <pos4 &&
		check_grep err "incomplete clone"
	'

	test_expect 'cloned again after the fault: whole, the marker gone; --json' '
		srv_sql rep4 "SET GLOBAL clone_max_data_bandwidth = 0" &&
		restart_when_gone rep4 &&
		{ $CLONE -q --json -t 300 "$SRC2" "$REP4" >out 2>err ||
		    { cat err; false; }; } &&
		wait "$rpid" &&
		check_empty err && test "$(wc -l <out)" = 1 &&
		check_grep out "^\{\"flavor\":\"mysql\",\"host\":\"127\.0\.0\.1\",\"port\":${SRC2##*:},.*\"file\":\"mysql-bin\.[0-9]+\",\"pos\":[0-9]+,.*,\"method\":\"clone\",\"ms\":[0-9]+\}$" &&
		! marked rep4 &&
		test "$(srv_sql rep4 "SHOW DATABASES LIKE \"x\"")" = x
	'

	test_expect 'nothing lost, nothing twice; the replica kept its own identity' '
		{ repl-diff -u rk "$SRC" "$REP" >out 2>err || { cat out err; false; }; } &&
		check_empty out &&
		test "$(srv_sql rep "SELECT COUNT(*), SUM(v) FROM d.w")" = \
		    "$(srv_sql src "SELECT COUNT(*), SUM(v) FROM d.w")" &&
		test "$(srv_sql rep "SELECT HEX(c) FROM d.t WHERE id = 1")" = 74C3A420F09F9880 &&
		test "$(srv_sql rep "SELECT @@server_uuid")" != \
		    "$(srv_sql src "SELECT @@server_uuid")"
	'
fi

done_testing
