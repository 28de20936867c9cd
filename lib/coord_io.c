/* Reading a coordinate line from a file descriptor, and printing one. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replkit.h"

/*
 * Wait until fd is readable or the deadline (repl_now_ms() time; -1 for
 * none) passes. Returns 1 readable, 0 timed out, -1 on error.
 */
static int
readable(int fd, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t left;
	int r;

	if (fd < 0)
		return 1;	/* let read(2) say what is wrong */
	for (;;) {
		left = deadline < 0 ? -1 : deadline - repl_now_ms();
		if (deadline >= 0 && left < 0)
			left = 0;
		r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == 0 && (deadline < 0 || repl_now_ms() < deadline))
			continue;
		return r;
	}
}

/*
 * Read all of fd (at most one line, REPL_LINE_MAX bytes, the newline
 * optional) and parse it; an input that does not end by the deadline
 * (-1: none) is a timeout, so an idle pipe never hangs a tool. Returns 0,
 * or -1 with a permanent error or REPL_E_TIMEOUT.
 */
int
repl_coord_read(struct repl_coord *c, int fd, int64_t deadline,
    struct repl_err *err)
{
	char *buf;
	size_t len = 0, cap = REPL_LINE_MAX + 2;
	ssize_t r;
	int ret = -1;

	if ((buf = malloc(cap)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	while (len < cap) {
		if ((r = readable(fd, deadline)) == 0) {
			repl_err_set(err, REPL_E_TIMEOUT, "timed out reading "
			    "the coordinate line from standard input");
			goto out;
		}
		if (r == 1)
			r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			repl_err_set(err, REPL_E_PERM,
			    "unable to read the coordinate line: %s",
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len == cap) {
		repl_err_set(err, REPL_E_PERM,
		    "invalid coordinate line: longer than %d bytes",
		    REPL_LINE_MAX);
		goto out;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len == 0) {
		repl_err_set(err, REPL_E_PERM,
		    "no coordinate line on standard input");
		goto out;
	}
	if (memchr(buf, '\n', len) != NULL) {
		repl_err_set(err, REPL_E_PERM,
		    "invalid coordinate line: more than one line of input");
		goto out;
	}
	ret = repl_coord_parse(c, buf, len, err);
out:
	free(buf);
	return ret;
}

/*
 * Print the members of c as a JSON object has them, without the braces,
 * for a tool that adds its own (repl-clone --json); every value has
 * passed its grammar.
 */
void
repl_coord_json_members(const struct repl_coord *c)
{
	printf("\"flavor\":\"%s\"", repl_flavor_name(c->flavor));
	if (c->host[0] != '\0')
		printf(",\"host\":\"%s\"", c->host);
	if (c->port != 0)
		printf(",\"port\":%u", c->port);
	if (c->has_server_id)
		printf(",\"server_id\":%lu", c->server_id);
	if (c->file[0] != '\0')
		printf(",\"file\":\"%s\",\"pos\":%llu", c->file, c->pos);
	printf(",\"gtid\":\"%s\"", c->gtid);
	if (c->uuid[0] != '\0')
		printf(",\"uuid\":\"%s\"", c->uuid);
}

/* Print c as one JSON object. */
static void
print_json(const struct repl_coord *c)
{
	putchar('{');
	repl_coord_json_members(c);
	printf("}\n");
}

/*
 * Print c as a coordinate line, or as one JSON object. Write errors are
 * left for repl_fshut to find.
 */
void
repl_coord_print(const struct repl_coord *c, int json)
{
	if (json) {
		print_json(c);
		return;
	}
	printf("flavor=%s", repl_flavor_name(c->flavor));
	if (c->host[0] != '\0')
		printf(" host=%s", c->host);
	if (c->port != 0)
		printf(" port=%u", c->port);
	if (c->has_server_id)
		printf(" server_id=%lu", c->server_id);
	if (c->file[0] != '\0')
		printf(" file=%s pos=%llu", c->file, c->pos);
	printf(" gtid=%s", c->gtid);
	if (c->uuid[0] != '\0')
		printf(" uuid=%s", c->uuid);
	printf("\n");
}
