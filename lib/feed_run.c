/*
 * repl-feed's writers: a thread and a connection each, taking batches in
 * turn until the rows or the time are used up, keeping to the rate
 * together, reconnecting after a lost connection and looking up each
 * batch whose commit went unanswered; the lines of their commits go to
 * the caller in binary log order (repl_feed_order).
 */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "replkit.h"

/*
 * What the writers of a run share, beside the caller's f: read and
 * written under mu, as f's outcome (its counts and err) is.
 */
struct run {
	struct repl_feed *f;
	pthread_mutex_t mu;
	int64_t t0;
	unsigned long long claimed;	/* rows handed to the writers */
	unsigned long long batches;	/* batches handed out */
	int stop;			/* a writer failed: f->err says why */
	struct repl_feed_order order;
	struct repl_coord *last;	/* interval: held back, not yet out */
	int64_t next_print;
};

/* One writer: a thread, its connection and its batch. */
struct writer {
	struct repl_feed *f;
	struct run *run;
	size_t id;
	pthread_t tid;
	struct repl_connopt o;		/* its own connect timeout */
	struct repl_conn c;
	int open, track;
	int create;			/* create the table as connected */
	struct repl_feed_bulk bulk;	/* .stmt NULL: text INSERTs */
	struct repl_coord base;
	int64_t start;			/* the server's start, as connected */
	unsigned long thread;		/* the connection's id on the server */
	uint64_t seed;
	char *payload, *sql;
	size_t cap;
	struct repl_err err;
};

static pthread_mutex_t say_mu = PTHREAD_MUTEX_INITIALIZER;

/*
 * A remark for the caller (repl_note's callback, arg the feed), one at a
 * time whichever writer speaks.
 */
static void
say(void *arg, enum repl_note level, const char *msg)
{
	struct repl_feed *f = arg;

	(void)level;
	pthread_mutex_lock(&say_mu);
	f->note(msg);
	pthread_mutex_unlock(&say_mu);
}

/* Close the connection and its statement. */
static void
hang_up(struct writer *w)
{
	repl_feed_bulk_close(&w->bulk);
	repl_conn_close(&w->c);
	w->open = 0;
}

/*
 * One attempt at (re)connecting and preparing the session; the table is
 * created on the first writer's first connection. Returns 0, or -1 with
 * err (hung up).
 */
static int
connect_once(void *arg, struct repl_connopt *o, struct repl_err *err)
{
	struct writer *w = arg;
	struct repl_feed *f = w->f;
	char sql[4 * REPL_NAME_MAX + 256];

	if (repl_conn_open(&w->c, &f->addr, o, err) == -1)
		return -1;
	if (repl_feed_session(&w->c, &w->base, &w->track, err) == 0 &&
	    repl_feed_server_start(&w->c, &w->start, err) == 0 &&
	    (!w->create ||
	    (repl_feed_sql_create_db(sql, sizeof(sql), &f->table) != -1 &&
	    repl_conn_query(&w->c, sql, err) == 0 &&
	    repl_feed_sql_create_table(sql, sizeof(sql), &f->table,
	    f->size) != -1 && repl_conn_query(&w->c, sql, err) == 0)) &&
	    repl_feed_bulk_open(&w->bulk, &w->c, &f->table, f->batch, f->size,
	    err) != -1) {
		w->open = 1;
		return 0;
	}
	hang_up(w);
	return -1;
}

/*
 * (Re)connect and prepare the session, trying again after temporary
 * failures until deadline. Returns 0, or -1 with w->err (the last
 * attempt's).
 */
static int
connect_until(struct writer *w, int64_t deadline, int create)
{
	struct repl_feed *f = w->f;
	struct repl_retry r = { deadline, f->o->connect_timeout, 0,
	    connect_once, NULL, w };

	w->create = create;
	if (repl_retry_run(&r, &w->o, &w->err) == -1)
		return -1;
	w->thread = mysql_thread_id(w->c.mysql);
	if (f->addr.socket[0] == '\0') {
		strcpy(w->base.host, f->addr.host);
		w->base.port = f->addr.port;
	}
	return 0;
}

/*
 * After a lost connection: say so, and connect again until deadline or,
 * when within is set, until the run's time is up if that comes first.
 * Returns 0, 1 when the run's time is up (only when within), or -1 with
 * w->err.
 */
