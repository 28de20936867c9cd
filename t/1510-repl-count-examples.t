#!/bin/bash
# The EXAMPLES of repl-count(1), run against a source and two replicas
# holding the data the page shows. Every "$ command" line of a literal
# display is run, its host names mapped to the test servers, and its
# output compared with the lines the page shows after it: the test
# servers' addresses are put back as the page's names, runs of spaces
# count as one (the addresses are longer than the names), and times and
# estimates are left out. A page that shows a cell "down" means db3 is
# down; one that shows "differ" means a row was deleted on db2 behind
# replication's back. The crontab line and the cron script run too,
# with logger and mail replaced by stand-ins that record their input.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
# shellcheck source=t/lib/examples.sh
. "$TOP/t/lib/examples.sh"

PAGE=$TOP/man/repl-count.1
DEAD=127.0.0.1:1	# nothing listens there: db3 when the page says down

srv_require 'repl-count(1) examples'

# The recursion the data below needs (7010 rows), in each dialect.
if [ "$SRV_FLAVOR" = mysql ]; then
	DEPTH='SET cte_max_recursion_depth = 100000'
else
	DEPTH='SET max_recursive_iterations = 100000'
fi

# Start the servers here, not inside a test: srv_start records their pids
# for the cleanup at exit, which a test's subshell would lose.
{
	srv_start db1 && srv_start db2 && srv_start db3 &&
	srv_replicate db2 db1 && srv_replicate db3 db1 &&
	srv_sql db1 "$DEPTH; CREATE DATABASE shop;
	    CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40));
	    INSERT INTO shop.items WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL
	        SELECT i + 1 FROM s WHERE i < 120) SELECT i, CONCAT('item ', i)
	        FROM s;
	    CREATE TABLE shop.orders (id INT PRIMARY KEY, item INT, at
	        TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
	    INSERT INTO shop.orders (id, item) WITH RECURSIVE s (i) AS (SELECT
	        1 UNION ALL SELECT i + 1 FROM s WHERE i < 7010) SELECT i,
	        1 + i % 120 FROM s;
	    ANALYZE TABLE shop.items, shop.orders"
} >"$T/setup.log" 2>&1 && touch "$T/setup.ok"
DB1=$(srv_addr db1) DB2=$(srv_addr db2) DB3=$(srv_addr db3)

# The user comes from an option file, as on a DBA's machine.
mkdir -p "$T/home" && printf '[client]\nuser=rk\n' >"$T/home/.my.cnf"
export HOME=$T/home

# Stand-ins for logger and mail: each records its arguments and input.
mkdir -p "$T/shim" "$T/work"
for c in logger mail; do
	printf '#!/bin/sh\n{ echo "%s $*"; cat; } >>"%s/%s.log"\n' \
	    "$c" "$T" "$c" >"$T/shim/$c"
	chmod +x "$T/shim/$c"
done

# map DB3: the page's names replaced by the test servers, db3 by DB3.
map() {
	sed -E -e "s#(^|[ (])db1:3306([ )]|\$)#\\1$DB1\\2#g" \
	    -e "s#(^|[ (])db2:3306([ )]|\$)#\\1$DB2\\2#g" \
	    -e "s#(^|[ (])db3:3306([ )]|\$)#\\1$1\\2#g"
}

# unmap DB3: the test servers' addresses put back as the page's names.
unmap() {
	sed -e "s#$DB1#db1:3306#g" -e "s#$DB2#db2:3306#g" -e "s#$1#db3:3306#g"
}

# normal: spaces squeezed, times and estimates left out.
normal() {
	sed -E -e 's/ +/ /g' -e 's/ $//' \
	    -e 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/TIME/' \
	    -e 's/"time":"[^"]*"/"time":"TIME"/' -e 's/~[0-9]+/~N/g'
}

# aligned FILE: a table of the page is aligned as repl-count aligns it
# (as t/1500-repl-count.t checks): the first column left, the servers
# right, the status last, two spaces between.
aligned() {
	awk '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i
		if (length($i) > w[i]) w[i] = length($i) }
		n[NR] = NF }
	END { for (r = 1; r <= NR; r++) {
		line = sprintf("%-" w[1] "s", c[r, 1])
		for (i = 2; i < n[r]; i++)
			line = line sprintf("  %" w[i] "s", c[r, i])
		print line "  " c[r, n[r]] } }' "$1" >"$1.aligned" &&
	diff -u "$1.aligned" "$1"
}

