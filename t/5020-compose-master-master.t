#!/bin/bash
# compose/master-master (seed 001), run for real: two masters replicating
# each other, both started read-only, a replica, HAProxy in front whose
# checks run repl-wait. The init service makes master1 the writable
# source; writes through the proxy go to whichever master takes writes.
# master1 killed: repl-promote --failover master2 from the init image,
# writes through the proxy land on master2 and reach the replica; `up`
# again brings master1 back as a replica of master2. A switchover back
# to master1; master1 killed again holding writes that master2 never
# got, a failover to master2 again: `up` now refuses master1 (exit 2)
# with repl-attach's errant check, and master1 takes no writes.
. "$(dirname "$0")/lib/compose.sh"

compose_start master-master

# server_id_at OPERAND: the server_id field of repl-pos at OPERAND.
server_id_at() {
	# shellcheck disable=SC2086
	rk repl-pos $RK "$1" | sed -n "s/.* server_id=\([0-9]*\) .*/\1/p"
}

# proxy_to PORT ID: the proxy's PORT reaches the server of server_id ID,
# polled (the proxy's checks run every second).
proxy_to() {
	wait_for 60 1 eval "test \"\$(server_id_at proxy:$1)\" = $2"
}

# writable SERVICE: the server takes writes, as the proxy's check says.
writable() {
	# shellcheck disable=SC2086
	rk repl-wait -q -t 0 --writable $RK "$1"
}

# promote ARGS...: repl-promote run from the init service's image, as the
# README says, without starting the services it depends on; its line in
# promote.out, what it said in promote.err (shown when it fails).
promote() {
	# shellcheck disable=SC2086
	dc run --rm --no-deps -T --entrypoint repl-promote init $RK \
	    --repl-password-file /run/secrets/repl_password "$@" \
	    >promote.out 2>promote.err || {
		cat promote.out promote.err >&2
		return 1
	}
}

# feed N: N rows into app.feed through the proxy, in batches of 50.
feed() {
	# shellcheck disable=SC2086
	rk repl-feed -n "$1" -b 50 -T app.feed $APP proxy:3306 >feed.out 2>feed.err &&
	check_grep feed.err "rows=$1 "
}

# counted N SERVICE...: app.feed has N rows on each, once caught up.
counted() {
	local n=$1 s line
	shift
	# shellcheck disable=SC2086
	rk repl-count --wait -t 120 $RK -d app "$@" >count.out || {
		cat count.out >&2
		return 1
	}
	line=app.feed
	for s; do line="$line $n"; done
	[ "$(sed -n 's/^app\.feed  *//p' count.out | tr -s ' ')" = "${line#app.feed } equal" ] || {
		cat count.out >&2
		return 1
	}
}

test_expect 'the images: tools, server and HAProxy stand-ins (debootstrap)' '
	compose_images && compose_secrets
'

test_expect 'one up: init pairs the masters, attaches the replica, makes master1 writable' '
	compose_up &&
	check_grep "$T/init.log" "^init: the source is master1$" &&
	check_grep "$T/init.log" "^repl-attach: .master2:3306. replicates from .master1:3306.$" &&
	check_grep "$T/init.log" "^repl-attach: .replica:3306. replicates from .master1:3306.$" &&
	check_grep "$T/init.log" "^repl-attach: .master1:3306. replicates from .master2:3306.$" &&
	check_grep "$T/init.log" "^repl-promote: .master1:3306. is the source of every server found: made writable$"
'

test_expect 'one master takes writes, master1; the proxy sends writes there, reads to the replica' '
	writable master1 &&
	expect_exit 124 writable master2 && expect_exit 124 writable replica &&
	wait_for 60 1 health_is master1 healthy &&
	wait_for 60 1 health_is master2 healthy &&
	wait_for 60 1 health_is replica healthy &&
	proxy_to 3306 1 && proxy_to 3307 3
'

test_expect 'rows written through the proxy reach master2 and the replica' '
	feed 600 && check_grep feed.out "server_id=1 " &&
	counted 600 master1 master2 replica
'

test_expect 'the masters interleave AUTO_INCREMENT values (offsets 1 and 2)' '
	csql master1 "SELECT @@auto_increment_increment, @@auto_increment_offset" >m1.out &&
	csql master2 "SELECT @@auto_increment_increment, @@auto_increment_offset" >m2.out &&
	check_file m1.out "2	1" && check_file m2.out "2	2" &&
	csql master1 "SELECT COUNT(*) FROM app.feed WHERE id % 2 = 0" >even.out &&
	check_file even.out 0
