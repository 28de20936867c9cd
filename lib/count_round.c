/*
 * One round of repl-count: connect to every server at once, list the
 * tables, optionally wait until the other servers have applied the
 * first one's position, then count on every server at once. One thread
 * per server, each with its own connection, so that the round takes as
 * long as the slowest server, not the sum.
 */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"

struct job {
	struct repl_count *rc;
	size_t i;
	const struct repl_connopt *o;
	struct repl_conn conn;
	const struct repl_coord *co;	/* --wait: the position, or NULL */
	int64_t deadline;
};

static void
mark_down(struct repl_count *rc, size_t i)
{
	size_t t;

	rc->srv[i].up = 0;
	for (t = 0; t < rc->ntab; t++)
		if (rc->cell != NULL)
			rc->cell[t * rc->nsrv + i].state = REPL_CELL_DOWN;
}

static void *
connect_one(void *arg)
{
	struct job *j = arg;
	struct repl_count_server *s = &j->rc->srv[j->i];

	mysql_thread_init();
	if (repl_conn_open(&j->conn, &s->addr, j->o, &s->err) == 0) {
		s->up = 1;
		if (repl_conn_utf8mb4(&j->conn, &s->err) == -1) {
			repl_conn_close(&j->conn);
			s->up = 0;
		}
	}
	mysql_thread_end();
	return NULL;
}

static void *
count_one(void *arg)
{
	struct job *j = arg;
	struct repl_count *rc = j->rc;
	struct repl_count_server *s = &rc->srv[j->i];
	struct repl_cell *cell;
	struct repl_err e;
	size_t t;

	if (!s->up)
		return NULL;
	mysql_thread_init();
	if (j->co != NULL) {
		repl_err_clear(&s->wait_err);
		/* A wait that succeeds may leave word of its slow start. */
		if (j->i == 0 || repl_wait_applied(&j->conn, j->co,
		    j->deadline, &s->wait_err) == 0) {
			s->caught_up = 1;
			repl_err_clear(&s->wait_err);
		}
	}
	for (t = 0; t < rc->ntab && s->up; t++) {
		cell = &rc->cell[t * rc->nsrv + j->i];
		repl_err_clear(&e);
		if (repl_count_table(&j->conn, &rc->tab[t], rc->estimate, cell,
		    &e) == 0)
			continue;
		if (s->err.kind == REPL_E_NONE)
			s->err = e;
		if (cell->state == REPL_CELL_DOWN)
			mark_down(rc, j->i);
	}
	mysql_thread_end();
	return NULL;
}

/*
 * The tables: those of -T, and those the first server that answers
 * lists (all of its schemas but the system ones, or those of -d).
 */
static int
tables(struct repl_count *rc, struct job *jobs)
{
	struct repl_table *t;
	size_t i, k, n;
	int listed = 0;

	rc->list_from = (size_t)-1;
	if (rc->ndbs > 0 || rc->nwant == 0) {
		for (i = 0; i < rc->nsrv && !listed; i++) {
			if (!rc->srv[i].up)
				continue;
			n = rc->ntab;
			if (repl_table_list(&jobs[i].conn, rc->dbs, rc->ndbs,
			    &rc->tab, &rc->ntab, &rc->srv[i].err) == -1) {
				/* It cannot tell: close it, ask the next. */
				rc->ntab = n;
				repl_conn_close(&jobs[i].conn);
				rc->srv[i].up = 0;
				continue;
			}
			listed = 1;
			rc->list_from = i;
		}
		for (k = 0; listed && k < rc->ndbs && rc->nodb == NULL; k++) {
			for (i = 0; i < rc->ntab; i++)
				if (strcasecmp(rc->tab[i].db, rc->dbs[k]) == 0)
					break;
			if (i == rc->ntab)
				rc->nodb = rc->dbs[k];
		}
	}
	if (rc->nwant > 0) {
		if ((t = realloc(rc->tab, (rc->ntab + rc->nwant) *
		    sizeof(*t))) == NULL)
			return -1;
		rc->tab = t;
		memcpy(rc->tab + rc->ntab, rc->want, rc->nwant * sizeof(*t));
		rc->ntab += rc->nwant;
	}
	repl_table_unique(rc->tab, &rc->ntab);
	return 0;
}

/* Forget the results of the last round. */
static void
reset(struct repl_count *rc)
{
	size_t i;

	repl_count_free(rc);
	repl_err_clear(&rc->err);
	rc->nodb = NULL;
	rc->list_from = (size_t)-1;
	for (i = 0; i < rc->nsrv; i++) {
		rc->srv[i].up = 0;
		rc->srv[i].caught_up = 0;
		repl_err_clear(&rc->srv[i].err);
		repl_err_clear(&rc->srv[i].wait_err);
	}
}

/*
 * Run one round over rc's servers with the connection options o: the
 * table list, then each server's count of each table into rc->cell,
 * each server's failure into its err (its wait's into wait_err), and a
 * failure of the round itself (out of memory; with --wait, the first
 * server's position unreadable) into rc->err. Returns 0, or -1 when
 * the round could not run (out of memory: rc->err says so and rc holds
 * no table).
 */
int
repl_count_round(struct repl_count *rc, const struct repl_connopt *o)
{
	struct job *jobs;
	struct repl_coord *co = NULL;
	size_t i;
	int ret = 0;

	reset(rc);
	rc->started = time(NULL);
	if ((jobs = calloc(rc->nsrv, sizeof(*jobs))) == NULL)
		goto oom;
	for (i = 0; i < rc->nsrv; i++) {
		jobs[i].rc = rc;
		jobs[i].i = i;
		jobs[i].o = o;
	}
	repl_multi_each(jobs, rc->nsrv, sizeof(*jobs), connect_one);
	if (tables(rc, jobs) == -1 ||
	    (rc->ntab > 0 && (rc->cell = calloc(rc->ntab * rc->nsrv,
	    sizeof(*rc->cell))) == NULL))
		goto oom;
	for (i = 0; i < rc->nsrv; i++)
		if (!rc->srv[i].up)
			mark_down(rc, i);
	if (rc->wait && rc->srv[0].up) {
		if ((co = malloc(sizeof(*co))) == NULL)
			goto oom;
		if (repl_pos_read(&jobs[0].conn, co, &rc->err) == -1) {
			free(co);
			co = NULL;
		}
		for (i = 0; i < rc->nsrv; i++) {
			jobs[i].co = co;
			jobs[i].deadline = repl_now_ms() + rc->timeout;
		}
	}
	repl_multi_each(jobs, rc->nsrv, sizeof(*jobs), count_one);
	goto out;
oom:
	repl_err_set(&rc->err, REPL_E_TEMP, "out of memory");
	repl_count_free(rc);
	ret = -1;
out:
	for (i = 0; jobs != NULL && i < rc->nsrv; i++)
		repl_conn_close(&jobs[i].conn);
	free(jobs);
	free(co);
	return ret;
}

/* Free the results of the last round; rc can run another. */
void
repl_count_free(struct repl_count *rc)
{
	free(rc->tab);
	free(rc->cell);
	rc->tab = NULL;
	rc->cell = NULL;
	rc->ntab = 0;
}
