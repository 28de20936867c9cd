/*
 * Trying until a deadline: a server that is not up yet, or a link that
 * broke, is tried again with a growing pause, each connect fitted to the
 * time left so that a dead host never holds us past the deadline.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "replkit.h"

/*
 * The connect timeout for an attempt with left ms to the deadline: what
 * is left, rounded up to whole seconds, at most ct, at least one.
 */
unsigned int
repl_retry_fit(unsigned int ct, int64_t left)
{
	if (left < 1000)
		return 1;
	if (left > (int64_t)ct * 1000)
		return ct;
	return (unsigned int)((left + 999) / 1000);
}

/*
 * The pause after one of pause ms: doubled, at most REPL_RETRY_PAUSE_MAX
 * (the first is REPL_RETRY_PAUSE_MIN).
 */
int64_t
repl_retry_backoff(int64_t pause)
{
	return pause * 2 > REPL_RETRY_PAUSE_MAX ? REPL_RETRY_PAUSE_MAX :
	    pause * 2;
}

/*
 * Call r->attempt with o's connect timeout fitted to the time left (at
 * most r->connect_timeout) until it succeeds, an error is not one to
 * retry (temporary; with REPL_RETRY_TIMEOUTS a timeout too), or the
 * deadline passes. A deadline already passed means one attempt. Returns
 * 0, or -1 with err: the last attempt's error, or with
 * REPL_RETRY_TIMED_OUT a timeout that says it.
 */
int
repl_retry_run(const struct repl_retry *r, struct repl_connopt *o,
    struct repl_err *err)
{
	char last[sizeof(err->msg)];
	int64_t pause = REPL_RETRY_PAUSE_MIN, left;

	for (;;) {
		o->connect_timeout = repl_retry_fit(r->connect_timeout,
		    r->deadline - repl_now_ms());
		if (r->attempt(r->arg, o, err) == 0)
			return 0;
		if (err->kind != REPL_E_TEMP && (err->kind != REPL_E_TIMEOUT ||
		    !(r->flags & REPL_RETRY_TIMEOUTS)))
			return -1;
		if (r->failed != NULL)
			r->failed(r->arg, err);
		if ((left = r->deadline - repl_now_ms()) <= 0) {
			if (r->flags & REPL_RETRY_TIMED_OUT) {
				snprintf(last, sizeof(last), "%s", err->msg);
				repl_err_set(err, REPL_E_TIMEOUT,
				    "timed out: %s", last);
			}
			return -1;
		}
		repl_sleep_ms(pause < left ? pause : left);
		pause = repl_retry_backoff(pause);
	}
}
