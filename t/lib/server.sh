# shellcheck shell=bash
# Real mariadbd servers for tests: throwaway datadirs copied from a
# template, 127.0.0.1 ports, binary log on, a unique server_id each, and
# stopped by pid whatever happens to the test.

# shellcheck source=t/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# The server under test: one flavor per run, chosen by REPLKIT_TEST_SERVER
# (mariadb-10.11, the host's own, by default; mariadb-11.8 and mysql-9.7
# run from the Debian roots build/serverroot.sh makes).  Every server test
# runs against each flavor in `make test`.
SRV_SERVER=${REPLKIT_TEST_SERVER:-mariadb-10.11}
case $SRV_SERVER in
mariadb-*) SRV_FLAVOR=mariadb ;;
mysql-*) SRV_FLAVOR=mysql ;;
*)
	echo "server.sh: unknown REPLKIT_TEST_SERVER '$SRV_SERVER' (mariadb-10.11, mariadb-11.8, mysql-9.7)" >&2
	exit 1
	;;
esac
SRV_ROOT=$("$TOP/build/serverroot.sh" --path "$SRV_SERVER") || exit 1
if [ "$SRV_FLAVOR" = mysql ]; then
	MARIADBD=/usr/sbin/mysqld
elif [ "$SRV_ROOT" = / ]; then
	MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
else
	MARIADBD=/usr/sbin/mariadbd
fi
TEMPLATE=$TOP/t/trash/.template-$SRV_SERVER
RK_USER=rk
RK_PASS=rk-secret
REPL_USER=repl
REPL_PASS=repl-secret
export MYSQL_PWD=$RK_PASS
srv_pids=()
srv_next_id=1

# have_server: the server of this run can start here.
have_server() {
	command -v mariadb >/dev/null || return 1
	if [ "$SRV_ROOT" = / ]; then
		[ -x "$MARIADBD" ] && command -v mariadb-install-db >/dev/null
	else
		[ -f "$SRV_ROOT/.replkit-done" ] && [ -x "$SRV_ROOT$MARIADBD" ] &&
		    [ "$(id -u)" = 0 ] && command -v unshare >/dev/null
	fi
}
have_mariadb() { have_server; }

# srv_require [WHAT]: skip the whole file, visibly, where no server of
# this run can start (the one skip-when-no-server of the suite).
srv_require() {
	have_server && return 0
	if [ "$SRV_ROOT" = / ]; then
		skip_all "${1:-server tests}: no $SRV_SERVER here (mariadbd, mariadb-install-db or mariadb not installed)"
	fi
	skip_all "${1:-server tests}: no $SRV_SERVER root (build/serverroot.sh $SRV_SERVER makes it, as root)"
}

# srv_only FLAVOR DESCRIPTION REASON: true on FLAVOR; elsewhere a visible
# TAP skip that names the reason, and false (the test is not run).
srv_only() {
	[ "$SRV_FLAVOR" = "$1" ] && return 0
	test_skip "$2" "$3 (not on $SRV_SERVER)"
	return 1
}

# srv_exec_in_root CMD...: replace this shell by CMD, run where the
# server of this run lives (see srv_in_root).  For `srv_exec_in_root ...
# &`: a function run in the background is a subshell, which exec
# replaces, so $! is the server's own pid, as srv_kill needs.
srv_exec_in_root() {
	if [ "$SRV_ROOT" = / ]; then
		exec "$@"
	fi
	exec unshare -m --propagation private -- /bin/sh -c '
		r=$1 a=$2 b=$3
		shift 3
		for d in "$a" "$b"; do
			mkdir -p "$r$d" && mount --bind "$d" "$r$d" || exit 1
		done
		exec chroot "$r" "$@"' sh "$SRV_ROOT" "$TOP/t/trash" "$T" "$@"
}

