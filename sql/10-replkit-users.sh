# shellcheck shell=bash
# replkit: the users of a replication stack, made on each server's first
# start by the image's entrypoint, which sources this file from
# /docker-entrypoint-initdb.d while a temporary server without networking
# runs (the official mariadb and mysql images, and the local stand-in, do
# that; docker/README).  Passwords come from the compose secrets in
# /run/secrets, never from this file or a command line.
#
#   repl      REPLICATION SLAVE: what a replica logs in to its source as
#   replkit   what the tools log in as from the init container: read the
#             binary log and replica status and the replicas a source
#             lists (repl-top), point a replica at a source, make a server
#             read-only or writable (repl-promote), read the
#             application's tables, and copy a source's databases into
#             an empty server (repl-clone; below)
#   monitor   the healthchecks' user, from 127.0.0.1 only, and with
#             REPLKIT_MONITOR_NETWORKS=1 (compose/master-master, whose
#             proxy checks the servers with repl-wait) from the server's
#             own networks too: the replica status and nothing else
#   app       the application: everything on the app database only
#
# Nothing here is written to the binary log: each server makes its own
# users and its own empty app database, and a replica attached by GTID
# receives only what was written on its source afterwards.  Root logs in
# only over the local socket (MYSQL_ROOT_HOST=localhost in the stacks).
#
# replkit also runs repl-clone (compose/two-replicas' grow service), which
# reads every database of a source and makes them on an empty replica:
# on every server, as each may be either, it may read and create (and
# drop) any database and what it holds, write on a read-only server, and
# set sql_log_bin (below).

replkit_init_users() {
	local client pw flavor sql mon
	client=$(command -v mariadb || command -v mysql) || {
		echo "replkit: no mariadb or mysql client in the image" >&2
		return 1
	}
	# root over the socket, the password in an option file, not argv.
	pw=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
	pw=${pw//\\/\\\\}
	pw=${pw//\"/\\\"}
	replkit_sql() {
		"$client" --defaults-extra-file=<(printf '[client]\npassword="%s"\n' "$pw") \
		    --protocol=socket -uroot ${SOCKET:+--socket="$SOCKET"} -N -B "$@"
	}
	# A quoted SQL string from the first line of a secret file.
	replkit_secret() {
		local line=
		[ -r "/run/secrets/$1" ] || {
			echo "replkit: cannot read the secret /run/secrets/$1" >&2
			return 1
		}
		IFS= read -r line <"/run/secrets/$1" || :
		line=${line//\\/\\\\}
		printf "'%s'" "${line//\'/\'\'}"
	}
	local repl replkit monitor app
	repl=$(replkit_secret repl_password) &&
	    replkit=$(replkit_secret replkit_password) &&
	    monitor=$(replkit_secret monitor_password) &&
	    app=$(replkit_secret app_password) || return 1
	# A dotted quad from /proc/net/route's little-endian hex.
	replkit_ip() {
		printf '%d.%d.%d.%d' "0x${1:6:2}" "0x${1:4:2}" "0x${1:2:2}" "0x${1:0:2}"
	}
	flavor=mysql
	case $(replkit_sql -e 'SELECT VERSION()') in
	*MariaDB*) flavor=mariadb ;;
	esac

	sql="SET SESSION sql_log_bin = 0;
CREATE DATABASE IF NOT EXISTS app;
CREATE USER 'repl'@'%' IDENTIFIED BY $repl;
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
CREATE USER 'replkit'@'%' IDENTIFIED BY $replkit;
CREATE USER 'app'@'%' IDENTIFIED BY $app;
GRANT ALL ON app.* TO 'app'@'%';
GRANT SELECT ON app.* TO 'replkit'@'%';"
	# repl-clone: SELECT (and the routines' text), SHOW VIEW, TRIGGER,
	# EVENT and RELOAD (its locks) on a source; on a replica the rights
	# to create what it copies, whatever its definer (SET USER; MySQL:
	# SUPER, SET_ANY_DEFINER being 8.2's), stored functions while the
	# binary log is on (SUPER), sql_log_bin (BINLOG ADMIN; MySQL:
	# SYSTEM_VARIABLES_ADMIN, which also sets local_infile) and writes
	# despite read_only (READ_ONLY ADMIN; MySQL: CONNECTION_ADMIN);
	# MySQL's LOCK INSTANCE FOR BACKUP needs BACKUP_ADMIN.
	sql="$sql
GRANT SELECT, INSERT, CREATE, DROP, REFERENCES, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, TRIGGER, EVENT, RELOAD, SUPER ON *.* TO 'replkit'@'%';"
	case $flavor in
	mariadb) sql="$sql
GRANT SET USER, BINLOG ADMIN, READ_ONLY ADMIN ON *.* TO 'replkit'@'%';" ;;
	*) sql="$sql
GRANT BACKUP_ADMIN, SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN ON *.* TO 'replkit'@'%';" ;;
	esac
	if [ "$flavor" = mariadb ]; then
		# MariaDB 10.5 and later split the old privileges: SHOW SLAVE
		# STATUS needs SLAVE MONITOR, SHOW MASTER STATUS and SHOW
		# BINARY LOGS BINLOG MONITOR, CHANGE MASTER and START SLAVE
		# REPLICATION SLAVE ADMIN, SHOW SLAVE HOSTS REPLICATION MASTER
		# ADMIN, RESET SLAVE RELOAD, SET GLOBAL read_only READ_ONLY
		# ADMIN (which also lets repl-clone write on a read-only
		# replica).
		sql="$sql
GRANT REPLICATION SLAVE ADMIN, SLAVE MONITOR, BINLOG MONITOR, REPLICATION MASTER ADMIN, RELOAD, READ_ONLY ADMIN ON *.* TO 'replkit'@'%';"
		mon="SLAVE MONITOR"
	else
		# SHOW REPLICAS needs REPLICATION SLAVE, RESET REPLICA RELOAD,
		# SET GLOBAL (super_)read_only SYSTEM_VARIABLES_ADMIN.
		sql="$sql
GRANT REPLICATION_SLAVE_ADMIN, SYSTEM_VARIABLES_ADMIN ON *.* TO 'replkit'@'%';
GRANT REPLICATION CLIENT, REPLICATION SLAVE, RELOAD ON *.* TO 'replkit'@'%';"
		mon="REPLICATION CLIENT"
	fi
	# monitor: from 127.0.0.1; and on demand one account per network the
	# server is on (from the routing table: the routes without a
	# gateway), as address/netmask, each with the same password and
	# privilege.
	local iface dest gw rest mask host hosts=127.0.0.1
	case ${REPLKIT_MONITOR_NETWORKS:-0} in
	0) ;;
	1)
		while read -r iface dest gw _ _ _ _ mask rest; do
			if [ "$iface" = Iface ] || [ "$dest" = 00000000 ] ||
			    [ "$gw" != 00000000 ]; then
				continue
			fi
			hosts="$hosts $(replkit_ip "$dest")/$(replkit_ip "$mask")"
		done </proc/net/route
		;;
	*)
		echo "replkit: REPLKIT_MONITOR_NETWORKS is 0 or 1, not '$REPLKIT_MONITOR_NETWORKS'" >&2
		return 1
		;;
	esac
	for host in $hosts; do
		sql="$sql
CREATE USER 'monitor'@'$host' IDENTIFIED BY $monitor;
GRANT $mon ON *.* TO 'monitor'@'$host';"
	done
	replkit_sql <<<"$sql"
}

replkit_init_users
unset -f replkit_init_users replkit_sql replkit_secret replkit_ip
