#!/bin/bash
# The options every tool shares: a password is never taken from the
# command line, and no long option is taken by a prefix of its name;
# neither message echoes the value. No server is needed: the command
# line is refused before the first packet.
. "$(dirname "$0")/lib/tap.sh"

tools="repl-wait repl-pos repl-attach repl-count repl-feed repl-diff"

# refused TOOL WHAT ARGS...: exit 2, the message names WHAT, and the
# secret appears nowhere.
refused() {
	local tool=$1 what=$2
	shift 2
	expect_exit 2 "$tool" "$@" 127.0.0.1:1 </dev/null >out 2>err &&
	    check_empty out &&
	    grep -F -q -- "$what" err &&
	    ! grep -q hunter2 out err
}

for t in $tools; do
	test_expect "$t --password=VALUE: refused, pointing to the other ways" "
		refused $t \"--password: a password is never taken from the command line\" --password=hunter2 &&
		check_grep err \"use --password-file FILE, MYSQL_PWD or an option file\"
	"
	test_expect "$t -pVALUE and -p: refused the same way" "
		refused $t \"-p: a password is never taken\" -phunter2 &&
		refused $t \"-p: a password is never taken\" -p
	"
	test_expect "$t --passw=VALUE: not taken for --password-file, the value not echoed" "
		refused $t \"unknown option '--passw'\" --passw=hunter2 &&
		refused $t \"unknown option '--password-f'\" --password-f hunter2
	"
done

done_testing
