/*
 * The statement that points a replica at a source, for each flavor and
 * version band: CHANGE MASTER TO or CHANGE REPLICATION SOURCE TO.
 */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "replkit.h"

struct sqlbuf {
	char *p;
	size_t n, len;
	int bad;
};

static void
add(struct sqlbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add(struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (b->bad)
		return;
	va_start(ap, fmt);
	r = vsnprintf(b->p + b->len, b->n - b->len, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= b->n - b->len)
		b->bad = 1;
	else
		b->len += (size_t)r;
}

/*
 * Build the CHANGE ... TO statement for src on a server s into buf. The
 * user, password and CA path in src must already be escaped for a string
 * literal (repl_conn_escape); host and file have passed their grammars.
 * Returns the length, or -1 if buf is too small.
 */
int
repl_sql_attach(char *buf, size_t n, const struct repl_server *s,
    const struct repl_source *src)
{
	struct sqlbuf b = { buf, n, 0, 0 };
	int mysql = s->flavor == REPL_FLAVOR_MYSQL;
	const char *k = mysql && s->version >= 80023 ? "SOURCE" : "MASTER";

	add(&b, "%s %s_HOST='%s', %s_PORT=%u, %s_USER='%s'",
	    repl_sql_change_source(s), k, src->host, k, src->port, k,
	    src->user);
	if (src->password != NULL)
		add(&b, ", %s_PASSWORD='%s'", k, src->password);
	if (src->connect_retry != 0)
		add(&b, ", %s_CONNECT_RETRY=%u", k, src->connect_retry);
	if (src->ssl_mode >= REPL_SSL_REQUIRED) {
		add(&b, ", %s_SSL=1", k);
		if (src->ssl_ca != NULL)
			add(&b, ", %s_SSL_CA='%s'", k, src->ssl_ca);
		add(&b, ", %s_SSL_VERIFY_SERVER_CERT=%d", k,
		    src->ssl_mode == REPL_SSL_VERIFY_IDENTITY);
	} else if (src->ssl_mode == REPL_SSL_DISABLED) {
		add(&b, ", %s_SSL=0", k);
	}
	/*
	 * caching_sha2_password (MySQL 8's default) over a plain channel
	 * needs the source's RSA key: let the replica ask for it (8.0.4+).
	 */
	if (mysql && s->version >= 80004 && src->ssl_mode < REPL_SSL_REQUIRED)
		add(&b, ", GET_%s_PUBLIC_KEY=1", k);
	if (src->start == REPL_START_FILEPOS) {
		add(&b, ", %s_LOG_FILE='%s', %s_LOG_POS=%llu", k, src->file,
		    k, src->pos);
		add(&b, mysql ? ", %s_AUTO_POSITION=0" : ", %s_USE_GTID=no",
		    k);
	} else {
		add(&b, mysql ? ", %s_AUTO_POSITION=1" :
		    ", %s_USE_GTID=slave_pos", k);
	}
	return b.bad ? -1 : (int)b.len;
}

/*
 * The statement that sets the replica's GTID position to gtid (already
 * valid for the flavor): MariaDB's gtid_slave_pos, MySQL's gtid_purged
 * (which needs an empty gtid_executed). Returns the length, or -1.
 */
int
repl_sql_set_gtid_pos(char *buf, size_t n, const struct repl_server *s,
    const char *gtid)
{
	char q[REPL_GTID_MAX + 3];
	int r;

	if (repl_sql_quote(q, sizeof(q), gtid) == -1)
		return -1;
	r = snprintf(buf, n, "SET GLOBAL %s = %s",
	    s->flavor == REPL_FLAVOR_MARIADB ? "gtid_slave_pos" :
	    "gtid_purged", q);
	return r < 0 || (size_t)r >= n ? -1 : r;
}
