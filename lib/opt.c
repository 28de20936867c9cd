/*
 * getopt_long as every tool uses it, without its two hazards: a prefix
 * taken for a long option (--password=x read as --password-file), and
 * messages that echo an unknown option's value, which may be a secret.
 */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "replkit.h"

/* The argument kind of long option name (len bytes), or -1 if unknown. */
static int
long_kind(const struct option *lo, const char *name, size_t len)
{
	for (; lo->name != NULL; lo++)
		if (strlen(lo->name) == len && strncmp(lo->name, name, len) == 0)
			return lo->has_arg;
	return -1;
}

/*
 * Check argv before getopt_long sees it: every long option spelled out
 * in full, no -p. Writes the complaint (the option's name, never its
 * value) into msg. Returns 0, or -1.
 */
int
repl_opt_check(int argc, char *const argv[], const char *shortopts,
    const struct option *longopts, char *msg, size_t n)
{
	int i, kind;
	size_t len;
	const char *a, *s, *eq;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			len = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);
			if ((kind = long_kind(longopts, a + 2, len)) == -1) {
				snprintf(msg, n, "unknown option '--%.*s' "
				    "(long options are spelled out in full)",
				    (int)(len > 64 ? 64 : len), a + 2);
				return -1;
			}
			if (kind == required_argument && eq == NULL)
				i++;
			continue;
		}
		/* A cluster of short options: -vq, -t5, -t 5. */
		for (s = a + 1; *s != '\0'; s++) {
			const char *d = strchr(shortopts, *s);

			if (*s == 'p' && d == NULL) {
				snprintf(msg, n, "-p: a password is never taken "
				    "from the command line (other users see it): "
				    "use --password-file FILE, MYSQL_PWD or an "
				    "option file");
				return -1;
			}
			if (d != NULL && *s != ':' && d[1] == ':') {
				if (s[1] == '\0' && d[2] != ':')
					i++;
				break;
			}
		}
	}
	return 0;
}

/*
 * In main's option loop, an option that is not the tool's own: a
 * connection option is taken into o; --help and --version print and end;
 * a bad value or an unknown option is a usage error. Returns -1 when the
 * option was taken (the loop goes on), else the exit code main returns.
 */
int
repl_opt_shared(int ch, const char *arg, struct repl_connopt *o,
    const char *usage)
{
	struct repl_err err;

	repl_err_clear(&err);
	switch (repl_connopt_set(o, ch, arg, &err)) {
	case 1:
		return -1;
	case -1:
		return repl_usage_error(NULL, "%s", err.msg);
	}
	switch (ch) {
	case REPL_OPT_HELP:
		return repl_help(usage);
	case REPL_OPT_VERSION:
		return repl_version();
	}
	return repl_usage_error(usage, NULL);
}

/*
 * getopt_long after repl_opt_check: on a refused argv, the complaint on
 * stderr and '?' (main prints its usage and exits 2), as for any other
 * bad option.
 */
int
repl_getopt(int argc, char *const argv[], const char *shortopts,
    const struct option *longopts)
{
	static int checked;
	char msg[256];

	if (!checked) {
		checked = 1;
		if (repl_opt_check(argc, argv, shortopts, longopts, msg,
		    sizeof(msg)) == -1) {
			repl_warn("%s", msg);
			return '?';
		}
	}
	return getopt_long(argc, argv, shortopts, longopts, NULL);
}
