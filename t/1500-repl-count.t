#!/bin/bash
# repl-count against real servers: a source and two replicas, equal,
# differing, down, behind, concurrent, and the output formats.
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'repl-count against servers'

# System tables every server of the flavor has, and their patterns: the
# accounts, and the GTID state the server keeps in a table.
if [ "$SRV_FLAVOR" = mysql ]; then
	PRIV_TABLE=mysql.user PRIV_RE='mysql\.user'
	GTID_RE='mysql\.gtid_executed'
else
	PRIV_TABLE=mysql.global_priv PRIV_RE='mysql\.global_priv'
	GTID_RE='mysql\.gtid_slave_pos'
fi

# fmt_table: rows of words on stdin, aligned as repl(1) says: the first
# column left, the servers right, the status last, two spaces between.
# (Names here are ASCII without blanks.)
fmt_table() {
	awk '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i
		if (length($i) > w[i]) w[i] = length($i) }
		n[NR] = NF; if (NF > nf) nf = NF }
	END { for (r = 1; r <= NR; r++) {
		line = sprintf("%-" w[1] "s", c[r, 1])
		for (i = 2; i < n[r]; i++)
			line = line sprintf("  %" w[i] "s", c[r, i])
		print line "  " c[r, n[r]] } }'
}

# expect_table FILE: FILE holds the table of the rows on stdin.
expect_table() {
	fmt_table >"$T/.table"
	diff -u "$T/.table" "$1" >&2
}

# sync_all: the replicas have applied all the source has written.
sync_all() {
	repl-pos -u rk "$SRC" >"$T/pos" &&
	repl-wait -u rk -t 30 "$R1" "$R2" <"$T/pos"
}

# The procedure hold_lock calls, made on the source and replicated (a
# procedure, not an anonymous block: MySQL has no BEGIN NOT ATOMIC): it
# waits (at most 20 s) until another session waits for a table lock,
# then S seconds more.
hold_sql() {
	cat <<'SQL'
DELIMITER //
CREATE PROCEDURE d.hold(s DOUBLE)
BEGIN
  DECLARE i INT DEFAULT 0;
  WHILE i < 400 AND (SELECT COUNT(*) FROM information_schema.PROCESSLIST
      WHERE STATE LIKE 'Waiting for table%') = 0 DO
    DO SLEEP(0.05);
    SET i = i + 1;
  END WHILE;
  DO SLEEP(s);
END//
DELIMITER ;
SQL
}

# hold_lock NAME TABLE SECONDS: in the background, a session that locks
# TABLE for writing on server NAME, waits (at most 20 s) until another
# session waits for the lock, then holds it SECONDS more; returns once
# the lock is held.
hold_lock() {
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -N -n \
	    >"$T/lock-$1.log" 2>&1 <<SQL &
LOCK TABLES $2 WRITE;
SELECT 'locked';
CALL d.hold($3);
UNLOCK TABLES;
SQL
	eval "lock_$1=\$!"
	wait_for 100 0.1 grep -q '^locked$' "$T/lock-$1.log" || {
		echo "hold_lock $1: no lock in 10 s:" && cat "$T/lock-$1.log"
		return 1
	}
}

# lock_done NAME: the locking session has ended, and well.
lock_done() {
	local pid
	eval "pid=\$lock_$1"
	wait "$pid" || {
		echo "lock_done $1: the session failed:" && cat "$T/lock-$1.log"
		return 1
	}
}

# elapsed CMD...: run CMD, put its wall time in ms into $ms; its status.
elapsed() {
	local t0 rc=0
	t0=$(now_ms)
	"$@" || rc=$?
	ms=$(($(now_ms) - t0))
	return $rc
}

# A server that accepts connections and never says a word.
cat >"$T/silent.pl" <<'PL'
use IO::Socket::INET;
my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $ARGV[0],
    Listen => 5, ReuseAddr => 1) or die "listen: $!";
my @held;
while (my $c = $s->accept) { push @held, $c }
PL

