/*
 * repl-feed's payloads: random characters from [a-z0-9], so that the
 * server cannot compress them away and so that the first row of a batch
 * tells that batch apart from every other (repl_feed_check).
 */
/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "replkit.h"

/*
 * A seed for repl_feed_payload that differs between runs, processes and
 * writers: the kernel's random bytes, else the clock and the pid, mixed
 * with salt. Returns it (never 0).
 */
uint64_t
repl_feed_seed(uint64_t salt)
{
	struct timespec ts;
	uint64_t x = 0;
	int fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		if (read(fd, &x, sizeof(x)) != (ssize_t)sizeof(x))
			x = 0;
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	x ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 32;
	/* splitmix64 of the salt, so that writers of one run differ. */
	salt += 0x9e3779b97f4a7c15ULL;
	salt = (salt ^ (salt >> 30)) * 0xbf58476d1ce4e5b9ULL;
	salt = (salt ^ (salt >> 27)) * 0x94d049bb133111ebULL;
	x ^= salt ^ (salt >> 31);
	return x ? x : 88172645463325252ULL;
}

/*
 * Fill n bytes of buf with characters from [a-z0-9] drawn from *seed
 * (xorshift64; never 0), eight characters per draw.
 */
void
repl_feed_payload(char *buf, size_t n, uint64_t *seed)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t x = *seed ? *seed : 88172645463325252ULL, r;
	size_t i = 0;
	int k;

	while (i < n) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* 8 draws of about 5.2 bits each from a 64-bit word. */
		r = x;
		for (k = 0; k < 8 && i < n; k++) {
			buf[i++] = al[r % 36];
			r /= 36;
		}
	}
	*seed = x;
}
