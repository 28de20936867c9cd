/*
 * Narrowing a range that differs down to its rows: parts checksummed, a
 * listing of keys and hashes on both sides, a second look after the
 * replica caught up, and the whole rows of what stays different.
 */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

#define FETCH_BATCH 100			/* rows fetched per statement */
#define LEAF_ROWS 2000			/* rows listed, not split */
#define FANOUT 16			/* parts of a range split */

/*
 * List key and hashes of the range (lo, hi] on the source and replica r
 * at once, and find the rows that differ, in key order; with tail, only
 * the rows the replica has and the source has not. Returns 0, or -1
 * (the source failed, or out of memory).
 */
static int
list_diff(struct ctx *x, size_t r, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, int tail, struct found **f, size_t *nf)
{
	const struct repl_diff_tab *t = x->tab;
	struct repl_sb sql = { 0 };
	struct item *a = NULL, *b = NULL;
	unsigned long *la = NULL, *lb = NULL;
	size_t na = 0, nb = 0;
	char *on;
	int ret = -1;

	*f = NULL;
	*nf = 0;
	if ((on = calloc(x->d->nsrv, 1)) == NULL)
		return -1;
	on[0] = on[r] = 1;
	repl_sb_str(&sql, "SELECT ");
	repl_sb_str(&sql, x->cols.s);
	repl_sb_str(&sql, ", ");
	repl_diff_sql_hashes(&sql, t, 0);
	repl_sb_str(&sql, x->from.s);
	repl_sb_str(&sql, " WHERE ");
	repl_diff_sql_range(&sql, t, lo, hi);
	if (sql.oom || repl_diff_query_all(x, sql.s, on) == -1)
		goto out;
	if (!on[r]) {
		ret = 0;
		goto out;
	}
	if ((a = repl_diff_items(t, x->jobs[0].res, &na, &la)) == NULL ||
	    (b = repl_diff_items(t, x->jobs[r].res, &nb, &lb)) == NULL)
		goto out;
	if (repl_diff_merge(t, a, na, b, nb, tail, f, nf) == -1)
		goto out;
	ret = 0;
out:
	if (ret == -1 && sql.oom)
		repl_err_set(&x->d->err, REPL_E_TEMP, "out of memory");
	free(a);
	free(b);
	free(la);
	free(lb);
	repl_diff_free_results(x->jobs, x->d->nsrv);
	repl_sb_free(&sql);
	free(on);
	return ret;
}

/* Keep in f only what g (a later look) also found. */
static void
intersect(const struct repl_diff_tab *t, struct found *f, size_t nf,
    const struct found *g, size_t ng)
{
	size_t i, j;

	for (i = 0; i < nf; i++) {
		for (j = 0; j < ng; j++)
			if (g[j].what == f[i].what &&
			    repl_diff_row_cmp(t, &f[i].key, &g[j].key) == 0)
				break;
		if (j == ng)
			f[i].gone = 1;
	}
}

/* Fetch the whole rows of the differences from server s (0 or r). */
static int
fetch(struct ctx *x, size_t s, struct found *f, size_t nf)
{
	const struct repl_diff_tab *t = x->tab;
	struct repl_sb sql = { 0 };
	struct repl_diff_row tmp = { 0 }, *dst;
	MYSQL_ROW row;
	unsigned long *l;
	size_t i, k, n, start;
	char *on;
	int ret = -1, src = s == 0;

	if ((on = calloc(x->d->nsrv, 1)) == NULL)
		return -1;
	for (start = 0; start < nf; start = i) {
		repl_sb_free(&sql);
		repl_sb_str(&sql, "SELECT ");
		for (k = 0; k < t->ncol; k++) {
			repl_sb_str(&sql, k > 0 ? ", " : "");
			repl_diff_sql_ident(&sql, t->col[k].name);
		}
		repl_sb_str(&sql, x->from.s);
		repl_sb_str(&sql, " WHERE ");
		for (i = start, n = 0; i < nf && n < FETCH_BATCH; i++) {
			if (f[i].gone || f[i].what == (src ?
			    REPL_DIFF_ROW_EXTRA : REPL_DIFF_ROW_MISSING))
				continue;
			repl_sb_str(&sql, n++ > 0 ? " OR " : "");
			repl_diff_sql_keyeq(&sql, t, &f[i].key);
		}
		if (n == 0)
			continue;
		memset(on, 0, x->d->nsrv);
		on[s] = 1;
		if (sql.oom || repl_diff_query_all(x, sql.s, on) == -1 ||
		    !on[s])
			goto out;
		while ((row = mysql_fetch_row(x->jobs[s].res)) != NULL) {
			l = mysql_fetch_lengths(x->jobs[s].res);
			tmp.val = row;
			tmp.len = l;
			for (k = start; k < i; k++)
				if (repl_diff_row_cmp(t, &tmp, &f[k].key) == 0)
					break;
			if (k == i)
				continue;
			dst = src ? &f[k].src : &f[k].rep;
			if (dst->val == NULL &&
			    repl_diff_row_alloc(dst, t->ncol) == -1)
				goto out;
			for (n = 0; n < t->ncol; n++)
				if (repl_diff_val_set(dst, n, row[n], l[n]) ==
				    -1)
					goto out;
		}
		repl_diff_free_results(x->jobs, x->d->nsrv);
	}
	ret = 0;
out:
	repl_diff_free_results(x->jobs, x->d->nsrv);
	repl_sb_free(&sql);
	free(on);
	return ret;
}

