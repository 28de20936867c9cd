/* Schema and table names given on the command line, and their order. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "replkit.h"

/*
 * The length of the UTF-8 sequence at the start of str: 1 to 4, or 0
 * when it is not a well-formed one (no overlong forms, no surrogates,
 * nothing past U+10FFFF) or str is empty. Returns that length.
 */
size_t
repl_utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int c = s[0], min, cp;
	size_t n, i;

	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * The same for the sequence at s, of which len bytes may be read (s
 * need not end with a NUL): 0 also when it is cut short.
 */
size_t
repl_utf8_len_n(const char *s, size_t len)
{
	char c[5];
	size_t n = len < 4 ? len : 4;

	memcpy(c, s, n);
	c[n] = '\0';
	return repl_utf8_len(c);
}

/*
 * A schema or table name as the command line may give it: 1 to 64
 * characters of well-formed UTF-8, no control character. The server
 * has the last word on the rest. Returns 1 if valid, else 0.
 */
int
repl_name_valid(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t chars = 0, n;

	if (*p == '\0' || strlen(name) > REPL_NAME_MAX)
		return 0;
	for (; *p != '\0'; p += n, chars++) {
		if (*p < 0x20 || *p == 0x7f ||
		    (n = repl_utf8_len((const char *)p)) == 0)
			return 0;
		/* C1 controls, U+0080 to U+009F */
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			return 0;
	}
	return chars <= REPL_NAME_CHARS;
}

/*
 * Parse db.table: exactly one dot, both names valid (a name holding a
 * dot cannot be given this way). Returns 0, or -1 with a permanent
 * error.
 */
int
repl_table_parse(struct repl_table *t, const char *s, struct repl_err *err)
{
	const char *dot = strchr(s, '.');
	size_t dlen;

	memset(t, 0, sizeof(*t));
	if (dot == NULL || strchr(dot + 1, '.') != NULL)
		goto bad;
	dlen = (size_t)(dot - s);
	if (dlen > REPL_NAME_MAX || strlen(dot + 1) > REPL_NAME_MAX)
		goto bad;
	memcpy(t->db, s, dlen);
	t->db[dlen] = '\0';
	strcpy(t->name, dot + 1);
	if (!repl_name_valid(t->db) || !repl_name_valid(t->name))
		goto bad;
	return 0;
bad:
	memset(t, 0, sizeof(*t));
	repl_err_set(err, REPL_E_PERM, "invalid table '%.80s%s': expected "
	    "db.table, with one dot and names of 1 to %d characters",
	    s, strlen(s) > 80 ? "..." : "", REPL_NAME_CHARS);
	return -1;
}

/*
 * The order of tables, for qsort and bsearch: by schema, then name,
 * byte by byte. Returns <0, 0 or >0.
 */
int
repl_table_cmp(const void *a, const void *b)
{
	const struct repl_table *x = a, *y = b;
	int r;

	if ((r = strcmp(x->db, y->db)) != 0)
		return r;
	return strcmp(x->name, y->name);
}
