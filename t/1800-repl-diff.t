#!/bin/bash
# repl-diff against real servers: a source and two replicas (GTID), tables
# of mixed types; identical, then differences injected on a replica behind
# replication's back (sql_log_bin = 0), each reported exactly; the --sql
# round trip; a dropped column; two replicas at once; a table without a
# key, an empty one, one missing on a side; the output formats, bad input
# and a server down.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'repl-diff against servers'

# sync_all: the replicas have applied all the source has written.
sync_all() {
	repl-pos -u rk "$SRC" >"$T/pos" &&
	repl-wait -u rk -t 30 "$R1" "$R2" <"$T/pos"
}

# hidden NAME SQL: SQL on a replica, not written to its binary log.
hidden() {
	srv_sql "$1" "SET sql_log_bin = 0; $2"
}

# lines FILE: FILE holds exactly the lines on stdin.
lines() {
	cat >"$T/.want"
	diff -u "$T/.want" "$1" >&2
}

connections() {
	srv_sql src "SHOW GLOBAL STATUS LIKE 'Connections'" | cut -f2
}

# sql_in NAME FILE: run the statements of FILE as root on server NAME.
sql_in() {
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -N -B \
	    <"$2"
}

# The bound of a recursive CTE, by each flavor's name for it.
if [ "$SRV_FLAVOR" = mysql ]; then
	cte_max=cte_max_recursion_depth
else
	cte_max=max_recursive_iterations
fi

{ echo "SET $cte_max = 100000;"; cat <<'SQL'; } >"$T/setup.sql"
SET NAMES utf8mb4;
CREATE DATABASE d;
CREATE TABLE d.m (id INT PRIMARY KEY, s VARCHAR(40) CHARACTER SET utf8mb4,
    n VARCHAR(10) NULL, b BLOB, amount DECIMAL(12,2), at DATETIME(3),
    j JSON, f DOUBLE);
INSERT INTO d.m VALUES
    (1, 'plain', NULL, X'00FF10', 12.50, '2026-11-25 12:00:05.125',
        '{"a": [1, 2]}', 0.1),
    (2, 'it''s \\ a "quote"', '', '', -0.01, NULL, NULL, NULL),
    (3, 'tä 😀 €', 'NULL', NULL, 0, '1970-01-01 00:00:01', '[]', -1e300),
    (4, '', NULL, X'0A0D27', NULL, NULL, 'null', 3.0),
    (5, NULL, 'x', 'blob', 99999999.99, '2038-01-19 03:14:07', '{}', 2.5);
CREATE TABLE d.big (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL,
    pad CHAR(60) NOT NULL, KEY (k));
-- SHA2, not MD5: MySQL 9.7 has no MD5().
INSERT INTO d.big WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM s WHERE i < 5000) SELECT i * 3, i % 97,
    LEFT(SHA2(i, 256), 32), LEFT(SHA2(-i, 256), 32) FROM s;
CREATE TABLE d.ck (a VARCHAR(10) NOT NULL, b INT NOT NULL, v INT,
    PRIMARY KEY (a, b));
INSERT INTO d.ck VALUES ('x', 1, 1), ('x', 2, 2), ('y', 1, 3), ('it''s', 1, 4),
    ('', 0, 5);
CREATE TABLE d.nokey (a INT, b VARCHAR(10));
INSERT INTO d.nokey VALUES (1, 'a'), (1, 'a'), (2, NULL);
CREATE TABLE d.uk (u INT NOT NULL, v INT, UNIQUE KEY (u));
INSERT INTO d.uk VALUES (1, 1), (2, 2);
CREATE TABLE d.empty (id INT PRIMARY KEY, v INT);
SQL

# The differences of the issue, and some more, behind replication's back.
cat >"$T/break1.sql" <<'SQL'
SET sql_log_bin = 0;
DELETE FROM d.m WHERE id = 2;
INSERT INTO d.m (id, s) VALUES (6, 'extra');
UPDATE d.m SET amount = 12.51, j = '{"a": [1, 3]}' WHERE id = 1;
UPDATE d.m SET n = '' WHERE id = 4;
UPDATE d.big SET c = 'changed' WHERE id = 4500;
DELETE FROM d.big WHERE id = 15000;
INSERT INTO d.big VALUES (0, 0, '', ''), (15001, 1, '', '');
UPDATE d.ck SET v = NULL WHERE a = 'it''s' AND b = 1;
DELETE FROM d.ck WHERE a = '';
SQL

test_expect 'a source and two replicas, with tables of mixed types' '
	srv_start src && srv_start rep1 && srv_start rep2 &&
	srv_replicate rep1 src && srv_replicate rep2 src &&
	SRC=$(srv_addr src) R1=$(srv_addr rep1) R2=$(srv_addr rep2) &&
	sql_in src "$T/setup.sql" && sync_all
'

test_expect 'identical: exit 0, no output' '
	repl-diff -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty out && check_empty err &&
	repl-diff -u rk -d d "$SRC" "$R1" >out 2>err &&
	check_empty out && check_empty err &&
	repl-diff -u rk --json -T d.m -T d.big "$SRC" "$R1" >out 2>err &&
	check_empty out && check_empty err
