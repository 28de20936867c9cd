# shellcheck shell=bash
# Real mariadbd servers for tests: throwaway datadirs copied from a
# template, 127.0.0.1 ports, binary log on, a unique server_id each, and
# stopped by pid whatever happens to the test.

# shellcheck source=t/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
TEMPLATE=$TOP/t/trash/.template
RK_USER=rk
RK_PASS=rk-secret
REPL_USER=repl
REPL_PASS=repl-secret
export MYSQL_PWD=$RK_PASS
srv_pids=()
srv_next_id=1

have_mariadb() {
	[ -x "$MARIADBD" ] && command -v mariadb-install-db >/dev/null &&
	    command -v mariadb >/dev/null
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

srv_base_args() {
	echo --no-defaults --user=root --skip-name-resolve \
	    --innodb-buffer-pool-size=16M --innodb-log-file-size=8M \
	    --performance-schema=OFF --skip-innodb-adaptive-hash-index \
	    --max-connections=200 --open-files-limit=1024 --relay-log=relay-bin --loose-skip-ssl
}

# The template datadir: install once, create the test users, reuse.
srv_template() {
	[ -f "$TEMPLATE/done" ] && return 0
	mkdir -p "$(dirname "$TEMPLATE")" || return 1
	(
		flock 9
		[ -f "$TEMPLATE/done" ] && exit 0
		rm -rf "$TEMPLATE" && mkdir -p "$TEMPLATE" || exit 1
		mariadb-install-db --no-defaults --datadir="$TEMPLATE/data" \
		    --auth-root-authentication-method=normal --skip-test-db \
		    --user=root >"$TEMPLATE/install.log" 2>&1 || {
			cat "$TEMPLATE/install.log" >&2
			exit 1
		}
		# shellcheck disable=SC2046
		"$MARIADBD" $(srv_base_args) --datadir="$TEMPLATE/data" \
		    --skip-networking --socket="$TEMPLATE/sock" \
		    --log-error="$TEMPLATE/err.log" &
		pid=$!
		wait_for 100 0.1 env -u MYSQL_PWD mariadb --no-defaults -S "$TEMPLATE/sock" \
		    -uroot -e 'SELECT 1' || { kill -9 "$pid"; exit 1; }
		env -u MYSQL_PWD mariadb --no-defaults -S "$TEMPLATE/sock" -uroot <<SQL || { kill -9 "$pid"; exit 1; }
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;
CREATE USER '$RK_USER'@'127.0.0.1' IDENTIFIED BY '$RK_PASS';
GRANT ALL ON *.* TO '$RK_USER'@'127.0.0.1' WITH GRANT OPTION;
CREATE USER '$RK_USER'@'localhost' IDENTIFIED BY '$RK_PASS';
GRANT ALL ON *.* TO '$RK_USER'@'localhost' WITH GRANT OPTION;
CREATE USER '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$REPL_PASS';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$REPL_USER'@'127.0.0.1';
SQL
		kill "$pid" && wait "$pid"
		touch "$TEMPLATE/done"
	) 9>"$TOP/t/trash/.template.lock"
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

# srv_start NAME [mariadbd args...]: start a server; SRV_PORT forces the
# port.
srv_start() {
	local name=$1 dir=$T/$1 port tries=0 pid id
	shift
	srv_template || return 1
	id=$srv_next_id
	srv_next_id=$((srv_next_id + 1))
	if [ ! -d "$dir/data" ]; then
		mkdir -p "$dir" && cp -a "$TEMPLATE/data" "$dir/data" || return 1
	fi
	echo "$id" >"$dir/server_id"
	while :; do
		port=${SRV_PORT:-$(( (RANDOM % 20000) + 20000 ))}
		# shellcheck disable=SC2046
		"$MARIADBD" $(srv_base_args) --datadir="$dir/data" \
		    --socket="$dir/sock" --port="$port" \
		    --bind-address=127.0.0.1 --server-id="$id" \
		    --log-bin=mysql-bin --binlog-format=ROW \
		    --log-error="$dir/err.log" --pid-file="$dir/pid" "$@" \
		    2>>"$dir/err.log" &
		pid=$!
		srv_pids+=("$pid")
		echo "$pid" >>"$T/.pids"
		echo "$pid" >"$dir/mariadbd.pid"
		echo "$port" >"$dir/port"
		: >"$dir/args"
		[ $# -eq 0 ] || printf '%s\n' "$@" >"$dir/args"
		if wait_for 300 0.1 srv_up "$name" "$pid"; then
			if srv_ready "$name"; then
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
	local name=$1 dir=$T/$1 port pid args=()
	port=$(cat "$dir/port")
	mapfile -t args <"$dir/args"
	# shellcheck disable=SC2046
	"$MARIADBD" $(srv_base_args) --datadir="$dir/data" \
	    --socket="$dir/sock" --port="$port" \
	    --bind-address=127.0.0.1 --server-id="$(cat "$dir/server_id")" \
	    --log-bin=mysql-bin --binlog-format=ROW \
	    --log-error="$dir/err.log" --pid-file="$dir/pid" "${args[@]}" \
	    2>>"$dir/err.log" &
	pid=$!
	srv_pids+=("$pid")
	echo "$pid" >>"$T/.pids"
	echo "$pid" >"$dir/mariadbd.pid"
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

# srv_status NAME FIELD: one field of SHOW SLAVE STATUS.
srv_status() {
	env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot -E \
	    -e "SHOW SLAVE STATUS" | sed -n "s/^ *$2: //p"
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
	srv_sql "$1" "CHANGE MASTER TO MASTER_HOST='127.0.0.1',
	    MASTER_PORT=$(cat "$T/$2/port"), MASTER_USER='$REPL_USER',
	    MASTER_PASSWORD='$REPL_PASS', MASTER_USE_GTID=slave_pos,
	    MASTER_CONNECT_RETRY=1; START SLAVE"
}

# srv_errlog NAME: show a server's error log (for failure diagnostics).
srv_errlog() {
	cat "$T/$1/err.log" >&2
}
