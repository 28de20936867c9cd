#!/bin/bash
# repl-clone against real servers: a replica made from a source with data
# whose early binary logs are gone, with a writer running all along;
# every kind of column and object copied; the refusals that change
# nothing; and the faults (the source, the replica or a connection lost
# half-way), after which the replica is marked and repl-attach refuses it.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
# shellcheck source=t/lib/clone.sh
. "$TOP/t/lib/clone.sh"
srv_require 'repl-clone against servers'

printf '%s\n' "$REPL_PASS" >"$T/replpw"
ATTACH="repl-attach -u rk -t 60 --repl-password-file $T/replpw"
CLONE="repl-clone -u rk -t 60"
trap 'touch "$T/stop"; srv_cleanup' EXIT

# MariaDB 11.x replicas ask for TLS by default: these servers offer it.
SSL=
[ "$SRV_SERVER" = mariadb-11.8 ] && SSL=--ssl
if [ "$SRV_FLAVOR" = mysql ]; then
	CTE=cte_max_recursion_depth SHOWLOG="SHOW BINARY LOG STATUS"
else
	CTE=max_recursive_iterations SHOWLOG="SHOW MASTER STATUS"
fi

# sql NAME SQL: SQL in utf8mb4 as root (the output is compared, not read).
sql() {
	srv_sql "$1" "SET NAMES utf8mb4; $2"
}

# shown NAME OBJECT: SHOW CREATE OBJECT without the time it was made.
shown() {
	sql "$1" "SHOW CREATE $2" | sed -E 's/\t[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+$//'
}

# loading NAME: a LOAD DATA of repl-clone runs on NAME now.
loading() {
	test -n "$(srv_sql "$1" "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE INFO LIKE 'LOAD DATA LOCAL%'")"
}

{ echo "SET NAMES utf8mb4; SET SESSION $CTE = 1000000;"; cat <<'SQL'; } >"$T/setup.sql"
CREATE DATABASE d CHARACTER SET utf8mb4;
CREATE TABLE d.t (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL,
    pad CHAR(60) NOT NULL, KEY (k));
INSERT INTO d.t WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM s WHERE i < 250000)
    SELECT i, i * 7 % 1000, REPEAT(CHAR(97 + i % 26), 100), 'pad' FROM s;
CREATE TABLE d.w (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL);
CREATE TABLE d.nokey (a INT, b TEXT);
INSERT INTO d.nokey VALUES (1, 'a\tb\\c\nd'), (1, 'a\tb\\c\nd'), (NULL, NULL),
    (2, ''), (3, '\\N'), (4, 'N');
CREATE TABLE d.zero (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
INSERT INTO d.zero VALUES (5, 5);
UPDATE d.zero SET id = 0;
CREATE TABLE d.kinds (id BIGINT UNSIGNED PRIMARY KEY, b BIT(10), j JSON,
    f FLOAT, dd DOUBLE, dec1 DECIMAL(30,10), dt DATETIME(6),
    ts TIMESTAMP(3) NULL, y YEAR, tm TIME(2), bin VARBINARY(20),
    fb BINARY(4), bl BLOB, e ENUM('a','b'), s SET('x','y'),
    u VARCHAR(20) CHARACTER SET utf8mb4, l VARCHAR(20) CHARACTER SET latin1,
    r VARCHAR(10) CHARACTER SET cp1251, tx TEXT, g BIGINT UNSIGNED AS (id DIV 2) VIRTUAL,
    gs VARCHAR(30) AS (CONCAT('<', u, '>')) STORED, inv INT INVISIBLE);
INSERT INTO d.kinds (id, b, j, f, dd, dec1, dt, ts, y, tm, bin, fb, bl, e, s,
    u, l, r, tx, inv) VALUES
    (1, b'1010101010', '{"a": [1, 2.5, "x"]}', 0.1, 0.1,
     12345678901234567890.0123456789, '2020-01-02 03:04:05.123456',
     '2021-01-01 00:00:00.5', 2155, '-838:59:58.99', X'000A0D095C09',
     X'00FF0001', X'5C4E000D0A', 'b', 'x,y', 'tä 😀', 'café', 'Ж',
     'line\nnext', 7),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, b'0', 'null', -3.4e38, 1.7976931348623157e308, -0.0000000001,
     '1000-01-01 00:00:00', '1970-01-01 00:00:01', 1901, '00:00:00',
     '', X'00000000', '', 'a', '', '', '', '', '', 0),
    (18446744073709551615, b'1111111111', '[]', 1.5, -2.5e-300, 1, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE d.parent (id INT PRIMARY KEY);
CREATE TABLE d.child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p)
    REFERENCES d.parent (id));
