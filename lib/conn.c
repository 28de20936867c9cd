/*
 * Opening a connection like the mysql client: option files read by
 * libmariadb itself, then the command line on top, timeouts always set,
 * and --ssl-mode with the meaning MySQL's client gives it.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>

#include "replkit.h"

static int
tls_from_files(MYSQL *m)
{
	static const enum mysql_option str[] = { MYSQL_OPT_SSL_CA,
		MYSQL_OPT_SSL_CAPATH, MYSQL_OPT_SSL_CERT, MYSQL_OPT_SSL_KEY,
		MYSQL_OPT_SSL_CIPHER };
	my_bool b = 0;
	size_t i;

	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
		const char *v = NULL;

		if (mysql_get_optionv(m, str[i], &v) == 0 && v != NULL &&
		    v[0] != '\0')
			return 1;
	}
	if (mysql_get_optionv(m, MYSQL_OPT_SSL_ENFORCE, &b) == 0 && b)
		return 1;
	b = 0;
	if (mysql_get_optionv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &b) == 0 &&
	    b)
		return 1;
	return 0;
}

/*
 * With no --ssl-mode, MySQL's client takes a CA to mean VERIFY_CA; so do
 * we, whether the CA comes from the command line or an option file, and
 * ssl-verify-server-cert in a file to mean VERIFY_IDENTITY. Returns the
 * mode to enforce.
 */
static enum repl_ssl_mode
implied_mode(MYSQL *m, const struct repl_connopt *o)
{
	const char *ca = NULL, *capath = NULL;
	my_bool verify = 0;

	mysql_get_optionv(m, MYSQL_OPT_SSL_CA, &ca);
	mysql_get_optionv(m, MYSQL_OPT_SSL_CAPATH, &capath);
	mysql_get_optionv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
	if (verify)
		return REPL_SSL_VERIFY_IDENTITY;
	if (o->ssl_ca != NULL || (ca != NULL && ca[0] != '\0') ||
	    (capath != NULL && capath[0] != '\0'))
		return REPL_SSL_VERIFY_CA;
	return REPL_SSL_DEFAULT;
}

static const char *
mode_name(enum repl_ssl_mode m)
{
	return m == REPL_SSL_REQUIRED ? "REQUIRED" :
	    m == REPL_SSL_VERIFY_CA ? "VERIFY_CA" : "VERIFY_IDENTITY";
}

static void
set_tls(MYSQL *m, const struct repl_connopt *o)
{
	my_bool on = 1, off = 0;

	if (o->ssl_ca != NULL)
		mysql_optionsv(m, MYSQL_OPT_SSL_CA, o->ssl_ca);
	if (o->ssl_cert != NULL)
		mysql_optionsv(m, MYSQL_OPT_SSL_CERT, o->ssl_cert);
	if (o->ssl_key != NULL)
		mysql_optionsv(m, MYSQL_OPT_SSL_KEY, o->ssl_key);
	switch (o->ssl_mode) {
	case REPL_SSL_DEFAULT:
		break;
	case REPL_SSL_DISABLED:
		/* Any TLS file left set would turn TLS back on. */
		mysql_optionsv(m, MYSQL_OPT_SSL_CA, NULL);
		mysql_optionsv(m, MYSQL_OPT_SSL_CAPATH, NULL);
		mysql_optionsv(m, MYSQL_OPT_SSL_CERT, NULL);
		mysql_optionsv(m, MYSQL_OPT_SSL_KEY, NULL);
		mysql_optionsv(m, MYSQL_OPT_SSL_CIPHER, NULL);
		mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &off);
		mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
		break;
	case REPL_SSL_PREFERRED:
	case REPL_SSL_REQUIRED:
	case REPL_SSL_VERIFY_CA:
		/* With a CA, libmariadb verifies the chain but not the name. */
		mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
		mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
		break;
	case REPL_SSL_VERIFY_IDENTITY:
		mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
		mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
		break;
	}
}

/*
 * A build without TLS has no crypto library, so no caching_sha2_password
 * (MySQL's default from 8.0, its only password plugin from 9.0),
 * sha256_password or client_ed25519: libmariadb then says it cannot load
 * the plugin, a message that names no remedy. Say which build can log in.
 */
