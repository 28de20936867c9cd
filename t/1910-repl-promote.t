#!/bin/bash
# repl-promote against real servers: switchover under a writer, failover
# after kill -9, catching up from a replica further ahead, and the
# refusals that change nothing.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-promote against servers'

if [ "$SRV_FLAVOR" = mysql ]; then
	LSU=--log-replica-updates
else
	LSU=--log-slave-updates
fi
printf '%s\n' "$REPL_PASS" >"$T/replpw"
# What makes a server writable, in this flavor's words.
if [ "$SRV_FLAVOR" = mysql ]; then
	RO0="super_read_only = 0, GLOBAL read_only = 0"
else
	RO0="read_only = 0"
fi
PROMOTE="repl-promote -u rk -t 60 --repl-password-file $T/replpw"
# The writer and the sampler below stop when $T/stop exists: make it on
# any exit, before the servers stop.
trap 'touch "$T/stop"; srv_cleanup' EXIT
APP_PASS=app-secret

# topo NAME: what repl-top says around a server, without what moves by
# itself (the seconds of lag), for before/after comparisons.
topo() {
	repl-top -u rk "$(srv_addr "$1")" | sed -E "s/ lag_s=[0-9]+ / lag_s=N /"
}

# top_of NAME...: repl-top's lines around the servers named, as topo
# says them, and its exit status.
top_of() {
	local s a=() rc=0
	for s; do a+=("$(srv_addr "$s")"); done
	repl-top -u rk "${a[@]}" >"$T/top.raw" || rc=$?
	sed -E "s/ lag_s=[0-9]+ / lag_s=N /" "$T/top.raw" && return "$rc"
}

# rows NAME: the ids of d.t on a server, one line; rows_of NAME TABLE:
# of another table.
rows() {
	rows_of "$1" d.t
}
rows_of() {
	srv_sql "$1" "SELECT COALESCE(GROUP_CONCAT(i ORDER BY i), '') FROM $2"
}

# caught_up SOURCE REPLICA...: the replicas have all of the source.
caught_up() {
	local s=$1 r
	shift
	repl-pos -u rk "$(srv_addr "$s")" >"$T/cu.pos" || return 1
	for r in "$@"; do
		repl-wait -u rk -t 60 "$(srv_addr "$r")" <"$T/cu.pos" || return 1
	done
}

# A writer: ids 1, 2, ... inserted as an account that read_only stops,
# each into the first server of the list that takes it; the ids it was
# told are committed go to writer.log. Stops when $T/stop exists.
writer() {
	local i=0 s
	: >"$T/writer.log"
	while [ ! -f "$T/stop" ]; do
		i=$((i + 1))
		for s in "$@"; do
			if MYSQL_PWD=$APP_PASS mariadb --no-defaults -h 127.0.0.1 \
			    -P "$(cat "$T/$s/port")" -u app -e \
			    "INSERT INTO d.t VALUES ($i)" 2>/dev/null; then
				echo "$i" >>"$T/writer.log"
				break
			fi
		done
		sleep 0.02
	done
}

# A sampler: how many of the servers take writes, every 50 ms, until
# $T/stop exists; one line a sample. The servers are asked one after the
# other, the new source first: the old one turns read-only before the new
# one takes writes, so a sample that straddles the switch can only count
# too few, and a 2 is two writable servers at once.
sampler() {
	local s n
	: >"$T/sampler.log"
	while [ ! -f "$T/stop" ]; do
		n=0
		for s in "$@"; do
			repl-wait -u rk -q -t 0 --writable "$(srv_addr "$s")" \
			    </dev/null && n=$((n + 1))
		done
		echo "$n" >>"$T/sampler.log"
		sleep 0.05
	done
}

test_expect 'a source and two read-only replicas that log what they apply' '
	srv_start src $LSU && srv_start rep1 $LSU && srv_start rep2 $LSU &&
	srv_replicate rep1 src && srv_replicate rep2 src &&
	srv_sql rep1 "SET GLOBAL read_only = 1" &&
	srv_sql rep2 "SET GLOBAL read_only = 1" &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY);
	    CREATE USER app@\"127.0.0.1\" IDENTIFIED BY \"$APP_PASS\";
	    GRANT SELECT, INSERT ON d.* TO app@\"127.0.0.1\"" &&
	caught_up src rep1 rep2
