/*
 * One run of repl-diff: connect to the source and the replicas at once,
 * list the tables, and for each compare the schemas, then the rows:
 * checksums of key ranges on every server at once, a range that differs
 * checked again once the replica has applied the source's position, and
 * only then narrowed down, by checksums of its parts, to the rows. A
 * thread per server and query, so that a range takes as long as the
 * slowest server, not the sum.
 */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff_int.h"

#define FIRST_ROWS 1000			/* rows of the first chunk */

/*
 * The rows of a table with a key, chunk after chunk up to the source's
 * last key at the start; then, above it, the rows only the replicas
 * have.
 */
static int
rows_keyed(struct ctx *x)
{
	struct repl_diff *d = x->d;
	const struct repl_diff_tab *t = x->tab;
	struct repl_diff_row bound = { 0 }, lo = { 0 }, hi = { 0 }, first = { 0 };
	unsigned long long n = FIRST_ROWS, rows, span, step = FIRST_ROWS, target;
	int64_t ms;
	char *differ;
	int got, last = 0, havelo = 0, ret = -1;
	size_t i;

	if ((differ = calloc(d->nsrv, 1)) == NULL ||
	    repl_diff_row_alloc(&bound, t->ncol) == -1 ||
	    repl_diff_row_alloc(&lo, t->ncol) == -1 ||
	    repl_diff_row_alloc(&hi, t->ncol) == -1 ||
	    repl_diff_row_alloc(&first, t->ncol) == -1)
		goto out;
	if (repl_diff_key_at(x, NULL, NULL, 1, 1, &bound, &got) == -1)
		goto out;
	if (got && x->intkey &&
	    repl_diff_key_at(x, NULL, NULL, 0, 1, &first, &got) == -1)
		goto out;
	while (got && !last) {
		/* The chunk (lo, hi]; the first has no lower bound. */
		if (x->intkey) {
			if (!havelo) {
				/* first - 1 + step, as lo = first - 1 */
				if (repl_diff_key_step(x, &first, &bound,
				    step - 1, &hi, &last) == -1)
					goto out;
			} else if (repl_diff_key_step(x, &lo, &bound, step,
			    &hi, &last) == -1)
				goto out;
		} else {
			if (repl_diff_key_at(x, havelo ? &lo : NULL, &bound,
			    0, n, &hi, &got) == -1)
				goto out;
			if (!got || repl_diff_row_cmp(t, &hi, &bound) >= 0) {
				if (repl_diff_key_copy(t, &hi, &bound) == -1)
					goto out;
				last = 1;
			}
			got = 1;
		}
		rows = 0;
		if (repl_diff_checksum(x, havelo ? &lo : NULL, &hi, differ,
		    &rows, &ms) == -1)
			goto out;
		d->chunks++;
		d->rows += rows;
		repl_diff_narrow_all(x, differ, havelo ? &lo : NULL, &hi, rows);
		if (!d->srv[0].up)
			goto out;
		/* Size the next chunk to take about chunk_ms. */
		target = ms < 1 ? rows * 4 : rows * (unsigned long long)
		    d->chunk_ms / (unsigned long long)ms;
		if (target > rows * 4)
			target = rows * 4;
		if (target < FIRST_ROWS / 10)
			target = FIRST_ROWS / 10;
		if (x->intkey) {
			span = havelo ? repl_diff_key_span(x, &lo, &hi) : 0;
			step = repl_diff_next_step(step, target, span, rows);
		} else
			n = target;
		if (repl_diff_key_copy(t, &lo, &hi) == -1)
			goto out;
		havelo = 1;
	}
	/* Above the last key at the start: only rows extra on a replica. */
	for (i = 1; i < d->nsrv; i++)
		if (x->in[i] && repl_diff_narrow(x, i, havelo ? &bound : NULL,
		    NULL, 1) == -1)
			goto out;
	ret = 0;
out:
	repl_diff_row_free(&bound, t->ncol);
	repl_diff_row_free(&lo, t->ncol);
	repl_diff_row_free(&hi, t->ncol);
	repl_diff_row_free(&first, t->ncol);
	free(differ);
	return ret;
}

/* A table without a usable key: one checksum of the whole table. */
static int
rows_nokey(struct ctx *x)
{
	struct repl_diff_rec rec;
	unsigned long long rows = 0;
	int64_t ms;
	char *differ;
	size_t i;

	if ((differ = calloc(x->d->nsrv, 1)) == NULL)
		return -1;
	if (repl_diff_checksum(x, NULL, NULL, differ, &rows, &ms) == -1) {
		free(differ);
		return -1;
	}
	x->d->chunks++;
	x->d->rows += rows;
	for (i = 1; i < x->d->nsrv; i++) {
		if (!differ[i] || !x->in[i])
			continue;
		memset(&rec, 0, sizeof(rec));
		rec.what = REPL_DIFF_NOKEY;
		repl_diff_emit(x, i, &rec);
	}
	free(differ);
	return 0;
}

