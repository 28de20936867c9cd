#!/bin/bash
# repl-diff's row hash against real servers: what it must tell apart.
# NULL, '' and 'NULL'; values that move into the next column; rows that
# swap values (a linear checksum, the BIT_XOR of CRC32s, is fooled: the
# test shows it); duplicated rows, with and without a key; text in
# several character sets whatever the client's; text in one collation
# (no casts) and in several (cast to bytes: latin1 and cp1251 as they
# are would be an error), on either side; a few rows differing in big
# chunks.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"

srv_require 'repl-diff row hash'

# hidden SQL: SQL on the replica, not written to its binary log.
hidden() {
	srv_sql rep "SET NAMES utf8mb4; SET sql_log_bin = 0; $1"
}

# lines FILE: FILE holds exactly the lines on stdin.
lines() {
	cat >"$T/.want"
	diff -u "$T/.want" "$1" >&2
}

# both SQL: SQL's answer is the same on the source and the replica.
both() {
	srv_sql src "$1" >"$T/.src" && srv_sql rep "$1" >"$T/.rep" &&
	diff -u "$T/.src" "$T/.rep" >&2
}

# The bound of a recursive CTE, by each flavor's name for it.
if [ "$SRV_FLAVOR" = mysql ]; then
	cte_max=cte_max_recursion_depth
else
	cte_max=max_recursive_iterations
fi

{ echo "SET $cte_max = 100000;"; cat <<'SQL'; } >"$T/setup.sql"
SET NAMES utf8mb4;
CREATE DATABASE h;
CREATE TABLE h.t2 (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL,
    b VARCHAR(10) NOT NULL);
INSERT INTO h.t2 VALUES (1, 'a|b', 'c'), (2, 'x', '');
CREATE TABLE h.t3 (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL,
    m VARCHAR(10) NOT NULL, z VARCHAR(10) NOT NULL);
INSERT INTO h.t3 VALUES (1, 'x', 'a|b', 'c'), (2, 'x|1', '|', '');
CREATE TABLE h.n (id INT PRIMARY KEY, s VARCHAR(10) NULL, v INT NULL,
    e VARCHAR(10) NULL);
INSERT INTO h.n VALUES (1, NULL, NULL, NULL), (2, '', 0, ''),
    (3, 'NULL', 1, 'NULL'), (4, 'N', 2, 'N');
CREATE TABLE h.sw (id INT PRIMARY KEY, v CHAR(3) NOT NULL);
INSERT INTO h.sw VALUES (1, 'abc'), (2, 'xyz'), (3, 'qqq');
CREATE TABLE h.dup (a INT, b VARCHAR(5));
INSERT INTO h.dup VALUES (1, 'a'), (1, 'a'), (2, 'b');
CREATE TABLE h.pk (id INT NOT NULL PRIMARY KEY, v INT);
INSERT INTO h.pk VALUES (1, 1), (2, 1);
CREATE TABLE h.cs (id INT PRIMARY KEY, l VARCHAR(10) CHARACTER SET latin1,
    u VARCHAR(10) CHARACTER SET utf8mb4, b VARBINARY(10));
INSERT INTO h.cs VALUES (1, 'café', 'tä 😀', X'00FF'),
    (2, 'plain', 'plain', NULL);
CREATE TABLE h.mc (id INT PRIMARY KEY,
    a VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL,
    b VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_german1_ci NOT NULL,
    r VARCHAR(10) CHARACTER SET cp1251 NOT NULL);
INSERT INTO h.mc VALUES (1, 'a', 'b', 'Ж');
CREATE TABLE h.one (id INT PRIMARY KEY,
    a VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL,
    b VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL);
INSERT INTO h.one VALUES (1, 'a', 'b');
CREATE TABLE h.i (id INT PRIMARY KEY, t TINYINT NOT NULL,
    u INT UNSIGNED NOT NULL, y YEAR NOT NULL, a INT NOT NULL, b INT NOT NULL,
    k INT NOT NULL, c VARCHAR(10) NOT NULL, d VARCHAR(10) NOT NULL);
