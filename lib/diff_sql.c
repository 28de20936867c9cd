/*
 * The statements of repl-diff: the row hash, key ranges and literals.
 * Every name reaches SQL quoted as an identifier, every value as a
 * literal that no sql_mode reads otherwise.
 */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <strings.h>

#include "replkit.h"

static const char hex[] = "0123456789ABCDEF";

/*
 * The kind of a column by its DATA_TYPE, for how its values are hashed
 * and written. Returns the kind; what is unknown is text.
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
		"geomcollection", NULL };
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
	char c[5];

	while (i < len) {
		if ((unsigned char)v[i] < 0x80) {
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f ||
			    v[i] == '\\')
				return 0;
			i++;
			continue;
		}
		n = len - i < 4 ? len - i : 4;
		memcpy(c, v + i, n);
		c[n] = '\0';
		if ((n = repl_utf8_len(c)) == 0)
			return 0;
		/* C1 controls */
		if (n == 2 && (unsigned char)c[0] == 0xc2 &&
		    (unsigned char)c[1] < 0xa0)
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
 * the server printed it; bytes as X'..'; text and times that are
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

/*
 * The row as one byte string: for each column, its value, and before
 * the value of one that may hold any byte its length in bytes; NULL as
 * N. The lengths keep column boundaries from shifting ('ab','c' against
 * 'a','bc'), the N tells NULL from '' and 'NULL'. Text is taken as the
 * bytes of its own character set, so no collation can mix.
 */
static void
rowstr(struct repl_sb *b, const struct repl_diff_tab *t)
{
	const struct repl_diff_col *c;
	size_t i;

	repl_sb_str(b, "CONCAT_WS('|'");
	for (i = 0; i < t->ncol; i++) {
		c = &t->col[i];
		repl_sb_str(b, ", ");
		if (c->ctype == REPL_DIFF_NUM || c->ctype == REPL_DIFF_TIME) {
			/* Their text holds no '|' nor 'N'. */
			if (c->nullable) {
				repl_sb_str(b, "IFNULL(");
				repl_diff_sql_ident(b, c->name);
				repl_sb_str(b, ", 'N')");
			} else
				repl_diff_sql_ident(b, c->name);
			continue;
		}
		repl_sb_str(b, c->nullable ? "IFNULL(LENGTH(" : "LENGTH(");
		repl_diff_sql_ident(b, c->name);
		repl_sb_str(b, c->nullable ? "), 'N'), " : "), ");
		if (c->ctype == REPL_DIFF_TEXT) {
			repl_sb_str(b, "CAST(");
			repl_diff_sql_ident(b, c->name);
			repl_sb_str(b, " AS BINARY)");
		} else
			repl_diff_sql_ident(b, c->name);
	}
	repl_sb_str(b, ")");
}

/*
 * Append the two 32-bit hashes of a row, 64 bits together: CRC32 and
 * CRC32C of the row's string (MD5's first 32 bits where a server has
 * no CRC32C); with sum, COUNT(*) and the sum of each over the rows
 * (sums, not exclusive or: duplicated rows do not cancel out).
 */
void
repl_diff_sql_hashes(struct repl_sb *b, const struct repl_diff_tab *t,
    int sum)
{
	if (sum)
		repl_sb_str(b, "COUNT(*), SUM(");
	repl_sb_str(b, "CRC32(");
	rowstr(b, t);
	repl_sb_str(b, sum ? ")), SUM(" : "), ");
	repl_sb_str(b, t->crc32c ? "CRC32C(" : "CONV(LEFT(MD5(");
	rowstr(b, t);
	repl_sb_str(b, t->crc32c ? ")" : "), 8), 16, 10)");
	if (sum)
		repl_sb_str(b, ")");
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
 * Append the condition of the key range (lo, hi]: above lo, up to and
 * with hi; a NULL bound is no bound.
 */
void
repl_diff_sql_range(struct repl_sb *b, const struct repl_diff_tab *t,
    const struct repl_diff_row *lo, const struct repl_diff_row *hi)
{
	if (lo == NULL && hi == NULL) {
		repl_sb_str(b, "1");
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
