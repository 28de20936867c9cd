/*
 * One repl-feed transaction and the position of its commit: the INSERT
 * runs under autocommit, so that its OK packet is the commit's, and the
 * GTID comes back in that packet (session tracking: MariaDB's last_gtid,
 * MySQL's own GTID) or, on MariaDB, from @@last_gtid right after it, on
 * the same connection; else, on MySQL without GTIDs, the binary log
 * position read after it.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>

#include "replkit.h"

/*
 * Prepare a fresh connection for repl_feed_commit: autocommit on, binary
 * logging on, and on MariaDB last_gtid tracked in OK packets when the
 * server can. Fills base with the flavor and server_id; the caller adds
 * host and port. *track is set to 1 when OK packets carry the GTID.
 * Returns 0, or -1 with err (permanent when binary logging is off).
 */
int
repl_feed_session(struct repl_conn *c, struct repl_coord *base, int *track,
    struct repl_err *err)
{
	const char *sql;
	char buf[64];
	int isnull;

	*track = 0;
	memset(base, 0, sizeof(*base));
	base->flavor = c->server.flavor;
	if (repl_conn_query(c, "SET autocommit = 1", err) == -1 ||
	    repl_conn_scalar(c, "SELECT @@GLOBAL.log_bin", buf, sizeof(buf),
	    &isnull, err) == -1)
		return -1;
	if (isnull || strcmp(buf, "1") != 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' has binary logging "
		    "disabled (start it with log_bin): no position to print",
		    c->name);
		return -1;
	}
	if (repl_conn_scalar(c, "SELECT @@GLOBAL.server_id", buf, sizeof(buf),
	    &isnull, err) == -1)
		return -1;
	base->server_id = strtoul(buf, NULL, 10);
	base->has_server_id = 1;
	if ((sql = repl_sql_track_gtid(&c->server)) != NULL &&
	    mysql_query(c->mysql, sql) == 0)
		*track = 1;
	return 0;
}

/*
 * MySQL's own GTID as an OK packet tracks it (session_track_gtids =
 * OWN_GTID), len bytes at d: after an encoding byte, one uuid:number,
 * copied into gtid (n bytes). Returns 0, or -1 for anything else.
 */
int
repl_feed_own_gtid(const char *d, size_t len, char *gtid, size_t n)
{
	size_t i = 0, j;

	while (i < len && !((d[i] >= '0' && d[i] <= '9') ||
	    (d[i] >= 'a' && d[i] <= 'f') || (d[i] >= 'A' && d[i] <= 'F')))
		i++;
	if (len - i < REPL_UUID_LEN + 2 || len - i >= n ||
	    d[i + REPL_UUID_LEN] != ':')
		return -1;
	for (j = i + REPL_UUID_LEN + 1; j < len; j++)
		if (d[j] < '0' || d[j] > '9')
			return -1;
	memcpy(gtid, d + i, len - i);
	gtid[len - i] = '\0';
	gtid[REPL_UUID_LEN] = '\0';
	if (!repl_uuid_valid(gtid))
		return -1;
	gtid[REPL_UUID_LEN] = ':';
	return 0;
}

/*
 * The GTID the last OK packet carried: MariaDB's tracked last_gtid, or
 * MySQL's own GTID. Returns 0, or -1 when it carried none.
 */
static int
tracked_gtid(MYSQL *m, enum repl_flavor fl, char *gtid, size_t n)
{
	const char *d;
	size_t len;

	if (fl == REPL_FLAVOR_MYSQL)
		return mysql_session_track_get_first(m, SESSION_TRACK_GTIDS,
		    &d, &len) != 0 ? -1 : repl_feed_own_gtid(d, len, gtid, n);
	if (mysql_session_track_get_first(m, SESSION_TRACK_SYSTEM_VARIABLES,
	    &d, &len) != 0)
		return -1;
	do {
		if (len == 9 && memcmp(d, "last_gtid", 9) == 0) {
			if (mysql_session_track_get_next(m,
			    SESSION_TRACK_SYSTEM_VARIABLES, &d, &len) != 0 ||
			    len == 0 || len >= n)
				return -1;
			memcpy(gtid, d, len);
			gtid[len] = '\0';
			return 0;
		}
	} while (mysql_session_track_get_next(m,
	    SESSION_TRACK_SYSTEM_VARIABLES, &d, &len) == 0);
	return -1;
}

/*
 * After a commit on c, prepared by repl_feed_session: put its position
 * into co, which holds the base the session gave. Returns
 * REPL_FEED_COMMITTED, or REPL_FEED_NOPOS with err when it could not be
 * read.
 */
int
repl_feed_position(struct repl_conn *c, int track, struct repl_coord *co,
    struct repl_err *err)
{
	MYSQL *m = c->mysql;
	const char *sql = repl_sql_last_gtid(&c->server);
	int isnull;

	co->gtid[0] = '\0';
	co->has_gtid = 0;
	if (track && tracked_gtid(m, c->server.flavor, co->gtid,
	    sizeof(co->gtid)) == 0) {
		/* The commit's own GTID, exact. */
		if (c->server.flavor == REPL_FLAVOR_MYSQL) {
			memcpy(co->uuid, co->gtid, REPL_UUID_LEN);
			co->uuid[REPL_UUID_LEN] = '\0';
		}
	} else if (sql != NULL) {
		if (repl_conn_scalar(c, sql, co->gtid, sizeof(co->gtid),
		    &isnull, err) == -1)
			return REPL_FEED_NOPOS;
	} else {
		struct repl_coord p;

		/* At or after the commit: safe to wait for, maybe later. */
		if (repl_pos_read(c, &p, err) == -1)
			return REPL_FEED_NOPOS;
		snprintf(co->file, sizeof(co->file), "%s", p.file);
		co->pos = p.pos;
		memcpy(co->gtid, p.gtid, sizeof(co->gtid));
		memcpy(co->uuid, p.uuid, sizeof(co->uuid));
	}
	co->has_gtid = co->gtid[0] != '\0';
	if (!co->has_gtid && co->file[0] == '\0') {
		repl_err_set(err, REPL_E_PERM, "'%s' gave no GTID for the "
		    "commit", c->name);
		return REPL_FEED_NOPOS;
	}
	if (co->has_gtid && !repl_gtid_valid(co->flavor, co->gtid)) {
		repl_err_set(err, REPL_E_PERM, "'%s' gave GTID '%.64s' that "
		    "replkit cannot parse", c->name, co->gtid);
		return REPL_FEED_NOPOS;
	}
	return REPL_FEED_COMMITTED;
}

/*
 * Run sql (len bytes, one INSERT) on c, prepared by repl_feed_session,
 * and put the position of its commit into co, which holds the base the
 * session gave. Returns REPL_FEED_COMMITTED; REPL_FEED_FAILED when the
 * server refused the statement (nothing was written); REPL_FEED_UNKNOWN
 * when the connection broke before the answer came (it may or may not
 * have committed); REPL_FEED_NOPOS when it committed but its position
 * could not be read. All but the first fill err.
 */
int
repl_feed_commit(struct repl_conn *c, const char *sql, size_t len,
    int track, struct repl_coord *co, struct repl_err *err)
{
	MYSQL *m = c->mysql;
	unsigned int e;

	if (mysql_real_query(m, sql, len) != 0) {
		e = mysql_errno(m);
		repl_conn_error(c, err, "insert failed on");
		return e >= CR_MIN_ERROR && e <= CR_MAX_ERROR ?
		    REPL_FEED_UNKNOWN : REPL_FEED_FAILED;
	}
	return repl_feed_position(c, track, co, err);
}