'

test_expect 'up again on the running stack: nothing recreated, nothing changed' '
	for s in master1 master2 replica proxy; do started $s; done >before &&
	compose_up &&
	check_file "$T/init.new" "init: the source is master1
repl-attach: '"'"'master2:3306'"'"' already replicates from '"'"'master1:3306'"'"': nothing changed
repl-attach: '"'"'replica:3306'"'"' already replicates from '"'"'master1:3306'"'"': nothing changed" &&
	for s in master1 master2 replica proxy; do started $s; done >after &&
	diff -u before after
'

test_expect 'master1 killed: repl-promote --failover master2, from the init image' '
	docker kill "$(cid master1)" >/dev/null &&
	promote -v --failover master2 replica &&
	check_grep promote.out "^flavor=$SERVER_FLAVOR host=master2 port=3306 server_id=2 " &&
	check_grep promote.err "the source .master1:3306. is down: failover to .master2:3306." &&
	writable master2 &&
	test "$(cstatus replica Master_Host)" = master2 &&
	test -z "$(cstatus master2 Master_Host)"
'

test_expect 'writes through the proxy land on master2 and reach the replica' '
	proxy_to 3306 2 &&
	feed 400 && check_grep feed.out "server_id=2 " &&
	! grep -q "server_id=1 " feed.out &&
	counted 1000 master2 replica &&
	rk repl-diff $RK -d app master2 replica >diff.out &&
	wait_for 60 1 health_is replica healthy && proxy_to 3307 3
'

test_expect 'up again: master1 back, a read-only replica of master2; init exits 0' '
	compose_up &&
	check_grep "$T/init.new" "^init: the source is master2$" &&
	check_grep "$T/init.new" "^repl-attach: .master1:3306. replicates from .master2:3306.$" &&
	check_grep "$T/init.new" "^repl-attach: .replica:3306. already replicates from .master2:3306.: nothing changed$" &&
	expect_exit 124 writable master1 && writable master2 &&
	counted 1000 master2 master1 replica &&
	rk repl-diff $RK -d app master2 master1 replica >diff.out &&
	proxy_to 3306 2 &&
	wait_for 60 1 health_is master1 healthy
'

test_expect 'up again: nothing changed' '
	compose_up &&
	check_file "$T/init.new" "init: the source is master2
repl-attach: '"'"'master1:3306'"'"' already replicates from '"'"'master2:3306'"'"': nothing changed
repl-attach: '"'"'replica:3306'"'"' already replicates from '"'"'master2:3306'"'"': nothing changed"
'

test_expect 'a switchover back to master1 (repl-promote): the writes follow it' '
	promote master1 &&
	check_grep promote.out "^flavor=$SERVER_FLAVOR host=master1 port=3306 server_id=1 " &&
	writable master1 && expect_exit 124 writable master2 &&
	test "$(cstatus master2 Master_Host)" = master1 &&
	test "$(cstatus replica Master_Host)" = master1 &&
	proxy_to 3306 1 &&
	feed 200 && check_grep feed.out "server_id=1 " &&
	counted 1200 master1 master2 replica
'

test_expect 'master1 killed holding writes master2 never got; a failover to master2' '
	csql master2 "STOP REPLICA" && csql replica "STOP REPLICA" &&
	feed 50 && check_grep feed.out "server_id=1 " &&
	docker kill "$(cid master1)" >/dev/null &&
	promote --failover master2 replica &&
	writable master2 && proxy_to 3306 2 &&
	feed 50 && check_grep feed.out "server_id=2 " &&
	counted 1250 master2 replica
'

test_expect 'up again: master1 refused by the errant check (init exits 2); it takes no writes' '
	dc up -d >up.log 2>&1 &&
	rc=$(timeout 600 docker wait "$(cid init)") && test "$rc" = 2 &&
	docker logs "$(cid init)" >init.log 2>&1 &&
	check_grep init.log "^repl-attach: .master1:3306. has transactions? .* that the source \(at .*\) never had: it is ahead of the source or has errant transactions" &&
	expect_exit 124 writable master1 && writable master2 &&
	test -z "$(cstatus master1 Master_Host)" &&
	proxy_to 3306 2 &&
	csql master1 "SELECT COUNT(*) FROM app.feed" >m1.out && check_file m1.out 1250
'

test_expect 'down -v leaves no container, volume or network behind' '
	dc down -v >down.log 2>&1 &&
	left_behind >left.out &&
	check_empty left.out
'

done_testing
