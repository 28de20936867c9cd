/*
 * repl-top's output: a line per server, each under its source, as a
 * tree; or one JSON array of the same facts.
 *
 *   ADDR server_id=N role=R state=S source=ADDR io=X sql=Y lag_trx=N
 *       lag_s=N gtid=G[ error=TEXT]
 *
 * A field without a value is "-"; the error, when there is one, is the
 * last field and runs to the end of the line.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/* The state word: down, writable or read-only. */
static const char *
state(const struct repl_top_node *n)
{
	return !n->up ? "down" : n->writable ? "writable" : "read-only";
}

/*
 * The error a server shows: why it is down, or its replication thread's
 * last error as "errno: message". Written into buf.
 */
static const char *
error(const struct repl_top_node *n, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!n->up)
		snprintf(buf, size, "%s", n->err.msg);
	else if (n->rs.configured && n->rs.last_sql_errno != 0)
		snprintf(buf, size, "%u: %s", n->rs.last_sql_errno,
		    n->rs.last_sql_error);
	else if (n->rs.configured && n->rs.last_io_errno != 0)
		snprintf(buf, size, "%u: %s", n->rs.last_io_errno,
		    n->rs.last_io_error);
	return buf;
}

/* s on one line: control characters as spaces. */
static void
oneline(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
}

static void
line(FILE *f, const struct repl_top *t, size_t i, int depth)
{
	const struct repl_top_node *n = &t->node[i];
	char buf[1024];
	const char *e = error(n, buf, sizeof(buf));

	fprintf(f, "%*s%s", 2 * depth, "", n->name);
	if (n->up)
		fprintf(f, " server_id=%lu role=%s", n->server_id,
		    repl_top_role_name(n->role));
	else
		fputs(" server_id=- role=-", f);
	fprintf(f, " state=%s", state(n));
	if (n->up && n->rs.configured)
		fprintf(f, " source=%s:%u io=%s sql=%s", n->rs.source_host,
		    n->rs.source_port, n->rs.io_running[0] ?
		    n->rs.io_running : "-", n->rs.sql_running[0] ?
		    n->rs.sql_running : "-");
	else
		fputs(" source=- io=- sql=-", f);
	if (n->has_lag)
		fprintf(f, " lag_trx=%llu", n->lag_trx);
	else
		fputs(" lag_trx=-", f);
	if (n->up && n->rs.configured && n->rs.seconds_behind >= 0)
		fprintf(f, " lag_s=%lld", n->rs.seconds_behind);
	else
		fputs(" lag_s=-", f);
	fprintf(f, " gtid=%s", n->up && n->gtid && n->gtid[0] ? n->gtid : "-");
	if (e[0] != '\0') {
		fputs(" error=", f);
		oneline(f, e);
	}
	fputc('\n', f);
}

/* Nodes by address: host, then port. */
static const struct repl_top *sorting;

static int
by_addr(const void *a, const void *b)
{
	const struct repl_addr *x = &sorting->node[*(const size_t *)a].addr;
	const struct repl_addr *y = &sorting->node[*(const size_t *)b].addr;
	int c = strcmp(x->host, y->host);

	return c != 0 ? c : (x->port > y->port) - (x->port < y->port);
}

/*
 * Server i, then the servers that replicate from it, in the order of
 * their addresses (order), each once.
 */
static void
tree(FILE *f, const struct repl_top *t, size_t i, int depth, char *seen,
    const size_t *order)
{
	size_t j;

	seen[i] = 1;
	line(f, t, i, depth);
	for (j = 0; j < t->n; j++)
		if (!seen[order[j]] && t->node[order[j]].parent == (int)i)
			tree(f, t, order[j], depth + 1, seen, order);
}

static void
json_node(FILE *f, const struct repl_top *t, size_t i)
{
	const struct repl_top_node *n = &t->node[i];
	char buf[1024];

	fputs("{\"server\":", f);
	repl_json_str(f, n->name);
	fprintf(f, ",\"up\":%s", n->up ? "true" : "false");
	if (n->up)
		fprintf(f, ",\"server_id\":%lu,\"flavor\":\"%s\",\"role\":\"%s\","
		    "\"writable\":%s", n->server_id,
		    repl_flavor_name(n->server.flavor),
		    repl_top_role_name(n->role), n->writable ? "true" : "false");
	fputs(",\"source\":", f);
	if (n->up && n->rs.configured) {
		fputc('"', f);
		fprintf(f, "%s:%u", n->rs.source_host, n->rs.source_port);
		fputs("\",\"io\":", f);
		repl_json_str(f, n->rs.io_running);
		fputs(",\"sql\":", f);
		repl_json_str(f, n->rs.sql_running);
	} else
		fputs("null", f);
	fputs(",\"source_index\":", f);
	if (n->parent >= 0)
		fprintf(f, "%d", n->parent);
	else
		fputs("null", f);
	if (n->has_lag)
		fprintf(f, ",\"lag_trx\":%llu", n->lag_trx);
	if (n->up && n->rs.configured && n->rs.seconds_behind >= 0)
		fprintf(f, ",\"lag_s\":%lld", n->rs.seconds_behind);
	if (n->up) {
		fputs(",\"gtid\":", f);
		repl_json_str(f, n->gtid ? n->gtid : "");
	}
	if (error(n, buf, sizeof(buf))[0] != '\0') {
		fputs(",\"error\":", f);
		repl_json_str(f, buf);
	}
	fputc('}', f);
}

/*
 * Print t: a tree from each server without a known source (then, for a
 * cycle, from its first server), the replicas of each by address, or with json a JSON array in the order
 * of discovery. Returns 0, or -1 when out of memory.
 */
int
repl_top_print(FILE *f, const struct repl_top *t, int json)
{
	char *seen;
	size_t i, *order;

	if (json) {
		fputc('[', f);
		for (i = 0; i < t->n; i++) {
			if (i > 0)
				fputc(',', f);
			json_node(f, t, i);
		}
		fputs("]\n", f);
		return 0;
	}
	seen = calloc(t->n ? t->n : 1, 1);
	order = calloc(t->n ? t->n : 1, sizeof(*order));
	if (seen == NULL || order == NULL) {
		free(seen);
		free(order);
		return -1;
	}
	for (i = 0; i < t->n; i++)
		order[i] = i;
	sorting = t;
	qsort(order, t->n, sizeof(*order), by_addr);
	for (i = 0; i < t->n; i++)
		if (!seen[i] && t->node[i].parent == -1)
			tree(f, t, i, 0, seen, order);
	for (i = 0; i < t->n; i++)
		if (!seen[i])
			tree(f, t, i, 0, seen, order);
	free(seen);
	free(order);
	return 0;
}
