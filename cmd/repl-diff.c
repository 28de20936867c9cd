/* repl-diff: schema and row differences between a source and replicas. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-diff [-qv] [--json] [--sql] [-d db] [-T db.table]\n"
"                 [-t timeout] [--chunk-time duration] [-u user]\n"
"                 [--password-file file] [--defaults-file file]\n"
"                 [--defaults-extra-file file] [--no-defaults]\n"
"                 [--ssl-mode mode] [--ssl-ca file] [--ssl-cert file]\n"
"                 [--ssl-key file] [--connect-timeout duration]\n"
"                 source replica ...\n";

/* A chunk is sized to take chunk_ms; a dead link must not hang us. */
#define READ_TIMEOUT 600

enum { O_CHUNK_TIME = REPL_OPT_TOOL, O_JSON, O_SQL };

struct out {
	int mode;			/* REPL_DIFF_OUT_*, -1 with -q */
	FILE **f;			/* a stream per replica */
	char **buf;
	size_t *len;
	int failed;
};

/* Each replica's lines are kept, then printed replica after replica. */
static void
emit(void *arg, size_t r, const struct repl_diff_rec *rec)
{
	struct out *o = arg;

	if (o->mode < 0 || o->f[r] == NULL)
		return;
	if (repl_diff_print(o->f[r], o->mode, rec) == -1)
		o->failed = 1;
}

/* The engine's remarks, all warnings, unless -q. */
static void
note(void *arg, enum repl_note level, const char *msg)
{
	struct out *o = arg;

	(void)level;
	if (o->mode >= 0)
		repl_warn("%s", msg);
}

/* Print the kept lines; returns 0, or -1 on a write error. */
static int
flush_out(struct out *o, const struct repl_diff *d)
{
	size_t i;
	int head = 0;

	for (i = 1; i < d->nsrv; i++) {
		if (o->f[i] == NULL)
			continue;
		if (fclose(o->f[i]) != 0)
			o->failed = 1;
		o->f[i] = NULL;
		if (o->len[i] == 0)
			continue;
		if (o->mode == REPL_DIFF_OUT_SQL) {
			if (!head)
				fputs("SET NAMES utf8mb4;\n"
				    "SET time_zone = '+00:00';\n", stdout);
			head = 1;
			printf("-- %s\n", d->srv[i].operand);
		}
		fwrite(o->buf[i], 1, o->len[i], stdout);
	}
	return o->failed || fflush(stdout) != 0 ? -1 : 0;
}