static void
explain_auth(struct repl_conn *c, struct repl_err *err)
{
	const char *e = mysql_error(c->mysql), *p, *q;

	/*
	 * Connector/C reports it as CR_AUTH_PLUGIN_CANNOT_LOAD, or (static,
	 * 3.3) as 1045 with the same text: go by the text.
	 */
	if ((p = strstr(e, "Plugin ")) == NULL ||
	    strstr(e, " could not be loaded") == NULL ||
	    (q = strchr(p + 7, ' ')) == NULL)
		return;
	p += 7;
	repl_err_set(err, REPL_E_PERM, "unable to connect to '%s': the "
	    "account logs in with %.*s, which this build without TLS cannot "
	    "speak: use the TLS build of replkit (out/static, the tools "
	    "image), or an account IDENTIFIED WITH mysql_native_password "
	    "(MariaDB, MySQL 8.4 and older)", c->name, (int)(q - p), p);
	err->sqlerrno = CR_AUTH_PLUGIN_CANNOT_LOAD;
}

/*
 * Connect to a with the options o and learn the server's flavor. Returns
 * 0, or -1 with err filled (permanent for refused logins and TLS
 * failures, temporary for what a retry may cure).
 */
int
repl_conn_open(struct repl_conn *c, const struct repl_addr *a,
    const struct repl_connopt *o, struct repl_err *err)
{
	MYSQL *m;
	unsigned int t;
	const char *cipher;
	struct repl_connopt eff = *o;

	memset(c, 0, sizeof(*c));
	c->addr = *a;
	repl_addr_format(c->name, sizeof(c->name), a);
	if ((m = mysql_init(NULL)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	c->mysql = m;
	if (repl_optfile_read(m, o, err) == -1)
		goto fail;
	if (!repl_tls_available() && o->ssl_mode != REPL_SSL_DISABLED &&
	    tls_from_files(m)) {
		repl_err_set(err, REPL_E_PERM, "this build has no TLS support: "
		    "refusing the TLS options of the option files rather than "
		    "connecting in plaintext");
		goto fail;
	}
	t = o->connect_timeout;
	mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &t);
	t = o->read_timeout;
	mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &t);
	mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &t);
	/* Only repl-clone streams rows to LOAD DATA, by its own handler. */
	t = o->local_infile != 0;
	mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &t);
	mysql_optionsv(m, MYSQL_OPT_CONNECT_ATTR_ADD, "program_name",
	    o->program);
	if (eff.ssl_mode == REPL_SSL_DEFAULT)
		eff.ssl_mode = implied_mode(m, &eff);
	if (repl_tls_available())
		set_tls(m, &eff);
	/*
	 * REQUIRED and VERIFY_CA: libmariadb would log in to a server
	 * without TLS before we could refuse it. Ask the server first, and
	 * never let a password go out in clear text in these modes.
	 */
	if (eff.ssl_mode == REPL_SSL_REQUIRED ||
	    eff.ssl_mode == REPL_SSL_VERIFY_CA) {
		struct repl_err probe;

		if (repl_server_offers_tls(a, (int64_t)o->connect_timeout *
		    1000, &probe) == 0) {
			repl_err_set(err, REPL_E_PERM, "unable to connect to "
			    "'%s': --ssl-mode=%s but the connection is not "
			    "encrypted (the server does not offer TLS)",
			    c->name, mode_name(eff.ssl_mode));
			goto fail;
		}
		mysql_optionsv(m, MARIADB_OPT_RESTRICTED_AUTH,
		    "mysql_native_password,client_ed25519,"
		    "caching_sha2_password,sha256_password");
	}
	/*
	 * With TLS 1.3 a server checks a client certificate after the
	 * handshake, and its refusal reaches us as a lost connection, which
	 * looks temporary. TLS 1.2 refuses in the handshake.
	 */
	if (eff.ssl_cert != NULL)
		mysql_optionsv(m, MARIADB_OPT_TLS_VERSION, "TLSv1.2");
	if (mysql_real_connect(m, a->socket[0] ? "localhost" : a->host,
	    o->user, o->password, NULL, a->socket[0] ? 0 : a->port,
	    a->socket[0] ? a->socket : NULL, 0) == NULL) {
		repl_conn_error(c, err, "unable to connect to");
		if (!repl_tls_available())
			explain_auth(c, err);
		goto fail;
	}
	cipher = mysql_get_ssl_cipher(m);
	if (eff.ssl_mode >= REPL_SSL_REQUIRED && cipher == NULL) {
		repl_err_set(err, REPL_E_PERM, "unable to connect to '%s': "
		    "--ssl-mode=%s but the connection is not encrypted "
		    "(the server does not offer TLS)", c->name,
		    mode_name(eff.ssl_mode));
		goto fail;
	}
	if (repl_server_parse(&c->server, mysql_get_server_info(m)) == -1) {
		repl_err_set(err, REPL_E_PERM, "'%s': unknown server version "
		    "'%.64s'", c->name, mysql_get_server_info(m));
		goto fail;
	}
	return 0;
