#!/bin/bash
# The EXAMPLES of repl-diff(1), run against a source and two replicas
# holding the data the page shows. Each literal display is run in order,
# every "$ command" line of it with the page's host names mapped to the
# test servers, its output compared with the lines the page shows after
# it, the test servers' addresses put back as the page's names. The
# first display runs with the replicas the same as the source; the
# others after the differences the page describes were made on db2
# behind replication's back. The crontab line runs too, with logger
# replaced by a stand-in that records its arguments.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
# shellcheck source=t/lib/examples.sh
. "$TOP/t/lib/examples.sh"

PAGE=$TOP/man/repl-diff.1

srv_require 'repl-diff(1) examples'

# The bound of a recursive CTE, by each flavor's name for it.
if [ "$SRV_FLAVOR" = mysql ]; then
	cte_max=cte_max_recursion_depth
else
	cte_max=max_recursive_iterations
fi

{
	srv_start db1 && srv_start db2 && srv_start db3 &&
	srv_replicate db2 db1 && srv_replicate db3 db1 &&
	srv_sql db1 "SET $cte_max = 100000; CREATE DATABASE shop;
	    CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40),
	        note VARCHAR(40), price DECIMAL(8,2));
	    INSERT INTO shop.items WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
	        SELECT i + 1 FROM s WHERE i < 120) SELECT i, CONCAT('item ', i),
	        NULL, i * 1.25 FROM s;
	    CREATE TABLE shop.orders (id INT PRIMARY KEY, item INT, note
	        VARCHAR(40));
	    INSERT INTO shop.orders WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
	        SELECT i + 1 FROM s WHERE i < 7010) SELECT i, 1 + i % 120,
	        IF(i = 7010, 'it''s', NULL) FROM s"
} >"$T/setup.log" 2>&1 && touch "$T/setup.ok"
DB1=$(srv_addr db1) DB2=$(srv_addr db2) DB3=$(srv_addr db3)

mkdir -p "$T/home" "$T/work" "$T/shim" &&
    printf '[client]\nuser=rk\n' >"$T/home/.my.cnf"
export HOME=$T/home
printf '#!/bin/sh\necho "logger $*" >>"%s/logger.log"\n' "$T" >"$T/shim/logger"
chmod +x "$T/shim/logger"

# broken: the differences of the page, on db2 only.
broken() {
	srv_sql db2 "SET sql_log_bin = 0; ALTER TABLE shop.items DROP COLUMN note;
	    UPDATE shop.items SET price = 0.99 WHERE id = 7;
	    DELETE FROM shop.orders WHERE id = 7010;
	    INSERT INTO shop.orders VALUES (7011, 1, NULL)"
}
# well: db2 the same as db1 again (the column added back where it is
# missing: MySQL has no ADD COLUMN IF NOT EXISTS).
well() {
	local has
	has=$(srv_sql db2 "SELECT COUNT(*) FROM information_schema.COLUMNS
	    WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'items'
	    AND COLUMN_NAME = 'note'") || return 1
	if [ "$has" = 0 ]; then
		srv_sql db2 "SET sql_log_bin = 0; ALTER TABLE shop.items
		    ADD COLUMN note VARCHAR(40) AFTER name" || return 1
	fi
	srv_sql db2 "SET sql_log_bin = 0;
	    UPDATE shop.items SET price = 8.75 WHERE id = 7;
	    DELETE FROM shop.orders WHERE id = 7011;
	    INSERT IGNORE INTO shop.orders VALUES (7010, 51, 'it''s')"
}

map() {
	sed -E -e "s#(^| )db1:3306( |\$)#\\1$DB1\\2#g" \
	    -e "s#(^| )db2:3306( |\$)#\\1$DB2\\2#g" \
	    -e "s#(^| )db3:3306( |\$)#\\1$DB3\\2#g" \
	    -e "s#-h db2 #-h 127.0.0.1 -P ${DB2#*:} #g"
}

unmap() {
	sed -e "s#$DB1#db1:3306#g" -e "s#$DB2#db2:3306#g" -e "s#$DB3#db3:3306#g"
}

# run_example FILE: one command of a display (ex_run), its output as
# documented.
run_example() {
	local cmd want
	cmd=$(map <"$1.cmd")
	# repl-diff showing (or writing to a file) a difference exits 1;
	# every other command 0.
	want=0
	if grep -q '^repl-diff .*>' "$1.cmd" || { grep -q '^repl-diff ' \
	    "$1.cmd" && [ -s "$1.out" ] && ! grep -q '^same$' "$1.out"; }; then
		want=1
	fi
	ex_run "$1" "$want" "$cmd" || return 1
	check_empty "$1.stderr" || return 1
	unmap <"$1.stdout" >"$1.got"
	if [ -f "$1.out" ]; then
		diff -u "$1.out" "$1.got"
	else
		check_empty "$1.got"
	fi
}

test_expect 'servers start, replicate, and hold the data of the page' '
	{ [ -f "$T/setup.ok" ] || { cat "$T/setup.log"; false; }; } &&
	repl-pos "$DB1" >"$T/pos" && repl-wait -t 30 "$DB2" "$DB3" <"$T/pos"
'

ex_extract "$PAGE" "$T"
test_expect 'the page has examples and a crontab line' '
	ls "$T"/ex/*/*.cmd && ls "$T"/cron/*
'

for d in "$T"/ex/*; do
	[ -d "$d" ] || continue
	if [ "$(basename "$d")" = 001 ]; then
		test_expect "display 1: the servers the same" 'well'
	else
		test_expect "display $(basename "$d"): the differences made on db2" 'well && broken'
	fi
	for e in "$d"/*.cmd; do
		e=${e%.cmd}
		test_expect "repl-diff.1: $(cat "$e.cmd")" 'run_example "$e"'
	done
done

for f in "$T"/cron/*; do
	[ -f "$f" ] || continue
	cmd=$(map <"$f")
	test_expect "the crontab line, all well: no alert" '
		well && rm -f "$T/logger.log" &&
		(cd "$T/work" && PATH=$T/shim:$PATH sh -c "$cmd" </dev/null) &&
		test ! -e "$T/logger.log"
	'
	test_expect "the crontab line, db2 differs: an alert" '
		well && broken && rm -f "$T/logger.log" &&
		(cd "$T/work" && PATH=$T/shim:$PATH sh -c "$cmd" </dev/null) &&
		check_grep "$T/logger.log" "^logger -t repl-diff exit status 1$"
	'
done

done_testing
