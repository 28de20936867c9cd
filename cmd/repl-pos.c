/* repl-pos: print a source's binary log position as a coordinate line. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-pos [--json] [--advertise host[:port]] [-u user]\n"
"                [--password-file file] [--defaults-file file]\n"
"                [--defaults-extra-file file] [--no-defaults]\n"
"                [--ssl-mode mode] [--ssl-ca file] [--ssl-cert file]\n"
"                [--ssl-key file] [--connect-timeout duration] server\n";

enum { O_JSON = REPL_OPT_TOOL, O_ADVERTISE };

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
		{ "json", no_argument, 0, O_JSON },
		{ "advertise", required_argument, 0, O_ADVERTISE },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o;
	struct repl_addr addr, adv;
	struct repl_conn c;
	struct repl_coord co;
	struct repl_err err;
	const char *advertise = NULL;
	int ch, r, json = 0, rc;

	repl_progname = "repl-pos";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	while ((ch = repl_getopt(argc, argv, "u:", longopts)) != -1) {
		switch (ch) {
		case O_JSON:
			json = 1;
			break;
		case O_ADVERTISE:
			advertise = optarg;
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1)
				return r;
			break;
		}
	}
	if (argc - optind != 1)
		return repl_usage_error(usage, "expected one server");
	if (repl_addr_parse(&addr, argv[optind], &err) == -1)
		return repl_fail(&err);
	if (advertise != NULL) {
		if (repl_addr_parse(&adv, advertise, &err) == -1)
			return repl_fail(&err);
		if (adv.socket[0] != '\0')
			return repl_usage_error(NULL, "--advertise needs a "
			    "host, not a socket");
	}
	if (repl_connopt_check(&o, &err) == -1)
		return repl_fail(&err);
	if (repl_conn_open(&c, &addr, &o, &err) == -1) {
		repl_connopt_free(&o);
		return repl_fail(&err);
	}
	repl_connopt_free(&o);
	rc = REPL_EXIT_OK;
	if (repl_pos_read(&c, &co, &err) == -1)
		goto out;
	if (repl_pos_address(&c, &addr, advertise != NULL ? &adv : NULL, &co,
	    &err) == -1)
		goto out;
	repl_coord_print(&co, json);
out:
	repl_conn_close(&c);
	if (err.kind != REPL_E_NONE)
		return repl_fail(&err);
	if (repl_fshut() == -1)
		rc = REPL_EXIT_TEMP;
	return rc;
}
