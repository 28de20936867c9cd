/* A growing string, for statements and lines of any length. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

static int
grow(struct repl_sb *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->oom)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap < 256 ? 256 : b->cap;
	while (cap < b->len + more + 1)
		cap *= 2;
	if ((s = realloc(b->s, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->s = s;
	b->cap = cap;
	return 0;
}

/* Append n bytes of s (which may hold NULs); b->s stays terminated. */
void
repl_sb_add(struct repl_sb *b, const char *s, size_t n)
{
	if (grow(b, n) == -1)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append a string. */
void
repl_sb_str(struct repl_sb *b, const char *s)
{
	repl_sb_add(b, s, strlen(s));
}

/* Append as printf would. */
void
repl_sb_fmt(struct repl_sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if (grow(b, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Release the string; b can be used again. */
void
repl_sb_free(struct repl_sb *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}
