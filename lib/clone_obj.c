/*
 * The definitions a clone creates on the replica: databases and tables
 * before the rows; views, routines, triggers and events after them, each
 * in the character set and sql_mode it was made in, events disabled (a
 * replica must not run them: its source's run replicate to it).
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"
#include "clone_int.h"

#define ER_NO_SUCH_TABLE 1146
#define ER_VIEW_INVALID 1356

/* What SHOW CREATE says of an object. */
struct shown {
	char *create;
	char mode[1024], tz[80], cs[64], coll[64];
};

static int
use(struct repl_conn *c, const char *db, struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	int r;

	repl_sb_str(&sb, "USE ");
	repl_diff_sql_ident(&sb, db);
	r = sb.oom ? -1 : repl_conn_query(c, sb.s, err);
	repl_sb_free(&sb);
	return r;
}

/* Whether s is made only of the bytes in set (and not empty). */
static int
only(const char *s, const char *set)
{
	return s[0] != '\0' && strspn(s, set) == strlen(s);
}

static int
show(struct repl_conn *src, const char *sql, struct shown *o,
    struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	MYSQL_FIELD *f;
	unsigned int i, n;

	free(o->create);
	memset(o, 0, sizeof(*o));
	if (mysql_query(src->mysql, sql) != 0 ||
	    (res = mysql_store_result(src->mysql)) == NULL)
		return repl_conn_error(src, err, "unable to read a definition "
		    "on");
	n = mysql_num_fields(res);
	f = mysql_fetch_fields(res);
	if ((row = mysql_fetch_row(res)) != NULL)
		for (i = 0; i < n; i++) {
			const char *v = row[i] != NULL ? row[i] : "";

			if (strncasecmp(f[i].name, "Create ", 7) == 0 ||
			    strcasecmp(f[i].name,
			    "SQL Original Statement") == 0)
				o->create = strdup(v);
			else if (strcasecmp(f[i].name, "sql_mode") == 0)
				snprintf(o->mode, sizeof(o->mode), "%s", v);
			else if (strcasecmp(f[i].name, "time_zone") == 0)
				snprintf(o->tz, sizeof(o->tz), "%s", v);
			else if (strcasecmp(f[i].name,
			    "character_set_client") == 0)
				snprintf(o->cs, sizeof(o->cs), "%s", v);
			else if (strcasecmp(f[i].name,
			    "collation_connection") == 0)
				snprintf(o->coll, sizeof(o->coll), "%s", v);
		}
	mysql_free_result(res);
	if (o->create == NULL) {
		repl_err_set(err, REPL_E_PERM, "'%s': no definition from "
		    "\"%.200s\" (a missing privilege?)", src->name, sql);
		return -1;
	}
	return 0;
}

