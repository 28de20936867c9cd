# shellcheck shell=bash
# What the repl-clone tests share, sourced after server.sh: the state a
# refusal must leave as it was, a command that must fail with a given
# status, and a writer on the source.

# state NAME: the databases, the tables, the replica status, the GTID
# position, and on MySQL the clone plugin and its donor list.
state() {
	srv_sql "$1" "SELECT GROUP_CONCAT(CONCAT(TABLE_SCHEMA, '.', TABLE_NAME)
	    ORDER BY 1) FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN
	    ('mysql', 'information_schema', 'performance_schema', 'sys');
	    SHOW DATABASES; SHOW REPLICA STATUS" &&
	srv_gtid "$1" &&
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql "$1" "SELECT COUNT(*) FROM information_schema.PLUGINS
		    WHERE PLUGIN_NAME = 'clone'; SELECT IFNULL((SELECT
		    @@GLOBAL.clone_valid_donor_list), '-')" 2>/dev/null || :
	fi
}

# fails N CMD...: CMD exits N, its output in out and err; else both shown.
fails() {
	local want=$1
	shift
	expect_exit "$want" "$@" >"$T/out" 2>"$T/err" ||
	    { cat "$T/out" "$T/err"; false; }
}

# refused NAME PATTERN CMD...: CMD exits 2, with nothing on stdout and
# PATTERN on stderr (in out and err), and NAME is as it was (before).
refused() {
	local name=$1 pattern=$2
	shift 2
	state "$name" >"$T/before" && fails 2 "$@" && check_empty "$T/out" &&
	    check_grep "$T/err" "$pattern" &&
	    state "$name" >"$T/after" && diff "$T/before" "$T/after"
}

# writer: a row at a time into d.w on the source until $T/stop exists.
writer() {
	local i=0
	while [ ! -f "$T/stop" ]; do
		i=$((i + 1))
		srv_sql src "INSERT INTO d.w (v) VALUES ($i)" >/dev/null 2>&1
		sleep 0.02
	done
}

# marked NAME: NAME holds the marker of a clone that did not finish.
marked() {
	test "$(srv_sql "$1" "SELECT COUNT(*) FROM information_schema.SCHEMATA
	    WHERE SCHEMA_NAME = 'replkit_incomplete_clone'")" = 1
}

# restart_when_gone NAME: in the background, start NAME's server again
# once it stops (for its clone's restart, as a supervisor would); the
# watcher's pid in rpid.
restart_when_gone() {
	{ wait_for 3000 0.1 srv_gone "$1" && srv_restart "$1"; } \
	    >"$T/restart-$1.log" 2>&1 &
	rpid=$!
}
