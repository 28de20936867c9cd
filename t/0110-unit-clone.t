#!/bin/sh
# shellcheck source=t/lib/unit.sh
. "$(dirname "$0")/lib/unit.sh"
