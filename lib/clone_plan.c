/*
 * What a clone copies, read from the source before the snapshot: the
 * databases, each table's stored columns, engine, size and key, and the
 * views, routines, triggers and events created after the rows.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"
#include "clone_int.h"

/* Schemas of the server itself, never copied. */
#define SYSTEM_SCHEMAS "'mysql', 'information_schema', " \
	"'performance_schema', 'sys', '" REPL_CLONE_MARKER "'"

#define ROWS_PER_CHUNK 100000ULL
#define CHUNKS_MAX 64

static char *
dupstr(const char *s, struct repl_err *err)
{
	char *d = strdup(s != NULL ? s : "");

	if (d == NULL)
		repl_err_set(err, REPL_E_TEMP, "out of memory");
	return d;
}

/* Run sql on c and return its stored result, or NULL with err. */
static MYSQL_RES *
query(struct repl_conn *c, const char *sql, struct repl_err *err)
{
	MYSQL_RES *res;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL) {
		repl_conn_error(c, err, "unable to read the schema of");
		return NULL;
	}
	return res;
}

/*
 * Run the statement built in sb, which is freed, as query() does; a
 * statement that could not be built is an error too.
 */
static MYSQL_RES *
query_sb(struct repl_conn *c, struct repl_sb *sb, struct repl_err *err)
{
	MYSQL_RES *res = NULL;

	if (sb->oom)
		repl_err_set(err, REPL_E_TEMP, "out of memory");
	else
		res = query(c, sb->s, err);
	repl_sb_free(sb);
	return res;
}

/* ", "-separated hexadecimal strings of the databases to copy. */
static void
schema_list(struct repl_sb *sb, const struct repl_clone *cl)
{
	char q[2 * REPL_NAME_MAX + 16];
	size_t i;

	for (i = 0; i < cl->nschemas; i++) {
		if (repl_sql_hexstr(q, sizeof(q), cl->schemas[i]) == -1) {
			sb->oom = 1;
			return;
		}
		repl_sb_fmt(sb, "%s%s", i > 0 ? ", " : "", q);
	}
}

