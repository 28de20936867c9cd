/*
 * repl-promote's look before it leaps: find the topology around the new
 * source, name the old one, and refuse, before any change, what could
 * not end well.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/* The transactions position a has that b lacks (GTIDs of one flavor). */
static unsigned long long
ahead(const struct repl_top_node *a, const struct repl_top_node *b)
{
	unsigned long long n = 0;

	if (a->gtid == NULL || b->gtid == NULL)
		return 0;
	if (a->server.flavor == REPL_FLAVOR_MARIADB)
		return repl_gtid_mariadb_lag(a->gtid, b->gtid);
	return repl_gtid_mysql_lag(a->gtid, b->gtid, &n) == 0 ? n : 0;
}

/* Whether node n replicates by GTID (MariaDB Using_Gtid, MySQL's auto). */
static int
by_gtid(const struct repl_top_node *n)
{
	if (!n->rs.configured)
		return 1;
	if (n->server.flavor == REPL_FLAVOR_MYSQL)
		return strcmp(n->rs.using_gtid, "1") == 0;
	return strcmp(n->rs.using_gtid, "No") != 0 && n->rs.using_gtid[0];
}

/* Whether server n logs what it replicates (it can be a source). */
static int
logs_replicated(const struct repl_promote *p, struct repl_top_node *n,
    struct repl_err *err)
{
	struct repl_conn c;
	char buf[16];
	int isnull, r;

	if (repl_conn_open(&c, &n->addr, p->opt, err) == -1)
		return -1;
	r = repl_conn_scalar(&c, repl_sql_logs_replicated(&c.server), buf,
	    sizeof(buf), &isnull, err);
	repl_conn_close(&c);
	if (r == -1)
		return -1;
	return !isnull && strcmp(buf, "1") == 0;
}

/* Whether node i is one of the servers named on the command line. */
static int
named(const struct repl_promote *p, size_t i)
{
	const struct repl_addr *a = &p->top.node[i].addr;
	size_t k;

	for (k = 0; k < p->nservers; k++)
		if (strcmp(p->servers[k].host, a->host) == 0 &&
		    p->servers[k].port == a->port)
			return 1;
	return 0;
}

/* Whether node k lists node i among its replicas. */
static int
listed(const struct repl_top *t, int k, size_t i)
{
	const struct repl_top_node *n;
	size_t j;

	if (k < 0)
		return 0;
	n = &t->node[k];
	for (j = 0; j < n->nrep; j++)
		if (strcmp(n->rep[j].host, t->node[i].addr.host) == 0 &&
		    n->rep[j].port == t->node[i].addr.port)
			return 1;
	return 0;
}

/*
 * Whether a server that is down stops the promotion: one named, or a
 * replica the old source lists, which would be left without a source.
 * Another found down (a replica another server still lists, a second
 * name of the old source) cannot be re-pointed, nor needs to be.
 */
static int
down_matters(const struct repl_promote *p, size_t i)
{
	return !p->top.node[i].up && (int)i != p->old &&
	    (named(p, i) || listed(&p->top, p->old, i));
}

/* Whether node i is re-pointed: a replica of the old source, or it. */
static int
moved(const struct repl_promote *p, size_t i)
{
	const struct repl_top_node *n = &p->top.node[i];

	if (i == 0)
		return 0;
	if ((int)i == p->old)
		return !p->no_demote && n->up;
	return n->parent == p->old && p->old != -1;
}

/*
 * Switchover: a replica to re-point that has transactions the old source
 * never had could not follow the new one, which will have all of the old
 * source's and nothing else. Said now, before the old source is made
 * read-only, rather than half-way. The replicas were read after the old
 * source, which may have taken writes since and sent them: its position
 * is read again, after theirs, so that what they got from it is in it.
 * Returns 0, or -1 with err.
 */
