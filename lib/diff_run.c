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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"

#define FIRST_ROWS 1000			/* rows of the first chunk */
#define RECHECKS 3			/* checks of a differing chunk */
#define FETCH_BATCH 100			/* rows fetched per statement */
#define LEAF_ROWS 2000			/* rows listed, not split */
#define FANOUT 16			/* parts of a range split */

struct job {
	struct repl_diff *d;
	size_t i;
	const struct repl_connopt *o;
	struct repl_conn conn;
	int on;				/* takes part in this round */
	const char *sql;
	MYSQL_RES *res;
	int64_t ms;
	int failed;
	struct repl_err e;
	const struct repl_table *t;
	struct repl_diff_schema schema;
	const struct repl_coord *co;
	int64_t deadline;
	struct repl_coord at;		/* the source's, last caught up with */
	int has_at;
};

/* The comparison of one table. */
struct ctx {
	struct repl_diff *d;
	struct job *jobs;
	struct repl_diff_tab *tab;
	char *in;			/* server i compares this table */
	struct repl_sb from;		/* " FROM `db`.`t`" */
	struct repl_sb cols;		/* the key columns, for ORDER BY */
	int intkey;			/* one integer key column */
	int uns;			/* ... unsigned */
};

/* A row of a listing: its key and hash, pointing into a result. */
struct item {
	char **v;			/* key values, then the hash */
	unsigned long *len;
};

/* A difference found in a listing, with copies of what it needs. */
struct found {
	enum repl_diff_what what;
	struct repl_diff_row key;
	struct repl_diff_row src, rep;
	int gone;			/* no longer different */
};

static void
note(struct repl_diff *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
note(struct repl_diff *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->note != NULL)
		d->note(d->arg, msg);
}

