/* repl-wait: wait until servers answer, replicate, or have caught up. */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replkit.h"

static const char usage[] =
"usage: repl-wait [-qv] [--follow] [--replica] [--writable] [-t timeout]\n"
"                 [-u user] [--password-file file] [--defaults-file file]\n"
"                 [--defaults-extra-file file] [--no-defaults]\n"
"                 [--ssl-mode mode] [--ssl-ca file] [--ssl-cert file]\n"
"                 [--ssl-key file] [--connect-timeout duration]\n"
"                 server ...\n";

static int verbose = 1;		/* 0 with -q, 2 with -v */

enum { O_REPLICA = REPL_OPT_TOOL, O_WRITABLE, O_FOLLOW };

/* What a server must be, beyond answering: the options that ask it. */
enum { W_REPLICA = 1, W_WRITABLE = 2 };

/* Say what a server is doing, once per change of state, with -v. */
static void
progress(const char *name, const char *state)
{
	static char last[600];
	char now[600];

	if (verbose < 2)
		return;
	snprintf(now, sizeof(now), "%s %s", name, state);
	if (strcmp(now, last) == 0)
		return;
	memcpy(last, now, sizeof(last));
	repl_warn("'%s': %s", name, state);
}

/* What is asked of one server, and how long we may take. */
struct ask {
	const struct repl_addr *a;
	int want;			/* W_* */
	const struct repl_coord *co;	/* NULL: nothing to have applied */
	int64_t deadline;
};

/*
 * The server-side waits last at most a second at a time, so reads get
 * two seconds more than the connect timeout the retry loop fitted.
 */
static void
fit_read(struct repl_connopt *o)
{
	o->read_timeout = o->connect_timeout + 2;
}

/* Say, with -v, why an attempt at a server failed (arg: struct ask). */
static void
failed(void *arg, const struct repl_err *err)
{
	const struct ask *q = arg;

	progress(q->a->socket[0] ? q->a->socket : q->a->host, err->msg);
}

/*
 * One attempt at one server: 0 ready, -1 with err. A temporary error or a
 * replica not running yet is tried again until the deadline.
 */
static int
check(void *arg, struct repl_connopt *o, struct repl_err *err)
{
	const struct ask *q = arg;
	struct repl_conn c;
	struct repl_replica r;
	char buf[16];
	int ret = -1, isnull;

	fit_read(o);
	if (repl_conn_open(&c, q->a, o, err) == -1)
		return -1;
	if (repl_conn_query(&c, "SELECT 1", err) == -1)
		goto out;
	if (q->want & W_WRITABLE) {
		if (repl_conn_scalar(&c, repl_sql_read_only(&c.server), buf,
		    sizeof(buf), &isnull, err) == -1)
			goto out;
		if (isnull || strcmp(buf, "0") != 0) {
			repl_err_set(err, REPL_E_TEMP, "'%s' is read-only",
			    c.name);
			goto out;
		}
	}
	if (q->want & W_REPLICA) {
		if (repl_replica_status(&c, &r, err) == -1)
			goto out;
		if (repl_replica_broken(&r, err)) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			repl_err_set(err, REPL_E_NO, "'%s': %s", c.name, msg);
			goto out;
		}
		if (!r.configured) {
			repl_err_set(err, REPL_E_TEMP, "'%s' is not configured "
			    "as a replica", c.name);
			goto out;
		}
		if (!repl_replica_running(&r)) {
			repl_err_set(err, REPL_E_TEMP, "'%s': replication not "
			    "running (io %s, sql %s)%s%s", c.name,
			    r.io_running, r.sql_running,
			    r.last_io_errno ? ": " : "",
			    r.last_io_errno ? r.last_io_error : "");
			goto out;
		}
	}
	if (q->co != NULL && repl_wait_applied(&c, q->co, q->deadline, err)
	    == -1)
		goto out;
	progress(c.name, "ready");
	ret = 0;
out:
	repl_conn_close(&c);
	return ret;
}

/*
 * Wait for one server until the deadline, trying again after temporary
 * failures and timeouts. Returns 0, or -1 with err.
 */
static int
wait_one(const struct repl_addr *a, struct repl_connopt *o, int want,
    const struct repl_coord *co, int64_t deadline, struct repl_err *err)
{
	struct ask q = { a, want, co, deadline };
	struct repl_retry r = { deadline, o->connect_timeout,
	    REPL_RETRY_TIMEOUTS | REPL_RETRY_TIMED_OUT, check, failed, &q };
	int ret;

	ret = repl_retry_run(&r, o, err);
	o->connect_timeout = r.connect_timeout;
	return ret;
}

/* --follow: one connection, kept open from line to line. */
struct follower {
	struct ask q;			/* first: failed() reads it */
	struct repl_lines in;
	struct repl_conn c;
	int open;
};

/*
 * One attempt at the line: connect if need be, stamp what came meanwhile,
 * and wait until it is applied. Returns 0, or -1 with err (the
 * connection closed).
 */
static int
follow_line(void *arg, struct repl_connopt *o, struct repl_err *err)
{
	struct follower *fl = arg;

	fit_read(o);
	if (!fl->open) {
		if (repl_conn_open(&fl->c, fl->q.a, o, err) == -1)
			return -1;
		fl->open = 1;
	}
	if (repl_lines_poll(&fl->in, err) == 0 &&
	    repl_wait_applied(&fl->c, fl->q.co, fl->q.deadline, err) == 0)
		return 0;
	repl_conn_close(&fl->c);
	fl->open = 0;
	return -1;
}

