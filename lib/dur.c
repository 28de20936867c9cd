/* Durations on the command line: 90, 1.5s, 500ms, 2m, 1h. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "replkit.h"

#define DUR_MAX_MS ((int64_t)7 * 24 * 3600 * 1000)	/* a week */

/*
 * Parse a non-negative duration; a bare number is seconds. At most three
 * decimals. Returns 0 and stores milliseconds, or -1 on bad input.
 */
int
repl_dur_parse(const char *s, int64_t *ms)
{
	int64_t whole = 0, frac = 0, unit;
	int fdigits = 0, digits = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (*p - '0');
		if (whole > DUR_MAX_MS)
			return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits == 3)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 0)
			return -1;
	}
	if (digits == 0)
		return -1;
	for (; fdigits < 3; fdigits++)
		frac *= 10;
	if (*p == '\0' || strcmp(p, "s") == 0)
		unit = 1000;
	else if (strcmp(p, "ms") == 0)
		unit = 1;
	else if (strcmp(p, "m") == 0)
		unit = 60 * 1000;
	else if (strcmp(p, "h") == 0)
		unit = 3600 * 1000;
	else
		return -1;
	/* frac is in thousandths of the unit */
	if (whole * unit + frac * unit / 1000 > DUR_MAX_MS)
		return -1;
	*ms = whole * unit + frac * unit / 1000;
	return 0;
}
