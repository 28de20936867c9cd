/*
 * Rows of repl-diff: their values, the order of their keys, the rows of a
 * listing sorted by key, and the arithmetic of integer keys.
 */
/* SPDX-License-Identifier: MIT */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

void
repl_diff_row_free(struct repl_diff_row *r, size_t n)
{
	size_t i;

	for (i = 0; r->val != NULL && i < n; i++)
		free(r->val[i]);
	free(r->val);
	free(r->len);
	r->val = NULL;
	r->len = NULL;
}

int
repl_diff_row_alloc(struct repl_diff_row *r, size_t n)
{
	r->val = calloc(n + 1, sizeof(*r->val));
	r->len = calloc(n + 1, sizeof(*r->len));
	return r->val != NULL && r->len != NULL ? 0 : -1;
}

int
repl_diff_val_set(struct repl_diff_row *r, size_t i, const char *v,
    unsigned long len)
{
	free(r->val[i]);
	r->val[i] = NULL;
	r->len[i] = 0;
	if (v == NULL)
		return 0;
	if ((r->val[i] = malloc(len + 1)) == NULL)
		return -1;
	memcpy(r->val[i], v, len);
	r->val[i][len] = '\0';
	r->len[i] = len;
	return 0;
}

/* Copy the key values v (nkey of them) into the key columns of r. */
int
repl_diff_key_set(const struct repl_diff_tab *t, struct repl_diff_row *r,
    char **v, const unsigned long *len)
{
	size_t k;

	for (k = 0; k < t->nkey; k++)
		if (repl_diff_val_set(r, t->key[k], v[k], len[k]) == -1)
			return -1;
	return 0;
}

/*
 * Compare two values of a key column: numbers by value (as long doubles,
 * exact for every 64-bit integer), and by bytes where that leaves them
 * equal or they are no numbers. Returns <0, 0 or >0, as memcmp.
 */
int
repl_diff_val_cmp(const struct repl_diff_col *c, const char *a,
    unsigned long la, const char *b, unsigned long lb)
{
	long double x, y;
	int r;

	if (c->ctype == REPL_DIFF_NUM) {
		x = strtold(a, NULL);
		y = strtold(b, NULL);
		if (x != y)
			return x < y ? -1 : 1;
	}
	r = memcmp(a, b, la < lb ? la : lb);
	return r != 0 ? r : la < lb ? -1 : la > lb;
}

static const struct repl_diff_tab *sort_tab;

static int
item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	const struct repl_diff_tab *t = sort_tab;
	size_t k;
	int r;

	for (k = 0; k < t->nkey; k++)
		if ((r = repl_diff_val_cmp(&t->col[t->key[k]], a->v[k],
		    a->len[k], b->v[k], b->len[k])) != 0)
			return r;
	return 0;
}

int
repl_diff_row_cmp(const struct repl_diff_tab *t, const struct repl_diff_row *a,
    const struct repl_diff_row *b)
{
	size_t k, i;
	int r;

	for (k = 0; k < t->nkey; k++) {
		i = t->key[k];
		if ((r = repl_diff_val_cmp(&t->col[i], a->val[i], a->len[i],
		    b->val[i], b->len[i])) != 0)
			return r;
	}
	return 0;
}

/* The rows of a listing result, sorted by key; NULL out of memory. */
struct item *
repl_diff_items(const struct repl_diff_tab *t, MYSQL_RES *res, size_t *n,
    unsigned long **lens)
{
	struct item *it;
	MYSQL_ROW row;
	unsigned long *l;
	size_t i = 0, w = t->nkey + 1;

	*n = (size_t)mysql_num_rows(res);
	it = calloc(*n + 1, sizeof(*it));
	*lens = calloc((*n + 1) * w, sizeof(**lens));
	if (it == NULL || *lens == NULL) {
		free(it);
		free(*lens);
		return NULL;
	}
	while ((row = mysql_fetch_row(res)) != NULL && i < *n) {
		l = mysql_fetch_lengths(res);
		it[i].v = row;
		it[i].len = *lens + i * w;
		memcpy(it[i].len, l, w * sizeof(*l));
		i++;
	}
	*n = i;
	/* qsort has no argument: the tables are compared one at a time. */
	sort_tab = t;
	qsort(it, *n, sizeof(*it), item_cmp);
	return it;
}

static int
same_hash(const struct item *a, const struct item *b, size_t nkey)
{
	return a->v[nkey] != NULL && b->v[nkey] != NULL &&
	    strcmp(a->v[nkey], b->v[nkey]) == 0;
}

static int
add_found(struct found **f, size_t *n, const struct repl_diff_tab *t,
    enum repl_diff_what what, const struct item *it)
{
	struct found *g;

	if ((g = realloc(*f, (*n + 1) * sizeof(*g))) == NULL)
		return -1;
	*f = g;
	g += *n;
	memset(g, 0, sizeof(*g));
	g->what = what;
	(*n)++;
	if (repl_diff_row_alloc(&g->key, t->ncol) == -1 ||
	    repl_diff_key_set(t, &g->key, it->v, it->len) == -1)
		return -1;
	return 0;
}

