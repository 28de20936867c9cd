# shellcheck shell=ksh
# replkit: the init service of compose/master-master (seed 001), run by
# the tools image's shell (mksh).  It follows the topology it finds, so
# that `up` may run it again at any time, after a failover too:
#
#   - the source is the master that takes writes; when neither does (a
#     new stack, or one whose servers restarted: both start read-only),
#     the one the replica replicates from, else master1;
#   - the other master and the replica replicate from it, each from its
#     own GTID position (repl-attach: nothing changes where they already
#     do; a master back from a failover is refused when it holds
#     transactions the source never had, and init exits 2);
#   - when the source does not take writes yet, nothing does: the pair
#     is closed (the source replicates from the other master too, once
#     that one has all of it), and repl-promote makes the source
#     writable.
#
# After a failover (repl-promote --failover) the pair is not closed
# again: the master that came back is a read-only replica of the new
# source.  Exit 0 when done, else the exit status of the tool that failed
# (2: refused, retrying will not help; 3: a server could not be reached).
set -o pipefail
o="-u replkit --password-file /run/secrets/replkit_password"
r="--repl-password-file /run/secrets/repl_password"
a="-v --connect-retry 5 $r"

# writable SERVER: SERVER takes writes now.
writable() {
	# shellcheck disable=SC2086
	repl-wait -q -t 0 --writable $o "$1" </dev/null
}

# source_of SERVER: host:port of the source SERVER replicates from, as
# repl-top says it, "-" for none.
source_of() {
	# shellcheck disable=SC2086
	repl-top $o master1 master2 replica 2>/dev/null |
	    while read -r addr sid role state src rest; do
		[ "$addr" = "$1:3306" ] && echo "${src#source=}"
	    done
	return 0
}

# attach REPLICA SOURCE: REPLICA replicates from SOURCE.
attach() {
	# shellcheck disable=SC2086
	repl-pos $o "$2" | repl-attach $o $a "$1"
}

# shellcheck disable=SC2086
repl-wait -t 300 $o master1 master2 replica || exit
if writable master1; then
	if writable master2; then
		echo "init: master1 and master2 both take writes: make one" \
		    "read-only, then run init again" >&2
		exit 2
	fi
	s=master1 other=master2
elif writable master2; then
	s=master2 other=master1
else
	case $(source_of replica) in
	master2:3306) s=master2 other=master1 ;;
	*) s=master1 other=master2 ;;
	esac
fi
echo "init: the source is $s" >&2
attach $other $s && attach replica $s || exit
writable $s && exit 0
# Nothing takes writes: the pair is closed before the source opens.
# shellcheck disable=SC2086
repl-pos $o $s | repl-wait -t 300 $o $other &&
    attach $s $other &&
    repl-promote -v $o $r $s $other replica || exit
exit 0
