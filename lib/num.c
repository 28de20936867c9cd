/* Whole numbers on the command line: -b 1000, --rounds 3, --max-lag 0. */
/* SPDX-License-Identifier: MIT */
#include <limits.h>

#include "replkit.h"

/*
 * Parse a whole number of decimal digits only (no sign, no spaces, no
 * hex) from min to max. Returns 0 and stores it in *v, or -1 on bad
 * input (*v untouched).
 */
int
repl_num_parse(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long n = 0;
	unsigned int d;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned int)(*s - '0');
		if (n > (ULLONG_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	if (n < min || n > max)
		return -1;
	*v = n;
	return 0;
}
