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

/*
 * One attempt at one server: 0 ready, -1 with err. A temporary error or a
 * replica not running yet is retried by the caller until the deadline.
 */
static int
check(const struct repl_addr *a, const struct repl_connopt *o, int want,
    const struct repl_coord *co, int64_t deadline, struct repl_err *err)
{
	struct repl_conn c;
	struct repl_replica r;
	char buf[16];
	int ret = -1, isnull;

	if (repl_conn_open(&c, a, o, err) == -1)
		return -1;
	if (repl_conn_query(&c, "SELECT 1", err) == -1)
		goto out;
	if (want & W_WRITABLE) {
		if (repl_conn_scalar(&c, repl_sql_read_only(&c.server), buf,
		    sizeof(buf), &isnull, err) == -1)
			goto out;
		if (isnull || strcmp(buf, "0") != 0) {
			repl_err_set(err, REPL_E_TEMP, "'%s' is read-only",
			    c.name);
			goto out;
		}
	}
	if (want & W_REPLICA) {
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
	if (co != NULL && repl_wait_applied(&c, co, deadline, err) == -1)
		goto out;
	progress(c.name, "ready");
	ret = 0;
out:
	repl_conn_close(&c);
	return ret;
}

/*
 * A dead host must never hang us past the deadline: connect within what
 * is left of it (at most ct seconds, at least one); the server-side waits
 * last at most a second at a time, so reads get two more.
 */
static void
fit_timeouts(struct repl_connopt *o, unsigned int ct, int64_t deadline)
{
	int64_t left = deadline - repl_now_ms();

	o->connect_timeout = left < 1000 ? 1 :
	    left > (int64_t)ct * 1000 ? ct :
	    (unsigned int)((left + 999) / 1000);
	o->read_timeout = o->connect_timeout + 2;
}

/*
 * Wait for one server until the deadline, retrying temporary failures
 * with a growing pause. Returns 0, or -1 with err.
 */
static int
wait_one(const struct repl_addr *a, struct repl_connopt *o, int want,
    const struct repl_coord *co, int64_t deadline, struct repl_err *err)
{
	int64_t pause = 50, left;
	char last[sizeof(err->msg)] = "";
	unsigned int ct = o->connect_timeout;

	for (;;) {
		fit_timeouts(o, ct, deadline);
		if (check(a, o, want, co, deadline, err) == 0)
			return 0;
		if (err->kind != REPL_E_TEMP && err->kind != REPL_E_TIMEOUT)
			return -1;
		progress(a->socket[0] ? a->socket : a->host, err->msg);
		snprintf(last, sizeof(last), "%s", err->msg);
		left = deadline - repl_now_ms();
		if (left <= 0) {
			repl_err_set(err, REPL_E_TIMEOUT, "timed out: %s", last);
			return -1;
		}
		repl_sleep_ms(pause < left ? pause : left);
		pause = pause * 2 > 1000 ? 1000 : pause * 2;
	}
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
	struct repl_lines in;
	struct repl_conn c;
	struct repl_coord *co = NULL;
	char *line = NULL;
	size_t len;
	int64_t arrived, deadline, pause, left;
	unsigned int ct = o->connect_timeout;
	int r, open = 0, ret = -1;

	if (repl_lines_init(&in, 0, err) == -1)
		return -1;
	if ((co = malloc(sizeof(*co))) == NULL ||
	    (line = malloc(REPL_LINE_MAX + 1)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	while ((r = repl_lines_next(&in, line, &len, &arrived, err)) == 1) {
		if (repl_coord_parse(co, line, len, err) == -1)
			goto out;
		deadline = arrived / 1000 + timeout;
		pause = 50;
		for (;;) {
			fit_timeouts(o, ct, deadline);
			if (!open && repl_conn_open(&c, a, o, err) == 0)
				open = 1;
			/* Stamp what came meanwhile before we wait. */
			if (open && repl_lines_poll(&in, err) == -1)
				goto out;
			if (open && repl_wait_applied(&c, co, deadline, err)
			    == 0)
				break;
			if (err->kind != REPL_E_TEMP)
				goto out;
			progress(a->socket[0] ? a->socket : a->host, err->msg);
			if (open)
				repl_conn_close(&c);
			open = 0;
			if ((left = deadline - repl_now_ms()) <= 0) {
				char last[sizeof(err->msg)];

				snprintf(last, sizeof(last), "%s", err->msg);
				repl_err_set(err, REPL_E_TIMEOUT,
				    "timed out: %s", last);
				goto out;
			}
			repl_sleep_ms(pause < left ? pause : left);
			pause = pause * 2 > 1000 ? 1000 : pause * 2;
		}
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
	if (open)
		repl_conn_close(&c);
	repl_lines_free(&in);
	free(line);
	free(co);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		{ "replica", no_argument, 0, 'r' },
		{ "writable", no_argument, 0, 'w' },
		{ "follow", no_argument, 0, 'f' },
		{ "timeout", required_argument, 0, 't' },
		{ "quiet", no_argument, 0, 'q' },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' },
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
		if ((r = repl_connopt_set(&o, ch, optarg, &err)) == 1)
			continue;
		if (r == -1) {
			repl_warn("%s", err.msg);
			return REPL_EXIT_USAGE;
		}
		switch (ch) {
		case 'r':
			want |= W_REPLICA;
			break;
		case 'w':
			want |= W_WRITABLE;
			break;
		case 'f':
			follow_lines = 1;
			break;
		case 't':
			if (repl_dur_parse(optarg, &timeout) == -1) {
				repl_warn("invalid timeout '%s': expected a "
				    "duration such as 30, 1.5s, 500ms, 2m",
				    optarg);
				return REPL_EXIT_USAGE;
			}
			break;
		case 'q':
			verbose = 0;
			break;
		case 'v':
			verbose = 2;
			break;
		case 'h':
			fputs(usage, stdout);
			return repl_fshut() ? REPL_EXIT_USAGE : REPL_EXIT_OK;
		case 'V':
			puts("repl-wait " REPLKIT_VERSION);
			return repl_fshut() ? REPL_EXIT_USAGE : REPL_EXIT_OK;
		default:
			fputs(usage, stderr);
			return REPL_EXIT_USAGE;
		}
	}
	deadline = repl_now_ms() + timeout;
	n = argc - optind;
	if (n < 1) {
		repl_warn("expected at least one server");
		fputs(usage, stderr);
		return REPL_EXIT_USAGE;
	}
	if (follow_lines && n != 1) {
		repl_warn("--follow takes one server");
		fputs(usage, stderr);
		return REPL_EXIT_USAGE;
	}
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
	if (verbose)
		repl_warn("%s", err.msg);
	rc = repl_err_exit(&err);
out:
	repl_connopt_free(&o);
	free(addrs);
	free(co);
	if (repl_fshut() == -1 && rc == REPL_EXIT_OK)
		rc = REPL_EXIT_TEMP;
	return rc;
}
