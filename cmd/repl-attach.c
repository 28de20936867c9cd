/* repl-attach: point a replica at a source, safely and idempotently. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-attach [-nqv] [--force] [--no-gtid] [--at-position]\n"
"                   [-t timeout] [--repl-user user] [--repl-password-file file]\n"
"                   [--source host[:port] [--gtid gtid] [--file file --pos pos]]\n"
"                   [--source-ssl-mode mode] [--source-ssl-ca file]\n"
"                   [--connect-retry seconds] [-u user] [--password-file file]\n"
"                   [--defaults-file file] [--defaults-extra-file file]\n"
"                   [--no-defaults] [--ssl-mode mode] [--ssl-ca file]\n"
"                   [--ssl-cert file] [--ssl-key file]\n"
"                   [--connect-timeout duration] replica\n";

enum { O_FORCE = 0x100, O_NOGTID, O_ATPOS, O_RUSER, O_RPWFILE, O_SOURCE,
	O_GTID, O_FILE, O_POS, O_SSLMODE, O_SSLCA, O_RETRY, O_HELP, O_VERSION };

static int verbose = 1;

static int
fail(const struct repl_err *err)
{
	if (verbose)
		repl_warn("%s", err->msg);
	return repl_err_exit(err);
}

static int
bad(const char *msg, const char *arg)
{
	if (verbose)
		repl_warn("%s '%s'", msg, arg);
	return REPL_EXIT_USAGE;
}

/* The coordinate line from --source/--gtid/--file/--pos, checked now. */
static int
coord_from_options(struct repl_coord *co, const char *source,
    const char *gtid, const char *file, const char *pos, struct repl_err *err)
{
	struct repl_addr a;
	char line[REPL_GTID_MAX + REPL_FILE_MAX + REPL_HOST_MAX + 128];
	int f;

	if (repl_addr_parse(&a, source, err) == -1)
		return -1;
	if (a.socket[0] != '\0') {
		repl_err_set(err, REPL_E_PERM, "--source needs host[:port]");
		return -1;
	}
	/* The GTID's form tells the flavor; the replica is checked later. */
	f = gtid != NULL && strchr(gtid, ':') != NULL ? REPL_FLAVOR_MYSQL :
	    REPL_FLAVOR_MARIADB;
	snprintf(line, sizeof(line), "flavor=%s host=%s port=%u%s%s%s%s%s%s",
	    repl_flavor_name(f), a.host, a.port, gtid ? " gtid=" : "",
	    gtid ? gtid : "", file ? " file=" : "", file ? file : "",
	    pos ? " pos=" : "", pos ? pos : "");
	return repl_coord_parse(co, line, strlen(line), err);
}

/* Run sql, or with -n print it (the password masked). */
static int
run(struct repl_conn *c, const char *sql, const char *shown, int dry,
    struct repl_err *err)
{
	if (dry) {
		printf("%s;\n", shown ? shown : sql);
		return 0;
	}
	if (verbose > 1)
		repl_warn("'%s': %s", c->name, shown ? shown : sql);
	return repl_conn_query(c, sql, err);
}

/*
 * MySQL: what the source has purged (gtid_purged) must all be in what the
 * replica has executed (or, --at-position, in the line's position).
 */
static int
check_purged_mysql(const struct repl_coord *co, struct repl_conn *rep,
    struct repl_conn *src, int at_position, struct repl_err *err)
{
	char purged[REPL_GTID_MAX + 1], miss[REPL_GTID_MAX + 1];
	int isnull;

	if (repl_conn_scalar(src, "SELECT @@GLOBAL.gtid_purged", purged,
	    sizeof(purged), &isnull, err) == -1)
		return -1;
	repl_gtid_squeeze(purged);
	if (purged[0] == '\0')
		return 0;
	if (repl_gtid_mysql_minus(rep, purged, at_position ? co->gtid : NULL,
	    miss, sizeof(miss), err) == -1)
		return -1;
	if (miss[0] == '\0')
		return 0;
	repl_err_set(err, REPL_E_PERM, "the source '%s:%u' has purged the "
	    "binary logs '%s' needs (transactions %.128s%s): load the replica "
	    "from a snapshot first, then attach with --at-position", co->host,
	    co->port, rep->name, miss, strlen(miss) > 128 ? "..." : "");
	return -1;
}