# broken: a row of shop.orders deleted on db2, not replicated;
# mended: put back.
broken() {
	srv_sql db2 "SET sql_log_bin = 0; DELETE FROM shop.orders WHERE id = 7010"
}
mended() {
	srv_sql db2 "SET sql_log_bin = 0; INSERT INTO shop.orders (id, item)
	    VALUES (7010, 51)"
}

# run_example E: run example E (ex_run) in the state its output shows.
run_example() {
	local db3=$DB3 want=0 ok=1 cmd
	if grep -q ' down' "$1.out" 2>/dev/null; then
		db3=$DEAD want=3
	fi
	if grep -q ' differ$' "$1.out" 2>/dev/null; then
		want=1
		broken || return 1
	fi
	if grep -q '"exit":' "$1.out" 2>/dev/null; then
		want=$(sed -nE 's/.*"exit":([0-9]+).*/\1/p' "$1.out")
	fi
	cmd=$(map "$db3" <"$1.cmd")
	ex_run "$1" "$want" "$cmd" || ok=0
	[ "$want" = 1 ] && { mended || return 1; }
	[ "$ok" = 1 ] || return 1
	unmap "$db3" <"$1.stdout" | normal >"$1.got"
	if [ -f "$1.out" ]; then
		if head -n 1 "$1.out" | grep -q '^table '; then
			aligned "$1.out" || return 1
		fi
		normal <"$1.out" >"$1.want"
	else
		: >"$1.want"
	fi
	diff -u "$1.want" "$1.got"
}

# run_cron FILE STATE: run the command of a crontab line (or a script)
# with db2 broken, db3 down, or all well, as cron would: with sh.
run_cron() {
	local db3=$DB3 rc=0 cmd
	[ "$2" = down ] && db3=$DEAD
	[ "$2" = differ ] && { broken || return 1; }
	cmd=$(map "$db3" <"$1")
	rm -f "$T/logger.log" "$T/mail.log"
	printf '%s\n' "$cmd"
	(cd "$T/work" && PATH=$T/shim:$PATH exec sh -c "$cmd" </dev/null) ||
	    rc=$?
	[ "$2" = differ ] && { mended || return 1; }
	[ "$rc" = 0 ] || { echo "exit $rc"; return 1; }
}

test_expect 'servers start, replicate, and hold the data of the page' '
	{ [ -f "$T/setup.ok" ] || { cat "$T/setup.log"; false; }; } &&
	repl-wait -t 30 --replica "$DB2" "$DB3" </dev/null &&
	repl-pos "$DB1" >"$T/pos" && repl-wait -t 30 "$DB2" "$DB3" <"$T/pos" &&
	srv_sql db2 "ANALYZE TABLE shop.items, shop.orders" >/dev/null &&
	srv_sql db3 "ANALYZE TABLE shop.items, shop.orders" >/dev/null
'

ex_extract "$PAGE" "$T"
test_expect 'the page has examples, a crontab line and a script' '
	ls "$T"/ex/*/*.cmd && ls "$T"/cron/* && ls "$T"/script/*
'

for e in "$T"/ex/*/*.cmd; do
	[ -f "$e" ] || continue
	e=${e%.cmd}
	test_expect "repl-count.1: $(cat "$e.cmd")" 'run_example "$e"'
done

for f in "$T"/cron/* "$T"/script/*; do
	[ -f "$f" ] || continue
	what=$(basename "$(dirname "$f")")
	test_expect "the $what, all well: no alert" '
		run_cron "$f" well &&
		test ! -e "$T/logger.log" && test ! -e "$T/mail.log"
	'
	test_expect "the $what, a row missing on db2: an alert" '
		run_cron "$f" differ &&
		{ cat "$T"/logger.log "$T"/mail.log 2>/dev/null || :; } >alert &&
		check_grep alert "^(logger .*exit status 1|mail -s replicas differ dba)$"
	'
	test_expect "the $what, db3 down: an alert" '
		run_cron "$f" down &&
		{ cat "$T"/logger.log "$T"/mail.log 2>/dev/null || :; } >alert &&
		check_grep alert "^logger .*(exit status 3)?$" &&
		check_grep alert "(exit status 3|unable to connect to .$DEAD.)"
	'
done

done_testing
