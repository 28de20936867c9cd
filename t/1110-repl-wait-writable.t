#!/bin/bash
# repl-wait --writable: ready only on a server that takes writes, for a
# proxy's check and for a script that waits for a promotion.
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# shellcheck source=t/lib/server.sh
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-wait --writable'

test_expect 'a source and a read-only replica' '
	srv_start src && srv_start rep &&
	srv_replicate rep src &&
	srv_sql rep "SET GLOBAL read_only = 1" &&
	repl-wait -u rk -t 30 --replica "$(srv_addr rep)" </dev/null
'

test_expect 'the source takes writes: exit 0 at once, nothing said' '
	repl-wait -u rk -t 0 --writable "$(srv_addr src)" </dev/null >out 2>err &&
	check_empty out && check_empty err
'

test_expect 'the read-only replica: 124 with -t 0, and why' '
	expect_exit 124 repl-wait -u rk -t 0 --writable "$(srv_addr rep)" </dev/null >out 2>err &&
	check_empty out &&
	check_grep err "^repl-wait: timed out: .$(srv_addr rep). is read-only$"
'

test_expect 'super_read_only alone is read-only too (MySQL)' '
	if [ "$SRV_FLAVOR" = mysql ]; then
		srv_sql src "SET GLOBAL super_read_only = 1" &&
		expect_exit 124 repl-wait -u rk -t 0 --writable "$(srv_addr src)" </dev/null 2>err &&
		check_grep err "is read-only" &&
		srv_sql src "SET GLOBAL super_read_only = 0, GLOBAL read_only = 0"
	else
		expect_exit 124 repl-wait -u rk -t 0 --writable "$(srv_addr rep)" </dev/null
	fi
'

test_expect 'a promotion on its way: waited for until the replica takes writes' '
	run_bg promo /dev/null repl-wait -u rk -t 60 -v --writable "$(srv_addr rep)" &&
	sleep 1 && alive_bg promo &&
	srv_sql rep "SET GLOBAL read_only = 0" &&
	wait_bg promo &&
	check_grep promo.err "is read-only" &&
	check_grep promo.err "ready"
'

test_expect 'with --replica: both asked; a source is no replica' '
	expect_exit 124 repl-wait -u rk -t 0 --writable --replica "$(srv_addr src)" </dev/null 2>err &&
	check_grep err "is not configured as a replica" &&
	repl-wait -u rk -t 0 --writable --replica "$(srv_addr rep)" </dev/null
'

done_testing
