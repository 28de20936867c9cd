/*
 * One snapshot for every worker of a clone, and its position: the
 * sessions each side runs in, the snapshot without a lock where MariaDB
 * allows it, else with commits held while the workers start theirs.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"
#include "clone_int.h"

#define ER_UNKNOWN_SYSTEM_VARIABLE 1193
#define ER_LOCK_WAIT_TIMEOUT 1205
#define SNAP_TRIES 5

static int
run_all(struct repl_conn *c, const char *const *sql, size_t n,
    struct repl_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sql[i] != NULL && repl_conn_query(c, sql[i], err) == -1)
			return -1;
	return 0;
}

/*
 * A session on the source: bytes as stored (data) or text in utf8mb4
 * (the schema), times in UTC, and patience with a slow replica.
 */
int
clone_session_src(struct repl_conn *c, int data, struct repl_err *err)
{
	const char *sql[] = {
		data ? "SET NAMES binary" : "SET NAMES utf8mb4",
		"SET SESSION time_zone = '+00:00'",
		"SET SESSION sql_mode = ''",
		"SET SESSION net_write_timeout = 3600",
		"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"
	};

	return run_all(c, sql, sizeof(sql) / sizeof(sql[0]), err);
}

/*
 * A session on the replica: nothing in its binary log (no GTIDs of its
 * own, which an attach would call errant), no foreign key checks (the
 * source made them), times in UTC, zero kept as zero in AUTO_INCREMENT columns,
 * dates as the source has them, and the rows of a part in one commit.
 */
int
clone_session_rep(struct repl_conn *c, int data, struct repl_err *err)
{
	const char *sql[] = {
		data ? "SET NAMES binary" : "SET NAMES utf8mb4",
		"SET SESSION sql_log_bin = 0",
		"SET SESSION foreign_key_checks = 0",
		"SET SESSION time_zone = '+00:00'",
		"SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,"
		    "NO_ENGINE_SUBSTITUTION'",
		"SET SESSION net_read_timeout = 3600",
		data ? "SET SESSION autocommit = 0" : NULL
	};
	/*
	 * MySQL's, where the version has them: a table as the source has it.
	 * Not on MariaDB: from 10.6, unique_checks=0 with foreign_key_checks=0
	 * makes a load into an empty table a bulk insert that locks the whole
	 * table, and the workers sharing it would wait on each other.
	 */
	static const char *const mysql_only[] = {
		"SET SESSION unique_checks = 0",
		"SET SESSION sql_generate_invisible_primary_key = OFF",
		"SET SESSION sql_require_primary_key = OFF"
	};
	size_t i;

	if (run_all(c, sql, sizeof(sql) / sizeof(sql[0]), err) == -1)
		return -1;
	if (c->server.flavor != REPL_FLAVOR_MYSQL)
		return 0;
	for (i = 0; i < sizeof(mysql_only) / sizeof(mysql_only[0]); i++)
		if (repl_conn_query(c, mysql_only[i], err) == -1) {
			if (err->sqlerrno != ER_UNKNOWN_SYSTEM_VARIABLE)
				return -1;
			repl_err_clear(err);
		}
	return 0;
}

static int
start(struct clone_worker *w, size_t n, struct repl_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (repl_conn_query(&w[i].src, "START TRANSACTION WITH "
		    "CONSISTENT SNAPSHOT, READ ONLY", err) == -1)
			return -1;
	return 0;
}

/* MariaDB: the binary log position of c's snapshot. */
static int
snap_pos(struct repl_conn *c, char *file, unsigned long long *pos,
    struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	file[0] = '\0';
	*pos = 0;
	if (mysql_query(c->mysql, "SHOW STATUS LIKE 'binlog_snapshot_%'") !=
	    0 || (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err,
		    "unable to read the snapshot of");
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL)
			continue;
		if (strcasecmp(row[0], "Binlog_snapshot_file") == 0)
			snprintf(file, REPL_FILE_MAX + 1, "%s", row[1]);
		else if (strcasecmp(row[0], "Binlog_snapshot_position") == 0)
			*pos = strtoull(row[1], NULL, 10);
	}
	mysql_free_result(res);
	if (!repl_file_valid(file) || *pos == 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' has no binary log "
		    "position for a snapshot: is its binary log on?", c->name);
		return -1;
	}
	return 0;
}

/*
 * MariaDB without a lock: every worker starts its snapshot, and when all
 * of them stand at one binary log position that is the clone's. Returns
 * 1 with cl->co's file, pos and gtid set, 0 when commits kept coming
 * between the snapshots (all rolled back), or -1 with err.
 */
