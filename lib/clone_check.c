/*
 * What repl-clone checks on the replica before it changes anything, and
 * the marker that says a clone is under way: created before the first
 * change, dropped after the last, refused by repl-attach meanwhile.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"
#include "clone_int.h"

#define SYSTEM_SCHEMAS "'mysql', 'information_schema', " \
	"'performance_schema', 'sys', '" REPL_CLONE_MARKER "'"

static int
add_drop(struct repl_clone *cl, const char *db, struct repl_err *err)
{
	char **d;

	if ((d = realloc(cl->drop, (cl->ndrop + 1) * sizeof(*d))) == NULL ||
	    (d[cl->ndrop] = strdup(db)) == NULL) {
		if (d != NULL)
			cl->drop = d;
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	cl->drop = d;
	cl->ndrop++;
	return 0;
}

static int
copied(const struct repl_clone *cl, const char *db)
{
	size_t i;

	for (i = 0; i < cl->nschemas; i++)
		if (strcmp(cl->schemas[i], db) == 0)
			return 1;
	return 0;
}

/* The databases a clone that failed had begun, from its marker. */
static int
leftovers(struct repl_conn *rep, struct repl_sb *left, struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	if (mysql_query(rep->mysql, "SELECT name FROM `" REPL_CLONE_MARKER
	    "`.clone WHERE what = 'database'") != 0 ||
	    (res = mysql_store_result(rep->mysql)) == NULL)
		return repl_conn_error(rep, err, "unable to read the marker "
		    "of an earlier clone on");
	while ((row = mysql_fetch_row(res)) != NULL)
		if (row[0] != NULL) {
			repl_sb_str(left, row[0]);
			repl_sb_add(left, "", 1);	/* NUL-separated */
		}
	mysql_free_result(res);
	return 0;
}

static int
listed(const struct repl_sb *left, const char *db)
{
	size_t i;

	for (i = 0; i < left->len; i += strlen(left->s + i) + 1)
		if (strcmp(left->s + i, db) == 0)
			return 1;
	return 0;
}

/*
 * Refuse a replica that is the source itself, replicates, or holds
 * tables or routines (unless cl->force, or they are what a failed clone
 * left): fills cl->drop with the databases to drop first, cl->leftover
 * and cl->infile_off. Changes nothing. Returns 0, or -1 with err.
 */
int
clone_check_replica(struct repl_clone *cl, struct repl_conn *src,
    struct repl_conn *rep, struct repl_err *err)
{
	struct repl_replica r;
	struct repl_sb held = { 0 }, left = { 0 };
	MYSQL_RES *res;
	MYSQL_ROW row;
	char buf[64];
	int isnull, ret = -1;

