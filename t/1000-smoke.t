#!/bin/bash
. "$(dirname "$0")/lib/server.sh"
srv_require 'smoke test'
test_expect 'server starts' 'srv_start a && srv_sql a "select @@server_id"'
test_expect 'repl-pos' 'repl-pos -u rk $(srv_addr a) >out && cat out'
test_expect 'repl-wait' 'repl-wait -v -u rk $(srv_addr a) </dev/null'
done_testing