# The JSON of a round with three servers, the third down, and -d d.
cat >"$T/json.pl" <<'PL'
use JSON::PP;
my ($src, $dead) = @ARGV;
local $/;
my $j = decode_json(<STDIN>);
my @s = @{$j->{servers}};
my @t = @{$j->{tables}};
my %t = map { ("$_->{db}.$_->{table}" => $_) } @t;
$j->{time} =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/ or die "time\n";
!$j->{estimate} && $j->{exit} == 1 && $j->{status} eq 'differ'
    or die "round\n";
@s == 3 && $s[0]{server} eq $src && $s[0]{state} eq 'up' &&
    !exists $s[0]{error} && !exists $s[0]{caught_up} or die "servers\n";
$s[2]{server} eq $dead && $s[2]{state} eq 'down' &&
    $s[2]{error} =~ /^unable to connect to '\Q$dead\E': / or die "down\n";
join(',', map { "$_->{db}.$_->{table}" } @t) eq 'd.only,d.t,d.u'
    or die "order\n";
$t{'d.only'}{status} eq 'differ' or die "d.only\n";
join(',', @{$t{'d.only'}{rows}}) eq '0,missing,down' or die "rows\n";
$t{'d.u'}{rows}[0] == 1000 && $t{'d.u'}{rows}[1] == 1000 &&
    $t{'d.u'}{status} eq 'down' or die "d.u\n";
print "parsed\n";
PL

connections() {
	srv_sql src "SHOW GLOBAL STATUS LIKE 'Connections'" | cut -f2
}

test_expect 'a source and two replicas, with data, caught up' '
	srv_start src && srv_start rep1 && srv_start rep2 &&
	srv_replicate rep1 src && srv_replicate rep2 src &&
	SRC=$(srv_addr src) R1=$(srv_addr rep1) R2=$(srv_addr rep2) &&
	srv_sql src "CREATE DATABASE d; CREATE DATABASE e;
	    CREATE TABLE d.t (i INT PRIMARY KEY);
	    INSERT INTO d.t VALUES (1), (2), (3);
	    CREATE TABLE d.u (i INT PRIMARY KEY);
	    INSERT INTO d.u WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
	        SELECT i + 1 FROM s WHERE i < 1000) SELECT i FROM s;
	    CREATE TABLE e.v (i INT); INSERT INTO e.v VALUES (7);
	    CREATE VIEW d.w AS SELECT * FROM d.t" &&
	hold_sql | env -u MYSQL_PWD mariadb --no-defaults -S "$T/src/sock" -uroot &&
	repl-wait -u rk -t 30 --replica "$R1" "$R2" </dev/null &&
	sync_all
'
SRC=$(srv_addr src) R1=$(srv_addr rep1) R2=$(srv_addr rep2)

test_expect 'equal counts on a source and two replicas: exit 0, the table' '
	repl-count -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	expect_table out <<-EOF
	table $SRC $R1 $R2 status
	d.t 3 3 3 equal
	d.u 1000 1000 1000 equal
	e.v 1 1 1 equal
	EOF
'

if srv_only mariadb 'a sequence is not counted' 'sequences are MariaDB'"'"'s'; then
	test_expect 'a sequence is not counted' '
		srv_sql src "CREATE SEQUENCE e.seq" && sync_all &&
		test "$(srv_sql src "SELECT TABLE_TYPE FROM information_schema.TABLES
		    WHERE TABLE_SCHEMA = \"e\" AND TABLE_NAME = \"seq\"")" = SEQUENCE &&
		repl-count -u rk -d e "$SRC" "$R1" "$R2" >out 2>err &&
		check_empty err &&
		expect_table out <<-EOF
		table $SRC $R1 $R2 status
		e.v 1 1 1 equal
		EOF
	'
fi

test_expect 'a row deleted on a replica, not replicated: exit 1, that cell' '
	srv_sql rep1 "SET sql_log_bin = 0; DELETE FROM d.t WHERE i = 2" &&
	expect_exit 1 repl-count -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	expect_table out <<-EOF
	table $SRC $R1 $R2 status
	d.t 3 2 3 differ
	d.u 1000 1000 1000 equal
	e.v 1 1 1 equal
	EOF
'

