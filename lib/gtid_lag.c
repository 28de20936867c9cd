/*
 * How many transactions one GTID position holds that another lacks: the
 * lag of a replica behind its source, in transactions (repl-top).
 */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/*
 * MariaDB: over the domains of src, how far have's seqno is behind
 * src's (a domain have lacks counts from 0). Both are GTID lists as the
 * grammar allows. Returns the count.
 */
unsigned long long
repl_gtid_mariadb_lag(const char *src, const char *have)
{
	unsigned long long lag = 0;
	const char *s = src;
	char *end;

	while (s != NULL && *s != '\0') {
		unsigned long dom = strtoul(s, &end, 10);
		unsigned long long seq, got = 0;
		const char *h = have;
		char *e2;

		strtoul(end + 1, &end, 10);
		seq = strtoull(end + 1, &end, 10);
		while (h != NULL && *h != '\0') {
			unsigned long d = strtoul(h, &e2, 10);
			unsigned long long q;

			strtoul(e2 + 1, &e2, 10);
			q = strtoull(e2 + 1, &e2, 10);
			if (d == dom)
				got = q;
			h = *e2 == ',' ? e2 + 1 : NULL;
		}
		if (seq > got)
			lag += seq - got;
		s = *end == ',' ? end + 1 : NULL;
	}
	return lag;
}

/*
 * One interval of a MySQL GTID set: its source (a uuid, and a tag or
 * none, as pointers into the set's text) and its bounds.
 */
struct ival {
	const char *uuid;
	const char *tag;
	size_t taglen;
	unsigned long long lo, hi;
};

static int
same_source(const struct ival *a, const struct ival *b)
{
	return strncmp(a->uuid, b->uuid, 36) == 0 && a->taglen == b->taglen &&
	    (a->taglen == 0 || strncmp(a->tag, b->tag, a->taglen) == 0);
}

/*
 * Parse a MySQL GTID set (uuid[:tag]:a[-b][:...][:tag:...],...) into
 * intervals; *n gets their count. Returns the array (free it), or NULL
 * with *n = 0 (on a bad set, or no memory, *bad = 1).
 */
static struct ival *
parse(const char *set, size_t *n, int *bad)
{
	struct ival *v = NULL, *nv;
	size_t cap = 0, taglen;
	const char *p = set, *uuid, *tag;
	char *end;
	int nint;

	*n = 0;
	*bad = 0;
	while (*p != '\0') {
		uuid = p;
		if (strcspn(p, ":,") != 36 || p[36] != ':')
			goto bad;
		p += 36;
		tag = NULL;
		taglen = 0;
		nint = 0;
		while (*p == ':') {
			unsigned long long lo, hi;

			if (!isdigit((unsigned char)p[1])) {
				/* A tag: the intervals after it are its own. */
				tag = p + 1;
				taglen = strcspn(tag, ":,");
				if (taglen == 0 || tag[taglen] != ':')
					goto bad;
				p = tag + taglen;
				continue;
			}
			lo = hi = strtoull(p + 1, &end, 10);
			if (*end == '-') {
				if (!isdigit((unsigned char)end[1]))
					goto bad;
				hi = strtoull(end + 1, &end, 10);
			}
			if (hi < lo)
				goto bad;
			if (*n == cap) {
				cap = cap ? 2 * cap : 16;
				if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
					goto bad;
				v = nv;
			}
			v[*n].uuid = uuid;
			v[*n].tag = tag;
			v[*n].taglen = taglen;
			v[*n].lo = lo;
			v[*n].hi = hi;
			(*n)++;
			nint++;
			p = end;
		}
		if (nint == 0)
			goto bad;
		if (*p == ',')
			p++;
		else if (*p != '\0')
			goto bad;
	}
	return v;
bad:
	free(v);
	*n = 0;
	*bad = 1;
	return NULL;
}

/*
 * MySQL: the number of transactions of set src that set have lacks.
 * Sets come without white space (repl_gtid_squeeze), uuids in the case
 * the server prints them. Returns 0 with *lag, or -1 on a bad set.
 */
int
repl_gtid_mysql_lag(const char *src, const char *have,
    unsigned long long *lag)
{
	struct ival *s, *h;
	size_t ns, nh, i, j;
	int bad;

	*lag = 0;
	s = parse(src, &ns, &bad);
	if (bad)
		return -1;
	h = parse(have, &nh, &bad);
	if (bad) {
		free(s);
		return -1;
	}
	/* The intervals of one set are disjoint: overlaps add up. */
	for (i = 0; i < ns; i++) {
		unsigned long long miss = s[i].hi - s[i].lo + 1;

		for (j = 0; j < nh; j++) {
			unsigned long long lo, hi;

			if (!same_source(&h[j], &s[i]))
				continue;
			lo = h[j].lo > s[i].lo ? h[j].lo : s[i].lo;
			hi = h[j].hi < s[i].hi ? h[j].hi : s[i].hi;
			if (lo <= hi)
				miss -= hi - lo + 1;
		}
		*lag += miss;
	}
	free(s);
	free(h);
	return 0;
}