static int
reconnect(struct writer *w, const struct repl_err *why, int64_t deadline,
    int within)
{
	struct repl_feed *f = w->f;
	int64_t t0 = repl_now_ms();

	repl_note(say, f, REPL_NOTE_WARN, "%s; reconnecting", why->msg);
	hang_up(w);
	if (within && f->end >= 0 && f->end < deadline)
		deadline = f->end;
	if (connect_until(w, deadline, 0) == -1) {
		if (within && f->end >= 0 && repl_now_ms() >= f->end &&
		    w->err.kind == REPL_E_TEMP)
			return 1;
		return -1;
	}
	repl_note(say, f, REPL_NOTE_WARN, "reconnected to '%s' after %.1f s",
	    w->c.name, (double)(repl_now_ms() - t0) / 1000);
	return 0;
}

/* Hand a line to the caller, and free it. */
static void
print_line(struct repl_feed *f, struct repl_coord *co)
{
	f->line(co);
	free(co);
}

/* Print the lines that can go now, or with -i the last of them (under mu). */
static void
release(struct run *r)
{
	struct repl_feed *f = r->f;
	struct repl_coord *co;
	int64_t now;

	while ((co = repl_feed_order_next(&r->order)) != NULL) {
		if (f->interval == 0) {
			print_line(f, co);
			continue;
		}
		free(r->last);
		r->last = co;
		if ((now = repl_now_ms()) >= r->next_print) {
			print_line(f, r->last);
			r->last = NULL;
			r->next_print = now + f->interval;
		}
	}
}

/* Stop every writer after its batch, keeping the first reason (under mu). */
static void
fail(struct run *r, const struct repl_err *why)
{
	if (!r->stop)
		r->f->err = *why;
	r->stop = 1;
}

/*
 * The next batch for a writer: its rows (0: none left), its number, and
 * when to send it so that the writers together keep to -r.
 */
static unsigned int
claim(struct run *r, unsigned long long *no, int64_t *at)
{
	struct repl_feed *f = r->f;
	unsigned int rows = 0;

	pthread_mutex_lock(&r->mu);
	*at = 0;
	if (!r->stop && (f->end >= 0 ? repl_now_ms() < f->end :
	    r->claimed < f->rows)) {
		rows = f->batch;
		if (f->end < 0 && f->rows - r->claimed < rows)
			rows = (unsigned int)(f->rows - r->claimed);
		if (f->rate > 0)
			*at = r->t0 + (int64_t)((double)r->claimed * 1000 /
			    f->rate);
		r->claimed += rows;
		*no = ++r->batches;
	}
	pthread_mutex_unlock(&r->mu);
	return rows;
}

/* Sleep until at, or less when the run stops first. Returns 0, or 1 to stop. */
static int
pace(struct run *r, int64_t at)
{
	int64_t now, step;
	int stop;

	for (;;) {
		now = repl_now_ms();
		pthread_mutex_lock(&r->mu);
		stop = r->stop;
		pthread_mutex_unlock(&r->mu);
		if (stop || (r->f->end >= 0 && now >= r->f->end))
			return 1;
		if (now >= at)
			return 0;
		step = at - now < 100 ? at - now : 100;
		repl_sleep_ms(step);
	}
}

/* Count a batch as committed, or as unknown (under mu). */
static void
count(struct repl_feed *f, unsigned int rows, int known)
{
	if (known) {
		f->committed += rows;
		f->txns++;
	} else {
		f->unknown_rows += rows;
		f->unknown_txns++;
	}
}

/* Say that the commit of batch no is unknown, and count it. */
static void
unknown(struct writer *w, unsigned long long no, unsigned int rows,
    const char *why)
{
	repl_note(say, w->f, REPL_NOTE_WARN, "commit of batch %llu (%u rows) "
	    "unknown: the connection broke before the server answered%s", no,
	    rows, why);
	pthread_mutex_lock(&w->run->mu);
	count(w->f, rows, 0);
	pthread_mutex_unlock(&w->run->mu);
}

/*
 * After the connection broke while batch no was on its way: reconnect and
 * find out whether it committed, trying for the --reconnect time even
 * past the -d duration: a batch whose commit is unknown is not done
 * with, and the server that comes back must be asked. Returns 1
 * committed (counted), 0 not (send it again), 3 not and the run's time
 * is up, 2 unknown because payloads this short cannot be looked up
 * (counted, said), or -1 with w->err
 * (temporary when the time ran out), the batch counted and said as
 * unknown.
 */