static int
add_schema(struct repl_clone *cl, const char *name, struct repl_err *err)
{
	char **s;
	size_t i;

	for (i = 0; i < cl->nschemas; i++)
		if (strcmp(cl->schemas[i], name) == 0)
			return 0;
	if ((s = realloc(cl->schemas, (cl->nschemas + 1) * sizeof(*s))) ==
	    NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	cl->schemas = s;
	if ((s[cl->nschemas] = dupstr(name, err)) == NULL)
		return -1;
	cl->nschemas++;
	return 0;
}

/*
 * The databases to copy: those of -T, those of -d, or every one but the
 * server's own. Each named one must exist. Returns 0, or -1 with err.
 */
static int
plan_schemas(struct repl_conn *src, struct repl_clone *cl,
    struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i, named;

	for (i = 0; i < cl->nwant; i++)
		if (add_schema(cl, cl->want[i].db, err) == -1)
			return -1;
	for (i = 0; i < cl->ndbs; i++)
		if (add_schema(cl, cl->dbs[i], err) == -1)
			return -1;
	named = cl->nschemas;
	repl_sb_str(&sb, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
	    "WHERE SCHEMA_NAME ");
	if (named > 0) {
		repl_sb_str(&sb, "IN (");
		schema_list(&sb, cl);
		repl_sb_str(&sb, ")");
	} else
		repl_sb_str(&sb, "NOT IN (" SYSTEM_SCHEMAS ")");
	repl_sb_str(&sb, " ORDER BY SCHEMA_NAME");
	if (sb.oom) {
		repl_sb_free(&sb);
		repl_err_set(err, REPL_E_PERM, "database name too long");
		return -1;
	}
	res = query(src, sb.s, err);
	repl_sb_free(&sb);
	if (res == NULL)
		return -1;
	if (named > 0) {
		/* Each named database must be there. */
		for (i = 0; i < named; i++) {
			mysql_data_seek(res, 0);
			while ((row = mysql_fetch_row(res)) != NULL)
				if (row[0] != NULL &&
				    strcmp(row[0], cl->schemas[i]) == 0)
					break;
			if (row == NULL) {
				repl_err_set(err, REPL_E_PERM, "'%s' has no "
				    "database '%s'", src->name, cl->schemas[i]);
				mysql_free_result(res);
				return -1;
			}
		}
	} else
		while ((row = mysql_fetch_row(res)) != NULL)
			if (row[0] != NULL &&
			    add_schema(cl, row[0], err) == -1) {
				mysql_free_result(res);
				return -1;
			}
	mysql_free_result(res);
	return 0;
}

static int
wanted(const struct repl_clone *cl, const char *db, const char *name)
{
	size_t i;

	if (cl->nwant == 0)
		return 1;
	for (i = 0; i < cl->nwant; i++)
		if (strcmp(cl->want[i].db, db) == 0 &&
		    strcmp(cl->want[i].name, name) == 0)
			return 1;
	return 0;
}

static int
add_obj(struct repl_clone *cl, enum repl_clone_okind kind, const char *db,
    const char *name, struct repl_err *err)
{
	struct repl_clone_obj *o;

	if ((o = realloc(cl->obj, (cl->nobj + 1) * sizeof(*o))) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	cl->obj = o;
	o += cl->nobj++;
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	snprintf(o->db, sizeof(o->db), "%s", db);
	snprintf(o->name, sizeof(o->name), "%s", name);
	return 0;
}

/*
 * The tables and views of the databases: base tables to copy, views for
 * later, anything else (MariaDB's sequences and system-versioned tables)
 * refused. Returns 0, or -1 with err.
 */
static int
plan_tables(struct repl_conn *src, struct repl_clone *cl,
    struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	struct repl_clone_tab *t;
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i, n;

	repl_sb_str(&sb, "SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, "
	    "COALESCE(t.ENGINE, ''), COALESCE(t.TABLE_ROWS, 0), "
	    "COALESCE(t.DATA_LENGTH, 0), COALESCE((SELECT e.TRANSACTIONS FROM "
	    "information_schema.ENGINES e WHERE e.ENGINE = t.ENGINE), 'NO') "
	    "FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA IN (");
	schema_list(&sb, cl);
	repl_sb_str(&sb, ") ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME");
	if (cl->nschemas == 0) {
		repl_sb_free(&sb);
		return 0;
	}
	res = query_sb(src, &sb, err);
	if (res == NULL)
		return -1;
	n = mysql_num_rows(res);
	if ((cl->tab = calloc(n + 1, sizeof(*cl->tab))) == NULL) {
		mysql_free_result(res);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL || row[2] == NULL ||
		    !wanted(cl, row[0], row[1]))
			continue;
		if (strcmp(row[2], "VIEW") == 0) {
			if (cl->nwant == 0 && add_obj(cl, REPL_CLONE_VIEW,
			    row[0], row[1], err) == -1)
				goto fail;
			continue;
		}
		if (strcmp(row[2], "BASE TABLE") != 0) {
			repl_err_set(err, REPL_E_PERM, "'%s': `%s`.`%s` is a "
			    "%s, which repl-clone does not copy: leave it out "
			    "with -d or -T", src->name, row[0], row[1], row[2]);
			goto fail;
		}
		t = &cl->tab[cl->ntab++];
		snprintf(t->t.db, sizeof(t->t.db), "%s", row[0]);
		snprintf(t->t.name, sizeof(t->t.name), "%s", row[1]);
		snprintf(t->engine, sizeof(t->engine), "%s", row[3]);
		t->rows_est = strtoull(row[4], NULL, 10);
		t->bytes_est = strtoull(row[5], NULL, 10);
		t->trans = strcmp(row[6], "YES") == 0;
		cl->rows_est += t->rows_est;
		cl->bytes_est += t->bytes_est;
	}
	mysql_free_result(res);
	for (i = 0; i < cl->nwant; i++) {
		size_t k;

		for (k = 0; k < cl->ntab; k++)
			if (repl_table_cmp(&cl->tab[k].t, &cl->want[i]) == 0)
				break;
		if (k == cl->ntab) {
			repl_err_set(err, REPL_E_PERM, "'%s' has no table "
			    "`%s`.`%s`", src->name, cl->want[i].db,
			    cl->want[i].name);
			return -1;
		}
	}
	return 0;
fail:
	mysql_free_result(res);
	return -1;
}

static int
is_int(const char *type)
{
	static const char *const t[] = { "tinyint", "smallint", "mediumint",
		"int", "bigint" };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(type, t[i]) == 0)
			return 1;
	return 0;
}

/* A table's stored columns, its integer primary key, its CREATE. */
static int
plan_columns(struct repl_conn *src, struct repl_clone_tab *t,
    struct repl_err *err)
{
	char db[2 * REPL_NAME_MAX + 16], name[2 * REPL_NAME_MAX + 16];
	struct repl_sb sb = { 0 };
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t nkey = 0;
	int intkey = 0;

