/* The tables to count: the base tables a server has, by schema. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "replkit.h"

/* Schemas of the server itself, left out unless named with -d. */
#define SYSTEM_SCHEMAS \
	"'mysql', 'information_schema', 'performance_schema', 'sys'"

static char *
list_sql(char *const *dbs, size_t ndbs)
{
	/* SYSTEM VERSIONED: MariaDB's base tables with history. */
	static const char base[] = "SELECT TABLE_SCHEMA, TABLE_NAME FROM "
	    "information_schema.TABLES WHERE TABLE_TYPE IN ('BASE TABLE', "
	    "'SYSTEM VERSIONED') AND TABLE_SCHEMA ";
	size_t i, n = sizeof(base) + sizeof(SYSTEM_SCHEMAS) + 16, len;
	char *sql;
	int r;

	for (i = 0; i < ndbs; i++)
		n += 2 * REPL_NAME_MAX + 16;
	if ((sql = malloc(n)) == NULL)
		return NULL;
	len = (size_t)snprintf(sql, n, "%s%s", base, ndbs == 0 ?
	    "NOT IN (" SYSTEM_SCHEMAS : "IN (");
	for (i = 0; i < ndbs; i++) {
		if (i > 0) {
			memcpy(sql + len, ", ", 3);
			len += 2;
		}
		if ((r = repl_sql_hexstr(sql + len, n - len, dbs[i])) == -1) {
			free(sql);
			return NULL;
		}
		len += (size_t)r;
	}
	memcpy(sql + len, ")", 2);
	return sql;
}

/*
 * Append to *tab (*ntab entries, realloc'd) the base tables c has in
 * the schemas dbs, or when ndbs is 0 in every schema but mysql,
 * information_schema, performance_schema and sys. Returns the number of
 * tables appended, or -1 with err.
 */
int
repl_table_list(struct repl_conn *c, char *const *dbs, size_t ndbs,
    struct repl_table **tab, size_t *ntab, struct repl_err *err)
{
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	struct repl_table *t;
	char *sql;
	size_t added = 0;

	if ((sql = list_sql(dbs, ndbs)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL) {
		free(sql);
		return repl_conn_error(c, err, "unable to list the tables of");
	}
	free(sql);
	if ((t = realloc(*tab, (*ntab + mysql_num_rows(res) + 1) *
	    sizeof(*t))) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		goto fail;
	}
	*tab = t;
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL ||
		    strlen(row[0]) > REPL_NAME_MAX ||
		    strlen(row[1]) > REPL_NAME_MAX) {
			repl_err_set(err, REPL_E_PERM, "'%s' lists a table "
			    "with no name or too long a name", c->name);
			goto fail;
		}
		strcpy(t[*ntab + added].db, row[0]);
		strcpy(t[*ntab + added].name, row[1]);
		added++;
	}
	mysql_free_result(res);
	*ntab += added;
	return (int)added;
fail:
	mysql_free_result(res);
	return -1;
}
