/* repl-top: who replicates from whom, and how well, around some servers. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-top [--json] [-u user] [--password-file file]\n"
"                [--defaults-file file] [--defaults-extra-file file]\n"
"                [--no-defaults] [--ssl-mode mode] [--ssl-ca file]\n"
"                [--ssl-cert file] [--ssl-key file]\n"
"                [--connect-timeout duration] server ...\n";

enum { O_JSON = REPL_OPT_TOOL };

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
		{ "json", no_argument, 0, O_JSON },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o;
	struct repl_top t;
	struct repl_addr *start;
	struct repl_err err;
	int ch, r, json = 0, rc;
	size_t i;

	repl_progname = "repl-top";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	while ((ch = repl_getopt(argc, argv, "u:", longopts)) != -1) {
		switch (ch) {
		case O_JSON:
			json = 1;
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1)
				return r;
			break;
		}
	}
	if (argc == optind)
		return repl_usage_error(usage, "expected at least one server");
	if ((size_t)(argc - optind) > REPL_TOP_MAX)
		return repl_usage_error(usage, "at most %d servers",
		    REPL_TOP_MAX);
	/* Every operand is checked before the first packet is sent. */
	if ((start = calloc((size_t)(argc - optind), sizeof(*start))) == NULL)
		return REPL_EXIT_TEMP;
	for (i = 0; i < (size_t)(argc - optind); i++)
		if (repl_addr_parse(&start[i], argv[optind + (int)i], &err) == -1) {
			free(start);
			return repl_fail(&err);
		}
	if (repl_connopt_check(&o, &err) == -1) {
		free(start);
		return repl_fail(&err);
	}
	t.start = start;
	t.nstart = (size_t)(argc - optind);
	if (repl_top_run(&t, &o) == -1) {
		free(start);
		repl_connopt_free(&o);
		return repl_fail(&t.err);
	}
	if (t.truncated)
		repl_warn("more than %d servers: the rest not followed",
		    REPL_TOP_MAX);
	rc = repl_top_exit(&t);
	if (repl_top_print(stdout, &t, json) == -1) {
		repl_warn("out of memory");
		rc = REPL_EXIT_TEMP;
	}
	repl_top_free(&t);
	free(start);
	repl_connopt_free(&o);
	if (repl_fshut() == -1)
		rc = REPL_EXIT_TEMP;
	return rc;
}
