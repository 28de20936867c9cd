#!/bin/bash
# repl-top against real servers: the seeds' shapes as exact trees, a
# server down, a broken replica, --json.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-top against servers'

TOP_CMD="repl-top -u rk"

# pos NAME: the GTID position repl-top shows for a server.
pos() {
	local g
	if [ "$SRV_FLAVOR" = mysql ]; then
		g=$(srv_gtid "$1")
	else
		g=$(srv_sql "$1" "SELECT @@GLOBAL.gtid_current_pos")
	fi
	echo "${g:--}"
}

# line DEPTH NAME ROLE STATE SOURCE IO SQL LAG_TRX LAG_S: the line
# repl-top prints for server NAME (SOURCE: a server's name, or -).
line() {
	local src=-
	[ "$5" = - ] || src=$(srv_addr "$5")
	printf '%*s%s server_id=%s role=%s state=%s source=%s io=%s sql=%s lag_trx=%s lag_s=%s gtid=%s\n' \
	    $((2 * $1)) "" "$(srv_addr "$2")" "$(cat "$T/$2/server_id")" "$3" \
	    "$4" "$src" "$6" "$7" "$8" "$9" "$(pos "$2")"
}

# same WANT OUT: the trees are the same, but for the seconds of lag a
# replica shows a moment after a write (that second is the server's).
same() {
	diff -u <(sed -E "s/ lag_s=[0-9]+( |$)/ lag_s=N\1/" "$1") \
	    <(sed -E "s/ lag_s=[0-9]+( |$)/ lag_s=N\1/" "$2")
}

# by_port NAME...: the names in the order of their ports (repl-top shows
# the replicas of a source by address).
by_port() {
	local n
	for n in "$@"; do
		echo "$(cat "$T/$n/port") $n"
	done | sort -n | cut -d" " -f2
}

# settled SOURCE REPLICA...: the replicas have applied all of the source.
settled() {
	local s=$1
	shift
	repl-pos -u rk "$(srv_addr "$s")" >"$T/settle.pos" &&
	    repl-wait -u rk -t 60 "${@/#/}" <"$T/settle.pos"
}

test_expect 'seed 002: a source and two read-only replicas, with writes' '
	srv_start src && srv_start rep1 && srv_start rep2 &&
	srv_replicate rep1 src && srv_replicate rep2 src &&
	srv_sql rep1 "SET GLOBAL read_only = 1" &&
	srv_sql rep2 "SET GLOBAL read_only = 1" &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY);
	    INSERT INTO d.t VALUES (1), (2)" &&
	settled src "$(srv_addr rep1)" "$(srv_addr rep2)"
'

test_expect 'from the source: the tree, exactly; exit 0' '
	{
		line 0 src source writable - - - - - &&
		for r in $(by_port rep1 rep2); do
			line 1 "$r" replica read-only src Yes Yes 0 0 || exit 1
		done
	} >want &&
	$TOP_CMD "$(srv_addr src)" >out 2>err &&
	check_empty err &&
	same want out
'

test_expect 'from a replica: the same tree' '
	$TOP_CMD "$(srv_addr rep2)" >out2 2>err &&
	check_empty err &&
	same want out2
'

test_expect 'the same server under two names is shown once' '
	$TOP_CMD "$(srv_addr src)" "[::ffff:127.0.0.1]:$(cat "$T/src/port")" \
	    "$(srv_addr rep1)" >out3 2>err &&
	same want out3
'

