/*
 * MySQL GTID sets compared by the server itself (GTID_SUBTRACT), for the
 * checks repl-attach makes before it changes anything.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/*
 * Copy the set s (NULL: empty) into dst, of n bytes, without the white
 * space MySQL puts between the parts of a long set; dst may be s.
 * Returns 0, or -1 when it does not fit.
 */
int
repl_gtid_squeeze_into(char *dst, size_t n, const char *s)
{
	size_t j = 0;

	for (; s != NULL && *s != '\0'; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
			continue;
		if (j + 1 >= n)
			return -1;
		dst[j++] = *s;
	}
	if (n > 0)
		dst[j] = '\0';
	return n > 0 ? 0 : -1;
}

/* The same, in place. */
void
repl_gtid_squeeze(char *s)
{
	(void)repl_gtid_squeeze_into(s, strlen(s) + 1, s);
}

/*
 * Write into out the transactions of set a that set b lacks, as server c
 * computes them ("" when a is a subset of b); NULL for a or b is c's own
 * gtid_executed. Returns 0, or -1 with err.
 */
int
repl_gtid_mysql_minus(struct repl_conn *c, const char *a, const char *b,
    char *out, size_t n, struct repl_err *err)
{
	char *sql, *sa = NULL, *sb = NULL;
	size_t max = 2 * REPL_GTID_MAX + 128;
	int isnull, r = -1;

	if ((sql = malloc(max)) == NULL ||
	    (a != NULL && (sa = strdup(a)) == NULL) ||
	    (b != NULL && (sb = strdup(b)) == NULL)) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	if (sa != NULL)
		repl_gtid_squeeze(sa);
	if (sb != NULL)
		repl_gtid_squeeze(sb);
	if (repl_sql_gtid_subtract(sql, max, sa, sb) == -1) {
		repl_err_set(err, REPL_E_PERM, "'%s': GTID set too long or "
		    "not a GTID set", c->name);
		goto out;
	}
	if (repl_conn_scalar(c, sql, out, n, &isnull, err) == -1)
		goto out;
	repl_gtid_squeeze(out);
	r = 0;
out:
	free(sql);
	free(sa);
	free(sb);
	return r;
}
