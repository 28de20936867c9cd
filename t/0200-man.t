#!/bin/bash
# The test snippets are single-quoted on purpose: test_expect evals them.
# shellcheck disable=SC2016
# The man pages against the tools: mandoc -Tlint clean, each SYNOPSIS the
# same as the tool's --help (as git's t0450 checks), an EXIT STATUS in each
# page with the codes of lib/repl_base.h, a page for every tool; and the
# tools' --help, --version and usage errors.
# shellcheck source=t/lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

MAN=$TOP/man
tools=()
for c in "$TOP"/cmd/*.c; do
	tools+=("$(basename "$c" .c)")
done
pages=("$MAN"/*.[1-8])

# options FILE: the option names in a usage text, one a line, sorted:
# "--name" for long ones, and "-q", "-v" for a cluster such as "[-qv]".
options() {
	grep -oE -- '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z0-9-]*' "$1" |
	    sed -E 's/^[^-]//' |
	    while read -r o; do
		case $o in
		--*)	echo "$o" ;;
		*)	o=${o#-}
			while [ -n "$o" ]; do
				echo "-${o%"${o#?}"}"
				o=${o#?}
			done ;;
		esac
	    done | LC_ALL=C sort -u
}

# synopsis PAGE: the SYNOPSIS as mandoc renders it, on one line.
synopsis() {
	mandoc -T ascii "$1" | sed 's/.\x08//g' |
	    sed -n '/^SYNOPSIS$/,/^[A-Z]/p' | sed '1d;$d' | tr -s ' \n' '  ' |
	    sed 's/^ //; s/ $//'
}

# usage FILE: a tool's usage text, without "usage:", on one line.
usage_line() {
	sed '1s/^usage: //' "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# The loops run in subshells: an exit there fails the test, not the file.
test_expect 'the tools are built' '
	(for t in "${tools[@]}"; do
		test -x "$REPL_BIN/$t" || { echo "missing $REPL_BIN/$t (make)"; exit 1; }
	done)
'

test_expect 'every tool in cmd/ has a page in man/, and every page a tool' '
	(for t in "${tools[@]}"; do
		test -f "$MAN/$t.1" || { echo "no man/$t.1"; exit 1; }
	done) &&
	(for p in "$MAN"/*.1; do
		test -f "$TOP/cmd/$(basename "$p" .1).c" ||
		    { echo "$p documents no tool"; exit 1; }
	done) &&
	test -f "$MAN/replkit.7"
'

test_expect 'replkit.7 lists every tool' '
	(for t in "${tools[@]}"; do
		check_grep "$MAN/replkit.7" "^\.It Xr $t 1\$" || exit 1
	done)
'

if command -v mandoc >/dev/null; then
	for p in "${pages[@]}"; do
		test_expect "$(basename "$p"): mandoc -Tlint -W warning is clean" '
			mandoc -Tlint -W warning "$p" >lint 2>&1
			check_empty lint
		'
	done
	for t in "${tools[@]}"; do
		test_expect "$t.1: SYNOPSIS names the options of $t --help" '
			"$t" --help >help &&
			options help >help.opts &&
			synopsis "$MAN/$t.1" >syn &&
			options syn >syn.opts &&
			test -s help.opts &&
			diff -u help.opts syn.opts
		'
		test_expect "$t.1: SYNOPSIS reads as $t --help" '
			"$t" --help >help &&
			usage_line help >help.line &&
			synopsis "$MAN/$t.1" >syn &&
			diff -u help.line syn
		'
	done
else
	for p in "${pages[@]}"; do
		test_skip "$(basename "$p"): lint and SYNOPSIS" 'mandoc is not installed'
	done
fi

# The exit codes lib/repl_base.h names, and those a page's EXIT STATUS lists.
header_codes() {
	sed -nE 's/^[[:space:]]*REPL_EXIT_[A-Z]+ = ([0-9]+),?.*/\1/p' \
	    "$TOP/lib/repl_base.h" | LC_ALL=C sort
}
page_codes() {
	sed -n '/^\.Sh EXIT STATUS$/,/^\.Sh /p' "$1" |
	    sed -nE 's/^\.It ([0-9]+)$/\1/p' | LC_ALL=C sort
}

test_expect 'replkit.7: EXIT STATUS lists exactly the codes of replkit.h' '
	header_codes >hdr && test -s hdr &&
	page_codes "$MAN/replkit.7" >page &&
	diff -u hdr page
'

for p in "${pages[@]}"; do
	test_expect "$(basename "$p"): has an EXIT STATUS with codes of replkit.h" '
		grep -q "^\.Sh EXIT STATUS$" "$p" &&
		header_codes >hdr &&
		page_codes "$p" >page && test -s page &&
		comm -13 hdr page >extra && check_empty extra
	'
done

for t in "${tools[@]}"; do
	test_expect "$t --help: usage on stdout only, exit 0" '
		"$t" --help >out 2>err &&
		check_empty err &&
		check_grep out "^usage: $t "
	'
	test_expect "$t --version: one line on stdout only, exit 0" '
		"$t" --version >out 2>err &&
		check_empty err &&
		test "$(wc -l <out)" -eq 1 &&
		check_grep out "^$t [0-9]+\.[0-9]+\.[0-9]+$"
	'
	test_expect "$t --no-such-option: usage on stderr only, exit 2" '
		expect_exit 2 "$t" --no-such-option >out 2>err </dev/null &&
		check_empty out &&
		check_grep err "^usage: $t "
	'
	test_expect "$t -Z (unknown short option): usage on stderr only, exit 2" '
		expect_exit 2 "$t" -Z >out 2>err </dev/null &&
		check_empty out &&
		check_grep err "^usage: $t "
	'
done

done_testing