test_expect '--json: one object a server, valid JSON, the same facts' '
	$TOP_CMD --json "$(srv_addr src)" >out.json &&
	perl -MJSON::PP -e "
	    local \$/; my \$a = decode_json(<STDIN>);
	    print scalar(@\$a), \"\\n\";
	    for (@\$a) {
		print join(\" \", \$_->{server}, \$_->{role},
		    \$_->{writable} ? 1 : 0, \$_->{source} // \"-\",
		    \$_->{lag_trx} // \"-\"), \"\\n\";
	    }" <out.json >got &&
	{
		echo 3 &&
		echo "$(srv_addr src) source 1 - -" &&
		for r in $(by_port rep1 rep2); do
			echo "$(srv_addr "$r") replica 0 $(srv_addr src) 0"
		done
	} >want.json &&
	diff -u want.json got
'

test_expect 'a broken SQL thread: its error shown, lag counted, exit 1' '
	srv_sql rep1 "SET sql_log_bin = 0; INSERT INTO d.t VALUES (3)" &&
	srv_sql src "INSERT INTO d.t VALUES (3)" &&
	wait_for 300 0.1 srv_status_is rep1 Slave_SQL_Running No &&
	expect_exit 1 $TOP_CMD "$(srv_addr src)" >out 2>err &&
	check_empty err &&
	r1=$(srv_addr rep1) &&
	check_grep out "^  $r1 server_id=[0-9]+ role=replica state=read-only source=$(srv_addr src) io=Yes sql=No lag_trx=1 lag_s=- gtid=[^ ]+ error=1062: " &&
	if [ "$SRV_FLAVOR" = mariadb ]; then
		check_grep out "error=1062: .*Duplicate entry"
	fi &&
	r2=$(srv_addr rep2) &&
	check_grep out "^  $r2 .* io=Yes sql=Yes lag_trx=[01] "
'

test_expect 'the broken replica mended: exit 0 again' '
	srv_sql rep1 "SET sql_log_bin = 0; DELETE FROM d.t WHERE i = 3" &&
	srv_sql rep1 "START REPLICA" &&
	settled src "$(srv_addr rep1)" "$(srv_addr rep2)" &&
	$TOP_CMD "$(srv_addr src)" >out &&
	sed "s/ gtid=.*//" want >want.nogtid && sed "s/ gtid=.*//" out >out.nogtid &&
	same want.nogtid out.nogtid
'

test_expect 'a replica killed: shown as down, exit 3' '
	srv_kill rep2 &&
	expect_exit 3 $TOP_CMD "$(srv_addr src)" "$(srv_addr rep2)" >out 2>err &&
	check_empty err &&
	check_grep out "^$(srv_addr rep2) server_id=- role=- state=down source=- io=- sql=- lag_trx=- lag_s=- gtid=- error=unable to connect to .$(srv_addr rep2)." &&
	check_grep out "^$(srv_addr src) server_id=[0-9]+ role=source state=writable "
'

test_expect 'seed 001: two masters replicating from each other, a replica of one' '
	srv_start m1 && srv_start m2 && srv_start r &&
	srv_replicate m1 m2 && srv_replicate m2 m1 && srv_replicate r m1 &&
	srv_sql r "SET GLOBAL read_only = 1" &&
	srv_sql m1 "CREATE DATABASE e; CREATE TABLE e.t (i INT PRIMARY KEY);
	    INSERT INTO e.t VALUES (1)" &&
	settled m1 "$(srv_addr m2)" "$(srv_addr r)" &&
	settled m2 "$(srv_addr m1)"
'

test_expect 'the cycle is shown once, from the server named' '
	{
		line 0 m1 relay writable m2 Yes Yes 0 0 &&
		for n in $(by_port m2 r); do
			if [ "$n" = m2 ]; then
				line 1 m2 relay writable m1 Yes Yes 0 0
			else
				line 1 r replica read-only m1 Yes Yes 0 0
			fi || exit 1
		done
	} >want &&
	$TOP_CMD "$(srv_addr m1)" >out 2>err &&
	check_empty err &&
	same want out
'

test_expect 'bad input: a bad server operand, no server: exit 2, nothing read' '
	expect_exit 2 $TOP_CMD "db1:99999" >out 2>err &&
	check_empty out && check_grep err "^repl-top: invalid server" &&
	expect_exit 2 $TOP_CMD >out 2>err &&
	check_empty out && check_grep err "^repl-top: expected at least one server"
'

done_testing