'

test_expect 'differences on a replica: each reported exactly' '
	sql_in rep1 "$T/break1.sql" &&
	expect_exit 1 repl-diff -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$R1 d.big row extra id=0
	$R1 d.big row differs id=4500 c
	$R1 d.big row missing id=15000
	$R1 d.big row extra id=15001
	$R1 d.ck row missing a='"''"',b=0
	$R1 d.ck row differs a='"'it''s'"',b=1 v
	$R1 d.m row differs id=1 amount,j
	$R1 d.m row missing id=2
	$R1 d.m row differs id=4 n
	$R1 d.m row extra id=6
	EOF
'

test_expect '--sql round trip: applied to the replica, then no difference' '
	expect_exit 1 repl-diff -u rk --sql "$SRC" "$R1" "$R2" >fix.sql 2>err &&
	check_empty err &&
	head -n 3 fix.sql >head &&
	lines head <<-EOF &&
	SET NAMES utf8mb4;
	SET time_zone = '"'"'+00:00'"'"';
	-- $R1
	EOF
	check_grep fix.sql "^INSERT INTO \`d\`\.\`m\` \(\`id\`, \`s\`, \`n\`, \`b\`, \`amount\`, \`at\`, \`j\`, \`f\`\) VALUES \(2, _utf8mb4 X.69742773205C2061202271756F746522., .., X.., -0\.01, NULL, NULL, NULL\);$" &&
	check_grep fix.sql "^UPDATE \`d\`\.\`m\` SET \`n\` = NULL WHERE \(\`id\` = 4\);$" &&
	check_grep fix.sql "^DELETE FROM \`d\`\.\`big\` WHERE \(\`id\` = 0\);$" &&
	test "$(grep -vc "^--" fix.sql)" = 12 &&
	{ echo "SET sql_log_bin = 0;"; cat fix.sql; } >apply.sql &&
	sql_in rep1 apply.sql &&
	repl-diff -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty out && check_empty err
'

test_expect 'a dropped column on a replica: a schema difference, common columns compared' '
	srv_sql rep1 "SET sql_log_bin = 0; ALTER TABLE d.m DROP COLUMN n;
	    UPDATE d.m SET s = \"changed\" WHERE id = 5" &&
	expect_exit 1 repl-diff -u rk -T d.m "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$R1 d.m column missing n
	$R1 d.m columns common id,s,b,amount,at,j,f
	$R1 d.m row differs id=5 s
	$R2 d.m columns common id,s,b,amount,at,j,f
	EOF
	expect_exit 1 repl-diff -u rk --json -T d.m "$SRC" "$R1" >out 2>err &&
	lines out <<-EOF
	{"server":"$R1","db":"d","table":"m","what":"column-missing","column":"n"}
	{"server":"$R1","db":"d","table":"m","what":"columns-common","columns":["id","s","b","amount","at","j","f"]}
	{"server":"$R1","db":"d","table":"m","what":"row-differs","key":{"id":"5"},"columns":["s"]}
	EOF
'

test_expect 'two replicas at once: a line for each, replica by replica' '
	srv_sql rep1 "SET sql_log_bin = 0; ALTER TABLE d.m ADD COLUMN n
	    VARCHAR(10) NULL AFTER s; UPDATE d.m SET s = NULL WHERE id = 5;
	    UPDATE d.m SET n = \"NULL\" WHERE id = 3;
	    UPDATE d.m SET n = \"\" WHERE id = 2;
	    UPDATE d.m SET n = \"x\" WHERE id = 5" &&
	repl-diff -u rk -T d.m "$SRC" "$R1" >out 2>err &&
	check_empty out &&
	hidden rep2 "DELETE FROM d.big WHERE id = 3; UPDATE d.uk SET v = 9" &&
	hidden rep1 "UPDATE d.big SET pad = \"\" WHERE id = 3" &&
	expect_exit 1 repl-diff -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$R1 d.big row differs id=3 pad
	$R2 d.big row missing id=3
	$R2 d.uk row differs u=1 v
	$R2 d.uk row differs u=2 v
	EOF
'

test_expect 'a table without a key: whole-table checksums, said so' '
	hidden rep1 "DELETE FROM d.nokey WHERE a = 1 LIMIT 1" &&
	expect_exit 1 repl-diff -u rk -T d.nokey "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$R1 d.nokey checksum differs (no usable key: no row detail)
	EOF
	hidden rep1 "INSERT INTO d.nokey VALUES (1, \"a\")" &&
	repl-diff -u rk -T d.nokey "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty out &&
	hidden rep2 "UPDATE d.nokey SET b = \"\" WHERE b IS NULL" &&
	expect_exit 1 repl-diff -u rk -T d.nokey "$SRC" "$R2" >out 2>err &&
	lines out <<-EOF
	$R2 d.nokey checksum differs (no usable key: no row detail)
	EOF
