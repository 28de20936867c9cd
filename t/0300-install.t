#!/bin/bash
# make install: PREFIX, DESTDIR and MANPREFIX are honoured; uninstall undoes it.
. "$(dirname "$0")/lib/tap.sh"

tools=$(sed -n 's/^TOOLS = //p' "$TOP/Makefile")

test_expect 'make install puts every tool and page under DESTDIR/PREFIX' '
	make -s -C "$TOP" install DESTDIR="$T/root" PREFIX=/opt/rk \
	    MANPREFIX=/opt/rk/man >out 2>&1 &&
	missing=0 &&
	for t in $tools; do
		[ -x "$T/root/opt/rk/bin/$t" ] &&
		[ -f "$T/root/opt/rk/man/man1/$t.1" ] ||
		{ echo "missing $t"; missing=1; }
	done &&
	[ $missing = 0 ] &&
	test -f "$T/root/opt/rk/man/man7/replkit.7" &&
	"$T/root/opt/rk/bin/repl-wait" --version >v &&
	check_grep v "^repl-wait [0-9]+\.[0-9]+\.[0-9]+$"
'

test_expect 'nothing is installed outside DESTDIR/PREFIX' '
	(cd "$T/root" && find . -type f | sort) >files &&
	! grep -v -E "^\./opt/rk/(bin|man/man1|man/man7)/" files
'

test_expect 'make uninstall removes what install put there' '
	make -s -C "$TOP" uninstall DESTDIR="$T/root" PREFIX=/opt/rk \
	    MANPREFIX=/opt/rk/man &&
	test -z "$(find "$T/root" -type f)"
'

done_testing
