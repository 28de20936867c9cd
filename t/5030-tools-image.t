#!/bin/bash
# The tools image (make image): FROM scratch, under 5 MB, holding only
# the tools, a shell and a CA bundle; every tool answers by its name; TLS
# verification with --ssl-ca /etc/ssl/certs/ca-certificates.crt uses the
# image's CA bundle.
. "$(dirname "$0")/lib/compose.sh"
# shellcheck source=t/lib/tls.sh
. "$TOP/t/lib/tls.sh"

compose_prereq || skip_all "$compose_why"
[ -f "$TOP/out/static/libreplkit.a" ] ||
    skip_all "the static tools are not built (make static) for the tools image"

VERSION=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
TOOLS=$(sed -n 's/^TOOLS = //p' "$TOP/Makefile")
NET=$P-net

cleanup() {
	docker rm -f -v "$P-tlsdb" >/dev/null 2>&1 || :
	docker network rm "$NET" >/dev/null 2>&1 || :
}
trap cleanup EXIT
trap 'exit 130' INT TERM

test_expect 'the images: tools (make image), server stand-in (debootstrap)' '
	compose_images && compose_secrets
'

test_expect 'tagged replkit:VERSION and replkit:latest, one image' '
	a=$(docker image inspect -f "{{.Id}}" "replkit:$VERSION") &&
	b=$(docker image inspect -f "{{.Id}}" replkit:latest) &&
	test -n "$a" && test "$a" = "$b"
'

test_expect 'under 5 MB' '
	size=$(docker image inspect -f "{{.Size}}" replkit:latest) &&
	test "$size" -lt $((5 * 1024 * 1024))
'
echo "# replkit:latest is $(docker image inspect -f '{{.Size}}' replkit:latest) bytes"

test_expect 'FROM scratch: one layer, holding only the tools, a shell and the CA bundle' '
	mkdir save && docker save replkit:latest | tar -C save -x &&
	ls save/*/layer.tar >layers &&
	test "$(wc -l <layers)" = 1 &&
	tar -tf "$(cat layers)" | sed "s,/$,," | sort >files &&
	{
		printf "%s\n" bin bin/sh etc etc/ssl etc/ssl/certs \
		    etc/ssl/certs/ca-certificates.crt tmp usr usr/local usr/local/bin \
		    usr/local/bin/replkit &&
		for t in $TOOLS; do echo "usr/local/bin/$t"; done
	} | sort >expected &&
	diff -u expected files
'

test_expect 'every tool answers by its name, the same binary' '
	for t in $TOOLS; do
		docker run --rm replkit:latest "$t" --version >v.out &&
		check_file v.out "$t $VERSION" || return 1
	done &&
	expect_exit 2 docker run --rm replkit:latest replkit 2>usage.err &&
	check_grep usage.err "^usage: replkit tool" &&
	docker run --rm replkit:latest sh -c "set -o pipefail; repl-pos --version | { read -r l && echo \"read: \$l\"; }" >sh.out &&
	check_file sh.out "read: repl-pos $VERSION"
'

# A TLS server on a network of this test's own, its certificate signed
# by a CA of the test's own and naming the container (tlsdb).
test_expect 'a TLS server with a certificate of a CA of our own' '
	tls_ca "$T" ca &&
	tls_leaf "$T" db ca tlsdb serverAuth DNS:tlsdb &&
	chmod 644 "$T/db.key" &&
	printf "[mysqld]\nssl_cert = /certs/db.pem\nssl_key = /certs/db.key\n" >"$T/tls.cnf" &&
	docker network create --label "replkit.test=$P" "$NET" >/dev/null &&
	docker run -d --name "$P-tlsdb" --label "replkit.test=$P" \
	    --network "$NET" --network-alias tlsdb \
	    -e MYSQL_ROOT_PASSWORD_FILE=/run/secrets/root_password \
	    -e MYSQL_ROOT_HOST=localhost \
	    -v "$T/secrets:/run/secrets:ro" -v "$TOP/sql:/docker-entrypoint-initdb.d:ro" \
	    -v "$T/db.pem:/certs/db.pem:ro" -v "$T/db.key:/certs/db.key:ro" \
	    -v "$T/tls.cnf:/etc/mysql/conf.d/tls.cnf:ro" \
	    -v "$TOP/conf/small.cnf:/etc/mysql/conf.d/small.cnf:ro" \
	    "$SERVER_IMAGE" >/dev/null &&
	docker inspect -f "{{range .Mounts}}{{.Name}} {{end}}" "$P-tlsdb" >volumes &&
	docker run --rm --network "$NET" -v "$T/secrets:/run/secrets:ro" replkit:latest \
	    repl-wait -t 120 --ssl-mode REQUIRED -u replkit \
	    --password-file /run/secrets/replkit_password tlsdb
'

BUNDLE=/etc/ssl/certs/ca-certificates.crt
test_expect 'VERIFY_IDENTITY with the image CA bundle: our CA is not in it, refused' '
	expect_exit 2 docker run --rm --network "$NET" -v "$T/secrets:/run/secrets:ro" \
	    replkit:latest repl-wait -t 10 --ssl-mode VERIFY_IDENTITY --ssl-ca $BUNDLE \
	    -u replkit --password-file /run/secrets/replkit_password tlsdb 2>verify.err &&
	check_grep verify.err "unable to get local issuer certificate" &&
	docker run --rm replkit:latest sh -c "read -r l <$BUNDLE && echo \$l" >bundle.out &&
	check_file bundle.out "-----BEGIN CERTIFICATE-----"
'

test_expect 'with our CA as the bundle, the same command connects' '
	docker run --rm --network "$NET" -v "$T/secrets:/run/secrets:ro" \
	    -v "$T/ca.pem:$BUNDLE:ro" \
	    replkit:latest repl-wait -t 10 --ssl-mode VERIFY_IDENTITY --ssl-ca $BUNDLE \
	    -u replkit --password-file /run/secrets/replkit_password tlsdb
'

test_expect 'nothing left behind' '
	cleanup &&
	{ docker ps -aq --filter "label=replkit.test=$P";
	  docker network ls -q --filter "label=replkit.test=$P";
	  for v in $(cat volumes); do docker volume ls -q --filter "name=^$v\$"; done; } >left.out &&
	test -s volumes &&
	check_empty left.out
'

done_testing
