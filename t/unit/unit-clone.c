/* Unit tests for repl-clone's text: rows for LOAD DATA, SQL, key ranges. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

static void
escape_bytes(void **state)
{
	static const char in[] = "a\tb\nc\\d\re\0f'\"N";
	char out[2 * sizeof(in)];
	size_t n;

	(void)state;
	n = repl_clone_escape(out, in, sizeof(in) - 1);
	assert_int_equal(n, 19);
	assert_memory_equal(out, "a\\tb\\nc\\\\d\\re\\0f'\"N", n);
	/* Nothing to escape: the bytes as they are, high bytes too. */
	n = repl_clone_escape(out, "\xc3\xa4\xff", 3);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\xc3\xa4\xff", 3);
	assert_int_equal(repl_clone_escape(out, "", 0), 0);
}

/* Every byte value, escaped and read back as LOAD DATA reads it. */
static void
escape_every_byte(void **state)
{
	char in[512], out[1024], back[512];
	size_t i, n, k = 0;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i % 256);
	n = repl_clone_escape(out, in, sizeof(in));
	for (i = 0; i < n; i++) {
		/* A tab or newline as it is would end the field or the row. */
		assert_true(out[i] != '\t' && out[i] != '\n');
		if (out[i] != '\\') {
			back[k++] = out[i];
			continue;
		}
		assert_true(++i < n);
		switch (out[i]) {
		case 't': back[k++] = '\t'; break;
		case 'n': back[k++] = '\n'; break;
		case 'r': back[k++] = '\r'; break;
		case '0': back[k++] = '\0'; break;
		case '\\': back[k++] = '\\'; break;
		default: fail_msg("escape of '%c'", out[i]);
		}
	}
	assert_int_equal(k, sizeof(in));
	assert_memory_equal(back, in, sizeof(in));
}

static struct repl_clone_col cols[] = {
	{ "id", REPL_CLONE_PLAIN },
	{ "b`it", REPL_CLONE_BIT },
	{ "j", REPL_CLONE_JSON },
	{ "x", REPL_CLONE_PLAIN }
};

static void
select_text(void **state)
{
	struct repl_clone_tab t;
	struct repl_clone_chunk ch;
	struct repl_sb sb = { 0 };

	(void)state;
	memset(&t, 0, sizeof(t));
	strcpy(t.t.db, "d`b");
	strcpy(t.t.name, "t");
	strcpy(t.key, "id");
	t.col = cols;
	t.ncol = 4;
	assert_int_equal(repl_clone_select_sql(&sb, &t, NULL), 0);
	assert_string_equal(sb.s, "SELECT `id`, CAST(`b``it` AS UNSIGNED), "
	    "`j`, `x` FROM `d``b`.`t`");
	memset(&ch, 0, sizeof(ch));
	ch.has_hi = 1;
	strcpy(ch.hi, "-5");
	sb.len = 0;
	assert_int_equal(repl_clone_select_sql(&sb, &t, &ch), 0);
	assert_string_equal(sb.s + strlen(sb.s) - 16, " WHERE `id` < -5");
	ch.has_lo = 1;
	strcpy(ch.lo, "-9223372036854775808");
	sb.len = 0;
	assert_int_equal(repl_clone_select_sql(&sb, &t, &ch), 0);
	assert_non_null(strstr(sb.s, " WHERE `id` >= -9223372036854775808 AND "
	    "`id` < -5"));
	repl_sb_free(&sb);
}

static void
load_text(void **state)
{
	struct repl_clone_tab t;
	struct repl_sb sb = { 0 };

	(void)state;
	memset(&t, 0, sizeof(t));
	strcpy(t.t.db, "d");
	strcpy(t.t.name, "t");
	t.col = cols;
	t.ncol = 4;
	assert_int_equal(repl_clone_load_sql(&sb, &t), 0);
	assert_string_equal(sb.s, "LOAD DATA LOCAL INFILE 'replkit-clone' INTO "
	    "TABLE `d`.`t` CHARACTER SET binary FIELDS TERMINATED BY '\\t' "
	    "ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (`id`, @c1, @c2, "
	    "`x`) SET `b``it` = CAST(@c1 AS UNSIGNED), `j` = CONVERT(@c2 "
	    "USING utf8mb4)");
	t.ncol = 1;
	sb.len = 0;
	assert_int_equal(repl_clone_load_sql(&sb, &t), 0);
	assert_string_equal(sb.s + strlen(sb.s) - 6, "(`id`)");
	repl_sb_free(&sb);
}

