/*
 * The rows of a clone: workers, each with a connection to the source (in
 * the shared snapshot) and one to the replica, take the parts of the
 * tables one at a time and stream each from the source's result into a
 * LOAD DATA LOCAL on the replica, through libmariadb's local-infile
 * handler: no file, and memory of one row per worker whatever the size.
 */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>

#include "replkit.h"
#include "clone_int.h"

#define STACK_SIZE (1024 * 1024)
#define PROGRESS_ROWS 4096	/* rows between updates of the counters */

struct pool {
	struct repl_clone *cl;
	struct clone_worker *w;
	size_t nw;
	const struct repl_clone_chunk *ch;
	size_t nch, next;
	unsigned int *left;		/* parts of each table not done */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t running;
	atomic_int stop;
	int failed;
	struct repl_err err;
};

static void
count(struct pool *p, struct clone_worker *w)
{
	pthread_mutex_lock(&p->mu);
	p->cl->rows += w->rows - w->rows_told;
	p->cl->bytes += w->bytes - w->bytes_told;
	pthread_mutex_unlock(&p->mu);
	w->rows_told = w->rows;
	w->bytes_told = w->bytes;
}

/* Encode the source's next row into w's buffer; at the end, set eof. */
static int
next_row(struct clone_worker *w)
{
	MYSQL_ROW row;
	unsigned long *len;
	size_t need = 1, i;
	char *b;

	if ((row = mysql_fetch_row(w->res)) == NULL) {
		if (mysql_errno(w->src.mysql) != 0) {
			repl_conn_error(&w->src, &w->src_err,
			    "lost the rows of the source");
			return -1;
		}
		w->eof = 1;
		return 0;
	}
	len = mysql_fetch_lengths(w->res);
	for (i = 0; i < w->nf; i++)
		need += row[i] == NULL ? 3 : 2 * len[i] + 1;
	if (need > w->cap) {
		size_t cap = need < 65536 ? 65536 : need;

		if ((b = realloc(w->buf, cap)) == NULL) {
			repl_err_set(&w->src_err, REPL_E_TEMP, "out of memory");
			return -1;
		}
		w->buf = b;
		w->cap = cap;
	}
	b = w->buf;
	for (i = 0; i < w->nf; i++) {
		if (i > 0)
			*b++ = '\t';
		if (row[i] == NULL) {
			*b++ = '\\';
			*b++ = 'N';
		} else
			b += repl_clone_escape(b, row[i], len[i]);
		w->bytes += len[i];
	}
	*b++ = '\n';
	w->off = 0;
	w->len = (size_t)(b - w->buf);
	if (++w->rows % PROGRESS_ROWS == 0)
		count(w->pool, w);
	return 0;
}

static int
infile_init(void **ptr, const char *file, void *arg)
{
	(void)file;	/* whatever the server asks for, it gets our rows */
	*ptr = arg;
	return 0;
}

static int
infile_read(void *ptr, char *buf, unsigned int n)
{
	struct clone_worker *w = ptr;
	size_t got = 0, k;

	while (got < n) {
		if (w->off == w->len) {
			if (w->eof)
				break;
			if (atomic_load(&w->pool->stop)) {
				repl_err_set(&w->src_err, REPL_E_TEMP,
				    "stopped: another part failed");
				return -1;
			}
			if (next_row(w) == -1)
				return -1;
			continue;
		}
		k = w->len - w->off < n - got ? w->len - w->off : n - got;
		memcpy(buf + got, w->buf + w->off, k);
		w->off += k;
		got += k;
	}
	return (int)got;
}

static void
infile_end(void *ptr)
{
	(void)ptr;
}

static int
infile_error(void *ptr, char *msg, unsigned int n)
{
	struct clone_worker *w = ptr;

	snprintf(msg, n, "%s", w->src_err.msg);
	return CR_UNKNOWN_ERROR;
}

/* The first warning of the load just run, as a permanent error. */
static int
warning(struct clone_worker *w, const struct repl_clone_tab *t,
    struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	repl_err_set(err, REPL_E_PERM, "'%s': loading `%s`.`%s` gave %u "
	    "warning(s): the values would not be copied exactly", w->rep.name,
	    t->t.db, t->t.name, mysql_warning_count(w->rep.mysql));
	if (mysql_query(w->rep.mysql, "SHOW WARNINGS LIMIT 1") == 0 &&
	    (res = mysql_store_result(w->rep.mysql)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL &&
		    mysql_num_fields(res) >= 3 && row[2] != NULL)
			repl_err_set(err, REPL_E_PERM, "'%s': loading "
			    "`%s`.`%s` gave a warning: %s %s: %.300s: the "
			    "values would not be copied exactly", w->rep.name,
			    t->t.db, t->t.name, row[0] != NULL ? row[0] : "",
			    row[1] != NULL ? row[1] : "", row[2]);
		mysql_free_result(res);
	}
	return -1;
}

/*
 * Drop the source's link while w->res, an unbuffered result, may still
 * have rows in flight: the result is parted from its link first (freeing
 * it would otherwise read every row left, to the end of the part), then
 * freed, then the link closed, which makes the source stop sending.
 */
static void
src_cut(struct clone_worker *w)
{
	MYSQL_RES *res = w->res;

	res->handle = NULL;
	mysql_free_result(res);
	w->res = NULL;
	repl_conn_close(&w->src);
}

/* Copy the part ch: one SELECT, one LOAD DATA, one commit. */
static int
copy_chunk(struct clone_worker *w, const struct repl_clone_chunk *ch,
    struct repl_err *err)
{
	const struct repl_clone_tab *t = &w->pool->cl->tab[ch->tab];
	struct repl_sb sel = { 0 }, load = { 0 };
	my_ulonglong affected;
	int ret = -1;

