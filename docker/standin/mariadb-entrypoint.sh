#!/bin/bash
# The stand-in server image's entrypoint: Debian's mariadb-server behind
# the part of the official mariadb and mysql images' interface that the
# replkit compose stacks use, and nothing more (docker/README):
#
#   MYSQL_ROOT_PASSWORD_FILE / MARIADB_ROOT_PASSWORD_FILE (or the
#     variables without _FILE): root@localhost's password, required
#   MYSQL_ROOT_HOST / MARIADB_ROOT_HOST: another root account's host,
#     '%' when unset, as in the official images; 'localhost' for none
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
	set -- mariadbd "$@"
fi
if [ "$1" != mariadbd ] && [ "$1" != mysqld ]; then
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
file_env MARIADB_ROOT_PASSWORD "$MYSQL_ROOT_PASSWORD"
file_env MYSQL_ROOT_HOST %
file_env MARIADB_ROOT_HOST "$MYSQL_ROOT_HOST"
export MYSQL_ROOT_PASSWORD=$MARIADB_ROOT_PASSWORD

# docker_process_sql [client args]: SQL on stdin, as root over the socket.
# shellcheck disable=SC2120
docker_process_sql() {
	local pw=${MARIADB_ROOT_PASSWORD//\\/\\\\}
	pw=${pw//\"/\\\"}
	mariadb --defaults-extra-file=<(printf '[client]\npassword="%s"\n' "$pw") \
	    --skip-ssl --protocol=socket -uroot --socket="$SOCKET" "$@"
}

# temp_sql [client args]: root without password, on the temporary server;
# without TLS, which the 11.4 and later clients would otherwise verify
# (and fail to, for a certificate of a private CA in /etc/mysql/conf.d).
temp_sql() {
	mariadb --no-defaults --skip-ssl --protocol=socket --socket="$SOCKET" -uroot "$@"
}

sql_string() {
	local s=${1//\\/\\\\}
	printf "'%s'" "${s//\'/\'\'}"
}

if [ ! -d "$DATADIR/mysql" ]; then
	[ -n "$MARIADB_ROOT_PASSWORD" ] ||
	    error "the database is uninitialized and no root password is set: give MYSQL_ROOT_PASSWORD_FILE"
	note "initializing the database in $DATADIR"
	mariadb-install-db --datadir="$DATADIR" --skip-test-db --skip-log-bin \
	    --auth-root-authentication-method=normal "${@:2}" >/dev/null
	note "starting a temporary server"
	"$@" --skip-networking --socket="$SOCKET" --skip-slave-start &
	pid=$!
	for i in $(seq 600); do
		temp_sql -e 'SELECT 1' >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || error "the temporary server died"
		[ "$i" -lt 600 ] || error "the temporary server does not answer"
		sleep 0.1
	done
	rootcreate=
	if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != localhost ]; then
		rootcreate="CREATE USER 'root'@$(sql_string "$MARIADB_ROOT_HOST") IDENTIFIED BY $(sql_string "$MARIADB_ROOT_PASSWORD");
GRANT ALL ON *.* TO 'root'@$(sql_string "$MARIADB_ROOT_HOST") WITH GRANT OPTION;"
	fi
	temp_sql <<-SQL
		SET @@SESSION.SQL_LOG_BIN = 0;
		DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');
		DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';
		FLUSH PRIVILEGES;
		SET PASSWORD FOR 'root'@'localhost' = PASSWORD($(sql_string "$MARIADB_ROOT_PASSWORD"));
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
