# shellcheck shell=bash
# Certificates for TLS tests, made with the openssl command: two unrelated
# CAs, server certificates that do and do not name 127.0.0.1, and client
# certificates. Our own config files, so the system's openssl.cnf (its
# default extensions) does not change what is made.

have_openssl() {
	command -v openssl >/dev/null
}

# tls_conf FILE EXTENSIONS...: an openssl config whose [ext] section holds
# the extension lines given.
tls_conf() {
	local f=$1
	shift
	{
		printf '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n'
		printf '[ext]\n'
		printf '%s\n' "$@"
	} >"$f"
}

# tls_ca DIR NAME: a self-signed CA, DIR/NAME.pem and DIR/NAME.key.
tls_ca() {
	local d=$1 n=$2
	tls_conf "$d/$n.cnf" 'basicConstraints = critical, CA:TRUE' \
	    'keyUsage = critical, keyCertSign, cRLSign' \
	    'subjectKeyIdentifier = hash' || return 1
	if ! openssl req -x509 -config "$d/$n.cnf" -extensions ext \
	    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -subj "/O=replkit tests/CN=$n" -days 30 \
	    -keyout "$d/$n.key" -out "$d/$n.pem" 2>"$d/$n.log"; then
		cat "$d/$n.log" >&2
		return 1
	fi
}

# tls_leaf DIR NAME CA CN USAGE [SAN]: a certificate for CN signed by
# DIR/CA, for USAGE (serverAuth or clientAuth), with the subjectAltName
# SAN if given: DIR/NAME.pem and DIR/NAME.key.
tls_leaf() {
	local d=$1 n=$2 ca=$3 cn=$4 usage=$5 san=${6:-}
	tls_conf "$d/$n.cnf" 'basicConstraints = critical, CA:FALSE' \
	    'keyUsage = critical, digitalSignature, keyEncipherment' \
	    "extendedKeyUsage = $usage" \
	    ${san:+"subjectAltName = $san"} || return 1
	if ! openssl req -new -config "$d/$n.cnf" \
	    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -subj "/O=replkit tests/CN=$cn" \
	    -keyout "$d/$n.key" -out "$d/$n.csr" 2>"$d/$n.log" ||
	    ! openssl x509 -req -in "$d/$n.csr" -CA "$d/$ca.pem" \
	    -CAkey "$d/$ca.key" -set_serial "0x$(openssl rand -hex 8)" \
	    -days 30 -extfile "$d/$n.cnf" -extensions ext \
	    -out "$d/$n.pem" 2>>"$d/$n.log"; then
		cat "$d/$n.log" >&2
		return 1
	fi
}

# tls_make DIR: everything the TLS tests use, in DIR:
#   ca        the CA the servers and clients trust
#   otherca   an unrelated CA
#   good      server, signed by ca, subjectAltName IP:127.0.0.1
#   wrongname server, signed by ca, only DNS:db.invalid
#   client    client certificate signed by ca
#   otherclient  client certificate signed by otherca
tls_make() {
	local d=$1
	mkdir -p "$d" &&
	tls_ca "$d" ca &&
	tls_ca "$d" otherca &&
	tls_leaf "$d" good ca 127.0.0.1 serverAuth IP:127.0.0.1 &&
	tls_leaf "$d" wrongname ca db.invalid serverAuth DNS:db.invalid &&
	tls_leaf "$d" client ca rk-client clientAuth &&
	tls_leaf "$d" otherclient otherca rk-client clientAuth
}

