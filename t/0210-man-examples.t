#!/bin/bash
# The EXAMPLES of the man pages, run against real servers (as jq runs its
# manual). Every line "$ command" of a literal display is an example; the
# lines after it, up to the next "$", are its documented output. The host
# names of the pages are mapped to test servers, the user comes from
# ~/.my.cnf, the password from MYSQL_PWD. A documented coordinate line is
# also fed to repl-wait, which must accept it.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
# shellcheck source=t/lib/examples.sh
. "$TOP/t/lib/examples.sh"

MAN=$TOP/man
pages=("$MAN"/*.[1-8])
DEAD=127.0.0.1:1	# nothing listens there: the "server that never answers"

srv_require 'man page examples'

# Start the servers here, not inside a test: srv_start records their pids
# for the cleanup at exit, which a test's subshell would lose.
# The replicas log what they apply, so that repl-promote.1's switchover
# may make one of them the source (MySQL does by default).
lsu=
[ "$SRV_FLAVOR" = mariadb ] && lsu=--log-slave-updates
{
	srv_start src ${lsu:+"$lsu"} && srv_start rep ${lsu:+"$lsu"} &&
	srv_start rep2 ${lsu:+"$lsu"} &&
	srv_replicate rep src && srv_replicate rep2 src &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (i INT PRIMARY KEY);
	    INSERT INTO d.t VALUES (1)" &&
	# repl-attach.1's failover: a new source, and a replica whose source
	# is gone; it keeps the replication password it has.
	srv_start master2 && srv_start replica &&
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql replica "CHANGE REPLICATION SOURCE TO
		    SOURCE_HOST='127.0.0.1', SOURCE_PORT=1,
		    SOURCE_USER='$REPL_USER', SOURCE_PASSWORD='$REPL_PASS',
		    GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1"
	else
		srv_sql replica "CHANGE MASTER TO MASTER_HOST='127.0.0.1',
		    MASTER_PORT=1, MASTER_USER='$REPL_USER',
		    MASTER_PASSWORD='$REPL_PASS', MASTER_USE_GTID=slave_pos"
	fi
} >"$T/setup.log" 2>&1 && touch "$T/setup.ok"
SRC=$(srv_addr src) REP=$(srv_addr rep) REP2=$(srv_addr rep2)
M2=$(srv_addr master2) REPLICA=$(srv_addr replica)
SRC_UUID=
[ "$SRV_FLAVOR" = mysql ] && SRC_UUID=$(srv_sql src "SELECT @@server_uuid")

# The user comes from an option file. The [replkit] group, after [client]
# in the same file, overrides it: were it not read, logins would fail.
mkdir -p "$T/home" && printf '[client]\nuser=nobody\n[replkit]\nuser=rk\n' \
    >"$T/home/.my.cnf"
export HOME=$T/home

# The replication password, for the pages' /run/secrets/repl.
printf '%s\n' "$REPL_PASS" >"$T/repl-password"

# addr NAME: the test server standing for a host name of the pages.
addr() {
	case $1 in
	db1|src)	echo "$SRC" ;;
	db2|rep|rep1)	echo "$REP" ;;
	rep2)		echo "$REP2" ;;
	db3)		echo "$DEAD" ;;
	master2)	echo "$M2" ;;
	replica)	echo "$REPLICA" ;;
	esac
}

# map HEALTH: the names of the pages' examples replaced by test servers,
# as words on their own with or without ":3306"; a bare 127.0.0.1 (the
# healthcheck, run inside a container) by HEALTH; the default socket by
# the source's; the replication password file by the test's.
map() {
	local health=$1
	sed -E -e ':a' \
	    -e "s#(^| )(db1|src)(:3306)?( |\$)#\\1$SRC\\4#; ta" \
	    -e "s#(^| )(db2|rep|rep1)(:3306)?( |\$)#\\1$REP\\4#; ta" \
	    -e "s#(^| )rep2(:3306)?( |\$)#\\1$REP2\\3#; ta" \
	    -e "s#(^| )db3(:3306)?( |\$)#\\1$DEAD\\3#; ta" \
	    -e "s#(^| )master2(:3306)?( |\$)#\\1$M2\\3#; ta" \
	    -e "s#(^| )replica(:3306)?( |\$)#\\1$REPLICA\\3#; ta" \
	    -e "s#(^| )127\\.0\\.0\\.1( |\$)#\\1$health\\2#; ta" \
	    -e "s#/run/mysqld/mysqld\\.sock#$T/src/sock#g" \
	    -e "s#/run/secrets/repl#$T/repl-password#g" |
	if [ "$SRV_FLAVOR" = mysql ]; then
		# A GTID of db1 the page writes in MariaDB's form, in MySQL's.
		sed -E "s#(--gtid )0-1-([0-9]+)#\\1$SRC_UUID:1-\\2#g"
	else
		cat
	fi
}

# mariadb_only EXAMPLE: why the text of EXAMPLE works only on MariaDB,
# if it does (it is then skipped on MySQL).
mariadb_only() {
	case $1 in
	*--source*--gtid*|*--gtid*--source*) ;;
	*--source*)
		echo "--source without --gtid names a MariaDB source; a MySQL replica needs --gtid (repl-attach.1)" ;;
	esac
}

# doc_output: the documented output of an example (the pages show
# MariaDB's), as this flavor prints it. On MySQL: flavor=mysql, the
# source's uuid after its GTID, and the statements in MySQL's words, as
# repl-attach.1 gives them.
doc_output() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		sed -E -e 's/(^| )flavor=mariadb( .* gtid=[^ ]*)$/\1flavor=mysql\2 uuid=-/' \
		    -e 's/(^| )flavor=mariadb /\1flavor=mysql /' \
		    -e 's/^(\{"flavor":)"mariadb"(.*,"gtid":"[^"]*")\}$/\1"mysql"\2,"uuid":"-"}/' \
		    -e 's/^(STOP|START) SLAVE;$/\1 REPLICA;/' \
		    -e 's/^CHANGE MASTER TO /CHANGE REPLICATION SOURCE TO /' \
		    -e "s/MASTER_(HOST|PORT|USER|PASSWORD)=/SOURCE_\\1=/g" \
		    -e 's/MASTER_USE_GTID=slave_pos/GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1/'
	else
		cat
	fi
}

# The exit status an example documents, when not 0.
expected_rc() {
	case $1 in
	*' db3:3306'*)	echo 124 ;;
	*)		echo 0 ;;
	esac
}

# kv LINE: a coordinate line as is, or a JSON object as key=value words.
kv() {
	case $1 in
	'{'*)	printf '%s\n' "$1" | sed -E 's/^\{//; s/\}$//;
		    s/"([a-z_]+)":"?([^",]*)"?,?/\1=\2 /g; s/ $//' ;;
	*)	printf '%s\n' "$1" ;;
	esac
}

# field LINE KEY: the value of KEY in a kv line.
field() {
	local w
	for w in $1; do
		[ "${w%%=*}" = "$2" ] && { echo "${w#*=}"; return; }
	done
}

# A GTID position of this flavor: MariaDB's domain-server_id-seqno list,
# MySQL's UUID:interval set.
if [ "$SRV_FLAVOR" = mysql ]; then
	gtid_form='^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}:[0-9]+(-[0-9]+)?(,|:|$)'
else
	gtid_form='^[0-9]+-[0-9]+-[0-9]+(,[0-9]+-[0-9]+-[0-9]+)*$'
fi

# same_shape DOC ACTUAL: the actual output has the documented keys in the
# documented order, the same flavor, and the host and port the example
# means (a page's host name stands for its test server).
same_shape() {
	local doc act dk ak host port a dpre apre re='^( *)([^ =]+:[0-9]+) (.*)$'
	doc=$(kv "$1") act=$(kv "$2")
	# repl-top: a server's address first, indented by its depth in the
	# tree. Replicas come in the order of their addresses, which the
	# test servers' do not keep: the address must be one of the servers
	# the page shows, at the same depth.
	if [[ $doc =~ $re ]]; then
		dpre=${BASH_REMATCH[1]} a=$(addr "${BASH_REMATCH[2]%:*}")
		doc=${BASH_REMATCH[3]}
		[[ $act =~ $re ]] || { echo "no address first: '$2'"; return 1; }
		apre=${BASH_REMATCH[1]} act=${BASH_REMATCH[3]}
		[ "$apre" = "$dpre" ] || { echo "depth differs: '$1' vs '$2'"; return 1; }
		[ -n "$a" ] && case " $shown " in
		*" ${BASH_REMATCH[2]} "*) ;;
		*) echo "not a server of the page ($shown): '$2'"; return 1 ;;
		esac
		a=$(field "$doc" source)
		if [ -n "$(addr "${a%:*}")" ] &&
		    [ "$(field "$act" source)" != "$(addr "${a%:*}")" ]; then
			echo "source: expected $(addr "${a%:*}") in '$2'"
			return 1
		fi
	fi
	dk=$(for w in $doc; do echo "${w%%=*}"; done)
	ak=$(for w in $act; do echo "${w%%=*}"; done)
	[ "$dk" = "$ak" ] || { echo "keys differ: '$1' vs '$2'"; return 1; }
	[ "$(field "$doc" flavor)" = "$(field "$act" flavor)" ] ||
	    { echo "flavor differs: '$1' vs '$2'"; return 1; }
	# A GTID the page shows is one of this flavor's.
	if [ -n "$(field "$doc" gtid)" ] &&
	    ! [[ $(field "$act" gtid) =~ $gtid_form ]]; then
		echo "not a $SRV_FLAVOR GTID position: '$2'"
		return 1
	fi
	host=$(field "$doc" host) port=$(field "$doc" port)
	a=$(addr "$host")
	if [ -n "$a" ]; then
		host=${a%:*} port=${a##*:}
	fi
	if [ "$(field "$act" host)" != "$host" ] ||
	    [ "$(field "$act" port)" != "$port" ]; then
		echo "host/port: expected $host $port in '$2'"
		return 1
	fi
}

# count NAME: the rows of d.t on a server.
count() {
	srv_sql "$1" "SELECT COUNT(*) FROM d.t"
}

# dup_stopped NAME: a replica's SQL thread has stopped on a duplicate key.
dup_stopped() {
	srv_status_is "$1" Slave_SQL_Running No &&
	srv_status_is "$1" Last_SQL_Errno 1062
}

# What repl-wait shows of that duplicate key: MariaDB's applier error;
# MySQL's coordinator error (its parallel worker's own message is in
# performance_schema, off in these tests), which names the transaction
# of the source that failed, under the worker's errno.
if [ "$SRV_FLAVOR" = mysql ]; then
	dup_error="SQL thread stopped: error 1062: Coordinator stopped because there were error\(s\) in the worker\(s\)\..*Worker [0-9]+ failed executing transaction .$SRC_UUID:[0-9]+."
else
	dup_error="SQL thread stopped: error 1062: .*Duplicate entry .1000. for key .PRIMARY."
fi

# run_example FILE: run one example (ex_run), its output as documented.
run_example() {
	local cmd want t0 t1
	cmd=$(map "$REP" <"$1.cmd")
	want=$(expected_rc "$(cat "$1.cmd")")
	t0=$(date +%s%N)
	ex_run "$1" "$want" "$cmd" || return 1
	t1=$(date +%s%N)
	if [ "$want" = 124 ]; then
		# -t 2s: the timeout and at most one second more.
		[ $(((t1 - t0) / 1000000)) -le 3000 ] ||
		    { echo "took $(((t1 - t0) / 1000000)) ms"; return 1; }
	fi
	if [ -f "$1.out" ]; then
		[ "$(wc -l <"$1.out")" = "$(wc -l <"$1.stdout")" ] ||
		    { echo "documented $(wc -l <"$1.out") lines of output"; return 1; }
		doc_output <"$1.out" >"$1.doc"
		# The servers whose addresses start the lines of the output.
		shown=$(sed -n -E "s/^ *([^ =]+):[0-9]+ .*/\1/p" "$1.out" |
		    while IFS= read -r w; do addr "$w"; done | tr '\n' ' ')
		paste -d '\n' "$1.doc" "$1.stdout" | while IFS= read -r d &&
		    IFS= read -r a; do
			same_shape "$d" "$a" || exit 1
		done || return 1
	else
		check_empty "$1.stdout" || return 1
	fi
	# A replica the example waited for has applied all of the source.
	case $cmd in
	*'| repl-wait'*|*'<pos'*)
		for r in rep rep2; do
			case $cmd in
			*" $(srv_addr "$r")"*)
				[ "$(count "$r")" = "$(count src)" ] || {
					echo "$r has $(count "$r") rows, src $(count src)"
					return 1
				} ;;
			esac
		done ;;
	esac
}

