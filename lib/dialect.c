/*
 * The SQL dialect of each server flavor and version band: the one place
 * where replkit chooses statement text.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "replkit.h"

#define MYSQL_AT_LEAST(s, v) \
	((s)->flavor == REPL_FLAVOR_MYSQL && (s)->version >= (v))

/* SHOW BINARY LOG STATUS from MySQL 8.2 (SHOW MASTER STATUS is gone in 8.4). */
const char *
repl_sql_binlog_status(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80200) ? "SHOW BINARY LOG STATUS" :
	    "SHOW MASTER STATUS";
}

/* SHOW REPLICA STATUS from MySQL 8.0.22; MariaDB keeps the old names. */
const char *
repl_sql_replica_status(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80022) ? "SHOW REPLICA STATUS" :
	    "SHOW SLAVE STATUS";
}

/* START REPLICA from MySQL 8.0.22. */
const char *
repl_sql_start_replica(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80022) ? "START REPLICA" : "START SLAVE";
}

/* STOP REPLICA from MySQL 8.0.22. */
const char *
repl_sql_stop_replica(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80022) ? "STOP REPLICA" : "STOP SLAVE";
}

/* CHANGE REPLICATION SOURCE TO from MySQL 8.0.23 (the old one is gone in 8.4). */
const char *
repl_sql_change_source(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80023) ? "CHANGE REPLICATION SOURCE TO" :
	    "CHANGE MASTER TO";
}

/* The GTID position a source has written to its binary log. */
const char *
repl_sql_gtid_executed(const struct repl_server *s)
{
	return s->flavor == REPL_FLAVOR_MARIADB ?
	    "SELECT @@GLOBAL.gtid_binlog_pos" :
	    "SELECT @@GLOBAL.gtid_executed";
}

/*
 * Whether the server has CRC32C(), for repl-diff's row hash: MariaDB
 * from 10.8; MySQL has none. Returns 1 or 0.
 */
int
repl_sql_has_crc32c(const struct repl_server *s)
{
	return s->flavor == REPL_FLAVOR_MARIADB && s->version >= 100800;
}

/*
 * Quote a value that has already passed its grammar as an SQL string
 * literal. As a second line of defence, refuse anything outside the
 * characters those grammars allow. Returns the length, or -1.
 */
int
repl_sql_quote(char *buf, size_t n, const char *v)
{
	size_t len = strlen(v), i;

	for (i = 0; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-_:,", v[i]) == NULL || v[i] == '\0')
			return -1;
	if (len + 3 > n)
		return -1;
	buf[0] = '\'';
	memcpy(buf + 1, v, len);
	buf[len + 1] = '\'';
	buf[len + 2] = '\0';
	return (int)len + 2;
}

static int
finish(char *buf, size_t n, int r)
{
	(void)buf;
	return r < 0 || (size_t)r >= n ? -1 : r;
}

/*
 * Whole seconds, rounded up, at least one: to MASTER_POS_WAIT,
 * SOURCE_POS_WAIT and WAIT_FOR_EXECUTED_GTID_SET a timeout of 0 means
 * "wait for ever", which a check-once must never become.
 */
static long long
whole_seconds(int64_t ms)
{
	return ms < 1000 ? 1 : (long long)(ms / 1000 + (ms % 1000 != 0));
}

/*
 * The server-side wait for a GTID position, timeout in ms: MariaDB's
 * MASTER_GTID_WAIT (fractional seconds, at least 1 ms since a negative
 * one waits for ever), MySQL's WAIT_FOR_EXECUTED_GTID_SET (whole seconds).
 * Returns the length, or -1.
 */
int
repl_sql_wait_gtid(char *buf, size_t n, const struct repl_server *s,
    const char *gtid, int64_t ms)
{
	char q[REPL_GTID_MAX + 3];

	if (ms < 0 || repl_sql_quote(q, sizeof(q), gtid) == -1)
		return -1;
	if (s->flavor == REPL_FLAVOR_MARIADB) {
		if (ms < 1)
			ms = 1;
		return finish(buf, n, snprintf(buf, n,
		    "SELECT MASTER_GTID_WAIT(%s, %lld.%03lld)", q,
		    (long long)(ms / 1000), (long long)(ms % 1000)));
	}
	return finish(buf, n, snprintf(buf, n,
	    "SELECT WAIT_FOR_EXECUTED_GTID_SET(%s, %lld)", q,
	    whole_seconds(ms)));
}

/*
 * The server-side wait for a binary log file and position, timeout in
 * whole seconds: SOURCE_POS_WAIT from MySQL 8.0.26, else MASTER_POS_WAIT.
 * Returns the length, or -1.
 */
int
repl_sql_wait_pos(char *buf, size_t n, const struct repl_server *s,
    const char *file, unsigned long long pos, int64_t ms)
{
	char q[REPL_FILE_MAX + 3];

	if (ms < 0 || repl_sql_quote(q, sizeof(q), file) == -1)
		return -1;
	return finish(buf, n, snprintf(buf, n, "SELECT %s(%s, %llu, %lld)",
	    MYSQL_AT_LEAST(s, 80026) ? "SOURCE_POS_WAIT" : "MASTER_POS_WAIT",
	    q, pos, whole_seconds(ms)));
}

/*
 * What makes the server put the GTID of each commit in its OK packet,
 * for repl-feed: MariaDB tracks last_gtid as a system variable, MySQL
 * from 5.7.6 its own GTID (session_track_gtids). Returns the statement,
 * or NULL when the server has none.
 */
const char *
repl_sql_track_gtid(const struct repl_server *s)
{
	if (s->flavor == REPL_FLAVOR_MARIADB)
		return "SET SESSION session_track_system_variables = "
		    "'last_gtid'";
	return MYSQL_AT_LEAST(s, 50706) ?
	    "SET SESSION session_track_gtids = 'OWN_GTID'" : NULL;
}

/*
 * The GTID of the session's last commit, asked after it: MariaDB only
 * (@@last_gtid). Returns the query, or NULL when there is none.
 */
const char *
repl_sql_last_gtid(const struct repl_server *s)
{
	return s->flavor == REPL_FLAVOR_MARIADB ?
	    "SELECT @@SESSION.last_gtid" : NULL;
}

/*
 * MySQL's GTID_SUBTRACT(a, b): the transactions set a holds that b does
 * not. NULL for either stands for the server's own gtid_executed.
 * Returns the length, or -1.
 */
int
repl_sql_gtid_subtract(char *buf, size_t n, const char *a, const char *b)
{
	static const char own[] = "@@GLOBAL.gtid_executed";
	char qa[REPL_GTID_MAX + 3], qb[REPL_GTID_MAX + 3];

	if ((a != NULL && repl_sql_quote(qa, sizeof(qa), a) == -1) ||
	    (b != NULL && repl_sql_quote(qb, sizeof(qb), b) == -1))
		return -1;
	return finish(buf, n, snprintf(buf, n,
	    "SELECT REPLACE(GTID_SUBTRACT(%s, %s), '\\n', '')",
	    a != NULL ? qa : own, b != NULL ? qb : own));
}

/* The replicas registered with a source: SHOW REPLICAS from MySQL 8.0.22. */
const char *
repl_sql_replica_hosts(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80022) ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS";
}

