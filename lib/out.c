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

/* Say why a tool failed, as err has it; returns its exit code. */
int
repl_fail(const struct repl_err *err)
{
	repl_warn("%s", err->msg);
	return repl_err_exit(err);
}

/*
 * A usage error, which every tool reports here: say what is wrong (fmt
 * NULL: nothing), then the usage unless it is NULL, on stderr. The usage
 * is for a command line of the wrong shape: an unknown option, operands
 * too few or too many, options that go together or exclude each other.
 * A bad value gets its message alone (usage NULL), which says what is
 * expected, as OpenBSD's tools do. Returns REPL_EXIT_USAGE.
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
	if (usage != NULL)
		fputs(usage, stderr);
	return REPL_EXIT_USAGE;
}

/*
 * --help: the usage on stdout, which is then closed. Returns the exit
 * code: REPL_EXIT_OK, or REPL_EXIT_TEMP when it could not be written.
 */
int
repl_help(const char *usage)
{
	fputs(usage, stdout);
	return repl_fshut() == -1 ? REPL_EXIT_TEMP : REPL_EXIT_OK;
}

/* --version: "prog VERSION" on stdout, which is then closed; as repl_help. */
int
repl_version(void)
{
	printf("%s %s\n", repl_progname, REPLKIT_VERSION);
	return repl_fshut() == -1 ? REPL_EXIT_TEMP : REPL_EXIT_OK;
}

/*
 * Flush and close stdout, once: a later call answers as the first did.
 * Returns 0, or -1 after saying why on stderr. A closed stdout is an
 * error only if something was to be written there.
 */
int
repl_fshut(void)
{
	static int done, ret;
	int bad;

	if (done)
		return ret;
	done = 1;
	bad = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0 && errno != EBADF)
		bad = 1;
	if (bad) {
		repl_warn("unable to write to stdout: %s", strerror(errno));
		ret = -1;
	}
	return ret;
}
