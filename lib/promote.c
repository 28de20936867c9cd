/*
 * repl-promote's engine: make one server the source of the others, by
 * GTID. Switchover: the old source made read-only first, the new one
 * waited for until it has all of it, then made writable, then every
 * other server pointed at it. Failover: the old source is down; the new
 * one may first catch up from a replica that got further. The source
 * already (of a master-master pair too): made writable, nothing else.
 *
 * Never two writable servers from our hand: the old source is read-only
 * before the new one takes writes; a wait that times out puts the old
 * source back as it was and changes nothing else.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/* Say sql, and run it on c unless dry. Returns 0, or -1 with err. */
static int
run(struct repl_promote *p, struct repl_conn *c, const char *sql,
    struct repl_err *err)
{
	if (p->say != NULL)
		p->say(p->arg, c, sql);
	return p->dry ? 0 : repl_conn_query(c, sql, err);
}

/* Node i's position as a coordinate line with its own address. */
static int
position(struct repl_conn *c, const struct repl_top_node *n,
    struct repl_coord *co, struct repl_err *err)
{
	if (repl_pos_read(c, co, err) == -1)
		return -1;
	snprintf(co->host, sizeof(co->host), "%s", n->addr.host);
	co->port = n->addr.port;
	return 0;
}

/*
 * Point server i at the source whose line is co, by the attach engine
 * (forced: it replicates from another source now). A demoted MariaDB
 * source continues from what it wrote itself (gtid_binlog_pos), which
 * its gtid_slave_pos does not hold. Returns 0, or -1 with err.
 */
static int
point(struct repl_promote *p, size_t i, const struct repl_coord *co,
    struct repl_err *err)
{
	struct repl_top_node *n = &p->top.node[i];
	struct repl_attach a;
	struct repl_conn c;
	int r, isnull;

	memset(&a, 0, sizeof(a));
	a.co = *co;
	a.opt = p->opt;
	a.user = p->user;
	a.password = p->password;
	a.force = 1;
	a.dry = p->dry;
	a.deadline = p->deadline;
	a.say = p->say;
	a.note = p->note;
	a.arg = p->arg;
	if (repl_conn_open(&c, &n->addr, p->opt, err) == -1)
		return -1;
	if (c.server.flavor == REPL_FLAVOR_MARIADB && !n->rs.configured) {
		if (repl_conn_scalar(&c, "SELECT @@GLOBAL.gtid_binlog_pos",
		    a.co.gtid, sizeof(a.co.gtid), &isnull, err) == -1) {
			repl_conn_close(&c);
			return -1;
		}
		a.co.has_gtid = 1;
		a.at_position = a.co.gtid[0] != '\0';
	}
	r = repl_attach_run(&a, &c, err);
	repl_conn_close(&c);
	return r;
}

/*
 * Failover with --catch-up: point the new source at the replica that got
 * furthest, and wait until it has everything that one has.
 */
static int
catch_up(struct repl_promote *p, struct repl_conn *nc, struct repl_err *err)
{
	int best = repl_promote_ahead(p);
	struct repl_top_node *b;
	struct repl_coord co;
	struct repl_conn bc;

	if (best == -1)
		return 0;
	b = &p->top.node[best];
	repl_note(p->note, p->arg, REPL_NOTE_INFO, "'%s' catches up from "
	    "'%s' first", p->top.node[0].name, b->name);
	if (repl_conn_open(&bc, &b->addr, p->opt, err) == -1)
		return -1;
	if (position(&bc, b, &co, err) == -1) {
		repl_conn_close(&bc);
		return -1;
	}
	repl_conn_close(&bc);
	if (point(p, 0, &co, err) == -1)
		return -1;
	return p->dry ? 0 : repl_wait_applied(nc, &co, p->deadline, err);
}

/*
 * The new source already is the source of every server found: made
 * writable when it is read-only (as after a restart with read_only in its
 * option file), once it has all of its peer's when it is one of a
 * master-master pair; else nothing changes. Returns 0 with p->pos, or -1
 * with err.
 */
static int
already(struct repl_promote *p, struct repl_conn *nc, struct repl_err *err)
{
	struct repl_top_node *nw = &p->top.node[0], *peer;
	struct repl_coord co;
	struct repl_conn pc;
	char msg[sizeof(err->msg)];
	int r;

	if (!nw->writable) {
		if (p->peer != -1) {
			peer = &p->top.node[p->peer];
			if (repl_conn_open(&pc, &peer->addr, p->opt, err) == -1)
				return -1;
			r = position(&pc, peer, &co, err);
			repl_conn_close(&pc);
			if (r == -1)
				return -1;
			if (!p->dry &&
			    repl_wait_applied(nc, &co, p->deadline, err) == -1) {
				snprintf(msg, sizeof(msg), "%s", err->msg);
				repl_err_set(err, err->kind, "%s: '%s' has not "
				    "applied all of '%s', and stays read-only; "
				    "nothing changed", msg, nw->name, peer->name);
				return -1;
			}
		}
		if (run(p, nc, repl_sql_set_read_only(&nc->server, 0), err)
		    == -1)
			return -1;
	}
	snprintf(msg, sizeof(msg), "'%s' is the source of every server found: "
	    "%s", nw->name, nw->writable ? "nothing changed" :
	    p->dry ? "it would be made writable" : "made writable");
	repl_note(p->note, p->arg, REPL_NOTE_INFO, "%s", msg);
	return position(nc, nw, &p->pos, err);
}

