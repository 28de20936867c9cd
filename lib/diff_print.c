/*
 * Printing a difference of repl-diff: a line of text, a JSON object, or
 * the SQL statement that makes the replica's row match the source's.
 * See repl-diff(1), OUTPUT.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "replkit.h"

static const char *const words[] = {
	"table missing", "table extra", "column missing", "column extra",
	"column type", "column order", "key missing", "key extra",
	"key differs", "columns common", "checksum differs", "row missing",
	"row extra", "row differs"
};

/* The length of a printable UTF-8 character at s, else 0. */
static size_t
printable(const char *s)
{
	size_t n = repl_utf8_len(s);

	if (n == 0 || (unsigned char)*s < 0x20 || *s == 0x7f)
		return 0;
	if (n == 2 && (unsigned char)s[0] == 0xc2 &&
	    (unsigned char)s[1] < 0xa0)
		return 0;
	return n;
}

/* A name: as is when plain, else in backticks; '?' for what is not text. */
static void
name(struct repl_sb *b, const char *s)
{
	const char *p;
	size_t n;
	int plain = *s != '\0';

	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '$' ||
		    (unsigned char)*p >= 0x80))
			plain = 0;
	if (!plain)
		repl_sb_add(b, "`", 1);
	for (p = s; *p != '\0'; p += n) {
		if ((n = printable(p)) == 0) {
			repl_sb_add(b, "?", 1);
			n = 1;
		} else if (*p == '`')
			repl_sb_add(b, "``", 2);
		else
			repl_sb_add(b, p, n);
	}
	if (!plain)
		repl_sb_add(b, "`", 1);
}

/* A string in single quotes, quotes doubled, '?' for what is not text. */
static void
quoted(struct repl_sb *b, const char *s)
{
	size_t n;

	repl_sb_add(b, "'", 1);
	for (; *s != '\0'; s += n) {
		if ((n = printable(s)) == 0) {
			repl_sb_add(b, "?", 1);
			n = 1;
		} else
			repl_sb_add(b, *s == '\'' ? "''" : s, *s == '\'' ? 2 : n);
	}
	repl_sb_add(b, "'", 1);
}

static const struct repl_diff_row *
keyrow(const struct repl_diff_rec *r)
{
	return r->src != NULL ? r->src : r->rep;
}

static void
text_key(struct repl_sb *b, const struct repl_diff_rec *r)
{
	const struct repl_diff_tab *t = r->tab;
	const struct repl_diff_row *row = keyrow(r);
	size_t k, i;

	for (k = 0; k < t->nkey; k++) {
		i = t->key[k];
		if (k > 0)
			repl_sb_add(b, ",", 1);
		name(b, t->col[i].name);
		repl_sb_add(b, "=", 1);
		repl_diff_sql_literal(b, &t->col[i], row->val[i], row->len[i]);
	}
}

static void
text(struct repl_sb *b, const struct repl_diff_rec *r)
{
	size_t i;
	int first = 1;

	repl_sb_str(b, r->replica);
	repl_sb_add(b, " ", 1);
	name(b, r->tab->t.db);
	repl_sb_add(b, ".", 1);
	name(b, r->tab->t.name);
	repl_sb_add(b, " ", 1);
	repl_sb_str(b, words[r->what]);
	switch (r->what) {
	case REPL_DIFF_TABLE_MISSING:
	case REPL_DIFF_TABLE_EXTRA:
		break;
	case REPL_DIFF_COLUMN_MISSING:
	case REPL_DIFF_COLUMN_EXTRA:
		repl_sb_add(b, " ", 1);
		name(b, r->name);
		break;
	case REPL_DIFF_COLUMN_TYPE:
		repl_sb_add(b, " ", 1);
		name(b, r->name);
		repl_sb_add(b, " ", 1);
		quoted(b, r->a);
		repl_sb_add(b, " ", 1);
		quoted(b, r->b);
		break;
	case REPL_DIFF_COLUMN_ORDER:
		repl_sb_add(b, " ", 1);
		name(b, r->name);
		repl_sb_fmt(b, " %s %s", r->a, r->b);
		break;
	case REPL_DIFF_KEY_MISSING:
	case REPL_DIFF_KEY_EXTRA:
	case REPL_DIFF_KEY_DIFFERS:
		repl_sb_add(b, " ", 1);
		name(b, r->name);
		repl_sb_add(b, " (", 2);
		quoted(b, r->a);
		repl_sb_add(b, ")", 1);
		if (r->what == REPL_DIFF_KEY_DIFFERS) {
			repl_sb_add(b, " (", 2);
			quoted(b, r->b);
			repl_sb_add(b, ")", 1);
		}
		break;
	case REPL_DIFF_COMMON:
		for (i = 0; i < r->tab->ncol; i++) {
			repl_sb_add(b, i > 0 ? "," : " ", 1);
			name(b, r->tab->col[i].name);
		}
		break;
	case REPL_DIFF_NOKEY:
		repl_sb_str(b, " (no usable key: no row detail)");
		break;
	case REPL_DIFF_ROW_MISSING:
	case REPL_DIFF_ROW_EXTRA:
		repl_sb_add(b, " ", 1);
		text_key(b, r);
		break;
	case REPL_DIFF_ROW_DIFFERS:
		repl_sb_add(b, " ", 1);
		text_key(b, r);
		for (i = 0; i < r->tab->ncol; i++) {
			if (repl_diff_same(r->tab, i, r->src, r->rep))
				continue;
			repl_sb_add(b, first ? " " : ",", 1);
			name(b, r->tab->col[i].name);
			first = 0;
		}
		break;
	}
}

