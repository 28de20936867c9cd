/* Errors: a kind, a message, and the server's errno/SQLSTATE. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "replkit.h"

/* Fill err with a kind and a formatted message; never fails. */
void
repl_err_set(struct repl_err *err, enum repl_errkind kind, const char *fmt,
    ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* Reset err to "no error". */
void
repl_err_clear(struct repl_err *err)
{
	memset(err, 0, sizeof(*err));
}

/* Map an error kind to the exit-code table; returns the exit code. */
int
repl_err_exit(const struct repl_err *err)
{
	switch (err->kind) {
	case REPL_E_NONE:
		return REPL_EXIT_OK;
	case REPL_E_NO:
		return REPL_EXIT_NO;
	case REPL_E_PERM:
		return REPL_EXIT_USAGE;
	case REPL_E_TIMEOUT:
		return REPL_EXIT_TIMEOUT;
	case REPL_E_TEMP:
	default:
		return REPL_EXIT_TEMP;
	}
}
