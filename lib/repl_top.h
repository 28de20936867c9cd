/* The engine of repl-top: the replication topology around some servers. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_TOP_H
#define REPL_TOP_H

#include <stdio.h>

#include "repl_replica.h"

#define REPL_TOP_MAX 64		/* servers one run follows */
#define REPL_TOP_REPLICAS 32	/* replicas one source lists */

enum repl_top_role {
	REPL_ROLE_STANDALONE = 0,	/* no source, no replicas */
	REPL_ROLE_SOURCE,		/* replicas, no source */
	REPL_ROLE_REPLICA,		/* a source, no replicas */
	REPL_ROLE_RELAY			/* both (master-master included) */
};

/* One server: what it says of itself, its source and its replicas. */
struct repl_top_node {
	struct repl_addr addr;
	char name[REPL_HOST_MAX + 16];	/* host:port */
	const struct repl_connopt *opt;
	int up;				/* answered */
	struct repl_err err;		/* why not */
	struct repl_server server;
	unsigned long server_id;
	char uuid[40];			/* MySQL's server_uuid */
	int writable;			/* neither read_only nor super_ */
	struct repl_replica rs;		/* rs.configured: it has a source */
	char *gtid;			/* its position; "" if none */
	struct repl_addr rep[REPL_TOP_REPLICAS];	/* its replicas */
	size_t nrep;
	int rep_unknown;		/* replicas whose host is unknown */
	/* Filled by repl_top_run from the whole picture. */
	int parent;			/* its source's index, or -1 */
	enum repl_top_role role;
	int has_lag;
	unsigned long long lag_trx;	/* behind its source */
};

struct repl_top {
	/* Set by the caller. */
	const struct repl_addr *start;	/* the servers named */
	size_t nstart;
	/* Filled by repl_top_run. */
	struct repl_top_node *node;	/* the named ones first */
	size_t n;
	int truncated;			/* more than REPL_TOP_MAX servers */
	struct {			/* other names of a server */
		struct repl_addr addr;
		size_t to;
	} alias[REPL_TOP_MAX];
	size_t nalias;
	struct repl_err err;
};

int repl_top_read(struct repl_top_node *);
int repl_top_run(struct repl_top *, const struct repl_connopt *);
void repl_top_free(struct repl_top *);
int repl_top_healthy(const struct repl_top_node *);
int repl_top_exit(const struct repl_top *);
const char *repl_top_role_name(enum repl_top_role);
int repl_top_print(FILE *, const struct repl_top *, int);

#endif