static int
errant_replicas(const struct repl_promote *p, struct repl_err *err)
{
	const struct repl_top *t = &p->top;
	const struct repl_top_node *old = &t->node[p->old];
	struct repl_top_node *now;
	unsigned long long lag;
	size_t i;
	int any = 0, ret = 0;

	for (i = 1; i < t->n; i++)
		if ((int)i != p->old && moved(p, i))
			any = 1;
	if (!any)
		return 0;
	if ((now = malloc(sizeof(*now))) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	*now = *old;
	now->gtid = NULL;
	now->nrep = 0;
	now->rep_unknown = 0;
	if (repl_top_read(now) == -1) {
		*err = now->err;
		ret = -1;
	}
	for (i = 1; ret == 0 && i < t->n; i++)
		if ((int)i != p->old && moved(p, i) &&
		    (lag = ahead(&t->node[i], now)) > 0) {
			repl_err_set(err, REPL_E_PERM, "'%s' has %llu "
			    "transactions that the source '%s' never had "
			    "(errant transactions): it could not follow '%s'",
			    t->node[i].name, lag, old->name, t->node[0].name);
			ret = -1;
		}
	free(now->gtid);
	free(now);
	return ret;
}

/*
 * Read the topology around p->servers and check it. Returns 0 to go
 * ahead (p->old names the old source), 1 when the new source already is
 * the source of every server found (at most to make it writable; p->peer
 * names the other master of a pair), or -1 with err (permanent: refused,
 * nothing changed; temporary: a server down).
 */
int
repl_promote_check(struct repl_promote *p, struct repl_err *err)
{
	struct repl_top *t = &p->top;
	struct repl_top_node *nw, *old;
	unsigned long long lag, most = 0;
	size_t i;
	int best = -1, r;

	t->start = p->servers;
	t->nstart = p->nservers;
	p->old = -1;
	if (repl_top_run(t, p->opt) == -1) {
		*err = t->err;
		return -1;
	}
	p->peer = -1;
	nw = &t->node[0];
	if (!nw->up) {
		*err = nw->err;
		return -1;
	}
	for (i = 1; i < t->n; i++)
		if (t->node[i].up &&
		    t->node[i].server.flavor != nw->server.flavor) {
			repl_err_set(err, REPL_E_PERM, "'%s' is %s and '%s' is "
			    "%s: replkit does not mix flavors", nw->name,
			    repl_flavor_name(nw->server.flavor),
			    t->node[i].name,
			    repl_flavor_name(t->node[i].server.flavor));
			return -1;
		}
	/*
	 * A master-master pair: the new source replicates from a read-only
	 * server that replicates from it. It is the source already, and its
	 * own replication stays; a writable peer is an old source as any.
	 */
	if (nw->rs.configured && nw->parent > 0 &&
	    t->node[nw->parent].up && t->node[nw->parent].parent == 0 &&
	    !t->node[nw->parent].writable)
		p->peer = nw->parent;
	if (!nw->rs.configured || p->peer != -1) {
		for (i = 1; i < t->n; i++) {
			size_t k = i;
			int hops = 0;

			if (down_matters(p, i)) {
				repl_err_set(err, REPL_E_TEMP, "'%s' is down (%s)",
				    t->node[i].name, t->node[i].err.msg);
				return -1;
			}
			if (!t->node[i].up)
				continue;
			while (t->node[k].parent > 0 && hops++ < REPL_TOP_MAX)
				k = (size_t)t->node[k].parent;
			if (t->node[k].parent != 0) {
				repl_err_set(err, REPL_E_PERM, "'%s' is the source "
				    "of its replicas, but '%s' does not replicate "
				    "from it: promote a replica of the current "
				    "source", nw->name, t->node[i].name);
				return -1;
			}
		}
		return 1;
	}
	p->old = nw->parent;
	if (p->old == -1) {
		repl_err_set(err, REPL_E_PERM, "'%s' replicates from '%s:%u', "
		    "which is not among the servers found", nw->name,
		    nw->rs.source_host, nw->rs.source_port);
		return -1;
	}
	old = &t->node[p->old];
	if (!old->up && !p->failover) {
		repl_err_set(err, REPL_E_PERM, "the source '%s' is down: give "
		    "--failover to promote '%s' without it (%s)", old->name,
		    nw->name, old->err.msg);
		return -1;
	}
	for (i = 0; i < t->n; i++) {
		struct repl_top_node *n = &t->node[i];

		if (down_matters(p, i)) {
			repl_err_set(err, REPL_E_TEMP, "'%s' is down: it would "
			    "be left without a source (%s)", n->name,
			    n->err.msg);
			return -1;
		}
		if (n->up && !by_gtid(n)) {
			repl_err_set(err, REPL_E_PERM, "'%s' replicates by "
			    "binary log file and position: repl-promote "
			    "re-points servers by GTID only (repl-attach them "
			    "by GTID first)", n->name);
			return -1;
		}
	}
	if ((r = logs_replicated(p, nw, err)) == -1)
		return -1;
	if (r == 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' does not log what it "
		    "replicates (log_bin, log_slave_updates or "
		    "log_replica_updates off): its replicas could not "
		    "continue from it", nw->name);
		return -1;
	}
	if (old->up && (lag = ahead(nw, old)) > 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' has %llu transactions "
		    "that the source '%s' never had (errant transactions): "
		    "the others could not follow it", nw->name, lag,
		    old->name);
		return -1;
	}
	if (old->up && p->max_lag >= 0 && nw->has_lag &&
	    nw->lag_trx > (unsigned long long)p->max_lag) {
		repl_err_set(err, REPL_E_PERM, "'%s' is %llu transactions "
		    "behind '%s', more than --max-lag %lld", nw->name,
		    nw->lag_trx, old->name, p->max_lag);
		return -1;
	}
	if (old->up && errant_replicas(p, err) == -1)
		return -1;
	if (!old->up) {
		/* Failover: is a replica of the old source ahead of the new? */
		for (i = 1; i < t->n; i++)
			if (t->node[i].parent == p->old &&
			    (lag = ahead(&t->node[i], nw)) > most) {
				most = lag;
				best = (int)i;
			}
		if (best != -1 && !p->catch_up) {
			repl_err_set(err, REPL_E_PERM, "'%s' has %llu "
			    "transactions that '%s' lacks: promote '%s', or "
			    "give --catch-up", t->node[best].name, most,
			    nw->name, t->node[best].name);
			return -1;
		}
	}
	for (i = 1; i < t->n; i++)
		if (moved(p, i) && !t->node[i].rs.configured &&
		    p->password == NULL) {
			repl_err_set(err, REPL_E_PERM, "'%s' has no replication "
			    "account to keep: give --repl-password-file",
			    t->node[i].name);
			return -1;
		}
	return 0;
}

/* The replica of the old source most ahead of the new one, or -1. */
int
repl_promote_ahead(const struct repl_promote *p)
{
	unsigned long long lag, most = 0;
	size_t i;
	int best = -1;

	for (i = 1; i < p->top.n; i++)
		if (p->top.node[i].parent == p->old && p->top.node[i].up &&
		    (lag = ahead(&p->top.node[i], &p->top.node[0])) > most) {
			most = lag;
			best = (int)i;
		}
	return best;
}

/* Whether node i is to be pointed at the new source. */
int
repl_promote_moved(const struct repl_promote *p, size_t i)
{
	return moved(p, i);
}
