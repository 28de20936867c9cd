/*
 * Waiting until a replica has applied a source's position, with the
 * server's own wait function: by GTID when both sides have GTIDs, else by
 * binary log file and position.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/*
 * The server waits at most this long per call; between calls we look at
 * the replica's threads, so an error is reported at once, not at the
 * deadline.
 */
#define SLICE_MS 1000

static int
use_gtid(struct repl_conn *c, const struct repl_coord *co,
    struct repl_err *err)
{
	char mode[32];
	int isnull;

	if (!co->has_gtid || co->flavor != c->server.flavor)
		return 0;
	if (c->server.flavor == REPL_FLAVOR_MARIADB)
		return 1;
	if (repl_conn_scalar(c, "SELECT @@GLOBAL.gtid_mode", mode,
	    sizeof(mode), &isnull, err) == -1)
		return -1;
	return strcmp(mode, "ON") == 0;
}

/*
 * After a wait call timed out: -1 with REPL_E_NO if a replication thread
 * stopped on an error, else 0 with a REPL_E_TIMEOUT message saying where
 * the replica stands, for when the deadline passes.
 */
static int
not_yet(struct repl_conn *c, const struct repl_coord *co, int gtid,
    struct repl_err *err)
{
	struct repl_replica r;
	char what[REPL_FILE_MAX + 32], why[sizeof(err->msg)];

	if (gtid)
		snprintf(what, sizeof(what), "gtid %.64s%s", co->gtid,
		    strlen(co->gtid) > 64 ? "..." : "");
	else
		snprintf(what, sizeof(what), "%s:%llu", co->file, co->pos);
	if (repl_replica_status(c, &r, err) == -1)
		return -1;
	if (repl_replica_broken(&r, err)) {
		snprintf(why, sizeof(why), "%s", err->msg);
		repl_err_set(err, REPL_E_NO, "'%s' has not applied %s: %s",
		    c->name, what, why);
		return -1;
	}
	if (!r.configured)
		repl_err_set(err, REPL_E_TIMEOUT, "'%s' is not configured as "
		    "a replica", c->name);
	else if (r.seconds_behind >= 0)
		repl_err_set(err, REPL_E_TIMEOUT, "'%s' has not applied %s "
		    "(io %s, sql %s, %lld s behind)", c->name, what,
		    r.io_running, r.sql_running, r.seconds_behind);
	else
		repl_err_set(err, REPL_E_TIMEOUT, "'%s' has not applied %s "
		    "(io %s, sql %s)", c->name, what, r.io_running,
		    r.sql_running);
	return 0;
}

/*
 * Wait until c has applied co, at most until deadline (repl_now_ms()
 * time; a deadline already passed means check once). Returns 0 once
 * applied, or -1 with err: REPL_E_TIMEOUT, REPL_E_NO when a replication
 * thread stopped on an error, or a connection error.
 */
int
repl_wait_applied(struct repl_conn *c, const struct repl_coord *co,
    int64_t deadline, struct repl_err *err)
{
	char sql[REPL_GTID_MAX + 128], res[64];
	int gtid, isnull;
	int64_t left, slice, t0;

	if ((gtid = use_gtid(c, co, err)) == -1)
		return -1;
	if (!gtid && co->file[0] == '\0') {
		repl_err_set(err, REPL_E_PERM, "'%s': the coordinate line has "
		    "only a GTID of another flavor or with GTIDs off here, and "
		    "no file/pos to fall back on", c->name);
		return -1;
	}
	for (;;) {
		left = deadline - repl_now_ms();
		slice = left < 0 ? 0 : left > SLICE_MS ? SLICE_MS : left;
		if ((gtid ? repl_sql_wait_gtid(sql, sizeof(sql), &c->server,
		    co->gtid, slice) : repl_sql_wait_pos(sql, sizeof(sql),
		    &c->server, co->file, co->pos, slice)) == -1) {
			repl_err_set(err, REPL_E_PERM, "unable to build the "
			    "wait statement");
			return -1;
		}
		t0 = repl_now_ms();
		if (repl_conn_scalar(c, sql, res, sizeof(res), &isnull, err)
		    == -1)
			return -1;
		/*
		 * GTID waits return 0 when reached; the position waits
		 * return the events waited for (>= 0), -1 on timeout, and
		 * NULL when the SQL thread does not run.
		 */
		if (!isnull && res[0] != '-' &&
		    (!gtid || strcmp(res, "0") == 0))
			return 0;
		if (not_yet(c, co, gtid, err) == -1)
			return -1;
		if (repl_now_ms() >= deadline)
			return -1;
		/* NULL came at once: do not spin on it. */
		if (isnull && repl_now_ms() - t0 < 100)
			repl_sleep_ms(deadline - repl_now_ms() < 200 ?
			    deadline - repl_now_ms() : 200);
	}
}
