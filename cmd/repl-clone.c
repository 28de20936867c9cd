/* repl-clone: copy a source's data into an empty server, print its position. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-clone [-nqv] [--force] [--json] [-j jobs] [-t timeout]\n"
"                  [-d db] [-T db.table] [--advertise host[:port]]\n"
"                  [--method logical | clone]\n"
"                  [-u user] [--password-file file] [--defaults-file file]\n"
"                  [--defaults-extra-file file] [--no-defaults]\n"
"                  [--ssl-mode mode] [--ssl-ca file] [--ssl-cert file]\n"
"                  [--ssl-key file] [--connect-timeout duration]\n"
"                  source replica\n";

enum { O_FORCE = REPL_OPT_TOOL, O_JSON, O_ADVERTISE, O_METHOD };

#define JOBS_MAX 64
/* A part may take minutes to load; a dead link must not hang us. */
#define READ_TIMEOUT 3600

static int verbose = 1;		/* 0 with -q, 2 with -v */
static int tty;
static int64_t last_shown;

static void
human(char *buf, size_t n, unsigned long long b)
{
	if (b >= 10ULL << 30)
		snprintf(buf, n, "%llu GB", b >> 30);
	else if (b >= 10ULL << 20)
		snprintf(buf, n, "%llu MB", b >> 20);
	else if (b >= 10ULL << 10)
		snprintf(buf, n, "%llu kB", b >> 10);
	else
		snprintf(buf, n, "%llu bytes", b);
}

/* The clone plugin's: its stage, the bytes done, of about how many. */
static void
progress_instance(const struct repl_clone *cl, int64_t ms, int done)
{
	unsigned long long rate;
	char size[32], est[32], left[64] = "";

	rate = ms > 0 ? cl->bytes * 1000ULL / (unsigned long long)ms : 0;
	human(size, sizeof(size), cl->bytes);
	human(est, sizeof(est), cl->bytes_est);
	if (done) {
		fprintf(stderr, "%s%s: cloned the instance in %lld.%01lld s\n",
		    tty ? "\r\033[K" : "", repl_progname,
		    (long long)(ms / 1000), (long long)(ms % 1000 / 100));
		return;
	}
	if (rate > 0 && cl->bytes_est > cl->bytes)
		snprintf(left, sizeof(left), ", about %llu s left",
		    (cl->bytes_est - cl->bytes) / rate + 1);
	fprintf(stderr, "%s%s: %s, %s of about %s%s%s", tty ? "\r\033[K" :
	    "", repl_progname, cl->stage[0] != '\0' ? cl->stage : "starting",
	    size, est, left, tty ? "" : "\n");
	fflush(stderr);
}

/* Progress on stderr: a line redrawn on a terminal, else every 10 s. */
static void
progress(void *arg, const struct repl_clone *cl, int done)
{
	int64_t now = repl_now_ms(), ms = now - cl->started_ms;
	unsigned long long rate;
	char size[32], left[64] = "";

	(void)arg;
	if (!verbose || (!done && !tty && now - last_shown < 10000))
		return;
	last_shown = now;
	if (cl->method == REPL_CLONE_INSTANCE) {
		progress_instance(cl, ms, done);
		return;
	}
	rate = ms > 0 ? cl->rows * 1000ULL / (unsigned long long)ms : 0;
	human(size, sizeof(size), cl->bytes);
	if (!done && rate > 0 && cl->rows_est > cl->rows)
		snprintf(left, sizeof(left), ", about %llu s left",
		    (cl->rows_est - cl->rows) / rate + 1);
	if (done)
		fprintf(stderr, "%s%s: copied %zu tables, %llu rows, %s in "
		    "%lld.%01lld s (%llu rows/s)\n", tty ? "\r\033[K" : "",
		    repl_progname, cl->ntab, cl->rows, size,
		    (long long)(ms / 1000), (long long)(ms % 1000 / 100), rate);
	else
		fprintf(stderr, "%s%s: %zu/%zu tables, %llu rows, %s, %llu "
		    "rows/s%s%s", tty ? "\r\033[K" : "", repl_progname,
		    cl->tabs_done, cl->ntab, cl->rows, size, rate, left,
		    tty ? "" : "\n");
	fflush(stderr);
}