# srv_in_root CMD...: run CMD where the server of this run lives: on the
# host, or chrooted into its Debian root, in a mount namespace of its own
# that shows the test folders at the same paths.
srv_in_root() {
	(srv_exec_in_root "$@")
}
# Stop every server this script started: a clean shutdown, bounded,
# then kill -9 for any that does not go.
srv_cleanup() {
	local p
	if [ -f "$T/.pids" ]; then
		mapfile -t srv_pids <"$T/.pids"
	fi
	for p in "${srv_pids[@]}"; do
		kill "$p" 2>/dev/null || :
	done
	for p in "${srv_pids[@]}"; do
		wait_for 100 0.1 eval "! kill -0 $p" || kill -9 "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
	return 0
}
trap srv_cleanup EXIT
trap 'exit 130' INT TERM

# The arguments every server of this run gets (the datadir, port and
# server_id come per server).
srv_base_args() {
	echo --no-defaults --user=root --skip-name-resolve \
	    --innodb-buffer-pool-size=16M --performance-schema=OFF \
	    --skip-innodb-adaptive-hash-index --max-connections=200 \
	    --open-files-limit=1024 --relay-log=relay-bin --innodb-use-native-aio=OFF
	# TLS as each server comes: MySQL and MariaDB 11.4 and later make a
	# certificate of their own (and 11.x replicas insist on TLS by
	# default); MariaDB 10.11 has none here.
	case $SRV_SERVER in
	mysql-*)
		echo --innodb-redo-log-capacity=8M --mysqlx=OFF --secure-file-priv= ;;
	mariadb-10.*)
		echo --innodb-log-file-size=8M --loose-skip-ssl ;;
	*)
		echo --innodb-log-file-size=8M ;;
	esac
}

# The arguments of a server that writes a binary log: GTIDs on MySQL as
# MariaDB always has them, row-based everywhere.
srv_binlog_args() {
	echo --log-bin=mysql-bin
	if [ "$SRV_FLAVOR" = mysql ]; then
		echo --gtid-mode=ON --enforce-gtid-consistency=ON
	else
		echo --binlog-format=ROW
	fi
}

# The test accounts, the same on every flavor (MySQL's default
# authentication, caching_sha2_password, as in the seeds): rk for the
# tools, repl for replication.
srv_accounts_sql() {
	if [ "$SRV_FLAVOR" = mariadb ]; then
		cat <<SQL
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;
SQL
	fi
	cat <<SQL
CREATE USER '$RK_USER'@'127.0.0.1' IDENTIFIED BY '$RK_PASS';
GRANT ALL ON *.* TO '$RK_USER'@'127.0.0.1' WITH GRANT OPTION;
CREATE USER '$RK_USER'@'localhost' IDENTIFIED BY '$RK_PASS';
GRANT ALL ON *.* TO '$RK_USER'@'localhost' WITH GRANT OPTION;
CREATE USER '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$REPL_PASS';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$REPL_USER'@'127.0.0.1';
SQL
}

# The template datadir: install once, create the test users, reuse.
srv_template() {
	[ -f "$TEMPLATE/done" ] && return 0
	mkdir -p "$(dirname "$TEMPLATE")" || return 1
	(
		flock 9
		[ -f "$TEMPLATE/done" ] && exit 0
		rm -rf "$TEMPLATE" && mkdir -p "$TEMPLATE" || exit 1
		if [ "$SRV_FLAVOR" = mysql ]; then
			srv_in_root "$MARIADBD" --no-defaults --initialize-insecure \
			    --user=root --datadir="$TEMPLATE/data" \
			    --innodb-redo-log-capacity=8M
		else
			srv_in_root mariadb-install-db --no-defaults \
			    --datadir="$TEMPLATE/data" \
			    --auth-root-authentication-method=normal --skip-test-db \
			    --skip-name-resolve --force \
			    --user=root
		fi >"$TEMPLATE/install.log" 2>&1 || {
			cat "$TEMPLATE/install.log" >&2
			exit 1
		}
		# shellcheck disable=SC2046
		srv_exec_in_root "$MARIADBD" $(srv_base_args) --datadir="$TEMPLATE/data" \
		    --skip-networking --socket="$TEMPLATE/sock" --skip-log-bin \
		    --log-error="$TEMPLATE/err.log" &
		pid=$!
		wait_for 300 0.1 env -u MYSQL_PWD mariadb --no-defaults -S "$TEMPLATE/sock" \
		    -uroot -e 'SELECT 1' || { cat "$TEMPLATE/err.log" >&2; kill -9 "$pid"; exit 1; }
		srv_accounts_sql | env -u MYSQL_PWD mariadb --no-defaults -S "$TEMPLATE/sock" \
		    -uroot || { kill -9 "$pid"; exit 1; }
		kill "$pid" && wait "$pid"
		# Each server makes its own server_uuid (MySQL).
		rm -f "$TEMPLATE/data/auto.cnf"
		touch "$TEMPLATE/done"
	) 9>"$TOP/t/trash/.template-$SRV_SERVER.lock"
}

