/*
 * The statements repl-feed sends: its schema and table, created when
 * missing, and multi-row INSERTs of generated payloads. Names reach SQL
 * only through repl_sql_ident.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "replkit.h"

/*
 * CREATE DATABASE IF NOT EXISTS for t's schema into buf. Returns the
 * length written, or -1 when buf is too small.
 */
int
repl_feed_sql_create_db(char *buf, size_t n, const struct repl_table *t)
{
	char db[2 * REPL_NAME_MAX + 3];
	int r;

	if (repl_sql_ident(db, sizeof(db), t->db) == -1)
		return -1;
	r = snprintf(buf, n, "CREATE DATABASE IF NOT EXISTS %s", db);
	return r < 0 || (size_t)r >= n ? -1 : r;
}

/*
 * CREATE TABLE IF NOT EXISTS t: an auto-increment id, a payload of size
 * bytes and the time of the insert, in microseconds. Returns the length
 * written, or -1 when buf is too small.
 */
int
repl_feed_sql_create_table(char *buf, size_t n, const struct repl_table *t,
    unsigned int size)
{
	char db[2 * REPL_NAME_MAX + 3], name[2 * REPL_NAME_MAX + 3];
	int r;

	if (repl_sql_ident(db, sizeof(db), t->db) == -1 ||
	    repl_sql_ident(name, sizeof(name), t->name) == -1)
		return -1;
	r = snprintf(buf, n, "CREATE TABLE IF NOT EXISTS %s.%s ("
	    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
	    "payload VARBINARY(%u) NOT NULL, "
	    "ts TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))",
	    db, name, size);
	return r < 0 || (size_t)r >= n ? -1 : r;
}

/*
 * The buffer size repl_feed_sql_insert needs for rows rows of size
 * bytes. Returns that size.
 */
size_t
repl_feed_sql_insert_size(unsigned int rows, unsigned int size)
{
	return 64 + 2 * (2 * REPL_NAME_MAX + 3) +
	    (size_t)rows * ((size_t)size + 5);
}

/*
 * INSERT INTO t (payload) VALUES ('...'), ... with rows rows of size
 * bytes each from payload (characters that need no escaping: from
 * repl_feed_payload). Returns the length written, or -1 when buf is too
 * small.
 */
int
repl_feed_sql_insert(char *buf, size_t n, const struct repl_table *t,
    unsigned int rows, unsigned int size, const char *payload)
{
	char db[2 * REPL_NAME_MAX + 3], name[2 * REPL_NAME_MAX + 3];
	size_t j;
	unsigned int i;
	int r;

	if (rows == 0 || n < repl_feed_sql_insert_size(rows, size) ||
	    repl_sql_ident(db, sizeof(db), t->db) == -1 ||
	    repl_sql_ident(name, sizeof(name), t->name) == -1)
		return -1;
	r = snprintf(buf, n, "INSERT INTO %s.%s (payload) VALUES ", db, name);
	if (r < 0 || (size_t)r >= n)
		return -1;
	j = (size_t)r;
	for (i = 0; i < rows; i++) {
		if (i > 0)
			buf[j++] = ',';
		buf[j++] = '(';
		buf[j++] = '\'';
		memcpy(buf + j, payload + (size_t)i * size, size);
		j += size;
		buf[j++] = '\'';
		buf[j++] = ')';
	}
	buf[j] = '\0';
	return (int)j;
}