/*
 * Merge the listings a, of the source, and b, of a replica, both sorted
 * by key, into the rows that differ, in key order: only in a (missing),
 * only in b (extra), in both with other hashes (differs); with tail, only
 * the rows b has and a has not. Returns 0, or -1 out of memory (*f then
 * holds the *nf found so far).
 */
int
repl_diff_merge(const struct repl_diff_tab *t, const struct item *a,
    size_t na, const struct item *b, size_t nb, int tail, struct found **f,
    size_t *nf)
{
	size_t i = 0, j = 0;
	int c;

	while (i < na || j < nb) {
		c = i == na ? 1 : j == nb ? -1 : (sort_tab = t,
		    item_cmp(&a[i], &b[j]));
		if (c < 0) {
			if (!tail && add_found(f, nf, t, REPL_DIFF_ROW_MISSING,
			    &a[i]) == -1)
				return -1;
			i++;
		} else if (c > 0) {
			if (add_found(f, nf, t, REPL_DIFF_ROW_EXTRA, &b[j]) ==
			    -1)
				return -1;
			j++;
		} else {
			if (!tail && !same_hash(&a[i], &b[j], t->nkey) &&
			    add_found(f, nf, t, REPL_DIFF_ROW_DIFFERS, &a[i])
			    == -1)
				return -1;
			i++, j++;
		}
	}
	return 0;
}

void
repl_diff_found_free(struct found *f, size_t n, size_t ncol)
{
	size_t i;

	for (i = 0; i < n; i++) {
		repl_diff_row_free(&f[i].key, ncol);
		repl_diff_row_free(&f[i].src, ncol);
		repl_diff_row_free(&f[i].rep, ncol);
	}
	free(f);
}

/*
 * For a key of one integer column (unsigned with x->uns): hi = lo + step,
 * or bound itself, *last set, when lo + step would reach or pass it. The
 * difference is taken in unsigned long long, so that no key from LLONG_MIN
 * to ULLONG_MAX overflows. Returns 0, or -1 out of memory.
 */
int
repl_diff_key_step(struct ctx *x, const struct repl_diff_row *lo,
    const struct repl_diff_row *bound, unsigned long long step,
    struct repl_diff_row *hi, int *last)
{
	size_t i = x->tab->key[0];
	char buf[32];

	*last = 0;
	if (x->uns) {
		unsigned long long a = strtoull(lo->val[i], NULL, 10);
		unsigned long long b = strtoull(bound->val[i], NULL, 10);

		if (a >= b || b - a <= step)
			*last = 1;
		else
			snprintf(buf, sizeof(buf), "%llu", a + step);
	} else {
		long long a = strtoll(lo->val[i], NULL, 10);
		long long b = strtoll(bound->val[i], NULL, 10);

		if (a >= b || (unsigned long long)b - (unsigned long long)a <=
		    step)
			*last = 1;
		else
			snprintf(buf, sizeof(buf), "%lld", (long long)((unsigned
			    long long)a + step));
	}
	if (*last)
		return repl_diff_val_set(hi, i, bound->val[i], bound->len[i]);
	return repl_diff_val_set(hi, i, buf, strlen(buf));
}

/*
 * For a key of one integer column: hi - lo, hi not below lo, exact from
 * LLONG_MIN to LLONG_MAX and from 0 to ULLONG_MAX. Returns the span.
 */
unsigned long long
repl_diff_key_span(struct ctx *x, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi)
{
	size_t i = x->tab->key[0];

	if (x->uns)
		return strtoull(hi->val[i], NULL, 10) -
		    strtoull(lo->val[i], NULL, 10);
	return (unsigned long long)strtoll(hi->val[i], NULL, 10) -
	    (unsigned long long)strtoll(lo->val[i], NULL, 10);
}

/* Copy the key values of src into dst. */
int
repl_diff_key_copy(const struct repl_diff_tab *t, struct repl_diff_row *dst,
    const struct repl_diff_row *src)
{
	size_t k;

	for (k = 0; k < t->nkey; k++)
		if (repl_diff_val_set(dst, t->key[k], src->val[t->key[k]],
		    src->len[t->key[k]]) == -1)
			return -1;
	return 0;
}

/*
 * The key distance of the next chunk of an integer key: as many keys as
 * hold about target rows at the density of the last chunk (span keys,
 * rows rows), or four times the last step after a chunk without rows.
 * Saturates at ULLONG_MAX (then the next chunk runs to the last key), so
 * that sparse keys near the ends of BIGINT UNSIGNED never wrap the step
 * to 0 and loop for ever. Never 0.
 */
unsigned long long
repl_diff_next_step(unsigned long long step, unsigned long long target,
    unsigned long long span, unsigned long long rows)
{
	long double v;

	if (rows == 0 || span == 0)
		return step == 0 ? 1 : step > ULLONG_MAX / 4 ? ULLONG_MAX :
		    step * 4;
	v = (long double)target * (long double)span / (long double)rows;
	if (v >= (long double)ULLONG_MAX - 1)
		return ULLONG_MAX;
	return (unsigned long long)v + 1;
}
