/* The parts of repl-clone's engine that only its own files share. */
/* SPDX-License-Identifier: MIT */
#ifndef CLONE_INT_H
#define CLONE_INT_H

#include "replkit.h"

struct pool;

/* A worker: a link to the source (in the snapshot), one to the replica. */
struct clone_worker {
	struct repl_conn src, rep;
	struct pool *pool;
	void *res;			/* MYSQL_RES * being streamed */
	unsigned int nf;
	char *buf;			/* the encoded row being sent */
	size_t cap, len, off;
	int eof;
	unsigned long long rows, bytes;	/* sent, in all */
	unsigned long long rows_told, bytes_told, rows_chunk;
	struct repl_err src_err;	/* why the source's rows stopped */
};

int repl_clone_plan(struct repl_conn *, struct repl_clone *,
    struct repl_err *);
int clone_copy(struct repl_clone *, struct clone_worker *, size_t,
    const struct repl_clone_chunk *, size_t, struct repl_err *);
int clone_session_src(struct repl_conn *, int, struct repl_err *);
int clone_session_rep(struct repl_conn *, int, struct repl_err *);
int clone_snapshot(struct repl_clone *, struct repl_conn *,
    struct clone_worker *, size_t, int, struct repl_err *);
int clone_unlock(struct repl_clone *, struct repl_conn *, struct repl_err *);
int clone_create(struct repl_clone *, struct repl_conn *,
    struct repl_conn *, struct repl_err *);
int clone_objects(struct repl_clone *, struct repl_conn *,
    struct repl_conn *, struct repl_err *);
int clone_check_replica(struct repl_clone *, struct repl_conn *,
    struct repl_conn *, struct repl_err *);
int clone_mark(struct repl_clone *, struct repl_conn *, struct repl_err *);
int clone_unmark(struct repl_clone *, struct repl_conn *, struct repl_err *);
int clone_instance(struct repl_clone *, struct repl_err *);
int clone_recheck(struct repl_conn *, const struct repl_clone *, char *,
    size_t, struct repl_err *);

#endif
