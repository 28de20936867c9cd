/* Server flavor and version, from the handshake's version string. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "replkit.h"

/* The flavor's name in coordinate lines; returns a static string. */
const char *
repl_flavor_name(enum repl_flavor f)
{
	switch (f) {
	case REPL_FLAVOR_MARIADB:
		return "mariadb";
	case REPL_FLAVOR_MYSQL:
		return "mysql";
	default:
		return "unknown";
	}
}

/* Returns the flavor named s, or -1. */
int
repl_flavor_parse(const char *s)
{
	if (strcmp(s, "mariadb") == 0)
		return REPL_FLAVOR_MARIADB;
	if (strcmp(s, "mysql") == 0)
		return REPL_FLAVOR_MYSQL;
	return -1;
}

static const char *
triple(const char *s, unsigned long *v)
{
	unsigned long part[3] = { 0, 0, 0 };
	int i;

	for (i = 0; i < 3; i++) {
		if (*s < '0' || *s > '9')
			return NULL;
		for (; *s >= '0' && *s <= '9'; s++)
			if ((part[i] = part[i] * 10 + (unsigned long)(*s - '0'))
			    > 99999)
				return NULL;
		if (i < 2 && *s++ != '.')
			return NULL;
	}
	if (part[1] > 99 || part[2] > 99)
		return NULL;
	*v = part[0] * 10000 + part[1] * 100 + part[2];
	return s;
}

/*
 * Parse a server version string ("10.11.6-MariaDB-0+deb12u1", "8.4.3",
 * "5.5.5-10.6.12-MariaDB-log") into flavor and version. Returns 0 or -1.
 */
int
repl_server_parse(struct repl_server *srv, const char *info)
{
	const char *rest;

	/* MariaDB before 11 may prefix 5.5.5- for old clients. */
	if (strncmp(info, "5.5.5-", 6) == 0 && strstr(info, "MariaDB"))
		info += 6;
	if ((rest = triple(info, &srv->version)) == NULL)
		return -1;
	srv->flavor = strstr(rest, "MariaDB") ? REPL_FLAVOR_MARIADB :
	    REPL_FLAVOR_MYSQL;
	return 0;
}
