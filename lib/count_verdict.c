/* What a round of counts says: per table, and as an exit status. */
/* SPDX-License-Identifier: MIT */
#include "replkit.h"

/*
 * The verdict on table t: differ when two servers counted differently
 * or the table is missing on some server but not on another; missing
 * when missing on every server that answered; else error, down or
 * equal, as the servers that did not answer say. Returns the verdict.
 */
enum repl_row_status
repl_count_row(const struct repl_count *rc, size_t t)
{
	const struct repl_cell *c = rc->cell + t * rc->nsrv;
	unsigned long long min = 0, max = 0;
	int rows = 0, missing = 0, error = 0, down = 0;
	size_t i;

	for (i = 0; i < rc->nsrv; i++) {
		switch (c[i].state) {
		case REPL_CELL_ROWS:
			if (!rows || c[i].rows < min)
				min = c[i].rows;
			if (!rows || c[i].rows > max)
				max = c[i].rows;
			rows = 1;
			break;
		case REPL_CELL_MISSING:
			missing = 1;
			break;
		case REPL_CELL_ERROR:
			error = 1;
			break;
		case REPL_CELL_DOWN:
			down = 1;
			break;
		}
	}
	if (rows && (min != max || missing))
		return REPL_ROW_DIFFER;
	if (missing)
		return REPL_ROW_MISSING;
	if (error)
		return REPL_ROW_ERROR;
	if (down)
		return REPL_ROW_DOWN;
	return REPL_ROW_EQUAL;
}

/* The word for a verdict, as printed. Returns a static string. */
const char *
repl_count_status_name(enum repl_row_status s)
{
	switch (s) {
	case REPL_ROW_EQUAL:
		return "equal";
	case REPL_ROW_DOWN:
		return "down";
	case REPL_ROW_ERROR:
		return "error";
	case REPL_ROW_MISSING:
		return "missing";
	case REPL_ROW_DIFFER:
		return "differ";
	}
	return "unknown";
}

static void
worse(enum repl_errkind kind, int *perm, int *temp)
{
	if (kind == REPL_E_PERM)
		*perm = 1;
	else if (kind != REPL_E_NONE)
		*temp = 1;
}

/*
 * The exit status of a round: 1 when a table differs or is missing, or
 * a schema of -d has no table; else 2 when a failure is permanent (a
 * refused login, a missing privilege); else 3 when a server could not
 * be reached or a count failed for a reason a retry may cure; else 0,
 * every count equal. Returns the status.
 */
int
repl_count_exit(const struct repl_count *rc)
{
	enum repl_row_status s;
	int perm = 0, temp = 0;
	size_t i;

	if (rc->nodb != NULL)
		return REPL_EXIT_NO;
	for (i = 0; i < rc->ntab; i++) {
		s = repl_count_row(rc, i);
		if (s == REPL_ROW_DIFFER || s == REPL_ROW_MISSING)
			return REPL_EXIT_NO;
	}
	worse(rc->err.kind, &perm, &temp);
	for (i = 0; i < rc->nsrv; i++) {
		worse(rc->srv[i].err.kind, &perm, &temp);
		if (!rc->srv[i].up)
			temp = 1;
	}
	return perm ? REPL_EXIT_USAGE : temp ? REPL_EXIT_TEMP : REPL_EXIT_OK;
}
