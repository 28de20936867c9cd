/* The engine of repl-attach: the checks, the statements, the wait. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_ATTACH_H
#define REPL_ATTACH_H

#include "repl_sql.h"

/*
 * The database repl-clone creates on the replica before its first change
 * and drops after its last: while it exists the replica holds half a
 * copy, and repl-attach refuses it.
 */
#define REPL_CLONE_MARKER "replkit_incomplete_clone"

int repl_server_distinct(struct repl_conn *, const struct repl_coord *,
    struct repl_err *);
int repl_attach_check(struct repl_conn *, const struct repl_coord *,
    enum repl_start, int, struct repl_err *);
int repl_attach_wait(struct repl_conn *, int64_t, long long,
    struct repl_err *);

/* How a tool shows an engine's statements and remarks (lib/voice.c). */
struct repl_voice {
	int verbose;			/* 0 with -q, 1, 2 with -v */
	int dry;			/* -n: the statements on stdout */
	int named;			/* ... each after its server's name */
};

void repl_voice_say(void *, const struct repl_conn *, const char *);
void repl_voice_note(void *, enum repl_note, const char *);

/* What a run did. */
enum repl_attach_done {
	REPL_ATTACH_NOTHING = 0,	/* replicates from that source already */
	REPL_ATTACH_STARTED,		/* set up for it but stopped: started */
	REPL_ATTACH_POINTED		/* pointed at the source and started */
};

/*
 * Point a replica at a source: the fields "set by the caller", then
 * repl_attach_run fills "done". Each statement goes to say, the password
 * masked; with dry, none is run.
 */
struct repl_attach {
	/* Set by the caller. */
	struct repl_coord co;		/* the source's coordinate line */
	const struct repl_connopt *opt;	/* to reach the source's checks */
	const char *user;		/* the replication user */
	const char *password;		/* NULL: the replica keeps its own */
	const char *ssl_ca;		/* a CA path on the replica, or NULL */
	enum repl_ssl_mode ssl_mode;	/* of the replication channel */
	unsigned int connect_retry;	/* seconds; 0: the server's default */
	int nogtid;			/* by file and position */
	int at_position;		/* set the replica's GTID position */
	int force;			/* re-point from another source */
	int dry;			/* say the statements, run none */
	int64_t deadline;		/* for the threads to run */
	void (*say)(void *, const struct repl_conn *, const char *);
	void (*note)(void *, enum repl_note, const char *);
	void *arg;
	/* Filled by repl_attach_run. */
	enum repl_attach_done done;
};

/* The statements, in order, as run and as shown (the password masked). */
#define REPL_ATTACH_STEPS 4
struct repl_attach_plan {
	char *sql[REPL_ATTACH_STEPS];
	char *shown[REPL_ATTACH_STEPS];
	size_t n;
};

int repl_attach_plan(struct repl_attach_plan *, const struct repl_server *,
    const struct repl_source *, const char *, const char *);
void repl_attach_plan_free(struct repl_attach_plan *);
int repl_attach_run(struct repl_attach *, struct repl_conn *,
    struct repl_err *);
int repl_attach_purged(struct repl_attach *, struct repl_conn *,
    struct repl_err *);

#endif