	if (repl_sql_hexstr(db, sizeof(db), t->t.db) == -1 ||
	    repl_sql_hexstr(name, sizeof(name), t->t.name) == -1) {
		repl_err_set(err, REPL_E_PERM, "table name too long");
		return -1;
	}
	repl_sb_fmt(&sb, "SELECT c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, "
	    "COALESCE(c.GENERATION_EXPRESSION, ''), (SELECT COUNT(*) FROM "
	    "information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = "
	    "c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME AND "
	    "s.INDEX_NAME = 'PRIMARY' AND s.COLUMN_NAME = c.COLUMN_NAME), "
	    "(SELECT COUNT(*) FROM information_schema.STATISTICS s WHERE "
	    "s.TABLE_SCHEMA = c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME "
	    "AND s.INDEX_NAME = 'PRIMARY') FROM information_schema.COLUMNS c "
	    "WHERE c.TABLE_SCHEMA = %s AND c.TABLE_NAME = %s "
	    "ORDER BY c.ORDINAL_POSITION", db, name);
	res = query_sb(src, &sb, err);
	if (res == NULL)
		return -1;
	if ((t->col = calloc(mysql_num_rows(res) + 1, sizeof(*t->col))) ==
	    NULL) {
		mysql_free_result(res);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	while ((row = mysql_fetch_row(res)) != NULL) {
		struct repl_clone_col *c;

		if (row[0] == NULL || row[1] == NULL || row[2] == NULL ||
		    row[3] == NULL || row[3][0] != '\0')
			continue;	/* generated: replica computes it */
		c = &t->col[t->ncol++];
		snprintf(c->name, sizeof(c->name), "%s", row[0]);
		if (strcasecmp(row[1], "bit") == 0)
			c->conv = REPL_CLONE_BIT;
		else if (strcasecmp(row[1], "json") == 0 &&
		    src->server.flavor == REPL_FLAVOR_MYSQL)
			c->conv = REPL_CLONE_JSON;
		if (row[4] != NULL && strcmp(row[4], "1") == 0 &&
		    row[5] != NULL && strcmp(row[5], "1") == 0) {
			nkey++;
			intkey = is_int(row[1]);
			if (intkey) {
				snprintf(t->key, sizeof(t->key), "%s", row[0]);
				t->key_unsigned =
				    strstr(row[2], "unsigned") != NULL;
			}
		}
	}
	mysql_free_result(res);
	if (nkey != 1 || !intkey)
		t->key[0] = '\0';
	repl_sb_str(&sb, "SHOW CREATE TABLE ");
	repl_diff_sql_table(&sb, &t->t);
	res = query_sb(src, &sb, err);
	if (res == NULL)
		return -1;
	row = mysql_fetch_row(res);
	t->create = dupstr(row != NULL && mysql_num_fields(res) > 1 ?
	    row[1] : NULL, err);
	mysql_free_result(res);
	return t->create == NULL ? -1 : 0;
}

/* The range of a table's integer key, for its parts. */
static int
plan_chunks(struct repl_conn *src, struct repl_clone_tab *t,
    unsigned int jobs, struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long long want;

	t->nchunk = 1;
	want = (t->rows_est + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
	if (t->key[0] == '\0' || want < 2 || jobs < 2)
		return 0;
	repl_sb_str(&sb, "SELECT MIN(");
	repl_diff_sql_ident(&sb, t->key);
	repl_sb_str(&sb, "), MAX(");
	repl_diff_sql_ident(&sb, t->key);
	repl_sb_str(&sb, ") FROM ");
	repl_diff_sql_table(&sb, &t->t);
	res = query_sb(src, &sb, err);
	if (res == NULL)
		return -1;
	row = mysql_fetch_row(res);
	if (row != NULL && row[0] != NULL && row[1] != NULL) {
		snprintf(t->lo, sizeof(t->lo), "%s", row[0]);
		snprintf(t->hi, sizeof(t->hi), "%s", row[1]);
		t->nchunk = (unsigned int)(want > CHUNKS_MAX ? CHUNKS_MAX :
		    want);
	}
	mysql_free_result(res);
	return 0;
}

/* Routines, triggers and events of the databases copied whole. */
static int
plan_objects(struct repl_conn *src, struct repl_clone *cl,
    struct repl_err *err)
{
	static const struct {
		const char *head, *tail;
		enum repl_clone_okind kind;
	} q[] = {
		{ "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM "
		  "information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (",
		  ") ORDER BY 1, 2, 3", REPL_CLONE_PROCEDURE },
		{ "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE "
		  "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (",
		  ") ORDER BY 1, EVENT_OBJECT_TABLE, ACTION_TIMING, "
		  "EVENT_MANIPULATION, ACTION_ORDER", REPL_CLONE_TRIGGER },
		{ "SELECT EVENT_SCHEMA, EVENT_NAME, 'EVENT' FROM "
		  "information_schema.EVENTS WHERE EVENT_SCHEMA IN (",
		  ") ORDER BY 1, 2", REPL_CLONE_EVENT }
	};
	struct repl_sb in = { 0 }, sb = { 0 };
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i;
	enum repl_clone_okind kind;

	if (cl->nschemas == 0)
		return 0;
	schema_list(&in, cl);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		sb.len = 0;
		repl_sb_str(&sb, q[i].head);
		repl_sb_str(&sb, in.s);
		repl_sb_str(&sb, q[i].tail);
		if ((res = sb.oom || in.oom ? NULL : query(src, sb.s, err)) ==
		    NULL)
			goto fail;
		while ((row = mysql_fetch_row(res)) != NULL) {
			if (row[0] == NULL || row[1] == NULL || row[2] == NULL)
				continue;
			kind = q[i].kind;
			if (kind == REPL_CLONE_PROCEDURE &&
			    strcmp(row[2], "FUNCTION") == 0)
				kind = REPL_CLONE_FUNCTION;
			else if (kind == REPL_CLONE_PROCEDURE &&
			    strcmp(row[2], "PROCEDURE") != 0) {
				repl_err_set(err, REPL_E_PERM,
				    "'%s': `%s`.`%s` is a %s, which repl-clone "
				    "does not copy: leave it out with -d",
				    src->name, row[0], row[1], row[2]);
				mysql_free_result(res);
				goto fail;
			}
			/* With -T, only the triggers of the tables copied. */
			if (cl->nwant > 0 && (kind != REPL_CLONE_TRIGGER ||
			    !wanted(cl, row[0], row[2])))
				continue;
			if (add_obj(cl, kind, row[0], row[1], err) == -1) {
				mysql_free_result(res);
				goto fail;
			}
		}
		mysql_free_result(res);
	}
	repl_sb_free(&in);
	repl_sb_free(&sb);
	return 0;
fail:
	if (err->kind == REPL_E_NONE)
		repl_err_set(err, REPL_E_PERM, "database name too long");
	repl_sb_free(&in);
	repl_sb_free(&sb);
	return -1;
}

/*
 * Read from src what cl copies: fills cl's schemas, tab and obj.
 * Returns 0, or -1 with err (permanent: something refused or missing).
 */
int
repl_clone_plan(struct repl_conn *src, struct repl_clone *cl,
    struct repl_err *err)
{
	size_t i;

