/* Output discipline: messages on stderr, stdout checked at exit. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "replkit.h"

const char *repl_progname = "replkit";

/* Print "prog: message" on stderr. */
void
repl_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", repl_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Flush and close stdout; returns 0, or -1 after saying why on stderr.
 * A closed stdout is an error only if something was to be written there.
 */
int
repl_fshut(void)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);

	if (fclose(stdout) != 0 && errno != EBADF)
		bad = 1;
	if (bad) {
		repl_warn("unable to write to stdout: %s", strerror(errno));
		return -1;
	}
	return 0;
}
