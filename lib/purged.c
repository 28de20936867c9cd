/*
 * What a MariaDB source can no longer send: the GTID list at the start of
 * its oldest binary log (everything up to it has been purged).
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <mysql.h>

#include "replkit.h"

/* The first row's value of the column named col in res, or NULL. */
static const char *
column(MYSQL_RES *res, MYSQL_ROW row, const char *col)
{
	MYSQL_FIELD *f = mysql_fetch_fields(res);
	unsigned int i, n = mysql_num_fields(res);

	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, col) == 0)
			return row[i];
	return NULL;
}

/*
 * Write into buf the GTID list of c's oldest binary log ("" when nothing
 * was ever purged). Returns 0, or -1 with err.
 */
int
repl_binlog_purged(struct repl_conn *c, char *buf, size_t n,
    struct repl_err *err)
{
	char first[REPL_FILE_MAX + 1], q[REPL_FILE_MAX + 3], sql[REPL_FILE_MAX + 64];
	const char *v, *type;
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i, j;
	int isnull;

	buf[0] = '\0';
	if (repl_conn_scalar(c, "SHOW BINARY LOGS", first, sizeof(first),
	    &isnull, err) == -1)
		return -1;
	if (isnull || !repl_file_valid(first) ||
	    repl_sql_quote(q, sizeof(q), first) == -1) {
		repl_err_set(err, REPL_E_PERM, "'%s' lists no usable binary "
		    "log", c->name);
		return -1;
	}
	snprintf(sql, sizeof(sql), "SHOW BINLOG EVENTS IN %s LIMIT 4", q);
	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err, "unable to read binary log of");
	while ((row = mysql_fetch_row(res)) != NULL) {
		type = column(res, row, "Event_type");
		if (type == NULL || strcmp(type, "Gtid_list") != 0 ||
		    (v = column(res, row, "Info")) == NULL)
			continue;
		/* "[0-1-5,1-2-3]": keep what is between the brackets. */
		for (i = 0, j = 0; v[i] != '\0' && j + 1 < n; i++)
			if (v[i] != '[' && v[i] != ']' && v[i] != ' ')
				buf[j++] = v[i];
		buf[j] = '\0';
		break;
	}
	mysql_free_result(res);
	/* A binlog state may name a domain once per server: no strict grammar. */
	if (strspn(buf, "0123456789-,") != strlen(buf)) {
		repl_err_set(err, REPL_E_PERM, "'%s': unexpected GTID list "
		    "'%.64s' in its oldest binary log", c->name, buf);
		return -1;
	}
	return 0;
}
