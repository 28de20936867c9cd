/* The monotonic clock in microseconds, for lags shorter than a millisecond. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <time.h>

#include "replkit.h"

/* Microseconds on CLOCK_MONOTONIC, the clock of repl_now_ms; returns it. */
int64_t
repl_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