	if (repl_clone_select_sql(&sel, t, ch) == -1 ||
	    repl_clone_load_sql(&load, t) == -1) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	if (mysql_real_query(w->src.mysql, sel.s, sel.len) != 0 ||
	    (w->res = mysql_use_result(w->src.mysql)) == NULL) {
		repl_conn_error(&w->src, err, "unable to read the rows of");
		goto out;
	}
	w->nf = mysql_num_fields(w->res);
	w->eof = 0;
	w->off = w->len = 0;
	w->rows_chunk = w->rows;
	repl_err_clear(&w->src_err);
	mysql_set_local_infile_handler(w->rep.mysql, infile_init, infile_read,
	    infile_end, infile_error, w);
	if (mysql_real_query(w->rep.mysql, load.s, load.len) != 0) {
		/* The source's failure, if it came first, is the cause. */
		if (w->src_err.kind != REPL_E_NONE)
			*err = w->src_err;
		else
			repl_conn_error(&w->rep, err, "unable to load rows on");
		/* The replica's half-read reply: no more use for the link. */
		repl_conn_close(&w->rep);
		goto out;
	}
	affected = mysql_affected_rows(w->rep.mysql);
	if (mysql_warning_count(w->rep.mysql) != 0) {
		warning(w, t, err);
		goto out;
	}
	if (affected != w->rows - w->rows_chunk) {
		repl_err_set(err, REPL_E_PERM, "'%s': `%s`.`%s` took %llu of "
		    "the %llu rows sent", w->rep.name, t->t.db, t->t.name,
		    (unsigned long long)affected, w->rows - w->rows_chunk);
		goto out;
	}
	if (repl_conn_query(&w->rep, "COMMIT", err) == -1)
		goto out;
	count(w->pool, w);
	ret = 0;
out:
	if (w->res != NULL && ret == -1)
		src_cut(w);
	else if (w->res != NULL)
		mysql_free_result(w->res);
	w->res = NULL;
	repl_sb_free(&sel);
	repl_sb_free(&load);
	return ret;
}

static void *
work(void *arg)
{
	struct clone_worker *w = arg;
	struct pool *p = w->pool;
	const struct repl_clone_chunk *ch;
	struct repl_err err;

	repl_err_clear(&err);
	for (;;) {
		pthread_mutex_lock(&p->mu);
		ch = p->next < p->nch && !atomic_load(&p->stop) ?
		    &p->ch[p->next++] : NULL;
		pthread_mutex_unlock(&p->mu);
		if (ch == NULL)
			break;
		if (copy_chunk(w, ch, &err) == -1) {
			pthread_mutex_lock(&p->mu);
			if (!p->failed)
				p->err = err;
			p->failed = 1;
			atomic_store(&p->stop, 1);
			pthread_mutex_unlock(&p->mu);
			break;
		}
		pthread_mutex_lock(&p->mu);
		if (--p->left[ch->tab] == 0)
			p->cl->tabs_done++;
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_lock(&p->mu);
	p->running--;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/*
 * Copy the nch parts ch with the nw workers w, whose connections are open
 * (the source's in the snapshot), calling cl->progress about once a
 * second. Returns 0, or -1 with err: the first failure; the other workers
 * stop at their next row.
 */
int
clone_copy(struct repl_clone *cl, struct clone_worker *w, size_t nw,
    const struct repl_clone_chunk *ch, size_t nch, struct repl_err *err)
{
	struct pool p;
	pthread_attr_t attr;
	pthread_t *tid;
	char *started;
	size_t i;
	int attr_ok;

	memset(&p, 0, sizeof(p));
	p.cl = cl;
	p.w = w;
	p.nw = nw;
	p.ch = ch;
	p.nch = nch;
	atomic_init(&p.stop, 0);
	tid = calloc(nw, sizeof(*tid));
	started = calloc(nw, 1);
	p.left = calloc(cl->ntab + 1, sizeof(*p.left));
	if (tid == NULL || started == NULL || p.left == NULL) {
		free(tid);
		free(started);
		free(p.left);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	for (i = 0; i < nch; i++)
		p.left[ch[i].tab]++;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	attr_ok = pthread_attr_init(&attr) == 0;
	if (attr_ok)
		pthread_attr_setstacksize(&attr, STACK_SIZE);
	for (i = 0; i < nw; i++) {
		w[i].pool = &p;
		pthread_mutex_lock(&p.mu);
		p.running++;
		pthread_mutex_unlock(&p.mu);
		started[i] = pthread_create(&tid[i], attr_ok ? &attr : NULL,
		    work, &w[i]) == 0;
		if (!started[i]) {
			pthread_mutex_lock(&p.mu);
			p.running--;
			pthread_mutex_unlock(&p.mu);
		}
	}
	pthread_mutex_lock(&p.mu);
	if (p.running == 0) {
		/* Not one thread: do the work here. */
		pthread_mutex_unlock(&p.mu);
		p.running = 1;
		work(&w[0]);
		pthread_mutex_lock(&p.mu);
	}
	while (p.running > 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&p.cv, &p.mu, &ts);
		if (cl->progress != NULL && p.running > 0)
			cl->progress(cl->arg, cl, 0);
	}
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < nw; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
	if (attr_ok)
		pthread_attr_destroy(&attr);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(tid);
	free(started);
	free(p.left);
	if (p.failed) {
		*err = p.err;
		return -1;
	}
	return 0;
}
