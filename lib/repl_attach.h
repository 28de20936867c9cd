/* The engine of repl-attach: the checks before a change, the wait after. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_ATTACH_H
#define REPL_ATTACH_H

#include "repl_sql.h"

int repl_attach_check(struct repl_conn *, const struct repl_coord *,
    enum repl_start, int, struct repl_err *);
int repl_attach_wait(struct repl_conn *, int64_t, struct repl_err *);

#endif
