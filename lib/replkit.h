/* replkit: the library every repl-* tool is a short script over. */
/* SPDX-License-Identifier: MIT */
#ifndef REPLKIT_H
#define REPLKIT_H

/* The layers, bottom up: each header includes the ones it builds on. */
#include "repl_base.h"
#include "repl_conn.h"
#include "repl_coord.h"
#include "repl_sql.h"
#include "repl_replica.h"
#include "repl_table.h"

/* The engines, one per tool that has one. */
#include "repl_attach.h"
#include "repl_count.h"
#include "repl_feed.h"
#include "repl_diff.h"
#include "repl_top.h"
#include "repl_promote.h"
#include "repl_clone.h"

#endif
