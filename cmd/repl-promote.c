/* repl-promote: make a server the source of the others, by GTID. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-promote [-nqv] [--failover] [--catch-up] [--no-demote] [--json]\n"
"                    [--max-lag transactions] [-t timeout]\n"
"                    [--repl-user user] [--repl-password-file file]\n"
"                    [-u user] [--password-file file] [--defaults-file file]\n"
"                    [--defaults-extra-file file] [--no-defaults]\n"
"                    [--ssl-mode mode] [--ssl-ca file] [--ssl-cert file]\n"
"                    [--ssl-key file] [--connect-timeout duration]\n"
"                    new [server ...]\n";

enum { O_FAILOVER = REPL_OPT_TOOL, O_CATCHUP, O_NODEMOTE, O_MAXLAG,
	O_RUSER, O_RPWFILE, O_JSON };

/* --max-lag: twelve digits at most. */
#define MAX_LAG_MAX 999999999999ULL

static int verbose = 1;		/* 0 with -q, 2 with -v */

/* repl_fail, but with -q the exit status alone tells. */
static int
fail(const struct repl_err *err)
{
	return verbose ? repl_fail(err) : repl_err_exit(err);
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
		{ "failover", no_argument, 0, O_FAILOVER },
		{ "catch-up", no_argument, 0, O_CATCHUP },
		{ "no-demote", no_argument, 0, O_NODEMOTE },
		{ "max-lag", required_argument, 0, O_MAXLAG },
		{ "repl-user", required_argument, 0, O_RUSER },
		{ "repl-password-file", required_argument, 0, O_RPWFILE },
		{ "json", no_argument, 0, O_JSON },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o;
	struct repl_promote p;
	struct repl_voice voice;
	struct repl_addr *servers;
	struct repl_err err;
	const char *rpwfile = NULL;
	char *rpw = NULL;
	unsigned long long lag;
	int64_t timeout = 60000;
	int ch, r, json = 0, rc;
	size_t i, n;

	repl_progname = "repl-promote";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	memset(&p, 0, sizeof(p));
	p.user = "repl";
	p.max_lag = -1;
	while ((ch = repl_getopt(argc, argv, "nqt:u:v", longopts)) != -1) {
		switch (ch) {
		case 'n': p.dry = 1; break;
		case 'q': verbose = 0; break;
		case 'v': verbose = 2; break;
		case 't':
			if (repl_dur_parse(optarg, &timeout) == -1)
				return repl_usage_error(NULL, "invalid timeout "
				    "'%s': expected a duration such as 30, 1.5s, "
				    "500ms, 2m", optarg);
			break;
		case O_FAILOVER: p.failover = 1; break;
		case O_CATCHUP: p.catch_up = 1; break;
		case O_NODEMOTE: p.no_demote = 1; break;
		case O_MAXLAG:
			if (repl_num_parse(optarg, 0, MAX_LAG_MAX, &lag) == -1)
				return repl_usage_error(NULL, "invalid "
				    "--max-lag '%s': expected a number of "
				    "transactions", optarg);
			p.max_lag = (long long)lag;
			break;
		case O_RUSER: p.user = optarg; break;
		case O_RPWFILE: rpwfile = optarg; break;
		case O_JSON: json = 1; break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1)
				return r;
			break;
		}
	}
	if (argc == optind)
		return repl_usage_error(usage, "expected the new source");
	n = (size_t)(argc - optind);
	if (n > REPL_TOP_MAX)
		return repl_usage_error(usage, "at most %d servers",
		    REPL_TOP_MAX);
	if (p.catch_up && !p.failover)
		return repl_usage_error(usage, "--catch-up is for --failover");
	/* Every input is checked before the first packet is sent. */
	if ((servers = calloc(n, sizeof(*servers))) == NULL)
		return REPL_EXIT_TEMP;
	for (i = 0; i < n; i++)
		if (repl_addr_parse(&servers[i], argv[optind + (int)i], &err)
		    == -1 || (servers[i].socket[0] != '\0' &&
		    (repl_err_set(&err, REPL_E_PERM, "'%s': a socket names no "
		    "address replicas could use: give host:port",
		    argv[optind + (int)i]), 1))) {
			free(servers);
			return fail(&err);
		}
	if (repl_connopt_check(&o, &err) == -1) {
		free(servers);
		return fail(&err);
	}
	if (repl_password_repl(rpwfile, &rpw, &err) == -1) {
		free(servers);
		return fail(&err);
	}
	p.servers = servers;
	p.nservers = n;
	p.opt = &o;
	p.password = rpw;
	p.deadline = repl_now_ms() + timeout;
	voice.verbose = verbose;
	voice.dry = p.dry;
	voice.named = 1;
	p.say = repl_voice_say;
	p.note = repl_voice_note;
	p.arg = &voice;
	rc = REPL_EXIT_OK;
	if (repl_promote_run(&p, &err) == 0 && !p.dry)
		repl_coord_print(&p.pos, json);
	repl_promote_free(&p);
	repl_connopt_free(&o);
	repl_password_free(rpw);
	free(servers);
	if (err.kind != REPL_E_NONE)
		rc = fail(&err);
	if (repl_fshut() == -1 && rc == REPL_EXIT_OK)
		rc = REPL_EXIT_TEMP;
	return rc;
}
