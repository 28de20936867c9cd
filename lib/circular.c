/*
 * Master-master pairs: two MariaDB servers that replicate from each other
 * must write in distinct GTID domains, or gtid_strict_mode stops them.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "replkit.h"

/*
 * src is the source about to be attached to rep (whose operand is
 * rep_addr). Returns 1, with a warning in why, when src already
 * replicates from rep and both use the same gtid_domain_id; 0 when not;
 * -1 with err on a query error.
 */
int
repl_circular_same_domain(struct repl_conn *src, struct repl_conn *rep,
    char *why, size_t n, struct repl_err *err)
{
	struct repl_replica r;
	char d1[32], d2[32];
	int isnull;

	if (src->server.flavor != REPL_FLAVOR_MARIADB ||
	    repl_replica_status(src, &r, err) == -1)
		return src->server.flavor != REPL_FLAVOR_MARIADB ? 0 : -1;
	if (!r.configured || r.source_port != rep->addr.port ||
	    strcmp(r.source_host, rep->addr.host) != 0)
		return 0;
	if (repl_conn_scalar(src, "SELECT @@GLOBAL.gtid_domain_id", d1,
	    sizeof(d1), &isnull, err) == -1 ||
	    repl_conn_scalar(rep, "SELECT @@GLOBAL.gtid_domain_id", d2,
	    sizeof(d2), &isnull, err) == -1)
		return -1;
	if (strcmp(d1, d2) != 0)
		return 0;
	snprintf(why, n, "'%s' and '%s' replicate from each other and both "
	    "write GTID domain %s: give each writing master its own "
	    "gtid_domain_id, or gtid_strict_mode will stop replication",
	    src->name, rep->name, d1);
	return 1;
}
