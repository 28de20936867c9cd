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

enum { O_FORCE = REPL_OPT_TOOL, O_NOGTID, O_ATPOS, O_RUSER, O_RPWFILE,
	O_SOURCE, O_GTID, O_FILE, O_POS, O_SSLMODE, O_SSLCA, O_RETRY };

static int verbose = 1;

/* repl_fail, but with -q the exit status alone tells. */
static int
fail(const struct repl_err *err)
{
	return verbose ? repl_fail(err) : repl_err_exit(err);
}

/*
 * A usage error (repl_usage_error, u the usage or NULL): msg, about arg
 * if not NULL. With -q, told by the exit status alone.
 */
static int
bad(const char *u, const char *msg, const char *arg)
{
	if (!verbose)
		return REPL_EXIT_USAGE;
	if (arg == NULL)
		return repl_usage_error(u, "%s", msg);
	return repl_usage_error(u, "%s '%s'", msg, arg);
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
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
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o, sslopt;
	struct repl_addr addr;
	struct repl_conn c;
	struct repl_attach a;
	struct repl_voice voice;
	struct repl_err err;
	const char *source = NULL, *gtid = NULL, *file = NULL, *pos = NULL;
	const char *ruser = "repl", *rpwfile = NULL;
	char *rpw = NULL;
	int64_t timeout = 60000, ms;
	int ch, r, rc;

	repl_progname = "repl-attach";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	repl_connopt_init(&sslopt, repl_progname);
	memset(&a, 0, sizeof(a));
	while ((ch = repl_getopt(argc, argv, "nqt:u:v", longopts)) != -1) {
		if ((r = repl_connopt_set(&o, ch, optarg, &err)) == 1)
			continue;
		if (r == -1)
			return bad(NULL, err.msg, NULL);
		switch (ch) {
		case 'n': a.dry = 1; break;
		case 'q': verbose = 0; break;
		case 'v': verbose = 2; break;
		case 't':
			if (repl_dur_parse(optarg, &timeout) == -1)
				return bad(NULL, "invalid timeout", optarg);
			break;
		case O_FORCE: a.force = 1; break;
		case O_NOGTID: a.nogtid = 1; break;
		case O_ATPOS: a.at_position = 1; break;
		case O_RUSER: ruser = optarg; break;
		case O_RPWFILE: rpwfile = optarg; break;
		case O_SOURCE: source = optarg; break;
		case O_GTID: gtid = optarg; break;
		case O_FILE: file = optarg; break;
		case O_POS: pos = optarg; break;
		case O_SSLMODE:
			/* The same names as --ssl-mode, for the replica's channel. */
			if (repl_connopt_set(&sslopt, REPL_OPT_SSL_MODE, optarg,
			    &err) == -1)
				return bad(NULL, err.msg, NULL);
			a.ssl_mode = sslopt.ssl_mode;
			break;
		case O_SSLCA: a.ssl_ca = optarg; break;
		case O_RETRY:
			if (repl_dur_parse(optarg, &ms) == -1 || ms < 1000 ||
			    ms > 86400000)
				return bad(NULL, "invalid --connect-retry",
				    optarg);
			a.connect_retry = (unsigned int)(ms / 1000);
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1)
				return r;
			break;
		}
	}
	if (argc - optind != 1)
		return repl_usage_error(usage, "expected one replica");
	/* Every input is checked before the first packet is sent. */
	if (repl_addr_parse(&addr, argv[optind], &err) == -1 ||
	    repl_connopt_check(&o, &err) == -1)
		return fail(&err);
	if (source == NULL && (gtid || file || pos))
		return bad(usage, "--gtid, --file and --pos need",
		    "--source");
	if (a.at_position && a.nogtid)
		return bad(usage, "--at-position sets a GTID position: not "
		    "with",
		    "--no-gtid");
	if (a.ssl_ca != NULL && a.ssl_mode == REPL_SSL_DEFAULT)
		a.ssl_mode = REPL_SSL_VERIFY_CA;
	if (repl_password_repl(rpwfile, &rpw, &err) == -1)
		return fail(&err);
	if (source != NULL) {
		if (coord_from_options(&a.co, source, gtid, file, pos, &err)
		    == -1)
			return fail(&err);
	} else if (!repl_stdin_has_input()) {
		repl_err_set(&err, REPL_E_PERM, "no coordinate line on standard "
		    "input and no --source");
		return fail(&err);
	} else if (repl_coord_read(&a.co, 0, repl_now_ms() + timeout, &err)
	    == -1)
		return fail(&err);
	if (a.co.host[0] == '\0' || a.co.port == 0) {
		repl_err_set(&err, REPL_E_PERM, "the coordinate line names no "
		    "host and port for the replica to connect to");
		return fail(&err);
	}
	if (a.nogtid && a.co.file[0] == '\0') {
		repl_err_set(&err, REPL_E_PERM, "--no-gtid needs a file and "
		    "position in the coordinate line");
		return fail(&err);
	}
	if (a.at_position && !a.co.has_gtid) {
		repl_err_set(&err, REPL_E_PERM, "--at-position needs a GTID in "
		    "the coordinate line");
		return fail(&err);
	}
	a.opt = &o;
	a.user = ruser;
	a.password = rpw;
	a.deadline = repl_now_ms() + timeout;
	voice.verbose = verbose;
	voice.dry = a.dry;
	voice.named = 0;
	a.say = repl_voice_say;
	a.note = repl_voice_note;
	a.arg = &voice;
	if (repl_conn_open(&c, &addr, &o, &err) == -1) {
		repl_password_free(rpw);
		repl_connopt_free(&o);
		return fail(&err);
	}
	rc = REPL_EXIT_OK;
	if (repl_attach_run(&a, &c, &err) == 0 && !a.dry && verbose > 1 &&
	    a.done == REPL_ATTACH_POINTED)
		repl_warn("'%s' replicates from '%s:%u'", c.name, a.co.host,
		    a.co.port);
	repl_conn_close(&c);
	repl_connopt_free(&o);
	repl_password_free(rpw);
	if (err.kind != REPL_E_NONE)
		rc = fail(&err);
	if (repl_fshut() == -1 && rc == REPL_EXIT_OK)
		rc = REPL_EXIT_TEMP;
	return rc;
}
