/* Comparing MariaDB GTID positions, domain by domain. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/* The seqno of domain d in the list s; 0 and *found = 0 if absent. */
static unsigned long long
seqno(const char *s, unsigned long d, int *found)
{
	char *end;

	*found = 0;
	while (s != NULL && *s != '\0') {
		unsigned long dom = strtoul(s, &end, 10);
		unsigned long long seq;

		strtoul(end + 1, &end, 10);	/* server_id */
		seq = strtoull(end + 1, &end, 10);
		if (dom == d) {
			*found = 1;
			return seq;
		}
		s = *end == ',' ? end + 1 : NULL;
	}
	return 0;
}

/*
 * Whether position x includes every GTID of y, in the domains y names
 * (with only_shared, just the domains both name). Both must be valid
 * MariaDB GTID lists or empty. Returns 1 if so; else 0, with the first
 * GTID of y that x lacks written into why.
 */
int
repl_gtid_mariadb_covers(const char *x, const char *y, int only_shared,
    char *why, size_t n)
{
	const char *s = y, *start;
	char *end;
	int found;

	while (s != NULL && *s != '\0') {
		unsigned long dom = strtoul(s, &end, 10);
		unsigned long long seq, have;

		start = s;
		strtoul(end + 1, &end, 10);
		seq = strtoull(end + 1, &end, 10);
		have = seqno(x, dom, &found);
		if ((found || !only_shared) && (!found || have < seq)) {
			snprintf(why, n, "%.*s", (int)(end - start), start);
			return 0;
		}
		s = *end == ',' ? end + 1 : NULL;
	}
	return 1;
}
