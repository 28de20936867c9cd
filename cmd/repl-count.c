/* repl-count: row counts of tables on many servers at once. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-count [-q] [--estimate] [--json] [--wait] [-d db]\n"
"                  [-T db.table] [-t timeout] [--watch interval]\n"
"                  [--rounds n] [-u user] [--password-file file]\n"
"                  [--defaults-file file] [--defaults-extra-file file]\n"
"                  [--no-defaults] [--ssl-mode mode] [--ssl-ca file]\n"
"                  [--ssl-cert file] [--ssl-key file]\n"
"                  [--connect-timeout duration] server ...\n";

/* A count may take minutes on a big table; a dead link must not hang us. */
#define READ_TIMEOUT 600

#define ROUNDS_MAX 1000000000ULL

enum { O_ESTIMATE = REPL_OPT_TOOL, O_JSON, O_WAIT, O_WATCH, O_ROUNDS };

/* Tell what went wrong on each server, and in the round. */
static void
report(const struct repl_count *rc)
{
	size_t i;

	if (rc->err.kind != REPL_E_NONE)
		repl_warn("%s", rc->err.msg);
	for (i = 0; i < rc->nsrv; i++) {
		if (rc->srv[i].wait_err.kind != REPL_E_NONE)
			repl_warn("not caught up, counting anyway: %s",
			    rc->srv[i].wait_err.msg);
		if (rc->srv[i].err.kind != REPL_E_NONE)
			repl_warn("%s", rc->srv[i].err.msg);
	}
	if (rc->nodb != NULL)
		repl_warn("no table in database '%s' on '%s'", rc->nodb,
		    rc->srv[rc->list_from].operand);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
		REPL_SCOPE_LONGOPTS,
		{ "estimate", no_argument, 0, O_ESTIMATE },
		{ "json", no_argument, 0, O_JSON },
		{ "wait", no_argument, 0, O_WAIT },
		{ "watch", required_argument, 0, O_WATCH },
		{ "rounds", required_argument, 0, O_ROUNDS },
		{ "quiet", no_argument, 0, 'q' },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o;
	struct repl_count rc;
	struct repl_table *want;
	struct repl_err err;
	int64_t watch = -1, start;
	unsigned long long rounds = 0, n;	/* rounds 0: until stopped */
	int ch, r, quiet = 0, json = 0, code = REPL_EXIT_USAGE, lib = 0;
	size_t i;

	repl_progname = "repl-count";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	memset(&rc, 0, sizeof(rc));
	rc.timeout = 60000;
	/* Every -d, -T and server fits in argc entries. */
	rc.dbs = calloc((size_t)argc, sizeof(*rc.dbs));
	rc.want = want = calloc((size_t)argc, sizeof(*want));
	rc.srv = calloc((size_t)argc, sizeof(*rc.srv));
	if (rc.dbs == NULL || want == NULL || rc.srv == NULL) {
		repl_err_set(&err, REPL_E_TEMP, "out of memory");
		goto fail;
	}
	while ((ch = repl_getopt(argc, argv, "d:qT:t:u:", longopts))
	    != -1) {
		if ((r = repl_scope_opt(ch, optarg, rc.dbs, &rc.ndbs, want,
		    &rc.nwant, &rc.timeout, &err)) == 1)
			continue;
		if (r == -1) {
			code = repl_usage_error(NULL, "%s", err.msg);
			goto out;
		}
		switch (ch) {
		case O_ESTIMATE:
			rc.estimate = 1;
			break;
		case O_JSON:
			json = 1;
			break;
		case O_WAIT:
			rc.wait = 1;
			break;
		case O_WATCH:
			if (repl_dur_parse(optarg, &watch) == -1 || watch < 1) {
				code = repl_usage_error(NULL,
				    "invalid --watch '%s': expected a duration "
				    "such as 5, 1.5s, 500ms, 1m", optarg);
				goto out;
			}
			break;
		case O_ROUNDS:
			if (repl_num_parse(optarg, 1, ROUNDS_MAX, &rounds)
			    == -1) {
				code = repl_usage_error(NULL,
				    "invalid --rounds '%s': expected a number "
				    "from 1 to 1000000000", optarg);
				goto out;
			}
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1) {
				code = r;
				goto out;
			}
			break;
		}
	}
	if (rounds != 0 && watch == -1) {
		code = repl_usage_error(usage,
		    "--rounds goes with --watch");
		goto out;
	}
	if (watch == -1)
		rounds = 1;
	if (optind >= argc) {
		code = repl_usage_error(usage,
		    "expected at least one server");
		goto out;
	}
	/* Check all input before the first packet is sent. */
	for (i = 0; optind < argc; i++, optind++) {
		rc.srv[i].operand = argv[optind];
		if (repl_addr_parse(&rc.srv[i].addr, argv[optind], &err) == -1)
			goto fail;
	}
	rc.nsrv = i;
	if (repl_connopt_check(&o, &err) == -1)
		goto fail;
	o.read_timeout = READ_TIMEOUT;
	if (repl_multi_init() == -1) {
		repl_err_set(&err, REPL_E_TEMP, "unable to initialize "
		    "libmariadb");
		goto fail;
	}
	lib = 1;
	for (n = 0; rounds == 0 || n < rounds; n++) {
		start = repl_now_ms();
		repl_count_round(&rc, &o);
		code = repl_count_exit(&rc);
		if (!quiet) {
			if (n > 0 && !json)
				putchar('\n');
			if (repl_count_print(stdout, &rc, (json ?
			    REPL_COUNT_JSON : 0) | (watch != -1 ?
			    REPL_COUNT_STAMP : 0)) == -1 || fflush(stdout) != 0)
				break;
			report(&rc);
		}
		if (rounds != 0 && n + 1 >= rounds)
			break;
		repl_sleep_ms(start + watch - repl_now_ms());
	}
	goto out;
fail:
	/* Errors in the input are reported even with -q. */
	code = repl_fail(&err);
out:
	repl_count_free(&rc);
	if (lib)
		repl_multi_end();
	repl_connopt_free(&o);
	free(rc.dbs);
	free(want);
	free(rc.srv);
	if (repl_fshut() == -1)
		code = code == REPL_EXIT_OK ? REPL_EXIT_TEMP : code;
	return code;
}