static void
summary(const struct repl_diff *d, int64_t ms)
{
	size_t i;

	repl_warn("%zu tables, %llu rows in %lu chunks, %lu re-checks, "
	    "%lu differences, %lld ms", d->ntab, d->rows, d->chunks,
	    d->rechecks, d->ndiff, (long long)ms);
	for (i = 1; i < d->nsrv; i++)
		repl_warn("'%s': %s, %lu differences", d->srv[i].operand,
		    !d->srv[i].up ? "down" : d->srv[i].synced ? "caught up" :
		    "not waited for", d->srv[i].ndiff);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
		REPL_SCOPE_LONGOPTS,
		{ "chunk-time", required_argument, 0, O_CHUNK_TIME },
		{ "json", no_argument, 0, O_JSON },
		{ "sql", no_argument, 0, O_SQL },
		{ "quiet", no_argument, 0, 'q' },
		{ "verbose", no_argument, 0, 'v' },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o;
	struct repl_diff d;
	struct repl_table *want;
	struct repl_err err;
	struct out out;
	int64_t start;
	int ch, r, quiet = 0, verbose = 0, code = REPL_EXIT_USAGE, lib = 0;
	size_t i;

	repl_progname = "repl-diff";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	memset(&d, 0, sizeof(d));
	memset(&out, 0, sizeof(out));
	d.timeout = 60000;
	d.chunk_ms = 500;
	d.portable = getenv("REPLKIT_DIFF_NO_CRC32C") != NULL;
	d.dbs = calloc((size_t)argc, sizeof(*d.dbs));
	d.want = want = calloc((size_t)argc, sizeof(*want));
	d.srv = calloc((size_t)argc, sizeof(*d.srv));
	out.f = calloc((size_t)argc, sizeof(*out.f));
	out.buf = calloc((size_t)argc, sizeof(*out.buf));
	out.len = calloc((size_t)argc, sizeof(*out.len));
	if (d.dbs == NULL || want == NULL || d.srv == NULL || out.f == NULL ||
	    out.buf == NULL || out.len == NULL) {
		repl_err_set(&err, REPL_E_TEMP, "out of memory");
		goto fail;
	}
	while ((ch = repl_getopt(argc, argv, "d:qT:t:u:v", longopts))
	    != -1) {
		if ((r = repl_scope_opt(ch, optarg, d.dbs, &d.ndbs, want,
		    &d.nwant, &d.timeout, &err)) == 1)
			continue;
		if (r == -1) {
			code = repl_usage_error(NULL, "%s", err.msg);
			goto out;
		}
		switch (ch) {
		case O_CHUNK_TIME:
			if (repl_dur_parse(optarg, &d.chunk_ms) == -1 ||
			    d.chunk_ms < 1 || d.chunk_ms > 3600000) {
				code = repl_usage_error(NULL,
				    "invalid --chunk-time '%s': expected a "
				    "duration from 1ms to 1h, such as 500ms or "
				    "2s", optarg);
				goto out;
			}
			break;
		case O_JSON:
			out.mode = REPL_DIFF_OUT_JSON;
			break;
		case O_SQL:
			out.mode = REPL_DIFF_OUT_SQL;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1) {
				code = r;
				goto out;
			}
			break;
		}
	}
	if (argc - optind < 2) {
		code = repl_usage_error(usage,
		    "expected a source and at least one replica");
		goto out;
	}
	/* Check all input before the first packet is sent. */
	for (i = 0; optind < argc; i++, optind++) {
		d.srv[i].operand = argv[optind];
		if (repl_addr_parse(&d.srv[i].addr, argv[optind], &err) == -1)
			goto fail;
	}
	d.nsrv = i;
	if (repl_connopt_check(&o, &err) == -1)
		goto fail;
	o.read_timeout = READ_TIMEOUT;
	if (quiet)
		out.mode = -1;
	for (i = 1; i < d.nsrv && !quiet; i++)
		if ((out.f[i] = open_memstream(&out.buf[i], &out.len[i])) ==
		    NULL) {
			repl_err_set(&err, REPL_E_TEMP, "out of memory");
			goto fail;
		}
	d.emit = emit;
	d.note = note;
	d.arg = &out;
	if (repl_multi_init() == -1) {
		repl_err_set(&err, REPL_E_TEMP, "unable to initialize "
		    "libmariadb");
		goto fail;
	}
	lib = 1;
	start = repl_now_ms();
	if (repl_diff_run(&d, &o) == -1 && !quiet) {
		if (d.err.kind != REPL_E_NONE)
			repl_warn("%s", d.err.msg);
		else if (d.srv[0].err.kind != REPL_E_NONE)
			repl_warn("%s", d.srv[0].err.msg);
	}
	code = repl_diff_exit(&d);
	if (!quiet && flush_out(&out, &d) == -1) {
		repl_warn("unable to write to stdout");
		code = REPL_EXIT_TEMP;
	}
	if (verbose && !quiet)
		summary(&d, repl_now_ms() - start);
	goto out;
fail:
	code = repl_fail(&err);
out:
	for (i = 0; out.f != NULL && i < (size_t)argc; i++) {
		if (out.f[i] != NULL)
			fclose(out.f[i]);
		free(out.buf[i]);
	}
	if (lib)
		repl_multi_end();
	repl_connopt_free(&o);
	free(d.dbs);
	free(want);
	free(d.srv);
	free(out.f);
	free(out.buf);
	free(out.len);
	if (repl_fshut() == -1)
		code = code == REPL_EXIT_OK ? REPL_EXIT_TEMP : code;
	return code;
}
