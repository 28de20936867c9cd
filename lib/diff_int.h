/*
 * What the files of repl-diff's engine share, and no one else: the job of
 * each server, the comparison of a table, the rows of a listing, and the
 * functions one file calls in another (style(9)'s extern.h).
 */
/* SPDX-License-Identifier: MIT */
#ifndef DIFF_INT_H
#define DIFF_INT_H

#include <mysql.h>

#include "replkit.h"

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

/* The servers: threads, catch-up, what the caller is told (diff_job.c). */
void *repl_diff_connect_one(void *arg);
void *repl_diff_schema_one(void *arg);
void repl_diff_failed(struct repl_diff *d, struct job *j);
void repl_diff_free_results(struct job *jobs, size_t n);
int repl_diff_query_all(struct ctx *x, const char *sql, char *on);
int repl_diff_sync(struct repl_diff *d, struct job *jobs, const char *want);
int repl_diff_quiet(struct ctx *x, size_t r);
void repl_diff_emit(struct ctx *x, size_t r, struct repl_diff_rec *rec);

/* Rows, listings and integer keys (diff_row.c). */
void repl_diff_row_free(struct repl_diff_row *r, size_t n);
int repl_diff_row_alloc(struct repl_diff_row *r, size_t n);
int repl_diff_val_set(struct repl_diff_row *r, size_t i, const char *v,
    unsigned long len);
int repl_diff_key_set(const struct repl_diff_tab *t, struct repl_diff_row *r,
    char **v, const unsigned long *len);
int repl_diff_val_cmp(const struct repl_diff_col *c, const char *a,
    unsigned long la, const char *b, unsigned long lb);
int repl_diff_row_cmp(const struct repl_diff_tab *t,
    const struct repl_diff_row *a, const struct repl_diff_row *b);
struct item *repl_diff_items(const struct repl_diff_tab *t, MYSQL_RES *res,
    size_t *n, unsigned long **lens);
int repl_diff_merge(const struct repl_diff_tab *t, const struct item *a,
    size_t na, const struct item *b, size_t nb, int tail, struct found **f,
    size_t *nf);
void repl_diff_found_free(struct found *f, size_t n, size_t ncol);
int repl_diff_key_step(struct ctx *x, const struct repl_diff_row *lo,
    const struct repl_diff_row *bound, unsigned long long step,
    struct repl_diff_row *hi, int *last);
unsigned long long repl_diff_next_step(unsigned long long,
    unsigned long long, unsigned long long, unsigned long long);
unsigned long long repl_diff_key_span(struct ctx *x,
    const struct repl_diff_row *lo, const struct repl_diff_row *hi);
int repl_diff_key_copy(const struct repl_diff_tab *t, struct repl_diff_row *dst,
    const struct repl_diff_row *src);

/* Narrowing a range to its rows (diff_narrow.c). */
int repl_diff_narrow(struct ctx *x, size_t r, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, int tail);
void repl_diff_narrow_all(struct ctx *x, const char *differ,
    const struct repl_diff_row *lo, const struct repl_diff_row *hi,
    unsigned long long rows);

/* Checksums, and where a chunk ends (diff_sum.c). */
int repl_diff_checksum(struct ctx *x, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, char *differ, unsigned long long *rows,
    int64_t *ms);
int repl_diff_key_at(struct ctx *x, const struct repl_diff_row *lo,
    const struct repl_diff_row *bound, int desc, unsigned long long n,
    struct repl_diff_row *r, int *got);
int repl_diff_part_sums(struct ctx *x, size_t r, const struct repl_diff_row *lo,
    const struct repl_diff_row *hi, int *differ, unsigned long long *rows);

#endif
