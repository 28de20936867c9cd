#!/bin/bash
# The EXAMPLES of repl-clone(1), run against a source with data and two
# empty servers: every "$ command" line of a literal display is run, its
# host names mapped to the test servers (db1 the source, db4, db5 and, on
# MySQL, db6 empty), and must exit 0; then what each promised is checked:
# the plan changed nothing, db4 replicates from db1 with all of its rows,
# db5 holds the one database and pos its coordinate line, db6 (the clone
# plugin's; started again by the test when it stops for its restart, as a
# supervisor would) replicates from db1.  The clone plugin's examples are
# visible skips on MariaDB.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
# shellcheck source=t/lib/clone.sh
. "$TOP/t/lib/clone.sh"

PAGE=$TOP/man/repl-clone.1
srv_require 'repl-clone(1) examples'

SSL=
[ "$SRV_SERVER" = mariadb-11.8 ] && SSL=--ssl
PLUGIN=()
[ "$SRV_FLAVOR" = mysql ] &&
    PLUGIN=(--performance-schema=ON --plugin-load-add=mysql_clone.so)

# Start the servers here, not inside a test: srv_start records their pids
# for the cleanup at exit, which a test's subshell would lose.
{
	srv_start db1 $SSL "${PLUGIN[@]}" && srv_start db4 $SSL && srv_start db5 $SSL &&
	{ [ "$SRV_FLAVOR" != mysql ] || srv_start db6 $SSL "${PLUGIN[@]}"; } &&
	srv_sql db1 "CREATE DATABASE shop; CREATE TABLE shop.items (id INT
	    PRIMARY KEY, name VARCHAR(40)); INSERT INTO shop.items VALUES
	    (1, 'one'), (2, 'two'); CREATE DATABASE d; CREATE TABLE d.t
	    (i INT PRIMARY KEY); INSERT INTO d.t VALUES (1), (2), (3)"
} >"$T/setup.log" 2>&1 && touch "$T/setup.ok"
DB1=$(srv_addr db1) DB4=$(srv_addr db4) DB5=$(srv_addr db5)
DB6=$(srv_addr db6 2>/dev/null)

# The user comes from an option file, the password from MYSQL_PWD.
mkdir -p "$T/home" "$T/work" && printf '[client]\nuser=rk\n' >"$T/home/.my.cnf"
export HOME=$T/home
printf '%s\n' "$REPL_PASS" >"$T/repl-password"

# The examples, one a line, roff escapes undone.
awk '/^\.Bd -literal/ { inb = 1; next } /^\.Ed/ { inb = 0; next }
    inb && /^\$ / { gsub(/\\-/, "-"); print substr($0, 3) }' "$PAGE" \
    >"$T/examples"

map() {
	sed -E -e ':a' -e "s#(^| )db1( |\$)#\\1$DB1\\2#; ta" \
	    -e "s#(^| )db4( |\$)#\\1$DB4\\2#; ta" \
	    -e "s#(^| )db5( |\$)#\\1$DB5\\2#; ta" \
	    -e "s#(^| )db6( |\$)#\\1$DB6\\2#; ta" \
	    -e "s#/run/secrets/repl#$T/repl-password#g"
}

databases() {
	srv_sql "$1" "SHOW DATABASES"
}

# unchanged N NAME PATTERN: example N printed PATTERN, and NAME holds the
# databases it held before.
unchanged() {
	check_grep "$T/ex$1.out" "$3" &&
	databases "$2" >"$T/$2.after" && diff "$T/$2.before" "$T/$2.after"
}

# replicates NAME ADDR ID TABLE COUNT: a row written on db1 (d.t's ID)
# reaches NAME, which repl-diff finds like db1, and whose TABLE has COUNT
# rows.
replicates() {
	srv_sql db1 "INSERT INTO d.t VALUES ($3)" &&
	repl-pos "$DB1" | repl-wait -t 60 "$2" &&
	repl-diff "$DB1" "$2" >"$T/diff" && check_empty "$T/diff" &&
	test "$(srv_sql "$1" "SELECT COUNT(*) FROM $4")" = "$5"
}

test_expect 'servers start; the page has its five examples' '
	{ [ -f "$T/setup.ok" ] || { cat "$T/setup.log"; false; }; } &&
	test "$(wc -l <"$T/examples")" = 5
'

n=0
while IFS= read -r ex; do
	n=$((n + 1))
	cmd=$(printf '%s\n' "$ex" | map)
	databases db4 >"$T/db4.before"
	case $ex in
	*--method=clone*)
		srv_only mysql "repl-clone.1: $ex" 'the clone plugin is MySQL'"'"'s' ||
		    continue
		databases db6 >"$T/db6.before"
		# The supervisor db6 lacks: start it again once it stops.
		case $ex in
		*' -n '*) ;;
		*) restart_when_gone db6 ;;
		esac ;;
	esac
	test_expect "repl-clone.1: $ex" '
		(cd "$T/work" && bash -o pipefail -c "$cmd" </dev/null \
		    >"$T/ex$n.out" 2>"$T/ex$n.err") ||
		    { cat "$T/ex$n.out" "$T/ex$n.err"; false; }
	'
	case $ex in
	*' -n '*--method=clone*)
		test_expect 'the plan of the clone plugin: nothing changed' '
			unchanged "$n" db6 "^clone instance$"
		' ;;
	*--method=clone*)
		test_expect 'db6, restarted on its copy, replicates from db1' '
			replicates db6 "$DB6" 5 shop.items 2
		' ;;
	*' -n '*)
		test_expect 'the plan: a table a line; nothing changed' '
			unchanged "$n" db4 "^copy table shop\.items "
		' ;;
	*repl-attach*)
		test_expect 'db4 replicates from db1, with all of its rows' '
			replicates db4 "$DB4" 4 d.t 4
		' ;;
	*'>pos'*)
		test_expect 'db5 holds shop only, pos a coordinate line' '
			check_grep "$T/work/pos" "^flavor=$SRV_FLAVOR host=127\.0\.0\.1 " &&
			test "$(srv_sql db5 "SELECT COUNT(*) FROM shop.items")" = 2 &&
			test -z "$(srv_sql db5 "SHOW DATABASES LIKE \"d\"")"
		' ;;
	esac
done <"$T/examples"

done_testing