static int
resolve(struct writer *w, unsigned long long no, unsigned int rows,
    struct repl_err *why)
{
	struct repl_feed *f = w->f;
	char *mark;
	unsigned long old = w->thread;
	int64_t start = w->start, deadline = repl_now_ms() + f->reconnect;
	int r;

	if (f->size < REPL_FEED_MARK_MIN) {
		unknown(w, no, rows, " (payloads under 16 bytes cannot be "
		    "looked up)");
		return reconnect(w, why, deadline, 1) == -1 ? -1 : 2;
	}
	/* The whole first payload of the batch: its mark. */
	if ((mark = malloc(f->size + 1)) == NULL) {
		repl_err_set(&w->err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	memcpy(mark, w->payload, f->size);
	mark[f->size] = '\0';
	for (;;) {
		if (reconnect(w, why, deadline, 0) == 0 &&
		    (r = repl_feed_check(&w->c, &f->table, mark, old, start,
		    deadline, &w->err)) != -1)
			break;
		if (w->err.kind == REPL_E_PERM || repl_now_ms() >= deadline) {
			free(mark);
			if (w->err.kind == REPL_E_PERM) {
				unknown(w, no, rows, "");
				return -1;
			}
			unknown(w, no, rows, "; not found out within the "
			    "--reconnect time");
			w->err.kind = REPL_E_TEMP;
			return -1;
		}
		why = &w->err;
	}
	free(mark);
	if (r == 0 && f->end >= 0 && repl_now_ms() >= f->end)
		r = 3;
	repl_note(say, f, REPL_NOTE_WARN, "batch %llu (%u rows): the "
	    "connection broke before the commit was answered; %s", no, rows,
	    r == 1 ? "found committed" : r == 0 ? "not committed, sending it "
	    "again" : "not committed, and the time is up");
	if (r == 1) {
		pthread_mutex_lock(&w->run->mu);
		count(f, rows, 1);
		pthread_mutex_unlock(&w->run->mu);
	}
	return r;
}

/*
 * Write batch no of rows rows until it is committed or known to be
 * unknown. Returns 0, 1 when the run's time is up, or -1 with w->err.
 */
static int
batch(struct writer *w, unsigned long long no, unsigned int rows)
{
	struct repl_feed *f = w->f;
	struct repl_coord *co;
	struct repl_err e;
	int len = -1, r, ok;

	repl_feed_payload(w->payload, (size_t)rows * f->size, &w->seed);
	for (;;) {
		if (w->bulk.stmt == NULL && len == -1 && (len =
		    repl_feed_sql_insert(w->sql, w->cap, &f->table, rows,
		    f->size, w->payload)) == -1) {
			repl_err_set(&w->err, REPL_E_PERM, "statement too "
			    "long");
			return -1;
		}
		if ((co = malloc(sizeof(*co))) == NULL) {
			repl_err_set(&w->err, REPL_E_TEMP, "out of memory");
			return -1;
		}
		*co = w->base;
		repl_err_clear(&e);
		pthread_mutex_lock(&w->run->mu);
		repl_feed_order_send(&w->run->order, w->id);
		pthread_mutex_unlock(&w->run->mu);
		r = w->bulk.stmt != NULL ? repl_feed_bulk_commit(&w->bulk,
		    &w->c, w->payload, rows, w->track, co, &e) :
		    repl_feed_commit(&w->c, w->sql, (size_t)len, w->track, co,
		    &e);
		pthread_mutex_lock(&w->run->mu);
		if (r == REPL_FEED_COMMITTED || r == REPL_FEED_NOPOS)
			count(f, rows, 1);
		ok = repl_feed_order_done(&w->run->order, w->id,
		    r == REPL_FEED_COMMITTED ? co : NULL) == 0;
		if (r != REPL_FEED_COMMITTED)
			free(co);
		release(w->run);
		pthread_mutex_unlock(&w->run->mu);
		if (!ok) {
			repl_err_set(&w->err, REPL_E_TEMP, "out of memory");
			return -1;
		}
		switch (r) {
		case REPL_FEED_COMMITTED:
			return 0;
		case REPL_FEED_FAILED:
			/* Deadlocks and lock waits: rolled back; again. */
			if (e.kind == REPL_E_TEMP && e.sqlerrno < 2000) {
				if (f->end >= 0 && repl_now_ms() >= f->end)
					return 1;
				continue;
			}
			w->err = e;
			return -1;
		case REPL_FEED_NOPOS:
			if (e.kind == REPL_E_PERM) {
				w->err = e;
				return -1;
			}
			repl_note(say, f, REPL_NOTE_WARN, "batch %llu "
			    "committed, its position unknown", no);
			return reconnect(w, &e, repl_now_ms() + f->reconnect,
			    1);
		default:
			if ((r = resolve(w, no, rows, &e)) == 0)
				continue;
			return r == -1 ? -1 : r == 3 || !w->open ? 1 : 0;
		}
	}
}

static void *
writer_run(void *arg)
{
	struct writer *w = arg;
	struct run *run = w->run;
	unsigned long long no;
	unsigned int rows;
	int64_t at;
	int r = 0;

	mysql_thread_init();
	while (r == 0 && (rows = claim(run, &no, &at)) > 0) {
		if (at > 0 && pace(run, at) == 1)
			break;
		r = batch(w, no, rows);
	}
	if (r == -1) {
		pthread_mutex_lock(&run->mu);
		fail(run, &w->err);
		pthread_mutex_unlock(&run->mu);
	}
	mysql_thread_end();
	return NULL;
}

/*
 * Run the feed f describes: f->conns writers, connected one after
 * another (the first creates the table), then writing at once. Lines go
 * to f->line and messages to f->note, one call at a time; the counts
 * are in f when it returns. Returns 0, or -1 with f->err.
 */
int
repl_feed_run(struct repl_feed *f)
{
	struct run run;
	struct writer *w;
	pthread_attr_t attr;
	size_t i, n = f->conns, started = 0;
	int64_t deadline = repl_now_ms() + f->reconnect;
	int rc = -1, attr_ok;

	memset(&run, 0, sizeof(run));
	run.f = f;
	if ((w = calloc(n, sizeof(*w))) == NULL ||
	    repl_feed_order_init(&run.order, n) == -1) {
		free(w);
		repl_err_set(&f->err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	pthread_mutex_init(&run.mu, NULL);
	for (i = 0; i < n; i++) {
		w[i].f = f;
		w[i].run = &run;
		w[i].id = i;
		w[i].o = *f->o;
		w[i].seed = repl_feed_seed(i);
		w[i].cap = repl_feed_sql_insert_size(f->batch, f->size);
		w[i].payload = malloc((size_t)f->batch * f->size);
		w[i].sql = malloc(w[i].cap);
		if (w[i].payload == NULL || w[i].sql == NULL) {
			repl_err_set(&f->err, REPL_E_TEMP, "out of memory");
			goto out;
		}
		if (connect_until(&w[i], deadline, i == 0) == -1) {
			f->err = w[i].err;
			goto out;
		}
	}
	/* musl gives threads 128 KB; TLS handshakes need more. */
	if ((attr_ok = pthread_attr_init(&attr) == 0))
		pthread_attr_setstacksize(&attr, 1024 * 1024);
	run.t0 = repl_now_ms();
	for (i = 0; i < n; i++) {
		if (pthread_create(&w[i].tid, attr_ok ? &attr : NULL, writer_run,
		    &w[i]) != 0) {
			pthread_mutex_lock(&run.mu);
			repl_err_set(&w[i].err, REPL_E_TEMP, "unable to start "
			    "a writer thread");
			fail(&run, &w[i].err);
			pthread_mutex_unlock(&run.mu);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	if (attr_ok)
		pthread_attr_destroy(&attr);
	/* Every writer is idle: whatever is held goes out now. */
	release(&run);
	if (run.last != NULL) {
		print_line(f, run.last);
		run.last = NULL;
	}
	rc = run.stop ? -1 : 0;
out:
	for (i = 0; i < n; i++) {
		hang_up(&w[i]);
		free(w[i].payload);
		free(w[i].sql);
	}
	free(w);
	repl_feed_order_free(&run.order);
	pthread_mutex_destroy(&run.mu);
	return rc;
}
