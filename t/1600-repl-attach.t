#!/bin/bash
# repl-attach against real servers: the seeds' set-ups and faults.
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-attach against servers'

printf '%s\n' "$REPL_PASS" >"$T/replpw"
printf 'wrong\n' >"$T/badpw"
ATTACH="repl-attach -u rk -t 30 --repl-password-file $T/replpw"

# MariaDB 11.x replicas ask for TLS by default (MASTER_SSL=1), and the
# harness starts servers without it: these offer it, as a real 11.8 does.
SSL=
[ "$SRV_SERVER" = mariadb-11.8 ] && SSL=--ssl

# status NAME: the replica status, without fields that move by themselves
# (either flavor's names); a failed query fails.
status() {
	local s
	s=$(env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -E \
	    -e "SHOW REPLICA STATUS") || return 1
	printf '%s\n' "$s" |
	    grep -v -E "Seconds_Behind|_SQL_Running_State|Read_(Master|Source)_Log_Pos|Exec_(Master|Source)_Log_Pos|Relay_Log_Pos|Relay_Log_Space|Gtid_IO_Pos|_IO_State"
	return 0
}

# no_replica NAME: NAME has no replica status row (never set up).
no_replica() {
	local s
	s=$(srv_sql "$1" "SHOW REPLICA STATUS") && test -z "$s"
}

# using_gtid NAME: how the replica finds its position: Slave_Pos/No on
# MariaDB (Using_Gtid), 1/0 on MySQL (Auto_Position).
using_gtid() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_status "$1" Auto_Position
	else
		srv_status "$1" Using_Gtid
	fi
}
if [ "$SRV_FLAVOR" = mysql ]; then
	BY_GTID=1 BY_POS=0
	GTID_RE='[0-9a-f-]{36}:1-[0-9]+'
else
	BY_GTID=Slave_Pos BY_POS=No
	GTID_RE='0-[0-9]+-[0-9]+'
fi

# binlog_file NAME: the binary log NAME writes now.
binlog_file() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql "$1" "SHOW BINARY LOG STATUS" | cut -f1
	else
		srv_sql "$1" "SHOW MASTER STATUS" | cut -f1
	fi
}

# purge_binlogs NAME: a new binary log with one more row, every older
# one purged (what the source of the issue had done).
purge_binlogs() {
	local last
	srv_sql "$1" "FLUSH BINARY LOGS; INSERT INTO d.t (v) VALUES (\"p\");
	    FLUSH BINARY LOGS" &&
	last=$(binlog_file "$1") && test -n "$last" &&
	srv_sql "$1" "PURGE BINARY LOGS TO \"$last\"" &&
	if [ "$SRV_FLAVOR" = mysql ]; then
		test -n "$(srv_sql "$1" "SELECT @@GLOBAL.gtid_purged")"
	fi
}

# A TCP relay to a server that holds back each answer of the server by
# a delay: between the replica's "IO thread running" and the source's
# answer to its dump request there is then time to see it.
cat >"$T/slow.pl" <<'PL'
use IO::Socket::INET;
my ($port, $to, $delay) = @ARGV;
$SIG{CHLD} = 'IGNORE';
my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port,
    Listen => 16, ReuseAddr => 1) or die "listen: $!";
while (my $c = $s->accept) {
	my $u = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $to) or do { close $c; next };
	for my $d ([$c, $u, 0], [$u, $c, $delay]) {
		next if fork;
		my ($from, $into, $wait) = @$d;
		my $buf;
		while (sysread($from, $buf, 65536)) {
			select(undef, undef, undef, $wait) if $wait;
			syswrite($into, $buf) or last;
		}
		shutdown($into, 1);
		exit 0;
	}
	close $c;
	close $u;
}
PL

rows() {
	srv_sql "$1" "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM d.t"
}

