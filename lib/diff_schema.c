/*
 * The schema of a table as each server has it, its comparison, and the
 * columns and key the rows are compared on.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"

static MYSQL_RES *
query(struct repl_conn *c, const char *sql, const struct repl_table *t,
    struct repl_err *err)
{
	char what[2 * REPL_NAME_MAX + 64];
	MYSQL_RES *res;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) == 0 &&
	    (res = mysql_store_result(c->mysql)) != NULL)
		return res;
	snprintf(what, sizeof(what), "unable to read the schema of '%s.%s' on",
	    t->db, t->name);
	repl_conn_error(c, err, what);
	return NULL;
}

static void
copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s == NULL ? "" : s);
}

static int
read_columns(struct repl_conn *c, const char *where,
    const struct repl_table *t, struct repl_diff_schema *s,
    struct repl_err *err)
{
	char sql[4 * REPL_NAME_MAX + 512];
	MYSQL_RES *res;
	MYSQL_ROW row;
	struct repl_diff_col *col;

	snprintf(sql, sizeof(sql), "SELECT COLUMN_NAME, ORDINAL_POSITION, "
	    "COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLLATION_NAME FROM "
	    "information_schema.COLUMNS WHERE %s ORDER BY ORDINAL_POSITION",
	    where);
	if ((res = query(c, sql, t, err)) == NULL)
		return -1;
	if ((s->col = calloc(mysql_num_rows(res) + 1, sizeof(*col))) == NULL) {
		mysql_free_result(res);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	while ((row = mysql_fetch_row(res)) != NULL) {
		col = &s->col[s->ncol++];
		copy(col->name, sizeof(col->name), row[0]);
		col->pos = row[1] == NULL ? 0 : (unsigned int)atoi(row[1]);
		copy(col->type, sizeof(col->type), row[2]);
		col->ctype = repl_diff_ctype(row[3] == NULL ? "" : row[3]);
		col->hkind = repl_diff_hkind(row[3] == NULL ? "" : row[3]);
		col->nullable = row[4] != NULL && strcmp(row[4], "YES") == 0;
		copy(col->collation, sizeof(col->collation), row[5]);
	}
	mysql_free_result(res);
	s->exists = s->ncol > 0;
	return 0;
}

static int
read_keys(struct repl_conn *c, const char *where, const struct repl_table *t,
    struct repl_diff_schema *s, struct repl_err *err)
{
	char sql[4 * REPL_NAME_MAX + 512];
	MYSQL_RES *res;
	MYSQL_ROW row;
	struct repl_diff_key *k = NULL;

	snprintf(sql, sizeof(sql), "SELECT INDEX_NAME, COLUMN_NAME FROM "
	    "information_schema.STATISTICS WHERE %s AND NON_UNIQUE = 0 "
	    "ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX",
	    where);
	if ((res = query(c, sql, t, err)) == NULL)
		return -1;
	if ((s->key = calloc(mysql_num_rows(res) + 1, sizeof(*k))) == NULL) {
		mysql_free_result(res);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL)
			continue;
		if (k == NULL || strcmp(k->name, row[0]) != 0) {
			k = &s->key[s->nkey++];
			copy(k->name, sizeof(k->name), row[0]);
		}
		if (k->ncol < REPL_DIFF_KEY_MAX)
			copy(k->col[k->ncol++], sizeof(k->col[0]), row[1]);
	}
	mysql_free_result(res);
	return 0;
}

/*
 * Read the columns and unique keys of t on c into s (s->exists 0: no
 * such table there). Returns 0, or -1 with err.
 */
int
repl_diff_schema_read(struct repl_conn *c, const struct repl_table *t,
    struct repl_diff_schema *s, struct repl_err *err)
{
	char db[2 * REPL_NAME_MAX + 16], tb[2 * REPL_NAME_MAX + 16];
	char where[4 * REPL_NAME_MAX + 96];

	memset(s, 0, sizeof(*s));
	if (repl_sql_hexstr(db, sizeof(db), t->db) == -1 ||
	    repl_sql_hexstr(tb, sizeof(tb), t->name) == -1) {
		repl_err_set(err, REPL_E_PERM, "'%s.%s': name too long", t->db,
		    t->name);
		return -1;
	}
	snprintf(where, sizeof(where), "TABLE_SCHEMA = %s AND TABLE_NAME = %s",
	    db, tb);
	if (read_columns(c, where, t, s, err) == -1 ||
	    read_keys(c, where, t, s, err) == -1) {
		repl_diff_schema_free(s);
		return -1;
	}
	return 0;
}

/* Free what repl_diff_schema_read filled. */
void
repl_diff_schema_free(struct repl_diff_schema *s)
{
	free(s->col);
	free(s->key);
	memset(s, 0, sizeof(*s));
}

static const struct repl_diff_col *
find_col(const struct repl_diff_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncol; i++)
		if (strcasecmp(s->col[i].name, name) == 0)
			return &s->col[i];
	return NULL;
}

