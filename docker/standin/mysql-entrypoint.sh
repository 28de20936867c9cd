#!/bin/bash
# The stand-in mysql image's entrypoint: Debian's mysql-server-core behind
# the part of the official mysql image's interface that the replkit
# compose stacks use, and nothing more (docker/README):
#
#   MYSQL_ROOT_PASSWORD_FILE (or MYSQL_ROOT_PASSWORD): root@localhost's
#     password, required
#   MYSQL_ROOT_HOST: another root account's host, '%' when unset, as in
#     the official image; 'localhost' for none
#   /docker-entrypoint-initdb.d: on the first start (empty datadir), its
#     *.sh (sourced, or run when executable) and *.sql, in name order,
#     against a temporary server without networking, on $SOCKET
#   /etc/mysql/conf.d/*.cnf: read by the server
#   arguments starting with '-': options for the server
set -eo pipefail
shopt -s nullglob

note() { printf '%s [Note] [Entrypoint]: %s\n' "$(date -u '+%F %T')" "$*"; }
error() { printf '%s [ERROR] [Entrypoint]: %s\n' "$(date -u '+%F %T')" "$*" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR from VAR or from the file VAR_FILE names.
file_env() {
	local var=$1 file=${1}_FILE def=${2:-} val
	if [ -n "${!var:-}" ] && [ -n "${!file:-}" ]; then
		error "both $var and $file are set"
	fi
	val=$def
	if [ -n "${!var:-}" ]; then
		val=${!var}
	elif [ -n "${!file:-}" ]; then
		val=$(<"${!file}")
	fi
	export "$var"="$val"
	unset "$file"
}

if [ "${1:0:1}" = - ]; then
	set -- mysqld "$@"
fi
if [ "$1" != mysqld ]; then
	exec "$@"
fi

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

if [ "$(id -u)" = 0 ]; then
	mkdir -p /run/mysqld
	chown -R mysql:mysql "$DATADIR" /run/mysqld
	exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
fi

file_env MYSQL_ROOT_PASSWORD
file_env MYSQL_ROOT_HOST %

# docker_process_sql [client args]: SQL on stdin, as root over the socket.
# shellcheck disable=SC2120
docker_process_sql() {
	local pw=${MYSQL_ROOT_PASSWORD//\\/\\\\}
	pw=${pw//\"/\\\"}
	mysql --defaults-extra-file=<(printf '[client]\npassword="%s"\n' "$pw") \
	    --protocol=socket -uroot --socket="$SOCKET" "$@"
}

sql_string() {
	local s=${1//\\/\\\\}
	printf "'%s'" "${s//\'/\'\'}"
}

if [ ! -d "$DATADIR/mysql" ]; then
	[ -n "$MYSQL_ROOT_PASSWORD" ] ||
	    error "the database is uninitialized and no root password is set: give MYSQL_ROOT_PASSWORD_FILE"
	note "initializing the database in $DATADIR"
	"$@" --initialize-insecure --default-time-zone=SYSTEM
	note "starting a temporary server"
	"$@" --skip-networking --socket="$SOCKET" --skip-replica-start \
	    --default-time-zone=SYSTEM &
	pid=$!
	for i in $(seq 600); do
		mysql --no-defaults --protocol=socket --socket="$SOCKET" -uroot \
		    -e 'SELECT 1' >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || error "the temporary server died"
		[ "$i" -lt 600 ] || error "the temporary server does not answer"
		sleep 0.1
	done
	rootcreate=
	if [ -n "$MYSQL_ROOT_HOST" ] && [ "$MYSQL_ROOT_HOST" != localhost ]; then
		rootcreate="CREATE USER 'root'@$(sql_string "$MYSQL_ROOT_HOST") IDENTIFIED BY $(sql_string "$MYSQL_ROOT_PASSWORD");
GRANT ALL ON *.* TO 'root'@$(sql_string "$MYSQL_ROOT_HOST") WITH GRANT OPTION;
GRANT PROXY ON ''@'' TO 'root'@$(sql_string "$MYSQL_ROOT_HOST") WITH GRANT OPTION;"
	fi
	mysql --no-defaults --protocol=socket --socket="$SOCKET" -uroot <<-SQL
		SET @@SESSION.SQL_LOG_BIN = 0;
		ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$MYSQL_ROOT_PASSWORD");
		$rootcreate
	SQL
	for f in /docker-entrypoint-initdb.d/*; do
		case $f in
		*.sh)
			if [ -x "$f" ]; then
				note "running $f"
				"$f"
			else
				note "sourcing $f"
				# shellcheck disable=SC1090
				. "$f"
			fi
			;;
		*.sql)
			note "running $f"
			docker_process_sql <"$f"
			;;
		*)
			note "ignoring $f"
			;;
		esac
	done
	note "stopping the temporary server"
	kill "$pid"
	wait "$pid" || :
	note "initialized"
fi

exec "$@"