test_expect 'a source with data written before the replica existed' '
	srv_start src $SSL && srv_start rep $SSL &&
	SRC=$(srv_addr src) && REP=$(srv_addr rep) &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(20)); INSERT INTO d.t (v) VALUES (\"a\"),(\"b\"),(\"c\")"
'

test_expect 'attach by GTID: old and new rows reach the replica' '
	repl-pos -u rk "$SRC" >pos &&
	$ATTACH "$REP" <pos >out 2>err &&
	check_empty out && check_empty err &&
	test "$(using_gtid rep)" = "$BY_GTID" &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"d\")" &&
	repl-pos -u rk "$SRC" >pos2 &&
	repl-wait -u rk -t 30 "$REP" <pos2 &&
	test "$(rows src)" = "$(rows rep)" && test "$(rows rep)" = "4	10"
'

test_expect 'idempotent: a second run changes nothing, says so with -v, exits 0' '
	status rep >before && test -s before &&
	$ATTACH -v "$REP" <pos >out 2>err &&
	status rep >after &&
	diff before after &&
	check_grep err "already replicates from .127.0.0.1:[0-9]+.: nothing changed"
'

# What -n prints, in this flavor's dialect (MySQL 8.4+: the new words,
# and the source's RSA key asked for, caching_sha2_password over TCP).
if [ "$SRV_FLAVOR" = mysql ]; then
	DRY_OUT="STOP REPLICA;
CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=@P@, SOURCE_USER='repl', SOURCE_PASSWORD='***', GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1;
START REPLICA;"
else
	DRY_OUT="STOP SLAVE;
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=@P@, MASTER_USER='repl', MASTER_PASSWORD='***', MASTER_USE_GTID=slave_pos;
START SLAVE;"
fi

test_expect '-n prints the statements, password masked, and changes nothing' '
	srv_start dry $SSL && DRY=$(srv_addr dry) &&
	$ATTACH -n "$DRY" <pos >out 2>err &&
	check_file out "${DRY_OUT//@P@/$(cat "$T/src/port")}" &&
	! grep -q "$REPL_PASS" out err &&
	no_replica dry
'

test_expect 'wrong replication password: exit 1 at once with the IO error' '
	t0=$(now_ms) &&
	expect_exit 1 repl-attach -u rk -t 30 --repl-password-file "$T/badpw" "$DRY" <pos 2>err &&
	t1=$(now_ms) && test $((t1 - t0)) -lt 20000 &&
	check_grep err "IO thread cannot connect to the source: error 1045: .*Access denied for user .repl."
'

test_expect 'fixed password: the same command now attaches' '
	$ATTACH "$DRY" <pos && repl-wait -u rk -t 30 "$DRY" <pos2 &&
	test "$(rows dry)" = "$(rows src)"
'

test_expect 'the source itself, or a same server_id: exit 2, untouched' '
	status src >before &&
	expect_exit 2 $ATTACH "$SRC" <pos 2>err &&
	check_grep err "has server_id 1, the same as the source" &&
	status src >after && diff before after
'

test_expect 'already replicating from another source: exit 2 without --force' '
	srv_start other $SSL && OTHER=$(srv_addr other) &&
	repl-pos -u rk "$OTHER" >other.pos &&
	status rep >before &&
	expect_exit 2 $ATTACH "$REP" <other.pos 2>err &&
	check_grep err "already replicates from .127.0.0.1:[0-9]+., not .127.0.0.1:[0-9]+.: give --force" &&
	status rep >after && diff before after
'

test_expect 'bad input: exit 2 and the replica exactly as before' '
	status rep >before && test -s before &&
	printf "garbage\n" >bad1 &&
	expect_exit 2 $ATTACH "$REP" <bad1 2>err &&
	printf "flavor=$SRV_FLAVOR host=127.0.0.1 port=1 file=x'"'"';STOP/**/SLAVE;-- pos=4\n" >bad2 &&
	expect_exit 2 $ATTACH --no-gtid "$REP" <bad2 2>err &&
	printf "flavor=mariadb gtid=0-1-1\n" >bad3 &&
	expect_exit 2 $ATTACH "$REP" <bad3 2>err && check_grep err "names no host" &&
	: >empty && expect_exit 2 $ATTACH "$REP" <empty 2>err &&
	expect_exit 2 $ATTACH "$REP" </dev/null 2>err &&
	check_grep err "no coordinate line on standard input and no --source" &&
	expect_exit 2 $ATTACH --source "127.0.0.1:1;x" "$REP" </dev/null 2>err &&
	expect_exit 2 $ATTACH --source 127.0.0.1:1 --gtid "0-1-1'"'"'" "$REP" </dev/null 2>err &&
	expect_exit 2 $ATTACH --no-gtid --at-position "$REP" <pos 2>err &&
	expect_exit 2 $ATTACH --no-gtid --source 127.0.0.1:1 --gtid 0-1-1 "$REP" </dev/null 2>err &&
	check_grep err "needs a file and position" &&
	status rep >after && diff before after
'

test_expect 'the source purged its early binlogs: empty replica refused, untouched' '
	srv_start purged $SSL && PURGED=$(srv_addr purged) &&
	purge_binlogs src &&
	repl-pos -u rk "$SRC" >pos3 &&
	srv_gtid purged >gtid.before &&
	expect_exit 2 $ATTACH "$PURGED" <pos3 2>err &&
	check_grep err "has purged the binary logs .* load the replica from a snapshot first \(repl-clone\), then attach with --at-position" &&
	no_replica purged &&
	srv_gtid purged >gtid.after && diff gtid.before gtid.after
'

test_expect 'a dump loaded with binary logging on is seen as errant: exit 2, untouched' '
	srv_start errant $SSL && ERRANT=$(srv_addr errant) &&
	env -u MYSQL_PWD mariadb-dump --no-defaults -S "$T/src/sock" -uroot \
	    --databases d >dump0.sql &&
	repl-pos -u rk "$SRC" >pos0 &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/errant/sock" -uroot <dump0.sql &&
	srv_gtid errant >gtid.before &&
	expect_exit 2 $ATTACH "$ERRANT" <pos0 2>err &&
	check_grep err "has transactions? $GTID_RE that the source \(at $GTID_RE\) never had" &&
	expect_exit 2 $ATTACH --at-position "$ERRANT" <pos0 2>err &&
	check_grep err "has transactions? $GTID_RE that the source \(at $GTID_RE\) never had" &&
	no_replica errant &&
	srv_gtid errant >gtid.after && diff gtid.before gtid.after
'

test_expect 'the source refuses the dump after the IO thread runs (its history purged, unseen by the check): exit 1, not 0' '
	srv_start hidden $SSL && srv_start late $SSL && LATE=$(srv_addr late) &&
	srv_sql hidden "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(20))" &&
	purge_binlogs hidden &&
	srv_sql hidden "DROP USER rk@\"127.0.0.1\"" &&
	port=$(free_port) &&
	{ perl "$T/slow.pl" "$port" "$(cat "$T/hidden/port")" 0.5 & } &&
	slow=$! &&
	wait_for 50 0.1 bash -c "echo >/dev/tcp/127.0.0.1/$port" &&
	echo "flavor=$SRV_FLAVOR host=127.0.0.1 port=$port gtid=$(srv_gtid hidden)" >hidden.pos &&
	expect_exit 1 $ATTACH -v "$LATE" <hidden.pos 2>err
	rc=$?
	kill "$slow"
	test "$rc" = 0 &&
	check_grep err "not checking the source.s binary logs: .*Access denied for user .rk." &&
	check_grep err "^repl-attach: .$LATE.: IO thread (stopped|cannot connect to the source): error [0-9]+: Got fatal error 1236 from (master|source) when reading data from binary log" &&
	! grep -q "replicates from" err
'

test_expect '--at-position after loading a dump taken at that position' '
	env -u MYSQL_PWD mariadb-dump --no-defaults -S "$T/src/sock" -uroot \
	    --databases d >dump.sql &&
	repl-pos -u rk "$SRC" >pos4 &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/purged/sock" -uroot \
	    --init-command="SET sql_log_bin=0" <dump.sql &&
	$ATTACH --at-position "$PURGED" <pos4 &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"f\")" &&
	repl-pos -u rk "$SRC" >pos5 &&
	repl-wait -u rk -t 30 "$PURGED" <pos5 &&
	test "$(rows purged)" = "$(rows src)"
'

# A replica attached with --no-gtid has not the GTIDs of what it was
# loaded with or skipped (MySQL's gtid_executed): wait by file and position.
test_expect '--no-gtid on a replica loaded from a dump at the position' '
	srv_start fp $SSL && FP=$(srv_addr fp) &&
	env -u MYSQL_PWD mariadb-dump --no-defaults -S "$T/src/sock" -uroot \
	    --databases d >dump2.sql &&
	repl-pos -u rk "$SRC" >pos6 &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/fp/sock" -uroot \
	    --init-command="SET sql_log_bin=0" <dump2.sql &&
	$ATTACH --no-gtid "$FP" <pos6 &&
	test "$(using_gtid fp)" = "$BY_POS" &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"g\")" &&
	repl-pos -u rk "$SRC" >pos7 &&
	sed "s/ gtid=[^ ]*//" pos7 >pos7.file &&
	repl-wait -u rk -t 30 "$FP" <pos7.file &&
	test "$(rows fp)" = "$(rows src)"
'

test_expect '--no-gtid on an empty replica skips the history (the man page warns)' '
	srv_start blank $SSL && EMPTY=$(srv_addr blank) &&
	srv_sql blank "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(20))" &&
	repl-pos -u rk "$SRC" >pos8 &&
	$ATTACH --no-gtid "$EMPTY" <pos8 &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"h\")" &&
	repl-pos -u rk "$SRC" >pos9 &&
	sed "s/ gtid=[^ ]*//" pos9 >pos9.file && ! grep -q gtid= pos9.file &&
	repl-wait -u rk -t 30 "$EMPTY" <pos9.file &&
	test "$(srv_sql blank "SELECT COUNT(*) FROM d.t")" = 1
'

test_expect '--no-gtid again on a stopped replica: started where it is, nothing skipped' '
	srv_sql fp "STOP REPLICA" &&
	srv_sql src "INSERT INTO d.t (v) VALUES (\"i\")" &&
	repl-pos -u rk "$SRC" >pos10 &&
	$ATTACH -v --no-gtid "$FP" <pos10 2>err &&
	check_grep err "set up for .127.0.0.1:[0-9]+. but stopped: starting it where it is" &&
	sed "s/ gtid=[^ ]*//" pos10 >pos10.file &&
	repl-wait -u rk -t 30 "$FP" <pos10.file &&
	test "$(rows fp)" = "$(rows src)"
'

test_expect '--no-gtid at a file the source has purged: exit 1 with its refusal, not 0' '
	srv_start gone $SSL && srv_start behind $SSL &&
	srv_sql gone "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(20))" &&
	repl-pos -u rk "$(srv_addr gone)" >pos11 &&
	purge_binlogs gone &&
	sed "s/ gtid=[^ ]*//" pos11 >pos11.file &&
	expect_exit 1 $ATTACH --no-gtid "$(srv_addr behind)" <pos11.file 2>err11 &&
	check_grep err11 "1236" &&
	! grep -q "replicates from" err11
'

test_expect '-q: usage errors print nothing either' '
	expect_exit 2 $ATTACH -q -t nonsense "$REP" </dev/null >out 2>err &&
	check_empty out && check_empty err
'

done_testing
