/* A source's binary log position, with file, position and GTID in step. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "replkit.h"

/* SHOW MASTER STATUS (or its new name): file, position, and on MySQL the set. */
static int
binlog_status(struct repl_conn *c, struct repl_coord *co, int want_set,
    struct repl_err *err)
{
	const char *sql = repl_sql_binlog_status(&c->server);
	MYSQL_RES *res;
	MYSQL_FIELD *f;
	MYSQL_ROW row;
	unsigned int i, nf;
	int ret = -1;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err, "unable to read binary log "
		    "status of");
	if ((row = mysql_fetch_row(res)) == NULL || row[0] == NULL) {
		repl_err_set(err, REPL_E_PERM, "'%s' has binary logging "
		    "disabled (start it with log_bin)", c->name);
		goto out;
	}
	nf = mysql_num_fields(res);
	f = mysql_fetch_fields(res);
	for (i = 0; i < nf; i++) {
		if (row[i] == NULL)
			continue;
		if (strcmp(f[i].name, "File") == 0)
			snprintf(co->file, sizeof(co->file), "%s", row[i]);
		else if (strcmp(f[i].name, "Position") == 0)
			co->pos = strtoull(row[i], NULL, 10);
		else if (want_set && strcmp(f[i].name, "Executed_Gtid_Set")
		    == 0 && repl_gtid_squeeze_into(co->gtid, sizeof(co->gtid),
		    row[i]) == -1) {
			repl_err_set(err, REPL_E_PERM, "'%s': GTID set too "
			    "long", c->name);
			goto out;
		}
	}
	ret = 0;
out:
	mysql_free_result(res);
	return ret;
}

static int
mariadb_pos(struct repl_conn *c, struct repl_coord *co, struct repl_err *err)
{
	char before[sizeof(co->gtid)], sql[REPL_FILE_MAX + 64], q[REPL_FILE_MAX + 3];
	int tries, isnull;

	/*
	 * SHOW MASTER STATUS has no GTID column: read the GTID position
	 * before and after it; equal means no commit came between.
	 */
	for (tries = 0; tries < 3; tries++) {
		if (repl_conn_scalar(c, repl_sql_gtid_executed(&c->server),
		    before, sizeof(before), &isnull, err) == -1 ||
		    binlog_status(c, co, 0, err) == -1 ||
		    repl_conn_scalar(c, repl_sql_gtid_executed(&c->server),
		    co->gtid, sizeof(co->gtid), &isnull, err) == -1)
			return -1;
		if (strcmp(before, co->gtid) == 0)
			return 0;
	}
	/* A busy source: let the server map the position to its GTIDs. */
	if (!repl_file_valid(co->file) ||
	    repl_sql_quote(q, sizeof(q), co->file) == -1) {
		repl_err_set(err, REPL_E_PERM, "'%s': unexpected binary log "
		    "file name", c->name);
		return -1;
	}
	snprintf(sql, sizeof(sql), "SELECT BINLOG_GTID_POS(%s, %llu)", q,
	    co->pos);
	return repl_conn_scalar(c, sql, co->gtid, sizeof(co->gtid), &isnull,
	    err);
}

/*
 * MySQL's own consistent view of file, position and GTID set, read with
 * commits held: performance_schema.log_status (BACKUP_ADMIN, and the
 * performance schema on). Returns 1 with co filled, 0 when unreadable.
 */
static int
log_status(struct repl_conn *c, struct repl_coord *co)
{
	static const char sql[] = "SELECT LOCAL->>'$.binary_log_file', "
	    "LOCAL->>'$.binary_log_position', LOCAL->>'$.gtid_executed' "
	    "FROM performance_schema.log_status";
	MYSQL_RES *res;
	MYSQL_ROW row;
	int ok = 0;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return 0;
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL &&
	    row[1] != NULL && row[2] != NULL &&
	    repl_gtid_squeeze_into(co->gtid, sizeof(co->gtid), row[2]) == 0) {
		snprintf(co->file, sizeof(co->file), "%s", row[0]);
		co->pos = strtoull(row[1], NULL, 10);
		ok = 1;
	}
	mysql_free_result(res);
	return ok;
}

/*
 * MySQL: one SHOW BINARY LOG STATUS can name a position past a commit
 * whose GTID is not in Executed_Gtid_Set yet (the set is updated after
 * the binary log is written). log_status when it can be read; else two
 * reads 10 ms apart that agree on all three.
 */
