/*
 * repl-top's engine: from the servers named, follow each server's source
 * and replicas until no new server turns up, every server of a wave read
 * at once; then place each under its source and say how far behind it is.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

static void *
read_one(void *p)
{
	repl_top_read(p);
	return NULL;
}

/* The index of the server at host:port, or -1. */
static int
find(const struct repl_top *t, const char *host, unsigned int port)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->node[i].addr.socket[0] == '\0' &&
		    strcmp(t->node[i].addr.host, host) == 0 &&
		    t->node[i].addr.port == port)
			return (int)i;
	return -1;
}

/* The index of the server at host:port, by any of its names, or -1. */
static int
find_any(const struct repl_top *t, const char *host, unsigned int port)
{
	size_t i;
	int k;

	if ((k = find(t, host, port)) != -1)
		return k;
	for (i = 0; i < t->nalias; i++)
		if (strcmp(t->alias[i].addr.host, host) == 0 &&
		    t->alias[i].addr.port == port)
			return (int)t->alias[i].to;
	return -1;
}

/* Queue host:port unless known; returns 0, or -1 when full. */
static int
add(struct repl_top *t, const struct repl_connopt *o, const char *host,
    unsigned int port)
{
	struct repl_top_node *n;

	if (host[0] == '\0' || port == 0 || find(t, host, port) != -1)
		return 0;
	if (t->n == REPL_TOP_MAX) {
		t->truncated = 1;
		return -1;
	}
	n = &t->node[t->n++];
	memset(n, 0, sizeof(*n));
	snprintf(n->addr.host, sizeof(n->addr.host), "%s", host);
	n->addr.port = port;
	n->opt = o;
	return 0;
}

/*
 * Two names of one server (an operand and the address a replica uses):
 * the same server_id, and on MySQL the same server_uuid. Returns the
 * index of the first name, or -1.
 */
static int
alias_of(const struct repl_top *t, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (t->node[i].up && t->node[k].up &&
		    t->node[i].server.flavor == t->node[k].server.flavor &&
		    t->node[i].server_id == t->node[k].server_id &&
		    strcmp(t->node[i].uuid, t->node[k].uuid) == 0)
			return (int)i;
	return -1;
}

/* The lag of node k behind its source, in transactions, when known. */
static void
lag(struct repl_top_node *k, const struct repl_top_node *src)
{
	if (!k->up || !src->up || k->gtid == NULL || src->gtid == NULL)
		return;
	if (k->server.flavor == REPL_FLAVOR_MARIADB) {
		/* An empty position is a server that has nothing yet. */
		if ((src->gtid[0] != '\0' &&
		    !repl_gtid_valid(REPL_FLAVOR_MARIADB, src->gtid)) ||
		    (k->gtid[0] != '\0' &&
		    !repl_gtid_valid(REPL_FLAVOR_MARIADB, k->gtid)))
			return;
		k->lag_trx = repl_gtid_mariadb_lag(src->gtid, k->gtid);
		k->has_lag = 1;
	} else if (repl_gtid_mysql_lag(src->gtid, k->gtid, &k->lag_trx) == 0)
		k->has_lag = 1;
}

/*
 * Discover and read the topology around t->start. Returns 0, or -1 with
 * t->err (out of memory, nothing to read).
 */
int
repl_top_run(struct repl_top *t, const struct repl_connopt *o)
{
	int remap[REPL_TOP_MAX], al[REPL_TOP_MAX];
	size_t i, j, done = 0;

	t->n = 0;
	t->nalias = 0;
	t->truncated = 0;
	repl_err_clear(&t->err);
	if ((t->node = calloc(REPL_TOP_MAX, sizeof(*t->node))) == NULL) {
		repl_err_set(&t->err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	for (i = 0; i < t->nstart && t->n < REPL_TOP_MAX; i++) {
		struct repl_top_node *n = &t->node[t->n++];

		n->addr = t->start[i];
		n->opt = o;
	}
	/* A wave: every server queued so far, read at once. */
	while (done < t->n) {
		size_t from = done, to = t->n;

		repl_multi_each(&t->node[from], to - from, sizeof(*t->node),
		    read_one);
		done = to;
		for (i = from; i < to; i++) {
			struct repl_top_node *n = &t->node[i];

			if (!n->up || alias_of(t, i) != -1)
				continue;
			if (n->rs.configured)
				add(t, o, n->rs.source_host, n->rs.source_port);
			for (j = 0; j < n->nrep; j++)
				add(t, o, n->rep[j].host, n->rep[j].port);
		}
	}
	/*
	 * Drop second names of one server, keeping the first, and remember
	 * them: a replica may name its source by either.
	 */
	for (i = 0; i < t->n; i++)
		al[i] = alias_of(t, i);
	for (i = 0, j = 0; i < t->n; i++) {
		int a = al[i];

		if (a != -1) {
			if (t->nalias < REPL_TOP_MAX) {
				t->alias[t->nalias].addr = t->node[i].addr;
				t->alias[t->nalias].to = (size_t)remap[a];
				t->nalias++;
			}
			free(t->node[i].gtid);
			t->node[i].gtid = NULL;
			remap[i] = remap[a];
			continue;
		}
		remap[i] = (int)j;
		if (i != j)
			t->node[j] = t->node[i];
		j++;
	}
	t->n = j;
	for (i = 0; i < t->n; i++) {
		struct repl_top_node *n = &t->node[i];
		int has_replicas = 0;

		repl_addr_format(n->name, sizeof(n->name), &n->addr);
		n->parent = -1;
		if (n->up && n->rs.configured) {
			n->parent = find_any(t, n->rs.source_host,
			    n->rs.source_port);
		}
		for (j = 0; j < t->n; j++)
			if (t->node[j].up && t->node[j].rs.configured &&
			    find_any(t, t->node[j].rs.source_host,
			    t->node[j].rs.source_port) == (int)i)
				has_replicas = 1;
		if (n->nrep > 0 || n->rep_unknown > 0)
			has_replicas = 1;
		n->role = n->rs.configured ?
		    (has_replicas ? REPL_ROLE_RELAY : REPL_ROLE_REPLICA) :
		    (has_replicas ? REPL_ROLE_SOURCE : REPL_ROLE_STANDALONE);
	}
	for (i = 0; i < t->n; i++)
		if (t->node[i].parent != -1)
			lag(&t->node[i], &t->node[t->node[i].parent]);
	return 0;
}

void
repl_top_free(struct repl_top *t)
{
	size_t i;

	for (i = 0; t->node != NULL && i < t->n; i++)
		free(t->node[i].gtid);
	free(t->node);
	t->node = NULL;
	t->n = 0;
}

/* Up, and if a replica, both threads running. Returns 1 or 0. */
int
repl_top_healthy(const struct repl_top_node *n)
{
	return n->up && (!n->rs.configured || repl_replica_running(&n->rs));
}

/* 3 when a server is down, else 1 when one is broken, else 0. */
int
repl_top_exit(const struct repl_top *t)
{
	size_t i;
	int rc = REPL_EXIT_OK;

	for (i = 0; i < t->n; i++) {
		if (!t->node[i].up)
			return REPL_EXIT_TEMP;
		if (!repl_top_healthy(&t->node[i]))
			rc = REPL_EXIT_NO;
	}
	return rc;
}

const char *
repl_top_role_name(enum repl_top_role r)
{
	static const char *const names[] = { "standalone", "source",
		"replica", "relay" };

	return names[r];
}
