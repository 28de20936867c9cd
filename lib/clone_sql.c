/*
 * The text of a clone: rows as LOAD DATA reads them, the SELECT that
 * reads a part of a table on the source, the LOAD DATA that writes it on
 * the replica, and the key ranges that split a table into parts.
 */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replkit.h"

/*
 * Write the len bytes at src to dst as a field of LOAD DATA ... FIELDS
 * TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n': the
 * escape character, tab, newline, carriage return and NUL escaped, every
 * other byte as it is. dst has room for 2 * len bytes. Returns the
 * bytes written.
 */
size_t
repl_clone_escape(char *dst, const char *src, size_t len)
{
	/* What follows the escape character for each byte that needs it. */
	static const char esc[256] = { ['\\'] = '\\', ['\t'] = 't',
		['\n'] = 'n', ['\r'] = 'r', ['\0'] = '0' };
	const unsigned char *p = (const unsigned char *)src;
	size_t i = 0, run, j = 0;

	while (i < len) {
		/* The bytes as they are, up to the next that needs escaping. */
		for (run = i; run < len && esc[p[run]] == 0; run++)
			;
		memcpy(dst + j, src + i, run - i);
		j += run - i;
		if ((i = run) == len)
			break;
		dst[j++] = '\\';
		dst[j++] = esc[p[i]];
		i++;
	}
	return j;
}

/*
 * The SELECT that reads chunk ch of table t on the source: its stored
 * columns by name (invisible ones too, generated ones never), BIT as a
 * number, within the chunk's key range. Returns 0, or -1 (no memory, a
 * bad name).
 */
int
repl_clone_select_sql(struct repl_sb *sb, const struct repl_clone_tab *t,
    const struct repl_clone_chunk *ch)
{
	size_t i;

	repl_sb_str(sb, "SELECT ");
	for (i = 0; i < t->ncol; i++) {
		if (i > 0)
			repl_sb_str(sb, ", ");
		if (t->col[i].conv == REPL_CLONE_BIT) {
			repl_sb_str(sb, "CAST(");
			repl_diff_sql_ident(sb, t->col[i].name);
			repl_sb_str(sb, " AS UNSIGNED)");
		} else
			repl_diff_sql_ident(sb, t->col[i].name);
	}
	repl_sb_str(sb, " FROM ");
	repl_diff_sql_table(sb, &t->t);
	if (ch != NULL && (ch->has_lo || ch->has_hi)) {
		repl_sb_str(sb, " WHERE ");
		if (ch->has_lo) {
			repl_diff_sql_ident(sb, t->key);
			repl_sb_fmt(sb, " >= %s", ch->lo);
		}
		if (ch->has_lo && ch->has_hi)
			repl_sb_str(sb, " AND ");
		if (ch->has_hi) {
			repl_diff_sql_ident(sb, t->key);
			repl_sb_fmt(sb, " < %s", ch->hi);
		}
	}
	return sb->oom ? -1 : 0;
}

/*
 * The LOAD DATA that writes what repl_clone_select_sql read into table t
 * on the replica: bytes with no conversion of character set (each column
 * takes them in its own), BIT and MySQL's JSON through a variable.
 * Returns 0, or -1.
 */
int
repl_clone_load_sql(struct repl_sb *sb, const struct repl_clone_tab *t)
{
	size_t i;
	int set = 0;

	repl_sb_str(sb, "LOAD DATA LOCAL INFILE 'replkit-clone' INTO TABLE ");
	repl_diff_sql_table(sb, &t->t);
	repl_sb_str(sb, " CHARACTER SET binary FIELDS TERMINATED BY '\\t' "
	    "ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (");
	for (i = 0; i < t->ncol; i++) {
		if (i > 0)
			repl_sb_str(sb, ", ");
		if (t->col[i].conv == REPL_CLONE_PLAIN)
			repl_diff_sql_ident(sb, t->col[i].name);
		else
			repl_sb_fmt(sb, "@c%zu", i);
	}
	repl_sb_str(sb, ")");
	for (i = 0; i < t->ncol; i++) {
		if (t->col[i].conv == REPL_CLONE_PLAIN)
			continue;
		repl_sb_str(sb, set++ ? ", " : " SET ");
		repl_diff_sql_ident(sb, t->col[i].name);
		if (t->col[i].conv == REPL_CLONE_BIT)
			repl_sb_fmt(sb, " = CAST(@c%zu AS UNSIGNED)", i);
		else
			repl_sb_fmt(sb, " = CONVERT(@c%zu USING utf8mb4)", i);
	}
	return sb->oom ? -1 : 0;
}

/* A key as an unsigned number of the same order, and back. */
static int
to_order(const char *s, int is_unsigned, uint64_t *u)
{
	char *end;

	errno = 0;
	if (is_unsigned) {
		if (s[0] == '-')
			return -1;
		*u = strtoull(s, &end, 10);
	} else
		*u = (uint64_t)strtoll(s, &end, 10) ^ (UINT64_C(1) << 63);
	return errno != 0 || end == s || *end != '\0' ? -1 : 0;
}

static void
from_order(char *buf, uint64_t u, int is_unsigned)
{
	if (is_unsigned)
		snprintf(buf, 24, "%" PRIu64, u);
	else
		snprintf(buf, 24, "%" PRId64,
		    (int64_t)(u ^ (UINT64_C(1) << 63)));
}

/*
 * Split the integer keys from lo to hi (decimal text; signed or not) into
 * at most n parts of equal width: write the bounds between parts, in
 * increasing order, to bound. Returns how many (at most n - 1; 0 when
 * the range cannot be split or a key does not parse).
 */
unsigned int
repl_clone_split(const char *lo, const char *hi, int is_unsigned,
    unsigned int n, char (*bound)[24])
{
	uint64_t ulo, uhi, step;
	unsigned int i;

	if (n < 2 || to_order(lo, is_unsigned, &ulo) == -1 ||
	    to_order(hi, is_unsigned, &uhi) == -1 || uhi <= ulo)
		return 0;
	/* The width less one, so that the widest range does not wrap. */
	step = (uhi - ulo) / n + 1;
	for (i = 1; i < n && i <= (uhi - ulo) / step; i++)
		from_order(bound[i - 1], ulo + (uint64_t)i * step, is_unsigned);
	return i - 1;
}

const char *
repl_clone_okind_name(enum repl_clone_okind k)
{
	switch (k) {
	case REPL_CLONE_VIEW:
		return "VIEW";
	case REPL_CLONE_PROCEDURE:
		return "PROCEDURE";
	case REPL_CLONE_FUNCTION:
		return "FUNCTION";
	case REPL_CLONE_TRIGGER:
		return "TRIGGER";
	case REPL_CLONE_EVENT:
		return "EVENT";
	}
	return "?";
}

/* Is s at a table option AUTO_INCREMENT=N? Returns its length, or 0. */
static size_t
autoinc_opt(const char *s)
{
	static const char opt[] = " AUTO_INCREMENT=";
	size_t n = sizeof(opt) - 1;

	if (strncmp(s, opt, n) != 0 || s[n] < '0' || s[n] > '9')
		return 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* Two SHOW CREATE TABLE texts alike but for AUTO_INCREMENT=N: 1, else 0. */
int
repl_clone_same_create(const char *a, const char *b)
{
	for (;;) {
		a += autoinc_opt(a);
		b += autoinc_opt(b);
		if (*a != *b)
			return 0;
		if (*a == '\0')
			return 1;
		a++;
		b++;
	}
}