	if (src->server.flavor != rep->server.flavor) {
		repl_err_set(err, REPL_E_PERM, "'%s' is %s but '%s' is %s: "
		    "replkit does not mix flavors", src->name,
		    repl_flavor_name(src->server.flavor), rep->name,
		    repl_flavor_name(rep->server.flavor));
		return -1;
	}
	if (repl_server_distinct(rep, &cl->co, err) == -1)
		return -1;
	if (repl_replica_status(rep, &r, err) == -1)
		return -1;
	if (r.configured && r.source_host[0] != '\0') {
		repl_err_set(err, REPL_E_PERM, "'%s' replicates from '%s:%u': "
		    "repl-clone fills a new server (stop it and reset its "
		    "replication first)", rep->name, r.source_host,
		    r.source_port);
		return -1;
	}
	if (repl_conn_scalar(rep, "SELECT COUNT(*) FROM "
	    "information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
	    REPL_CLONE_MARKER "'", buf, sizeof(buf), &isnull, err) == -1)
		return -1;
	cl->leftover = strcmp(buf, "0") != 0;
	if (cl->leftover && leftovers(rep, &left, err) == -1)
		goto out;
	if (mysql_query(rep->mysql, "SELECT s.SCHEMA_NAME, (SELECT COUNT(*) "
	    "FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = "
	    "s.SCHEMA_NAME) + (SELECT COUNT(*) FROM "
	    "information_schema.ROUTINES r WHERE r.ROUTINE_SCHEMA = "
	    "s.SCHEMA_NAME) FROM "
	    "information_schema.SCHEMATA s WHERE s.SCHEMA_NAME NOT IN ("
	    SYSTEM_SCHEMAS ") ORDER BY 1") != 0 ||
	    (res = mysql_store_result(rep->mysql)) == NULL) {
		repl_conn_error(rep, err, "unable to list the databases of");
		goto out;
	}
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL)
			continue;
		/* Empty, and not in the way: left alone. */
		if (strcmp(row[1], "0") == 0 && !copied(cl, row[0]))
			continue;
		if (strcmp(row[1], "0") != 0 && !cl->force &&
		    !(cl->leftover && listed(&left, row[0]))) {
			repl_sb_fmt(&held, "%s%s", held.len ? ", " : "",
			    row[0]);
			continue;
		}
		if (add_drop(cl, row[0], err) == -1) {
			mysql_free_result(res);
			goto out;
		}
	}
	mysql_free_result(res);
	if (held.len > 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' holds tables in %.400s: "
		    "repl-clone fills an empty server (--force drops these "
		    "databases first)", rep->name, held.s);
		goto out;
	}
	if (repl_conn_scalar(rep, "SELECT @@GLOBAL.local_infile", buf,
	    sizeof(buf), &isnull, err) == -1)
		goto out;
	cl->infile_off = strcmp(buf, "0") == 0 || strcasecmp(buf, "OFF") == 0;
	ret = held.oom || left.oom ? -1 : 0;
	if (ret == -1)
		repl_err_set(err, REPL_E_TEMP, "out of memory");
out:
	repl_sb_free(&held);
	repl_sb_free(&left);
	return ret;
}

/*
 * Put the marker on the replica, naming the source and the databases the
 * clone creates. Returns 0, or -1 with err.
 */
int
clone_mark(struct repl_clone *cl, struct repl_conn *rep, struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	char q[2 * REPL_NAME_MAX + 16];
	size_t i;
	int r;

	if (repl_conn_query(rep, "CREATE DATABASE IF NOT EXISTS `"
	    REPL_CLONE_MARKER "`", err) == -1 ||
	    repl_conn_query(rep, "CREATE TABLE IF NOT EXISTS `"
	    REPL_CLONE_MARKER "`.clone (what VARCHAR(16) NOT NULL, name "
	    "VARCHAR(300) NOT NULL) DEFAULT CHARSET=utf8mb4", err) == -1)
		return -1;
	cl->marked = 1;
	if (repl_sql_hexstr(q, sizeof(q), cl->src_name) == -1)
		q[0] = '\0';
	repl_sb_fmt(&sb, "INSERT INTO `" REPL_CLONE_MARKER "`.clone VALUES "
	    "('source', %s)", q[0] != '\0' ? q : "''");
	for (i = 0; i < cl->nschemas; i++) {
		if (repl_sql_hexstr(q, sizeof(q), cl->schemas[i]) == -1)
			sb.oom = 1;
		else
			repl_sb_fmt(&sb, ", ('database', %s)", q);
	}
	if (sb.oom) {
		repl_sb_free(&sb);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	r = repl_conn_query(rep, sb.s, err);
	repl_sb_free(&sb);
	return r;
}

/* The clone is whole: drop the marker. Returns 0, or -1 with err. */
int
clone_unmark(struct repl_clone *cl, struct repl_conn *rep,
    struct repl_err *err)
{
	if (repl_conn_query(rep, "DROP DATABASE IF EXISTS `" REPL_CLONE_MARKER
	    "`", err) == -1)
		return -1;
	cl->marked = 0;
	return 0;
}
