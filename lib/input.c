/* Whether standard input may carry a coordinate line. */
/* SPDX-License-Identifier: MIT */
#include <sys/stat.h>

#include "replkit.h"

/*
 * Read stdin only when it is a pipe, a socket or a file, so that a tool
 * run from a terminal or with an idle inherited stdin never waits on it.
 * Returns 1 if so, else 0.
 */
int
repl_stdin_has_input(void)
{
	struct stat st;

	return fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode));
}