/*
 * --follow: for each coordinate line of stdin, as it comes, wait until
 * the server has applied it, over one connection kept open, and print
 * the lag from the line's arrival to that moment, then the line. The
 * timeout counts per line. Returns 0 at the end of the input, or -1 with
 * err at the first failure.
 */
static int
follow(const struct repl_addr *a, struct repl_connopt *o, int64_t timeout,
    struct repl_err *err)
{
	struct follower fl;
	struct repl_retry rt = { 0, o->connect_timeout, REPL_RETRY_TIMED_OUT,
	    follow_line, failed, &fl };
	struct repl_coord *co = NULL;
	char *line = NULL;
	size_t len;
	int64_t arrived;
	int r, ret = -1;

	memset(&fl, 0, sizeof(fl));
	fl.q.a = a;
	if (repl_lines_init(&fl.in, 0, err) == -1)
		return -1;
	if ((co = malloc(sizeof(*co))) == NULL ||
	    (line = malloc(REPL_LINE_MAX + 1)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	fl.q.co = co;
	while ((r = repl_lines_next(&fl.in, line, &len, &arrived, err)) == 1) {
		if (repl_coord_parse(co, line, len, err) == -1)
			goto out;
		fl.q.deadline = rt.deadline = arrived / 1000 + timeout;
		if (repl_retry_run(&rt, o, err) == -1)
			goto out;
		printf("lag_ms=%.3f %s\n",
		    (double)(repl_now_us() - arrived) / 1000, line);
		if (fflush(stdout) != 0) {
			repl_err_set(err, REPL_E_TEMP, "unable to write to "
			    "stdout");
			goto out;
		}
	}
	ret = r;
out:
	if (fl.open)
		repl_conn_close(&fl.c);
	repl_lines_free(&fl.in);
	free(line);
	free(co);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		REPL_INFO_LONGOPTS,
		{ "replica", no_argument, 0, O_REPLICA },
		{ "writable", no_argument, 0, O_WRITABLE },
		{ "follow", no_argument, 0, O_FOLLOW },
		{ "timeout", required_argument, 0, 't' },
		{ "quiet", no_argument, 0, 'q' },
		{ "verbose", no_argument, 0, 'v' },
		{ 0, 0, 0, 0 }
	};
	struct repl_connopt o;
	struct repl_addr *addrs;
	struct repl_coord *co = NULL;
	struct repl_err err;
	int64_t timeout = 60000, deadline;
	int ch, r, i, n, want = 0, follow_lines = 0, rc = REPL_EXIT_OK;

	repl_progname = "repl-wait";
	repl_err_clear(&err);
	repl_connopt_init(&o, repl_progname);
	while ((ch = repl_getopt(argc, argv, "qt:u:v", longopts)) != -1) {
		switch (ch) {
		case O_REPLICA:
			want |= W_REPLICA;
			break;
		case O_WRITABLE:
			want |= W_WRITABLE;
			break;
		case O_FOLLOW:
			follow_lines = 1;
			break;
		case 't':
			if (repl_dur_parse(optarg, &timeout) == -1)
				return repl_usage_error(NULL, "invalid "
				    "timeout '%s': expected a duration such as "
				    "30, 1.5s, 500ms, 2m", optarg);
			break;
		case 'q':
			verbose = 0;
			break;
		case 'v':
			verbose = 2;
			break;
		default:
			if ((r = repl_opt_shared(ch, optarg, &o, usage)) != -1)
				return r;
			break;
		}
	}
	deadline = repl_now_ms() + timeout;
	n = argc - optind;
	if (n < 1)
		return repl_usage_error(usage, "expected at least one server");
	if (follow_lines && n != 1)
		return repl_usage_error(usage, "--follow takes one server");
	if ((addrs = calloc((size_t)n, sizeof(*addrs))) == NULL) {
		repl_warn("out of memory");
		return REPL_EXIT_TEMP;
	}
	/* Check all input before the first packet is sent. */
	for (i = 0; i < n; i++)
		if (repl_addr_parse(&addrs[i], argv[optind + i], &err) == -1)
			goto fail;
	if (repl_connopt_check(&o, &err) == -1)
		goto fail;
	if (follow_lines) {
		if ((want && wait_one(&addrs[0], &o, want, NULL, deadline,
		    &err) == -1) || follow(&addrs[0], &o, timeout, &err) == -1)
			goto fail;
		goto out;
	}
	if (repl_stdin_has_input()) {
		if ((co = malloc(sizeof(*co))) == NULL) {
			repl_err_set(&err, REPL_E_TEMP, "out of memory");
			goto fail;
		}
		if (repl_coord_read(co, 0, deadline, &err) == -1)
			goto fail;
	}
	for (i = 0; i < n; i++)
		if (wait_one(&addrs[i], &o, want, co, deadline, &err) == -1)
			goto fail;
	goto out;
fail:
	rc = verbose ? repl_fail(&err) : repl_err_exit(&err);
out:
	repl_connopt_free(&o);
	free(addrs);
	free(co);
	if (repl_fshut() == -1 && rc == REPL_EXIT_OK)
		rc = REPL_EXIT_TEMP;
	return rc;
}
