/* Output discipline: messages on stderr, stdout checked at exit. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "replkit.h"

const char *repl_progname = "replkit";

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", repl_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print "prog: message" on stderr. */
void
repl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

/*
 * A usage error: say what is wrong (fmt NULL: nothing), then the usage,
 * on stderr. Returns REPL_EXIT_USAGE.
 */
int
repl_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarn(fmt, ap);
		va_end(ap);
	}
	fputs(usage, stderr);
	return REPL_EXIT_USAGE;
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