test_expect 'servers start and replicate' '
	{ [ -f "$T/setup.ok" ] || { cat "$T/setup.log"; false; }; } &&
	repl-wait -t 30 --replica "$REP" "$REP2" </dev/null
'

mkdir -p "$T/work"
n=0
for p in "${pages[@]}"; do
	page=$(basename "$p")
	# A page whose examples need servers and data of their own has its
	# own examples test, t/NNNN-<tool>-examples.t, which runs them.
	own=("$TOP"/t/[0-9][0-9][0-9][0-9]-"${page%.*}"-examples.t)
	if [ -f "${own[0]}" ]; then
		test_expect "$page: examples run by ${own[0]##*/}" 'test -x "${own[0]}"'
		continue
	fi
	ex_extract "$p" "$T/ex/$page"
	test_expect "$page: has examples" '
		ls "$T/ex/$page"/ex/*/*.cmd >/dev/null 2>&1
	'
	for e in "$T/ex/$page"/ex/*/*.cmd; do
		[ -f "$e" ] || continue
		e=${e%.cmd}
		# Before a position is taken, something new on the source for
		# the replicas to catch up with.
		case $(cat "$e.cmd") in
		*repl-pos*)
			n=$((n + 1))
			srv_sql src "INSERT INTO d.t VALUES ($((n + 1)))" \
			    >/dev/null 2>&1 ;;
		esac
		why=$(mariadb_only "$(cat "$e.cmd")")
		if [ -n "$why" ]; then
			srv_only mariadb "$page: $(cat "$e.cmd")" "$why" || continue
		fi
		test_expect "$page: $(cat "$e.cmd")" 'run_example "$e"'
	done
