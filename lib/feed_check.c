/*
 * Whether a batch whose commit went unanswered committed: asked on a new
 * connection, after the lost connection's thread is gone from the server
 * (killed if need be), so that the batch cannot commit after we looked.
 * Each batch's first payload is random and long enough to be unique.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "replkit.h"

/* ER_NO_SUCH_THREAD: the thread is gone already. */
#define NO_SUCH_THREAD 1094

/* The server's clock, in whole seconds; -1 with err. */
static long long
clock_s(struct repl_conn *c, struct repl_err *err)
{
	char buf[32];
	int isnull;

	if (repl_conn_scalar(c, "SELECT UNIX_TIMESTAMP()", buf, sizeof(buf),
	    &isnull, err) == -1)
		return -1;
	if (isnull) {
		repl_err_set(err, REPL_E_PERM, "'%s' gave no time", c->name);
		return -1;
	}
	return strtoll(buf, NULL, 10);
}

/*
 * When the server of c started, in seconds on its own clock: its time
 * less its uptime, to tell a restarted server from the same one. The
 * server counts both in whole seconds from the start of a statement, so
 * the uptime is taken between two readings of the clock that agree:
 * the same server then always gives the same start, exactly, and a
 * server restarted even a second after it a later one. Returns 0, or -1
 * with err.
 */
int
repl_feed_server_start(struct repl_conn *c, int64_t *start,
    struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long before, after, up = 0;
	int tries, ok;

	for (tries = 0; tries < 10; tries++) {
		if ((before = clock_s(c, err)) == -1)
			return -1;
		if (mysql_query(c->mysql, "SHOW GLOBAL STATUS LIKE 'Uptime'") !=
		    0 || (res = mysql_store_result(c->mysql)) == NULL)
			return repl_conn_error(c, err, "query failed on");
		row = mysql_fetch_row(res);
		ok = row != NULL && mysql_num_fields(res) == 2 &&
		    row[1] != NULL;
		if (ok)
			up = strtoll(row[1], NULL, 10);
		mysql_free_result(res);
		if (!ok) {
			repl_err_set(err, REPL_E_PERM, "'%s' gave no uptime",
			    c->name);
			return -1;
		}
		if ((after = clock_s(c, err)) == -1)
			return -1;
		if (before == after) {
			*start = before - up;
			return 0;
		}
	}
	repl_err_set(err, REPL_E_TEMP, "'%s' is too slow to tell when it "
	    "started", c->name);
	return -1;
}

/* The count a query gives; -1 with err. */
static long long
count(struct repl_conn *c, const char *sql, struct repl_err *err)
{
	char buf[32];
	int isnull;

	if (repl_conn_scalar(c, sql, buf, sizeof(buf), &isnull, err) == -1)
		return -1;
	return isnull ? 0 : strtoll(buf, NULL, 10);
}

/*
 * On c, a connection opened after the one with thread id old_id broke
 * while a batch into t was on its way: wait until that thread is gone,
 * unless the server started since start (repl_feed_server_start of the
 * old connection) or c itself has that id, killing it, for at most
 * until deadline (repl_now_ms),
 * then look for the batch's first payload mark (at least
 * REPL_FEED_MARK_MIN characters of [a-z0-9]). Returns 1 when the batch
 * committed, 0 when it did not, -1 with err.
 */
int
repl_feed_check(struct repl_conn *c, const struct repl_table *t,
    const char *mark, unsigned long old_id, int64_t start, int64_t deadline,
    struct repl_err *err)
{
	char db[2 * REPL_NAME_MAX + 3], name[2 * REPL_NAME_MAX + 3];
	char *sql;
	size_t len = strlen(mark), n;
	int64_t now_start;
	long long k;
	int r = -1;

	if (len < REPL_FEED_MARK_MIN ||
	    strspn(mark, "abcdefghijklmnopqrstuvwxyz0123456789") != len ||
	    repl_sql_ident(db, sizeof(db), t->db) == -1 ||
	    repl_sql_ident(name, sizeof(name), t->name) == -1) {
		repl_err_set(err, REPL_E_PERM, "no mark to look the batch up");
		return -1;
	}
	n = len + sizeof(db) + sizeof(name) + 128;
	if ((sql = malloc(n)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	if (repl_feed_server_start(c, &now_start, err) == -1)
		goto out;
	/*
	 * Thread ids are not reused while a server runs, but they start
	 * again when it restarts: on a restarted server the id may be
	 * another connection's, even ours, never to be killed.
	 */
	if (now_start == start && mysql_thread_id(c->mysql) != old_id) {
		snprintf(sql, n, "KILL CONNECTION %lu", old_id);
		if (mysql_query(c->mysql, sql) != 0 &&
		    mysql_errno(c->mysql) != NO_SUCH_THREAD) {
			repl_conn_error(c, err, "unable to end the lost "
			    "connection's thread on");
			goto out;
		}
		snprintf(sql, n, "SELECT COUNT(*) FROM "
		    "information_schema.PROCESSLIST WHERE ID = %lu", old_id);
		while ((k = count(c, sql, err)) != 0) {
			if (k == -1)
				goto out;
			if (repl_now_ms() >= deadline) {
				repl_err_set(err, REPL_E_TIMEOUT, "the lost "
				    "connection's thread %lu still runs on "
				    "'%s'", old_id, c->name);
				goto out;
			}
			repl_sleep_ms(20);
		}
	}
	snprintf(sql, n, "SELECT COUNT(*) FROM %s.%s WHERE payload = '%s'",
	    db, name, mark);
	if ((k = count(c, sql, err)) != -1)
		r = k > 0;
out:
	free(sql);
	return r;
}