/* A JSON string; bytes that are not UTF-8 as U+FFFD. */
static void
jstr(struct repl_sb *b, const char *s, size_t len)
{
	size_t i = 0, n;

	repl_sb_add(b, "\"", 1);
	while (i < len) {
		unsigned char u = (unsigned char)s[i];

		if (u == '"' || u == '\\') {
			repl_sb_add(b, "\\", 1);
			repl_sb_add(b, s + i, 1);
			i++;
		} else if (u < 0x20 || u == 0x7f) {
			repl_sb_fmt(b, "\\u%04x", u);
			i++;
		} else if (u < 0x80) {
			repl_sb_add(b, s + i, 1);
			i++;
		} else {
			if ((n = repl_utf8_len_n(s + i, len - i)) == 0) {
				repl_sb_str(b, "\\ufffd");
				n = 1;
			} else
				repl_sb_add(b, s + i, n);
			i += n;
		}
	}
	repl_sb_add(b, "\"", 1);
}

static int
utf8(const char *s, unsigned long len)
{
	unsigned long i = 0;
	size_t n;

	while (i < len) {
		if ((n = repl_utf8_len_n(s + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

static void
jval(struct repl_sb *b, const struct repl_diff_col *c, const char *v,
    unsigned long len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned long i;

	if (v == NULL) {
		repl_sb_str(b, "null");
		return;
	}
	if (c->ctype != REPL_DIFF_BIN && utf8(v, len)) {
		jstr(b, v, len);
		return;
	}
	repl_sb_str(b, "{\"hex\":\"");
	for (i = 0; i < len; i++) {
		repl_sb_add(b, hex + ((unsigned char)v[i] >> 4), 1);
		repl_sb_add(b, hex + ((unsigned char)v[i] & 0x0f), 1);
	}
	repl_sb_str(b, "\"}");
}

static void
jfield(struct repl_sb *b, const char *key, const char *s)
{
	repl_sb_fmt(b, ",\"%s\":", key);
	jstr(b, s, strlen(s));
}

static void
json(struct repl_sb *b, const struct repl_diff_rec *r)
{
	const struct repl_diff_tab *t = r->tab;
	const struct repl_diff_row *row;
	char what[32], *p;
	size_t i, k;
	int first = 1;

	snprintf(what, sizeof(what), "%s", words[r->what]);
	if ((p = strchr(what, ' ')) != NULL)
		*p = '-';
	repl_sb_str(b, "{\"server\":");
	jstr(b, r->replica, strlen(r->replica));
	jfield(b, "db", t->t.db);
	jfield(b, "table", t->t.name);
	jfield(b, "what", what);
	switch (r->what) {
	case REPL_DIFF_TABLE_MISSING:
	case REPL_DIFF_TABLE_EXTRA:
		break;
	case REPL_DIFF_COLUMN_MISSING:
	case REPL_DIFF_COLUMN_EXTRA:
	case REPL_DIFF_COLUMN_TYPE:
	case REPL_DIFF_COLUMN_ORDER:
		jfield(b, "column", r->name);
		if (r->what == REPL_DIFF_COLUMN_TYPE ||
		    r->what == REPL_DIFF_COLUMN_ORDER) {
			jfield(b, "source", r->a);
			jfield(b, "replica", r->b);
		}
		break;
	case REPL_DIFF_KEY_MISSING:
	case REPL_DIFF_KEY_EXTRA:
	case REPL_DIFF_KEY_DIFFERS:
		jfield(b, "key", r->name);
		jfield(b, r->what == REPL_DIFF_KEY_EXTRA ? "replica" : "source",
		    r->a);
		if (r->what == REPL_DIFF_KEY_DIFFERS)
			jfield(b, "replica", r->b);
		break;
	case REPL_DIFF_COMMON:
		repl_sb_str(b, ",\"columns\":[");
		for (i = 0; i < t->ncol; i++) {
			repl_sb_str(b, i > 0 ? "," : "");
			jstr(b, t->col[i].name, strlen(t->col[i].name));
		}
		repl_sb_str(b, "]");
		break;
	case REPL_DIFF_NOKEY:
		break;
	case REPL_DIFF_ROW_MISSING:
	case REPL_DIFF_ROW_EXTRA:
	case REPL_DIFF_ROW_DIFFERS:
		row = keyrow(r);
		repl_sb_str(b, ",\"key\":{");
		for (k = 0; k < t->nkey; k++) {
			i = t->key[k];
			repl_sb_str(b, k > 0 ? "," : "");
			jstr(b, t->col[i].name, strlen(t->col[i].name));
			repl_sb_str(b, ":");
			jval(b, &t->col[i], row->val[i], row->len[i]);
		}
		repl_sb_str(b, "}");
		if (r->what != REPL_DIFF_ROW_DIFFERS)
			break;
		repl_sb_str(b, ",\"columns\":[");
		for (i = 0; i < t->ncol; i++) {
			if (repl_diff_same(t, i, r->src, r->rep))
				continue;
			repl_sb_str(b, first ? "" : ",");
			jstr(b, t->col[i].name, strlen(t->col[i].name));
			first = 0;
		}
		repl_sb_str(b, "]");
		break;
	}
	repl_sb_str(b, "}");
}

static void
sql(struct repl_sb *b, const struct repl_diff_rec *r)
{
	const struct repl_diff_tab *t = r->tab;
	size_t i;
	int first = 1;

	switch (r->what) {
	case REPL_DIFF_ROW_MISSING:
		repl_sb_str(b, "INSERT INTO ");
		repl_diff_sql_table(b, &t->t);
		repl_sb_str(b, " (");
		for (i = 0; i < t->ncol; i++) {
			repl_sb_str(b, i > 0 ? ", " : "");
			repl_diff_sql_ident(b, t->col[i].name);
		}
		repl_sb_str(b, ") VALUES (");
		for (i = 0; i < t->ncol; i++) {
			repl_sb_str(b, i > 0 ? ", " : "");
			repl_diff_sql_literal(b, &t->col[i], r->src->val[i],
			    r->src->len[i]);
		}
		repl_sb_str(b, ");");
		break;
	case REPL_DIFF_ROW_EXTRA:
		repl_sb_str(b, "DELETE FROM ");
		repl_diff_sql_table(b, &t->t);
		repl_sb_str(b, " WHERE ");
		repl_diff_sql_keyeq(b, t, r->rep);
		repl_sb_str(b, ";");
		break;
	case REPL_DIFF_ROW_DIFFERS:
		repl_sb_str(b, "UPDATE ");
		repl_diff_sql_table(b, &t->t);
		repl_sb_str(b, " SET ");
		for (i = 0; i < t->ncol; i++) {
			if (repl_diff_same(t, i, r->src, r->rep))
				continue;
			repl_sb_str(b, first ? "" : ", ");
			repl_diff_sql_ident(b, t->col[i].name);
			repl_sb_str(b, " = ");
			repl_diff_sql_literal(b, &t->col[i], r->src->val[i],
			    r->src->len[i]);
			first = 0;
		}
		repl_sb_str(b, " WHERE ");
		repl_diff_sql_keyeq(b, t, r->src);
		repl_sb_str(b, ";");
		break;
	default:
		/* Schema differences: for review, as comments. */
		repl_sb_str(b, "-- ");
		text(b, r);
		break;
	}
}

/*
 * Print r on f as mode says (REPL_DIFF_OUT_TEXT, _JSON or _SQL), one
 * line. Returns 0, or -1 on a write error or out of memory.
 */
int
repl_diff_print(FILE *f, int mode, const struct repl_diff_rec *r)
{
	struct repl_sb b = { 0 };
	int ret;

	if (mode == REPL_DIFF_OUT_JSON)
		json(&b, r);
	else if (mode == REPL_DIFF_OUT_SQL)
		sql(&b, r);
	else
		text(&b, r);
	repl_sb_add(&b, "\n", 1);
	ret = b.oom || fwrite(b.s, 1, b.len, f) != b.len ? -1 : 0;
	repl_sb_free(&b);
	return ret;
}
