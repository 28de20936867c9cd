/* Server operands: host[:port], [v6addr]:port, or a unix socket path. */
/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "replkit.h"

#define DEFAULT_PORT 3306

/* An IPv6 address, as inet_pton(3) reads it (no zone, no brackets). */
static int
ipv6_valid(const char *s, size_t n)
{
	char buf[64];
	struct in6_addr a;

	if (n < 2 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

static int
name_valid(const char *s, size_t n)
{
	size_t i, label = 0;

	if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

/*
 * A host as it may appear in a coordinate line or an operand: a DNS name
 * (letters, digits, '-', '_', dots), an IPv4 address, or a bare IPv6
 * address. Returns 1 if valid, else 0.
 */
int
repl_host_valid(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, ':') ? ipv6_valid(s, n) : name_valid(s, n);
}

static int
port_parse(const char *s, unsigned int *port)
{
	unsigned long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (unsigned int)v;
	return 0;
}

/*
 * Parse a server operand into a. Returns 0, or -1 with a permanent error.
 */
int
repl_addr_parse(struct repl_addr *a, const char *s, struct repl_err *err)
{
	const char *host = s, *port = NULL, *close;
	size_t hlen;

	memset(a, 0, sizeof(*a));
	a->port = DEFAULT_PORT;
	if (s[0] == '/') {
		if (strlen(s) > REPL_PATH_MAX)
			goto bad;
		memcpy(a->socket, s, strlen(s) + 1);
		strcpy(a->host, "localhost");
		return 0;
	}
	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL)
			goto bad;
		host = s + 1;
		hlen = (size_t)(close - host);
		if (!ipv6_valid(host, hlen))
			goto bad;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			goto bad;
	} else {
		const char *c = strchr(s, ':');

		if (c != NULL && strchr(c + 1, ':') != NULL) {
			/* a bare IPv6 address, no port */
			hlen = strlen(s);
			if (!ipv6_valid(s, hlen))
				goto bad;
		} else {
			hlen = c ? (size_t)(c - s) : strlen(s);
			if (!name_valid(s, hlen))
				goto bad;
			if (c != NULL)
				port = c + 1;
		}
	}
	if (port != NULL && port_parse(port, &a->port) == -1)
		goto bad;
	memcpy(a->host, host, hlen);
	a->host[hlen] = '\0';
	return 0;
bad:
	repl_err_set(err, REPL_E_PERM,
	    "invalid server '%.300s': expected host[:port], [ipv6]:port "
	    "or /path/to/socket", s);
	return -1;
}

/* Write the operand form of a into buf; returns what snprintf returns. */
size_t
repl_addr_format(char *buf, size_t n, const struct repl_addr *a)
{
	int r;

	if (a->socket[0] != '\0')
		r = snprintf(buf, n, "%s", a->socket);
	else if (strchr(a->host, ':') != NULL)
		r = snprintf(buf, n, "[%s]:%u", a->host, a->port);
	else
		r = snprintf(buf, n, "%s:%u", a->host, a->port);
	return r < 0 ? 0 : (size_t)r;
}
