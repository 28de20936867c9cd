/*
 * Printing a round of repl-count: an aligned table for people, or one
 * JSON object for programs. See repl-count(1), OUTPUT.
 */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "replkit.h"

#define GAP 2				/* spaces between columns */

/*
 * Text: each UTF-8 character is one column; control characters and
 * bytes that are not UTF-8 show as '?', so that no name can move the
 * cursor or break a line.
 */
static size_t
text_width(const char *s)
{
	size_t w = 0, n;

	for (; *s != '\0'; s += n, w++)
		if ((n = repl_utf8_len(s)) == 0)
			n = 1;
	return w;
}

static void
text_put(FILE *f, const char *s)
{
	size_t n;

	for (; *s != '\0'; s += n) {
		n = repl_utf8_len(s);
		if (n == 0 || (unsigned char)*s < 0x20 || *s == 0x7f ||
		    (n == 2 && (unsigned char)s[0] == 0xc2 &&
		    (unsigned char)s[1] < 0xa0)) {
			fputc('?', f);
			n = n == 0 ? 1 : n;
		} else
			fwrite(s, 1, n, f);
	}
}

static void
pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* A cell as text, into buf. */
static const char *
cell_text(char *buf, size_t n, const struct repl_cell *c, int estimate)
{
	switch (c->state) {
	case REPL_CELL_ROWS:
		snprintf(buf, n, "%s%llu", estimate ? "~" : "", c->rows);
		return buf;
	case REPL_CELL_MISSING:
		return "missing";
	case REPL_CELL_ERROR:
		return "error";
	case REPL_CELL_DOWN:
		break;
	}
	return "down";
}

static void
print_text(FILE *f, const struct repl_count *rc, size_t *w)
{
	char buf[32];
	const char *s;
	size_t t, i;

	fputs("table", f);
	pad(f, w[0] - strlen("table"));
	for (i = 0; i < rc->nsrv; i++) {
		pad(f, GAP + w[i + 1] - text_width(rc->srv[i].operand));
		text_put(f, rc->srv[i].operand);
	}
	pad(f, GAP);
	fputs("status\n", f);
	for (t = 0; t < rc->ntab; t++) {
		text_put(f, rc->tab[t].db);
		fputc('.', f);
		text_put(f, rc->tab[t].name);
		pad(f, w[0] - text_width(rc->tab[t].db) - 1 -
		    text_width(rc->tab[t].name));
		for (i = 0; i < rc->nsrv; i++) {
			s = cell_text(buf, sizeof(buf),
			    &rc->cell[t * rc->nsrv + i], rc->estimate);
			pad(f, GAP + w[i + 1] - strlen(s));
			fputs(s, f);
		}
		pad(f, GAP);
		fprintf(f, "%s\n", repl_count_status_name(repl_count_row(rc,
		    t)));
	}
}

/* The width of each column: the table names, then one per server. */
static void
widths(const struct repl_count *rc, size_t *w)
{
	char buf[32];
	size_t t, i, n;

	w[0] = strlen("table");
	for (i = 0; i < rc->nsrv; i++)
		w[i + 1] = text_width(rc->srv[i].operand);
	for (t = 0; t < rc->ntab; t++) {
		n = text_width(rc->tab[t].db) + 1 + text_width(rc->tab[t].name);
		if (n > w[0])
			w[0] = n;
		for (i = 0; i < rc->nsrv; i++) {
			n = strlen(cell_text(buf, sizeof(buf),
			    &rc->cell[t * rc->nsrv + i], rc->estimate));
			if (n > w[i + 1])
				w[i + 1] = n;
		}
	}
}

static const char *const round_status[] = { "equal", "differ", "error",
	"down" };

static void
print_json(FILE *f, const struct repl_count *rc, const char *stamp)
{
	const struct repl_count_server *s;
	const struct repl_cell *c;
	int rcode = repl_count_exit(rc);
	size_t t, i;

	fprintf(f, "{\"time\":\"%s\",\"estimate\":%s,\"status\":\"%s\","
	    "\"exit\":%d,\"servers\":[", stamp, rc->estimate ? "true" : "false",
	    rcode >= 0 && rcode <= 3 ? round_status[rcode] : "error", rcode);
	for (i = 0; i < rc->nsrv; i++) {
		s = &rc->srv[i];
		fputs(i > 0 ? ",{\"server\":" : "{\"server\":", f);
		repl_json_str(f, s->operand);
		fprintf(f, ",\"state\":\"%s\"", s->up ? "up" : "down");
		if (rc->wait)
			fprintf(f, ",\"caught_up\":%s",
			    s->caught_up ? "true" : "false");
		if (s->err.kind != REPL_E_NONE) {
			fputs(",\"error\":", f);
			repl_json_str(f, s->err.msg);
		}
		if (s->wait_err.kind != REPL_E_NONE) {
			fputs(",\"wait_error\":", f);
			repl_json_str(f, s->wait_err.msg);
		}
		fputc('}', f);
	}
	fputs("],\"tables\":[", f);
	for (t = 0; t < rc->ntab; t++) {
		fputs(t > 0 ? ",{\"db\":" : "{\"db\":", f);
		repl_json_str(f, rc->tab[t].db);
		fputs(",\"table\":", f);
		repl_json_str(f, rc->tab[t].name);
		fprintf(f, ",\"status\":\"%s\",\"rows\":[",
		    repl_count_status_name(repl_count_row(rc, t)));
		for (i = 0; i < rc->nsrv; i++) {
			c = &rc->cell[t * rc->nsrv + i];
			if (i > 0)
				fputc(',', f);
			if (c->state == REPL_CELL_ROWS)
				fprintf(f, "%llu", c->rows);
			else
				fprintf(f, "\"%s\"", cell_text(NULL, 0, c, 0));
		}
		fputs("]}", f);
	}
	fputc(']', f);
	if (rc->nodb != NULL) {
		fputs(",\"empty_db\":", f);
		repl_json_str(f, rc->nodb);
	}
	if (rc->err.kind != REPL_E_NONE) {
		fputs(",\"error\":", f);
		repl_json_str(f, rc->err.msg);
	}
	fputs("}\n", f);
}

/*
 * Print the round rc on f: with REPL_COUNT_JSON in flags one JSON object
 * on one line, else the aligned table, headed with REPL_COUNT_STAMP by
 * the time the round started. Returns 0, or -1 on a write error.
 */
int
repl_count_print(FILE *f, const struct repl_count *rc, int flags)
{
	char stamp[32];
	struct tm tm;
	size_t *w;

	if (gmtime_r(&rc->started, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(stamp, "1970-01-01T00:00:00Z");
	if (flags & REPL_COUNT_JSON)
		print_json(f, rc, stamp);
	else {
		if ((w = calloc(rc->nsrv + 1, sizeof(*w))) == NULL)
			return -1;
		if (flags & REPL_COUNT_STAMP)
			fprintf(f, "%s\n", stamp);
		widths(rc, w);
		print_text(f, rc, w);
		free(w);
	}
	return ferror(f) ? -1 : 0;
}