# free_port: a port nothing listens on now (mariadbd still checks).
free_port() {
	local p
	while :; do
		p=$(( (RANDOM % 20000) + 20000 ))
		(echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

# now_ms: wall clock in milliseconds, for elapsed-time checks.
now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# srv_launch NAME PORT ARGS...: start NAME's server in the background,
# record its pid. Each server has its own tmpdir: a server starting
# removes every #sql* file in its tmpdir, and so would remove the temporary
# tables of another server that shared it (the servers of one root, or
# the host's, all have /tmp).
srv_launch() {
	local name=$1 dir=$T/$1 port=$2 pid
	shift 2
	mkdir -p "$dir/tmp"
	# shellcheck disable=SC2046
	srv_exec_in_root "$MARIADBD" $(srv_base_args) $(srv_binlog_args) \
	    --tmpdir="$dir/tmp" \
	    --datadir="$dir/data" --socket="$dir/sock" --port="$port" \
	    --bind-address=127.0.0.1 --server-id="$(cat "$dir/server_id")" \
	    --log-error="$dir/err.log" --pid-file="$dir/pid" "$@" \
	    2>>"$dir/err.log" &
	pid=$!
	srv_pids+=("$pid")
	echo "$pid" >>"$T/.pids"
	echo "$pid" >"$dir/mariadbd.pid"
}

# srv_start NAME [server args...]: start a server; SRV_PORT forces the
# port.
srv_start() {
	local name=$1 dir=$T/$1 port tries=0 pid id
	shift
	srv_template || return 1
	id=$srv_next_id
	srv_next_id=$((srv_next_id + 1))
	if [ ! -d "$dir/data" ]; then
		mkdir -p "$dir" && cp -a --sparse=always "$TEMPLATE/data" "$dir/data" || return 1
	fi
	echo "$id" >"$dir/server_id"
	while :; do
		port=${SRV_PORT:-$(( (RANDOM % 20000) + 20000 ))}
		srv_launch "$name" "$port" "$@"
		pid=$(cat "$dir/mariadbd.pid")
		echo "$port" >"$dir/port"
		: >"$dir/args"
		[ $# -eq 0 ] || printf '%s\n' "$@" >"$dir/args"
		if wait_for 300 0.1 srv_up "$name" "$pid"; then
			if srv_ready "$name" 2>/dev/null; then
				eval "${name}_port=$port"
				return 0
			fi
			# It died: most likely the port was taken. Another one.
			tries=$((tries + 1))
			[ "$tries" -lt 5 ] && continue
		fi
		kill -9 "$pid" 2>/dev/null
		echo "srv_start: $name did not start; its error log:" >&2
		cat "$dir/err.log" >&2
		return 1
	done
}

# srv_up NAME PID: true once the server answers or its process is gone.
srv_up() {
	srv_ready "$1" || ! kill -0 "$2" 2>/dev/null
}

# srv_restart NAME: start a stopped or killed server again, same port.
srv_restart() {
	local name=$1 dir=$T/$1 args=()
	mapfile -t args <"$dir/args"
	srv_launch "$name" "$(cat "$dir/port")" "${args[@]}"
	wait_for 300 0.1 srv_ready "$name" || {
		cat "$dir/err.log" >&2
		return 1
	}
}

srv_ready() {
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -e 'SELECT 1' >/dev/null
}

# srv_stop NAME: a clean shutdown, bounded; srv_kill NAME: kill -9.
srv_stop() {
	local pid
	pid=$(cat "$T/$1/mariadbd.pid")
	kill "$pid" 2>/dev/null
	wait_for 300 0.1 eval "! kill -0 $pid" || kill -9 "$pid"
	wait "$pid" 2>/dev/null || :
	return 0
}

# srv_gone NAME: NAME's server process has exited (a clone's restart).
srv_gone() {
	! kill -0 "$(cat "$T/$1/mariadbd.pid")" 2>/dev/null
}

srv_kill() {
	local pid
	pid=$(cat "$T/$1/mariadbd.pid")
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || :
	return 0
}

# srv_sql NAME SQL: run SQL as root over the socket; rows tab-separated.
srv_sql() {
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -N -B -e "$2"
}

# srv_status NAME FIELD: one field of the replica status, by its MariaDB
# name (Slave_SQL_Running); MySQL's names (Replica_SQL_Running) are found
# from it.
srv_status() {
	local f=$2
	[ "$SRV_FLAVOR" = mysql ] && f=$(echo "$f" | sed 's/Slave/Replica/g; s/Master/Source/g')
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -E \
	    -e "SHOW REPLICA STATUS" | sed -n "s/^ *$f: //p"
}

# srv_status_is NAME FIELD VALUE
srv_status_is() {
	[ "$(srv_status "$1" "$2")" = "$3" ]
}

# srv_addr NAME: the operand a tool uses.
srv_addr() {
	echo "127.0.0.1:$(cat "$T/$1/port")"
}

# srv_replicate REPLICA SOURCE: wire replication by hand (GTID).
srv_replicate() {
	srv_sql "$1" "$(srv_change_sql "$2") $(srv_gtid_sql); START REPLICA"
}

# srv_change_sql SOURCE: the start of the statement that points a replica
# at SOURCE, in this flavor's dialect (without the GTID clause).
srv_change_sql() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		echo "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1',
		    SOURCE_PORT=$(cat "$T/$1/port"), SOURCE_USER='$REPL_USER',
		    SOURCE_PASSWORD='$REPL_PASS', GET_SOURCE_PUBLIC_KEY=1,
		    SOURCE_CONNECT_RETRY=1"
	else
		echo "CHANGE MASTER TO MASTER_HOST='127.0.0.1',
		    MASTER_PORT=$(cat "$T/$1/port"), MASTER_USER='$REPL_USER',
		    MASTER_PASSWORD='$REPL_PASS', MASTER_CONNECT_RETRY=1"
	fi
}

# srv_gtid_sql: the clause that makes it replicate by GTID.
srv_gtid_sql() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		echo ", SOURCE_AUTO_POSITION=1"
	else
		echo ", MASTER_USE_GTID=slave_pos"
	fi
}

# srv_gtid NAME: the GTID position the server has executed (and logged).
srv_gtid() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql "$1" "SELECT REPLACE(@@GLOBAL.gtid_executed, '\n', '')"
	else
		srv_sql "$1" "SELECT @@GLOBAL.gtid_binlog_pos"
	fi
}

# srv_reset_binlog NAME: forget the binary logs and the GTID history.
srv_reset_binlog() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql "$1" "RESET BINARY LOGS AND GTIDS"
	else
		srv_sql "$1" "RESET MASTER"
	fi
}

# srv_errlog NAME: show a server's error log (for failure diagnostics).
srv_errlog() {
	cat "$T/$1/err.log" >&2
}
