/* replkit: every tool in one static binary, chosen by the name it runs as. */
/* SPDX-License-Identifier: MIT */
/*
 * The tools image holds this binary once and a hard link to it per tool:
 * static OpenSSL and libmariadb are most of each tool's size, and linked
 * once they are shared.  Each cmd/repl-*.c is compiled unchanged, its main
 * renamed by the Makefile's multicall rule; tools.h, written there by
 * build/multicall.sh, lists them.
 */
#include <stdio.h>
#include <string.h>

#include "tools.h"

static const struct {
	const char *name;
	int (*main)(int, char **);
} tools[] = {
#define TOOL(fn, name) { name, fn },
	TOOLS
#undef TOOL
};

static int
run(const char *name, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (strcmp(tools[i].name, name) == 0)
			return tools[i].main(argc, argv);
	return -1;
}

int
main(int argc, char **argv)
{
	const char *name, *slash;
	size_t i;
	int rc;

	name = argc > 0 ? argv[0] : "replkit";
	if ((slash = strrchr(name, '/')) != NULL)
		name = slash + 1;
	if ((rc = run(name, argc, argv)) >= 0)
		return rc;
	/* replkit TOOL [args...] */
	if (argc > 1 && (rc = run(argv[1], argc - 1, argv + 1)) >= 0)
		return rc;
	fprintf(stderr, "usage: replkit tool [argument ...]\ntools:");
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		fprintf(stderr, " %s", tools[i].name);
	fprintf(stderr, "\n");
	return 2;
}
