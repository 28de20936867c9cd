/* The engine of repl-count: a round of counts, its verdict, its output. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_COUNT_H
#define REPL_COUNT_H

#include <stdio.h>
#include <time.h>

#include "repl_table.h"

/*
 * repl-count: row counts of tables on many servers at once. Schema and
 * table names come from servers and from the command line; they reach
 * SQL only through repl_sql_ident and repl_sql_hexstr.
 */

/* One server's answer for one table. */
enum repl_cell_state {
	REPL_CELL_ROWS = 0,	/* rows holds the count */
	REPL_CELL_MISSING,	/* no such table there */
	REPL_CELL_ERROR,	/* the count failed: the server's err */
	REPL_CELL_DOWN		/* the server could not be reached */
};

struct repl_cell {
	enum repl_cell_state state;
	unsigned long long rows;
};

/* A table's verdict across the servers, in the order of precedence. */
enum repl_row_status {
	REPL_ROW_EQUAL = 0,	/* every server counted the same */
	REPL_ROW_DOWN,		/* equal so far; a server down */
	REPL_ROW_ERROR,		/* equal so far; a count failed */
	REPL_ROW_MISSING,	/* missing wherever it was looked for */
	REPL_ROW_DIFFER		/* counts differ, or missing on some */
};

struct repl_count_server {
	const char *operand;		/* as given: the column header */
	struct repl_addr addr;
	int up;				/* connected this round */
	int caught_up;			/* --wait: reached the first's pos */
	struct repl_err err;		/* its first failure this round */
	struct repl_err wait_err;	/* --wait: why it did not catch up */
};

struct repl_count {
	/* Set by the caller. */
	struct repl_count_server *srv;
	size_t nsrv;
	char **dbs;			/* -d: whole schemas */
	size_t ndbs;
	const struct repl_table *want;	/* -T: single tables */
	size_t nwant;
	int estimate;			/* TABLE_ROWS, not COUNT(*) */
	int wait;			/* --wait, for at most timeout ms */
	int64_t timeout;
	/* Filled by repl_count_round. */
	time_t started;
	struct repl_table *tab;		/* sorted, each once */
	size_t ntab;
	struct repl_cell *cell;		/* ntab rows of nsrv cells */
	const char *nodb;		/* a -d schema without tables */
	size_t list_from;		/* the server that listed them */
	struct repl_err err;		/* a failure of the round itself */
};

#define REPL_COUNT_JSON 1		/* repl_count_print: one JSON object */
#define REPL_COUNT_STAMP 2		/* ... text: a time line first */

int repl_count_table(struct repl_conn *, const struct repl_table *, int,
    struct repl_cell *, struct repl_err *);
int repl_count_round(struct repl_count *, const struct repl_connopt *);
void repl_count_free(struct repl_count *);
enum repl_row_status repl_count_row(const struct repl_count *, size_t);
const char *repl_count_status_name(enum repl_row_status);
int repl_count_exit(const struct repl_count *);
int repl_count_print(FILE *, const struct repl_count *, int);

#endif
