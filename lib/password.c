/* Passwords from a file, never from the command line; wiped at exit. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replkit.h"

#define PW_MAX 1024
#define PW_SLOTS 4

/*
 * Every password the library hands out is kept here, so that whatever
 * path a tool takes to exit, the memory is wiped and freed.
 */
static char *held[PW_SLOTS];

/* Zero n bytes of p in a way the compiler keeps. */
void
repl_wipe(void *p, size_t n)
{
	volatile char *v = p;

	while (n-- > 0)
		*v++ = '\0';
}

static void
wipe(char *p)
{
	repl_wipe(p, strlen(p));
	free(p);
}

static void
wipe_all(void)
{
	int i;

	for (i = 0; i < PW_SLOTS; i++)
		if (held[i] != NULL) {
			wipe(held[i]);
			held[i] = NULL;
		}
}

/* Keep p in the registry; returns p, or NULL (p wiped) when it is full. */
static char *
hold(char *p)
{
	static int registered;
	int i;

	if (p == NULL)
		return NULL;
	if (!registered && atexit(wipe_all) == 0)
		registered = 1;
	for (i = 0; i < PW_SLOTS; i++)
		if (held[i] == NULL) {
			held[i] = p;
			return p;
		}
	wipe(p);
	return NULL;
}

/* Wipe and free a password the library handed out; NULL is ignored. */
void
repl_password_free(char *p)
{
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < PW_SLOTS; i++)
		if (held[i] == p)
			held[i] = NULL;
	wipe(p);
}

/*
 * Read the first line of path (without its newline) into a new string.
 * Returns 0, or -1 with a permanent error.
 */
int
repl_password_read(const char *path, char **pw, struct repl_err *err)
{
	char buf[PW_MAX + 1];
	size_t len = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		repl_err_set(err, REPL_E_PERM,
		    "unable to open password file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while (len < PW_MAX &&
	    ((r = read(fd, buf + len, PW_MAX - len)) > 0 ||
	    (r == -1 && errno == EINTR)))
		if (r > 0)
			len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	*pw = hold(strdup(buf));
	memset(buf, 0, sizeof(buf));
	if (*pw == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * The password of the replication account that repl-attach and
 * repl-promote set on replicas: the first line of file
 * (--repl-password-file) when given, else REPLKIT_REPL_PASSWORD's value,
 * else none (*pw NULL). Returns 0, or -1 with err.
 */
int
repl_password_repl(const char *file, char **pw, struct repl_err *err)
{
	const char *env;

	*pw = NULL;
	if (file != NULL)
		return repl_password_read(file, pw, err);
	if ((env = getenv("REPLKIT_REPL_PASSWORD")) == NULL)
		return 0;
	if ((*pw = hold(strdup(env))) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	return 0;
}