'

test_expect '-n prints the plan per server and changes nothing' '
	topo src >before &&
	$PROMOTE -n "$(srv_addr rep1)" >plan 2>err &&
	topo src >after &&
	diff -u before after &&
	check_grep plan "^$(srv_addr src): SET GLOBAL (super_)?read_only = 1;$" &&
	check_grep plan "^$(srv_addr rep1): (STOP SLAVE|STOP REPLICA);$" &&
	check_grep plan "^$(srv_addr rep2): CHANGE .*PORT=$(cat "$T/rep1/port"), " &&
	! grep -q "$REPL_PASS" plan err
'

test_expect 'switchover under a writer: one writable server at every sample' '
	rm -f "$T/stop" &&
	{ writer src rep1 & } && wpid=$! &&
	{ sampler rep1 src rep2 & } && spid=$! &&
	wait_for 100 0.1 test -s "$T/writer.log" &&
	prc=0 && { $PROMOTE "$(srv_addr rep1)" >line 2>err || prc=$?; } &&
	n=$(wc -l <"$T/writer.log") &&
	{ [ "$prc" != 0 ] ||
	    wait_for 200 0.1 eval "test \$(wc -l <\"$T/writer.log\") -gt $((n + 5))"; } ;
	touch "$T/stop" && wait "$wpid" "$spid" &&
	test "$prc" = 0 &&
	check_grep line "^flavor=$SRV_FLAVOR host=127\.0\.0\.1 port=$(cat "$T/rep1/port") server_id=$(cat "$T/rep1/server_id") " &&
	{ ! grep -v "^[01]$" "$T/sampler.log"; } &&
	grep -q "^1$" "$T/sampler.log"
'

test_expect 'no row lost or doubled; the old source replicates from the new' '
	caught_up rep1 src rep2 &&
	sort -n "$T/writer.log" | paste -sd, - >want &&
	for s in src rep1 rep2; do
		rows "$s" >got && diff -u want got || exit 1
	done &&
	repl-diff -u rk "$(srv_addr rep1)" "$(srv_addr src)" "$(srv_addr rep2)" >diff.out &&
	test "$(srv_status src Slave_IO_Running)" = Yes &&
	test "$(srv_status src Master_Port)" = "$(cat "$T/rep1/port")" &&
	test "$(srv_status rep2 Master_Port)" = "$(cat "$T/rep1/port")" &&
	repl-wait -u rk -q -t 0 --writable "$(srv_addr rep1)" </dev/null &&
	expect_exit 124 repl-wait -u rk -q -t 0 --writable "$(srv_addr src)" </dev/null
'

test_expect 'promoting the source again changes nothing, exit 0' '
	topo rep1 >before &&
	$PROMOTE -v "$(srv_addr rep1)" >line 2>err &&
	topo rep1 >after && diff -u before after &&
	check_grep err "is the source of every server found: nothing changed" &&
	check_grep line "^flavor=$SRV_FLAVOR host=127\.0\.0\.1 port=$(cat "$T/rep1/port") "
'

test_expect 'a source made read-only (as by a restart) is made writable, nothing else' '
	srv_sql rep1 "SET GLOBAL read_only = 1" &&
	expect_exit 124 repl-wait -u rk -q -t 0 --writable "$(srv_addr rep1)" </dev/null &&
	topo rep1 >before &&
	$PROMOTE -n "$(srv_addr rep1)" >plan 2>err &&
	check_file plan "$(srv_addr rep1): SET GLOBAL $RO0;" &&
	check_grep err "is the source of every server found: it would be made writable" &&
	topo rep1 >after && diff -u before after &&
	$PROMOTE -v "$(srv_addr rep1)" >line 2>err &&
	check_grep err "is the source of every server found: made writable$" &&
	check_grep line "^flavor=$SRV_FLAVOR host=127\.0\.0\.1 port=$(cat "$T/rep1/port") " &&
	repl-wait -u rk -q -t 0 --writable "$(srv_addr rep1)" </dev/null &&
	topo rep1 >after &&
	sed "1s/ state=read-only / state=writable /" before | diff -u - after
