/* repl-feed: write rows into a source, printing the position of each commit. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-feed [-b batch] [-c connections] [-i interval] [-r rate]\n"
"                 [-s bytes] [-T db.table] [--reconnect duration]\n"
"                 [-u user] [--password-file file] [--defaults-file file]\n"
"                 [--defaults-extra-file file] [--no-defaults]\n"
"                 [--ssl-mode mode] [--ssl-ca file] [--ssl-cert file]\n"
"                 [--ssl-key file] [--connect-timeout duration]\n"
"                 {-n rows | -d duration} server\n";

enum { O_RECONNECT = REPL_OPT_TOOL };

/* A commit's line: on stdout at once. */
static void
line(const struct repl_coord *co)
{
	repl_coord_print(co, 0);
	fflush(stdout);
}

static void
note(const char *msg)
{
	repl_warn("%s", msg);
}

static int
bad(const char *what, const char *arg)
{
	return repl_usage_error(NULL, "invalid %s '%s'", what, arg);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
		{ "reconnect", required_argument, 0, O_RECONNECT },
		{ "table", required_argument, 0, 'T' },
		{ 0, 0, 0, 0 }
	};
	struct repl_feed f;
	struct repl_connopt o;
	struct repl_err err;
	const char *table = "replkit.feed";
	unsigned long long v, conns = 1;
	int64_t dur = -1, t0, ms;
	double secs;
	int ch, r, rc = REPL_EXIT_OK, have_n = 0;

	repl_progname = "repl-feed";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	memset(&f, 0, sizeof(f));
	f.o = &o;
	f.end = -1;
	f.batch = 1;
	f.size = 100;
	f.reconnect = 60000;
	while ((ch = repl_getopt(argc, argv, "b:c:d:i:n:r:s:T:t:u:",
	    longopts)) != -1) {
		switch (ch) {
		case 'b':
			if (repl_num_parse(optarg, 1, 100000, &v) == -1)
				return bad("batch (1 to 100000 rows)", optarg);
			f.batch = (unsigned int)v;
			break;
		case 'c':
			if (repl_num_parse(optarg, 1, 1000, &conns) == -1)
				return bad("connections (1 to 1000)", optarg);
			break;
		case 'd':
			if (repl_dur_parse(optarg, &dur) == -1 || dur == 0)
				return bad("duration", optarg);
			break;
		case 'i':
			if (repl_dur_parse(optarg, &f.interval) == -1)
				return bad("interval", optarg);
			break;
		case 'n':
			if (repl_num_parse(optarg, 1, 1000000000000ULL,
			    &f.rows) == -1)
				return bad("rows", optarg);
			have_n = 1;
			break;
		case 'r':
			if (repl_num_parse(optarg, 1, 100000000, &v) == -1)
				return bad("rate (rows per second)", optarg);
			f.rate = (double)v;
			break;
		case 's':
			if (repl_num_parse(optarg, 1, 60000, &v) == -1)
				return bad("payload size (1 to 60000 bytes)",
				    optarg);
			f.size = (unsigned int)v;
			break;
		case 'T':
			table = optarg;
			break;
		case 't':
			/* The table was -t before 0.2; -t is a timeout elsewhere. */
			return repl_usage_error(usage, "-t is not the table: give "
			    "-T db.table (-t is the timeout in the other replkit "
			    "tools)");
		case O_RECONNECT:
			if (repl_dur_parse(optarg, &f.reconnect) == -1)
				return bad("--reconnect duration", optarg);
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1)
				return r;
			break;
		}
	}
	/* Every input is checked before the first packet is sent. */
	if (have_n == (dur >= 0))
		return repl_usage_error(usage, "give one of -n rows and -d "
		    "duration");
	if (argc - optind != 1)
		return repl_usage_error(usage, "expected one server");
	if (repl_feed_sql_insert_size(f.batch, f.size) > 16 * 1024 * 1024)
		return repl_usage_error(NULL, "-b %u rows of -s %u bytes: more "
		    "than 16 MiB in one statement", f.batch, f.size);
	if (repl_table_parse(&f.table, table, &err) == -1 ||
	    repl_addr_parse(&f.addr, argv[optind], &err) == -1 ||
	    repl_connopt_check(&o, &err) == -1)
		return repl_fail(&err);
	if (mysql_library_init(0, NULL, NULL) != 0) {
		repl_warn("unable to initialize the client library");
		return REPL_EXIT_TEMP;
	}
	f.conns = (size_t)conns;
	f.line = line;
	f.note = note;
	t0 = repl_now_ms();
	if (dur >= 0)
		f.end = t0 + dur;
	if (repl_feed_run(&f) == -1)
		rc = repl_fail(&f.err);
	ms = repl_now_ms() - t0;
	secs = ms > 0 ? (double)ms / 1000 : 0.001;
	fprintf(stderr, "repl-feed: rows=%llu transactions=%llu seconds=%.3f "
	    "rows_per_sec=%.0f unknown_rows=%llu unknown_transactions=%llu\n",
	    f.committed, f.txns, secs, (double)f.committed / secs,
	    f.unknown_rows, f.unknown_txns);
	repl_connopt_free(&o);
	mysql_library_end();
	if (repl_fshut() == -1 && rc == REPL_EXIT_OK)
		rc = REPL_EXIT_TEMP;
	return rc;
}
