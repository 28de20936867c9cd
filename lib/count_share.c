/*
 * What repl-count and repl-diff share: a thread per server, the list of
 * tables sorted and each once, and the errors after which a connection
 * is gone.
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
repl_count_each(void *jobs, size_t n, size_t size, void *(*fn)(void *))
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
repl_count_unique(struct repl_table *tab, size_t *n)
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
repl_count_lost(unsigned int e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == CR_SERVER_LOST_EXTENDED || e == CR_CONNECTION_ERROR ||
	    e == ER_SHUTDOWN || e == ER_CONN_KILLED;
}