static const struct repl_diff_key *
find_key(const struct repl_diff_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nkey; i++)
		if (strcasecmp(s->key[i].name, name) == 0)
			return &s->key[i];
	return NULL;
}

/*
 * A key's columns as text, comma separated, into buf (n bytes). Returns
 * the length it needed.
 */
size_t
repl_diff_keylist(char *buf, size_t n, const struct repl_diff_key *k)
{
	size_t i, len = 0;
	int r;

	if (n > 0)
		buf[0] = '\0';
	for (i = 0; i < k->ncol; i++) {
		r = snprintf(buf + (len < n ? len : n), len < n ? n - len : 0,
		    "%s%s", i > 0 ? "," : "", k->col[i]);
		len += r < 0 ? 0 : (size_t)r;
	}
	return len;
}

/* The key of t: its columns in t->col, all common and never NULL. */
static int
usable(struct repl_diff_tab *t, const struct repl_diff_key *k)
{
	size_t i, j;

	if (k->ncol == 0)
		return 0;
	for (i = 0; i < k->ncol; i++) {
		for (j = 0; j < t->ncol; j++)
			if (strcasecmp(t->col[j].name, k->col[i]) == 0)
				break;
		if (j == t->ncol || t->col[j].nullable)
			return 0;
		t->key[i] = j;
	}
	t->nkey = k->ncol;
	return 1;
}

/*
 * Whether every text column of t has one collation on every server
 * that has the table: then the row hash can take the text as it is,
 * with no cast to bytes (no collations to mix). An address (INET4,
 * INET6, UUID: text that has no collation) taken as printed everywhere
 * is no text there.
 */
static int
one_collation(const struct repl_diff_tab *t, const struct repl_diff_schema *s,
    size_t n)
{
	const struct repl_diff_col *o;
	const char *coll = NULL;
	size_t i, j;

	for (i = 0; i < t->ncol; i++) {
		if (t->col[i].ctype != REPL_DIFF_TEXT ||
		    t->col[i].hkind != REPL_DIFF_H_BYTES)
			continue;
		for (j = 0; j < n; j++) {
			if (!s[j].exists)
				continue;
			if ((o = find_col(&s[j], t->col[i].name)) == NULL ||
			    o->collation[0] == '\0' || o->ctype != REPL_DIFF_TEXT)
				return 0;
			if (coll == NULL)
				coll = o->collation;
			else if (strcmp(coll, o->collation) != 0)
				return 0;
		}
	}
	return 1;
}

/*
 * Fill t for table name from the schemas s[0] (the source) to s[n - 1]:
 * the source's columns that every server having the table has, nullable
 * if nullable anywhere, hashed as an integer only if of the same type
 * everywhere, as printed only if a number or time everywhere, else as
 * bytes; and the key to compare rows by: the source's
 * primary key, else its first unique key, whose columns are all common
 * and never NULL; nkey 0 when there is none; samecoll, whether its text
 * is in one collation everywhere. Returns 0, or -1 out of memory.
 */
int
repl_diff_tab_make(struct repl_diff_tab *t, const struct repl_table *name,
    const struct repl_diff_schema *s, size_t n)
{
	const struct repl_diff_col *o;
	size_t i, j;
	int all;

	memset(t, 0, sizeof(*t));
	t->t = *name;
	if ((t->col = calloc(s[0].ncol + 1, sizeof(*t->col))) == NULL)
		return -1;
	for (i = 0; i < s[0].ncol; i++) {
		all = 1;
		t->col[t->ncol] = s[0].col[i];
		for (j = 1; j < n && all; j++) {
			if (!s[j].exists)
				continue;
			if ((o = find_col(&s[j], s[0].col[i].name)) == NULL)
				all = 0;
			else {
				if (o->nullable)
					t->col[t->ncol].nullable = 1;
				if (o->hkind < t->col[t->ncol].hkind)
					t->col[t->ncol].hkind = o->hkind;
				/* -1 and 4294967295: the same 32 bits */
				if (t->col[t->ncol].hkind == REPL_DIFF_H_INT32 &&
				    strcmp(o->type, s[0].col[i].type) != 0)
					t->col[t->ncol].hkind = REPL_DIFF_H_PRINT;
			}
		}
		if (all)
			t->ncol++;
	}
	for (i = 0; i < s[0].nkey; i++)
		if (usable(t, &s[0].key[i]))
			break;
	t->samecoll = one_collation(t, s, n);
	return 0;
}

/* Free what repl_diff_tab_make filled. */
void
repl_diff_tab_free(struct repl_diff_tab *t)
{
	free(t->col);
	t->col = NULL;
	t->ncol = t->nkey = 0;
}

/*
 * A column's type as the lines show it: COLUMN_TYPE, then the collation
 * when coll (the sides' collations differ), then NOT NULL.
 */
