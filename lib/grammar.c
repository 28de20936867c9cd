/* The grammars of values that end up inside SQL: files, GTIDs, UUIDs. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "replkit.h"

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int
ishex(char c)
{
	return isdig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Parse an unsigned decimal of at most max; returns chars used, 0 if bad. */
static size_t
number(const char *s, unsigned long long max, unsigned long long *v)
{
	size_t i;
	unsigned long long n = 0;

	for (i = 0; isdig(s[i]); i++) {
		if (i == 20 || n > (max - (unsigned)(s[i] - '0')) / 10)
			return 0;
		n = n * 10 + (unsigned)(s[i] - '0');
	}
	if (i > 1 && s[0] == '0')
		return 0;
	*v = n;
	return i;
}

/*
 * A binary log file name: letters, digits, '.', '-', '_', not starting
 * with a dot. Returns 1 if valid.
 */
int
repl_file_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > REPL_FILE_MAX || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!(isdig(s[i]) || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' ||
		    s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* A server UUID, 8-4-4-4-12 hex digits. Returns 1 if valid. */
int
repl_uuid_valid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t i, d = 0;

	if (strlen(s) != REPL_UUID_LEN)
		return 0;
	for (i = 0; i < REPL_UUID_LEN; i++) {
		if (d < 4 && (int)i == dash[d]) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!ishex(s[i]))
			return 0;
	}
	return 1;
}

/* MariaDB: domain-server-seqno, comma separated, one per domain. */
static int
mariadb_gtid_valid(const char *s)
{
	unsigned long long v, domains[64];
	size_t n, i, ndom = 0;

	for (;;) {
		if ((n = number(s, 0xffffffffULL, &v)) == 0 || s[n] != '-')
			return 0;
		for (i = 0; i < ndom; i++)
			if (domains[i] == v)
				return 0;
		if (ndom == 64)
			return 0;
		domains[ndom++] = v;
		s += n + 1;
		if ((n = number(s, 0xffffffffULL, &v)) == 0 || s[n] != '-')
			return 0;
		s += n + 1;
		if ((n = number(s, ~0ULL, &v)) == 0)
			return 0;
		s += n;
		if (*s == '\0')
			return 1;
		if (*s++ != ',')
			return 0;
	}
}

static size_t
tag_len(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	    s[0] == '_'))
		return 0;
	for (i = 1; i < 33; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || isdig(s[i]) || s[i] == '_'))
			return i;
	return 0;
}

/*
 * MySQL: uuid(:tag|:N|:N-M)+ comma separated; tags (8.3+) name the
 * intervals after them, so the last element is an interval.
 */
static int
mysql_gtid_valid(const char *s)
{
	char uuid[REPL_UUID_LEN + 1];
	unsigned long long a, b;
	size_t n;
	int last_interval;

	for (;;) {
		if (strlen(s) < REPL_UUID_LEN)
			return 0;
		memcpy(uuid, s, REPL_UUID_LEN);
		uuid[REPL_UUID_LEN] = '\0';
		if (!repl_uuid_valid(uuid))
			return 0;
		s += REPL_UUID_LEN;
		last_interval = 0;
		while (*s == ':') {
			s++;
			if ((n = tag_len(s)) != 0) {
				s += n;
				last_interval = 0;
				continue;
			}
			if ((n = number(s, (1ULL << 63) - 1, &a)) == 0 || a == 0)
				return 0;
			s += n;
			if (*s == '-') {
				s++;
				if ((n = number(s, (1ULL << 63) - 1, &b)) == 0 ||
				    b < a)
					return 0;
				s += n;
			}
			last_interval = 1;
		}
		if (!last_interval)
			return 0;
		if (*s == '\0')
			return 1;
		if (*s++ != ',')
			return 0;
	}
}

/* A non-empty GTID position or set of the flavor. Returns 1 if valid. */
int
repl_gtid_valid(enum repl_flavor f, const char *s)
{
	if (strlen(s) == 0 || strlen(s) > REPL_GTID_MAX)
		return 0;
	if (f == REPL_FLAVOR_MARIADB)
		return mariadb_gtid_valid(s);
	if (f == REPL_FLAVOR_MYSQL)
		return mysql_gtid_valid(s);
	return 0;
}
