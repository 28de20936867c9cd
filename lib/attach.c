/*
 * The checks repl-attach makes before it changes anything, and its wait
 * for replication to run afterwards.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/*
 * IO thread errors that retrying will not cure: a refused login, a
 * missing grant, a source that insists on TLS, history the source no
 * longer has (1236; MySQL 8.0.22+ reports it as 13114).
 */
static int
io_error_final(unsigned int e)
{
	static const unsigned int final[] = { 1044, 1045, 1130, 1227, 1236,
		1251, 1698, 2026, 2061, 3159, 13114 };
	size_t i;

	for (i = 0; i < sizeof(final) / sizeof(final[0]); i++)
		if (e == final[i])
			return 1;
	return 0;
}

static int
same_source(const struct repl_replica *r, const struct repl_coord *co)
{
	return strcmp(r->source_host, co->host) == 0 &&
	    r->source_port == co->port;
}

/*
 * Refuse, as the source itself, a server c with co's server_id or
 * server_uuid. Returns 0, or -1 with err.
 */
int
repl_server_distinct(struct repl_conn *c, const struct repl_coord *co,
    struct repl_err *err)
{
	char buf[64];
	int isnull;

	if (co->has_server_id) {
		if (repl_conn_scalar(c, "SELECT @@GLOBAL.server_id", buf,
		    sizeof(buf), &isnull, err) == -1)
			return -1;
		if (strtoul(buf, NULL, 10) == co->server_id) {
			repl_err_set(err, REPL_E_PERM, "'%s' has server_id %lu, "
			    "the same as the source's: is it the source itself? "
			    "Every server needs its own server_id", c->name,
			    co->server_id);
			return -1;
		}
	}
	if (co->uuid[0] != '\0') {
		if (repl_conn_scalar(c, "SELECT @@GLOBAL.server_uuid", buf,
		    sizeof(buf), &isnull, err) == -1)
			return -1;
		if (strcmp(buf, co->uuid) == 0) {
			repl_err_set(err, REPL_E_PERM, "'%s' has the source's "
			    "server_uuid %s: it is the source itself, or a "
			    "copy that kept its auto.cnf", c->name, co->uuid);
			return -1;
		}
	}
	return 0;
}

/*
 * Check that the replica behind c may be pointed at co's source: not the
 * same server, not replicating from another source (unless force), no
 * GTIDs the source never had, GTIDs on (MySQL, GTID mode). Returns 0 to
 * go ahead, 1 when it already replicates from that source and both
 * threads run (nothing to do), 2 when it is set up for that source but
 * not running, or -1 with a permanent error.
 */
int
repl_attach_check(struct repl_conn *c, const struct repl_coord *co,
    enum repl_start start, int force, struct repl_err *err)
{
	struct repl_replica r;
	char buf[REPL_GTID_MAX + 1], why[128];
	int isnull, ret;

