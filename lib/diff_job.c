/*
 * The servers of a run of repl-diff: a thread per server to connect, to
 * query, to read a schema and to wait; the catch-up of the replicas with
 * the source; and what the run tells its caller.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "diff_int.h"

void *
repl_diff_connect_one(void *arg)
{
	struct job *j = arg;
	struct repl_diff_server *s = &j->d->srv[j->i];

	mysql_thread_init();
	if (repl_conn_open(&j->conn, &s->addr, j->o, &s->err) == 0) {
		/*
		 * Values travel in UTF-8, TIMESTAMPs in UTC (servers in other
		 * time zones print the same instant alike); nothing is ever
		 * written.
		 */
		if (repl_conn_utf8mb4(&j->conn, &s->err) == -1 ||
		    repl_conn_query(&j->conn, "SET SESSION time_zone = "
		    "'+00:00'", &s->err) == -1 ||
		    repl_conn_query(&j->conn, "SET SESSION TRANSACTION READ "
		    "ONLY", &s->err) == -1)
			repl_conn_close(&j->conn);
		else
			s->up = 1;
	}
	mysql_thread_end();
	return NULL;
}

static void *
query_one(void *arg)
{
	struct job *j = arg;
	int64_t t0;

	if (!j->on)
		return NULL;
	mysql_thread_init();
	j->failed = 0;
	t0 = repl_now_ms();
	if (mysql_real_query(j->conn.mysql, j->sql, strlen(j->sql)) != 0 ||
	    (j->res = mysql_store_result(j->conn.mysql)) == NULL) {
		repl_conn_error(&j->conn, &j->e, "query failed on");
		j->failed = 1;
	}
	j->ms = repl_now_ms() - t0;
	mysql_thread_end();
	return NULL;
}

void *
repl_diff_schema_one(void *arg)
{
	struct job *j = arg;

	if (!j->on)
		return NULL;
	mysql_thread_init();
	j->failed = repl_diff_schema_read(&j->conn, j->t, &j->schema,
	    &j->e) == -1;
	mysql_thread_end();
	return NULL;
}

static void *
wait_one(void *arg)
{
	struct job *j = arg;

	if (!j->on)
		return NULL;
	mysql_thread_init();
	j->failed = repl_wait_applied(&j->conn, j->co, j->deadline, &j->e) ==
	    -1;
	mysql_thread_end();
	return NULL;
}

/* Server i failed in this round: remember why; lost, it is down. */
void
repl_diff_failed(struct repl_diff *d, struct job *j)
{
	struct repl_diff_server *s = &d->srv[j->i];

	if (repl_conn_lost(j->e.sqlerrno))
		j->e.kind = REPL_E_TEMP;
	if (s->err.kind == REPL_E_NONE)
		s->err = j->e;
	repl_note(d->note, d->arg, REPL_NOTE_WARN, "%s", j->e.msg);
	if (repl_conn_lost(j->e.sqlerrno)) {
		repl_conn_close(&j->conn);
		s->up = 0;
	}
}

void
repl_diff_free_results(struct job *jobs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (jobs[i].res != NULL)
			mysql_free_result(jobs[i].res);
		jobs[i].res = NULL;
		jobs[i].on = 0;
	}
}

/*
 * Run sql on the servers set in on[] at once. Returns 0 when the
 * source's query worked (a replica's failure drops it from on[]), else
 * -1. The results stay in jobs[i].res until free_results.
 */
int
repl_diff_query_all(struct ctx *x, const char *sql, char *on)
{
	struct repl_diff *d = x->d;
	size_t i;

	for (i = 0; i < d->nsrv; i++) {
		x->jobs[i].on = on[i] && d->srv[i].up;
		x->jobs[i].sql = sql;
		x->jobs[i].res = NULL;
	}
	repl_multi_each(x->jobs, d->nsrv, sizeof(*x->jobs), query_one);
	for (i = 0; i < d->nsrv; i++)
		if (x->jobs[i].on && x->jobs[i].failed) {
			repl_diff_failed(d, &x->jobs[i]);
			x->jobs[i].on = 0;
			on[i] = 0;
			x->in[i] = 0;
		}
	return x->jobs[0].on || !on[0] ? 0 : -1;
}

/*
 * Wait until the replicas set in want[] have applied the source's
 * position, each for at most the timeout. One that does not catch up is
 * said so and no longer waited for. Returns 0, or -1 when the source's
 * position cannot be read (then no replica is waited for again).
 */
int
repl_diff_sync(struct repl_diff *d, struct job *jobs, const char *want)
{
	struct repl_coord co;
	struct repl_err e;
	size_t i;
	int any = 0;

	for (i = 1; i < d->nsrv; i++)
		any |= want[i] && d->srv[i].synced && d->srv[i].up;
	if (!any)
		return 0;
	repl_err_clear(&e);
	if (repl_pos_read(&jobs[0].conn, &co, &e) == -1) {
		repl_note(d->note, d->arg, REPL_NOTE_WARN, "unable to read "
		    "the source's position, comparing without waiting for "
		    "the replicas: %s", e.msg);
		for (i = 1; i < d->nsrv; i++) {
			d->srv[i].synced = 0;
			jobs[i].has_at = 0;
		}
		if (repl_conn_lost(e.sqlerrno)) {
			d->srv[0].up = 0;
			d->srv[0].err = e;
			d->srv[0].err.kind = REPL_E_TEMP;
		}
		return -1;
	}
	for (i = 0; i < d->nsrv; i++) {
		jobs[i].on = i > 0 && want[i] && d->srv[i].synced &&
		    d->srv[i].up;
		jobs[i].co = &co;
		jobs[i].deadline = repl_now_ms() + d->timeout;
		repl_err_clear(&jobs[i].e);
	}
	repl_multi_each(jobs, d->nsrv, sizeof(*jobs), wait_one);
	for (i = 1; i < d->nsrv; i++) {
		if (!jobs[i].on)
			continue;
		jobs[i].at = co;
		jobs[i].has_at = !jobs[i].failed;
		if (!jobs[i].failed)
			continue;
		d->srv[i].synced = 0;
		if (repl_conn_lost(jobs[i].e.sqlerrno))
			repl_diff_failed(d, &jobs[i]);
		else
			repl_note(d->note, d->arg, REPL_NOTE_WARN, "not caught "
			    "up, comparing anyway: %s", jobs[i].e.msg);
	}
	for (i = 0; i < d->nsrv; i++)
		jobs[i].on = 0;
	return 0;
}

/*
 * Whether the source has logged nothing since replica r last caught up
 * with it: then both sides' checksums since were of the same data, and
 * a difference is no lag; no use waiting and looking again.
 */
int
repl_diff_quiet(struct ctx *x, size_t r)
{
	const struct repl_coord *at = &x->jobs[r].at;
	struct repl_coord co;
	struct repl_err e;

	if (!x->jobs[r].has_at || !x->d->srv[r].synced)
		return 0;
	repl_err_clear(&e);
	if (repl_pos_read(&x->jobs[0].conn, &co, &e) == -1)
		return 0;
	return strcmp(co.gtid, at->gtid) == 0 &&
	    strcmp(co.file, at->file) == 0 && co.pos == at->pos;
}

void
repl_diff_emit(struct ctx *x, size_t r, struct repl_diff_rec *rec)
{
	struct repl_diff *d = x->d;

	rec->replica = d->srv[r].operand;
	rec->tab = x->tab;
	d->ndiff++;
	d->srv[r].ndiff++;
	if (d->emit != NULL)
		d->emit(d->arg, r, rec);
}
