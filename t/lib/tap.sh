# shellcheck shell=bash
# TAP for replkit's shell tests, in the manner of git's test-lib: each test
# is a named snippet, &&-chained, run in the test's own shell.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
REPL_BIN=${REPL_BIN:-$TOP/out/dev/bin}
REPL_UNIT=${REPL_UNIT:-$TOP/out/dev/t}
PATH=$REPL_BIN:$PATH
export PATH REPL_BIN

t_count=0
t_failed=0
T=${REPL_TRASH:-$TOP/t/trash/$(basename "$0" .t)${REPLKIT_TEST_SERVER:+-$REPLKIT_TEST_SERVER}}
rm -rf "$T" && mkdir -p "$T" || exit 1
cd "$T" || exit 1

# test_expect 'description' 'code': one TAP line; on failure, the
# snippet's output as diagnostics. The code runs in this shell, so what
# it starts and sets stays known to the rest of the script.
test_expect() {
	t_count=$((t_count + 1))
	if { eval "$2"; } >"$T/.out" 2>&1 </dev/null; then
		echo "ok $t_count - $1"
	else
		t_failed=$((t_failed + 1))
		echo "not ok $t_count - $1"
		sed 's/^/#   /' "$T/.out"
	fi
}

# test_skip 'description' 'reason': a visible skip, never a pass.
test_skip() {
	t_count=$((t_count + 1))
	echo "ok $t_count # skip $1: $2"
}

# bounded polling: wait_for TRIES DELAY cmd...
wait_for() {
	local tries=$1 delay=$2
	shift 2
	while [ "$tries" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		tries=$((tries - 1))
		sleep "$delay"
	done
	return 1
}

# skip_all 'reason': skip the whole file, visibly, before any test ran.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# expect_exit N cmd...: run cmd; true only if it exited with exactly N.
# A death by signal is always a failure, never "the expected failure".
expect_exit() {
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	if [ "$rc" -ge 128 ] && [ "$rc" != "$want" ]; then
		echo "expect_exit: '$*' died by signal $((rc - 128))" >&2
		return 1
	fi
	if [ "$rc" != "$want" ]; then
		echo "expect_exit: '$*' exited $rc, expected $want" >&2
		return 1
	fi
}

# check_file FILE EXPECTED: compare a file with a string, showing a diff.
check_file() {
	printf '%s\n' "$2" >"$T/.expected"
	diff -u "$T/.expected" "$1" >&2
}

# check_grep FILE PATTERN: FILE has a line matching the extended regex.
check_grep() {
	grep -E -q -- "$2" "$1" || {
		echo "check_grep: no line of $1 matches '$2':" >&2
		cat "$1" >&2
		return 1
	}
}

# check_empty FILE
check_empty() {
	[ ! -s "$1" ] || {
		echo "check_empty: $1 is not empty:" >&2
		cat "$1" >&2
		return 1
	}
}

# run_bg NAME INPUT cmd...: run cmd in the background, stdin from INPUT,
# output to NAME.out and NAME.err; wait_bg NAME gives its exit status.
run_bg() {
	local name=$1 input=$2
	shift 2
	{
		"$@" <"$input" >"$T/$name.out" 2>"$T/$name.err"
		echo $? >"$T/$name.rc"
	} &
	eval "bg_$name=\$!"
}

wait_bg() {
	local pid
	eval "pid=\$bg_$1"
	wait "$pid"
	return "$(cat "$T/$1.rc")"
}

# alive_bg NAME: true while NAME still runs.
alive_bg() {
	local pid
	eval "pid=\$bg_$1"
	kill -0 "$pid" 2>/dev/null
}

done_testing() {
	echo "1..$t_count"
	[ "$t_failed" -eq 0 ]
}