fail:
	repl_conn_close(c);
	return -1;
}

/* Close the connection, if open. */
void
repl_conn_close(struct repl_conn *c)
{
	if (c->mysql != NULL)
		mysql_close(c->mysql);
	c->mysql = NULL;
}

/*
 * Fill err from the connection's last error, prefixed by "what 'name'".
 * Refused logins, missing privileges and TLS failures are permanent;
 * the rest (refused or lost connections, a server starting or stopping,
 * too many connections, an unknown host name) are temporary.
 * Returns -1.
 */
int
repl_conn_error(struct repl_conn *c, struct repl_err *err, const char *what)
{
	static const unsigned int perm[] = { 1044, 1045, 1049, 1129, 1130,
		1142, 1143, 1227, 1251, 1698, 1820, 1862, 4151,
		CR_SSL_CONNECTION_ERROR, CR_AUTH_PLUGIN_CANNOT_LOAD,
		CR_VERSION_ERROR, CR_NOT_IMPLEMENTED };
	MYSQL *m = c->mysql;
	unsigned int e = mysql_errno(m);
	size_t i;
	enum repl_errkind kind = REPL_E_TEMP;

	for (i = 0; i < sizeof(perm) / sizeof(perm[0]); i++)
		if (e == perm[i])
			kind = REPL_E_PERM;
	/* Syntax and other statement errors do not cure themselves. */
	if (e >= 1000 && e < 2000 && e != 1040 && e != 1053 && e != 1205 &&
	    e != 1213 && e != 1927 && e != 1317)
		kind = REPL_E_PERM;
	repl_err_set(err, kind, "%s '%s': %s", what, c->name, mysql_error(m));
	err->sqlerrno = e;
	snprintf(err->sqlstate, sizeof(err->sqlstate), "%s",
	    mysql_sqlstate(m));
	return -1;
}

/*
 * Make the connection's character set utf8mb4, whatever the option files
 * say, so that names and values travel in UTF-8. Returns 0, or -1 with
 * err.
 */
int
repl_conn_utf8mb4(struct repl_conn *c, struct repl_err *err)
{
	if (strcmp(mysql_character_set_name(c->mysql), "utf8mb4") == 0 ||
	    mysql_set_character_set(c->mysql, "utf8mb4") == 0)
		return 0;
	return repl_conn_error(c, err, "unable to set the character set "
	    "utf8mb4 on");
}

/* Run a statement, discarding any result. Returns 0, or -1 with err. */
int
repl_conn_query(struct repl_conn *c, const char *sql, struct repl_err *err)
{
	MYSQL_RES *res;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0)
		return repl_conn_error(c, err, "query failed on");
	if ((res = mysql_store_result(c->mysql)) != NULL)
		mysql_free_result(res);
	else if (mysql_field_count(c->mysql) != 0)
		return repl_conn_error(c, err, "query failed on");
	return 0;
}

/*
 * Run a query and copy the first column of its first row into buf;
 * *isnull tells NULL or no row. Returns 0, or -1 with err.
 */
int
repl_conn_scalar(struct repl_conn *c, const char *sql, char *buf, size_t n,
    int *isnull, struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	*isnull = 1;
	buf[0] = '\0';
	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err, "query failed on");
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL) {
		*isnull = 0;
		snprintf(buf, n, "%s", row[0]);
	}
	mysql_free_result(res);
	return 0;
}