static int
unlocked(struct repl_clone *cl, struct repl_conn *ctl, struct clone_worker *w,
    size_t n, struct repl_err *err)
{
	char file[REPL_FILE_MAX + 1], f[REPL_FILE_MAX + 1];
	char sql[REPL_FILE_MAX + 64], q[REPL_FILE_MAX + 3];
	unsigned long long pos, p;
	size_t i;
	int tries, isnull, same;

	for (tries = 0; tries < SNAP_TRIES; tries++) {
		if (start(w, n, err) == -1 ||
		    snap_pos(&w[0].src, file, &pos, err) == -1)
			return -1;
		for (i = 1, same = 1; i < n && same; i++) {
			if (snap_pos(&w[i].src, f, &p, err) == -1)
				return -1;
			same = strcmp(f, file) == 0 && p == pos;
		}
		if (same) {
			if (repl_sql_quote(q, sizeof(q), file) == -1) {
				repl_err_set(err, REPL_E_PERM, "'%s': "
				    "unexpected binary log name", ctl->name);
				return -1;
			}
			snprintf(sql, sizeof(sql), "SELECT BINLOG_GTID_POS(%s, "
			    "%llu)", q, pos);
			if (repl_conn_scalar(ctl, sql, cl->co.gtid,
			    sizeof(cl->co.gtid), &isnull, err) == -1)
				return -1;
			strcpy(cl->co.file, file);
			cl->co.pos = pos;
			cl->co.has_gtid = !isnull && cl->co.gtid[0] != '\0';
			return 1;
		}
		for (i = 0; i < n; i++)
			if (repl_conn_query(&w[i].src, "ROLLBACK", err) == -1)
				return -1;
	}
	return 0;
}

static int
lock_error(struct repl_clone *cl, struct repl_conn *ctl, const char *what,
    struct repl_err *err)
{
	char why[sizeof(err->msg)];

	snprintf(why, sizeof(why), "%s", err->msg);
	if (err->sqlerrno == ER_LOCK_WAIT_TIMEOUT)
		repl_err_set(err, REPL_E_TIMEOUT, "'%s': waited %lld ms for %s "
		    "and gave up: a long statement or transaction holds its "
		    "tables (-t sets the wait)", ctl->name,
		    (long long)cl->lock_timeout, what);
	else if (err->sqlerrno == 1227 || err->sqlerrno == 1044 ||
	    err->sqlerrno == 1045)
		repl_err_set(err, REPL_E_PERM, "'%s': an exact position needs "
		    "%s, which needs the RELOAD privilege: %s", ctl->name, what,
		    why);
	return -1;
}

/*
 * Start the snapshot of each of the n workers, all at one point of the
 * source's history, and set cl->co to that point. With need_lock (tables
 * without transactions) or where no lockless snapshot holds, commits are
 * held meanwhile, and still are on return (cl->lock names how): the
 * caller copies what needs the lock, then calls clone_unlock. Returns 0,
 * or -1 with err.
 */
int
clone_snapshot(struct repl_clone *cl, struct repl_conn *ctl,
    struct clone_worker *w, size_t n, int need_lock, struct repl_err *err)
{
	const struct repl_server *s = &ctl->server;
	struct repl_coord co;
	char sql[64];
	int r;

	if (repl_pos_read(ctl, &co, err) == -1)
		return -1;
	cl->co = co;
	if (s->flavor == REPL_FLAVOR_MARIADB && !need_lock) {
		if ((r = unlocked(cl, ctl, w, n, err)) != 0)
			return r == 1 ? 0 : -1;
		repl_note(cl->note, cl->arg, REPL_NOTE_INFO,
		    "'%s': commits kept coming between the workers' "
		    "snapshots: holding them a moment", ctl->name);
	}
	snprintf(sql, sizeof(sql), "SET SESSION lock_wait_timeout = %lld",
	    (long long)(cl->lock_timeout + 999) / 1000);
	if (repl_conn_query(ctl, sql, err) == -1)
		return -1;
	if (s->flavor == REPL_FLAVOR_MYSQL && s->version >= 80000) {
		/* DDL held off for the whole copy, where the grant allows. */
		if (repl_conn_query(ctl, "LOCK INSTANCE FOR BACKUP", err) ==
		    -1) {
			if (err->sqlerrno != 1227)
				return lock_error(cl, ctl,
				    "LOCK INSTANCE FOR BACKUP", err);
			repl_note(cl->note, cl->arg, REPL_NOTE_WARN,
			    "'%s': no BACKUP_ADMIN privilege: a change of a "
			    "table's definition during the copy would not be "
			    "held off", ctl->name);
			repl_err_clear(err);
		} else
			cl->backup_lock = 1;
	}
	if (s->flavor == REPL_FLAVOR_MARIADB && s->version >= 100401 &&
	    !need_lock) {
		cl->lock = "BACKUP STAGE BLOCK_COMMIT";
		if (repl_conn_query(ctl, "BACKUP STAGE START", err) == -1 ||
		    repl_conn_query(ctl, cl->lock, err) == -1) {
			cl->lock = NULL;
			return lock_error(cl, ctl, "BACKUP STAGE BLOCK_COMMIT",
			    err);
		}
	} else {
		cl->lock = "FLUSH TABLES WITH READ LOCK";
		if (repl_conn_query(ctl, cl->lock, err) == -1) {
			cl->lock = NULL;
			return lock_error(cl, ctl,
			    "FLUSH TABLES WITH READ LOCK", err);
		}
	}
	if (start(w, n, err) == -1 || repl_pos_read(ctl, &co, err) == -1)
		return -1;
	cl->co = co;
	return 0;
}

/* Let commits go on, once every worker's snapshot is there. */
int
clone_unlock(struct repl_clone *cl, struct repl_conn *ctl,
    struct repl_err *err)
{
	const char *sql;

	if (cl->lock == NULL)
		return 0;
	sql = strcmp(cl->lock, "FLUSH TABLES WITH READ LOCK") == 0 ?
	    "UNLOCK TABLES" : "BACKUP STAGE END";
	cl->lock = NULL;
	return repl_conn_query(ctl, sql, err);
}
