/* Setting up and tearing down libmariadb around threads of counting. */
/* SPDX-License-Identifier: MIT */
#include <mysql.h>

#include "replkit.h"

/*
 * Initialize libmariadb once, before any thread uses it: its own lazy
 * initialization is not safe to race. Returns 0, or -1.
 */
int
repl_count_init(void)
{
	return mysql_library_init(0, NULL, NULL) == 0 ? 0 : -1;
}

/* Release what libmariadb holds, once every connection is closed. */
void
repl_count_end(void)
{
	mysql_library_end();
}
