/*
 * Reading coordinate lines one at a time as they arrive (repl-wait
 * --follow), each stamped with the time its newline was read, so that a
 * lag measured from it does not count the time a line waited in our
 * buffer.
 */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replkit.h"

#define CAP (REPL_LINE_MAX + 2)

/*
 * Start reading lines from fd. Returns 0, or -1 with a temporary error
 * (out of memory).
 */
int
repl_lines_init(struct repl_lines *l, int fd, struct repl_err *err)
{
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->buf = malloc(CAP);
	/* At most one newline per byte of the buffer. */
	l->stamp = malloc(CAP * sizeof(*l->stamp));
	if (l->buf == NULL || l->stamp == NULL) {
		repl_lines_free(l);
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	return 0;
}

/* Release what repl_lines_init took. */
void
repl_lines_free(struct repl_lines *l)
{
	free(l->buf);
	free(l->stamp);
	l->buf = NULL;
	l->stamp = NULL;
}

/*
 * Read what fd has, waiting at most wait_ms (-1: until something comes).
 * Returns 1 after reading, 0 if nothing came, -1 with err.
 */
static int
fill(struct repl_lines *l, int wait_ms, struct repl_err *err)
{
	struct pollfd p = { .fd = l->fd, .events = POLLIN };
	ssize_t r;
	int64_t now;
	size_t i;

	if (l->eof)
		return 0;
	if (l->len == CAP) {
		repl_err_set(err, REPL_E_PERM, "invalid coordinate line: "
		    "longer than %d bytes", REPL_LINE_MAX);
		return -1;
	}
	for (;;) {
		r = poll(&p, 1, wait_ms);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == 0)
			return 0;
		r = read(l->fd, l->buf + l->len, CAP - l->len);
		if (r == -1 && errno == EINTR)
			continue;
		break;
	}
	if (r == -1) {
		repl_err_set(err, REPL_E_PERM, "unable to read the coordinate "
		    "lines: %s", strerror(errno));
		return -1;
	}
	now = repl_now_us();
	if (r == 0) {
		l->eof = 1;
		l->eof_us = now;
		return 1;
	}
	for (i = l->len; i < l->len + (size_t)r; i++)
		if (l->buf[i] == '\n')
			l->stamp[l->nstamp++] = now;
	l->len += (size_t)r;
	return 1;
}

/* Drop the first n bytes, a line and its newline, and that line's stamp. */
static void
consume(struct repl_lines *l, size_t n, int had_newline)
{
	memmove(l->buf, l->buf + n, l->len - n);
	l->len -= n;
	if (had_newline) {
		memmove(l->stamp, l->stamp + 1,
		    (l->nstamp - 1) * sizeof(*l->stamp));
		l->nstamp--;
	}
}

/*
 * Take in what has arrived on the input without waiting, so that the
 * lines get their stamps now rather than when they are asked for.
 * Returns 0, or -1 with err.
 */
int
repl_lines_poll(struct repl_lines *l, struct repl_err *err)
{
	int r;

	while ((r = fill(l, 0, err)) == 1 && !l->eof && l->len < CAP)
		;
	return r == -1 ? -1 : 0;
}

/*
 * The next line, waiting for it as long as it takes: copied without its
 * newline into line (REPL_LINE_MAX + 1 bytes), its length in *len and
 * the time it arrived (repl_now_us) in *us. A last line without a
 * newline counts. Returns 1 with a line, 0 at the end of the input, or
 * -1 with a permanent error (a line too long, a read error).
 */
int
repl_lines_next(struct repl_lines *l, char *line, size_t *len, int64_t *us,
    struct repl_err *err)
{
	char *nl;
	size_t n;

	for (;;) {
		if ((nl = memchr(l->buf, '\n', l->len)) != NULL) {
			n = (size_t)(nl - l->buf);
			memcpy(line, l->buf, n);
			line[n] = '\0';
			*len = n;
			*us = l->stamp[0];
			consume(l, n + 1, 1);
			return 1;
		}
		if (l->eof) {
			if (l->len == 0)
				return 0;
			memcpy(line, l->buf, l->len);
			line[l->len] = '\0';
			*len = l->len;
			*us = l->eof_us;
			consume(l, l->len, 0);
			return 1;
		}
		if (fill(l, -1, err) == -1)
			return -1;
	}
}