	if (plan_schemas(src, cl, err) == -1 || plan_tables(src, cl, err) == -1)
		return -1;
	for (i = 0; i < cl->ntab; i++)
		if (plan_columns(src, &cl->tab[i], err) == -1 ||
		    plan_chunks(src, &cl->tab[i], cl->jobs, err) == -1)
			return -1;
	return plan_objects(src, cl, err);
}

/*
 * Read again what cl copies, as the source has it now (after the
 * snapshot), and compare with cl's plan: the databases, the tables, and
 * each table's definition (but its AUTO_INCREMENT=N). Returns 0 (alike),
 * 1 (changed; why says what), or -1 with err.
 */
int
clone_recheck(struct repl_conn *src, const struct repl_clone *cl, char *why,
    size_t n, struct repl_err *err)
{
	struct repl_clone f;
	size_t i;
	int ret = -1;

	memset(&f, 0, sizeof(f));
	f.dbs = cl->dbs;
	f.ndbs = cl->ndbs;
	f.want = cl->want;
	f.nwant = cl->nwant;
	if (plan_schemas(src, &f, err) == -1 || plan_tables(src, &f, err) == -1)
		goto gone;
	ret = 1;
	if (f.nschemas != cl->nschemas || f.ntab != cl->ntab) {
		snprintf(why, n, "databases or tables were made or dropped");
		goto out;
	}
	for (i = 0; i < f.nschemas; i++)
		if (strcmp(f.schemas[i], cl->schemas[i]) != 0) {
			snprintf(why, n, "database %s was made or dropped",
			    f.schemas[i]);
			goto out;
		}
	for (i = 0; i < f.ntab; i++) {
		const struct repl_clone_tab *t = &cl->tab[i];

		if (repl_table_cmp(&f.tab[i].t, &t->t) != 0) {
			snprintf(why, n, "table `%s`.`%s` was made or dropped",
			    f.tab[i].t.db, f.tab[i].t.name);
			goto out;
		}
		if (plan_columns(src, &f.tab[i], err) == -1) {
			ret = -1;
			goto gone;
		}
		if (!repl_clone_same_create(f.tab[i].create, t->create)) {
			snprintf(why, n, "table `%s`.`%s` was changed",
			    t->t.db, t->t.name);
			goto out;
		}
	}
	ret = 0;
	goto out;
gone:
	/* Refused now, not before: something went in between. */
	if (err->kind == REPL_E_PERM) {
		snprintf(why, n, "%s", err->msg);
		repl_err_clear(err);
		ret = 1;
	}
out:
	repl_clone_free(&f);
	return ret;
}