/* Set c's character set names, sql_mode and time zone to o's. */
static int
session_as(struct repl_conn *c, const struct shown *o, struct repl_err *err)
{
	static const char word[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	char sql[1200];

	if (o->cs[0] != '\0') {
		if (!only(o->cs, word) || !only(o->coll, word)) {
			repl_err_set(err, REPL_E_PERM, "'%s': unexpected "
			    "character set '%.64s'", c->name, o->cs);
			return -1;
		}
		snprintf(sql, sizeof(sql), "SET NAMES %s COLLATE %s", o->cs,
		    o->coll);
		if (repl_conn_query(c, sql, err) == -1)
			return -1;
	}
	if (o->mode[0] != '\0' || o->create != NULL) {
		if (o->mode[0] != '\0' &&
		    !only(o->mode, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_,")) {
			repl_err_set(err, REPL_E_PERM, "'%s': unexpected "
			    "sql_mode '%.64s'", c->name, o->mode);
			return -1;
		}
		snprintf(sql, sizeof(sql), "SET SESSION sql_mode = '%s'",
		    o->mode);
		if (repl_conn_query(c, sql, err) == -1)
			return -1;
	}
	if (o->tz[0] != '\0') {
		if (!only(o->tz, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/+:-")) {
			repl_err_set(err, REPL_E_PERM, "'%s': unexpected time "
			    "zone '%.64s'", c->name, o->tz);
			return -1;
		}
		snprintf(sql, sizeof(sql), "SET SESSION time_zone = '%s'",
		    o->tz);
		if (repl_conn_query(c, sql, err) == -1)
			return -1;
	}
	return 0;
}

/* SHOW CREATE of an object, in the character set it was made in. */
static int
show_object(struct repl_conn *src, const struct repl_clone_obj *ob,
    struct shown *o, struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	struct shown first = { 0 };
	int r;

	repl_sb_fmt(&sb, "SHOW CREATE %s ", repl_clone_okind_name(ob->kind));
	repl_diff_sql_ident(&sb, ob->db);
	repl_sb_str(&sb, ".");
	repl_diff_sql_ident(&sb, ob->name);
	if (sb.oom) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	r = show(src, sb.s, o, err);
	if (r == 0 && o->cs[0] != '\0' && strcmp(o->cs, "utf8mb4") != 0) {
		first = *o;
		o->create = NULL;
		first.mode[0] = first.tz[0] = '\0';
		free(first.create);
		first.create = NULL;
		r = session_as(src, &first, err);
		if (r == 0)
			r = show(src, sb.s, o, err);
		if (repl_conn_query(src, "SET NAMES utf8mb4",
		    r == 0 ? err : &(struct repl_err){ 0 }) == -1)
			r = -1;
	}
	repl_sb_free(&sb);
	return r;
}

/* Append "DEFINER=user@host " as the CREATE statement create has it. */
static void
definer(struct repl_sb *sb, const char *create)
{
	const char *p = strstr(create, "DEFINER="), *e;

	if (p == NULL || (e = strstr(p, " EVENT ")) == NULL || e - p > 600)
		return;
	repl_sb_add(sb, p, (size_t)(e - p) + 1);
}

/* Create object ob on rep as src has it. 1: it waits for another view. */
static int
create_object(struct repl_clone *cl, struct repl_conn *src,
    struct repl_conn *rep, const struct repl_clone_obj *ob,
    struct repl_err *err)
{
	struct shown o = { 0 };
	struct repl_sb sb = { 0 };
	int r = -1;

	if (show_object(src, ob, &o, err) == -1 ||
	    use(rep, ob->db, err) == -1 ||
	    session_as(rep, &o, err) == -1)
		goto out;
	if (repl_conn_query(rep, o.create, err) == -1) {
		if (ob->kind == REPL_CLONE_VIEW &&
		    (err->sqlerrno == ER_NO_SUCH_TABLE ||
		    err->sqlerrno == ER_VIEW_INVALID))
			r = 1;
		goto out;
	}
	if (ob->kind == REPL_CLONE_EVENT) {
		/* ALTER EVENT makes its user the definer, unless it says. */
		repl_sb_str(&sb, "ALTER ");
		definer(&sb, o.create);
		repl_sb_str(&sb, "EVENT ");
		repl_diff_sql_ident(&sb, ob->db);
		repl_sb_str(&sb, ".");
		repl_diff_sql_ident(&sb, ob->name);
		repl_sb_fmt(&sb, " %s",
		    repl_sql_event_replica_off(&rep->server));
		if (sb.oom || repl_conn_query(rep, sb.s, err) == -1)
			goto out;
	}
	repl_note(cl->note, cl->arg, REPL_NOTE_DEBUG,
	    "'%s': created %s `%s`.`%s`", rep->name,
	    repl_clone_okind_name(ob->kind), ob->db, ob->name);
	r = 0;
out:
	repl_sb_free(&sb);
	free(o.create);
	/* The clone's own session again, whatever happened. */
	if (rep->mysql != NULL && r != -1)
		r = clone_session_rep(rep, 0, err) == -1 ? -1 : r;
	return r;
}

/*
 * After the rows: views (each after the views it reads), routines,
 * triggers, events. Returns 0, or -1 with err.
 */
int
clone_objects(struct repl_clone *cl, struct repl_conn *src,
    struct repl_conn *rep, struct repl_err *err)
{
	char *waits;
	size_t i, left, made;
	int r;

	if (cl->nobj == 0)
		return 0;
	if ((waits = calloc(cl->nobj, 1)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	for (i = 0; i < cl->nobj; i++)
		waits[i] = 1;
	do {
		made = left = 0;
		for (i = 0; i < cl->nobj; i++) {
			if (!waits[i])
				continue;
			if ((r = create_object(cl, src, rep, &cl->obj[i],
			    err)) == -1)
				goto fail;
			if (r == 0) {
				waits[i] = 0;
				made++;
			} else
				left++;
		}
	} while (left > 0 && made > 0);
	if (left > 0) {
		for (i = 0; i < cl->nobj && !waits[i]; i++)
			;
		repl_err_set(err, REPL_E_PERM, "'%s': view `%s`.`%s` "
		    "reads what does not exist on the source either",
		    src->name, cl->obj[i].db, cl->obj[i].name);
		goto fail;
	}
	free(waits);
	return 0;
fail:
	free(waits);
	return -1;
}

/*
 * Before the rows: drop what cl->drop names, then create each database
 * and table as the source has it. Returns 0, or -1 with err.
 */
int
clone_create(struct repl_clone *cl, struct repl_conn *src,
    struct repl_conn *rep, struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	struct shown o = { 0 };
	size_t i;
	int r = -1;

	for (i = 0; i < cl->ndrop; i++) {
		sb.len = 0;
		repl_sb_str(&sb, "DROP DATABASE ");
		repl_diff_sql_ident(&sb, cl->drop[i]);
		repl_note(cl->note, cl->arg, REPL_NOTE_WARN,
		    "'%s': dropping database `%s`%s",
		    rep->name, cl->drop[i], cl->leftover && !cl->force ?
		    ", left by a clone that failed" : "");
		if (sb.oom || repl_conn_query(rep, sb.s, err) == -1)
			goto out;
	}
	for (i = 0; i < cl->nschemas; i++) {
		sb.len = 0;
		repl_sb_str(&sb, "SHOW CREATE DATABASE ");
		repl_diff_sql_ident(&sb, cl->schemas[i]);
		if (sb.oom || show(src, sb.s, &o, err) == -1 ||
		    repl_conn_query(rep, o.create, err) == -1)
			goto out;
	}
	for (i = 0; i < cl->ntab; i++)
		if (use(rep, cl->tab[i].t.db, err) == -1 ||
		    repl_conn_query(rep, cl->tab[i].create, err) == -1)
			goto out;
	r = 0;
out:
	free(o.create);
	repl_sb_free(&sb);
	return r;
}