/*
 * Make p->servers[0] the source, as the fields of p say. Returns 0 with
 * p->done and p->pos, or -1 with err; the message says what was done.
 */
int
repl_promote_run(struct repl_promote *p, struct repl_err *err)
{
	struct repl_top_node *nw, *old = NULL;
	struct repl_conn nc, oc;
	struct repl_coord opos;
	char ro[16] = "";
	int r, isnull, oc_open = 0, ret = -1;
	size_t i, k;

	p->done = REPL_PROMOTE_NOTHING;
	memset(&p->pos, 0, sizeof(p->pos));
	if ((r = repl_promote_check(p, err)) == -1)
		return -1;
	nw = &p->top.node[0];
	if (repl_conn_open(&nc, &nw->addr, p->opt, err) == -1)
		return -1;
	if (r == 1) {
		ret = already(p, &nc, err);
		repl_conn_close(&nc);
		return ret;
	}
	old = &p->top.node[p->old];
	if (old->up) {
		/* Switchover: the old source stops taking writes first. */
		p->done = REPL_PROMOTE_SWITCHOVER;
		if (repl_conn_open(&oc, &old->addr, p->opt, err) == -1)
			goto out;
		oc_open = 1;
		if (repl_conn_scalar(&oc, repl_sql_read_only(&oc.server), ro,
		    sizeof(ro), &isnull, err) == -1 ||
		    run(p, &oc, repl_sql_set_read_only(&oc.server, 1), err)
		    == -1 || position(&oc, old, &opos, err) == -1)
			goto out;
		if (!p->dry &&
		    repl_wait_applied(&nc, &opos, p->deadline, err) == -1) {
			struct repl_err e2;
			char why[sizeof(err->msg)];

			/* Put the old source back as it was. */
			if (strcmp(ro, "0") == 0)
				repl_conn_query(&oc, repl_sql_set_read_only(
				    &oc.server, 0), &e2);
			snprintf(why, sizeof(why), "%s", err->msg);
			repl_err_set(err, err->kind, "%s: '%s' takes writes "
			    "again, nothing else changed", why, old->name);
			goto out;
		}
	} else {
		p->done = REPL_PROMOTE_FAILOVER;
		repl_note(p->note, p->arg, REPL_NOTE_INFO, "the source '%s' "
		    "is down: failover to '%s'", old->name, nw->name);
		if (p->catch_up && catch_up(p, &nc, err) == -1)
			goto out;
	}
	/* The new source: no source of its own, and writable. */
	if (run(p, &nc, repl_sql_stop_replica(&nc.server), err) == -1 ||
	    run(p, &nc, repl_sql_reset_replica_all(&nc.server), err) == -1 ||
	    run(p, &nc, repl_sql_set_read_only(&nc.server, 0), err) == -1 ||
	    position(&nc, nw, &p->pos, err) == -1) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		repl_err_set(err, err->kind, "%s (the old source '%s' is "
		    "read-only or down; '%s' is its replica still or has no "
		    "source: see repl-top)", why, old->name, nw->name);
		goto out;
	}
	/*
	 * The replicas of the old source first, the old source last: while
	 * it is read-only and replicates from no one, its replicas get
	 * nothing the new source lacks. Each is pointed with the new
	 * source's position as it is then.
	 */
	for (k = 0; k < p->top.n; k++) {
		i = k + 1 < p->top.n ? k + 1 : 0;
		if (i == 0)
			i = (size_t)p->old;
		else if ((int)i == p->old)
			continue;
		if (!repl_promote_moved(p, i))
			continue;
		if (!p->dry && position(&nc, nw, &p->pos, err) == -1)
			goto out;
		if (point(p, i, &p->pos, err) == -1) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			repl_err_set(err, err->kind, "%s ('%s' is the new source; "
			    "'%s' and the servers after it were not pointed at "
			    "it: run repl-promote again)", why, nw->name,
			    p->top.node[i].name);
			goto out;
		}
	}
	ret = 0;
out:
	if (oc_open)
		repl_conn_close(&oc);
	repl_conn_close(&nc);
	return ret;
}

void
repl_promote_free(struct repl_promote *p)
{
	repl_top_free(&p->top);
}