static void
schema_emit(void *arg, const struct repl_diff_rec *r)
{
	struct ctx *x = arg;
	struct repl_diff_rec rec = *r;
	size_t i;

	for (i = 1; i < x->d->nsrv; i++)
		if (x->d->srv[i].operand == r->replica)
			break;
	if (rec.what == REPL_DIFF_COMMON) {
		/* Not a difference of its own: says what was compared. */
		if (x->d->emit != NULL)
			x->d->emit(x->d->arg, i, &rec);
		return;
	}
	repl_diff_emit(x, i, &rec);
}

/* Compare table t: its schemas, then its rows. */
static int
table(struct repl_diff *d, struct job *jobs, const struct repl_table *t)
{
	struct repl_diff_schema *s;
	struct repl_diff_tab tab;
	struct ctx x;
	size_t i;
	int ret = -1, nowhere = 1;

	memset(&x, 0, sizeof(x));
	memset(&tab, 0, sizeof(tab));
	x.d = d;
	x.jobs = jobs;
	x.tab = &tab;
	if ((x.in = calloc(d->nsrv, 1)) == NULL ||
	    (s = calloc(d->nsrv, sizeof(*s))) == NULL) {
		free(x.in);
		repl_err_set(&d->err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	for (i = 0; i < d->nsrv; i++) {
		jobs[i].on = d->srv[i].up;
		jobs[i].t = t;
		memset(&jobs[i].schema, 0, sizeof(jobs[i].schema));
	}
	repl_multi_each(jobs, d->nsrv, sizeof(*jobs), repl_diff_schema_one);
	for (i = 0; i < d->nsrv; i++) {
		if (jobs[i].on && jobs[i].failed)
			repl_diff_failed(d, &jobs[i]);
		else if (jobs[i].on)
			s[i] = jobs[i].schema;
		x.in[i] = jobs[i].on && !jobs[i].failed && s[i].exists;
		nowhere &= !x.in[i];
		jobs[i].on = 0;
	}
	if (!d->srv[0].up || (jobs[0].failed && jobs[0].e.kind != REPL_E_NONE))
		goto out;
	if (nowhere) {
		repl_note(d->note, d->arg, REPL_NOTE_WARN, "no table '%s.%s' "
		    "on any server", t->db, t->name);
		d->nodata = 1;
		ret = 0;
		goto out;
	}
	d->ntab++;
	if (repl_diff_tab_make(&tab, t, s, d->nsrv) == -1) {
		repl_err_set(&d->err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	tab.crc32c = !d->portable;
	for (i = 0; i < d->nsrv; i++)
		if (d->srv[i].up && !repl_sql_has_crc32c(&jobs[i].conn.server))
			tab.crc32c = 0;
	for (i = 1; i < d->nsrv; i++)
		if (d->srv[i].up && (jobs[i].failed == 0))
			repl_diff_schema_cmp(&s[0], &s[i], d->srv[i].operand,
			    &tab, schema_emit, &x);
	if (!x.in[0] || tab.ncol == 0) {
		ret = 0;
		goto out;
	}
	repl_sb_str(&x.from, " FROM ");
	repl_diff_sql_table(&x.from, t);
	for (i = 0; i < tab.nkey; i++) {
		repl_sb_str(&x.cols, i > 0 ? ", " : "");
		repl_diff_sql_ident(&x.cols, tab.col[tab.key[i]].name);
	}
	if (x.from.oom || x.cols.oom) {
		repl_err_set(&d->err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	x.intkey = tab.nkey == 1 && tab.col[tab.key[0]].ctype ==
	    REPL_DIFF_NUM && strstr(tab.col[tab.key[0]].type, "int") != NULL;
	x.uns = x.intkey && strstr(tab.col[tab.key[0]].type, "unsigned") !=
	    NULL;
	ret = tab.nkey > 0 ? rows_keyed(&x) : rows_nokey(&x);
out:
	for (i = 0; i < d->nsrv; i++)
		repl_diff_schema_free(&s[i]);
	free(s);
	repl_diff_tab_free(&tab);
	repl_sb_free(&x.from);
	repl_sb_free(&x.cols);
	free(x.in);
	return ret;
}

/*
 * The tables: those of -T, and those the source lists (all of its
 * schemas but the system ones, or those of -d) and the replicas list in
 * the same schemas, sorted, each once.
 */
static int
tables(struct repl_diff *d, struct job *jobs, struct repl_table **tab,
    size_t *ntab)
{
	struct repl_table *t;
	size_t i, n, k;
	struct repl_err e;

	*tab = NULL;
	*ntab = 0;
	if (d->ndbs > 0 || d->nwant == 0) {
		for (i = 0; i < d->nsrv; i++) {
			if (!d->srv[i].up)
				continue;
			n = *ntab;
			repl_err_clear(&e);
			if (repl_table_list(&jobs[i].conn, d->dbs, d->ndbs, tab,
			    ntab, &e) == -1) {
				*ntab = n;
				jobs[i].e = e;
				repl_diff_failed(d, &jobs[i]);
				if (i == 0)
					return -1;
			}
		}
		for (k = 0; k < d->ndbs; k++) {
			for (i = 0; i < *ntab; i++)
				if (strcasecmp((*tab)[i].db, d->dbs[k]) == 0)
					break;
			if (i == *ntab) {
				repl_note(d->note, d->arg,
				    REPL_NOTE_WARN, "no table in database "
				    "'%s' on any server", d->dbs[k]);
				d->nodata = 1;
			}
		}
	}
	if (d->nwant > 0) {
		if ((t = realloc(*tab, (*ntab + d->nwant) * sizeof(*t))) ==
		    NULL) {
			repl_err_set(&d->err, REPL_E_TEMP, "out of memory");
			return -1;
		}
		*tab = t;
		memcpy(t + *ntab, d->want, d->nwant * sizeof(*t));
		*ntab += d->nwant;
	}
	repl_table_unique(*tab, ntab);
	return 0;
}

/*
 * Run the comparison over d's servers with the connection options o,
 * calling d->emit for each difference and d->note for what the user
 * should know. Returns 0, or -1 when the run could not go on (the
 * source unreachable or lost, out of memory): d->err or the source's
 * err says why.
 */
int
repl_diff_run(struct repl_diff *d, const struct repl_connopt *o)
{
	struct job *jobs;
	struct repl_table *tab = NULL;
	struct repl_replica rs;
	size_t ntab = 0, i;
	char *all = NULL;
	int ret = -1;

	repl_err_clear(&d->err);
	if ((jobs = calloc(d->nsrv, sizeof(*jobs))) == NULL ||
	    (all = malloc(d->nsrv)) == NULL) {
		repl_err_set(&d->err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	for (i = 0; i < d->nsrv; i++) {
		jobs[i].d = d;
		jobs[i].i = i;
		jobs[i].o = o;
		d->srv[i].up = 0;
		d->srv[i].synced = 0;
		repl_err_clear(&d->srv[i].err);
	}
	repl_multi_each(jobs, d->nsrv, sizeof(*jobs), repl_diff_connect_one);
	for (i = 1; i < d->nsrv; i++)
		if (!d->srv[i].up)
			repl_note(d->note, d->arg, REPL_NOTE_WARN, "%s",
			    d->srv[i].err.msg);
	if (!d->srv[0].up)
		goto out;
	/*
	 * First, every replica catches up with the source once; a server
	 * that is no replica is compared as it is, without waiting.
	 */
	memset(all, 1, d->nsrv);
	for (i = 1; i < d->nsrv; i++) {
		if (!d->srv[i].up)
			continue;
		repl_err_clear(&jobs[i].e);
		if (repl_replica_status(&jobs[i].conn, &rs, &jobs[i].e) == -1)
			repl_note(d->note, d->arg, REPL_NOTE_WARN, "comparing "
			    "without waiting: %s", jobs[i].e.msg);
		else if (!rs.configured)
			repl_note(d->note, d->arg, REPL_NOTE_WARN, "'%s' is not "
			    "a replica: comparing without waiting",
			    d->srv[i].operand);
		else
			d->srv[i].synced = 1;
	}
	repl_diff_sync(d, jobs, all);
	if (tables(d, jobs, &tab, &ntab) == -1)
		goto out;
	for (i = 0; i < ntab && d->srv[0].up; i++)
		if (table(d, jobs, &tab[i]) == -1 &&
		    d->err.kind != REPL_E_NONE)
			goto out;
	ret = d->srv[0].up ? 0 : -1;
out:
	for (i = 0; jobs != NULL && i < d->nsrv; i++)
		repl_conn_close(&jobs[i].conn);
	free(jobs);
	free(all);
	free(tab);
	return ret;
}

/*
 * The exit status of a run: 1 when something differs (or a table named
 * is nowhere); else 2 when a failure is permanent (a refused login, a
 * missing privilege); else 3 when a server could not be reached or was
 * lost; else 0. Returns the status.
 */
int
repl_diff_exit(const struct repl_diff *d)
{
	int perm = 0, temp = 0;
	size_t i;

	if (d->ndiff > 0 || d->nodata)
		return REPL_EXIT_NO;
	if (d->err.kind == REPL_E_PERM)
		perm = 1;
	else if (d->err.kind != REPL_E_NONE)
		temp = 1;
	for (i = 0; i < d->nsrv; i++) {
		if (d->srv[i].err.kind == REPL_E_PERM)
			perm = 1;
		else if (d->srv[i].err.kind != REPL_E_NONE || !d->srv[i].up)
			temp = 1;
	}
	return perm ? REPL_EXIT_USAGE : temp ? REPL_EXIT_TEMP : REPL_EXIT_OK;
}