done

# The healthcheck example also documents its failures: 124 on a server
# that is no replica, 1 on a replica whose SQL thread stopped on an error.
health=$(grep -h -- '--replica 127\.0\.0\.1' "$T"/ex/*/ex/*/*.cmd | head -n 1)

test_expect "the healthcheck on a server that is no replica: exit 124" '
	test -n "$health" &&
	cmd=$(printf "%s\n" "$health" | map "$SRC") && echo "\$ $cmd" &&
	(cd "$T/work" && expect_exit 124 bash -c "$cmd" </dev/null)
'

test_expect "the healthcheck on a broken replica: exit 1, Last_SQL_Error" '
	test -n "$health" &&
	srv_sql rep2 "SET sql_log_bin = 0; INSERT INTO d.t VALUES (1000)" &&
	srv_sql src "INSERT INTO d.t VALUES (1000)" &&
	wait_for 100 0.1 dup_stopped rep2 &&
	cmd=$(printf "%s\n" "$health" | map "$REP2") && echo "\$ $cmd" &&
	(cd "$T/work" && expect_exit 1 bash -c "$cmd" </dev/null 2>err) &&
	check_grep "$T/work/err" "$dup_error"
'

# Every coordinate line a page shows is one repl-wait accepts: it gets to
# connecting (and times out on a dead address) instead of exiting 2.
grep -h '^flavor=' "$MAN"/*.[1-8] | sort -u >"$T/lines"
while IFS= read -r line; do
	test_expect "repl-wait accepts the documented line: ${line:0:60}..." '
		printf "%s\n" "$line" >line &&
		expect_exit 124 repl-wait -t 0 "$DEAD" <line
	'
done <"$T/lines"

test_expect 'the pages show coordinate lines' 'test -s "$T/lines"'

done_testing
