/* The monotonic clock every deadline is measured on. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "replkit.h"

/* Milliseconds on CLOCK_MONOTONIC; returns the time. */
int64_t
repl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep ms milliseconds, resuming after signals. */
void
repl_sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