test_expect '-q: the exit status only' '
	expect_exit 1 repl-count -q -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty out && check_empty err &&
	srv_sql rep1 "SET sql_log_bin = 0; INSERT INTO d.t VALUES (2)" &&
	repl-count -q -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty out && check_empty err
'

test_expect 'one server: its counts, exit 0' '
	repl-count -u rk -T d.t "$R2" >out 2>err &&
	expect_table out <<-EOF
	table $R2 status
	d.t 3 equal
	EOF
'

test_expect 'a replica killed: down, exit 3, at once' '
	srv_kill rep2 &&
	elapsed expect_exit 3 repl-count -u rk --connect-timeout 3 "$SRC" "$R1" "$R2" \
	    >out 2>err &&
	echo "took $ms ms" && test "$ms" -lt 5000 &&
	expect_table out <<-EOF &&
	table $SRC $R1 $R2 status
	d.t 3 3 down down
	d.u 1000 1000 down down
	e.v 1 1 down down
	EOF
	check_grep err "^repl-count: unable to connect to .$R2.: " &&
	test "$(wc -l <err)" = 1
'

test_expect 'a server that accepts and never answers: down within the connect timeout' '
	port=$(free_port) &&
	{ perl "$T/silent.pl" "$port" & } &&
	silent=$! &&
	wait_for 50 0.1 bash -c "echo >/dev/tcp/127.0.0.1/$port" &&
	elapsed expect_exit 3 repl-count -u rk --connect-timeout 3 -T d.t \
	    "$SRC" "127.0.0.1:$port" "$R1" >out 2>err
	rc=$?
	kill "$silent" && wait "$silent" 2>/dev/null
	echo "took $ms ms" && test "$rc" = 0 &&
	test "$ms" -ge 2900 && test "$ms" -lt 5000 &&
	expect_table out <<-EOF &&
	table $SRC 127.0.0.1:$port $R1 status
	d.t 3 down 3 down
	EOF
	check_grep err "unable to connect to .127.0.0.1:$port."
'

test_expect 'the replica restarted, written to meanwhile, --wait: exit 0' '
	srv_sql src "INSERT INTO d.t VALUES (4), (5)" &&
	srv_restart rep2 &&
	repl-count -u rk --wait -t 30 "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	expect_table out <<-EOF
	table $SRC $R1 $R2 status
	d.t 5 5 5 equal
	d.u 1000 1000 1000 equal
	e.v 1 1 1 equal
	EOF
'

test_expect 'a replica behind (SQL thread stopped): differs without --wait' '
	srv_sql rep1 "STOP REPLICA SQL_THREAD" &&
	srv_sql src "INSERT INTO d.t VALUES (6); DELETE FROM e.v" &&
	repl-pos -u rk "$SRC" >pos && repl-wait -u rk -t 30 "$R2" <pos &&
	expect_exit 1 repl-count -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	expect_table out <<-EOF
	table $SRC $R1 $R2 status
	d.t 6 5 6 differ
	d.u 1000 1000 1000 equal
	e.v 0 1 0 differ
	EOF
'

test_expect '--wait with a short timeout: says so, counts anyway, exit 1' '
	elapsed expect_exit 1 repl-count -u rk --wait -t 1 "$SRC" "$R1" "$R2" \
	    >out 2>err &&
	echo "took $ms ms" && test "$ms" -lt 5000 &&
	check_grep err "^repl-count: not caught up, counting anyway: .$R1. has not applied gtid" &&
	check_grep out "^d\.t +6 +5 +6 +differ$"
'

test_expect '... and with --wait, equal once the SQL thread runs again' '
	run_bg behind /dev/null repl-count -u rk --wait -t 30 "$SRC" "$R1" "$R2" &&
	sleep 1 && alive_bg behind &&
	srv_sql rep1 "START REPLICA SQL_THREAD" &&
	wait_bg behind &&
	check_empty behind.err &&
	expect_table behind.out <<-EOF
	table $SRC $R1 $R2 status
	d.t 6 6 6 equal
	d.u 1000 1000 1000 equal
	e.v 0 0 0 equal
	EOF
'

