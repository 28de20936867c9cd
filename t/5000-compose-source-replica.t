#!/bin/bash
# compose/source-replica (seeds 000 and 003), run for real: one command
# brings up a source, a replica and the init service that wires them;
# rows written on the source reach the replica; `up` again changes
# nothing; `down -v` leaves nothing.
. "$(dirname "$0")/lib/compose.sh"

compose_start source-replica

test_expect 'the images: tools (make image), server stand-in (debootstrap)' '
	compose_images && compose_secrets
'

test_expect 'one up: the init service exits 0 after attaching the replica' '
	compose_up &&
	check_grep "$T/init.log" "^repl-attach: .replica:3306. replicates from .source:3306.$"
'

test_expect 'the healthchecks: the source answers, the replica replicates' '
	wait_for 60 1 health_is source healthy &&
	wait_for 60 1 health_is replica healthy
'

test_expect 'rows written on the source reach the replica (repl-count: equal)' '
	rk repl-feed -n 1000 -b 100 -T app.feed $APP source >feed.out 2>feed.err &&
	check_grep feed.err "rows=1000 " &&
	rk repl-count --wait -t 60 $RK -d app source replica >count.out &&
	check_file count.out "table     source  replica  status
app.feed    1000     1000  equal"
'

test_expect 'the README: repl-count run from the init service' '
	dc run --rm -T --entrypoint repl-count init \
	    -u replkit --password-file /run/secrets/replkit_password --wait source replica \
	    >readme.out 2>readme.err &&
	check_grep readme.out "^app.feed +1000 +1000 +equal$"
'

test_expect 'the replica is read-only for the application' '
	{ expect_exit 2 rk repl-feed -n 1 -T app.feed $APP replica 2>ro.err ||
	    { cat ro.err >&2; false; }; } &&
	check_grep ro.err "read.only" &&
	rk repl-count $RK -d app replica >count.out &&
	check_grep count.out "^app.feed +1000 "
'

test_expect 'root cannot log in over the network, the monitor user only locally' '
	expect_exit 2 rk repl-wait -t 5 -u root \
	    --password-file /run/secrets/root_password source 2>root.err &&
	check_grep root.err "Access denied for user .root." &&
	expect_exit 2 rk repl-wait -t 5 -u monitor \
	    --password-file /run/secrets/monitor_password source 2>mon.err &&
	check_grep mon.err "Access denied for user .monitor."
'

unchanged="repl-attach: 'replica:3306' already replicates from 'source:3306': nothing changed"
test_expect 'up again on the running stack: nothing recreated, nothing changed' '
	started source >before.src && started replica >before.rep &&
	csql replica "SELECT $GTID_APPLIED, @@server_id" >before.pos &&
	compose_up &&
	check_file "$T/init.new" "$unchanged" &&
	started source >after.src && started replica >after.rep &&
	diff -u before.src after.src && diff -u before.rep after.rep &&
	csql replica "SELECT $GTID_APPLIED, @@server_id" >after.pos &&
	diff -u before.pos after.pos &&
	health_is replica healthy
'

test_expect 'down -v leaves no container, volume or network behind' '
	dc down -v >down.log 2>&1 &&
	left_behind >left.out &&
	check_empty left.out
'

done_testing
