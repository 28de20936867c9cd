/* Passwords from a file, never from the command line. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replkit.h"

#define PW_MAX 1024

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
	*pw = strdup(buf);
	memset(buf, 0, sizeof(buf));
	if (*pw == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	return 0;
}
