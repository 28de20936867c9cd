/* The engine of repl-promote: make one server the source of the others. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_PROMOTE_H
#define REPL_PROMOTE_H

#include "repl_attach.h"
#include "repl_top.h"

/* What a run did. */
enum repl_promote_done {
	REPL_PROMOTE_NOTHING = 0,	/* it was the source of them all */
	REPL_PROMOTE_SWITCHOVER,	/* the old source answered */
	REPL_PROMOTE_FAILOVER		/* the old source was down */
};

struct repl_promote {
	/* Set by the caller. */
	const struct repl_addr *servers;	/* the new source first */
	size_t nservers;
	const struct repl_connopt *opt;
	const char *user;		/* the replication account */
	const char *password;		/* NULL: each keeps its own */
	int failover;			/* the old source may be down */
	int catch_up;			/* from a replica ahead of the new */
	int no_demote;			/* the old source is left alone */
	long long max_lag;		/* transactions; -1: no limit */
	int dry;			/* say the statements, run none */
	int64_t deadline;
	void (*say)(void *, const struct repl_conn *, const char *);
	void (*note)(void *, enum repl_note, const char *);
	void *arg;
	/* Filled by repl_promote_run. */
	enum repl_promote_done done;
	struct repl_top top;		/* what was found, before any change */
	int old;			/* the old source's index, or -1 */
	int peer;			/* a master-master pair's other, or -1 */
	struct repl_coord pos;		/* the new source's line at the end */
};

int repl_promote_run(struct repl_promote *, struct repl_err *);
int repl_promote_check(struct repl_promote *, struct repl_err *);
int repl_promote_ahead(const struct repl_promote *);
int repl_promote_moved(const struct repl_promote *, size_t);
void repl_promote_free(struct repl_promote *);

#endif
