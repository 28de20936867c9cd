/*
 * Quoting schema and table names for SQL: as identifiers in backticks,
 * and as string values in hexadecimal, so that no name, whatever bytes
 * it holds, can end the quoting early.
 */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "replkit.h"

/*
 * Quote name as an identifier: `name`, each backtick in it doubled, as
 * MySQL and MariaDB read it whatever the sql_mode (ANSI_QUOTES changes
 * only the double quote). Refuses an empty name and one longer than
 * REPL_NAME_MAX bytes. Returns the length written, or -1 (also when buf
 * is too small).
 */
int
repl_sql_ident(char *buf, size_t n, const char *name)
{
	size_t len = strlen(name), i, j = 0;

	if (len == 0 || len > REPL_NAME_MAX)
		return -1;
	if (n < 3)
		return -1;
	buf[j++] = '`';
	for (i = 0; i < len; i++) {
		if (j + (name[i] == '`' ? 2 : 1) + 2 > n)
			return -1;
		if (name[i] == '`')
			buf[j++] = '`';
		buf[j++] = name[i];
	}
	buf[j++] = '`';
	buf[j] = '\0';
	return (int)j;
}

/*
 * Write s as a string value in hexadecimal with a character set
 * introducer, _utf8mb4 X'6462', which no sql_mode (backslash escapes or
 * not) reads otherwise, and which compares with a column in the column's
 * collation. Refuses a string longer than REPL_NAME_MAX bytes. Returns
 * the length written, or -1 (also when buf is too small).
 */
int
repl_sql_hexstr(char *buf, size_t n, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char pre[] = "_utf8mb4 X'";
	size_t len = strlen(s), i, j;

	if (len > REPL_NAME_MAX || n < sizeof(pre) + 2 * len + 1)
		return -1;
	memcpy(buf, pre, sizeof(pre) - 1);
	j = sizeof(pre) - 1;
	for (i = 0; i < len; i++) {
		buf[j++] = hex[(unsigned char)s[i] >> 4];
		buf[j++] = hex[(unsigned char)s[i] & 0x0f];
	}
	buf[j++] = '\'';
	buf[j] = '\0';
	return (int)j;
}
