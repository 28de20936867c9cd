/* runtimes: run a command N times and print its wall time per run. */
/* SPDX-License-Identifier: MIT */
/*
 * Each run is one posix_spawn, stdin from /dev/null, stdout and stderr to
 * /dev/null, and one wait4; the clock reads just around those, so what is
 * timed is the command's exec, run and exit and little else (no shell, no
 * date(1)). A few untimed warm-up runs come first, the first with stderr
 * shown so that a command that fails says why. With -t, runs stop early
 * once they have taken that many seconds, so a slow command on a busy
 * machine cannot make the whole benchmark slow.
 *
 * Output, one line: runs, then the median, p90, min and max wall time and
 * the median CPU time (user + system, the child's own, which a busy
 * machine inflates less than wall time), in milliseconds.
 * Exit 0, or 1 if any run failed (non-zero exit or a signal), 2 on usage.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 3

extern char **environ;

static const char usage[] =
"usage: runtimes [-t seconds] count command [arg ...]\n";

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, long n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long
number(const char *s, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > max)
		return -1;
	return n;
}

/*
 * One run; *ms gets its wall time, *cpu its CPU time. Returns the wait
 * status, or -1.
 */
static int
run(char **argv, int show_stderr, double *ms, double *cpu)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	pid_t pid;
	int st, e;
	double t0;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (!show_stderr)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null",
		    O_WRONLY, 0);
	t0 = now_ms();
	e = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	if (e != 0) {
		posix_spawn_file_actions_destroy(&fa);
		fprintf(stderr, "runtimes: unable to run '%s': %s\n", argv[0],
		    strerror(e));
		return -1;
	}
	while (wait4(pid, &st, 0, &ru) == -1)
		if (errno != EINTR) {
			perror("runtimes: wait4");
			posix_spawn_file_actions_destroy(&fa);
			return -1;
		}
	*ms = now_ms() - t0;
	*cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	posix_spawn_file_actions_destroy(&fa);
	return st;
}

int
main(int argc, char **argv)
{
	double *t, *c, ms, cpu, t0, budget = 0, med;
	long n, i;
	int st;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		if ((budget = number(argv[2], 3600)) == -1) {
			fprintf(stderr, "runtimes: invalid -t '%s'\n", argv[2]);
			return 2;
		}
		budget *= 1e3;
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fputs(usage, stderr);
		return 2;
	}
	if ((n = number(argv[1], 1000000)) == -1) {
		fprintf(stderr, "runtimes: invalid count '%s'\n", argv[1]);
		return 2;
	}
	if ((t = calloc((size_t)n, sizeof(*t))) == NULL ||
	    (c = calloc((size_t)n, sizeof(*c))) == NULL) {
		perror("runtimes");
		return 1;
	}
	t0 = now_ms();
	for (i = -WARMUP; i < n; i++) {
		if (i == 0)
			t0 = now_ms();
		else if (i > 0 && budget > 0 && now_ms() - t0 > budget) {
			n = i;
			break;
		}
		st = run(argv + 2, i == -WARMUP, &ms, &cpu);
		if (st == -1)
			return 1;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (WIFSIGNALED(st))
				fprintf(stderr, "runtimes: '%s' died by signal "
				    "%d\n", argv[2], WTERMSIG(st));
			else
				fprintf(stderr, "runtimes: '%s' exited %d\n",
				    argv[2], WEXITSTATUS(st));
			return 1;
		}
		if (i >= 0) {
			t[i] = ms;
			c[i] = cpu;
		}
	}
	/* The median of an even count is the mean of the middle two; p90 is
	 * the nearest rank, ceil(0.9 n). */
	med = median(t, n);
	printf("%ld %.3f %.3f %.3f %.3f %.3f\n", n, med,
	    t[(9 * n + 9) / 10 - 1], t[0], t[n - 1], median(c, n));
	free(t);
	free(c);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("runtimes: stdout");
		return 1;
	}
	return 0;
}