'

test_expect 'refused, nothing changed: a replica named, or NEW, is down (exit 3)' '
	srv_kill rep2 &&
	expect_exit 3 top_of rep1 rep2 >before &&
	expect_exit 3 $PROMOTE "$(srv_addr src)" "$(srv_addr rep2)" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-promote: .$(srv_addr rep2). is down: it would be left without a source \(" &&
	expect_exit 3 $PROMOTE "$(srv_addr rep2)" >out 2>err &&
	check_empty out && check_grep err "^repl-promote: unable to connect to .$(srv_addr rep2)." &&
	expect_exit 3 top_of rep1 rep2 >after && diff -u before after &&
	repl-wait -u rk -q -t 0 --writable "$(srv_addr rep1)" </dev/null &&
	srv_restart rep2 && srv_sql rep2 "SET GLOBAL read_only = 1" &&
	caught_up rep1 src rep2
'

test_expect 'refused, nothing changed: no replication password for the old source (exit 2)' '
	topo rep1 >before &&
	expect_exit 2 env -u REPLKIT_REPL_PASSWORD repl-promote -u rk -t 60 \
	    "$(srv_addr src)" >out 2>err &&
	check_empty out &&
	check_file err "repl-promote: '"'"'$(srv_addr rep1)'"'"' has no replication account to keep: give --repl-password-file" &&
	expect_exit 2 env -u REPLKIT_REPL_PASSWORD repl-promote -n -u rk -t 60 \
	    "$(srv_addr src)" >out 2>err &&
	check_empty out &&
	topo rep1 >after && diff -u before after
'

test_expect 'REPLKIT_REPL_PASSWORD gives it; --no-demote needs none' '
	topo rep1 >before &&
	REPLKIT_REPL_PASSWORD=$REPL_PASS repl-promote -n -u rk "$(srv_addr src)" >plan 2>err &&
	check_grep plan "^$(srv_addr rep1): CHANGE .*PORT=$(cat "$T/src/port"), " &&
	! grep -q "$REPL_PASS" plan err &&
	env -u REPLKIT_REPL_PASSWORD repl-promote -n --no-demote -u rk "$(srv_addr src)" >plan 2>err &&
	! grep -q "^$(srv_addr rep1): CHANGE" plan &&
	check_grep plan "^$(srv_addr rep2): CHANGE .*PORT=$(cat "$T/src/port"), " &&
	topo rep1 >after && diff -u before after
'

test_expect 'refused, nothing changed: NEW with a transaction its source never had' '
	topo rep1 >before &&
	srv_sql rep2 "SET GLOBAL read_only = 0; CREATE DATABASE errant; SET GLOBAL read_only = 1" &&
	topo rep1 >before &&
	expect_exit 2 $PROMOTE "$(srv_addr rep2)" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-promote: .$(srv_addr rep2). has [0-9]+ transactions that the source .$(srv_addr rep1). never had" &&
	topo rep1 >after && diff -u before after
'

test_expect 'refused, nothing changed: a replica to re-point with a transaction the source never had' '
	topo rep1 >before &&
	expect_exit 2 $PROMOTE "$(srv_addr src)" >out 2>err &&
	check_empty out &&
	check_file err "repl-promote: '"'"'$(srv_addr rep2)'"'"' has 1 transactions that the source '"'"'$(srv_addr rep1)'"'"' never had (errant transactions): it could not follow '"'"'$(srv_addr src)'"'"'" &&
	expect_exit 2 $PROMOTE -n "$(srv_addr src)" >out 2>err &&
	check_empty out &&
	topo rep1 >after && diff -u before after
'

test_expect 'refused, nothing changed: NEW further behind than --max-lag' '
	srv_sql src "STOP REPLICA SQL_THREAD" &&
	srv_sql rep1 "INSERT INTO d.t VALUES (100001), (100002); INSERT INTO d.t VALUES (100003)" &&
	wait_for 100 0.1 eval "repl-top -u rk $(srv_addr rep1) | grep -q \"$(srv_addr src) .* lag_trx=2 \"" &&
	topo rep1 >before &&
	expect_exit 2 $PROMOTE --max-lag 1 "$(srv_addr src)" >out 2>err &&
	check_grep err "is 2 transactions behind .$(srv_addr rep1)., more than --max-lag 1" &&
	topo rep1 >after && diff -u before after &&
	srv_sql src "START REPLICA SQL_THREAD" &&
	caught_up rep1 src
'

test_expect 'failover: the source killed -9 under a writer; a replica promoted' '
	srv_sql rep2 "SET GLOBAL read_only = 0; DROP DATABASE errant; SET GLOBAL read_only = 1" ;
	rm -f "$T/stop" &&
	{ writer rep1 & } && wpid=$! &&
	wait_for 100 0.1 test -s "$T/writer.log" && sleep 1 &&
	srv_kill rep1 &&
	touch "$T/stop" && wait "$wpid" &&
	expect_exit 2 $PROMOTE "$(srv_addr src)" "$(srv_addr rep2)" 2>err &&
	check_grep err "is down: give --failover" &&
	wait_for 100 0.1 eval "[ \"\$(srv_status src Slave_SQL_Running_State)\" != \"\" ]" ;
	sleep 1 &&
	rows src >src.rows && rows rep2 >rep2.rows &&
	if [ "$(wc -c <src.rows)" -ge "$(wc -c <rep2.rows)" ]; then
		new=src other=rep2
	else
		new=rep2 other=src
	fi &&
	$PROMOTE --failover --catch-up "$(srv_addr $new)" "$(srv_addr $other)" >line 2>err &&
	check_grep line "port=$(cat "$T/$new/port") " &&
	caught_up "$new" "$other" &&
	test "$(rows src)" = "$(rows rep2)" &&
	test "$(srv_status "$other" Master_Port)" = "$(cat "$T/$new/port")" &&
	repl-wait -u rk -q -t 0 --writable "$(srv_addr $new)" </dev/null
'

test_expect 'failover: a replica further ahead is named, and --catch-up takes it' '
	srv_start x $LSU && srv_start y $LSU && srv_start z $LSU &&
	srv_replicate y x && srv_replicate z x &&
	srv_sql x "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY); INSERT INTO d.t VALUES (1)" &&
	caught_up x y z &&
	srv_sql z "STOP REPLICA" &&
	srv_sql x "INSERT INTO d.t VALUES (2), (3)" &&
	caught_up x y &&
	srv_kill x &&
	topo y >before &&
	expect_exit 2 $PROMOTE --failover "$(srv_addr z)" "$(srv_addr y)" >out 2>err &&
	check_grep err "^repl-promote: .$(srv_addr y). has [0-9]+ transactions that .$(srv_addr z). lacks: promote .$(srv_addr y)., or give --catch-up" &&
	topo y >after && diff -u before after &&
	$PROMOTE --failover --catch-up "$(srv_addr z)" "$(srv_addr y)" >line 2>err &&
	caught_up z y &&
	test "$(rows z)" = "1,2,3" && test "$(rows y)" = "1,2,3" &&
	test "$(srv_status y Master_Port)" = "$(cat "$T/z/port")"
'

test_expect 'a master-master pair: the writable one is the source already' '
	if [ "$SRV_FLAVOR" = mysql ]; then d1= d2=; else
		d1="--gtid-domain-id=1 --gtid-strict-mode=ON"
		d2="--gtid-domain-id=2 --gtid-strict-mode=ON"
	fi &&
	srv_start ma $LSU $d1 && srv_start mb $LSU $d2 &&
	srv_replicate mb ma && srv_replicate ma mb &&
	srv_sql mb "SET GLOBAL read_only = 1" &&
	srv_sql ma "CREATE DATABASE p; CREATE TABLE p.t (i INT PRIMARY KEY);
	    INSERT INTO p.t VALUES (1)" &&
	caught_up ma mb && caught_up mb ma &&
	topo ma >before &&
	$PROMOTE -v "$(srv_addr ma)" >line 2>err &&
	check_grep err "is the source of every server found: nothing changed$" &&
	topo ma >after && diff -u before after
'

test_expect 'both read-only: the one promoted has all of the other first, the pair stays' '
	srv_sql ma "SET GLOBAL read_only = 1; STOP REPLICA SQL_THREAD" &&
	srv_sql mb "INSERT INTO p.t VALUES (2)" &&
	expect_exit 124 $PROMOTE -t 2 "$(srv_addr ma)" >out 2>err &&
	check_empty out &&
	check_grep err ": .$(srv_addr ma). has not applied all of .$(srv_addr mb)., and stays read-only; nothing changed$" &&
	expect_exit 124 repl-wait -u rk -q -t 0 --writable "$(srv_addr ma)" </dev/null &&
	srv_sql ma "START REPLICA SQL_THREAD" &&
	$PROMOTE -v "$(srv_addr ma)" >line 2>err &&
	check_grep err "made writable$" &&
	test "$(rows_of ma p.t)" = 1,2 &&
	repl-wait -u rk -q -t 0 --writable "$(srv_addr ma)" </dev/null &&
	expect_exit 124 repl-wait -u rk -q -t 0 --writable "$(srv_addr mb)" </dev/null &&
	test "$(srv_status ma Master_Port)" = "$(cat "$T/mb/port")" &&
	test "$(srv_status mb Master_Port)" = "$(cat "$T/ma/port")" &&
	srv_status_is ma Slave_SQL_Running Yes && srv_status_is mb Slave_SQL_Running Yes
'

test_expect 'a replica found down: left alone when NEW lists it' '
	srv_start g1 $LSU && srv_start g2 $LSU &&
	srv_start g3 $LSU --report-host=127.0.0.1 --report-port=1 &&
	srv_replicate g2 g1 && srv_replicate g3 g2 &&
	srv_sql g1 "CREATE DATABASE g" && caught_up g1 g2 g3 &&
	wait_for 100 0.1 eval "repl-top -u rk $(srv_addr g1) | grep -q \"^127\.0\.0\.1:1 .* state=down \"" &&
	$PROMOTE "$(srv_addr g2)" >line 2>err &&
	check_grep line "port=$(cat "$T/g2/port") " &&
	test "$(srv_status g1 Master_Port)" = "$(cat "$T/g2/port")" &&
	test "$(srv_status g3 Master_Port)" = "$(cat "$T/g2/port")" &&
	repl-wait -u rk -q -t 0 --writable "$(srv_addr g2)" </dev/null
'

test_expect 'refused, nothing changed: a replica found down that the old source lists (exit 3)' '
	topo g2 >before &&
	expect_exit 3 $PROMOTE "$(srv_addr g1)" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-promote: .127\.0\.0\.1:1. is down: it would be left without a source" &&
	topo g2 >after && diff -u before after
'

test_expect 'refused, nothing changed: a replica by file and position' '
	srv_start f1 $LSU && srv_start f2 $LSU &&
	repl-pos -u rk "$(srv_addr f1)" >f.pos &&
	repl-attach -u rk -t 30 --no-gtid --repl-password-file "$T/replpw" "$(srv_addr f2)" <f.pos &&
	topo f1 >before &&
	expect_exit 2 $PROMOTE "$(srv_addr f2)" >out 2>err &&
	check_grep err "replicates by binary log file and position" &&
	topo f1 >after && diff -u before after
'

test_expect 'bad input: no server, a socket, a bad --max-lag, --catch-up alone: exit 2' '
	expect_exit 2 repl-promote >out 2>err && check_grep err "expected the new source" &&
	expect_exit 2 repl-promote /tmp/sock 2>err && check_grep err "a socket names no address" &&
	expect_exit 2 repl-promote --max-lag -1 db1 2>err && check_grep err "invalid --max-lag" &&
	expect_exit 2 repl-promote --catch-up db1 2>err && check_grep err "is for --failover"
'

done_testing
