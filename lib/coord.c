/*
 * The coordinate line, parsed strictly: every value that replkit uses is
 * checked against its grammar before anything reaches a server.
 */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "replkit.h"

enum { F_FLAVOR, F_HOST, F_PORT, F_SERVER_ID, F_FILE, F_POS, F_GTID, F_UUID,
	F_N };
static const char *const keys[F_N] = { "flavor", "host", "port",
	"server_id", "file", "pos", "gtid", "uuid" };

static int
key_valid(const char *k, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || !(k[0] >= 'a' && k[0] <= 'z'))
		return 0;
	for (i = 1; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

static int
unum(const char *s, unsigned long long max, unsigned long long *v)
{
	unsigned long long n = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' ||
		    n > (max - (unsigned)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(*s - '0');
	}
	*v = n;
	return 0;
}

static int
bad(struct repl_err *err, const char *what, const char *val)
{
	repl_err_set(err, REPL_E_PERM, "invalid coordinate line: %s '%.64s%s'",
	    what, val, strlen(val) > 64 ? "..." : "");
	return -1;
}

/*
 * Parse one coordinate line of len bytes (no newline) into c. Unknown
 * keys are skipped; known ones must match their grammar and appear once.
 * Returns 0, or -1 with a permanent error.
 */
int
repl_coord_parse(struct repl_coord *c, const char *line, size_t len,
    struct repl_err *err)
{
	char val[REPL_LINE_MAX + 1];
	const char *p = line, *end = line + len, *eq, *ws;
	int seen[F_N] = { 0 };
	unsigned long long v;
	size_t klen, vlen;
	int k, fl;

	memset(c, 0, sizeof(*c));
	if (len > REPL_LINE_MAX)
		return bad(err, "line too long", "");
	if (memchr(line, '\0', len) != NULL)
		return bad(err, "NUL byte in", "");
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		for (ws = p; ws < end && *ws != ' ' && *ws != '\t'; ws++)
			;
		if ((eq = memchr(p, '=', (size_t)(ws - p))) == NULL)
			return bad(err, "field without '=':",
			    (memcpy(val, p, (size_t)(ws - p)),
			    val[ws - p] = '\0', val));
		klen = (size_t)(eq - p);
		vlen = (size_t)(ws - eq - 1);
		memcpy(val, p, klen);
		val[klen] = '\0';
		if (!key_valid(p, klen))
			return bad(err, "key", val);
		for (k = 0; k < F_N; k++)
			if (strlen(keys[k]) == klen &&
			    memcmp(keys[k], p, klen) == 0)
				break;
		memcpy(val, eq + 1, vlen);
		val[vlen] = '\0';
		p = ws;
		if (k == F_N)
			continue;
		if (seen[k]++)
			return bad(err, "repeated key", keys[k]);
		switch (k) {
		case F_FLAVOR:
			if ((fl = repl_flavor_parse(val)) == -1)
				return bad(err, "flavor", val);
			c->flavor = (enum repl_flavor)fl;
			break;
		case F_HOST:
			if (!repl_host_valid(val))
				return bad(err, "host", val);
			strcpy(c->host, val);
			break;
		case F_PORT:
			if (unum(val, 65535, &v) == -1 || v == 0)
				return bad(err, "port", val);
			c->port = (unsigned int)v;
			break;
		case F_SERVER_ID:
			if (unum(val, 4294967295ULL, &v) == -1)
				return bad(err, "server_id", val);
			c->server_id = (unsigned long)v;
			c->has_server_id = 1;
			break;
		case F_FILE:
			if (!repl_file_valid(val))
				return bad(err, "file", val);
			strcpy(c->file, val);
			break;
		case F_POS:
			if (unum(val, (1ULL << 63) - 1, &v) == -1 || v == 0)
				return bad(err, "pos", val);
			c->pos = v;
			break;
		case F_GTID:
			if (vlen > REPL_GTID_MAX)
				return bad(err, "gtid", val);
			strcpy(c->gtid, val);
			break;
		case F_UUID:
			if (!repl_uuid_valid(val))
				return bad(err, "uuid", val);
			strcpy(c->uuid, val);
			break;
		}
	}
	if (!seen[F_FLAVOR])
		return bad(err, "missing", "flavor");
	/* The GTID grammar depends on the flavor, so check it last. */
	if (c->gtid[0] != '\0') {
		if (!repl_gtid_valid(c->flavor, c->gtid))
			return bad(err, "gtid", c->gtid);
		c->has_gtid = 1;
	}
	if ((c->file[0] != '\0') != (c->pos != 0))
		return bad(err, "file and pos go together, missing",
		    c->pos ? "file" : "pos");
	if (!c->has_gtid && c->file[0] == '\0')
		return bad(err, "no position: neither", "gtid nor file/pos");
	return 0;
}
