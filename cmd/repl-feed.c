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
"                 [-s bytes] [-t db.table] [--reconnect duration]\n"
"                 [-u user] [--password-file file] [--defaults-file file]\n"
"                 [--defaults-extra-file file] [--no-defaults]\n"
"                 [--ssl-mode mode] [--ssl-ca file] [--ssl-cert file]\n"
"                 [--ssl-key file] [--connect-timeout duration]\n"
"                 {-n rows | -d duration} server\n";

enum { O_RECONNECT = 0x100, O_HELP, O_VERSION };

/* The run: what was asked, and what happened. */
struct feed {
	struct repl_addr addr;
	struct repl_connopt *o;
	struct repl_table table;
	unsigned long long rows;	/* -n; 0 with -d */
	int64_t end;			/* -d: repl_now_ms() time; else -1 */
	unsigned int batch, size;
	double rate;			/* rows per second; 0: no limit */
	int64_t interval;		/* -i, ms; 0: every commit */
	int64_t reconnect;		/* ms */
	struct repl_conn c;
	int open, track;
	struct repl_coord base;
	/* Counts. */
	unsigned long long done;	/* rows sent: committed or unknown */
	unsigned long long committed, txns, unknown_rows, unknown_txns;
};

static int
bad(const char *what, const char *arg)
{
	repl_warn("invalid %s '%s'", what, arg);
	return REPL_EXIT_USAGE;
}

/* A whole number in [min, max]; -1 if not. */
static int
number(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end != '\0' || *v < min || *v > max ? -1 : 0;
}

/*
 * (Re)connect and prepare the session, retrying temporary failures until
 * deadline. The table is created on the first connection. Returns 0, or
 * -1 with err.
 */
static int
connect_until(struct feed *f, int64_t deadline, int first,
    struct repl_err *err)
{
	char sql[4 * REPL_NAME_MAX + 256];
	int64_t pause = 50, left;

	for (;;) {
		left = deadline - repl_now_ms();
		f->o->connect_timeout = left < 1000 ? 1 : left > 10000 ? 10 :
		    (unsigned int)((left + 999) / 1000);
		if (repl_conn_open(&f->c, &f->addr, f->o, err) == 0) {
			if (repl_feed_session(&f->c, &f->base, &f->track,
			    err) == 0 && (!first ||
			    (repl_feed_sql_create_db(sql, sizeof(sql),
			    &f->table) != -1 && repl_conn_query(&f->c, sql,
			    err) == 0 && repl_feed_sql_create_table(sql,
			    sizeof(sql), &f->table, f->size) != -1 &&
			    repl_conn_query(&f->c, sql, err) == 0))) {
				f->open = 1;
				break;
			}
			repl_conn_close(&f->c);
		}
		if (err->kind != REPL_E_TEMP)
			return -1;
		if (repl_now_ms() >= deadline)
			return -1;
		left = deadline - repl_now_ms();
		repl_sleep_ms(pause < left ? pause : left);
		pause = pause * 2 > 1000 ? 1000 : pause * 2;
	}
	if (f->addr.socket[0] == '\0') {
		strcpy(f->base.host, f->addr.host);
		f->base.port = f->addr.port;
	}
	return 0;
}

/* After a lost connection: say so, and connect again within the limits. */
static int
reconnect(struct feed *f, const struct repl_err *why, struct repl_err *err)
{
	int64_t t0 = repl_now_ms(), deadline = t0 + f->reconnect;

	repl_warn("%s; reconnecting", why->msg);
	repl_conn_close(&f->c);
	f->open = 0;
	if (f->end >= 0 && f->end < deadline)
		deadline = f->end;
	if (connect_until(f, deadline, 0, err) == -1) {
		if (f->end >= 0 && repl_now_ms() >= f->end &&
		    err->kind == REPL_E_TEMP)
			return 1;	/* the run's time is up */
		return -1;
	}
	repl_warn("reconnected to '%s' after %.1f s", f->c.name,
	    (double)(repl_now_ms() - t0) / 1000);
	return 0;
}

static int
finished(const struct feed *f)
{
	if (f->end >= 0)
		return repl_now_ms() >= f->end;
	return f->done >= f->rows;
}