static int
mysql_pos(struct repl_conn *c, struct repl_coord *co, struct repl_err *err)
{
	struct repl_coord *prev;
	int tries, ret = -1;

	if (log_status(c, co))
		return 0;
	if ((prev = malloc(sizeof(*prev))) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	if (binlog_status(c, prev, 1, err) == -1)
		goto out;
	for (tries = 0; tries < 100; tries++) {
		repl_sleep_ms(10);
		if (binlog_status(c, co, 1, err) == -1)
			goto out;
		if (strcmp(prev->file, co->file) == 0 && prev->pos == co->pos &&
		    strcmp(prev->gtid, co->gtid) == 0) {
			ret = 0;
			goto out;
		}
		memcpy(prev, co, sizeof(*prev));
	}
	repl_err_set(err, REPL_E_TEMP, "'%s' commits without pause: no two "
	    "reads of its position agreed, and performance_schema.log_status "
	    "is not readable (it needs BACKUP_ADMIN)", c->name);
out:
	free(prev);
	return ret;
}

/*
 * Read c's binary log position into co: flavor, server_id, file, pos,
 * GTID position (and server_uuid on MySQL). Every value is checked
 * against the grammar a coordinate line must meet. The caller fills
 * host and port. Returns 0, or -1 with err (permanent when binary
 * logging is off).
 */
int
repl_pos_read(struct repl_conn *c, struct repl_coord *co,
    struct repl_err *err)
{
	char buf[64];
	int isnull;

	memset(co, 0, sizeof(*co));
	co->flavor = c->server.flavor;
	if (repl_conn_scalar(c, "SELECT @@GLOBAL.server_id", buf, sizeof(buf),
	    &isnull, err) == -1)
		return -1;
	co->server_id = strtoul(buf, NULL, 10);
	co->has_server_id = 1;
	if (c->server.flavor == REPL_FLAVOR_MARIADB) {
		if (mariadb_pos(c, co, err) == -1)
			return -1;
	} else {
		if (mysql_pos(c, co, err) == -1 ||
		    repl_conn_scalar(c, "SELECT @@GLOBAL.server_uuid",
		    co->uuid, sizeof(co->uuid), &isnull, err) == -1)
			return -1;
	}
	co->has_gtid = co->gtid[0] != '\0';
	if (!repl_file_valid(co->file) || co->pos == 0 ||
	    (co->has_gtid && !repl_gtid_valid(co->flavor, co->gtid)) ||
	    (co->uuid[0] != '\0' && !repl_uuid_valid(co->uuid))) {
		repl_err_set(err, REPL_E_PERM, "'%s' reported a position "
		    "replkit cannot parse (file '%.64s', gtid '%.64s')",
		    c->name, co->file, co->gtid);
		return -1;
	}
	return 0;
}

/*
 * Set co's host and port to the address a replica should use for the
 * server c, reached at addr: adv when given, else addr's host and port;
 * a socket has no name a replica could use, so then the server's
 * report_host (or host name) and port. Returns 0, or -1 with err.
 */
int
repl_pos_address(struct repl_conn *c, const struct repl_addr *addr,
    const struct repl_addr *adv, struct repl_coord *co, struct repl_err *err)
{
	char buf[REPL_HOST_MAX + 1];
	int isnull;

	if (adv != NULL) {
		strcpy(co->host, adv->host);
		co->port = adv->port;
		return 0;
	}
	if (addr->socket[0] == '\0') {
		strcpy(co->host, addr->host);
		co->port = addr->port;
		return 0;
	}
	if (repl_conn_scalar(c, "SELECT COALESCE(@@GLOBAL.report_host, "
	    "@@GLOBAL.hostname)", buf, sizeof(buf), &isnull, err) == -1)
		return -1;
	if (!repl_host_valid(buf)) {
		repl_err_set(err, REPL_E_PERM, "'%s' reports host name '%.64s', "
		    "unusable: give --advertise", c->name, buf);
		return -1;
	}
	strcpy(co->host, buf);
	if (repl_conn_scalar(c, "SELECT @@GLOBAL.port", buf, sizeof(buf),
	    &isnull, err) == -1)
		return -1;
	co->port = (unsigned int)strtoul(buf, NULL, 10);
	return 0;
}
