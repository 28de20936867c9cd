/*
 * What repl-top reads of one server: who it is, whether it takes writes,
 * its GTID position, its replica status and the replicas it feeds.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "replkit.h"

/* The column named col of res, or -1. */
static int
column(MYSQL_RES *res, const char *col)
{
	MYSQL_FIELD *f = mysql_fetch_fields(res);
	unsigned int i, n = mysql_num_fields(res);

	for (i = 0; i < n; i++)
		if (strcasecmp(f[i].name, col) == 0)
			return (int)i;
	return -1;
}

/* server_id, read_only, super_read_only, GTID position, server_uuid. */
static int
read_state(struct repl_conn *c, struct repl_top_node *n, struct repl_err *err)
{
	const char *sql = repl_sql_top_state(&c->server);
	MYSQL_RES *res;
	MYSQL_ROW row;
	int isnull;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err, "unable to read the state of");
	if ((row = mysql_fetch_row(res)) == NULL ||
	    mysql_num_fields(res) < 4) {
		mysql_free_result(res);
		repl_err_set(err, REPL_E_PERM, "'%s': no state row", c->name);
		return -1;
	}
	n->server_id = row[0] ? strtoul(row[0], NULL, 10) : 0;
	n->writable = !(row[1] && strcmp(row[1], "0") != 0) &&
	    !(row[2] && strcmp(row[2], "0") != 0);
	n->gtid = strdup(row[3] ? row[3] : "");
	mysql_free_result(res);
	if (n->gtid == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	repl_gtid_squeeze(n->gtid);
	if (c->server.flavor == REPL_FLAVOR_MYSQL &&
	    repl_conn_scalar(c, "SELECT @@GLOBAL.server_uuid", n->uuid,
	    sizeof(n->uuid), &isnull, err) == -1)
		return -1;
	return 0;
}

/* Add host:port to n's replicas, if it is a valid operand and new. */
static void
add_replica(struct repl_top_node *n, const char *host, unsigned long port)
{
	size_t i;

	if (host == NULL || !repl_host_valid(host) || port == 0 ||
	    port > 65535) {
		n->rep_unknown++;
		return;
	}
	for (i = 0; i < n->nrep; i++)
		if (strcmp(n->rep[i].host, host) == 0 && n->rep[i].port == port)
			return;
	if (n->nrep == REPL_TOP_REPLICAS) {
		n->rep_unknown++;
		return;
	}
	memset(&n->rep[n->nrep], 0, sizeof(n->rep[0]));
	snprintf(n->rep[n->nrep].host, sizeof(n->rep[0].host), "%s", host);
	n->rep[n->nrep].port = (unsigned int)port;
	n->nrep++;
}

/*
 * The client host of the dump threads, when they all share one: where
 * replicas that set no report_host connect from. NULL when none or
 * several (or no PROCESS privilege to see them).
 */
static char *
dump_host(struct repl_conn *c)
{
	const char *sql = repl_sql_dump_clients();
	MYSQL_RES *res;
	MYSQL_ROW row;
	char *host = NULL;
	size_t len;
	int several = 0;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return NULL;
	while ((row = mysql_fetch_row(res)) != NULL && !several) {
		const char *h = row[0] ? row[0] : "";

		/* host:port, or [v6]:port: the part before the last colon. */
		len = strrchr(h, ':') ? (size_t)(strrchr(h, ':') - h) : strlen(h);
		if (len > 1 && h[0] == '[' && h[len - 1] == ']') {
			h++;
			len -= 2;
		}
		if (host == NULL) {
			host = strndup(h, len);
		} else if (strlen(host) != len || strncmp(host, h, len) != 0)
			several = 1;
	}
	mysql_free_result(res);
	if (several) {
		free(host);
		return NULL;
	}
	return host;
}

/* Replicas in a stable order, whatever the server's: host, then port. */
static int
addr_cmp(const void *a, const void *b)
{
	const struct repl_addr *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	return c != 0 ? c : (x->port > y->port) - (x->port < y->port);
}

/* The replicas registered with the server (SHOW REPLICAS). */
static int
read_replicas(struct repl_conn *c, struct repl_top_node *n,
    struct repl_err *err)
{
	const char *sql = repl_sql_replica_hosts(&c->server);
	MYSQL_RES *res;
	MYSQL_ROW row;
	char *fallback = NULL;
	int ch, cp, looked = 0;

	if (mysql_real_query(c->mysql, sql, strlen(sql)) != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err, "unable to list the replicas of");
	ch = column(res, "Host");
	cp = column(res, "Port");
	while ((row = mysql_fetch_row(res)) != NULL) {
		const char *host = ch >= 0 ? row[ch] : NULL;
		unsigned long port = cp >= 0 && row[cp] ?
		    strtoul(row[cp], NULL, 10) : 0;

		if (host == NULL || host[0] == '\0') {
			if (!looked) {
				fallback = dump_host(c);
				looked = 1;
			}
			host = fallback;
		}
		add_replica(n, host, port);
	}
	mysql_free_result(res);
	free(fallback);
	qsort(n->rep, n->nrep, sizeof(n->rep[0]), addr_cmp);
	return 0;
}

/*
 * Connect to n->addr and read it; on failure n->up stays 0 and n->err
 * says why. Returns 0 or -1.
 */
int
repl_top_read(struct repl_top_node *n)
{
	struct repl_conn c;

	repl_err_clear(&n->err);
	if (repl_conn_open(&c, &n->addr, n->opt, &n->err) == -1)
		return -1;
	n->server = c.server;
	if (read_state(&c, n, &n->err) == -1 ||
	    repl_replica_status(&c, &n->rs, &n->err) == -1 ||
	    read_replicas(&c, n, &n->err) == -1) {
		repl_conn_close(&c);
		return -1;
	}
	repl_conn_close(&c);
	n->up = 1;
	return 0;
}
