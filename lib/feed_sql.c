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
 * characters from [a-z0-9], drawn from *seed (xorshift64; never 0), so
 * that the server cannot compress them away. Returns the length
 * written, or -1 when buf is too small.
 */
int
repl_feed_sql_insert(char *buf, size_t n, const struct repl_table *t,
    unsigned int rows, unsigned int size, uint64_t *seed)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char db[2 * REPL_NAME_MAX + 3], name[2 * REPL_NAME_MAX + 3];
	uint64_t x = *seed ? *seed : 88172645463325252ULL;
	size_t j;
	unsigned int i, k;
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
		for (k = 0; k < size; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[j++] = al[(x >> 32) % (sizeof(al) - 1)];
		}
		buf[j++] = '\'';
		buf[j++] = ')';
	}
	buf[j] = '\0';
	*seed = x;
	return (int)j;
}
