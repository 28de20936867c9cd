/*
 * The layer every tool over many servers stands on: libmariadb set up
 * for threads, a thread per server, the tables sorted and each once, the
 * errors after which a connection is gone, and the options that choose
 * the tables (-d, -T) and the time (-t).
 */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdlib.h>

#include <mysql.h>
#include <errmsg.h>

#include "replkit.h"

/* musl gives threads 128 KB; TLS handshakes and waits need more. */
#define STACK_SIZE (1024 * 1024)
#define ER_SHUTDOWN 1053
#define ER_CONN_KILLED 1927

/*
 * Run fn on each of the n jobs of size bytes at jobs, each in its own
 * thread; a job whose thread cannot be created runs in this one, after
 * the others are started. Returns when every job is done.
 */
void
repl_multi_each(void *jobs, size_t n, size_t size, void *(*fn)(void *))
{
	pthread_attr_t attr;
	pthread_t *tid;
	char *started, *job = jobs;
	size_t i;
	int attr_ok;

	tid = calloc(n, sizeof(*tid));
	started = calloc(n, 1);
	attr_ok = pthread_attr_init(&attr) == 0;
	if (attr_ok)
		pthread_attr_setstacksize(&attr, STACK_SIZE);
	for (i = 0; i < n && tid != NULL && started != NULL; i++)
		started[i] = pthread_create(&tid[i], attr_ok ? &attr : NULL,
		    fn, job + i * size) == 0;
	for (i = 0; i < n; i++)
		if (started == NULL || !started[i])
			fn(job + i * size);
	for (i = 0; i < n && started != NULL; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
	if (attr_ok)
		pthread_attr_destroy(&attr);
	free(tid);
	free(started);
}

/* Sort the n tables of tab and drop repeats; *n becomes their count. */
void
repl_table_unique(struct repl_table *tab, size_t *n)
{
	size_t i, k = 0;

	if (*n == 0)
		return;
	qsort(tab, *n, sizeof(*tab), repl_table_cmp);
	for (i = 1; i < *n; i++)
		if (repl_table_cmp(&tab[k], &tab[i]) != 0)
			tab[++k] = tab[i];
	*n = k + 1;
}

/*
 * Whether the error e (a client or server errno) means that the
 * connection is gone: the server is down, shutting down, or killed it.
 * Returns 1 or 0.
 */
int
repl_conn_lost(unsigned int e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == CR_SERVER_LOST_EXTENDED || e == CR_CONNECTION_ERROR ||
	    e == ER_SHUTDOWN || e == ER_CONN_KILLED;
}

/*
 * The options that choose what repl-count and repl-diff compare and how
 * long they wait: -d DB, -T DB.TABLE and -t DURATION. dbs and want have
 * room for an entry per argument. Returns 1 when ch is one of them and
 * arg is taken, 0 when ch is not one of them, or -1 on a bad value (err:
 * the message, for the caller to show with its usage).
 */
int
repl_scope_opt(int ch, char *arg, char **dbs, size_t *ndbs,
    struct repl_table *want, size_t *nwant, int64_t *timeout,
    struct repl_err *err)
{
	switch (ch) {
	case 'd':
		if (!repl_name_valid(arg)) {
			repl_err_set(err, REPL_E_PERM, "invalid database '%s': "
			    "expected a name of 1 to 64 characters", arg);
			return -1;
		}
		dbs[(*ndbs)++] = arg;
		return 1;
	case 'T':
		return repl_table_parse(&want[(*nwant)++], arg, err) == -1 ?
		    -1 : 1;
	case 't':
		if (repl_dur_parse(arg, timeout) == -1) {
			repl_err_set(err, REPL_E_PERM, "invalid timeout '%s': "
			    "expected a duration such as 30, 1.5s, 500ms, 2m "
			    "(a table is -T db.table)", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

/*
 * Initialize libmariadb once, before any thread uses it: its own lazy
 * initialization is not safe to race. Returns 0, or -1.
 */
int
repl_multi_init(void)
{
	return mysql_library_init(0, NULL, NULL) == 0 ? 0 : -1;
}

/* Release what libmariadb holds, once every connection is closed. */
void
repl_multi_end(void)
{
	mysql_library_end();
}
