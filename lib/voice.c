/*
 * How a tool shows what an engine does: each statement (on stdout with
 * -n, on stderr with -v) and each remark, as -q, -v and -n ask.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "replkit.h"

/* An engine's say callback; arg is a struct repl_voice. */
void
repl_voice_say(void *arg, const struct repl_conn *c, const char *sql)
{
	const struct repl_voice *v = arg;

	if (v->dry && v->named)
		printf("%s: %s;\n", c->name, sql);
	else if (v->dry)
		printf("%s;\n", sql);
	else if (v->verbose > 1)
		repl_warn("'%s': %s", c->name, sql);
}

/* An engine's note callback; arg is a struct repl_voice. */
void
repl_voice_note(void *arg, enum repl_note level, const char *msg)
{
	const struct repl_voice *v = arg;

	if ((level == REPL_NOTE_WARN && v->verbose) ||
	    (level == REPL_NOTE_INFO && (v->verbose > 1 || v->dry)) ||
	    (level == REPL_NOTE_DEBUG && v->verbose > 1))
		repl_warn("%s", msg);
}