# alone NAME: count d.u on server NAME alone while it holds a lock;
# the time in ms_NAME.
alone() {
	hold_lock "$1" d.u 2 &&
	elapsed repl-count -u rk -T d.u "$(srv_addr "$1")" >"$T/one-$1" &&
	lock_done "$1" &&
	eval "ms_$1=\$ms"
}

# Each server holds a lock until repl-count waits for it, then 2 s more:
# one server alone takes about 2 s; three take about 2 s when counted at
# once, about 6 s one after the other.
test_expect 'concurrency: three slow servers take about as long as the slowest' '
	alone src && alone rep1 && alone rep2 &&
	sum=$((ms_src + ms_rep1 + ms_rep2)) &&
	slowest=$(printf "%s\n" "$ms_src" "$ms_rep1" "$ms_rep2" | sort -n | tail -n 1) &&
	hold_lock src d.u 2 && hold_lock rep1 d.u 2 && hold_lock rep2 d.u 2 &&
	elapsed repl-count -u rk -T d.u "$SRC" "$R1" "$R2" >out &&
	lock_done src && lock_done rep1 && lock_done rep2 &&
	echo "one at a time: src $ms_src ms, rep1 $ms_rep1 ms, rep2 $ms_rep2 ms" \
	    "(sum $sum ms, slowest $slowest ms); all three at once: $ms ms" >times &&
	cat times &&
	test "$slowest" -ge 1900 && test "$ms" -ge 1900 &&
	test "$ms" -lt $((2 * slowest + 1000)) && test "$ms" -lt $((sum - 1000)) &&
	check_grep out "^d\.u +1000 +1000 +1000 +equal$"
'
[ -f "$T/times" ] && sed 's/^/# /' "$T/times"

test_expect 'table selection: -d, -T, both, a table named twice' '
	repl-count -u rk -d e "$SRC" "$R1" >out &&
	expect_table out <<-EOF &&
	table $SRC $R1 status
	e.v 0 0 equal
	EOF
	repl-count -u rk -T d.u "$SRC" "$R1" >out &&
	expect_table out <<-EOF &&
	table $SRC $R1 status
	d.u 1000 1000 equal
	EOF
	repl-count -u rk -T d.t -d e -T d.t --table e.v "$SRC" "$R1" >out &&
	expect_table out <<-EOF &&
	table $SRC $R1 status
	d.t 6 6 equal
	e.v 0 0 equal
	EOF
	repl-count -u rk --database mysql "$SRC" >out &&
	check_grep out "^$PRIV_RE +[0-9]+ +equal$" &&
	check_grep out "^$GTID_RE "
'