/*
 * The source still has every binary log the replica needs (MariaDB: its
 * oldest log starts at or before the replica's GTID position. A source
 * this tool cannot reach is not checked here (the IO thread will say).
 * A source that replicates from the replica with the same GTID domain
 * gets a warning.
 */
static int
check_purged(const struct repl_coord *co, struct repl_conn *rep,
    const struct repl_connopt *o, int at_position, struct repl_err *err)
{
	struct repl_addr a;
	struct repl_conn src;
	struct repl_err e2;
	char purged[REPL_GTID_MAX + 1], have[REPL_GTID_MAX + 1], why[512];
	int isnull, r;

	memset(&a, 0, sizeof(a));
	strcpy(a.host, co->host);
	a.port = co->port;
	repl_err_clear(&e2);
	if (repl_conn_open(&src, &a, o, &e2) == -1) {
		if (verbose > 1)
			repl_warn("not checking the source's binary logs: %s",
			    e2.msg);
		return 0;
	}
	if (co->flavor == REPL_FLAVOR_MYSQL) {
		r = check_purged_mysql(co, rep, &src, at_position, err);
		repl_conn_close(&src);
		return r;
	}
	r = repl_binlog_purged(&src, purged, sizeof(purged), &e2);
	if (r == 0 && repl_circular_same_domain(&src, rep, why, sizeof(why),
	    &e2) == 1 && verbose)
		repl_warn("warning: %s", why);
	repl_conn_close(&src);
	if (r == -1) {
		if (verbose > 1)
			repl_warn("not checking the source's binary logs: %s",
			    e2.msg);
		return 0;
	}
	if (at_position)
		snprintf(have, sizeof(have), "%s", co->gtid);
	else if (repl_conn_scalar(rep, "SELECT @@GLOBAL.gtid_slave_pos", have,
	    sizeof(have), &isnull, err) == -1)
		return -1;
	if (!repl_gtid_mariadb_covers(have, purged, 0, why, sizeof(why))) {
		repl_err_set(err, REPL_E_PERM, "the source '%s:%u' has purged "
		    "the binary logs '%s' needs (up to %s; the replica is at "
		    "'%.64s'): load the replica from a snapshot first, then "
		    "attach with --at-position", co->host, co->port, rep->name,
		    why, have);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		{ "dry-run", no_argument, 0, 'n' },
		{ "quiet", no_argument, 0, 'q' },
		{ "verbose", no_argument, 0, 'v' },
		{ "timeout", required_argument, 0, 't' },
		{ "force", no_argument, 0, O_FORCE },
		{ "no-gtid", no_argument, 0, O_NOGTID },
		{ "at-position", no_argument, 0, O_ATPOS },
		{ "repl-user", required_argument, 0, O_RUSER },
		{ "repl-password-file", required_argument, 0, O_RPWFILE },
		{ "source", required_argument, 0, O_SOURCE },
		{ "gtid", required_argument, 0, O_GTID },
		{ "file", required_argument, 0, O_FILE },
		{ "pos", required_argument, 0, O_POS },
		{ "source-ssl-mode", required_argument, 0, O_SSLMODE },
		{ "source-ssl-ca", required_argument, 0, O_SSLCA },
		{ "connect-retry", required_argument, 0, O_RETRY },
		{ "help", no_argument, 0, O_HELP },
		{ "version", no_argument, 0, O_VERSION },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o, sslopt;
	struct repl_addr addr;
	struct repl_conn c;
	struct repl_coord co;
	struct repl_source src;
	struct repl_replica before;
	struct repl_err err;
	const char *source = NULL, *gtid = NULL, *file = NULL, *pos = NULL;
	const char *ruser = "repl", *sslca = NULL;
	char *rpw = NULL, *sql, *shown, user_e[512], pw_e[2048], ca_e[1024];
	int64_t timeout = 60000, deadline, ms;
	int ch, r, dry = 0, force = 0, nogtid = 0, atpos = 0, rc, stopped = 0;
	size_t sqlmax = 2 * REPL_GTID_MAX + 8192;

	repl_progname = "repl-attach";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	repl_connopt_init(&sslopt, repl_progname);
	memset(&src, 0, sizeof(src));
	while ((ch = repl_getopt(argc, argv, "nqt:u:v", longopts)) != -1) {
		if ((r = repl_connopt_set(&o, ch, optarg, &err)) == 1)
			continue;
		if (r == -1)
			return fail(&err);
		switch (ch) {
		case 'n': dry = 1; break;
		case 'q': verbose = 0; break;
		case 'v': verbose = 2; break;
		case 't':
			if (repl_dur_parse(optarg, &timeout) == -1)
				return bad("invalid timeout", optarg);
			break;
		case O_FORCE: force = 1; break;
		case O_NOGTID: nogtid = 1; break;
		case O_ATPOS: atpos = 1; break;
		case O_RUSER: ruser = optarg; break;
		case O_RPWFILE:
			repl_password_free(rpw);
			if (repl_password_read(optarg, &rpw, &err) == -1)
				return fail(&err);
			break;
		case O_SOURCE: source = optarg; break;
		case O_GTID: gtid = optarg; break;
		case O_FILE: file = optarg; break;
		case O_POS: pos = optarg; break;
		case O_SSLMODE:
			/* The same names as --ssl-mode, for the replica's channel. */
			if (repl_connopt_set(&sslopt, REPL_OPT_BASE + 5, optarg,
			    &err) == -1)
				return fail(&err);
			src.ssl_mode = sslopt.ssl_mode;
			break;
		case O_SSLCA: sslca = optarg; break;
		case O_RETRY:
			if (repl_dur_parse(optarg, &ms) == -1 || ms < 1000 ||
			    ms > 86400000)
				return bad("invalid --connect-retry", optarg);
			src.connect_retry = (unsigned int)(ms / 1000);
			break;
		case O_HELP:
			fputs(usage, stdout);
			return repl_fshut() ? REPL_EXIT_USAGE : REPL_EXIT_OK;
		case O_VERSION:
			puts("repl-attach " REPLKIT_VERSION);
			return repl_fshut() ? REPL_EXIT_USAGE : REPL_EXIT_OK;
		default:
			fputs(usage, stderr);
			return REPL_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		repl_warn("expected one replica");
		fputs(usage, stderr);
		return REPL_EXIT_USAGE;
	}
	/* Every input is checked before the first packet is sent. */
	if (repl_addr_parse(&addr, argv[optind], &err) == -1 ||
	    repl_connopt_check(&o, &err) == -1)
		return fail(&err);
	if (source == NULL && (gtid || file || pos))
		return bad("--gtid, --file and --pos need", "--source");
	if (atpos && nogtid)
		return bad("--at-position sets a GTID position: not with",
		    "--no-gtid");
	if (sslca != NULL && src.ssl_mode == REPL_SSL_DEFAULT)
		src.ssl_mode = REPL_SSL_VERIFY_CA;
	if (rpw == NULL && getenv("REPLKIT_REPL_PASSWORD") != NULL &&
	    (rpw = repl_password_dup(getenv("REPLKIT_REPL_PASSWORD"))) == NULL)
		return REPL_EXIT_TEMP;
	if (source != NULL) {
		if (coord_from_options(&co, source, gtid, file, pos, &err) == -1)
			return fail(&err);
	} else if (!repl_stdin_has_input()) {
		repl_err_set(&err, REPL_E_PERM, "no coordinate line on standard "
		    "input and no --source");
		return fail(&err);
	} else if (repl_coord_read(&co, 0, repl_now_ms() + timeout, &err)
	    == -1)
		return fail(&err);
	if (co.host[0] == '\0' || co.port == 0) {
		repl_err_set(&err, REPL_E_PERM, "the coordinate line names no "
		    "host and port for the replica to connect to");
		return fail(&err);
	}
	if (nogtid && co.file[0] == '\0') {
		repl_err_set(&err, REPL_E_PERM, "--no-gtid needs a file and "
		    "position in the coordinate line");
		return fail(&err);
	}
	if (atpos && !co.has_gtid) {
		repl_err_set(&err, REPL_E_PERM, "--at-position needs a GTID in "
		    "the coordinate line");
		return fail(&err);
	}
	strcpy(src.host, co.host);
	src.port = co.port;
	src.start = nogtid ? REPL_START_FILEPOS : REPL_START_GTID;
	strcpy(src.file, co.file);
	src.pos = co.pos;

	deadline = repl_now_ms() + timeout;
	if (repl_conn_open(&c, &addr, &o, &err) == -1) {
		repl_password_free(rpw);
		repl_connopt_free(&o);
		return fail(&err);
	}
	sql = malloc(sqlmax);
	shown = malloc(sqlmax);
	rc = REPL_EXIT_OK;
	if (sql == NULL || shown == NULL) {
		repl_err_set(&err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	if ((r = repl_attach_check(&c, &co, src.start, force, &err)) == -1)
		goto out;
	if (r == 1) {
		if (verbose > 1 || dry)
			repl_warn("'%s' already replicates from '%s:%u': "
			    "nothing changed", c.name, co.host, co.port);
		goto out;
	}
	/*
	 * Set up for this very source but stopped: a file/position or an
	 * --at-position line would move it to the line's position and skip
	 * or repeat what came between. Start it where it is instead.
	 */
	if (r == 2 && (nogtid || atpos) && !force) {
		if (verbose > 1 || dry)
			repl_warn("'%s' is set up for '%s:%u' but stopped: "
			    "starting it where it is (--force repositions it)",
			    c.name, co.host, co.port);
		if (run(&c, repl_sql_start_replica(&c.server), NULL, dry,
		    &err) == 0 && !dry)
			repl_attach_wait(&c, deadline, &err);
		goto out;
	}
	if (src.start == REPL_START_GTID &&
	    check_purged(&co, &c, &o, atpos, &err) == -1)
		goto out;
	if (strlen(ruser) > 128 || (rpw != NULL && strlen(rpw) > 1000) ||
	    (sslca != NULL && strlen(sslca) > 500) ||
	    repl_conn_escape(&c, user_e, sizeof(user_e), ruser) == -1 ||
	    (rpw != NULL && repl_conn_escape(&c, pw_e, sizeof(pw_e), rpw)
	    == -1) || (sslca != NULL && repl_conn_escape(&c, ca_e,
	    sizeof(ca_e), sslca) == -1)) {
		repl_err_set(&err, REPL_E_PERM, "replication user, password "
		    "or CA path too long");
		goto out;
	}
	src.user = user_e;
	src.ssl_ca = sslca != NULL ? ca_e : NULL;
	/* What -n and -v show: the statement with the password masked. */
	src.password = rpw != NULL ? "***" : NULL;
	if (repl_sql_attach(shown, sqlmax, &c.server, &src) == -1)
		goto toolong;
	src.password = rpw != NULL ? pw_e : NULL;
	if (repl_sql_attach(sql, sqlmax, &c.server, &src) == -1)
		goto toolong;
	if (repl_replica_status(&c, &before, &err) == -1 ||
	    run(&c, repl_sql_stop_replica(&c.server), NULL, dry, &err) == -1)
		goto out;
	stopped = repl_replica_running(&before);
	if (atpos) {
		char set[REPL_GTID_MAX + 64];

		if (repl_sql_set_gtid_pos(set, sizeof(set), &c.server,
		    co.gtid) == -1)
			goto toolong;
		if (run(&c, set, NULL, dry, &err) == -1)
			goto out;
	}
	if (run(&c, sql, shown, dry, &err) == -1 ||
	    run(&c, repl_sql_start_replica(&c.server), NULL, dry, &err) == -1) {
		/* Leave a replica we stopped running on its old settings. */
		if (stopped && !dry) {
			struct repl_err e2;

			repl_conn_query(&c, repl_sql_start_replica(&c.server),
			    &e2);
		}
		goto out;
	}
	if (!dry && repl_attach_wait(&c, deadline, &err) == -1)
		goto out;
	if (!dry && verbose > 1)
		repl_warn("'%s' replicates from '%s:%u'", c.name, co.host,
		    co.port);
	goto out;
toolong:
	repl_err_set(&err, REPL_E_PERM, "statement too long");
out:
	repl_conn_close(&c);
	repl_connopt_free(&o);
	repl_password_free(rpw);
	memset(pw_e, 0, sizeof(pw_e));
	free(sql);
	free(shown);
	if (err.kind != REPL_E_NONE)
		rc = fail(&err);
	if (repl_fshut() == -1 && rc == REPL_EXIT_OK)
		rc = REPL_EXIT_TEMP;
	return rc;
}
