/*
 * repl-feed's fast path on MariaDB: one prepared INSERT ... VALUES (?)
 * run over the binary protocol with an array of payloads (bulk execution,
 * COM_STMT_BULK_EXECUTE, MariaDB 10.2 and later). The batch is still one
 * statement and one transaction under autocommit, with one GTID, but
 * there is no SQL text to build, send as literals and parse.
 */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>

#include "replkit.h"

/*
 * Prepare the bulk INSERT into t on c for batches of up to batch rows
 * of size bytes. Returns 1 when ready, 0 when the server or the library
 * has no bulk execution (use repl_feed_commit), -1 with err.
 */
int
repl_feed_bulk_open(struct repl_feed_bulk *b, struct repl_conn *c,
    const struct repl_table *t, unsigned int batch, unsigned int size,
    struct repl_err *err)
{
	char db[2 * REPL_NAME_MAX + 3], name[2 * REPL_NAME_MAX + 3];
	char sql[4 * REPL_NAME_MAX + 64];
	MYSQL_STMT *st;
	MYSQL_BIND *bind;
	unsigned long *len, ext = 0;
	unsigned int i;

	memset(b, 0, sizeof(*b));
	if (c->server.flavor != REPL_FLAVOR_MARIADB ||
	    repl_sql_ident(db, sizeof(db), t->db) == -1 ||
	    repl_sql_ident(name, sizeof(name), t->name) == -1)
		return 0;
	snprintf(sql, sizeof(sql), "INSERT INTO %s.%s (payload) VALUES (?)",
	    db, name);
	if ((st = mysql_stmt_init(c->mysql)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	b->stmt = st;
	/* The server's extended capabilities: the upper half of the flags. */
	if (mariadb_get_infov(c->mysql,
	    MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &ext) != 0 ||
	    !(ext & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32))) {
		repl_feed_bulk_close(b);
		return 0;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		repl_conn_error(c, err, "unable to prepare the insert on");
		repl_feed_bulk_close(b);
		return -1;
	}
	b->bind = bind = calloc(1, sizeof(*bind));
	b->ptr = malloc(batch * sizeof(*b->ptr));
	b->len = len = malloc(batch * sizeof(*len));
	if (bind == NULL || b->ptr == NULL || len == NULL) {
		repl_feed_bulk_close(b);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	for (i = 0; i < batch; i++)
		len[i] = size;
	b->cap = batch;
	b->size = size;
	/* Column-wise arrays: a pointer and a length per row. */
	bind->buffer_type = MYSQL_TYPE_STRING;
	bind->buffer = b->ptr;
	bind->length = len;
	return 1;
}

/* Free the statement; before the connection is closed. */
void
repl_feed_bulk_close(struct repl_feed_bulk *b)
{
	if (b->stmt != NULL)
		mysql_stmt_close(b->stmt);
	free(b->bind);
	free(b->ptr);
	free(b->len);
	memset(b, 0, sizeof(*b));
}

/*
 * Insert rows rows (at most the batch of repl_feed_bulk_open) from
 * payload in one statement, as repl_feed_commit does with its text.
 * Returns what repl_feed_commit returns.
 */
int
repl_feed_bulk_commit(struct repl_feed_bulk *b, struct repl_conn *c,
    const char *payload, unsigned int rows, int track, struct repl_coord *co,
    struct repl_err *err)
{
	MYSQL_STMT *st = b->stmt;
	unsigned int i, e, n = rows;

	if (rows == 0 || rows > b->cap) {
		repl_err_set(err, REPL_E_PERM, "batch of %u rows over %u", rows,
		    b->cap);
		return REPL_FEED_FAILED;
	}
	for (i = 0; i < rows; i++)
		b->ptr[i] = (char *)payload + (size_t)i * b->size;
	if (mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &n) != 0 ||
	    mysql_stmt_bind_param(st, b->bind) != 0 ||
	    mysql_stmt_execute(st) != 0) {
		e = mysql_stmt_errno(st);
		if (mysql_errno(c->mysql) == e)
			repl_conn_error(c, err, "insert failed on");
		else
			repl_err_set(err, e >= CR_MIN_ERROR &&
			    e <= CR_MAX_ERROR ? REPL_E_TEMP : REPL_E_PERM,
			    "insert failed on '%s': %s", c->name,
			    mysql_stmt_error(st));
		err->sqlerrno = e;
		return e >= CR_MIN_ERROR && e <= CR_MAX_ERROR ?
		    REPL_FEED_UNKNOWN : REPL_FEED_FAILED;
	}
	return repl_feed_position(c, track, co, err);
}
