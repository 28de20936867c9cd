/*
 * repl-attach's sequence as an engine: check, plan the statements, stop
 * the replica, set its position, point it at the source, start it, wait
 * until the source has accepted it. A failure half-way starts a replica
 * that ran before on its old settings again.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

void
repl_attach_plan_free(struct repl_attach_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->sql[i] != NULL)
			memset(p->sql[i], 0, strlen(p->sql[i]));
		if (p->shown[i] != p->sql[i])
			free(p->shown[i]);
		free(p->sql[i]);
	}
	p->n = 0;
}

/* Add a step: sql as run and as shown (NULL: the same). Returns 0, -1. */
static int
step(struct repl_attach_plan *p, const char *sql, const char *shown)
{
	char *s, *w = NULL;

	if ((s = strdup(sql)) == NULL ||
	    (shown != NULL && (w = strdup(shown)) == NULL)) {
		free(s);
		return -1;
	}
	p->sql[p->n] = s;
	p->shown[p->n] = w != NULL ? w : s;
	p->n++;
	return 0;
}

/*
 * The statements that point a replica of server s at src, in order: stop
 * it, with gtid (at-position) set its GTID position, change its source,
 * start it. src's user, password and CA path are escaped already;
 * password is src's, which shown replaces by "***". Returns 0, or -1
 * (a statement too long, no memory).
 */
int
repl_attach_plan(struct repl_attach_plan *p, const struct repl_server *s,
    const struct repl_source *src, const char *password, const char *gtid)
{
	size_t max = 2 * REPL_GTID_MAX + 8192;
	struct repl_source x = *src;
	char *sql = NULL, *shown = NULL;
	int ret = -1;

	memset(p, 0, sizeof(*p));
	if ((sql = malloc(max)) == NULL || (shown = malloc(max)) == NULL)
		goto out;
	if (step(p, repl_sql_stop_replica(s), NULL) == -1)
		goto out;
	if (gtid != NULL && (repl_sql_set_gtid_pos(sql, max, s, gtid) == -1 ||
	    step(p, sql, NULL) == -1))
		goto out;
	x.password = password != NULL ? "***" : NULL;
	if (repl_sql_attach(shown, max, s, &x) == -1)
		goto out;
	x.password = password;
	if (repl_sql_attach(sql, max, s, &x) == -1 ||
	    step(p, sql, shown) == -1 ||
	    step(p, repl_sql_start_replica(s), NULL) == -1)
		goto out;
	ret = 0;
out:
	if (sql != NULL)
		memset(sql, 0, max);
	free(sql);
	free(shown);
	if (ret == -1)
		repl_attach_plan_free(p);
	return ret;
}

/* Say sql as shown, then run it unless dry. Returns 0, or -1 with err. */
static int
run(struct repl_attach *a, struct repl_conn *c, const char *sql,
    const char *shown, struct repl_err *err)
{
	if (a->say != NULL)
		a->say(a->arg, c, shown);
	return a->dry ? 0 : repl_conn_query(c, sql, err);
}

/*
 * Point the replica c at a->co's source, as the fields of a say. Returns
 * 0 with a->done, or -1 with err: permanent for a check that refuses (and
 * then nothing changed), REPL_E_NO when a thread stopped or the source
 * refused the replica, a timeout, or a connection error.
 */
int
repl_attach_run(struct repl_attach *a, struct repl_conn *c,
    struct repl_err *err)
{
	struct repl_source src;
	struct repl_replica before, now;
	struct repl_attach_plan plan;
	char user_e[512], pw_e[2048], ca_e[1024];
	enum repl_start start = a->nogtid ? REPL_START_FILEPOS :
	    REPL_START_GTID;
	size_t i;
	int r, ret = -1;

	a->done = REPL_ATTACH_NOTHING;
	memset(&now, 0, sizeof(now));
	if ((r = repl_attach_check(c, &a->co, start, a->force, err)) == -1)
		return -1;
	if (r == 1) {
		repl_note(a->note, a->arg, REPL_NOTE_INFO, "'%s' already "
		    "replicates from '%s:%u': nothing changed", c->name,
		    a->co.host, a->co.port);
		return 0;
	}
	/*
	 * Set up for this very source but stopped: a file/position or an
	 * --at-position line would move it to the line's position and skip
	 * or repeat what came between. Start it where it is instead.
	 */
	if (r == 2 && (a->nogtid || a->at_position) && !a->force) {
		repl_note(a->note, a->arg, REPL_NOTE_INFO, "'%s' is set up "
		    "for '%s:%u' but stopped: starting it where it is "
		    "(--force repositions it)", c->name, a->co.host,
		    a->co.port);
		a->done = REPL_ATTACH_STARTED;
		if (repl_replica_status(c, &before, err) == -1 ||
		    run(a, c, repl_sql_start_replica(&c->server),
		    repl_sql_start_replica(&c->server), err) == -1)
			return -1;
		return a->dry ? 0 : repl_attach_wait(c, a->deadline,
		    (long long)before.relay_space, err);
	}
	if (start == REPL_START_GTID && repl_attach_purged(a, c, err) == -1)
		return -1;
	memset(&src, 0, sizeof(src));
	if (strlen(a->user) > 128 ||
	    (a->password != NULL && strlen(a->password) > 1000) ||
	    (a->ssl_ca != NULL && strlen(a->ssl_ca) > 500) ||
	    repl_conn_escape(c, user_e, sizeof(user_e), a->user) == -1 ||
	    (a->password != NULL && repl_conn_escape(c, pw_e, sizeof(pw_e),
	    a->password) == -1) || (a->ssl_ca != NULL &&
	    repl_conn_escape(c, ca_e, sizeof(ca_e), a->ssl_ca) == -1)) {
		repl_err_set(err, REPL_E_PERM, "replication user, password "
		    "or CA path too long");
		return -1;
	}
	strcpy(src.host, a->co.host);
	src.port = a->co.port;
	src.user = user_e;
	src.ssl_ca = a->ssl_ca != NULL ? ca_e : NULL;
	src.ssl_mode = a->ssl_mode;
	src.connect_retry = a->connect_retry;
	src.start = start;
	strcpy(src.file, a->co.file);
	src.pos = a->co.pos;
	r = repl_attach_plan(&plan, &c->server, &src,
	    a->password != NULL ? pw_e : NULL,
	    a->at_position ? a->co.gtid : NULL);
	memset(pw_e, 0, sizeof(pw_e));
	if (r == -1) {
		repl_err_set(err, REPL_E_PERM, "statement too long");
		return -1;
	}
	if (repl_replica_status(c, &before, err) == -1)
		goto out;
	a->done = REPL_ATTACH_POINTED;
	for (i = 0; i < plan.n; i++) {
		/* By file and position: the relay log's size before START. */
		if (i + 1 == plan.n && start == REPL_START_FILEPOS && !a->dry &&
		    repl_replica_status(c, &now, err) == -1)
			goto out;
		if (run(a, c, plan.sql[i], plan.shown[i], err) == -1) {
			/* Leave a replica we stopped running on its old settings. */
			if (i > 0 && repl_replica_running(&before) && !a->dry) {
				struct repl_err e2;

				repl_conn_query(c,
				    repl_sql_start_replica(&c->server), &e2);
			}
			goto out;
		}
	}
	if (!a->dry && repl_attach_wait(c, a->deadline,
	    start == REPL_START_FILEPOS ? (long long)now.relay_space : -1,
	    err) == -1)
		goto out;
	ret = 0;
out:
	repl_attach_plan_free(&plan);
	return ret;
}
