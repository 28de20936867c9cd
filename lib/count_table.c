/* Counting the rows of one table on one server. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "replkit.h"

#define ER_BAD_DB 1049
#define ER_NO_SUCH_TABLE 1146

static int
parse_rows(const char *s, unsigned long long *rows)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*rows = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

/*
 * Run sql, a query of one column, into buf: 1 a value, 0 NULL, 2 no row;
 * -1 with err (what says what failed).
 */
static int
first_value(struct repl_conn *c, const char *sql, char *buf, size_t n,
    const char *what, struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int r = 2;

	buf[0] = '\0';
	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err, what);
	if ((row = mysql_fetch_row(res)) != NULL) {
		r = row[0] != NULL;
		if (r)
			snprintf(buf, n, "%s", row[0]);
	}
	mysql_free_result(res);
	return r;
}

/*
 * Count the rows of t on c into cell: SELECT COUNT(*), or with estimate
 * the TABLE_ROWS of information_schema.TABLES, the engine's statistics.
 * A table that does not exist on c is REPL_CELL_MISSING. Returns 0 with
 * cell filled, or -1 with err when the count failed: the cell is then
 * REPL_CELL_DOWN if the connection is lost, else REPL_CELL_ERROR.
 */
int
repl_count_table(struct repl_conn *c, const struct repl_table *t,
    int estimate, struct repl_cell *cell, struct repl_err *err)
{
	char db[2 * REPL_NAME_MAX + 16], tb[2 * REPL_NAME_MAX + 16];
	char sql[4 * REPL_NAME_MAX + 160], what[2 * REPL_NAME_MAX + 32];
	char buf[32];
	int r;

	memset(cell, 0, sizeof(*cell));
	cell->state = REPL_CELL_ERROR;
	snprintf(what, sizeof(what), "unable to count '%s.%s' on", t->db,
	    t->name);
	if (estimate ? repl_sql_hexstr(db, sizeof(db), t->db) == -1 ||
	    repl_sql_hexstr(tb, sizeof(tb), t->name) == -1 :
	    repl_sql_ident(db, sizeof(db), t->db) == -1 ||
	    repl_sql_ident(tb, sizeof(tb), t->name) == -1) {
		repl_err_set(err, REPL_E_PERM, "%s '%s': name too long", what,
		    c->name);
		return -1;
	}
	if (estimate)
		snprintf(sql, sizeof(sql), "SELECT TABLE_ROWS FROM "
		    "information_schema.TABLES WHERE TABLE_SCHEMA = %s AND "
		    "TABLE_NAME = %s", db, tb);
	else
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s.%s", db,
		    tb);
	if ((r = first_value(c, sql, buf, sizeof(buf), what, err)) == -1) {
		if (err->sqlerrno == ER_NO_SUCH_TABLE ||
		    err->sqlerrno == ER_BAD_DB) {
			repl_err_clear(err);
			cell->state = REPL_CELL_MISSING;
			return 0;
		}
		if (repl_conn_lost(err->sqlerrno)) {
			err->kind = REPL_E_TEMP;
			cell->state = REPL_CELL_DOWN;
		}
		return -1;
	}
	if (r == 2 && estimate) {
		/* information_schema does not know the table. */
		cell->state = REPL_CELL_MISSING;
		return 0;
	}
	if (r != 1 || parse_rows(buf, &cell->rows) == -1) {
		repl_err_set(err, REPL_E_PERM, "%s '%s': the server answered "
		    "%s%s%s", what, c->name, r == 1 ? "'" : "", r == 1 ? buf :
		    r == 0 ? "NULL" : "no row", r == 1 ? "'" : "");
		return -1;
	}
	cell->state = REPL_CELL_ROWS;
	return 0;
}
