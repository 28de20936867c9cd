#!/bin/bash
# TLS against real servers, with certificates made here: --ssl-mode,
# --ssl-ca, client certificates, option files; and the build without TLS,
# which refuses every TLS option before it connects.
. "$(dirname "$0")/lib/server.sh"
# shellcheck source=t/lib/tls.sh
. "$TOP/t/lib/tls.sh"

DEAD=127.0.0.1:1	# nothing listens there
C=$T/tls		# the certificates
TLS_PASS=tls-secret	# of the users that need TLS

srv_require 'TLS tests'

# The no-TLS tools, when the environment names them (CI: the static
# release build); a relative folder is taken from where prove started.
notls=
if [ -n "${REPL_BIN_NOTLS:-}" ]; then
	case $REPL_BIN_NOTLS in
	/*) notls=$REPL_BIN_NOTLS ;;
	*) notls=${OLDPWD:-$TOP}/$REPL_BIN_NOTLS ;;
	esac
fi

# certs_expect DESC CODE: a test that needs the certificates, else a
# visible skip. notls_expect DESC CODE: the same for the no-TLS tools.
certs_expect() {
	if [ -n "$no_certs" ]; then
		test_skip "$1" "$no_certs"
	else
		test_expect "$@"
	fi
}

notls_expect() {
	if [ -z "$notls" ]; then
		test_skip "$1" 'REPL_BIN_NOTLS is not set (a folder with repl-wait and repl-pos built without TLS, e.g. out/static-notls/bin after make static)'
	else
		test_expect "$@"
	fi
}

# tool TOOL ARGS...: run TOOL; repl-wait with a deadline, so that a
# refusal that does not come shows as exit 124 rather than a long wait.
tool() {
	local t=$1
	shift
	case $t in
	*repl-wait) "$t" -t 10 "$@" ;;
	*) "$t" "$@" ;;
	esac
}

# no_tls_msg FILE: FILE says the build has no TLS, and nothing about a
# connection (the refusal comes before any).
no_tls_msg() {
	check_grep "$1" '^repl-(wait|pos): this build has no TLS support: refusing TLS options' &&
	! grep -E -q 'unable to connect|timed out' "$1"
}

no_certs=
have_openssl || no_certs='the openssl command is not installed (apt-get install openssl)'

# certs_needed REASON: after a test that the others need, set no_certs to
# REASON if it failed, so that they are skipped rather than failed again.
certs_needed() {
	[ "$t_failed" = "$failed_before" ] || no_certs=${no_certs:-$1}
}
failed_before=$t_failed

certs_expect 'certificates: two CAs, server certificates with and without the name 127.0.0.1, client certificates' '
	tls_make "$C" &&
	openssl verify -CAfile "$C/ca.pem" "$C/good.pem" "$C/wrongname.pem" "$C/client.pem" &&
	! openssl verify -CAfile "$C/otherca.pem" "$C/good.pem" &&
	openssl x509 -in "$C/good.pem" -noout -ext subjectAltName >san &&
	check_grep san "IP Address:127.0.0.1" &&
	openssl x509 -in "$C/wrongname.pem" -noout -ext subjectAltName >san &&
	check_grep san "DNS:db.invalid" && ! grep -q 127.0.0.1 san
'
certs_needed 'the certificates could not be made'

# The servers: MySQL and MariaDB 11.4 and later make a certificate of
# their own and offer TLS unless told not to (MySQL: an empty
# tls_version; MariaDB: --skip-ssl, as the harness starts MariaDB 10.11);
# MariaDB takes its certificates with --ssl, MySQL without. have_ssl is
# gone from MySQL 9: the certificate a MySQL server uses, and its expiry,
# are in its status.
if [ "$SRV_FLAVOR" = mysql ]; then
	no_tls_args=--tls-version=
	tls_on=
	binlog_grant='REPLICATION CLIENT'
else
	no_tls_args=--skip-ssl
	tls_on=--ssl
	binlog_grant='BINLOG MONITOR'
fi

# tls_state NAME: "off", or the server certificate NAME uses.
tls_state() {
	if [ "$SRV_FLAVOR" = mysql ]; then
		if [ -z "$(srv_sql "$1" "SELECT @@tls_version")" ] &&
		    [ -z "$(srv_sql "$1" "SHOW STATUS LIKE 'Ssl_server_not_after'" | cut -f2)" ]; then
			echo off
		else
			srv_sql "$1" "SHOW STATUS LIKE 'Current_tls_cert'" | cut -f2
		fi
	else
		case $(srv_sql "$1" "SHOW VARIABLES LIKE 'have_ssl'" | cut -f2) in
		DISABLED) echo off ;;
		YES) srv_sql "$1" "SELECT @@ssl_cert" ;;
		*) echo unknown ;;
		esac
	fi
}

# notls_login_msg FILE TOOL SERVER: what the build without TLS says when
# MySQL's caching_sha2_password account cannot log in.
notls_login_msg() {
	check_grep "$1" "^$2: unable to connect to .$3.: the account logs in with caching_sha2_password, which this build without TLS cannot speak: use the TLS build"
}

test_expect 'a server without TLS' '
	srv_start plain $no_tls_args &&
	test "$(tls_state plain)" = off
'
P=$(srv_addr plain)

failed_before=$t_failed
certs_expect 'a TLS server whose certificate names 127.0.0.1, one whose does not' '
	srv_start tlsgood $tls_on --ssl-ca="$C/ca.pem" \
	    --ssl-cert="$C/good.pem" --ssl-key="$C/good.key" &&
	srv_start tlswrong $tls_on --ssl-ca="$C/ca.pem" \
	    --ssl-cert="$C/wrongname.pem" --ssl-key="$C/wrongname.key" &&
	test "$(tls_state tlsgood)" = "$C/good.pem" &&
	test "$(tls_state tlswrong)" = "$C/wrongname.pem" &&
	srv_sql tlsgood "CREATE USER '\''tlsonly'\''@'\''127.0.0.1'\''
	    IDENTIFIED BY '\''$TLS_PASS'\'' REQUIRE SSL;
	    CREATE USER '\''x509'\''@'\''127.0.0.1'\''
	    IDENTIFIED BY '\''$TLS_PASS'\'' REQUIRE X509;
	    GRANT $binlog_grant ON *.* TO '\''tlsonly'\''@'\''127.0.0.1'\'', '\''x509'\''@'\''127.0.0.1'\''"
'
certs_needed 'the TLS servers did not start'
[ -z "$no_certs" ] && G=$(srv_addr tlsgood) W=$(srv_addr tlswrong)

# A server as the harness starts it, on the servers that make a
# certificate of their own: TLS is there, with a certificate no CA of
# ours signed.
auto_tls='a server started with no TLS option offers TLS, with a certificate of its own'
case $SRV_SERVER in
mariadb-10.*)
	test_skip "$auto_tls" "MariaDB 10.11 makes no certificate of its own: the harness starts it with --skip-ssl (not on $SRV_SERVER)" ;;
*)
	certs_expect "$auto_tls" '
		srv_start auto &&
		A=$(srv_addr auto) &&
		repl-pos -u rk --ssl-mode=REQUIRED "$A" >/dev/null 2>err &&
		check_empty err &&
		expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$A" 2>err &&
		check_grep err "^repl-pos: unable to connect to .$A.: TLS/SSL error" &&
		srv_stop auto
	' ;;
esac

# --ssl-mode, without and with a CA

certs_expect 'no TLS option: both kinds of server (exit 0)' '
	repl-pos -u rk "$P" >/dev/null && repl-pos -u rk "$G" >/dev/null
'

certs_expect 'DISABLED to the TLS server: exit 0' '
	repl-pos -u rk --ssl-mode=DISABLED "$G" >/dev/null 2>err &&
	check_empty err
'

certs_expect 'PREFERRED to the plain server and to the TLS server: exit 0' '
	repl-pos -u rk --ssl-mode=PREFERRED "$P" >/dev/null 2>err &&
	repl-pos -u rk --ssl-mode=PREFERRED "$G" >/dev/null 2>>err &&
	repl-wait -u rk -t 5 --ssl-mode=PREFERRED "$P" "$G" 2>>err &&
	check_empty err
'

certs_expect 'REQUIRED to the TLS servers: exit 0, whatever the names' '
	repl-pos -u rk --ssl-mode=REQUIRED "$G" >/dev/null &&
	repl-wait -u rk -t 5 --ssl-mode=REQUIRED "$G" "$W"
'

test_expect 'REQUIRED to the plain server: exit 2 at once, not encrypted' '
	expect_exit 2 repl-pos -u rk --ssl-mode=REQUIRED "$P" >out 2>err &&
	check_empty out &&
	check_file err "repl-pos: unable to connect to '\''$P'\'': --ssl-mode=REQUIRED but the connection is not encrypted (the server does not offer TLS)" &&
	t0=$(now_ms) &&
	expect_exit 2 repl-wait -u rk -t 10 --ssl-mode=REQUIRED "$P" 2>err &&
	test $(($(now_ms) - t0)) -lt 5000 &&
	check_grep err "^repl-wait: unable to connect to .$P.: --ssl-mode=REQUIRED but the connection is not encrypted"
'

certs_expect '--ssl-mode takes its value in any case' '
	repl-pos -u rk --ssl-mode=required "$G" >/dev/null &&
	repl-pos -u rk --ssl-mode=Verify_Ca --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	expect_exit 2 repl-pos -u rk --ssl-mode=required "$P" 2>err &&
	check_grep err "not encrypted"
'

certs_expect 'VERIFY_CA with the right CA: both TLS servers (the name is not checked)' '
	repl-pos -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	repl-pos -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$W" >/dev/null &&
	repl-wait -u rk -t 5 --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$G" "$W"
'

certs_expect 'VERIFY_CA with an unrelated CA: exit 2 at once, a verification failure' '
	expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/otherca.pem" "$G" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-pos: unable to connect to .$G.: TLS/SSL error: .*certificate" &&
	expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/otherca.pem" "$W" 2>err &&
	check_grep err "TLS/SSL error" &&
	t0=$(now_ms) &&
	expect_exit 2 repl-wait -u rk -t 10 --ssl-mode=VERIFY_CA --ssl-ca "$C/otherca.pem" "$G" 2>err &&
	test $(($(now_ms) - t0)) -lt 5000 &&
	check_grep err "^repl-wait: unable to connect to .$G.: TLS/SSL error"
'

certs_expect 'VERIFY_CA to the plain server: exit 2' '
	expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$P" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$P.: .*(not encrypted|SSL is required)" &&
	expect_exit 2 repl-wait -u rk -t 10 --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$P" 2>err &&
	check_grep err "^repl-wait: unable to connect to .$P.: .*(not encrypted|SSL is required)"
'

# libmariadb refuses a server without TLS before it authenticates only
# when it verifies the name; REQUIRED and VERIFY_CA must not send a
# password (nor a hash of it) in plaintext either: a wrong one shows
# whether the login was tried.
certs_expect 'REQUIRED, VERIFY_CA to the plain server: refused before any login' '
	MYSQL_PWD=wrong expect_exit 2 repl-pos -u rk --ssl-mode=REQUIRED "$P" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$P.: .*(not encrypted|SSL is required)" &&
	MYSQL_PWD=wrong expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$P" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$P.: .*(not encrypted|SSL is required)" &&
	MYSQL_PWD=wrong expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" "$P" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$P.: .*(not encrypted|SSL is required)"
'

certs_expect 'VERIFY_IDENTITY with the right CA: the server named 127.0.0.1, exit 0' '
	repl-pos -u rk --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	repl-wait -u rk -t 5 --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" "$G"
'

certs_expect 'VERIFY_IDENTITY to the server with the wrong name: exit 2 at once' '
	expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" "$W" >out 2>err &&
	check_empty out &&
	check_grep err "^repl-pos: unable to connect to .$W.: TLS/SSL error: Validation of SSL server certificate failed" &&
	t0=$(now_ms) &&
	expect_exit 2 repl-wait -u rk -t 10 --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" "$W" 2>err &&
	test $(($(now_ms) - t0)) -lt 5000 &&
	check_grep err "^repl-wait: unable to connect to .$W.: TLS/SSL error"
'

certs_expect 'VERIFY_IDENTITY with an unrelated CA, or to the plain server: exit 2' '
	expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/otherca.pem" "$G" 2>err &&
	check_grep err "TLS/SSL error" &&
	expect_exit 2 repl-pos -u rk --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" "$P" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$P.: .*(not encrypted|SSL is required)"
'

certs_expect '--ssl-ca without --ssl-mode means VERIFY_CA' '
	repl-pos -u rk --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	repl-pos -u rk --ssl-ca "$C/ca.pem" "$W" >/dev/null &&
	expect_exit 2 repl-pos -u rk --ssl-ca "$C/otherca.pem" "$G" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$G.: TLS/SSL error" &&
	expect_exit 2 repl-pos -u rk --ssl-ca "$C/ca.pem" "$P" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$P.: .*(not encrypted|SSL is required)" &&
	expect_exit 2 repl-wait -u rk -t 10 --ssl-ca "$C/ca.pem" "$P" 2>err &&
	check_grep err "^repl-wait: unable to connect to .$P.: .*(not encrypted|SSL is required)"
'

# Options that contradict each other: refused before any connection (the
# operand is a port nothing listens on).

test_expect 'VERIFY_CA or VERIFY_IDENTITY without --ssl-ca: exit 2, before connecting' '
	(for t in repl-wait repl-pos; do
		for m in VERIFY_CA VERIFY_IDENTITY; do
			expect_exit 2 tool "$t" -u rk --ssl-mode=$m "$DEAD" 2>err &&
			check_file err "$t: --ssl-mode=VERIFY_CA and VERIFY_IDENTITY need --ssl-ca" ||
			exit 1
		done
	done)
'

test_expect '--ssl-cert without --ssl-key, or the other way round: exit 2' '
	(for t in repl-wait repl-pos; do
		expect_exit 2 tool "$t" -u rk --ssl-cert "$C/client.pem" "$DEAD" 2>err &&
		check_file err "$t: --ssl-cert and --ssl-key go together" &&
		expect_exit 2 tool "$t" -u rk --ssl-key "$C/client.key" "$DEAD" 2>err &&
		check_file err "$t: --ssl-cert and --ssl-key go together" ||
		exit 1
	done)
'

test_expect 'DISABLED together with --ssl-ca, --ssl-cert or --ssl-key: exit 2' '
	(for t in repl-wait repl-pos; do
		expect_exit 2 tool "$t" -u rk --ssl-mode=DISABLED --ssl-ca "$C/ca.pem" "$DEAD" 2>err &&
		check_file err "$t: --ssl-mode=DISABLED contradicts --ssl-ca/--ssl-cert/--ssl-key" &&
		expect_exit 2 tool "$t" -u rk --ssl-mode=DISABLED --ssl-cert "$C/client.pem" \
		    --ssl-key "$C/client.key" "$DEAD" 2>err &&
		check_file err "$t: --ssl-mode=DISABLED contradicts --ssl-ca/--ssl-cert/--ssl-key" ||
		exit 1
	done)
'

test_expect 'a mode that does not exist: exit 2, the valid ones listed' '
	(for t in repl-wait repl-pos; do
		for m in SOMETIMES "" VERIFY_FULL; do
			expect_exit 2 tool "$t" -u rk --ssl-mode="$m" "$DEAD" 2>err &&
			check_file err "$t: invalid --ssl-mode '\''$m'\'': expected DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY" ||
			exit 1
		done
	done)
'

# The server's side: a user that must use TLS gets in only when the
# connection really is encrypted.

certs_expect 'a REQUIRE SSL user: in with REQUIRED, VERIFY_CA, VERIFY_IDENTITY, PREFERRED' '
	export MYSQL_PWD=$TLS_PASS &&
	repl-pos -u tlsonly --ssl-mode=REQUIRED "$G" >/dev/null &&
	repl-pos -u tlsonly --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	repl-pos -u tlsonly --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	repl-pos -u tlsonly --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	repl-pos -u tlsonly --ssl-mode=PREFERRED "$G" >/dev/null &&
	repl-wait -u tlsonly -t 5 --ssl-mode=REQUIRED "$G"
'
export MYSQL_PWD=$RK_PASS

certs_expect 'a REQUIRE SSL user: refused with DISABLED (exit 2), so that was TLS' '
	export MYSQL_PWD=$TLS_PASS &&
	expect_exit 2 repl-pos -u tlsonly --ssl-mode=DISABLED "$G" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$G.: Access denied for user .tlsonly.@.127.0.0.1." &&
	expect_exit 2 repl-wait -u tlsonly -t 10 --ssl-mode=DISABLED "$G" 2>err &&
	check_grep err "Access denied for user .tlsonly."
'
export MYSQL_PWD=$RK_PASS

certs_expect 'a REQUIRE X509 user: in with a client certificate signed by the CA' '
	export MYSQL_PWD=$TLS_PASS &&
	repl-pos -u x509 --ssl-cert "$C/client.pem" --ssl-key "$C/client.key" "$G" >/dev/null &&
	repl-pos -u x509 --ssl-mode=REQUIRED --ssl-cert "$C/client.pem" --ssl-key "$C/client.key" "$G" >/dev/null &&
	repl-pos -u x509 --ssl-mode=VERIFY_IDENTITY --ssl-ca "$C/ca.pem" \
	    --ssl-cert "$C/client.pem" --ssl-key "$C/client.key" "$G" >/dev/null &&
	repl-wait -u x509 -t 5 --ssl-ca "$C/ca.pem" --ssl-cert "$C/client.pem" --ssl-key "$C/client.key" "$G"
'
export MYSQL_PWD=$RK_PASS

certs_expect 'a REQUIRE X509 user: refused without a client certificate (exit 2)' '
	export MYSQL_PWD=$TLS_PASS &&
	expect_exit 2 repl-pos -u x509 --ssl-mode=REQUIRED "$G" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$G.: Access denied for user .x509.@.127.0.0.1." &&
	expect_exit 2 repl-pos -u x509 --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$G" 2>err &&
	check_grep err "Access denied for user .x509." &&
	expect_exit 2 repl-wait -u x509 -t 10 --ssl-mode=REQUIRED "$G" 2>err &&
	check_grep err "Access denied for user .x509."
'
export MYSQL_PWD=$RK_PASS

# With TLS 1.3 the server checks a client certificate after the client
# has finished its handshake, so its refusal may reach the client as a
# reset rather than as a TLS alert: it must still be permanent, each time.
certs_expect 'a client certificate of an unrelated CA: refused by the server, exit 2 (5 tries)' '
	export MYSQL_PWD=$TLS_PASS &&
	(for i in 1 2 3 4 5; do
		expect_exit 2 repl-pos -u x509 --ssl-cert "$C/otherclient.pem" \
		    --ssl-key "$C/otherclient.key" "$G" 2>err &&
		check_grep err "^repl-pos: unable to connect to .$G.: " ||
		{ echo "(try $i)"; cat err; exit 1; }
	done) &&
	expect_exit 2 repl-wait -u x509 -t 10 --ssl-cert "$C/otherclient.pem" \
	    --ssl-key "$C/otherclient.key" "$G" 2>err &&
	check_grep err "^repl-wait: unable to connect to .$G.: "
'
export MYSQL_PWD=$RK_PASS

# Option files: their TLS keys, through libmariadb.

certs_expect 'ssl-ca in [client] of a --defaults-file: as --ssl-ca' '
	printf "[client]\nssl-ca=%s\n" "$C/ca.pem" >ca.cnf &&
	printf "[client]\nssl-ca=%s\n" "$C/otherca.pem" >otherca.cnf &&
	repl-pos --defaults-file ca.cnf -u rk "$G" >/dev/null &&
	repl-wait --defaults-file ca.cnf -u rk -t 5 "$G" "$W" &&
	expect_exit 2 repl-pos --defaults-file otherca.cnf -u rk "$G" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$G.: TLS/SSL error" &&
	expect_exit 2 repl-wait --defaults-file otherca.cnf -u rk -t 10 "$G" 2>err &&
	check_grep err "^repl-wait: unable to connect to .$G.: TLS/SSL error"
'

certs_expect 'ssl-ca in an option file, to the plain server: refused as with --ssl-ca (exit 2)' '
	expect_exit 2 repl-pos --defaults-file ca.cnf -u rk "$P" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$P.: .*(not encrypted|SSL is required)" &&
	expect_exit 2 repl-wait --defaults-file ca.cnf -u rk -t 10 "$P" 2>err &&
	check_grep err "^repl-wait: unable to connect to .$P.: .*(not encrypted|SSL is required)"
'

certs_expect 'ssl-ca and ssl-verify-server-cert=1 in an option file: the name is checked' '
	printf "[client]\nssl-ca=%s\nssl-verify-server-cert=1\n" "$C/ca.pem" >ident.cnf &&
	repl-pos --defaults-file ident.cnf -u rk "$G" >/dev/null &&
	expect_exit 2 repl-pos --defaults-file ident.cnf -u rk "$W" 2>err &&
	check_grep err "^repl-pos: unable to connect to .$W.: TLS/SSL error: Validation of SSL server certificate failed"
'

certs_expect 'ssl-ca in [replkit] of --defaults-extra-file; the REQUIRE SSL user gets in' '
	printf "[replkit]\nssl-ca=%s\n" "$C/ca.pem" >rk.cnf &&
	MYSQL_PWD=$TLS_PASS repl-pos --defaults-extra-file rk.cnf -u tlsonly "$G" >/dev/null
'

certs_expect 'the command line overrides the option file: --ssl-ca, --ssl-mode=DISABLED' '
	repl-pos --defaults-file otherca.cnf -u rk --ssl-ca "$C/ca.pem" "$G" >/dev/null &&
	repl-pos --defaults-file otherca.cnf -u rk --ssl-mode=DISABLED "$G" >/dev/null &&
	export MYSQL_PWD=$TLS_PASS &&
	expect_exit 2 repl-pos --defaults-file ca.cnf -u tlsonly --ssl-mode=DISABLED "$G" 2>err &&
	check_grep err "Access denied for user .tlsonly."
'
export MYSQL_PWD=$RK_PASS

certs_expect 'ssl-cert and ssl-key in an option file: the REQUIRE X509 user gets in' '
	printf "[client]\nssl-cert=%s\nssl-key=%s\n" "$C/client.pem" "$C/client.key" >x509.cnf &&
	MYSQL_PWD=$TLS_PASS repl-pos --defaults-file x509.cnf -u x509 "$G" >/dev/null
'

# The build without TLS: every TLS option refused before connecting, so
# that it never falls back to plaintext. On MySQL it logs in with no
# account at all: its accounts use caching_sha2_password (the only
# password plugin from MySQL 9.0), which needs a crypto library; the tools
# say so, naming the TLS build, and exit 2.

notls_expect 'REPL_BIN_NOTLS holds repl-wait and repl-pos' '
	test -x "$notls/repl-wait" && test -x "$notls/repl-pos"
'

notls_expect 'no TLS: --ssl-mode other than DISABLED, exit 2 before connecting' '
	(for t in repl-wait repl-pos; do
		for m in PREFERRED REQUIRED VERIFY_CA VERIFY_IDENTITY; do
			expect_exit 2 tool "$notls/$t" -u rk --ssl-mode=$m "$DEAD" 2>err &&
			no_tls_msg err ||
			exit 1
		done
		expect_exit 2 tool "$notls/$t" -u rk --ssl-mode=VERIFY_CA --ssl-ca "$C/ca.pem" "$DEAD" 2>err &&
		no_tls_msg err ||
		exit 1
	done)
'

notls_expect 'no TLS: --ssl-ca, --ssl-cert/--ssl-key, exit 2 before connecting' '
	(for t in repl-wait repl-pos; do
		expect_exit 2 tool "$notls/$t" -u rk --ssl-ca "$C/ca.pem" "$DEAD" 2>err &&
		no_tls_msg err &&
		expect_exit 2 tool "$notls/$t" -u rk --ssl-cert "$C/client.pem" \
		    --ssl-key "$C/client.key" "$DEAD" 2>err &&
		no_tls_msg err ||
		exit 1
	done)
'

notls_expect 'no TLS: a TLS key in an option file, exit 2 before connecting' '
	(for k in "ssl-ca=$C/ca.pem" "ssl-capath=$C" "ssl-cert=$C/client.pem" \
	    "ssl-key=$C/client.key" ssl-cipher=AES256-SHA ssl-verify-server-cert=1; do
		printf "[client]\n%s\n" "$k" >notls.cnf &&
		for t in repl-wait repl-pos; do
			expect_exit 2 tool "$notls/$t" --defaults-file notls.cnf -u rk "$DEAD" 2>err &&
			check_grep err "^$t: this build has no TLS support: refusing the TLS options of the option files" &&
			! grep -E -q "unable to connect|timed out" err ||
			{ echo "(option file: $k)"; cat err; exit 1; }
		done
	done)
'

if [ "$SRV_FLAVOR" = mysql ]; then
	notls_expect 'no TLS: no TLS option, or DISABLED, to the plain server: exit 2 at once, naming the TLS build (caching_sha2_password)' '
		t0=$(now_ms) &&
		expect_exit 2 "$notls/repl-wait" -u rk -t 10 "$P" 2>err &&
		test $(($(now_ms) - t0)) -lt 5000 &&
		notls_login_msg err repl-wait "$P" &&
		expect_exit 2 "$notls/repl-pos" -u rk "$P" >out 2>err &&
		check_empty out && notls_login_msg err repl-pos "$P" &&
		expect_exit 2 "$notls/repl-wait" -u rk -t 10 --ssl-mode=DISABLED "$P" 2>err &&
		notls_login_msg err repl-wait "$P" &&
		expect_exit 2 "$notls/repl-pos" -u rk --ssl-mode=disabled "$P" >/dev/null 2>err &&
		notls_login_msg err repl-pos "$P"
	'

	# Without --ssl-mode=DISABLED the option file would be refused as
	# above: the login refusal shows that DISABLED overrode it.
	notls_expect 'no TLS: DISABLED overrides the TLS keys of an option file (then the login: exit 2, naming the TLS build)' '
		printf "[client]\nssl-ca=%s\n" "$C/ca.pem" >notls.cnf &&
		expect_exit 2 "$notls/repl-wait" --defaults-file notls.cnf -u rk -t 10 --ssl-mode=DISABLED "$P" 2>err &&
		notls_login_msg err repl-wait "$P" &&
		expect_exit 2 "$notls/repl-pos" --defaults-file notls.cnf -u rk --ssl-mode=DISABLED "$P" >/dev/null 2>err &&
		notls_login_msg err repl-pos "$P"
	'
else
	notls_expect 'no TLS: no TLS option, or DISABLED, to the plain server: exit 0' '
		"$notls/repl-wait" -u rk -t 5 "$P" 2>err &&
		"$notls/repl-pos" -u rk "$P" >out 2>>err &&
		check_grep out " file=mysql-bin" &&
		"$notls/repl-wait" -u rk -t 5 --ssl-mode=DISABLED "$P" 2>>err &&
		"$notls/repl-pos" -u rk --ssl-mode=disabled "$P" >/dev/null 2>>err &&
		check_empty err
	'

	notls_expect 'no TLS: DISABLED overrides the TLS keys of an option file' '
		printf "[client]\nssl-ca=%s\n" "$C/ca.pem" >notls.cnf &&
		"$notls/repl-wait" --defaults-file notls.cnf -u rk -t 5 --ssl-mode=DISABLED "$P" &&
		"$notls/repl-pos" --defaults-file notls.cnf -u rk --ssl-mode=DISABLED "$P" >/dev/null
	'
fi

if [ -z "$notls" ] || [ -n "$no_certs" ]; then
	test_skip 'no TLS: DISABLED to a TLS server' \
	    "${no_certs:-REPL_BIN_NOTLS is not set}"
elif [ "$SRV_FLAVOR" = mysql ]; then
	test_expect 'no TLS: DISABLED to a TLS server: exit 2, naming the TLS build (caching_sha2_password)' '
		expect_exit 2 "$notls/repl-pos" -u rk --ssl-mode=DISABLED "$G" >/dev/null 2>err &&
		notls_login_msg err repl-pos "$G" &&
		MYSQL_PWD=$TLS_PASS expect_exit 2 "$notls/repl-wait" -u tlsonly -t 10 "$G" 2>err &&
		notls_login_msg err repl-wait "$G"
	'
else
	test_expect 'no TLS: DISABLED to a TLS server: exit 0, in plaintext' '
		"$notls/repl-pos" -u rk --ssl-mode=DISABLED "$G" >/dev/null &&
		MYSQL_PWD=$TLS_PASS expect_exit 2 "$notls/repl-wait" -u tlsonly -t 10 "$G" 2>err &&
		check_grep err "Access denied for user .tlsonly."
	'
fi

done_testing