INSERT INTO h.i VALUES (1, -128, 4294967295, 2155, 1, 2, 2, 'ab', 'c'),
    (2, 127, 0, 1901, -2147483648, 2147483647, 0, '', 'x'),
    (3, 0, 7, 2026, 5, 5, 2, 'a', 'bc');
CREATE TABLE h.iu (id INT PRIMARY KEY, v INT NOT NULL);
INSERT INTO h.iu VALUES (1, -1), (2, 5);
CREATE TABLE h.sk (k VARCHAR(20) PRIMARY KEY, v INT NOT NULL);
INSERT INTO h.sk WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM s WHERE i < 9000) SELECT CONCAT('key', LPAD(i, 5, '0')),
    i FROM s;
SQL

test_expect 'a source and a replica with the tables' '
	srv_start src && srv_start rep && srv_replicate rep src &&
	SRC=$(srv_addr src) REP=$(srv_addr rep) &&
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/src/sock" -uroot \
	    <"$T/setup.sql" &&
	repl-pos -u rk "$SRC" >pos && repl-wait -u rk -t 30 "$REP" <pos &&
	test "$(srv_sql rep "SELECT HEX(l), HEX(u) FROM h.cs WHERE id = 1")" = \
	    "636166E9	74C3A420F09F9880" &&
	repl-diff -u rk -d h "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err
'

# The form of the hash: chains of CRC32 and CRC32C calls; with
# REPLKIT_DIFF_NO_CRC32C set (t/1850), and on MySQL, which has no
# CRC32C, the CRC32 of the row as one string and of it reversed.
test_expect 'the hash of the form asked for' '
	srv_sql src "SET GLOBAL general_log_file = \"$T/general.log\";
	    SET GLOBAL general_log = 1" &&
	repl-diff -u rk -T h.t3 "$SRC" "$REP" >out 2>err &&
	srv_sql src "SET GLOBAL general_log = 0" &&
	check_empty out && check_empty err &&
	if [ -n "${REPLKIT_DIFF_NO_CRC32C:-}" ] || [ "$SRV_FLAVOR" = mysql ]; then
		check_grep "$T/general.log" "BIT_XOR\(\(CRC32\(CONCAT_WS\(.* \+ CRC32\(REVERSE\(CONCAT_WS\(" &&
		! grep -q "CRC32C" "$T/general.log"
	else
		check_grep "$T/general.log" "BIT_XOR\(\(CRC32\(CRC32\(.* \+ CRC32C\(CRC32C\(" &&
		! grep -q "CONCAT_WS" "$T/general.log"
	fi
'

test_expect 'a value moved into the next column: found' '
	hidden "UPDATE h.t2 SET a = \"a\", b = \"b|c\" WHERE id = 1;
	    UPDATE h.t3 SET m = \"a\", z = \"b|c\" WHERE id = 1;
	    UPDATE h.t3 SET a = \"x\", m = \"1||\" WHERE id = 2" &&
	both "SELECT CONCAT_WS(\"|\", id, a, b) FROM h.t2 ORDER BY id" &&
	expect_exit 1 repl-diff -u rk -T h.t2 -T h.t3 "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.t2 row differs id=1 a,b
	$REP h.t3 row differs id=1 m,z
	$REP h.t3 row differs id=2 a,m
	EOF
'

test_expect 'NULL, the empty string, NULL as text and N: each found' '
	hidden "UPDATE h.n SET s = \"\" WHERE id = 1;
	    UPDATE h.n SET s = \"NULL\", e = NULL WHERE id = 2;
	    UPDATE h.n SET s = NULL, e = \"N\" WHERE id = 3;
	    UPDATE h.n SET v = NULL, e = NULL WHERE id = 4" &&
	expect_exit 1 repl-diff -u rk -T h.n "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.n row differs id=1 s
	$REP h.n row differs id=2 s,e
	$REP h.n row differs id=3 s,e
	$REP h.n row differs id=4 v,e
	EOF
'

