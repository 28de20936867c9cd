/* A replica's status, read by column name in MySQL's and MariaDB's spellings. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "replkit.h"

enum { C_IO, C_SQL, C_IO_ERRNO, C_IO_ERROR, C_SQL_ERRNO, C_SQL_ERROR,
	C_BEHIND, C_HOST, C_PORT, C_FILE, C_POS, C_GTID, C_AUTOPOS, C_RFILE,
	C_SPACE, C_N };

/* Each column's old (MariaDB, MySQL < 8.0.22) and new spelling. */
static const char *const names[C_N][2] = {
	{ "Slave_IO_Running", "Replica_IO_Running" },
	{ "Slave_SQL_Running", "Replica_SQL_Running" },
	{ "Last_IO_Errno", "Last_IO_Errno" },
	{ "Last_IO_Error", "Last_IO_Error" },
	{ "Last_SQL_Errno", "Last_SQL_Errno" },
	{ "Last_SQL_Error", "Last_SQL_Error" },
	{ "Seconds_Behind_Master", "Seconds_Behind_Source" },
	{ "Master_Host", "Source_Host" },
	{ "Master_Port", "Source_Port" },
	{ "Relay_Master_Log_File", "Relay_Source_Log_File" },
	{ "Exec_Master_Log_Pos", "Exec_Source_Log_Pos" },
	{ "Using_Gtid", "Using_Gtid" },
	{ "Auto_Position", "Auto_Position" },
	{ "Master_Log_File", "Source_Log_File" },
	{ "Relay_Log_Space", "Relay_Log_Space" },
};

static unsigned long long
num(const char *s)
{
	return s != NULL ? strtoull(s, NULL, 10) : 0;
}

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/*
 * Read the replica status of c into r; a server that is no replica gives
 * r->configured == 0. Returns 0, or -1 with err.
 */
int
repl_replica_status(struct repl_conn *c, struct repl_replica *r,
    struct repl_err *err)
{
	const char *sql = repl_sql_replica_status(&c->server);
	MYSQL *m = c->mysql;
	MYSQL_RES *res;
	MYSQL_FIELD *f;
	MYSQL_ROW row;
	int col[C_N];
	unsigned int i, nf;
	int k;

	memset(r, 0, sizeof(*r));
	r->seconds_behind = -1;
	if (mysql_real_query(m, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(m)) == NULL)
		return repl_conn_error(c, err, "unable to read replica status of");
	nf = mysql_num_fields(res);
	f = mysql_fetch_fields(res);
	for (k = 0; k < C_N; k++) {
		col[k] = -1;
		for (i = 0; i < nf; i++)
			if (strcmp(f[i].name, names[k][0]) == 0 ||
			    strcmp(f[i].name, names[k][1]) == 0)
				col[k] = (int)i;
	}
	if ((row = mysql_fetch_row(res)) == NULL) {
		mysql_free_result(res);
		return 0;
	}
#define V(k) (col[k] >= 0 ? row[col[k]] : NULL)
	r->configured = 1;
	copy(r->io_running, sizeof(r->io_running), V(C_IO));
	copy(r->sql_running, sizeof(r->sql_running), V(C_SQL));
	r->last_io_errno = (unsigned int)num(V(C_IO_ERRNO));
	copy(r->last_io_error, sizeof(r->last_io_error), V(C_IO_ERROR));
	r->last_sql_errno = (unsigned int)num(V(C_SQL_ERRNO));
	copy(r->last_sql_error, sizeof(r->last_sql_error), V(C_SQL_ERROR));
	if (V(C_BEHIND) != NULL)
		r->seconds_behind = (long long)num(V(C_BEHIND));
	copy(r->source_host, sizeof(r->source_host), V(C_HOST));
	r->source_port = (unsigned int)num(V(C_PORT));
	copy(r->exec_file, sizeof(r->exec_file), V(C_FILE));
	r->exec_pos = num(V(C_POS));
	if (V(C_GTID) != NULL)
		copy(r->using_gtid, sizeof(r->using_gtid), V(C_GTID));
	else
		copy(r->using_gtid, sizeof(r->using_gtid), V(C_AUTOPOS));
	copy(r->read_file, sizeof(r->read_file), V(C_RFILE));
	r->relay_space = num(V(C_SPACE));
#undef V
	mysql_free_result(res);
	return 0;
}

/* Returns 1 when both replication threads run, else 0. */
int
repl_replica_running(const struct repl_replica *r)
{
	return r->configured && strcmp(r->io_running, "Yes") == 0 &&
	    strcmp(r->sql_running, "Yes") == 0;
}

/*
 * Returns 1, with err saying why (kind REPL_E_NO), when a replication
 * thread has stopped on an error; else 0.
 */
int
repl_replica_broken(const struct repl_replica *r, struct repl_err *err)
{
	if (!r->configured)
		return 0;
	if (strcmp(r->sql_running, "No") == 0 && r->last_sql_errno != 0) {
		repl_err_set(err, REPL_E_NO, "SQL thread stopped: error %u: %s",
		    r->last_sql_errno, r->last_sql_error);
		err->sqlerrno = r->last_sql_errno;
		return 1;
	}
	if (strcmp(r->io_running, "No") == 0 && r->last_io_errno != 0) {
		repl_err_set(err, REPL_E_NO, "IO thread stopped: error %u: %s",
		    r->last_io_errno, r->last_io_error);
		err->sqlerrno = r->last_io_errno;
		return 1;
	}
	return 0;
}
