/*
 * A clone, in order: read what to copy, check the replica, take one
 * snapshot for every worker (nothing changed yet), mark the replica,
 * create the tables, copy the rows (first, with commits held, the tables
 * that have no transactions), create what comes after the rows, drop the
 * mark.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"
#include "clone_int.h"

/* Snapshots started again when the tables changed meanwhile. */
#define RETRIES 3

/* Tables without transactions first, then the biggest first. */
static const struct repl_clone_tab *sort_tab;

static int
tab_order(const void *a, const void *b)
{
	const struct repl_clone_tab *x = &sort_tab[*(const size_t *)a];
	const struct repl_clone_tab *y = &sort_tab[*(const size_t *)b];

	if (x->trans != y->trans)
		return x->trans - y->trans;
	if (x->bytes_est != y->bytes_est)
		return x->bytes_est < y->bytes_est ? 1 : -1;
	return repl_table_cmp(&x->t, &y->t);
}

/*
 * The parts of every table, in the order they are copied; *nlocked of
 * them, first, are of tables without transactions. Returns 0, or -1.
 */
static int
make_chunks(struct repl_clone *cl, struct repl_clone_chunk **out, size_t *n,
    size_t *nlocked)
{
	struct repl_clone_chunk *ch;
	size_t *order, i, k, total = 0;
	char (*bound)[24];
	unsigned int nb, j;

	*n = *nlocked = 0;
	for (i = 0; i < cl->ntab; i++)
		total += cl->tab[i].nchunk;
	order = calloc(cl->ntab + 1, sizeof(*order));
	ch = calloc(total + 1, sizeof(*ch));
	bound = calloc(64, sizeof(*bound));
	if (order == NULL || ch == NULL || bound == NULL) {
		free(order);
		free(ch);
		free(bound);
		return -1;
	}
	for (i = 0; i < cl->ntab; i++)
		order[i] = i;
	sort_tab = cl->tab;
	qsort(order, cl->ntab, sizeof(*order), tab_order);
	for (k = 0; k < cl->ntab; k++) {
		struct repl_clone_tab *t = &cl->tab[order[k]];

		if (t->ncol == 0)
			continue;
		nb = t->nchunk > 1 ? repl_clone_split(t->lo, t->hi,
		    t->key_unsigned, t->nchunk > 64 ? 64 : t->nchunk,
		    bound) : 0;
		t->nchunk = nb + 1;
		for (j = 0; j <= nb; j++) {
			struct repl_clone_chunk *c = &ch[(*n)++];

			c->tab = order[k];
			if ((c->has_lo = j > 0))
				memcpy(c->lo, bound[j - 1], sizeof(c->lo));
			if ((c->has_hi = j < nb))
				memcpy(c->hi, bound[j], sizeof(c->hi));
		}
		if (!t->trans)
			*nlocked = *n;
	}
	free(order);
	free(bound);
	*out = ch;
	return 0;
}

static int
open_workers(struct repl_clone *cl, struct clone_worker *w, size_t n,
    struct repl_err *err)
{
	struct repl_connopt o = *cl->opt;
	size_t i;

	for (i = 0; i < n; i++) {
		o.local_infile = 0;
		if (repl_conn_open(&w[i].src, &cl->src_addr, &o, err) == -1 ||
		    clone_session_src(&w[i].src, 1, err) == -1)
			return -1;
		o.local_infile = 1;
		if (repl_conn_open(&w[i].rep, &cl->rep_addr, &o, err) == -1 ||
		    clone_session_rep(&w[i].rep, 1, err) == -1)
			return -1;
	}
	return 0;
}

static void
close_workers(struct clone_worker *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		repl_conn_close(&w[i].src);
		repl_conn_close(&w[i].rep);
		free(w[i].buf);
	}
	free(w);
}

/* MySQL: let changes of table definitions go on again. */
static int
backup_unlock(struct repl_clone *cl, struct repl_conn *src,
    struct repl_err *err)
{
	if (!cl->backup_lock)
		return 0;
	cl->backup_lock = 0;
	return repl_conn_query(src, "UNLOCK INSTANCE", err);
}

/*
 * What to copy, read from the source; the replica checked against it;
 * the parts. Returns 0, or -1 with err.
 */
static int
plan(struct repl_clone *cl, struct repl_conn *src, struct repl_conn *rep,
    struct repl_clone_chunk **ch, size_t *nch, size_t *nlocked,
    struct repl_err *err)
{
	if (repl_clone_plan(src, cl, err) == -1 ||
	    clone_check_replica(cl, src, rep, err) == -1)
		return -1;
	if (make_chunks(cl, ch, nch, nlocked) == -1) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	return 0;
}

/* Put local_infile back as the replica had it. */
static int
infile_restore(struct repl_clone *cl, struct repl_conn *rep, int *on,
    struct repl_err *err)
{
	if (!*on)
		return 0;
	*on = 0;
	repl_note(cl->note, cl->arg, REPL_NOTE_INFO,
	    "'%s': local_infile OFF again", rep->name);
	return repl_conn_query(rep, "SET GLOBAL local_infile = 0", err);
}

/*
 * Clone cl->src_addr into cl->rep_addr as cl's fields ask. Returns 0 with
 * cl->co the snapshot's coordinate line (with cl->dry: the plan read,
 * nothing changed), or -1 with err; then, if anything changed on the
 * replica, the marker stays there (cl->marked).
 */
