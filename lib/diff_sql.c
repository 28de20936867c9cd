/*
 * The statements of repl-diff: column kinds, key ranges and literals.
 * Every name reaches SQL quoted as an identifier, every value as a
 * literal that no sql_mode reads otherwise.
 */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replkit.h"

static const char hex[] = "0123456789ABCDEF";

/*
 * The kind of a column by its DATA_TYPE, for how its values are hashed
 * and written. A VECTOR (MariaDB 11.7, MySQL 9) is bytes: floats, not
 * text in any character set. MariaDB's INET4, INET6 and UUID are text:
 * the server prints them in the form it reads back. Returns the kind;
 * what is unknown is text.
 */
enum repl_diff_ctype
repl_diff_ctype(const char *t)
{
	static const char *const num[] = { "tinyint", "smallint",
		"mediumint", "int", "integer", "bigint", "decimal", "numeric",
		"float", "double", "real", "year", NULL };
	static const char *const tim[] = { "date", "datetime", "timestamp",
		"time", NULL };
	static const char *const bin[] = { "binary", "varbinary",
		"tinyblob", "blob", "mediumblob", "longblob", "bit", "geometry",
		"point", "linestring", "polygon", "multipoint",
		"multilinestring", "multipolygon", "geometrycollection",
		"geomcollection", "vector", NULL };
	size_t i;

	for (i = 0; num[i] != NULL; i++)
		if (strcasecmp(t, num[i]) == 0)
			return REPL_DIFF_NUM;
	for (i = 0; tim[i] != NULL; i++)
		if (strcasecmp(t, tim[i]) == 0)
			return REPL_DIFF_TIME;
	for (i = 0; bin[i] != NULL; i++)
		if (strcasecmp(t, bin[i]) == 0)
			return REPL_DIFF_BIN;
	return REPL_DIFF_TEXT;
}

/* Append name as an identifier: `name`, each backtick doubled. */
void
repl_diff_sql_ident(struct repl_sb *b, const char *name)
{
	const char *p;

	repl_sb_add(b, "`", 1);
	for (p = name; *p != '\0'; p++)
		repl_sb_add(b, *p == '`' ? "``" : p, *p == '`' ? 2 : 1);
	repl_sb_add(b, "`", 1);
}

/* Append `db`.`table`. */
void
repl_diff_sql_table(struct repl_sb *b, const struct repl_table *t)
{
	repl_diff_sql_ident(b, t->db);
	repl_sb_add(b, ".", 1);
	repl_diff_sql_ident(b, t->name);
}

static int
is_number(const char *v, unsigned long len)
{
	unsigned long i;

	if (len == 0 || len > 80)
		return 0;
	for (i = 0; i < len; i++)
		if (strchr("0123456789+-.eE", v[i]) == NULL || v[i] == '\0')
			return 0;
	return (v[0] >= '0' && v[0] <= '9') || v[0] == '-';
}

/* Printable UTF-8 without quote-breaking bytes: safe between quotes. */
static int
plain_text(const char *v, unsigned long len)
{
	unsigned long i = 0;
	size_t n;

	while (i < len) {
		if ((unsigned char)v[i] < 0x80) {
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f ||
			    v[i] == '\\')
				return 0;
			i++;
			continue;
		}
		if ((n = repl_utf8_len_n(v + i, len - i)) == 0)
			return 0;
		/* C1 controls */
		if (n == 2 && (unsigned char)v[i] == 0xc2 &&
		    (unsigned char)v[i + 1] < 0xa0)
			return 0;
		i += n;
	}
	return 1;
}

static void
hexbytes(struct repl_sb *b, const char *v, unsigned long len)
{
	unsigned long i;
	char h[2];

	repl_sb_add(b, "X'", 2);
	for (i = 0; i < len; i++) {
		h[0] = hex[(unsigned char)v[i] >> 4];
		h[1] = hex[(unsigned char)v[i] & 0x0f];
		repl_sb_add(b, h, 2);
	}
	repl_sb_add(b, "'", 1);
}

/*
 * Append the value v (len bytes; NULL is SQL NULL) of column c as a
 * literal, in the character set utf8mb4 of the connection: a number as
 * the server printed it; bytes as X'..', which a VECTOR reads as its
 * floats (with a character set, _utf8mb4 X'..', it would be text, and
 * refused as no UTF-8); text, times and addresses that are
 * printable UTF-8 without backslash between single quotes, a quote
 * doubled; other text as _utf8mb4 X'..'. Backslashes never appear
 * between quotes, so the literal reads the same whatever the sql_mode.
 */
void
repl_diff_sql_literal(struct repl_sb *b, const struct repl_diff_col *c,
    const char *v, unsigned long len)
{
	unsigned long i;

	if (v == NULL) {
		repl_sb_str(b, "NULL");
		return;
	}
	if (c->ctype == REPL_DIFF_NUM && is_number(v, len)) {
		repl_sb_add(b, v, len);
		return;
	}
	if (c->ctype == REPL_DIFF_BIN) {
		hexbytes(b, v, len);
		return;
	}
	if (!plain_text(v, len)) {
		repl_sb_str(b, "_utf8mb4 ");
		hexbytes(b, v, len);
		return;
	}
	repl_sb_add(b, "'", 1);
	for (i = 0; i < len; i++)
		repl_sb_add(b, v[i] == '\'' ? "''" : v + i, v[i] == '\'' ?
		    2 : 1);
	repl_sb_add(b, "'", 1);
}