static void *
connect_one(void *arg)
{
	struct job *j = arg;
	struct repl_diff_server *s = &j->d->srv[j->i];
	MYSQL *m;

	mysql_thread_init();
	if (repl_conn_open(&j->conn, &s->addr, j->o, &s->err) == 0) {
		m = j->conn.mysql;
		/*
		 * Values travel in UTF-8, TIMESTAMPs in UTC (servers in other
		 * time zones print the same instant alike); nothing is ever
		 * written.
		 */
		if ((strcmp(mysql_character_set_name(m), "utf8mb4") != 0 &&
		    mysql_set_character_set(m, "utf8mb4") != 0) ||
		    repl_conn_query(&j->conn, "SET SESSION time_zone = "
		    "'+00:00'", &s->err) == -1 ||
		    repl_conn_query(&j->conn, "SET SESSION TRANSACTION READ "
		    "ONLY", &s->err) == -1) {
			if (s->err.kind == REPL_E_NONE)
				repl_conn_error(&j->conn, &s->err, "unable to "
				    "set the character set utf8mb4 on");
			repl_conn_close(&j->conn);
		} else
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

static void *
schema_one(void *arg)
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
static void
failed(struct repl_diff *d, struct job *j)
{
	struct repl_diff_server *s = &d->srv[j->i];

	if (repl_count_lost(j->e.sqlerrno))
		j->e.kind = REPL_E_TEMP;
	if (s->err.kind == REPL_E_NONE)
		s->err = j->e;
	note(d, "%s", j->e.msg);
	if (repl_count_lost(j->e.sqlerrno)) {
		repl_conn_close(&j->conn);
		s->up = 0;
	}
}

static void
free_results(struct job *jobs, size_t n)
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
static int
query_all(struct ctx *x, const char *sql, char *on)
{
	struct repl_diff *d = x->d;
	size_t i;

	for (i = 0; i < d->nsrv; i++) {
		x->jobs[i].on = on[i] && d->srv[i].up;
		x->jobs[i].sql = sql;
		x->jobs[i].res = NULL;
	}
	repl_count_each(x->jobs, d->nsrv, sizeof(*x->jobs), query_one);
	for (i = 0; i < d->nsrv; i++)
		if (x->jobs[i].on && x->jobs[i].failed) {
			failed(d, &x->jobs[i]);
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
static int
sync_replicas(struct repl_diff *d, struct job *jobs, const char *want)
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
		note(d, "unable to read the source's position, comparing "
		    "without waiting for the replicas: %s", e.msg);
		for (i = 1; i < d->nsrv; i++) {
			d->srv[i].synced = 0;
			jobs[i].has_at = 0;
		}
		if (repl_count_lost(e.sqlerrno)) {
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
	repl_count_each(jobs, d->nsrv, sizeof(*jobs), wait_one);
	for (i = 1; i < d->nsrv; i++) {
		if (!jobs[i].on)
			continue;
		jobs[i].at = co;
		jobs[i].has_at = !jobs[i].failed;
		if (!jobs[i].failed)
			continue;
		d->srv[i].synced = 0;
		if (repl_count_lost(jobs[i].e.sqlerrno))
			failed(d, &jobs[i]);
		else
			note(d, "not caught up, comparing anyway: %s",
			    jobs[i].e.msg);
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
static int
quiet(struct ctx *x, size_t r)
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

static void
row_free(struct repl_diff_row *r, size_t n)
{
	size_t i;

	for (i = 0; r->val != NULL && i < n; i++)
		free(r->val[i]);
	free(r->val);
	free(r->len);
	r->val = NULL;
	r->len = NULL;
}

static int
row_alloc(struct repl_diff_row *r, size_t n)
{
	r->val = calloc(n + 1, sizeof(*r->val));
	r->len = calloc(n + 1, sizeof(*r->len));
	return r->val != NULL && r->len != NULL ? 0 : -1;
}

static int
val_set(struct repl_diff_row *r, size_t i, const char *v, unsigned long len)
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
static int
key_set(const struct repl_diff_tab *t, struct repl_diff_row *r, char **v,
    const unsigned long *len)
{
	size_t k;

	for (k = 0; k < t->nkey; k++)
		if (val_set(r, t->key[k], v[k], len[k]) == -1)
			return -1;
	return 0;
}

/* Compare two values of a key column: numbers by value, else bytes. */
static int
val_cmp(const struct repl_diff_col *c, const char *a, unsigned long la,
    const char *b, unsigned long lb)
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
		if ((r = val_cmp(&t->col[t->key[k]], a->v[k], a->len[k],
		    b->v[k], b->len[k])) != 0)
			return r;
	return 0;
}

static int
row_cmp(const struct repl_diff_tab *t, const struct repl_diff_row *a,
    const struct repl_diff_row *b)
{
	size_t k, i;
	int r;

	for (k = 0; k < t->nkey; k++) {
		i = t->key[k];
		if ((r = val_cmp(&t->col[i], a->val[i], a->len[i], b->val[i],
		    b->len[i])) != 0)
			return r;
	}
	return 0;
}

/* The rows of a listing result, sorted by key; NULL out of memory. */
static struct item *
items(const struct repl_diff_tab *t, MYSQL_RES *res, size_t *n,
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
	if (row_alloc(&g->key, t->ncol) == -1 ||
	    key_set(t, &g->key, it->v, it->len) == -1)
		return -1;
	return 0;
}

static void
found_free(struct found *f, size_t n, size_t ncol)
{
	size_t i;

	for (i = 0; i < n; i++) {
		row_free(&f[i].key, ncol);
		row_free(&f[i].src, ncol);
		row_free(&f[i].rep, ncol);
	}
	free(f);
}

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
	size_t na = 0, nb = 0, i = 0, j = 0;
	char *on;
	int c, ret = -1;

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
	if (sql.oom || query_all(x, sql.s, on) == -1)
		goto out;
	if (!on[r]) {
		ret = 0;
		goto out;
	}
	if ((a = items(t, x->jobs[0].res, &na, &la)) == NULL ||
	    (b = items(t, x->jobs[r].res, &nb, &lb)) == NULL)
		goto out;
	while (i < na || j < nb) {
		c = i == na ? 1 : j == nb ? -1 : (sort_tab = t,
		    item_cmp(&a[i], &b[j]));
		if (c < 0) {
			if (!tail && add_found(f, nf, t, REPL_DIFF_ROW_MISSING,
			    &a[i]) == -1)
				goto out;
			i++;
		} else if (c > 0) {
			if (add_found(f, nf, t, REPL_DIFF_ROW_EXTRA, &b[j]) ==
			    -1)
				goto out;
			j++;
		} else {
			if (!tail && !same_hash(&a[i], &b[j], t->nkey) &&
			    add_found(f, nf, t, REPL_DIFF_ROW_DIFFERS, &a[i])
			    == -1)
				goto out;
			i++, j++;
		}
	}
	ret = 0;
out:
	if (ret == -1 && sql.oom)
		repl_err_set(&x->d->err, REPL_E_TEMP, "out of memory");
	free(a);
	free(b);
	free(la);
	free(lb);
	free_results(x->jobs, x->d->nsrv);
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
			    row_cmp(t, &f[i].key, &g[j].key) == 0)
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
		if (sql.oom || query_all(x, sql.s, on) == -1 || !on[s])
			goto out;
		while ((row = mysql_fetch_row(x->jobs[s].res)) != NULL) {
			l = mysql_fetch_lengths(x->jobs[s].res);
			tmp.val = row;
			tmp.len = l;
			for (k = start; k < i; k++)
				if (row_cmp(t, &tmp, &f[k].key) == 0)
					break;
			if (k == i)
				continue;
			dst = src ? &f[k].src : &f[k].rep;
			if (dst->val == NULL && row_alloc(dst, t->ncol) == -1)
				goto out;
			for (n = 0; n < t->ncol; n++)
				if (val_set(dst, n, row[n], l[n]) == -1)
					goto out;
		}
		free_results(x->jobs, x->d->nsrv);
	}
	ret = 0;
out:
	free_results(x->jobs, x->d->nsrv);
	repl_sb_free(&sql);
	free(on);
	return ret;
}

static void
emit(struct ctx *x, size_t r, struct repl_diff_rec *rec)
{
	struct repl_diff *d = x->d;

	rec->replica = d->srv[r].operand;
	rec->tab = x->tab;
	d->ndiff++;
	d->srv[r].ndiff++;
	if (d->emit != NULL)
		d->emit(d->arg, r, rec);
}

/*
 * The rows of (lo, hi] that differ on replica r: list, and if anything
 * differs, look again once r has applied the source's position; fetch
 * the rows that stay different and report them.
 */
static int
narrow(struct ctx *x, size_t r, const struct repl_diff_row *lo,
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
	if (nf > 0 && x->d->srv[r].synced && !quiet(x, r)) {
		x->d->rechecks++;
		if (sync_replicas(x->d, x->jobs, want) == 0 &&
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
		emit(x, r, &rec);
	}
	ret = 0;
out:
	found_free(f, nf, t->ncol);
	found_free(g, ng, t->ncol);
	free(want);
	return ret;
}

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
static int
checksum(struct ctx *x, const struct repl_diff_row *lo,
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
		if (query_all(x, sql.s, on) == -1)
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
		free_results(x->jobs, d->nsrv);
		/* Looked at again: the replicas that may only lag. */
		for (i = 1, any = 0; i < d->nsrv; i++) {
			on[i] = on[i] && !quiet(x, i);
			any |= on[i];
		}
		if (!any || round + 1 >= RECHECKS)
			break;
		d->rechecks++;
		sync_replicas(d, x->jobs, on);
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
	if (query_all(x, sql, on) == -1)
		goto out;
	if ((row = mysql_fetch_row(x->jobs[0].res)) != NULL) {
		if (key_set(x->tab, r, row, mysql_fetch_lengths(x->jobs[0].res))
		    == -1)
			goto out;
		*got = 1;
	}
	ret = 0;
out:
	free_results(x->jobs, x->d->nsrv);
	free(on);
	return ret;
}

/* The key at the end of the table (desc) or n rows after lo. */
static int
key_at(struct ctx *x, const struct repl_diff_row *lo,
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

/* For an integer key: hi = lo + step, not past bound. */
static int
int_step(struct ctx *x, const struct repl_diff_row *lo,
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
		return val_set(hi, i, bound->val[i], bound->len[i]);
	return val_set(hi, i, buf, strlen(buf));
}

static unsigned long long
key_span(struct ctx *x, const struct repl_diff_row *lo,
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
static int
key_copy(const struct repl_diff_tab *t, struct repl_diff_row *dst,
    const struct repl_diff_row *src)
{
	size_t k;

	for (k = 0; k < t->nkey; k++)
		if (val_set(dst, t->key[k], src->val[t->key[k]],
		    src->len[t->key[k]]) == -1)
			return -1;
	return 0;
}

/*
 * Checksum (lo, hi] on the source and replica r alone: *differ whether
 * they differ, *rows the source's count. Returns 0, or -1 when the
 * source failed (r failing drops it from x->in).
 */
static int
part_sums(struct ctx *x, size_t r, const struct repl_diff_row *lo,
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
	if (query_all(x, sql.s, on) == -1)
		goto out;
	if (on[r]) {
		sums(&x->jobs[0], src, sizeof(src), rows);
		sums(&x->jobs[r], rep, sizeof(rep), NULL);
		*differ = strcmp(src, rep) != 0;
	}
	free_results(x->jobs, x->d->nsrv);
	ret = 0;
out:
	repl_sb_free(&sql);
	free(on);
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
		return narrow(x, r, lo, hi, 0);
	if (row_alloc(&plo, t->ncol) == -1 || row_alloc(&phi, t->ncol) == -1 ||
	    key_copy(t, &plo, lo) == -1)
		goto out;
	n = x->intkey ? key_span(x, lo, hi) / FANOUT + 1 : rows / FANOUT + 1;
	while (!last && x->in[r] && x->d->srv[0].up) {
		if (x->intkey) {
			if (int_step(x, &plo, hi, n, &phi, &last) == -1)
				goto out;
		} else {
			if (key_at(x, &plo, hi, 0, n, &phi, &got) == -1)
				goto out;
			if (!got || row_cmp(t, &phi, hi) >= 0) {
				if (key_copy(t, &phi, hi) == -1)
					goto out;
				last = 1;
			}
		}
		if (part_sums(x, r, &plo, &phi, &differ, &prows) == -1 ||
		    (differ && narrow_range(x, r, &plo, &phi, prows) == -1) ||
		    key_copy(t, &plo, &phi) == -1)
			goto out;
	}
	ret = 0;
out:
	row_free(&plo, t->ncol);
	row_free(&phi, t->ncol);
	return ret;
}

static void
narrow_all(struct ctx *x, const char *differ, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, unsigned long long rows)
{
	size_t i;

	for (i = 1; i < x->d->nsrv; i++)
		if (differ[i] && x->in[i])
			narrow_range(x, i, lo, hi, rows);
}

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
	    row_alloc(&bound, t->ncol) == -1 || row_alloc(&lo, t->ncol) == -1 ||
	    row_alloc(&hi, t->ncol) == -1 || row_alloc(&first, t->ncol) == -1)
		goto out;
	if (key_at(x, NULL, NULL, 1, 1, &bound, &got) == -1)
		goto out;
	if (got && x->intkey && key_at(x, NULL, NULL, 0, 1, &first, &got) ==
	    -1)
		goto out;
	while (got && !last) {
		/* The chunk (lo, hi]; the first has no lower bound. */
		if (x->intkey) {
			if (!havelo) {
				/* first - 1 + step, as lo = first - 1 */
				if (int_step(x, &first, &bound, step - 1, &hi,
				    &last) == -1)
					goto out;
			} else if (int_step(x, &lo, &bound, step, &hi, &last)
			    == -1)
				goto out;
		} else {
			if (key_at(x, havelo ? &lo : NULL, &bound, 0, n, &hi,
			    &got) == -1)
				goto out;
			if (!got || row_cmp(t, &hi, &bound) >= 0) {
				if (key_copy(t, &hi, &bound) == -1)
					goto out;
				last = 1;
			}
			got = 1;
		}
		rows = 0;
		if (checksum(x, havelo ? &lo : NULL, &hi, differ, &rows, &ms)
		    == -1)
			goto out;
		d->chunks++;
		d->rows += rows;
		narrow_all(x, differ, havelo ? &lo : NULL, &hi, rows);
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
			span = havelo ? key_span(x, &lo, &hi) : 0;
			if (rows == 0 || span == 0)
				step *= 4;
			else
				step = (unsigned long long)((long double)target *
				    span / rows) + 1;
		} else
			n = target;
		if (key_copy(t, &lo, &hi) == -1)
			goto out;
		havelo = 1;
	}
	/* Above the last key at the start: only rows extra on a replica. */
	for (i = 1; i < d->nsrv; i++)
		if (x->in[i] && narrow(x, i, havelo ? &bound : NULL, NULL, 1)
		    == -1)
			goto out;
	ret = 0;
out:
	row_free(&bound, t->ncol);
	row_free(&lo, t->ncol);
	row_free(&hi, t->ncol);
	row_free(&first, t->ncol);
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
	if (checksum(x, NULL, NULL, differ, &rows, &ms) == -1) {
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
		emit(x, i, &rec);
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
	emit(x, i, &rec);
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
	repl_count_each(jobs, d->nsrv, sizeof(*jobs), schema_one);
	for (i = 0; i < d->nsrv; i++) {
		if (jobs[i].on && jobs[i].failed)
			failed(d, &jobs[i]);
		else if (jobs[i].on)
			s[i] = jobs[i].schema;
		x.in[i] = jobs[i].on && !jobs[i].failed && s[i].exists;
		nowhere &= !x.in[i];
		jobs[i].on = 0;
	}
	if (!d->srv[0].up || (jobs[0].failed && jobs[0].e.kind != REPL_E_NONE))
		goto out;
	if (nowhere) {
		note(d, "no table '%s.%s' on any server", t->db, t->name);
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
			if (repl_count_list(&jobs[i].conn, d->dbs, d->ndbs, tab,
			    ntab, &e) == -1) {
				*ntab = n;
				jobs[i].e = e;
				failed(d, &jobs[i]);
				if (i == 0)
					return -1;
			}
		}
		for (k = 0; k < d->ndbs; k++) {
			for (i = 0; i < *ntab; i++)
				if (strcasecmp((*tab)[i].db, d->dbs[k]) == 0)
					break;
			if (i == *ntab) {
				note(d, "no table in database '%s' on any "
				    "server", d->dbs[k]);
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
	repl_count_unique(*tab, ntab);
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
	repl_count_each(jobs, d->nsrv, sizeof(*jobs), connect_one);
	for (i = 1; i < d->nsrv; i++)
		if (!d->srv[i].up)
			note(d, "%s", d->srv[i].err.msg);
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
			note(d, "comparing without waiting: %s",
			    jobs[i].e.msg);
		else if (!rs.configured)
			note(d, "'%s' is not a replica: comparing without "
			    "waiting", d->srv[i].operand);
		else
			d->srv[i].synced = 1;
	}
	sync_replicas(d, jobs, all);
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
