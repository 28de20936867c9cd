/*
 * An engine's remarks for its caller, who decides what to show (-q, -v):
 * formatted here once, whichever engine speaks.
 */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "replkit.h"

/* Format a remark and pass it to fn with arg, if fn is set. */
void
repl_note(void (*fn)(void *, enum repl_note, const char *), void *arg,
    enum repl_note level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn(arg, level, msg);
}