	if (c->server.flavor != co->flavor) {
		repl_err_set(err, REPL_E_PERM, "'%s' is %s but the source is "
		    "%s: replkit does not mix flavors", c->name,
		    repl_flavor_name(c->server.flavor),
		    repl_flavor_name(co->flavor));
		return -1;
	}
	if (repl_server_distinct(c, co, err) == -1)
		return -1;
	if (repl_conn_scalar(c, "SELECT COUNT(*) FROM "
	    "information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
	    REPL_CLONE_MARKER "'", buf, sizeof(buf), &isnull, err) == -1)
		return -1;
	if (strcmp(buf, "0") != 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' holds an incomplete clone "
		    "(database " REPL_CLONE_MARKER "): a repl-clone failed "
		    "there; run repl-clone again", c->name);
		return -1;
	}
	if (repl_replica_status(c, &r, err) == -1)
		return -1;
	if (r.configured && r.source_host[0] != '\0' && !same_source(&r, co) &&
	    !force) {
		repl_err_set(err, REPL_E_PERM, "'%s' already replicates from "
		    "'%s:%u', not '%s:%u': give --force to re-point it",
		    c->name, r.source_host, r.source_port, co->host, co->port);
		return -1;
	}
	if (r.configured && same_source(&r, co) && repl_replica_running(&r))
		return 1;
	ret = r.configured && same_source(&r, co) ? 2 : 0;
	if (start != REPL_START_GTID)
		return ret;
	if (c->server.flavor == REPL_FLAVOR_MYSQL) {
		if (repl_conn_scalar(c, "SELECT @@GLOBAL.gtid_mode", buf,
		    sizeof(buf), &isnull, err) == -1)
			return -1;
		if (strcmp(buf, "ON") != 0) {
			repl_err_set(err, REPL_E_PERM, "'%s' has gtid_mode=%s: "
			    "turn GTIDs on, or give --no-gtid", c->name, buf);
			return -1;
		}
		/*
		 * What the replica executed must be a subset of what the
		 * source had: a transaction the source never had is errant.
		 */
		if (co->has_gtid) {
			if (repl_gtid_mysql_minus(c, NULL, co->gtid, buf,
			    sizeof(buf), err) == -1)
				return -1;
			if (buf[0] != '\0') {
				repl_err_set(err, REPL_E_PERM, "'%s' has "
				    "transactions %.128s%s that the source (at "
				    "%.64s%s) never had: it is ahead of the "
				    "source or has errant transactions (load "
				    "dumps with sql_log_bin=0)", c->name, buf,
				    strlen(buf) > 128 ? "..." : "", co->gtid,
				    strlen(co->gtid) > 64 ? "..." : "");
				return -1;
			}
		}
		return ret;
	}
	/*
	 * Transactions written on the replica itself in a domain the source
	 * also writes, past the source's position: the source never had
	 * them, and GTID replication would break on them.
	 */
	if (co->has_gtid) {
		if (repl_conn_scalar(c, "SELECT @@GLOBAL.gtid_binlog_pos", buf,
		    sizeof(buf), &isnull, err) == -1)
			return -1;
		if (!repl_gtid_mariadb_covers(co->gtid, buf, 1, why,
		    sizeof(why))) {
			repl_err_set(err, REPL_E_PERM, "'%s' has transaction %s "
			    "that the source (at %.64s) never had: it is ahead "
			    "of the source or has errant transactions (load "
			    "dumps with sql_log_bin=0)", c->name, why, co->gtid);
			return -1;
		}
	}
	return ret;
}

/*
 * After START SLAVE: wait until both threads run and the source has
 * accepted the replica, at most until deadline; space is the relay log's
 * size before START, or -1 when replicating by GTID after a change of
 * source (see below).
 * Returns 0, or -1 with err: REPL_E_NO with the server's Last_IO_Error or
 * Last_SQL_Error when a thread stopped or cannot connect for good,
 * REPL_E_TIMEOUT, or a connection error.
 */
int
repl_attach_wait(struct repl_conn *c, int64_t deadline, long long space,
    struct repl_err *err)
{
	struct repl_replica r;

	for (;;) {
		if (repl_replica_status(c, &r, err) == -1)
			return -1;
		if (repl_replica_broken(&r, err)) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			repl_err_set(err, REPL_E_NO, "'%s': %s", c->name, why);
			return -1;
		}
		/*
		 * Before the running test: MariaDB shows the IO thread's
		 * refusal (1236) while it still says Yes.
		 */
		if (r.last_io_errno != 0 && io_error_final(r.last_io_errno)) {
			repl_err_set(err, REPL_E_NO, "'%s': IO thread cannot "
			    "connect to the source: error %u: %s", c->name,
			    r.last_io_errno, r.last_io_error);
			return -1;
		}
		/*
		 * Running, and the source has sent its first event: it
		 * accepted the replica. Before that, a source that has purged
		 * what the replica needs still shows as Yes, then 1236. By
		 * GTID, the event names the binary log, which the change of
		 * source cleared; by file and position (whose name is there
		 * from the start) or when started where it was, the event
		 * grows the relay log past its size before START (space).
		 */
		if (repl_replica_running(&r) && (space < 0 ?
		    r.read_file[0] != '\0' :
		    r.relay_space > (unsigned long long)space))
			return 0;
		if (repl_now_ms() >= deadline) {
			repl_err_set(err, REPL_E_TIMEOUT, "'%s': replication not "
			    "running (io %s, sql %s)%s%s", c->name, r.io_running,
			    r.sql_running, r.last_io_errno ? ": " : "",
			    r.last_io_error);
			return -1;
		}
		repl_sleep_ms(100);
	}
}