/* -n: what a run would do, on stdout. */
static void
plan(const struct repl_clone *cl)
{
	size_t i;

	printf("# %s %s -> %s: %zu tables, about %llu rows\n",
	    repl_flavor_name(cl->co.flavor), cl->src_name, cl->rep_name,
	    cl->ntab, cl->rows_est);
	for (i = 0; i < cl->ntab && cl->tab[i].trans; i++)
		;
	printf("# method: LOAD DATA LOCAL INFILE fed from a SELECT, %u "
	    "workers\n", cl->jobs);
	if (i < cl->ntab)
		printf("# snapshot: FLUSH TABLES WITH READ LOCK while the "
		    "workers start and the tables without transactions are "
		    "copied\n");
	else if (cl->co.flavor == REPL_FLAVOR_MARIADB)
		printf("# snapshot: no lock while the workers start at one "
		    "position (else BACKUP STAGE BLOCK_COMMIT meanwhile)\n");
	else
		printf("# snapshot: FLUSH TABLES WITH READ LOCK while the "
		    "workers start\n");
	if (cl->leftover)
		printf("# '%s' holds an incomplete clone: its databases are "
		    "dropped\n", cl->rep_name);
	if (cl->infile_off)
		printf("# local_infile is OFF on '%s': ON for the copy\n",
		    cl->rep_name);
	for (i = 0; i < cl->ndrop; i++)
		printf("drop database %s\n", cl->drop[i]);
	for (i = 0; i < cl->nschemas; i++)
		printf("create database %s\n", cl->schemas[i]);
	for (i = 0; i < cl->ntab; i++) {
		const struct repl_clone_tab *t = &cl->tab[i];

		printf("copy table %s.%s engine %s rows %llu bytes %llu "
		    "parts %u%s\n", t->t.db, t->t.name, t->engine, t->rows_est,
		    t->bytes_est, t->nchunk, t->trans ? "" :
		    " (no transactions: copied with writes held)");
	}
	for (i = 0; i < cl->nobj; i++)
		printf("create %s %s.%s\n",
		    repl_clone_okind_name(cl->obj[i].kind), cl->obj[i].db,
		    cl->obj[i].name);
}

