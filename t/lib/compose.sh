# shellcheck shell=bash
# The compose stacks of compose/, run for real: the tools image from
# out/static (make image), the server and proxy images from Debian's
# packages (docker/standin/build.sh), a compose project per test file with
# passwords of its own, torn down whatever happens to the test.

# shellcheck source=t/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# The tools image: make image's name, IMAGE (replkit by default), so that
# worktrees built apart may test their own images side by side.
TOOLS_IMAGE=${IMAGE:-replkit}:latest
# The server flavor of the stacks: SERVER_FLAVOR=mariadb (the default) or
# mysql, else the suite's REPLKIT_TEST_SERVER (mariadb-10.11,
# mariadb-11.8, mysql-9.7) says it.  The server image is SERVER_IMAGE when
# given, else the flavor's local stand-in (docker/standin/build.sh):
# MariaDB 10.11, MariaDB 11.8 for REPLKIT_TEST_SERVER=mariadb-11.8, MySQL.
if [ -z "${SERVER_FLAVOR:-}" ]; then
	case ${REPLKIT_TEST_SERVER:-} in
	mysql-*) SERVER_FLAVOR=mysql ;;
	*) SERVER_FLAVOR=mariadb ;;
	esac
fi
case $SERVER_FLAVOR/${REPLKIT_TEST_SERVER:-} in
mysql/*) standin=mysql ;;
mariadb/mariadb-11.8) standin=mariadb-11.8 ;;
mariadb/*) standin=mariadb ;;
*)
	echo "compose.sh: unknown SERVER_FLAVOR '$SERVER_FLAVOR' (mariadb, mysql)" >&2
	exit 1
	;;
esac
SERVER_IMAGE=${SERVER_IMAGE:-replkit-standin-$standin:local}
PROXY_IMAGE=${PROXY_IMAGE:-replkit-standin-haproxy:local}
# The stand-ins to build: the server's when it is one, and the proxy's.
STANDINS=
case $SERVER_IMAGE in "replkit-standin-$standin:local") STANDINS=$standin ;; esac
case $PROXY_IMAGE in replkit-standin-haproxy:local) STANDINS="$STANDINS haproxy" ;; esac
echo "# server: $SERVER_IMAGE ($SERVER_FLAVOR)"
# A project name of this file's own: rk5000-<pid>.
P=rk$(basename "$0" .t | tr -cd '0-9')-$$
COMPOSE=()
compose_dir=

# compose_prereq: true when Docker and a compose command work here, and
# sets COMPOSE; else false, with the reason in compose_why.
compose_prereq() {
	compose_why=
	if ! command -v docker >/dev/null; then
		compose_why="docker is not installed"
	elif ! docker info >/dev/null 2>&1; then
		compose_why="no usable Docker engine ('docker info' fails)"
	elif docker compose version >/dev/null 2>&1; then
		COMPOSE=(docker compose)
	elif command -v docker-compose >/dev/null; then
		COMPOSE=(docker-compose)
	else
		compose_why="neither 'docker compose' nor docker-compose is installed"
	fi
	[ -z "$compose_why" ]
}

# compose_images: the images the stacks run, built when missing or out
# of date, once for all the test files that run at the same time.
compose_images() {
	(
		flock 9
		if ! "$TOP/docker/image.sh" --check; then
			make -C "$TOP" --no-print-directory image >"$T/image.log" 2>&1 || {
				cat "$T/image.log" >&2
				exit 1
			}
		fi
		# shellcheck disable=SC2086
		[ -z "$STANDINS" ] || "$TOP/docker/standin/build.sh" $STANDINS >/dev/null
	) 9>"$TOP/t/trash/.compose-images.lock"
}

# compose_secrets: this test's own passwords, readable by the servers'
# mysql user.
compose_secrets() {
	local n
	mkdir -p "$T/secrets" || return 1
	for n in root app repl replkit monitor; do
		openssl rand -hex 12 >"$T/secrets/${n}_password" || return 1
	done
	chmod 755 "$T/secrets" && chmod 644 "$T/secrets"/*
}

# dc args...: the compose command on this test's stack and project, with
# the images pointed at the local ones.
dc() {
	(
		cd "$compose_dir" &&
		SERVER_IMAGE=$SERVER_IMAGE SERVER_FLAVOR=$SERVER_FLAVOR \
		PROXY_IMAGE=$PROXY_IMAGE REPLKIT_IMAGE=$TOOLS_IMAGE \
		REPLKIT_SECRETS=$T/secrets \
		    "${COMPOSE[@]}" -p "$P" "$@"
	)
}

# compose_use STACK: the stack in compose/STACK; registers the teardown.
compose_use() {
	compose_dir=$TOP/compose/$1
	trap compose_cleanup EXIT
	trap 'exit 130' INT TERM
}

# Whatever happened: the stack and its volumes down, and the images that
# compose built for it removed.
compose_cleanup() {
	[ -n "$compose_dir" ] || return 0
	dc down -v --rmi local --remove-orphans >/dev/null 2>&1 || :
	return 0
}

# cid SERVICE: the container of a service, running or not.
cid() {
	docker ps -aq --filter "label=com.docker.compose.project=$P" \
	    --filter "label=com.docker.compose.service=$1"
}

# compose_up: `up -d`, then the init service's exit status; its output
# in $T/init.log, what it printed this time only in $T/init.new (the
# container is the same when up runs again).
compose_up() {
	local c rc old
	dc up -d >"$T/up.log" 2>&1 || {
		cat "$T/up.log" >&2
		compose_logs
		return 1
	}
	c=$(cid init)
	[ -n "$c" ] || { echo "compose_up: no init container" >&2; return 1; }
	rc=$(timeout 600 docker wait "$c") || rc=timeout
	touch "$T/init.log"
	old=$(wc -l <"$T/init.log")
	docker logs "$c" >"$T/init.log" 2>&1
	tail -n +"$((old + 1))" "$T/init.log" >"$T/init.new"
	[ "$rc" = 0 ] || {
		echo "compose_up: the init service exited $rc:" >&2
		cat "$T/init.log" >&2
		compose_logs
		return 1
	}
}

# compose_logs: the last lines of each service, for a failure's report.
compose_logs() {
	dc logs --no-color --tail=30 >&2 2>&1 || :
}

# rk TOOL args...: a replkit tool from the tools image on the stack's
# network, the passwords mounted where the stack's services have them;
# its standard input is not connected (rk sh -c '... | ...' for pipes).
rk() {
	docker run --rm --network "${P}_default" \
	    -v "$T/secrets:/run/secrets:ro" "$TOOLS_IMAGE" "$@"
}

# The connection options of the replkit user, and of the app user.
RK="-u replkit --password-file /run/secrets/replkit_password"
APP="-u app --password-file /run/secrets/app_password"

# croot SERVICE CLIENT-OPTIONS...: the image's client (mariadb, or mysql)
# as root, over the socket inside the container, SQL on stdin.  The
# password never leaves the container.
croot() {
	docker exec -i "$(cid "$1")" bash -c '
		c=$(command -v mariadb || command -v mysql) &&
		exec "$c" --defaults-extra-file=<(printf "[client]\npassword=\"%s\"\n" \
		    "$(cat /run/secrets/root_password)") -uroot "$@"' croot "${@:2}"
}

# csql SERVICE SQL: SQL as root; rows tab-separated.
csql() {
	croot "$1" -N -B <<<"$2"
}

# cstatus SERVICE FIELD: one field of the server's SHOW REPLICA STATUS,
# named as MariaDB names it (Slave_SQL_Running, Master_Host): on MySQL,
# the field of the same meaning (Replica_SQL_Running, Source_Host).
cstatus() {
	local f=$2
	[ "$SERVER_FLAVOR" = mysql ] && f=$(echo "$f" | sed 's/Slave/Replica/g; s/Master/Source/g')
	croot "$1" -E <<<"SHOW REPLICA STATUS" | sed -n "s/^ *$f: //p"
}

# The server variable holding the GTIDs a server has executed and logged
# (on a replica, what it applied too): MariaDB's gtid_binlog_pos, MySQL's
# gtid_executed.  And the one holding what a replica has applied:
# MariaDB's gtid_slave_pos, MySQL's gtid_executed again.
if [ "$SERVER_FLAVOR" = mysql ]; then
	GTID_LOGGED=@@gtid_executed
	GTID_APPLIED=@@gtid_executed
else
	GTID_LOGGED=@@gtid_binlog_pos
	GTID_APPLIED=@@gtid_slave_pos
fi

# health SERVICE: the Docker health status of a service's container.
health() {
	docker inspect -f '{{.State.Health.Status}}' "$(cid "$1")"
}

# health_is SERVICE STATUS
health_is() {
	[ "$(health "$1")" = "$2" ]
}

# left_behind: what of this project still exists: containers, volumes,
# networks (by compose's project label); empty when nothing.
left_behind() {
	docker ps -aq --filter "label=com.docker.compose.project=$P"
	docker volume ls -q --filter "label=com.docker.compose.project=$P"
	docker network ls -q --filter "label=com.docker.compose.project=$P"
}

# started SERVICE: the container's id and start time, to tell whether it
# was recreated or restarted.
started() {
	docker inspect -f '{{.Id}} {{.State.StartedAt}}' "$(cid "$1")"
}

# compose_start: the checks every stack file starts with; skips the file
# when there is no Docker here.
compose_start() {
	compose_prereq || skip_all "$compose_why"
	[ -f "$TOP/out/static/libreplkit.a" ] ||
	    skip_all "the static tools are not built (make static) for the tools image"
	compose_use "$1"
}