INSERT INTO d.parent VALUES (1), (2);
INSERT INTO d.child VALUES (10, 1), (11, 2), (12, NULL);
CREATE TABLE d.my (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE = MyISAM;
INSERT INTO d.my VALUES (1, 'one'), (2, 'two');
CREATE VIEW d.v1 AS SELECT id, k FROM d.t WHERE id < 10;
CREATE VIEW d.v0 AS SELECT COUNT(*) AS n FROM d.v1;
CREATE TRIGGER d.tr BEFORE INSERT ON d.child FOR EACH ROW
    SET NEW.p = COALESCE(NEW.p, 1);
CREATE PROCEDURE d.p (IN x INT) SELECT x + 1 AS y;
CREATE FUNCTION d.f (x INT) RETURNS VARCHAR(10) DETERMINISTIC
    RETURN CONCAT('é', x);
CREATE EVENT d.e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM d.nokey WHERE a = 99;
CREATE DATABASE other CHARACTER SET latin1;
CREATE TABLE other.o (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO other.o VALUES (1, 'x');
CREATE DATABASE emptydb;
ANALYZE TABLE d.t;
SQL

test_expect 'a source with data, its early binary logs purged' '
	srv_start src $SSL && srv_start rep $SSL && srv_start rep2 $SSL &&
	SRC=$(srv_addr src) REP=$(srv_addr rep) REP2=$(srv_addr rep2) &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/src/sock" -uroot \
	    <"$T/setup.sql" >/dev/null &&
	srv_sql src "FLUSH BINARY LOGS" &&
	last=$(srv_sql src "$SHOWLOG" | cut -f1) &&
	srv_sql src "PURGE BINARY LOGS TO \"$last\""
'

test_expect 'an empty replica cannot simply be attached: the source has purged its history' '
	repl-pos -u rk "$SRC" >pos0 &&
	fails 2 $ATTACH "$REP" <pos0 &&
	check_grep err "snapshot"
'

test_expect '-n: the plan, and nothing changed' '
	state rep >before &&
	{ $CLONE -n "$SRC" "$REP" >plan 2>err || { cat err; false; }; } &&
	check_empty err &&
	check_grep plan "^create database d$" &&
	check_grep plan "^copy table d\.t engine InnoDB rows [0-9]+ bytes [0-9]+ parts [0-9]+$" &&
	check_grep plan "^copy table d\.my engine MyISAM .*no transactions" &&
	check_grep plan "^create VIEW d\.v0$" &&
	check_grep plan "^create EVENT d\.e$" &&
	state rep >after && diff before after
'

test_expect 'clone while a writer runs, then attach at its position' '
	rm -f "$T/stop" && { writer & } && wpid=$! &&
	{ $CLONE "$SRC" "$REP" >pos 2>err || { cat err; false; }; } &&
	test "$(wc -l <pos)" = 1 &&
	check_grep pos "^flavor=$SRV_FLAVOR host=127\.0\.0\.1 port=${SRC##*:} " &&
	check_grep err "copied [0-9]+ tables, [0-9]+ rows" &&
	$ATTACH --at-position "$REP" <pos &&
	sleep 1 && touch "$T/stop" && wait "$wpid" &&
	test "$(srv_sql src "SELECT COUNT(*) FROM d.w")" -gt 0 &&
	repl-pos -u rk "$SRC" >pos2 && repl-wait -u rk -t 60 "$REP" <pos2
'

test_expect 'nothing lost, nothing twice: repl-diff is clean' '
	{ repl-diff -u rk "$SRC" "$REP" >out 2>err || { cat out err; false; }; } &&
	check_empty out &&
	test "$(srv_sql rep "SELECT COUNT(*), SUM(v) FROM d.w")" = \
	    "$(srv_sql src "SELECT COUNT(*), SUM(v) FROM d.w")"
'

test_expect 'every column kind: the same bytes, generated columns computed' '
	q="SELECT id, HEX(b), j, HEX(f), HEX(dd), dec1, dt, UNIX_TIMESTAMP(ts),
	    y, tm, HEX(bin), HEX(fb), HEX(bl), e, s, HEX(u), HEX(l), HEX(r),
	    HEX(tx), g, HEX(gs), inv FROM d.kinds ORDER BY id" &&
	sql src "$q" >a && sql rep "$q" >b && diff a b &&
	test "$(wc -l <b)" = 4 &&
	test "$(sql rep "SELECT HEX(u), HEX(l), HEX(r) FROM d.kinds WHERE id = 1")" = \
	    "74C3A420F09F9880	636166E9	C6" &&
	sql src "SELECT * FROM d.nokey ORDER BY 1, 2" >a &&
	sql rep "SELECT * FROM d.nokey ORDER BY 1, 2" >b && diff a b &&
	test "$(sql rep "SELECT id, v FROM d.zero")" = "0	5" &&
	test "$(sql rep "SELECT COUNT(*) FROM d.my")" = 2
'

test_expect 'every object: the same definitions, the event disabled on the replica' '
	(for o in "TABLE d.kinds" "TABLE d.child" "VIEW d.v1" "VIEW d.v0" \
	    "TRIGGER d.tr" "PROCEDURE d.p" "FUNCTION d.f" "DATABASE other"; do
		shown src "$o" >a && shown rep "$o" >b && diff a b || exit 1
	done) &&
	test "$(sql rep "SELECT d.f(3)")" = "é3" &&
	shown src "EVENT d.e" | sed "s/ ENABLE / DISABLE ON X /" >a &&
	shown rep "EVENT d.e" | sed -E "s/ DISABLE ON (SLAVE|REPLICA) / DISABLE ON X /" >b &&
	diff a b &&
	srv_sql rep "SELECT STATUS FROM information_schema.EVENTS" >st &&
	check_grep st "^(SLAVESIDE|REPLICA_SIDE)_DISABLED$" &&
	test "$(srv_sql rep "SHOW DATABASES LIKE \"emptydb\"")" = emptydb &&
	! marked rep
'

test_expect 'refused: a replica that replicates; nothing changed' '
	refused rep "replicates from" $CLONE "$SRC" "$REP"
'

test_expect 'refused: the source itself' '
	refused src "server_id|server_uuid" $CLONE "$SRC" "$SRC"
'

test_expect 'refused: a replica with tables of its own; --force drops them' '
	srv_sql rep2 "SET sql_log_bin = 0; CREATE DATABASE mine;
	    CREATE TABLE mine.x (i INT)" &&
	refused rep2 "holds tables in mine.*--force" $CLONE "$SRC" "$REP2" &&
	$CLONE --force --json -d other "$SRC" "$REP2" >out 2>err &&
	check_grep err "dropping database .mine." &&
	test "$(srv_sql rep2 "SHOW DATABASES LIKE \"mine\"")" = "" &&
	test "$(srv_sql rep2 "SELECT v FROM other.o")" = x &&
	test "$(wc -l <out)" = 1 &&
	check_grep out "^\{\"flavor\":\"$SRV_FLAVOR\",\"host\":\"127\.0\.0\.1\",.*\"gtid\":\"[^\"]+\".*,\"method\":\"logical\",\"tables\":1,\"rows\":1,\"bytes\":[0-9]+,\"ms\":[0-9]+\}$"
