# shellcheck shell=bash
# The compose stacks of compose/, run for real: the tools image from
# out/static (make image), the server and proxy images from Debian's
# packages (docker/standin/build.sh), a compose project per test file with
# passwords of its own, torn down whatever happens to the test.

# shellcheck source=t/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

TOOLS_IMAGE=replkit:latest
SERVER_IMAGE=replkit-standin-mariadb:local
PROXY_IMAGE=replkit-standin-haproxy:local
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
		"$TOP/docker/standin/build.sh" >/dev/null
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
		SERVER_IMAGE=$SERVER_IMAGE SERVER_FLAVOR=mariadb \
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

# csql SERVICE SQL: SQL as root, over the socket inside the container;
# rows tab-separated.  The password never leaves the container.
csql() {
	docker exec -i "$(cid "$1")" bash -c \
	    'MYSQL_PWD=$(cat /run/secrets/root_password) exec mariadb -uroot -N -B' <<<"$2"
}

# cstatus SERVICE FIELD: one field of the server's SHOW SLAVE STATUS.
cstatus() {
	docker exec "$(cid "$1")" bash -c \
	    'MYSQL_PWD=$(cat /run/secrets/root_password) exec mariadb -uroot -E -e "SHOW SLAVE STATUS"' |
	    sed -n "s/^ *$2: //p"
}

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