/*
 * What repl-top reads of a server in one row: server_id, whether it
 * takes writes (read_only, and MySQL's super_read_only), and its GTID
 * position (MariaDB: gtid_current_pos, what it has applied or written;
 * MySQL: gtid_executed without white space).
 */
const char *
repl_sql_top_state(const struct repl_server *s)
{
	if (s->flavor == REPL_FLAVOR_MARIADB)
		return "SELECT @@GLOBAL.server_id, @@GLOBAL.read_only, 0, "
		    "@@GLOBAL.gtid_current_pos";
	return "SELECT @@GLOBAL.server_id, @@GLOBAL.read_only, "
	    "@@GLOBAL.super_read_only, "
	    "REPLACE(REPLACE(@@GLOBAL.gtid_executed, '\\n', ''), ' ', '')";
}

/* The client addresses of the binary log dump threads (replicas). */
const char *
repl_sql_dump_clients(void)
{
	return "SELECT HOST FROM information_schema.PROCESSLIST "
	    "WHERE COMMAND LIKE 'Binlog Dump%'";
}

/*
 * 1 when the server refuses writes from ordinary users: read_only, and
 * on MySQL also super_read_only (which refuses them to everyone).
 */
const char *
repl_sql_read_only(const struct repl_server *s)
{
	return s->flavor == REPL_FLAVOR_MYSQL ?
	    "SELECT @@GLOBAL.read_only OR @@GLOBAL.super_read_only" :
	    "SELECT @@GLOBAL.read_only";
}

/* Forget the replica's source altogether: RESET REPLICA ALL (8.0.22+). */
const char *
repl_sql_reset_replica_all(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80022) ? "RESET REPLICA ALL" :
	    "RESET SLAVE ALL";
}

/*
 * Refuse or take writes: MySQL's super_read_only refuses them to every
 * user (and turns read_only on with it); MariaDB has read_only only.
 */
const char *
repl_sql_set_read_only(const struct repl_server *s, int on)
{
	if (s->flavor == REPL_FLAVOR_MYSQL)
		return on ? "SET GLOBAL super_read_only = 1" :
		    "SET GLOBAL super_read_only = 0, GLOBAL read_only = 0";
	return on ? "SET GLOBAL read_only = 1" : "SET GLOBAL read_only = 0";
}

/*
 * 1 when the server writes what it replicates to its own binary log, so
 * that replicas can continue from it: log_bin and log_slave_updates
 * (log_replica_updates from MySQL 8.0.26).
 */
const char *
repl_sql_logs_replicated(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80026) ?
	    "SELECT @@GLOBAL.log_bin AND @@GLOBAL.log_replica_updates" :
	    "SELECT @@GLOBAL.log_bin AND @@GLOBAL.log_slave_updates";
}

/*
 * How an event is kept from running on a replica, as replication itself
 * marks the events it creates: DISABLE ON REPLICA from MySQL 8.0.22.
 */
const char *
repl_sql_event_replica_off(const struct repl_server *s)
{
	return MYSQL_AT_LEAST(s, 80022) ? "DISABLE ON REPLICA" :
	    "DISABLE ON SLAVE";
}