/* -n with --method=clone. */
static void
plan_instance(const struct repl_clone *cl)
{
	size_t i;

	printf("# %s %s -> %s: the whole instance\n",
	    repl_flavor_name(cl->co.flavor), cl->src_name, cl->rep_name);
	printf("# method: CLONE INSTANCE FROM %s:%u, run on %s, which "
	    "restarts on the copy\n", cl->co.host, cl->co.port, cl->rep_name);
	for (i = 0; i < cl->ndrop; i++)
		printf("drop database %s\n", cl->drop[i]);
	printf("clone instance\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
		REPL_SCOPE_LONGOPTS,
		{ "jobs", required_argument, 0, 'j' },
		{ "dry-run", no_argument, 0, 'n' },
		{ "quiet", no_argument, 0, 'q' },
		{ "verbose", no_argument, 0, 'v' },
		{ "force", no_argument, 0, O_FORCE },
		{ "json", no_argument, 0, O_JSON },
		{ "advertise", required_argument, 0, O_ADVERTISE },
		{ "method", required_argument, 0, O_METHOD },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o;
	struct repl_clone cl;
	struct repl_voice voice;
	struct repl_table *want;
	struct repl_addr adv;
	struct repl_err err;
	char **dbs;
	unsigned long long n;
	long cpus;
	int ch, r, json = 0, code = REPL_EXIT_USAGE, lib = 0;

	repl_progname = "repl-clone";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	memset(&cl, 0, sizeof(cl));
	memset(&voice, 0, sizeof(voice));
	cl.lock_timeout = 30000;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cl.jobs = cpus < 2 ? 2 : cpus > 8 ? 8 : (unsigned int)cpus;
	dbs = calloc((size_t)argc, sizeof(*dbs));
	want = calloc((size_t)argc, sizeof(*want));
	if (dbs == NULL || want == NULL) {
		repl_err_set(&err, REPL_E_TEMP, "out of memory");
		code = repl_fail(&err);
		goto out;
	}
	while ((ch = repl_getopt(argc, argv, "d:j:nqT:t:u:v", longopts)) !=
	    -1) {
		if ((r = repl_scope_opt(ch, optarg, dbs, &cl.ndbs, want,
		    &cl.nwant, &cl.lock_timeout, &err)) == 1)
			continue;
		if (r == -1) {
			code = repl_usage_error(NULL, "%s", err.msg);
			goto out;
		}
		switch (ch) {
		case 'j':
			if (repl_num_parse(optarg, 1, JOBS_MAX, &n) == -1) {
				code = repl_usage_error(NULL,
				    "invalid -j '%s': expected a number of "
				    "workers from 1 to %d", optarg, JOBS_MAX);
				goto out;
			}
			cl.jobs = (unsigned int)n;
			break;
		case 'n':
			cl.dry = 1;
			break;
		case 'q':
			verbose = 0;
			break;
		case 'v':
			verbose = 2;
			break;
		case O_FORCE:
			cl.force = 1;
			break;
		case O_JSON:
			json = 1;
			break;
		case O_METHOD:
			if (strcmp(optarg, "logical") == 0)
				cl.method = REPL_CLONE_LOGICAL;
			else if (strcmp(optarg, "clone") == 0)
				cl.method = REPL_CLONE_INSTANCE;
			else {
				code = repl_usage_error(NULL, "invalid --method "
				    "'%s': expected logical or clone", optarg);
				goto out;
			}
			break;
		case O_ADVERTISE:
			if (repl_addr_parse(&adv, optarg, &err) == -1) {
				code = repl_usage_error(NULL, "%s", err.msg);
				goto out;
			}
			if (adv.socket[0] != '\0') {
				code = repl_usage_error(NULL, "--advertise "
				    "needs a host, not a socket");
				goto out;
			}
			cl.advertise = &adv;
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) !=
			    -1) {
				code = r;
				goto out;
			}
			break;
		}
	}
	if (argc - optind != 2) {
		code = repl_usage_error(usage,
		    "expected a source and a replica");
		goto out;
	}
	if (cl.method == REPL_CLONE_INSTANCE && (cl.nwant > 0 || cl.ndbs > 0)) {
		code = repl_usage_error(usage, "--method=clone copies the whole "
		    "instance: -d and -T do not apply");
		goto out;
	}
	if (cl.nwant > 0 && cl.ndbs > 0) {
		code = repl_usage_error(usage, "-d and -T do not go together");
		goto out;
	}
	cl.src_name = argv[optind];
	cl.rep_name = argv[optind + 1];
	if (repl_addr_parse(&cl.src_addr, cl.src_name, &err) == -1 ||
	    repl_addr_parse(&cl.rep_addr, cl.rep_name, &err) == -1 ||
	    repl_connopt_check(&o, &err) == -1) {
		code = repl_fail(&err);
		goto out;
	}
	o.read_timeout = READ_TIMEOUT;
	cl.dbs = dbs;
	cl.want = want;
	cl.opt = &o;
	voice.verbose = verbose;
	voice.dry = cl.dry;
	cl.note = repl_voice_note;
	cl.arg = &voice;
	tty = isatty(STDERR_FILENO);
	if (!cl.dry)
		cl.progress = progress;
	if (repl_multi_init() == -1) {
		repl_err_set(&err, REPL_E_TEMP, "unable to initialize "
		    "libmariadb");
		code = repl_fail(&err);
		goto out;
	}
	lib = 1;
	if (repl_clone_run(&cl, &err) == -1) {
		if (tty && verbose && !cl.dry)
			fputs("\r\033[K", stderr);
		code = repl_fail(&err);
		if (cl.marked)
			repl_warn("'%s' holds an incomplete clone (database "
			    REPL_CLONE_MARKER "): repl-attach refuses it; run "
			    "repl-clone again, which drops what this one "
			    "copied", cl.rep_name);
		else if (cl.wiped)
			repl_warn("'%s' may have lost its databases to the "
			    "clone: do not attach it before a clone is whole",
			    cl.rep_name);
		goto out;
	}
	if (cl.dry && cl.method == REPL_CLONE_INSTANCE)
		plan_instance(&cl);
	else if (cl.dry)
		plan(&cl);
	else if (json && cl.method == REPL_CLONE_INSTANCE) {
		putchar('{');
		repl_coord_json_members(&cl.co);
		printf(",\"method\":\"clone\",\"ms\":%lld}\n",
		    (long long)(repl_now_ms() - cl.started_ms));
	} else if (json) {
		/* The line's members, then what was copied, in one object. */
		putchar('{');
		repl_coord_json_members(&cl.co);
		printf(",\"method\":\"logical\",\"tables\":%zu,\"rows\":%llu,"
		    "\"bytes\":%llu,\"ms\":%lld}\n", cl.ntab, cl.rows, cl.bytes,
		    (long long)(repl_now_ms() - cl.started_ms));
	} else
		repl_coord_print(&cl.co, 0);
	code = REPL_EXIT_OK;
out:
	repl_clone_free(&cl);
	if (lib)
		repl_multi_end();
	repl_connopt_free(&o);
	free(dbs);
	free(want);
	if (repl_fshut() == -1 && code == REPL_EXIT_OK)
		code = REPL_EXIT_TEMP;
	return code;
}