#define SPLIT(lo, hi, u, n, want) \
	split(__FILE__, __LINE__, (lo), (hi), (u), (n), (want))

/* The bounds of a split as one string "b1 b2 ...", and their count. */
static void
split(const char *file, int line, const char *lo, const char *hi, int u,
    unsigned int n, const char *want)
{
	char b[64][24], got[64 * 25] = "";
	unsigned int k, i;

	k = repl_clone_split(lo, hi, u, n, b);
	_assert_true(k < (n > 0 ? n : 1), "fewer bounds than parts", file, line);
	for (i = 0; i < k; i++) {
		if (i > 0)
			strcat(got, " ");
		strcat(got, b[i]);
	}
	_assert_string_equal(got, want, file, line);
}

static void
split_ranges(void **state)
{
	(void)state;
	SPLIT("1", "100", 0, 4, "26 51 76");
	SPLIT("1", "3", 0, 8, "2 3");
	SPLIT("5", "5", 0, 4, "");
	SPLIT("9", "1", 0, 4, "");
	SPLIT("1", "100", 0, 1, "");
	SPLIT("-10", "10", 0, 2, "1");
	/* The edges: the whole of BIGINT and of BIGINT UNSIGNED. */
	SPLIT("-9223372036854775808", "9223372036854775807", 0, 2, "0");
	SPLIT("-9223372036854775808", "9223372036854775807", 0, 4,
	    "-4611686018427387904 0 4611686018427387904");
	SPLIT("0", "18446744073709551615", 1, 2, "9223372036854775808");
	SPLIT("18446744073709551614", "18446744073709551615", 1, 4,
	    "18446744073709551615");
	SPLIT("9223372036854775806", "9223372036854775807", 0, 3,
	    "9223372036854775807");
	/* Keys that do not parse: not split. */
	SPLIT("1.5", "10", 0, 2, "");
	SPLIT("-1", "10", 1, 2, "");
	SPLIT("1", "18446744073709551616", 1, 2, "");
	SPLIT("", "10", 0, 2, "");
}

static void
bounds_increase(void **state)
{
	char b[64][24];
	unsigned int k, i;

	(void)state;
	k = repl_clone_split("-1000", "1000000", 0, 64, b);
	assert_int_equal(k, 63);
	for (i = 1; i < k; i++)
		assert_true(strtoll(b[i - 1], NULL, 10) <
		    strtoll(b[i], NULL, 10));
	assert_true(strtoll(b[0], NULL, 10) > -1000);
	assert_true(strtoll(b[k - 1], NULL, 10) <= 1000000);
}

/* A table is the same but for the AUTO_INCREMENT=N its writes move. */
static void
same_create(void **state)
{
	const char *a = "CREATE TABLE `t` (\n  `id` int NOT NULL "
	    "AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB "
	    "AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4";

	(void)state;
	assert_true(repl_clone_same_create(a, a));
	assert_true(repl_clone_same_create(a, "CREATE TABLE `t` (\n  `id` "
	    "int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
	    "ENGINE=InnoDB AUTO_INCREMENT=1234567 DEFAULT CHARSET=utf8mb4"));
	assert_true(repl_clone_same_create(a, "CREATE TABLE `t` (\n  `id` "
	    "int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
	    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"));
	/* A column, an engine, a key: changed. */
	assert_false(repl_clone_same_create(a, "CREATE TABLE `t` (\n  `id` "
	    "bigint NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
	    "ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4"));
	assert_false(repl_clone_same_create(a, "CREATE TABLE `t` (\n  `id` "
	    "int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
	    "ENGINE=MyISAM AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4"));
	assert_false(repl_clone_same_create(a, ""));
	assert_false(repl_clone_same_create("", a));
	/* Not the option: a column's AUTO_INCREMENT, or =N that is no number. */
	assert_false(repl_clone_same_create("a AUTO_INCREMENT b",
	    "a AUTO_INCREMENT c"));
	assert_false(repl_clone_same_create(" AUTO_INCREMENT=x", ""));
	assert_true(repl_clone_same_create("", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_bytes),
		cmocka_unit_test(escape_every_byte),
		cmocka_unit_test(select_text),
		cmocka_unit_test(load_text),
		cmocka_unit_test(split_ranges),
		cmocka_unit_test(bounds_increase),
		cmocka_unit_test(same_create),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-clone", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
