/*
 * The check repl-attach makes on the source before it changes anything:
 * the source still has every binary log the replica needs.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "replkit.h"

/*
 * MySQL: what the source has purged (gtid_purged) must all be in what the
 * replica has executed (or, at_position, in the line's position).
 */
static int
purged_mysql(const struct repl_coord *co, struct repl_conn *rep,
    struct repl_conn *src, int at_position, struct repl_err *err)
{
	char purged[REPL_GTID_MAX + 1], miss[REPL_GTID_MAX + 1];
	int isnull;

	if (repl_conn_scalar(src, "SELECT @@GLOBAL.gtid_purged", purged,
	    sizeof(purged), &isnull, err) == -1)
		return -1;
	repl_gtid_squeeze(purged);
	if (purged[0] == '\0')
		return 0;
	if (repl_gtid_mysql_minus(rep, purged, at_position ? co->gtid : NULL,
	    miss, sizeof(miss), err) == -1)
		return -1;
	if (miss[0] == '\0')
		return 0;
	repl_err_set(err, REPL_E_PERM, "the source '%s:%u' has purged the "
	    "binary logs '%s' needs (transactions %.128s%s): load the replica "
	    "from a snapshot first (repl-clone), then attach with --at-position",
	    co->host, co->port, rep->name, miss, strlen(miss) > 128 ? "..." :
	    "");
	return -1;
}

/*
 * The source at a's coordinates still has every binary log the replica
 * rep needs (MariaDB: its oldest log starts at or before the replica's
 * GTID position; MySQL: its gtid_purged is within the replica's
 * gtid_executed). A source that cannot be reached is not checked here
 * (the I/O thread will say). Remarks go to a->note. Returns 0, or -1
 * with err.
 */
int
repl_attach_purged(struct repl_attach *a, struct repl_conn *rep,
    struct repl_err *err)
{
	const struct repl_coord *co = &a->co;
	struct repl_addr addr;
	struct repl_conn src;
	struct repl_err e2;
	char purged[REPL_GTID_MAX + 1], have[REPL_GTID_MAX + 1], why[512];
	int isnull, r;

	memset(&addr, 0, sizeof(addr));
	strcpy(addr.host, co->host);
	addr.port = co->port;
	repl_err_clear(&e2);
	if (repl_conn_open(&src, &addr, a->opt, &e2) == -1) {
		repl_note(a->note, a->arg, REPL_NOTE_DEBUG, "not checking "
		    "the source's binary logs: %s", e2.msg);
		return 0;
	}
	if (co->flavor == REPL_FLAVOR_MYSQL) {
		r = purged_mysql(co, rep, &src, a->at_position, err);
		repl_conn_close(&src);
		return r;
	}
	r = repl_binlog_purged(&src, purged, sizeof(purged), &e2);
	if (r == 0 && repl_circular_same_domain(&src, rep, why, sizeof(why),
	    &e2) == 1)
		repl_note(a->note, a->arg, REPL_NOTE_WARN, "warning: %s",
		    why);
	repl_conn_close(&src);
	if (r == -1) {
		repl_note(a->note, a->arg, REPL_NOTE_DEBUG, "not checking "
		    "the source's binary logs: %s", e2.msg);
		return 0;
	}
	if (a->at_position)
		snprintf(have, sizeof(have), "%s", co->gtid);
	else if (repl_conn_scalar(rep, "SELECT @@GLOBAL.gtid_slave_pos", have,
	    sizeof(have), &isnull, err) == -1)
		return -1;
	if (!repl_gtid_mariadb_covers(have, purged, 0, why, sizeof(why))) {
		repl_err_set(err, REPL_E_PERM, "the source '%s:%u' has purged "
		    "the binary logs '%s' needs (up to %s; the replica is at "
		    "'%.64s'): load the replica from a snapshot first "
		    "(repl-clone), then attach with --at-position", co->host,
		    co->port, rep->name, why, have);
		return -1;
	}
	return 0;
}