static void
keycol(struct repl_sb *b, const struct repl_diff_tab *t, size_t k)
{
	repl_diff_sql_ident(b, t->col[t->key[k]].name);
}

static void
keyval(struct repl_sb *b, const struct repl_diff_tab *t, size_t k,
    const struct repl_diff_row *r)
{
	size_t i = t->key[k];

	repl_diff_sql_literal(b, &t->col[i], r->val[i], r->len[i]);
}

/*
 * One side of a key range, as the index reads it: (k1 > v1) OR (k1 = v1
 * AND k2 > v2) ..., the last comparison op2 (for an inclusive bound).
 */
static void
side(struct repl_sb *b, const struct repl_diff_tab *t,
    const struct repl_diff_row *r, const char *op, const char *op2)
{
	size_t i, j;

	repl_sb_str(b, "(");
	for (i = 0; i < t->nkey; i++) {
		if (i > 0)
			repl_sb_str(b, " OR ");
		repl_sb_str(b, "(");
		for (j = 0; j < i; j++) {
			keycol(b, t, j);
			repl_sb_str(b, " = ");
			keyval(b, t, j, r);
			repl_sb_str(b, " AND ");
		}
		keycol(b, t, i);
		repl_sb_str(b, i + 1 == t->nkey ? op2 : op);
		keyval(b, t, i, r);
		repl_sb_str(b, ")");
	}
	repl_sb_str(b, ")");
}

/*
 * For a key of one integer column, the value after lo's into buf (n
 * bytes): (lo, hi] is [lo + 1, hi], which a server checks faster as
 * BETWEEN than as two comparisons. Returns 0, or -1 when the key is no
 * integer or the value no number (then no BETWEEN).
 */
static int
next_int(char *buf, size_t n, const struct repl_diff_tab *t,
    const struct repl_diff_row *lo)
{
	const struct repl_diff_col *c = &t->col[t->key[0]];
	const char *v = lo->val[t->key[0]];
	unsigned long long u;
	long long l;
	char *end;
	int r;

	if (t->nkey != 1 || c->ctype != REPL_DIFF_NUM ||
	    strstr(c->type, "int") == NULL || v == NULL ||
	    strspn(v + (v[0] == '-'), "0123456789") == 0)
		return -1;
	errno = 0;
	if (v[0] == '-') {
		/* Negative: one more cannot overflow. */
		l = strtoll(v, &end, 10);
		r = snprintf(buf, n, "%lld", l + 1);
	} else {
		u = strtoull(v, &end, 10);
		if (u == ULLONG_MAX)
			return -1;
		r = snprintf(buf, n, "%llu", u + 1);
	}
	return errno != 0 || *end != '\0' || r < 0 || (size_t)r >= n ? -1 : 0;
}

/*
 * Append the condition of the key range (lo, hi]: above lo, up to and
 * with hi; a NULL bound is no bound.
 */
void
repl_diff_sql_range(struct repl_sb *b, const struct repl_diff_tab *t,
    const struct repl_diff_row *lo, const struct repl_diff_row *hi)
{
	char next[32];

	if (lo == NULL && hi == NULL) {
		repl_sb_str(b, "1");
		return;
	}
	if (lo != NULL && hi != NULL &&
	    next_int(next, sizeof(next), t, lo) == 0) {
		repl_sb_str(b, "(");
		keycol(b, t, 0);
		repl_sb_fmt(b, " BETWEEN %s AND ", next);
		keyval(b, t, 0, hi);
		repl_sb_str(b, ")");
		return;
	}
	if (lo != NULL)
		side(b, t, lo, " > ", " > ");
	if (lo != NULL && hi != NULL)
		repl_sb_str(b, " AND ");
	if (hi != NULL)
		side(b, t, hi, " < ", " <= ");
}

/* Append (k1 = v1 AND k2 = v2 ...) for the key of r. */
void
repl_diff_sql_keyeq(struct repl_sb *b, const struct repl_diff_tab *t,
    const struct repl_diff_row *r)
{
	size_t k;

	repl_sb_str(b, "(");
	for (k = 0; k < t->nkey; k++) {
		if (k > 0)
			repl_sb_str(b, " AND ");
		keycol(b, t, k);
		repl_sb_str(b, " = ");
		keyval(b, t, k, r);
	}
	repl_sb_str(b, ")");
}

/*
 * Whether column i holds the same value in a and b: both NULL, or the
 * same bytes. Returns 1 or 0.
 */
int
repl_diff_same(const struct repl_diff_tab *t, size_t i,
    const struct repl_diff_row *a, const struct repl_diff_row *b)
{
	(void)t;
	if (a->val[i] == NULL || b->val[i] == NULL)
		return a->val[i] == b->val[i];
	return a->len[i] == b->len[i] &&
	    memcmp(a->val[i], b->val[i], a->len[i]) == 0;
}
