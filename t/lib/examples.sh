# shellcheck shell=bash
# The EXAMPLES of the man pages as tests, as jq runs its manual: what the
# literal displays of a page hold, pulled out into files, and a command
# run as a reader would run it. Sourced after server.sh (or tap.sh) by
# t/0210-man-examples.t and each t/NNNN-TOOL-examples.t, which map the
# page's host names to their servers and compare the output their way.

# ex_extract PAGE DIR: the literal displays of PAGE, roff escapes undone.
# Each "$ command" line goes into DIR/ex/DDD/NNN.cmd (DDD counts every
# display of the page, NNN the commands), the lines after it, up to the
# next command or the end of the display, into DIR/ex/DDD/NNN.out (the
# output the page shows, if any); each crontab line's command, without
# its schedule, into DIR/cron/NNN; each script (a display from
# "#!/bin/sh" on) into DIR/script/NNN. In file name order, the commands
# come as the page has them.
ex_extract() {
	mkdir -p "$2/ex" "$2/cron" "$2/script" && awk -v dir="$2" '
	/^\.Bd -literal/	{ inb = 1; d++; cur = ""; scr = ""; next }
	/^\.Ed/			{ inb = 0; cur = ""; scr = ""; next }
	!inb			{ next }
	{ gsub(/\\&/, ""); gsub(/\\-/, "-"); gsub(/\\e/, "\\") }
	/^#!\/bin\/sh/		{ scr = sprintf("%s/script/%03d", dir, ++s) }
	scr != ""		{ print > scr; next }
	/^([0-9*\/,-]+ +){5}/	{ sub(/^([^ ]+ +){5}/, "")
				  print > sprintf("%s/cron/%03d", dir, ++c)
				  next }
	/^\$ /			{ dd = sprintf("%s/ex/%03d", dir, d)
				  if (!(d in made)) {
					  made[d] = 1
					  system("mkdir -p \"" dd "\"")
				  }
				  cur = sprintf("%s/%03d", dd, ++n)
				  print substr($0, 3) > (cur ".cmd"); next }
	cur != ""		{ print > (cur ".out") }
	' "$1"
}

# ex_run E WANT CMD: run CMD in $T/work with bash, as a reader would,
# with pipefail so that no tool of a pipeline hides its failure, and
# stdin from /dev/null unless CMD redirects it; its output into E.stdout
# and E.stderr, and shown. Fails if it died by a signal (never the
# expected failure) or exited with another status than WANT.
ex_run() {
	local rc=0
	echo "\$ $3"
	(cd "$T/work" && exec bash -o pipefail -c "$3" </dev/null \
	    >"$1.stdout" 2>"$1.stderr") || rc=$?
	cat "$1.stdout" "$1.stderr"
	if [ "$rc" -ge 128 ]; then
		echo "died by signal $((rc - 128))"
		return 1
	fi
	[ "$rc" = "$2" ] || { echo "exit $rc, expected $2"; return 1; }
}
