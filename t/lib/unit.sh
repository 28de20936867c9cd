# shellcheck shell=sh
# The C unit tests under prove: t/NNNN-unit-NAME.t sources this file,
# which runs the cmocka binary unit-NAME; it prints its own TAP. A missing
# binary fails: the C unit tests are part of the suite.
name=${0##*/}
name=unit-${name#*-unit-}
name=${name%.t}
u=${REPL_UNIT:-$(dirname "$0")/../out/dev/t}/$name
if [ ! -x "$u" ]; then
	echo "1..1"
	echo "not ok 1 - $name binary missing: $u (make units)"
	exit 1
fi
exec "$u"