'

test_expect 'refused: bad input; nothing sent' '
	fails 2 repl-clone -u rk -j 0 "$SRC" "$REP2" &&
	check_grep err "invalid -j" &&
	fails 2 repl-clone -u rk "$SRC" &&
	check_grep err "expected a source and a replica" &&
	fails 2 repl-clone -u rk -d d -T d.t "$SRC" "$REP2" &&
	fails 2 repl-clone -u rk --password=hunter2 "$SRC" "$REP2" &&
	! grep -q hunter2 err &&
	fails 2 repl-clone -u rk -t 1x "$SRC" "$REP2" &&
	state rep2 >before &&
	fails 2 $CLONE -d nosuchdb "$SRC" "$REP2" &&
	check_empty out && check_grep err "no database .nosuchdb." &&
	fails 2 $CLONE -T d.nosuch "$SRC" "$REP2" &&
	check_grep err "no table" &&
	state rep2 >after && diff before after
'

test_expect 'refused: no RELOAD on the source, where a lock is needed; nothing changed' '
	(for s in src rep2; do
		srv_sql "$s" "SET sql_log_bin = 0; CREATE USER weak@\"127.0.0.1\"
		    IDENTIFIED BY \"weak-pw\"; GRANT SELECT, SHOW VIEW, TRIGGER,
		    EVENT, REPLICATION CLIENT ON *.* TO weak@\"127.0.0.1\"" ||
		    exit 1
	done) &&
	srv_sql rep2 "SET sql_log_bin = 0; GRANT ALL ON *.* TO
	    weak@\"127.0.0.1\"" &&
	state rep2 >before &&
	state src >srcbefore &&
	MYSQL_PWD=weak-pw fails 2 repl-clone -u weak --force -d d "$SRC" \
	    "$REP2" &&
	check_empty out && check_grep err "RELOAD" &&
	state rep2 >after && diff before after &&
	state src >srcafter && diff srcbefore srcafter
