#!/bin/bash
# The seeds' topologies wired with repl-pos | repl-attach, and their faults:
# a replica killed under writes (seed 002), master-master with a replica
# and a failover (seed 001).
. "$(dirname "$0")/lib/server.sh"
srv_require 'repl-attach: the set-ups of the seeds'

printf '%s\n' "$REPL_PASS" >"$T/replpw"
ATTACH="repl-attach -u rk -t 30 --repl-password-file $T/replpw"

# MariaDB 11.x replicas ask for TLS by default (MASTER_SSL=1), and the
# harness starts servers without it: these offer it, as a real 11.8 does.
SSL=
[ "$SRV_SERVER" = mariadb-11.8 ] && SSL=--ssl

# Two writing masters: interleaved AUTO_INCREMENT values, and on MariaDB
# each its own GTID domain and its replicated writes logged (MySQL logs
# them by default and tells servers apart by server_uuid).
mm() {
	echo "$SSL --auto-increment-increment=2 --auto-increment-offset=$1"
	if [ "$SRV_FLAVOR" = mariadb ]; then
		echo "--log-slave-updates --gtid-domain-id=$1"
	fi
}

rows() {
	srv_sql "$1" "SELECT COUNT(*), COALESCE(SUM(id), 0), COUNT(DISTINCT v) FROM d.t"
}

# writer NAME N [TAG]: N single-row transactions on NAME, ~10 ms apart.
writer() {
	local i
	for i in $(seq 1 "$2"); do
		echo "INSERT INTO d.t (v) VALUES ('$1-${3:-}$i'); DO SLEEP(0.01);"
	done | env -u MYSQL_PWD mariadb --no-defaults -S "$T/$1/sock" -uroot
}

test_expect 'seed 002: a source and two replicas, wired by repl-attach' '
	srv_start src $SSL && srv_start rep1 $SSL && srv_start rep2 $SSL &&
	SRC=$(srv_addr src) && REP1=$(srv_addr rep1) && REP2=$(srv_addr rep2) &&
	srv_sql src "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(40) UNIQUE)" &&
	repl-wait -u rk -t 30 "$SRC" &&
	repl-pos -u rk "$SRC" >pos && $ATTACH "$REP1" <pos && $ATTACH "$REP2" <pos &&
	repl-wait -u rk -t 30 --replica "$REP1" "$REP2"
'

test_expect 'seed 002: kill -9 a replica under writes, restart: nothing lost or doubled' '
	run_bg w /dev/null writer src 500 &&
	sleep 1 &&
	srv_kill rep1 &&
	sleep 1 &&
	alive_bg w &&
	srv_restart rep1 &&
	wait_bg w &&
	repl-pos -u rk "$SRC" >end &&
	repl-wait -u rk -t 60 "$REP1" "$REP2" <end &&
	rows src >src.rows && rows rep1 >rep1.rows && rows rep2 >rep2.rows &&
	check_file src.rows "500	125250	500" &&
	diff src.rows rep1.rows && diff src.rows rep2.rows
'

test_expect 'seed 001: two masters replicating each other, a replica of the first' '
	srv_start m1 $(mm 1) && srv_start m2 $(mm 2) && srv_start r $SSL &&
	M1=$(srv_addr m1) && M2=$(srv_addr m2) && R=$(srv_addr r) &&
	srv_sql m1 "CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT
	    PRIMARY KEY, v VARCHAR(40) UNIQUE)" &&
	repl-pos -u rk "$M1" >m1.pos && $ATTACH "$M2" <m1.pos &&
	repl-wait -u rk -t 30 "$M2" <m1.pos &&
	repl-pos -u rk "$M2" >m2.pos && $ATTACH "$M1" <m2.pos 2>err &&
	! grep -q "warning" err &&
	$ATTACH "$R" <m1.pos 2>err &&
	! grep -q "warning" err &&
	repl-wait -u rk -t 30 --replica "$M1" "$M2" "$R"
'

if srv_only mariadb 'seed 001: a circular pair sharing a GTID domain gets a warning' \
    'GTID domains are MariaDB'"'"'s (MySQL tells masters apart by server_uuid)'; then
test_expect 'seed 001: a circular pair sharing a GTID domain gets a warning' '
	srv_start s1 $SSL && srv_start s2 $SSL &&
	repl-pos -u rk "$(srv_addr s1)" >s1.pos && $ATTACH "$(srv_addr s2)" <s1.pos &&
	repl-pos -u rk "$(srv_addr s2)" >s2.pos &&
	$ATTACH "$(srv_addr s1)" <s2.pos 2>err &&
	check_grep err "^repl-attach: warning: .127.0.0.1:[0-9]+. and .127.0.0.1:[0-9]+. replicate from each other and both write GTID domain 0: give each writing master its own gtid_domain_id"
'
fi

test_expect 'seed 001: writes on both masters converge on all three' '
	run_bg w1 /dev/null writer m1 100 && run_bg w2 /dev/null writer m2 100 &&
	wait_bg w1 && wait_bg w2 &&
	repl-pos -u rk "$M1" >p1 && repl-pos -u rk "$M2" >p2 &&
	repl-wait -u rk -t 60 "$M2" "$R" <p1 &&
	repl-wait -u rk -t 60 "$M1" "$R" <p2 &&
	rows m1 >m1.rows && rows m2 >m2.rows && rows r >r.rows &&
	test "$(cut -f1 m1.rows)" = 200 && test "$(cut -f3 m1.rows)" = 200 &&
	diff m1.rows m2.rows && diff m1.rows r.rows
'

test_expect 'seed 001: failover: m1 dies, the replica is re-pointed to m2 by GTID' '
	srv_kill m1 &&
	repl-pos -u rk "$M2" >m2.pos &&
	expect_exit 2 $ATTACH "$R" <m2.pos 2>err &&
	check_grep err "give --force" &&
	$ATTACH --force "$R" <m2.pos &&
	run_bg w3 /dev/null writer m2 50 late && wait_bg w3 &&
	repl-pos -u rk "$M2" >p3 &&
	repl-wait -u rk -t 60 "$R" <p3 &&
	rows m2 >m2.rows && rows r >r.rows &&
	test "$(cut -f1 m2.rows)" = 250 &&
	diff m2.rows r.rows
'

done_testing