int
repl_clone_run(struct repl_clone *cl, struct repl_err *err)
{
	struct repl_conn src = { 0 }, rep = { 0 };
	struct repl_connopt o = *cl->opt;
	struct clone_worker *w = NULL;
	struct repl_clone_chunk *ch = NULL;
	struct repl_err e2;
	char host[REPL_HOST_MAX + 1];
	unsigned int port;
	char why[sizeof(err->msg)];
	size_t nw = 0, nch = 0, nlocked = 0;
	int infile_on = 0, ret = -1, try, r;

	if (cl->method == REPL_CLONE_INSTANCE)
		return clone_instance(cl, err);
	cl->started_ms = repl_now_ms();
	o.local_infile = 0;
	if (repl_conn_open(&src, &cl->src_addr, &o, err) == -1 ||
	    clone_session_src(&src, 0, err) == -1 ||
	    repl_conn_open(&rep, &cl->rep_addr, &o, err) == -1 ||
	    clone_session_rep(&rep, 0, err) == -1)
		goto out;
	if (repl_pos_read(&src, &cl->co, err) == -1 ||
	    repl_pos_address(&src, &cl->src_addr, cl->advertise, &cl->co,
	    err) == -1)
		goto out;
	strcpy(host, cl->co.host);
	port = cl->co.port;
	for (try = 1;; try++) {
		if (plan(cl, &src, &rep, &ch, &nch, &nlocked, err) == -1)
			goto out;
		if (cl->dry) {
			ret = 0;
			goto out;
		}
		nw = cl->jobs < nch ? cl->jobs : nch;
		if (nw == 0)
			nw = 1;
		if ((w = calloc(nw, sizeof(*w))) == NULL) {
			repl_err_set(err, REPL_E_TEMP, "out of memory");
			goto out;
		}
		if (open_workers(cl, w, nw, err) == -1)
			goto out;
		/*
		 * The snapshot before the first change: a lock refused
		 * changes nothing. With tables without transactions, commits
		 * stay held until those are copied.
		 */
		if (clone_snapshot(cl, &src, w, nw, nlocked > 0, err) == -1)
			goto out;
		strcpy(cl->co.host, host);
		cl->co.port = port;
		if (cl->lock != NULL)
			repl_note(cl->note, cl->arg, REPL_NOTE_INFO,
			    "'%s': %s%s", src.name, cl->lock, nlocked > 0 ?
			    ": copying the tables without transactions" : "");
		if (nlocked == 0 && clone_unlock(cl, &src, err) == -1)
			goto out;
		/*
		 * What was read before the snapshot, read again: a change
		 * of a table in between would go unseen by the copy and by
		 * replication alike. (A change after it fails the copy, or
		 * comes through replication.)
		 */
		if ((r = clone_recheck(&src, cl, why, sizeof(why), err)) ==
		    -1)
			goto out;
		if (r == 0)
			break;
		if (try == RETRIES) {
			repl_err_set(err, REPL_E_TEMP, "'%s': the tables kept "
			    "changing while the snapshot started (%d tries; "
			    "last: %s)", src.name, RETRIES, why);
			goto out;
		}
		repl_note(cl->note, cl->arg, REPL_NOTE_WARN, "'%s': %s "
		    "while the snapshot started: starting again", src.name,
		    why);
		if (clone_unlock(cl, &src, err) == -1 ||
		    backup_unlock(cl, &src, err) == -1)
			goto out;
		close_workers(w, nw);
		w = NULL;
		free(ch);
		ch = NULL;
		repl_clone_free(cl);
		cl->rows_est = cl->bytes_est = 0;
	}
	/* The first change. */
	if (cl->infile_off) {
		repl_note(cl->note, cl->arg, REPL_NOTE_WARN,
		    "'%s': local_infile is OFF: ON for the copy, "
		    "OFF again after", rep.name);
		if (repl_conn_query(&rep, "SET GLOBAL local_infile = 1", err) ==
		    -1)
			goto out;
		infile_on = 1;
	}
	if (clone_mark(cl, &rep, err) == -1 ||
	    clone_create(cl, &src, &rep, err) == -1)
		goto out;
	if ((nlocked > 0 && clone_copy(cl, w, nw, ch, nlocked, err) == -1) ||
	    clone_unlock(cl, &src, err) == -1 ||
	    clone_copy(cl, w, nw, ch + nlocked, nch - nlocked, err) == -1)
		goto out;
	if (backup_unlock(cl, &src, err) == -1)
		goto out;
	close_workers(w, nw);
	w = NULL;
	if (clone_objects(cl, &src, &rep, err) == -1 ||
	    infile_restore(cl, &rep, &infile_on, err) == -1 ||
	    clone_unmark(cl, &rep, err) == -1)
		goto out;
	if (cl->progress != NULL)
		cl->progress(cl->arg, cl, 1);
	ret = 0;
out:
	/* What this run holds or changed for the copy, given back. */
	if (src.mysql != NULL) {
		clone_unlock(cl, &src, &e2);
		backup_unlock(cl, &src, &e2);
	}
	if (rep.mysql != NULL)
		infile_restore(cl, &rep, &infile_on, &e2);
	if (w != NULL)
		close_workers(w, nw);
	free(ch);
	repl_conn_close(&src);
	repl_conn_close(&rep);
	return ret;
}

void
repl_clone_free(struct repl_clone *cl)
{
	size_t i;

	for (i = 0; i < cl->ntab; i++) {
		free(cl->tab[i].col);
		free(cl->tab[i].create);
	}
	free(cl->tab);
	free(cl->obj);
	for (i = 0; i < cl->nschemas; i++)
		free(cl->schemas[i]);
	free(cl->schemas);
	for (i = 0; i < cl->ndrop; i++)
		free(cl->drop[i]);
	free(cl->drop);
	cl->tab = NULL;
	cl->obj = NULL;
	cl->schemas = cl->drop = NULL;
	cl->ntab = cl->nobj = cl->nschemas = cl->ndrop = 0;
}
