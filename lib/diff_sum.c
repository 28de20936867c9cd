/*
 * Checksums of a chunk on every server at once, and of a part on the
 * source and one replica; and the key a chunk ends at.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

#define RECHECKS 3			/* checks of a differing chunk */

/* The checksum values of server i's result, as one string. */
static void
sums(struct job *j, char *buf, size_t n, unsigned long long *rows)
{
	MYSQL_ROW row;

	snprintf(buf, n, "-");
	if (j->res == NULL || (row = mysql_fetch_row(j->res)) == NULL)
		return;
	snprintf(buf, n, "%s %s", row[0] ? row[0] : "NULL",
	    row[1] ? row[1] : "NULL");
	if (rows != NULL)
		*rows = row[0] ? strtoull(row[0], NULL, 10) : 0;
}

/*
 * Checksum (lo, hi] (or the whole table, nokey) on the source and every
 * replica at once; a replica that differs is checked again after it has
 * applied the source's position, up to RECHECKS times. Sets differ[r]
 * for the replicas that stay different; *rows and *ms the source's count
 * and the slowest server's time. Returns 0, or -1 the source failed.
 */
int
repl_diff_checksum(struct ctx *x, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, char *differ, unsigned long long *rows,
    int64_t *ms)
{
	struct repl_diff *d = x->d;
	struct repl_sb sql = { 0 };
	char src[128], rep[128], both[2 * 128], (*prev)[2 * 128], *on;
	size_t i, round;
	int any, ret = -1;

	on = calloc(d->nsrv, 1);
	if ((prev = calloc(d->nsrv, sizeof(*prev))) == NULL || on == NULL) {
		free(on);
		free(prev);
		return -1;
	}
	repl_sb_str(&sql, "SELECT ");
	repl_diff_sql_hashes(&sql, x->tab, 1);
	repl_sb_str(&sql, x->from.s);
	if (lo != NULL || hi != NULL) {
		repl_sb_str(&sql, " WHERE ");
		repl_diff_sql_range(&sql, x->tab, lo, hi);
	}
	if (sql.oom) {
		repl_err_set(&d->err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	memcpy(on, x->in, d->nsrv);
	for (round = 0; ; round++) {
		if (repl_diff_query_all(x, sql.s, on) == -1)
			goto out;
		if (round == 0) {
			*ms = 0;
			for (i = 0; i < d->nsrv; i++)
				if (x->jobs[i].on && x->jobs[i].ms > *ms)
					*ms = x->jobs[i].ms;
		}
		sums(&x->jobs[0], src, sizeof(src), round == 0 ? rows : NULL);
		for (i = 1; i < d->nsrv; i++) {
			if (round == 0)
				differ[i] = 0;
			if (!on[i])
				continue;
			differ[i] = 0;
			on[i] = 0;
			sums(&x->jobs[i], rep, sizeof(rep), NULL);
			if (strcmp(src, rep) == 0)
				continue;
			differ[i] = 1;
			/*
			 * The same sums on both as before the wait: neither
			 * moved, the difference stays; no use looking again.
			 */
			snprintf(both, sizeof(both), "%s %s", src, rep);
			if (round > 0 && strcmp(both, prev[i]) == 0)
				continue;
			memcpy(prev[i], both, sizeof(both));
			on[i] = d->srv[i].synced && x->in[i];
		}
		repl_diff_free_results(x->jobs, d->nsrv);
		/* Looked at again: the replicas that may only lag. */
		for (i = 1, any = 0; i < d->nsrv; i++) {
			on[i] = on[i] && !repl_diff_quiet(x, i);
			any |= on[i];
		}
		if (!any || round + 1 >= RECHECKS)
			break;
		d->rechecks++;
		repl_diff_sync(d, x->jobs, on);
		for (i = 1; i < d->nsrv; i++)
			on[i] = on[i] && x->in[i];
	}
	ret = 0;
out:
	repl_sb_free(&sql);
	free(on);
	free(prev);
	return ret;
}

/* Read one row of key values from a query on the source into r. */
static int
key_query(struct ctx *x, const char *sql, struct repl_diff_row *r, int *got)
{
	MYSQL_ROW row;
	char *on;
	int ret = -1;

	*got = 0;
	if ((on = calloc(x->d->nsrv, 1)) == NULL)
		return -1;
	on[0] = 1;
	if (repl_diff_query_all(x, sql, on) == -1)
		goto out;
	if ((row = mysql_fetch_row(x->jobs[0].res)) != NULL) {
		if (repl_diff_key_set(x->tab, r, row,
		    mysql_fetch_lengths(x->jobs[0].res)) == -1)
			goto out;
		*got = 1;
	}
	ret = 0;
out:
	repl_diff_free_results(x->jobs, x->d->nsrv);
	free(on);
	return ret;
}

/* The key at the end of the table (desc) or n rows after lo. */
int
repl_diff_key_at(struct ctx *x, const struct repl_diff_row *lo,
    const struct repl_diff_row *bound, int desc, unsigned long long n,
    struct repl_diff_row *r, int *got)
{
	struct repl_sb sql = { 0 };
	size_t k;
	int ret;

	repl_sb_str(&sql, "SELECT ");
	repl_sb_str(&sql, x->cols.s);
	repl_sb_str(&sql, x->from.s);
	repl_sb_str(&sql, " WHERE ");
	repl_diff_sql_range(&sql, x->tab, lo, bound);
	repl_sb_str(&sql, " ORDER BY ");
	for (k = 0; k < x->tab->nkey; k++) {
		repl_sb_str(&sql, k > 0 ? ", " : "");
		repl_diff_sql_ident(&sql, x->tab->col[x->tab->key[k]].name);
		repl_sb_str(&sql, desc ? " DESC" : "");
	}
	repl_sb_fmt(&sql, " LIMIT 1 OFFSET %llu", n > 0 ? n - 1 : 0);
	ret = sql.oom ? -1 : key_query(x, sql.s, r, got);
	repl_sb_free(&sql);
	return ret;
}

/*
 * Checksum (lo, hi] on the source and replica r alone: *differ whether
 * they differ, *rows the source's count. Returns 0, or -1 when the
 * source failed (r failing drops it from x->in).
 */
int
repl_diff_part_sums(struct ctx *x, size_t r, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, int *differ, unsigned long long *rows)
{
	struct repl_sb sql = { 0 };
	char src[128], rep[128], *on;
	int ret = -1;

	*differ = 0;
	*rows = 0;
	if ((on = calloc(x->d->nsrv, 1)) == NULL)
		return -1;
	on[0] = on[r] = 1;
	repl_sb_str(&sql, "SELECT ");
	repl_diff_sql_hashes(&sql, x->tab, 1);
	repl_sb_str(&sql, x->from.s);
	repl_sb_str(&sql, " WHERE ");
	repl_diff_sql_range(&sql, x->tab, lo, hi);
	if (sql.oom) {
		repl_err_set(&x->d->err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	if (repl_diff_query_all(x, sql.s, on) == -1)
		goto out;
	if (on[r]) {
		sums(&x->jobs[0], src, sizeof(src), rows);
		sums(&x->jobs[r], rep, sizeof(rep), NULL);
		*differ = strcmp(src, rep) != 0;
	}
	repl_diff_free_results(x->jobs, x->d->nsrv);
	ret = 0;
out:
	repl_sb_free(&sql);
	free(on);
	return ret;
}
