/* Escaping free text (user names, passwords) for an SQL string literal. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include <mysql.h>

#include "replkit.h"

/*
 * Escape s for a '...' literal the way c's server reads it (its
 * sql_mode decides whether backslashes escape). Returns 0, or -1 when
 * dst (n bytes) cannot hold the worst case.
 */
int
repl_conn_escape(struct repl_conn *c, char *dst, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (n < 2 * len + 1)
		return -1;
	mysql_real_escape_string(c->mysql, dst, s, (unsigned long)len);
	return 0;
}