test_expect 'rows that swap their values: found (an exclusive or of CRC32s is not)' '
	hidden "UPDATE h.sw SET v = IF(id = 1, \"xyz\", \"abc\") WHERE id IN (1, 2)" &&
	both "SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS(\"|\", id, v))) FROM h.sw" &&
	expect_exit 1 repl-diff -u rk -T h.sw "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.sw row differs id=1 v
	$REP h.sw row differs id=2 v
	EOF
'

test_expect 'duplicated rows do not cancel out, with or without a key' '
	hidden "DELETE FROM h.dup WHERE a = 1; INSERT INTO h.dup VALUES
	    (3, \"c\"), (3, \"c\"); ALTER TABLE h.pk DROP PRIMARY KEY;
	    UPDATE h.pk SET id = 1" &&
	both "SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS(\"|\", a, b))) FROM h.dup" &&
	expect_exit 1 repl-diff -u rk -T h.dup -T h.pk "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	check_grep out "^$REP h\.dup checksum differs \(no usable key: no row detail\)$" &&
	check_grep out "^$REP h\.pk key missing PRIMARY \(.id.\)$" &&
	check_grep out "^$REP h\.pk row missing id=2$"
'

test_expect 'text in several character sets, whatever the client asks for' '
	printf "[client]\ndefault-character-set=latin1\n" >latin1.cnf &&
	repl-diff --defaults-extra-file=latin1.cnf -u rk -T h.cs "$SRC" "$REP" \
	    >out 2>err &&
	check_empty out && check_empty err &&
	hidden "UPDATE h.cs SET u = \"tä 😁\" WHERE id = 1;
	    UPDATE h.cs SET l = \"cafe\", b = 0x00 WHERE id = 2" &&
	expect_exit 1 repl-diff --defaults-extra-file=latin1.cnf -u rk -T h.cs \
	    "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.cs row differs id=1 u
	$REP h.cs row differs id=2 l,b
	EOF
'

# A collation changed on the replica is a schema difference of its own
# (COLUMN_TYPE does not show it); the rows are still compared, as bytes.
test_expect 'text in one collation or several, on either side: no error' '
	repl-diff -u rk -T h.mc -T h.one "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err &&
	hidden "ALTER TABLE h.one MODIFY b VARCHAR(10) CHARACTER SET latin1
	    COLLATE latin1_general_ci NOT NULL" &&
	expect_exit 1 repl-diff -u rk -T h.mc -T h.one "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$REP h.one column type b '"'varchar(10) COLLATE latin1_bin NOT NULL' 'varchar(10) COLLATE latin1_general_ci NOT NULL'"'
	EOF
	hidden "UPDATE h.one SET b = \"B\"; UPDATE h.mc SET a = \"A\"" &&
	expect_exit 1 repl-diff -u rk -T h.mc -T h.one "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.mc row differs id=1 a
	$REP h.one column type b '"'varchar(10) COLLATE latin1_bin NOT NULL' 'varchar(10) COLLATE latin1_general_ci NOT NULL'"'
	$REP h.one row differs id=1 b
	EOF
'

# Integers of 32 bits go into the CRCs as numbers, not digits: each
# change found, at the limits of its type; two swapped in a row; a
# value moved into the next column where an integer is 2, the number
# that sets such values apart.
test_expect 'integers taken as numbers: each change found' '
	repl-diff -u rk -T h.i "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err &&
	hidden "UPDATE h.i SET t = 127, u = 4294967294 WHERE id = 1;
	    UPDATE h.i SET a = 2147483647, b = -2147483648 WHERE id = 2;
	    UPDATE h.i SET c = \"abc\", d = \"\", y = 2025 WHERE id = 3" &&
	expect_exit 1 repl-diff -u rk -T h.i "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$REP h.i row differs id=1 t,u
	$REP h.i row differs id=2 a,b
	$REP h.i row differs id=3 y,c,d
	EOF
	hidden "UPDATE h.i SET t = -128, u = 4294967295, a = 2, b = 1,
	    c = \"a\", d = \"bc\" WHERE id = 1;
	    UPDATE h.i SET a = -2147483648, b = 2147483647 WHERE id = 2;
	    UPDATE h.i SET y = 2026, c = \"a\", d = \"bc\" WHERE id = 3" &&
	expect_exit 1 repl-diff -u rk -T h.i "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.i row differs id=1 a,b,c,d
	EOF
'

# -1 in an INT and 4294967295 in an INT UNSIGNED are the same 32 bits:
# a column of another type on the replica is hashed as printed. (MySQL
# shows no display width in COLUMN_TYPE.)
if [ "$SRV_FLAVOR" = mysql ]; then
	int_types="'int NOT NULL' 'int unsigned NOT NULL'"
else
	int_types="'int(11) NOT NULL' 'int(10) unsigned NOT NULL'"
fi
test_expect 'an integer of another signedness on the replica: found' '
	hidden "SET SESSION sql_mode = \"\";
	    ALTER TABLE h.iu MODIFY v INT UNSIGNED NOT NULL;
	    UPDATE h.iu SET v = 4294967295 WHERE id = 1" &&
	test "$(srv_sql rep "SELECT v FROM h.iu WHERE id = 1")" = 4294967295 &&
	expect_exit 1 repl-diff -u rk -T h.iu "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.iu column type v $int_types
	$REP h.iu row differs id=1 v
	EOF
'

# A table of 300 columns is too wide for a chain of CRC calls (a
# server's stack): hashed as one string.
test_expect 'a table of 300 columns: each change found' '
	cols=$(for i in $(seq 1 150); do
		printf ", i%d INT NOT NULL DEFAULT %d, s%d VARCHAR(5) NULL" \
		    "$i" "$i" "$i"
	done) &&
	srv_sql src "CREATE TABLE h.wide (id INT PRIMARY KEY $cols);
	    INSERT INTO h.wide (id) VALUES (1), (2), (3)" &&
	repl-pos -u rk "$SRC" >pos && repl-wait -u rk -t 30 "$REP" <pos &&
	repl-diff -u rk -T h.wide "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err &&
	hidden "UPDATE h.wide SET i150 = 0, s1 = \"\" WHERE id = 2;
	    UPDATE h.wide SET s150 = \"x\" WHERE id = 3" &&
	expect_exit 1 repl-diff -u rk -T h.wide "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF
	$REP h.wide row differs id=2 s1,i150
	$REP h.wide row differs id=3 s150
	EOF
'

# Columns of every kind, NULL where they may be: floats, bits, sets,
# points, times, JSON, text in UCS-2, the largest BIGINT UNSIGNED key.
test_expect 'columns of every kind: each change found, and mended by --sql' '
	srv_sql src "SET NAMES utf8mb4; CREATE TABLE h.kinds (
	    id BIGINT UNSIGNED PRIMARY KEY, f FLOAT, d DOUBLE NOT NULL,
	    b BIT(5), b64 BIT(64) NOT NULL, e ENUM(\"a\", \"b\") NULL,
	    s SET(\"x\", \"y\") NOT NULL, g POINT NULL, tm TIME(3), y YEAR NULL,
	    j JSON, u INT UNSIGNED NOT NULL, ti TINYINT,
	    v VARCHAR(10) CHARACTER SET ucs2 NULL, dt DATETIME(6) NOT NULL,
	    ts TIMESTAMP NULL);
	    INSERT INTO h.kinds VALUES (1, 1.5, -2.25e100, 0b101, 0b1, \"a\",
	    \"x,y\", POINT(1, 2), \"-12:00:00.5\", 2024, \"{}\", 4294967295, -1,
	    \"ж\", \"2026-01-01 00:00:00.000001\", \"2026-01-01\"),
	    (2, NULL, 0, NULL, 0, NULL, \"\", NULL, NULL, NULL, NULL, 0, NULL,
	    NULL, \"1000-01-01\", NULL),
	    (18446744073709551615, -0.0, 1e-300, 0b11111, 18446744073709551615,
	    \"b\", \"y\", POINT(0, 0), \"838:59:59\", 1901, \"[]\", 1, 127, \"\",
	    \"9999-12-31 23:59:59\", \"2038-01-19 03:14:07\")" &&
	repl-pos -u rk "$SRC" >pos && repl-wait -u rk -t 30 "$REP" <pos &&
	repl-diff -u rk -T h.kinds "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err &&
	hidden "UPDATE h.kinds SET f = 2.5, b = 0b100, e = \"b\",
	    g = POINT(2, 1), tm = \"-12:00:00.4\", v = \"з\", ts = NULL
	    WHERE id = 1; UPDATE h.kinds SET s = \"x\", j = \"[1]\", ti = 0,
	    b64 = 1 WHERE id = 2; UPDATE h.kinds SET d = 2e-300, y = NULL,
	    u = 2 WHERE id = 18446744073709551615" &&
	expect_exit 1 repl-diff -u rk -T h.kinds "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$REP h.kinds row differs id=1 f,b,e,g,tm,v,ts
	$REP h.kinds row differs id=2 b64,s,j,ti
	$REP h.kinds row differs id=18446744073709551615 d,y,u
	EOF
	expect_exit 1 repl-diff -u rk --sql -T h.kinds "$SRC" "$REP" >fix.sql &&
	hidden "$(cat fix.sql)" &&
	repl-diff -u rk -T h.kinds "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err
'

# The types the newer servers add, each in a table of its own: a column
# that may be NULL, one that may not, and an integer; keyed by a column
# of the type where it can be a key (a VECTOR cannot). Each change is
# found: first alone, an integer changed in a row whose value of the
# type is NULL on both sides (the row's hash must not be NULL, which a
# chunk's checksum skips: an INET6 with '' in IFNULL is NULL); then a
# value changed, set to NULL, set from NULL, a row missing, one extra. --sql mends them all: each value written as the server reads
# it back (a VECTOR as bytes, X'..', not as text in utf8mb4).
#
# new_kind TYPE KEYTYPE K1..K6 V1 V2 V3: the test of one type; keys and
# values are SQL expressions, the keys printed by repl-diff as they are.
new_kind() {
	local type=$1 ktype=$2 tb k1=$3 k2=$4 k3=$5 k4=$6 k5=$7 k6=$8 \
	    v1=$9 v2=${10} v3=${11}
	tb=h.k_$(echo "$type" | sed "s/(.*//" | tr "[:upper:]" "[:lower:]")
	srv_sql src "CREATE TABLE $tb (k $ktype PRIMARY KEY, a $type NULL,
	    b $type NOT NULL, n INT NOT NULL);
	    INSERT INTO $tb VALUES ($k1, $v1, $v2, 1), ($k2, NULL, $v1, 2),
	    ($k3, $v2, $v3, 3), ($k4, NULL, $v2, 4), ($k5, $v1, $v1, 5)" &&
	repl-pos -u rk "$SRC" >pos && repl-wait -u rk -t 30 "$REP" <pos &&
	repl-diff -u rk -T "$tb" "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err &&
	hidden "UPDATE $tb SET n = 0 WHERE k = $k2" &&
	expect_exit 1 repl-diff -u rk -T "$tb" "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$REP $tb row differs k=$k2 n
	EOF
	hidden "UPDATE $tb SET a = $v3 WHERE k = $k1;
	    UPDATE $tb SET a = NULL, b = $v1 WHERE k = $k3;
	    UPDATE $tb SET a = $v3 WHERE k = $k4;
	    DELETE FROM $tb WHERE k = $k5;
	    INSERT INTO $tb VALUES ($k6, $v2, $v2, 6)" &&
	expect_exit 1 repl-diff -u rk -T "$tb" "$SRC" "$REP" >out 2>err &&
	check_empty err &&
	lines out <<-EOF &&
	$REP $tb row differs k=$k1 a
	$REP $tb row differs k=$k2 n
	$REP $tb row differs k=$k3 a,b
	$REP $tb row differs k=$k4 a
	$REP $tb row missing k=$k5
	$REP $tb row extra k=$k6
	EOF
	expect_exit 1 repl-diff -u rk --sql -T "$tb" "$SRC" "$REP" >fix.sql \
	    2>err &&
	check_empty err &&
	hidden "$(cat fix.sql)" &&
	repl-diff -u rk -T "$tb" "$SRC" "$REP" >out 2>err &&
	check_empty out && check_empty err
}

# The types the newer servers add, on the servers that have them: the
# arguments of new_kind for each.
if [ "$SRV_FLAVOR" = mysql ]; then
	vec=STRING_TO_VECTOR
else
	vec=VEC_FromText
fi
kind_vector=("VECTOR(3)" INT 1 2 3 4 5 6 "$vec('[1,2,3]')"
    "$vec('[-1.5,0,1e-10]')" "$vec('[0,0,0]')")
kind_inet4=(INET4 INET4 "'10.0.0.1'" "'10.0.0.2'" "'10.0.0.3'" "'10.0.0.4'"
    "'10.0.0.5'" "'10.0.0.6'" "'192.168.0.1'" "'0.0.0.0'"
    "'255.255.255.255'")
kind_inet6=(INET6 INET6 "'::1'" "'::2'" "'::3'" "'::4'" "'::5'" "'::6'"
    "'2001:db8::ff00:42:8329'" "'::'" "'::ffff:10.0.0.1'")
u=00000000-0000-0000-0000-00000000000
kind_uuid=(UUID UUID "'${u}1'" "'${u}2'" "'${u}3'" "'${u}4'" "'${u}5'"
    "'${u}6'" "'123e4567-e89b-12d3-a456-426655440000'"
    "'ffffffff-ffff-ffff-ffff-ffffffffffff'" "'${u}0'")
if [ "$SRV_SERVER" != mariadb-10.11 ]; then
	test_expect 'columns of every kind, VECTOR: each change found, and mended by --sql' '
		new_kind "${kind_vector[@]}"
	'
else
	test_skip 'columns of every kind, VECTOR' \
	    "MariaDB 11.7 and later, MySQL 9.0 and later (not on $SRV_SERVER)"
fi
if srv_only mariadb 'columns of every kind, INET4' 'MariaDB 10.10 and later'; then
	test_expect 'columns of every kind, INET4: each change found, and mended by --sql' '
		new_kind "${kind_inet4[@]}"
	'
fi
if srv_only mariadb 'columns of every kind, INET6' 'MariaDB 10.5 and later'; then
	test_expect 'columns of every kind, INET6: each change found, and mended by --sql' '
		new_kind "${kind_inet6[@]}"
	'
fi
if srv_only mariadb 'columns of every kind, UUID' 'MariaDB 10.7 and later'; then
	test_expect 'columns of every kind, UUID: each change found, and mended by --sql' '
		new_kind "${kind_uuid[@]}"
	'
fi

# Chunks of thousands of rows: one that differs is cut into parts, each
# checksummed, down to a few rows listed; by key values read from the
# source when the key is not an integer.
test_expect 'a few rows differing in big chunks of a text key: each found' '
	hidden "UPDATE h.sk SET v = 0 WHERE k IN (\"key03000\", \"key07777\");
	    DELETE FROM h.sk WHERE k = \"key04500\";
	    INSERT INTO h.sk VALUES (\"key04500x\", 1), (\"key99999\", 2)" &&
	expect_exit 1 repl-diff -v -u rk -T h.sk "$SRC" "$REP" >out 2>err &&
	check_grep err "^repl-diff: 1 tables, 9000 rows in [0-9]+ chunks" &&
	lines out <<-EOF
	$REP h.sk row differs k='"'key03000'"' v
	$REP h.sk row missing k='"'key04500'"'
	$REP h.sk row extra k='"'key04500x'"'
	$REP h.sk row differs k='"'key07777'"' v
	$REP h.sk row extra k='"'key99999'"'
	EOF
'

done_testing