test_expect 'names that need quoting: backticks, quotes, dots, UTF-8, SQL' '
	srv_sql src "CREATE DATABASE \`q\`\`s\`;
	    CREATE TABLE \`q\`\`s\`.\`we\`\`ird\` (i INT);
	    INSERT INTO \`q\`\`s\`.\`we\`\`ird\` VALUES (1), (2);
	    CREATE TABLE \`q\`\`s\`.\`it'"'"'s\` (i INT);
	    CREATE TABLE \`q\`\`s\`.\`a.b\` (i INT); INSERT INTO \`q\`\`s\`.\`a.b\` VALUES (1);
	    CREATE TABLE \`q\`\`s\`.\`tä\` (i INT); INSERT INTO \`q\`\`s\`.\`tä\` VALUES (1);
	    CREATE TABLE \`q\`\`s\`.\`x\`\`; DROP TABLE d.t; --\` (i INT)" &&
	sync_all &&
	repl-count -u rk -d "q\`s" "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	check_grep out "^q\`s\.a\.b +1 +1 +1 +equal$" &&
	check_grep out "^q\`s\.it.s +0 +0 +0 +equal$" &&
	check_grep out "^q\`s\.tä +1 +1 +1 +equal$" &&
	check_grep out "^q\`s\.we\`ird +2 +2 +2 +equal$" &&
	check_grep out "^q\`s\.x\`; DROP TABLE d\.t; -- +0 +0 +0 +equal$" &&
	test "$(wc -l <out)" = 6 &&
	repl-count -u rk -T "q\`s.we\`ird" --estimate "$SRC" "$R1" >out &&
	check_grep out "^q\`s\.we\`ird +~[0-9]+ +~[0-9]+ " &&
	test "$(srv_sql src "SELECT COUNT(*) FROM d.t")" = 6
'
test_expect 'a missing table: missing there, a difference (exit 1)' '
	srv_sql src "SET sql_log_bin = 0; CREATE TABLE d.only (i INT)" &&
	expect_exit 1 repl-count -u rk -d d -T d.nosuch "$SRC" "$R1" "$R2" \
	    >out 2>err &&
	check_empty err &&
	expect_table out <<-EOF
	table $SRC $R1 $R2 status
	d.nosuch missing missing missing missing
	d.only 0 missing missing differ
	d.t 6 6 6 equal
	d.u 1000 1000 1000 equal
	EOF
'

test_expect 'a -d schema without a table: said so, exit 1' '
	expect_exit 1 repl-count -u rk -d nosuchdb "$SRC" "$R1" >out 2>err &&
	expect_table out <<-EOF &&
	table $SRC $R1 status
	EOF
	check_grep err "^repl-count: no table in database .nosuchdb. on .$SRC.$"
'

test_expect '--json: one object per round, parsed by JSON::PP' '
	port=$(free_port) &&
	expect_exit 1 repl-count -u rk --json -d d "$SRC" "$R1" "127.0.0.1:$port" \
	    >out 2>err &&
	test "$(wc -l <out)" = 1 &&
	perl "$T/json.pl" "$SRC" "127.0.0.1:$port" <out >parsed &&
	check_file parsed parsed &&
	srv_sql src "ANALYZE TABLE d.u" >/dev/null && sync_all &&
	repl-count -u rk --json --wait --estimate -T d.u "$SRC" "$R1" >out &&
	perl -MJSON::PP -e "local \$/; my \$j = decode_json(<STDIN>);
	    \$j->{estimate} && \$j->{exit} == 0 &&
	    \$j->{servers}[1]{caught_up} &&
	    \$j->{tables}[0]{status} eq q(equal) or die qq(estimate\n)" <out
'

test_expect '--estimate: the engine statistics, marked with ~' '
	srv_sql src "ANALYZE TABLE d.t, d.u" >/dev/null && sync_all &&
	repl-count -u rk --estimate -T d.t -T d.u "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	expect_table out <<-EOF
	table $SRC $R1 $R2 status
	d.t ~6 ~6 ~6 equal
	d.u ~1000 ~1000 ~1000 equal
	EOF
'

test_expect '--watch with --rounds: a timestamped table per round' '
	elapsed repl-count -u rk --watch 0.3s --rounds 3 -T d.t "$SRC" "$R1" \
	    >out 2>err &&
	check_empty err &&
	echo "3 rounds every 0.3 s: $ms ms" && test "$ms" -ge 600 &&
	test "$(wc -l <out)" = 11 &&
	sed -n "1p;5p;9p" out >stamps &&
	test "$(grep -cE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" stamps)" = 3 &&
	sed -n "4p;8p" out >blank && test "$(tr -d "\n" <blank)" = "" &&
	grep -v "^[0-9]" out | grep -v "^$" >tables &&
	{ for i in 1 2 3; do fmt_table <<-EOF
	table $SRC $R1 status
	d.t 6 6 equal
	EOF
	done; } >want && diff -u want tables &&
	repl-count -u rk --json --watch 0.1s --rounds 2 -T d.t "$SRC" >out &&
	test "$(wc -l <out)" = 2 && check_grep out "^\{\"time\":"
'

test_expect '--watch: a replica killed shows down, then catches up' '
	run_bg watch /dev/null repl-count -u rk --wait -t 20 --watch 0.25s \
	    --rounds 60 -T d.t "$SRC" "$R1" "$R2" &&
	wait_for 100 0.1 grep -q "^d\.t  *6  *6  *6  *equal$" "$T/watch.out" &&
	srv_kill rep2 &&
	srv_sql src "INSERT INTO d.t VALUES (7)" &&
	wait_for 100 0.1 grep -q "^d\.t  *7  *7  *down  *down$" "$T/watch.out" &&
	srv_restart rep2 &&
	wait_for 300 0.1 grep -q "^d\.t  *7  *7  *7  *equal$" "$T/watch.out" &&
	wait_bg watch &&
	check_grep watch.err "unable to connect to .$R2." &&
	tail -n 1 watch.out >last &&
	check_grep last "^d\.t +7 +7 +7 +equal$"
'

test_expect 'a refused login: exit 2, every server down' '
	MYSQL_PWD=wrong expect_exit 2 repl-count -u rk "$SRC" "$R1" >out 2>err &&
	check_grep err "unable to connect to .$SRC.: Access denied for user .rk." &&
	expect_table out <<-EOF
	table $SRC $R1 status
	EOF
'

test_expect '--wait with a first server without binary log: exit 2, says why' '
	srv_start nobin --skip-log-bin &&
	expect_exit 2 repl-count -u rk --wait -T "$PRIV_TABLE" \
	    "$(srv_addr nobin)" "$SRC" >out 2>err &&
	check_grep err "^repl-count: .$(srv_addr nobin). has binary logging disabled" &&
	check_grep out "^$PRIV_RE +[0-9]+ +[0-9]+ +equal$"
'

# bad EXPECTED-MESSAGE ARGS...: exit 2, nothing on stdout, the message.
bad() {
	local msg=$1 rc=0
	shift
	repl-count -u rk "$@" >out 2>err </dev/null || rc=$?
	[ "$rc" = 2 ] || { echo "repl-count $*: exit $rc, expected 2"; return 1; }
	check_empty out && check_grep err "$msg"
}

test_expect 'bad input: exit 2, a message, and nothing sent' '
	before=$(connections) &&
	bad "^usage: repl-count " --no-such-option "$SRC" &&
	bad "^usage: repl-count " -x "$SRC" &&
	bad "invalid timeout .5x." -t 5x "$SRC" &&
	bad "invalid timeout .d.t.: .*-T db.table" -t d.t "$SRC" &&
	bad "invalid timeout .-1." --timeout=-1 "$SRC" &&
	bad "invalid table .a\.b\.c.: expected db.table" -T a.b.c "$SRC" &&
	bad "invalid table ..: expected" -T "" "$SRC" &&
	bad "invalid table .d.: expected" -T d "$SRC" &&
	bad "invalid table .\.t." -T .t "$SRC" &&
	bad "invalid table .d\.." -T d. "$SRC" &&
	bad "invalid table" -T "$(printf "d.t\\nx")" "$SRC" &&
	bad "invalid table" -T "d.$(printf "\\344")" "$SRC" &&
	bad "invalid table" -T "d.$(printf "%065d" 0)" "$SRC" &&
	bad "invalid database ..: expected a name" -d "" "$SRC" &&
	bad "invalid database" -d "$(printf "a\\tb")" "$SRC" &&
	bad "invalid --watch .0." --watch 0 "$SRC" &&
	bad "invalid --watch .x." --watch x "$SRC" &&
	bad "invalid --rounds .0." --watch 1 --rounds 0 "$SRC" &&
	bad "invalid --rounds .1x." --watch 1 --rounds 1x "$SRC" &&
	bad "invalid --rounds .-1." --watch 1 --rounds -1 "$SRC" &&
	bad "invalid --rounds .99999999999." --watch 1 --rounds 99999999999 "$SRC" &&
	bad "--rounds goes with --watch" --rounds 2 "$SRC" &&
	bad "expected at least one server" -T d.t &&
	bad "invalid" "bad host!" &&
	bad "invalid" "$SRC" "127.0.0.1:99999" &&
	bad "invalid --connect-timeout" --connect-timeout 0 "$SRC" &&
	bad "(VERIFY_CA and VERIFY_IDENTITY need --ssl-ca|no TLS support)" \
	    --ssl-mode VERIFY_CA "$SRC" &&
	after=$(connections) &&
	echo "connections before $before, after $after" &&
	test "$after" = $((before + 1)) &&
	test "$(srv_sql src "SELECT COUNT(*) FROM d.t")" = 7
'

done_testing