'

test_expect 'an empty table: rows only the replica has are extra' '
	hidden rep1 "INSERT INTO d.empty VALUES (7, 1), (-3, NULL)" &&
	expect_exit 1 repl-diff -u rk -T d.empty "$SRC" "$R1" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$R1 d.empty row extra id=-3
	$R1 d.empty row extra id=7
	EOF
'

test_expect 'a table missing on one side' '
	hidden src "CREATE TABLE d.only_src (i INT PRIMARY KEY)" &&
	hidden rep2 "CREATE TABLE d.only_rep (i INT PRIMARY KEY)" &&
	expect_exit 1 repl-diff -u rk -d d "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty err &&
	grep -v "d\.\(big\|uk\|nokey\|empty\) " out >tables &&
	lines tables <<-EOF
	$R1 d.only_src table missing
	$R2 d.only_rep table extra
	$R2 d.only_src table missing
	EOF
'

test_expect '-q: nothing printed, the exit status tells; -v: a summary' '
	expect_exit 1 repl-diff -q -u rk "$SRC" "$R1" "$R2" >out 2>err &&
	check_empty out && check_empty err &&
	repl-diff -q -v -u rk -T d.m "$SRC" "$R1" >out 2>err &&
	check_empty out && check_empty err &&
	repl-diff -v -u rk -T d.m -T d.ck "$SRC" "$R1" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-diff: 2 tables, 10 rows in [0-9]+ chunks, [0-9]+ re-checks, 0 differences, [0-9]+ ms$" &&
	check_grep err "^repl-diff: .$R1.: caught up, 0 differences$"
'

test_expect 'a replica down: exit 3, the others still compared' '
	port=$(free_port) &&
	expect_exit 3 repl-diff -u rk -T d.m "$SRC" "$R1" "127.0.0.1:$port" \
	    >out 2>err &&
	check_empty out &&
	check_grep err "unable to connect to .127\.0\.0\.1:$port." &&
	expect_exit 1 repl-diff -u rk -T d.empty "$SRC" "$R1" \
	    "127.0.0.1:$port" >out 2>err &&
	test "$(wc -l <out)" = 2 &&
	expect_exit 3 repl-diff -u rk -T d.m "127.0.0.1:$port" "$R1" >out 2>err &&
	check_empty out && check_grep err "unable to connect"
'

test_expect 'sparse BIGINT UNSIGNED keys at both ends: it ends, and finds the change' '
	srv_sql src "CREATE TABLE d.sparse (k BIGINT UNSIGNED PRIMARY KEY, v INT);
	    INSERT INTO d.sparse VALUES (1, 1), (4611686018427387904, 2),
	    (9223372036854775808, 3), (18446744073709551615, 4)" &&
	sync_all &&
	hidden rep1 "UPDATE d.sparse SET v = 5 WHERE k = 18446744073709551615" &&
	expect_exit 1 timeout 120 repl-diff -u rk -T d.sparse "$SRC" "$R1" >out 2>err &&
	lines out <<-EOF
	$R1 d.sparse row differs k=18446744073709551615 v
	EOF
'

test_expect 'a refused login: exit 2' '
	MYSQL_PWD=wrong expect_exit 2 repl-diff -u rk "$SRC" "$R1" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-diff: unable to connect to .$SRC.: Access denied"
'

test_expect 'read-only: nothing written on any server' '
	(for s in src rep1 rep2; do
		srv_gtid "$s" >"gtid-$s" || exit 1
	done) &&
	expect_exit 1 repl-diff -u rk --sql "$SRC" "$R1" "$R2" >out 2>err &&
	(for s in src rep1 rep2; do
		srv_gtid "$s" >now && diff -u "gtid-$s" now || exit 1
	done)
'

# bad EXPECTED-MESSAGE ARGS...: exit 2, nothing on stdout, the message.
bad() {
	local msg=$1 rc=0
	shift
	repl-diff -u rk "$@" >out 2>err </dev/null || rc=$?
	[ "$rc" = 2 ] || { echo "repl-diff $*: exit $rc, expected 2"; return 1; }
	check_empty out && check_grep err "$msg"
}

test_expect 'bad input: exit 2, a message, and nothing sent' '
	before=$(connections) &&
	bad "^usage: repl-diff " --no-such-option "$SRC" "$R1" &&
	bad "expected a source and at least one replica" "$SRC" &&
	bad "expected a source and at least one replica" &&
	bad "invalid timeout .5x." -t 5x "$SRC" "$R1" &&
	bad "invalid --chunk-time .0." --chunk-time 0 "$SRC" "$R1" &&
	bad "invalid --chunk-time .x." --chunk-time x "$SRC" "$R1" &&
	bad "invalid table .a\.b\.c.: expected db.table" -T a.b.c "$SRC" "$R1" &&
	bad "invalid database ..: expected a name" -d "" "$SRC" "$R1" &&
	bad "invalid" "$SRC" "bad host!" &&
	after=$(connections) &&
	test "$after" = $((before + 1))
'

done_testing