'

{ echo "SET SESSION $CTE = 1000000;"; cat <<'SQL'; } >"$T/big.sql"
CREATE DATABASE big;
CREATE TABLE big.b (id INT PRIMARY KEY, c CHAR(200) NOT NULL);
INSERT INTO big.b WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM s WHERE i < 400000) SELECT i, REPEAT('b', 200) FROM s;
ANALYZE TABLE big.b;
SQL

# fault NAME ACTION: a clone of big into NAME in the background; once a
# LOAD DATA runs on NAME, ACTION; the clone must fail with no line and
# exit 3 (a connection lost or killed).
fault() {
	run_bg clone /dev/null repl-clone -u rk -t 60 -q -j 2 -d big "$SRC" "$(srv_addr "$1")" &&
	wait_for 600 0.02 loading "$1" &&
	alive_bg clone && eval "$2" &&
	{ wait_bg clone; rc=$?; test "$rc" = 3 ||
	    { echo "exit $rc, expected 3"; cat "$T/clone.err"; false; }; } &&
	check_empty "$T/clone.out" && cat "$T/clone.err" &&
	check_grep "$T/clone.err" "incomplete clone"
}

test_expect 'fault: the source killed mid-copy; the replica is marked and repl-attach refuses it' '
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/src/sock" -uroot \
	    <"$T/big.sql" >/dev/null &&
	srv_start rep3 $SSL && REP3=$(srv_addr rep3) &&
	fault rep3 "srv_kill src" &&
	marked rep3 &&
	srv_restart src &&
	repl-pos -u rk "$SRC" >pos3 &&
	fails 2 $ATTACH --at-position "$REP3" <pos3 &&
	check_grep err "incomplete clone"
'

test_expect 'cloned again: what the failed clone made is dropped, and the copy is whole' '
	$CLONE -d big "$SRC" "$REP3" >pos3 2>err &&
	check_grep err "left by a clone that failed" &&
	! marked rep3 &&
	repl-diff -u rk -d big "$SRC" "$REP3" >out &&
	check_empty out
'

test_expect 'fault: a connection of the clone killed on the replica' '
	srv_sql rep3 "SET sql_log_bin = 0; DROP DATABASE big" &&
	fault rep3 "srv_sql rep3 \"KILL \$(srv_sql rep3 \"SELECT ID FROM
	    information_schema.PROCESSLIST WHERE INFO LIKE '"'"'LOAD DATA LOCAL%'"'"'
	    LIMIT 1\")\"" &&
	marked rep3
'

test_expect 'fault: the replica killed mid-copy; marked after its restart' '
	fault rep3 "srv_kill rep3" &&
	srv_restart rep3 && marked rep3 &&
	fails 2 $ATTACH --at-position "$REP3" <pos3 &&
	check_grep err "incomplete clone"
'

done_testing
