#!/bin/sh
# Run the unit-opt cmocka binary; it prints its own TAP. A missing binary
# fails: the C unit tests are part of the suite.
u=${REPL_UNIT:-$(dirname "$0")/../out/dev/t}/unit-opt
if [ ! -x "$u" ]; then
	echo "1..1"
	echo "not ok 1 - unit-opt binary missing: $u (make units)"
	exit 1
fi
exec "$u"