static void
coltype(char *buf, size_t n, const struct repl_diff_col *c, int coll)
{
	snprintf(buf, n, "%s%s%s%s", c->type,
	    coll && c->collation[0] != '\0' ? " COLLATE " : "",
	    coll ? c->collation : "", c->nullable ? "" : " NOT NULL");
}

/* The index of column name among the columns s shares with o. */
static size_t
common_index(const struct repl_diff_schema *s,
    const struct repl_diff_schema *o, const char *name)
{
	size_t i, k = 0;

	for (i = 0; i < s->ncol; i++) {
		if (strcasecmp(s->col[i].name, name) == 0)
			return k;
		if (find_col(o, s->col[i].name) != NULL)
			k++;
	}
	return k;
}

/*
 * Compare the schema rep (the replica named replica) of table t with
 * src, the source's, and call emit for each difference: the table
 * missing or extra; columns missing, extra, of another type or in
 * another order (among the columns both have); unique keys missing,
 * extra, or on other columns; and when the rows are compared on fewer
 * columns than the source has, or the replica has more, the columns
 * they are compared on. Returns the number of differences.
 */
int
repl_diff_schema_cmp(const struct repl_diff_schema *src,
    const struct repl_diff_schema *rep, const char *replica,
    const struct repl_diff_tab *t,
    void (*emit)(void *, const struct repl_diff_rec *), void *arg)
{
	char a[REPL_DIFF_KEY_MAX * (REPL_NAME_MAX + 1) + 300];
	char b[sizeof(a)], pa[16], pb[16];
	struct repl_diff_rec r;
	const struct repl_diff_col *o;
	const struct repl_diff_key *k;
	struct repl_sb cols = { 0 };
	size_t i;
	int n = 0, colsdiff = 0, coll;

	memset(&r, 0, sizeof(r));
	r.replica = replica;
	r.tab = t;
	if (src->exists != rep->exists) {
		r.what = src->exists ? REPL_DIFF_TABLE_MISSING :
		    REPL_DIFF_TABLE_EXTRA;
		emit(arg, &r);
		return 1;
	}
	if (!src->exists)
		return 0;
	for (i = 0; i < src->ncol; i++) {
		r.name = src->col[i].name;
		if ((o = find_col(rep, src->col[i].name)) == NULL) {
			r.what = REPL_DIFF_COLUMN_MISSING;
			colsdiff = 1;
			emit(arg, &r), n++;
			continue;
		}
		coll = strcasecmp(src->col[i].collation, o->collation) != 0;
		coltype(a, sizeof(a), &src->col[i], coll);
		coltype(b, sizeof(b), o, coll);
		if (strcasecmp(a, b) != 0) {
			r.what = REPL_DIFF_COLUMN_TYPE;
			r.a = a, r.b = b;
			emit(arg, &r), n++;
		}
		if (common_index(src, rep, src->col[i].name) !=
		    common_index(rep, src, src->col[i].name)) {
			snprintf(pa, sizeof(pa), "%u", src->col[i].pos);
			snprintf(pb, sizeof(pb), "%u", o->pos);
			r.what = REPL_DIFF_COLUMN_ORDER;
			r.a = pa, r.b = pb;
			emit(arg, &r), n++;
		}
		r.a = r.b = NULL;
	}
	for (i = 0; i < rep->ncol; i++)
		if (find_col(src, rep->col[i].name) == NULL) {
			r.what = REPL_DIFF_COLUMN_EXTRA;
			r.name = rep->col[i].name;
			colsdiff = 1;
			emit(arg, &r), n++;
		}
	r.a = a, r.b = b;
	for (i = 0; i < src->nkey; i++) {
		r.name = src->key[i].name;
		repl_diff_keylist(a, sizeof(a), &src->key[i]);
		if ((k = find_key(rep, src->key[i].name)) == NULL) {
			r.what = REPL_DIFF_KEY_MISSING;
			emit(arg, &r), n++;
			continue;
		}
		repl_diff_keylist(b, sizeof(b), k);
		if (strcasecmp(a, b) != 0) {
			r.what = REPL_DIFF_KEY_DIFFERS;
			emit(arg, &r), n++;
		}
	}
	for (i = 0; i < rep->nkey; i++)
		if (find_key(src, rep->key[i].name) == NULL) {
			r.what = REPL_DIFF_KEY_EXTRA;
			r.name = rep->key[i].name;
			repl_diff_keylist(a, sizeof(a), &rep->key[i]);
			emit(arg, &r), n++;
		}
	if ((colsdiff || t->ncol != src->ncol) && t->ncol > 0) {
		for (i = 0; i < t->ncol; i++) {
			repl_sb_str(&cols, i > 0 ? "," : "");
			repl_sb_str(&cols, t->col[i].name);
		}
		if (!cols.oom) {
			r.what = REPL_DIFF_COMMON;
			r.name = NULL;
			r.a = cols.s, r.b = NULL;
			emit(arg, &r);
		}
		repl_sb_free(&cols);
	}
	return n;
}
