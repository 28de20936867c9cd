/* JSON output: the one writer of JSON strings. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "replkit.h"

/*
 * A JSON string: quotes, backslashes and control characters escaped,
 * bytes that are not UTF-8 replaced by U+FFFD, so that the output is
 * always valid JSON.
 */
void
repl_json_str(FILE *f, const char *s)
{
	size_t n;

	fputc('"', f);
	for (; *s != '\0'; s += n) {
		n = repl_utf8_len(s);
		if (n == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fwrite(s, 1, n, f);
	}
	fputc('"', f);
}