/* The feed itself. Returns 0, or -1 with err. */
static int
run(struct feed *f, struct repl_err *err)
{
	struct repl_coord co, last;
	struct repl_err e;
	char *sql;
	size_t cap = repl_feed_sql_insert_size(f->batch, f->size);
	uint64_t seed = (uint64_t)getpid() * 2654435761ULL + 1;
	int64_t t0, next_print = 0, now;
	unsigned int rows;
	int len, r, pending = 0, ret = -1;

	if ((sql = malloc(cap)) == NULL) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	if (connect_until(f, repl_now_ms() + f->reconnect, 1, err) == -1)
		goto out;
	t0 = repl_now_ms();
	while (!finished(f)) {
		rows = f->batch;
		if (f->end < 0 && f->rows - f->done < rows)
			rows = (unsigned int)(f->rows - f->done);
		if ((len = repl_feed_sql_insert(sql, cap, &f->table, rows,
		    f->size, &seed)) == -1) {
			repl_err_set(err, REPL_E_PERM, "statement too long");
			goto out;
		}
		co = f->base;
		repl_err_clear(&e);
		r = repl_feed_commit(&f->c, sql, (size_t)len, f->track, &co,
		    &e);
		if (r == REPL_FEED_FAILED) {
			/* Deadlocks and lock waits: the server rolled back. */
			if (e.kind == REPL_E_TEMP && e.sqlerrno < 2000)
				continue;
			*err = e;
			goto out;
		}
		f->done += rows;
		if (r == REPL_FEED_UNKNOWN) {
			f->unknown_txns++;
			f->unknown_rows += rows;
			repl_warn("commit of batch %llu (%u rows) unknown: the "
			    "connection broke before the server answered",
			    f->txns + f->unknown_txns, rows);
		} else {
			f->committed += rows;
			f->txns++;
		}
		if (r == REPL_FEED_COMMITTED) {
			last = co;
			pending = 1;
			now = repl_now_ms();
			if (f->interval == 0 || now >= next_print) {
				repl_coord_print(&last, 0);
				fflush(stdout);
				pending = 0;
				next_print = now + f->interval;
			}
		} else if (r == REPL_FEED_NOPOS && e.kind == REPL_E_PERM) {
			*err = e;
			goto out;
		}
		if (r == REPL_FEED_UNKNOWN || r == REPL_FEED_NOPOS) {
			if (r == REPL_FEED_NOPOS)
				repl_warn("batch %llu committed, its position "
				    "unknown", f->txns);
			if ((r = reconnect(f, &e, err)) == 1)
				break;
			if (r == -1)
				goto out;
		}
		if (f->rate > 0) {
			now = t0 + (int64_t)((double)f->done * 1000 / f->rate);
			if (f->end >= 0 && now > f->end)
				now = f->end;
			repl_sleep_ms(now - repl_now_ms());
		}
	}
	ret = 0;
out:
	if (pending) {
		repl_coord_print(&last, 0);
		fflush(stdout);
	}
	free(sql);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		REPL_CONN_LONGOPTS,
		{ "reconnect", required_argument, 0, O_RECONNECT },
		{ "help", no_argument, 0, O_HELP },
		{ "version", no_argument, 0, O_VERSION },
		{ 0, 0, 0, 0 }
	};
	struct feed f;
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
	while ((ch = getopt_long(argc, argv, "b:c:d:i:n:r:s:t:u:", longopts,
	    NULL)) != -1) {
		if ((r = repl_connopt_set(&o, ch, optarg, &err)) == 1)
			continue;
		if (r == -1) {
			repl_warn("%s", err.msg);
			return REPL_EXIT_USAGE;
		}
		switch (ch) {
		case 'b':
			if (number(optarg, 1, 100000, &v) == -1)
				return bad("batch (1 to 100000 rows)", optarg);
			f.batch = (unsigned int)v;
			break;
		case 'c':
			if (number(optarg, 1, 1000, &conns) == -1)
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
			if (number(optarg, 1, 1000000000000ULL, &f.rows) == -1)
				return bad("rows", optarg);
			have_n = 1;
			break;
		case 'r':
			if (number(optarg, 1, 100000000, &v) == -1)
				return bad("rate (rows per second)", optarg);
			f.rate = (double)v;
			break;
		case 's':
			if (number(optarg, 1, 60000, &v) == -1)
				return bad("payload size (1 to 60000 bytes)",
				    optarg);
			f.size = (unsigned int)v;
			break;
		case 't':
			table = optarg;
			break;
		case O_RECONNECT:
			if (repl_dur_parse(optarg, &f.reconnect) == -1)
				return bad("--reconnect duration", optarg);
			break;
		case O_HELP:
			fputs(usage, stdout);
			return repl_fshut() ? REPL_EXIT_USAGE : REPL_EXIT_OK;
		case O_VERSION:
			puts("repl-feed " REPLKIT_VERSION);
			return repl_fshut() ? REPL_EXIT_USAGE : REPL_EXIT_OK;
		default:
			fputs(usage, stderr);
			return REPL_EXIT_USAGE;
		}
	}
	/* Every input is checked before the first packet is sent. */
	if (have_n == (dur >= 0)) {
		repl_warn("give one of -n rows and -d duration");
		fputs(usage, stderr);
		return REPL_EXIT_USAGE;
	}
	if (argc - optind != 1) {
		repl_warn("expected one server");
		fputs(usage, stderr);
		return REPL_EXIT_USAGE;
	}
	if (conns != 1) {
		repl_warn("-c %llu: this version writes over one connection "
		    "only", conns);
		return REPL_EXIT_USAGE;
	}
	if (repl_feed_sql_insert_size(f.batch, f.size) > 16 * 1024 * 1024) {
		repl_warn("-b %u rows of -s %u bytes: more than 16 MiB in one "
		    "statement", f.batch, f.size);
		return REPL_EXIT_USAGE;
	}
	if (repl_table_parse(&f.table, table, &err) == -1 ||
	    repl_addr_parse(&f.addr, argv[optind], &err) == -1 ||
	    repl_connopt_check(&o, &err) == -1) {
		repl_warn("%s", err.msg);
		return REPL_EXIT_USAGE;
	}
	if (mysql_library_init(0, NULL, NULL) != 0) {
		repl_warn("unable to initialize the client library");
		return REPL_EXIT_TEMP;
	}
	t0 = repl_now_ms();
	if (dur >= 0)
		f.end = t0 + dur;
	if (run(&f, &err) == -1) {
		repl_warn("%s", err.msg);
		rc = repl_err_exit(&err);
	}
	ms = repl_now_ms() - t0;
	secs = ms > 0 ? (double)ms / 1000 : 0.001;
	fprintf(stderr, "repl-feed: rows=%llu transactions=%llu seconds=%.3f "
	    "rows_per_sec=%.0f unknown_rows=%llu unknown_transactions=%llu\n",
	    f.committed, f.txns, secs, (double)f.committed / secs,
	    f.unknown_rows, f.unknown_txns);
	if (f.open)
		repl_conn_close(&f.c);
	repl_connopt_free(&o);
	mysql_library_end();
	if (repl_fshut() == -1 && rc == REPL_EXIT_OK)
		rc = REPL_EXIT_TEMP;
	return rc;
}
