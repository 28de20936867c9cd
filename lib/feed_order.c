/*
 * The order of repl-feed's lines when several connections write at once:
 * each commit's line is held until no statement still on its way can
 * have committed before it, then the lines go out in the order of their
 * position in the binary log. A statement sent after a commit was
 * confirmed commits after it; one sent before may commit before or after.
 */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

#define IDLE UINT64_MAX

/*
 * The sort key of a line: the sequence number of its GTID (MariaDB
 * domain-server-seq, MySQL uuid:seq), else its binary log file number
 * and position. Returns the key, 0 when the line has neither.
 */
uint64_t
repl_feed_line_key(const struct repl_coord *co)
{
	const char *s, *dot;
	uint64_t v = 0;

	if (co->has_gtid && (s = strrchr(co->gtid, co->flavor ==
	    REPL_FLAVOR_MARIADB ? '-' : ':')) != NULL &&
	    strspn(s + 1, "0123456789") == strlen(s + 1) && s[1] != '\0')
		return strtoull(s + 1, NULL, 10);
	if (co->file[0] == '\0' || (dot = strrchr(co->file, '.')) == NULL)
		return 0;
	v = strtoull(dot + 1, NULL, 10);
	return (v << 40) | (co->pos & ((1ULL << 40) - 1));
}

/*
 * Start an empty order for nw writers. Returns 0, or -1 when out of
 * memory.
 */
int
repl_feed_order_init(struct repl_feed_order *o, size_t nw)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	if ((o->sent = malloc(nw * sizeof(*o->sent))) == NULL)
		return -1;
	for (i = 0; i < nw; i++)
		o->sent[i] = IDLE;
	o->nw = nw;
	return 0;
}

/* Free the order and every line still held. */
void
repl_feed_order_free(struct repl_feed_order *o)
{
	size_t i;

	for (i = 0; i < o->nline; i++)
		free(o->line[i].co);
	free(o->line);
	free(o->sent);
	memset(o, 0, sizeof(*o));
}

/* Writer w sends a statement. */
void
repl_feed_order_send(struct repl_feed_order *o, size_t w)
{
	o->sent[w] = o->ev;
}

/*
 * Writer w has its answer: co, a line it gives up to the order (freed
 * with free), or NULL when there is no line (the statement failed, or
 * its position is unknown). Returns 0, or -1 when out of memory (co is
 * freed).
 */
int
repl_feed_order_done(struct repl_feed_order *o, size_t w,
    struct repl_coord *co)
{
	struct repl_feed_line *l;
	size_t i;
	uint64_t key;

	o->sent[w] = IDLE;
	if (co == NULL)
		return 0;
	if (o->nline == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 16;

		if ((l = realloc(o->line, cap * sizeof(*l))) == NULL) {
			free(co);
			return -1;
		}
		o->line = l;
		o->cap = cap;
	}
	/* Sorted by key; equal keys in the order they came. */
	key = repl_feed_line_key(co);
	for (i = o->nline; i > 0 && o->line[i - 1].key > key; i--)
		o->line[i] = o->line[i - 1];
	o->line[i].key = key;
	o->line[i].at = ++o->ev;
	o->line[i].co = co;
	o->nline++;
	return 0;
}

/*
 * The next line that can be printed, now that no statement on its way
 * can come before it: the caller prints and frees it. Returns the line,
 * or NULL when none can go yet.
 */
struct repl_coord *
repl_feed_order_next(struct repl_feed_order *o)
{
	struct repl_coord *co;
	uint64_t safe = o->ev, top = 0;
	size_t i;
	int any = 0;

	if (o->nline == 0)
		return NULL;
	/* A line is final once each statement on its way was sent after it. */
	for (i = 0; i < o->nw; i++)
		if (o->sent[i] != IDLE && o->sent[i] < safe)
			safe = o->sent[i];
	for (i = 0; i < o->nline; i++)
		if (o->line[i].at <= safe) {
			top = o->line[i].key;
			any = 1;
		}
	if (!any || o->line[0].key > top)
		return NULL;
	co = o->line[0].co;
	memmove(o->line, o->line + 1, (o->nline - 1) * sizeof(*o->line));
	o->nline--;
	return co;
}
