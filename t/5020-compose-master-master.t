#!/bin/bash
# compose/master-master (seed 001), run for real: two masters replicating
# each other, a replica of master1, HAProxy in front; writes through the
# proxy go to master1, and to master2 once master1 is stopped; the
# replica, re-pointed with repl-pos master2 | repl-attach --force,
# catches up.
. "$(dirname "$0")/lib/compose.sh"

compose_start master-master

# server_id_at OPERAND: the server_id field of repl-pos at OPERAND.
server_id_at() {
	# shellcheck disable=SC2086
	rk repl-pos $RK "$1" | sed -n "s/.* server_id=\([0-9]*\) .*/\1/p"
}

test_expect 'the images: tools, server and HAProxy stand-ins (debootstrap)' '
	compose_images && compose_secrets
'

test_expect 'one up: the init service exits 0 after three attaches' '
	compose_up &&
	check_grep "$T/init.log" "^repl-attach: .master2:3306. replicates from .master1:3306.$" &&
	check_grep "$T/init.log" "^repl-attach: .master1:3306. replicates from .master2:3306.$" &&
	check_grep "$T/init.log" "^repl-attach: .replica:3306. replicates from .master1:3306.$"
'

test_expect 'the healthchecks pass; the proxy sends writes to master1, reads to the replica' '
	wait_for 60 1 health_is master1 healthy &&
	wait_for 60 1 health_is master2 healthy &&
	wait_for 60 1 health_is replica healthy &&
	wait_for 30 1 eval "test \"\$(server_id_at proxy:3306)\" = 1" &&
	test "$(server_id_at proxy:3307)" = 3
'

test_expect 'rows written through the proxy reach master2 and the replica' '
	rk repl-feed -n 600 -b 50 -T app.feed $APP proxy:3306 >feed.out 2>feed.err &&
	check_grep feed.err "rows=600 " &&
	check_grep feed.out "server_id=1 " &&
	rk repl-count --wait -t 60 $RK -d app master1 master2 replica >count.out &&
	check_file count.out "table     master1  master2  replica  status
app.feed      600      600      600  equal"
'

test_expect 'the masters interleave AUTO_INCREMENT values (offsets 1 and 2)' '
	csql master1 "SELECT @@auto_increment_increment, @@auto_increment_offset" >m1.out &&
	csql master2 "SELECT @@auto_increment_increment, @@auto_increment_offset" >m2.out &&
	check_file m1.out "2	1" && check_file m2.out "2	2" &&
	csql master1 "SELECT COUNT(*) FROM app.feed WHERE id % 2 = 0" >even.out &&
	check_file even.out 0
'

unchanged="repl-attach: 'master2:3306' already replicates from 'master1:3306': nothing changed
repl-attach: 'master1:3306' already replicates from 'master2:3306': nothing changed
repl-attach: 'replica:3306' already replicates from 'master1:3306': nothing changed"
test_expect 'up again on the running stack: nothing recreated, nothing changed' '
	for s in master1 master2 replica proxy; do started $s; done >before &&
	compose_up &&
	check_file "$T/init.new" "$unchanged" &&
	for s in master1 master2 replica proxy; do started $s; done >after &&
	diff -u before after
'

test_expect 'master1 stopped: writes through the proxy go on, on master2' '
	docker stop "$(cid master1)" >/dev/null &&
	wait_for 30 1 eval "test \"\$(server_id_at proxy:3306)\" = 2" &&
	rk repl-feed -n 400 -b 50 -T app.feed $APP proxy:3306 >feed.out 2>feed.err &&
	check_grep feed.err "rows=400 " &&
	check_grep feed.out "server_id=2 " &&
	! grep -q "server_id=1 " feed.out &&
	csql master2 "SELECT COUNT(*) FROM app.feed" >m2.out &&
	check_file m2.out 1000
'

test_expect 'the replica, re-pointed as the README says (repl-attach --force), catches up' '
	test "$(cstatus replica Master_Host)" = master1 &&
	dc run --rm -T --entrypoint sh init -c \
	    '"'"'o="-u replkit --password-file /run/secrets/replkit_password"; repl-pos $o master2 | repl-attach $o --force replica'"'"' \
	    >attach.out 2>attach.err &&
	test "$(cstatus replica Master_Host)" = master2 &&
	rk repl-count --wait -t 60 $RK -d app master2 replica >count.out &&
	check_file count.out "table     master2  replica  status
app.feed     1000     1000  equal" &&
	wait_for 60 1 health_is replica healthy &&
	test "$(server_id_at proxy:3307)" = 3
'

test_expect 'up again after the failover: init refuses (exit 2), the replica stays on master2' '
	dc up -d >up2.log 2>&1 &&
	test "$(timeout 600 docker wait "$(cid init)")" = 2 &&
	docker logs "$(cid init)" >init2.log 2>&1 &&
	check_grep init2.log "replica:3306.*master2" &&
	test "$(cstatus replica Master_Host)" = master2 &&
	wait_for 60 1 health_is replica healthy
'

test_expect 'down -v leaves no container, volume or network behind' '
	dc down -v >down.log 2>&1 &&
	left_behind >left.out &&
	check_empty left.out
'

done_testing