/*
 * The rows of (lo, hi] that differ on replica r: list, and if anything
 * differs, look again once r has applied the source's position; fetch
 * the rows that stay different and report them.
 */
int
repl_diff_narrow(struct ctx *x, size_t r, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, int tail)
{
	const struct repl_diff_tab *t = x->tab;
	struct repl_diff_rec rec;
	struct found *f = NULL, *g = NULL;
	size_t nf = 0, ng = 0, i, c;
	char *want;
	int ret = -1;

	if ((want = calloc(x->d->nsrv, 1)) == NULL)
		return -1;
	want[r] = 1;
	if (list_diff(x, r, lo, hi, tail, &f, &nf) == -1)
		goto out;
	if (nf > 0 && x->d->srv[r].synced && !repl_diff_quiet(x, r)) {
		x->d->rechecks++;
		if (repl_diff_sync(x->d, x->jobs, want) == 0 &&
		    x->d->srv[r].synced) {
			if (list_diff(x, r, lo, hi, tail, &g, &ng) == -1)
				goto out;
			intersect(t, f, nf, g, ng);
		}
	}
	if (!x->in[r] || fetch(x, 0, f, nf) == -1 || !x->in[r] ||
	    fetch(x, r, f, nf) == -1)
		goto out;
	for (i = 0; i < nf; i++) {
		if (f[i].gone)
			continue;
		memset(&rec, 0, sizeof(rec));
		rec.what = f[i].what;
		switch (f[i].what) {
		case REPL_DIFF_ROW_MISSING:
			if (f[i].src.val == NULL)
				continue;
			rec.src = &f[i].src;
			break;
		case REPL_DIFF_ROW_EXTRA:
			if (f[i].rep.val == NULL)
				continue;
			rec.rep = &f[i].rep;
			break;
		default:
			if (f[i].src.val == NULL || f[i].rep.val == NULL)
				continue;
			rec.src = &f[i].src;
			rec.rep = &f[i].rep;
			for (c = 0; c < t->ncol; c++)
				if (!repl_diff_same(t, c, rec.src, rec.rep))
					break;
			if (c == t->ncol)
				continue;
			break;
		}
		repl_diff_emit(x, r, &rec);
	}
	ret = 0;
out:
	repl_diff_found_free(f, nf, t->ncol);
	repl_diff_found_free(g, ng, t->ncol);
	free(want);
	return ret;
}

/*
 * The rows of (lo, hi], rows on the source, that differ on replica r.
 * A range of more than LEAF_ROWS rows is cut into FANOUT parts, each
 * checksummed on both, and only the parts that differ are looked at
 * closer, down to ranges small enough to list: a few rows that differ
 * in a big chunk cost about one more scan of it, not the listing of
 * all its rows.
 */
static int
narrow_range(struct ctx *x, size_t r, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, unsigned long long rows)
{
	const struct repl_diff_tab *t = x->tab;
	struct repl_diff_row plo = { 0 }, phi = { 0 };
	unsigned long long n, prows;
	int last = 0, got, differ, ret = -1;

	if (rows <= LEAF_ROWS || lo == NULL || hi == NULL)
		return repl_diff_narrow(x, r, lo, hi, 0);
	if (repl_diff_row_alloc(&plo, t->ncol) == -1 ||
	    repl_diff_row_alloc(&phi, t->ncol) == -1 ||
	    repl_diff_key_copy(t, &plo, lo) == -1)
		goto out;
	n = x->intkey ? repl_diff_key_span(x, lo, hi) / FANOUT + 1 :
	    rows / FANOUT + 1;
	while (!last && x->in[r] && x->d->srv[0].up) {
		if (x->intkey) {
			if (repl_diff_key_step(x, &plo, hi, n, &phi, &last) ==
			    -1)
				goto out;
		} else {
			if (repl_diff_key_at(x, &plo, hi, 0, n, &phi, &got) ==
			    -1)
				goto out;
			if (!got || repl_diff_row_cmp(t, &phi, hi) >= 0) {
				if (repl_diff_key_copy(t, &phi, hi) == -1)
					goto out;
				last = 1;
			}
		}
		if (repl_diff_part_sums(x, r, &plo, &phi, &differ, &prows) ==
		    -1 ||
		    (differ && narrow_range(x, r, &plo, &phi, prows) == -1) ||
		    repl_diff_key_copy(t, &plo, &phi) == -1)
			goto out;
	}
	ret = 0;
out:
	repl_diff_row_free(&plo, t->ncol);
	repl_diff_row_free(&phi, t->ncol);
	return ret;
}

void
repl_diff_narrow_all(struct ctx *x, const char *differ,
    const struct repl_diff_row *lo, const struct repl_diff_row *hi,
    unsigned long long rows)
{
	size_t i;

	for (i = 1; i < x->d->nsrv; i++)
		if (differ[i] && x->in[i])
			narrow_range(x, i, lo, hi, rows);
}
