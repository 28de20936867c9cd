#!/bin/bash
# repl-diff's row hash as for servers without CRC32C (MySQL, MariaDB
# before 10.8): the CRC32 of the row as one string and of it reversed.
# Forced on MariaDB with REPLKIT_DIFF_NO_CRC32C, every case of t/1830
# (which checks that the form is that one).
export REPLKIT_DIFF_NO_CRC32C=1
# shellcheck source=t/1830-repl-diff-hash.t
. "$(dirname "$0")/1830-repl-diff-hash.t"
