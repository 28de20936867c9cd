/*
 * Unit tests for repl-count's library: quoting names for SQL, names and
 * db.table operands from the command line, verdicts, exit status and
 * the printed table and JSON.
 */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)

/* Check at the caller's line, so a failure names the input. */
#define IDENT_IS(in, want) ident_is(__FILE__, __LINE__, (in), (want))
#define HEX_IS(in, want) hex_is(__FILE__, __LINE__, (in), (want))
#define NAME_OK(in) name_is(__FILE__, __LINE__, (in), 1)
#define NAME_BAD(in) name_is(__FILE__, __LINE__, (in), 0)
#define TABLE_OK(in, db, t) table_ok(__FILE__, __LINE__, (in), (db), (t))
#define TABLE_BAD(in) table_bad(__FILE__, __LINE__, (in))

static void
ident_is(const char *file, int line, const char *in, const char *want)
{
	char buf[2 * REPL_NAME_MAX + 3];
	int r = repl_sql_ident(buf, sizeof(buf), in);

	_assert_int_equal(I(r), I(strlen(want)), file, line);
	_assert_string_equal(buf, want, file, line);
}

static void
hex_is(const char *file, int line, const char *in, const char *want)
{
	char buf[2 * REPL_NAME_MAX + 16];
	int r = repl_sql_hexstr(buf, sizeof(buf), in);

	_assert_int_equal(I(r), I(strlen(want)), file, line);
	_assert_string_equal(buf, want, file, line);
}

static void
name_is(const char *file, int line, const char *in, int want)
{
	_assert_int_equal(I(repl_name_valid(in)), I(want), file, line);
}

static void
table_ok(const char *file, int line, const char *in, const char *db,
    const char *t)
{
	struct repl_table tb;
	struct repl_err err;

	repl_err_clear(&err);
	_assert_int_equal(I(repl_table_parse(&tb, in, &err)), I(0), file,
	    line);
	_assert_string_equal(tb.db, db, file, line);
	_assert_string_equal(tb.name, t, file, line);
}

static void
table_bad(const char *file, int line, const char *in)
{
	struct repl_table tb;
	struct repl_err err;

	repl_err_clear(&err);
	_assert_int_equal(I(repl_table_parse(&tb, in, &err)), I(-1), file,
	    line);
	_assert_int_equal(I(err.kind), I(REPL_E_PERM), file, line);
	_assert_true(I(strstr(err.msg, "invalid table") != NULL),
	    "message", file, line);
	_assert_string_equal(tb.db, "", file, line);
}

/* A name of n copies of s. */
static char *
repeat(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *p = malloc(len * n + 1);

	assert_non_null(p);
	for (i = 0; i < n; i++)
		memcpy(p + i * len, s, len);
	p[len * n] = '\0';
	return p;
}

static void
ident_wraps_in_backticks(void **state)
{
	(void)state;
	IDENT_IS("t", "`t`");
	IDENT_IS("orders", "`orders`");
	IDENT_IS("my table", "`my table`");
	IDENT_IS("tä", "`tä`");
	IDENT_IS("a.b", "`a.b`");
	IDENT_IS("select", "`select`");
}

static void
ident_doubles_backticks(void **state)
{
	(void)state;
	IDENT_IS("`", "````");
	IDENT_IS("a`b", "`a``b`");
	IDENT_IS("``", "``````");
	IDENT_IS("x` ; DROP TABLE t; -- ", "`x`` ; DROP TABLE t; -- `");
	IDENT_IS("t`.`u", "`t``.``u`");
}

static void
ident_leaves_other_quotes_alone(void **state)
{
	(void)state;
	IDENT_IS("it's", "`it's`");
	IDENT_IS("\"q\"", "`\"q\"`");
	IDENT_IS("a\\b", "`a\\b`");
	IDENT_IS("/* c */", "`/* c */`");
}

static void
ident_refuses_empty_long_and_small_buffer(void **state)
{
	char buf[16], big[2 * REPL_NAME_MAX + 3];
	char *n256 = repeat("a", REPL_NAME_MAX);
	char *n257 = repeat("a", REPL_NAME_MAX + 1);
	char *bt = repeat("`", REPL_NAME_MAX);

	(void)state;
	assert_int_equal(repl_sql_ident(buf, sizeof(buf), ""), -1);
	assert_int_equal(repl_sql_ident(big, sizeof(big), n256),
	    REPL_NAME_MAX + 2);
	assert_int_equal(repl_sql_ident(big, sizeof(big), n257), -1);
	/* The worst case: every byte a backtick, doubled. */
	assert_int_equal(repl_sql_ident(big, sizeof(big), bt),
	    2 * REPL_NAME_MAX + 2);
	assert_int_equal(repl_sql_ident(big, sizeof(big) - 1, bt), -1);
	/* "abc" needs 6 bytes with the NUL: 5 is too small, 6 is enough. */
	assert_int_equal(repl_sql_ident(buf, 5, "abc"), -1);
	assert_int_equal(repl_sql_ident(buf, 6, "abc"), 5);
	assert_string_equal(buf, "`abc`");
	assert_int_equal(repl_sql_ident(buf, 6, "a`c"), -1);
	assert_int_equal(repl_sql_ident(buf, 7, "a`c"), 6);
	assert_int_equal(repl_sql_ident(buf, 2, "a"), -1);
	assert_int_equal(repl_sql_ident(buf, 0, "a"), -1);
	free(n256);
	free(n257);
	free(bt);
}

static void
hexstr_has_only_hex_digits(void **state)
{
	(void)state;
	HEX_IS("d", "_utf8mb4 X'64'");
	HEX_IS("shop", "_utf8mb4 X'73686F70'");
	HEX_IS("'", "_utf8mb4 X'27'");
	HEX_IS("\\", "_utf8mb4 X'5C'");
	HEX_IS("a' OR 1=1 -- ", "_utf8mb4 X'6127204F5220313D31202D2D20'");
	HEX_IS("tä", "_utf8mb4 X'74C3A4'");
	HEX_IS("", "_utf8mb4 X''");
}

static void
hexstr_refuses_long_and_small_buffer(void **state)
{
	char buf[2 * REPL_NAME_MAX + 16];
	char *n256 = repeat("\xff", REPL_NAME_MAX);
	char *n257 = repeat("a", REPL_NAME_MAX + 1);

	(void)state;
	assert_int_equal(repl_sql_hexstr(buf, sizeof(buf), n256),
	    12 + 2 * REPL_NAME_MAX);
	assert_int_equal(repl_sql_hexstr(buf, sizeof(buf), n257), -1);
	/* "_utf8mb4 X'64'" is 14 bytes and a NUL. */
	assert_int_equal(repl_sql_hexstr(buf, 14, "d"), -1);
	assert_int_equal(repl_sql_hexstr(buf, 15, "d"), 14);
	free(n256);
	free(n257);
}

static void
names_of_1_to_64_characters(void **state)
{
	char *c64 = repeat("a", 64), *c65 = repeat("a", 65);
	char *u64 = repeat("\xc3\xa4", 64), *u65 = repeat("\xc3\xa4", 65);
	char *e64 = repeat("\xf0\x9f\x98\x80", 64);

	(void)state;
	NAME_OK("d");
	NAME_OK("shop");
	NAME_OK("my table");
	NAME_OK("a`b");
	NAME_OK("it's");
	NAME_OK("tä");
	NAME_OK("日本");
	NAME_OK(c64);
	NAME_OK(u64);
	NAME_OK(e64);
	NAME_BAD("");
	NAME_BAD(c65);
	NAME_BAD(u65);
	free(c64);
	free(c65);
	free(u64);
	free(u65);
	free(e64);
}

static void
names_refuse_controls_and_bad_utf8(void **state)
{
	(void)state;
	NAME_BAD("a\nb");
	NAME_BAD("a\tb");
	NAME_BAD("\r");
	NAME_BAD("a\x1b[2J");
	NAME_BAD("a\x7f");
	NAME_BAD("a\xc2\x85");		/* U+0085, a C1 control */
	NAME_BAD("\xe4");		/* latin1 a-umlaut */
	NAME_BAD("\xc3");		/* cut short */
	NAME_BAD("\xc0\xaf");		/* overlong '/' */
	NAME_BAD("\xed\xa0\x80");	/* a surrogate */
	NAME_BAD("\xf4\x90\x80\x80");	/* past U+10FFFF */
	NAME_BAD("\xff");
	NAME_OK("\xc2\xa0");		/* U+00A0 is no control */
}

static void
utf8_lengths(void **state)
{
	(void)state;
	assert_int_equal(repl_utf8_len(""), 0);
	assert_int_equal(repl_utf8_len("a"), 1);
	assert_int_equal(repl_utf8_len("\xc3\xa4"), 2);
	assert_int_equal(repl_utf8_len("\xe6\x97\xa5"), 3);
	assert_int_equal(repl_utf8_len("\xf0\x9f\x98\x80"), 4);
	assert_int_equal(repl_utf8_len("\xe0\x80\x80"), 0);
	assert_int_equal(repl_utf8_len("\x80"), 0);
	assert_int_equal(repl_utf8_len("\xc3" "a"), 0);
	/* Of a length: no NUL needed, a sequence cut short is none. */
	assert_int_equal(repl_utf8_len_n("\xf0\x9f\x98\x80" "x", 4), 4);
	assert_int_equal(repl_utf8_len_n("\xf0\x9f\x98\x80", 3), 0);
	assert_int_equal(repl_utf8_len_n("\xc3\xa4", 2), 2);
	assert_int_equal(repl_utf8_len_n("\0a", 2), 0);
	assert_int_equal(repl_utf8_len_n("ab", 1), 1);
}

static void
table_operands_db_dot_table(void **state)
{
	(void)state;
	TABLE_OK("d.t", "d", "t");
	TABLE_OK("shop.orders", "shop", "orders");
	TABLE_OK("a`b.c`d", "a`b", "c`d");
	TABLE_OK("my db.my table", "my db", "my table");
	TABLE_OK("bäck.tä", "bäck", "tä");
}

static void
table_operands_refused(void **state)
{
	char *long_db, *long_t;

	(void)state;
	TABLE_BAD("");
	TABLE_BAD("t");
	TABLE_BAD(".");
	TABLE_BAD(".t");
	TABLE_BAD("d.");
	TABLE_BAD("a.b.c");
	TABLE_BAD("d..t");
	TABLE_BAD("d.t\n");
	TABLE_BAD("d.\xe4");
	long_db = repeat("a", 65);
	long_t = malloc(strlen(long_db) + 3);
	assert_non_null(long_t);
	sprintf(long_t, "%s.t", long_db);
	TABLE_BAD(long_t);
	sprintf(long_t, "t.%s", long_db);
	TABLE_BAD(long_t);
	free(long_db);
	free(long_t);
}

static void
table_order_by_schema_then_name(void **state)
{
	struct repl_table t[4];
	struct repl_err err;

	(void)state;
	assert_int_equal(repl_table_parse(&t[0], "b.a", &err), 0);
	assert_int_equal(repl_table_parse(&t[1], "a.z", &err), 0);
	assert_int_equal(repl_table_parse(&t[2], "a.b", &err), 0);
	assert_int_equal(repl_table_parse(&t[3], "a.b", &err), 0);
	assert_true(repl_table_cmp(&t[1], &t[0]) < 0);
	assert_true(repl_table_cmp(&t[2], &t[1]) < 0);
	assert_true(repl_table_cmp(&t[2], &t[3]) == 0);
	assert_true(repl_table_cmp(&t[0], &t[2]) > 0);
}

/*
 * A round made by hand: nsrv servers, tables named in names, cells from
 * a string per table, one character per server: a digit is that many
 * rows, m missing, e error, d down.
 */
struct fake {
	struct repl_count rc;
	struct repl_count_server srv[4];
	struct repl_table tab[4];
	struct repl_cell cell[16];
};

static void
fake(struct fake *f, size_t nsrv, const char *const *names,
    const char *const *cells)
{
	static const char *const ops[] = { "db1:3306", "db2:3306",
		"rep2", "/run/mysqld/mysqld.sock" };
	struct repl_err err;
	size_t t, i;

	memset(f, 0, sizeof(*f));
	f->rc.srv = f->srv;
	f->rc.nsrv = nsrv;
	f->rc.tab = f->tab;
	f->rc.cell = f->cell;
	f->rc.started = 1795608000;	/* 2026-11-25T12:00:00Z */
	for (i = 0; i < nsrv; i++) {
		f->srv[i].operand = ops[i];
		f->srv[i].up = 1;
	}
	for (t = 0; names[t] != NULL; t++) {
		assert_int_equal(repl_table_parse(&f->tab[t], names[t], &err),
		    0);
		for (i = 0; i < nsrv; i++) {
			struct repl_cell *c = &f->cell[t * nsrv + i];

			switch (cells[t][i]) {
			case 'm':
				c->state = REPL_CELL_MISSING;
				break;
			case 'e':
				c->state = REPL_CELL_ERROR;
				break;
			case 'd':
				c->state = REPL_CELL_DOWN;
				f->srv[i].up = 0;
				break;
			default:
				c->state = REPL_CELL_ROWS;
				c->rows =
				    (unsigned long long)(cells[t][i] - '0');
			}
		}
	}
	f->rc.ntab = t;
}

#define ROW_IS(cells, want) row_is(__FILE__, __LINE__, (cells), (want))

static void
row_is(const char *file, int line, const char *cells, enum repl_row_status want)
{
	static const char *const names[] = { "d.t", NULL };
	const char *c[] = { cells };
	struct fake f;

	fake(&f, strlen(cells), names, c);
	_assert_int_equal(I(repl_count_row(&f.rc, 0)), I(want), file, line);
}

static void
verdict_per_table(void **state)
{
	(void)state;
	ROW_IS("333", REPL_ROW_EQUAL);
	ROW_IS("3", REPL_ROW_EQUAL);
	ROW_IS("332", REPL_ROW_DIFFER);
	ROW_IS("233", REPL_ROW_DIFFER);
	ROW_IS("33m", REPL_ROW_DIFFER);
	ROW_IS("m3d", REPL_ROW_DIFFER);
	ROW_IS("3ed2", REPL_ROW_DIFFER);
	ROW_IS("mmm", REPL_ROW_MISSING);
	ROW_IS("mdm", REPL_ROW_MISSING);
	ROW_IS("me", REPL_ROW_MISSING);
	ROW_IS("33e", REPL_ROW_ERROR);
	ROW_IS("3ed", REPL_ROW_ERROR);
	ROW_IS("33d", REPL_ROW_DOWN);
	ROW_IS("ddd", REPL_ROW_DOWN);
	ROW_IS("00", REPL_ROW_EQUAL);
}

static void
verdict_names(void **state)
{
	(void)state;
	assert_string_equal(repl_count_status_name(REPL_ROW_EQUAL), "equal");
	assert_string_equal(repl_count_status_name(REPL_ROW_DIFFER), "differ");
	assert_string_equal(repl_count_status_name(REPL_ROW_MISSING),
	    "missing");
	assert_string_equal(repl_count_status_name(REPL_ROW_ERROR), "error");
	assert_string_equal(repl_count_status_name(REPL_ROW_DOWN), "down");
}

static void
exit_status_of_a_round(void **state)
{
	static const char *const names[] = { "d.t", "d.u", NULL };
	static const char *const equal[] = { "33", "11" };
	static const char *const differ[] = { "33", "12" };
	static const char *const missing[] = { "33", "mm" };
	static const char *const down[] = { "3d", "1d" };
	static const char *const down_differ[] = { "32d", "11d" };
	struct fake f;

	(void)state;
	fake(&f, 2, names, equal);
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_OK);
	fake(&f, 2, names, differ);
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_NO);
	fake(&f, 2, names, missing);
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_NO);
	fake(&f, 2, names, down);
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_TEMP);
	fake(&f, 3, names, down_differ);
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_NO);
	/* A refused login is permanent: 2, unless something differs. */
	fake(&f, 2, names, down);
	f.srv[1].err.kind = REPL_E_PERM;
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_USAGE);
	/* A count that failed for a reason a retry may cure: 3. */
	fake(&f, 2, names, equal);
	f.srv[0].err.kind = REPL_E_TEMP;
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_TEMP);
	/* The round's own failure (--wait: no position): its kind. */
	fake(&f, 2, names, equal);
	f.rc.err.kind = REPL_E_PERM;
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_USAGE);
	/* A -d schema without a table: a negative answer. */
	fake(&f, 2, names, equal);
	f.rc.nodb = "shop";
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_NO);
	/* A failed wait alone changes nothing: the counts tell. */
	fake(&f, 2, names, equal);
	f.srv[1].wait_err.kind = REPL_E_TIMEOUT;
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_OK);
	/* No table at all, every server up: nothing differs. */
	fake(&f, 2, names + 2, equal);
	assert_int_equal(repl_count_exit(&f.rc), REPL_EXIT_OK);
}

/* Print f's round with flags into buf. */
static void
print_into(struct fake *f, int flags, char *buf, size_t n)
{
	FILE *fp = fmemopen(buf, n, "w");

	assert_non_null(fp);
	assert_int_equal(repl_count_print(fp, &f->rc, flags), 0);
	assert_int_equal(fclose(fp), 0);
}

static void
print_text_aligned(void **state)
{
	static const char *const names[] = { "d.t", "shop.orders", "x.tä",
		NULL };
	static const char *const cells[] = { "333", "32d", "mm3" };
	char buf[4096];
	struct fake f;

	(void)state;
	fake(&f, 3, names, cells);
	f.cell[3].rows = 7010;
	f.cell[4].rows = 7009;
	print_into(&f, 0, buf, sizeof(buf));
	assert_string_equal(buf,
	    "table        db1:3306  db2:3306  rep2  status\n"
	    "d.t                 3         3     3  equal\n"
	    "shop.orders      7010      7009  down  differ\n"
	    "x.tä          missing   missing     3  differ\n");
}

static void
print_text_estimate_and_stamp(void **state)
{
	static const char *const names[] = { "d.t", NULL };
	static const char *const cells[] = { "35" };
	char buf[4096];
	struct fake f;

	(void)state;
	fake(&f, 2, names, cells);
	f.rc.estimate = 1;
	print_into(&f, REPL_COUNT_STAMP, buf, sizeof(buf));
	assert_string_equal(buf,
	    "2026-11-25T12:00:00Z\n"
	    "table  db1:3306  db2:3306  status\n"
	    "d.t          ~3        ~5  differ\n");
}

static void
print_text_no_table_and_hostile_names(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const cells[] = { "1" };
	char buf[4096];
	struct fake f;

	(void)state;
	fake(&f, 2, none, cells);
	print_into(&f, 0, buf, sizeof(buf));
	assert_string_equal(buf, "table  db1:3306  db2:3306  status\n");
	/* Names from a server may hold anything: no escape reaches a tty. */
	fake(&f, 1, none, cells);
	strcpy(f.tab[0].db, "a\x1b[2J");
	strcpy(f.tab[0].name, "b\nc\xff");
	f.cell[0].state = REPL_CELL_ROWS;
	f.cell[0].rows = 1;
	f.rc.ntab = 1;
	print_into(&f, 0, buf, sizeof(buf));
	assert_string_equal(buf,
	    "table       db1:3306  status\n"
	    "a?[2J.b?c?         1  equal\n");
}

static void
print_json_one_line(void **state)
{
	static const char *const names[] = { "d.t", "d.u", NULL };
	static const char *const cells[] = { "33d", "m1d" };
	char buf[4096];
	struct fake f;

	(void)state;
	fake(&f, 3, names, cells);
	repl_err_set(&f.srv[2].err, REPL_E_TEMP, "unable to connect to "
	    "'rep2:3306': Can't connect to server on 'rep2' (111)");
	print_into(&f, REPL_COUNT_JSON, buf, sizeof(buf));
	assert_string_equal(buf,
	    "{\"time\":\"2026-11-25T12:00:00Z\",\"estimate\":false,"
	    "\"status\":\"differ\",\"exit\":1,\"servers\":["
	    "{\"server\":\"db1:3306\",\"state\":\"up\"},"
	    "{\"server\":\"db2:3306\",\"state\":\"up\"},"
	    "{\"server\":\"rep2\",\"state\":\"down\",\"error\":"
	    "\"unable to connect to 'rep2:3306': Can't connect to server on "
	    "'rep2' (111)\"}],"
	    "\"tables\":["
	    "{\"db\":\"d\",\"table\":\"t\",\"status\":\"down\","
	    "\"rows\":[3,3,\"down\"]},"
	    "{\"db\":\"d\",\"table\":\"u\",\"status\":\"differ\","
	    "\"rows\":[\"missing\",1,\"down\"]}]}\n");
}

static void
print_json_escapes_and_wait(void **state)
{
	static const char *const names[] = { "d.t", NULL };
	static const char *const cells[] = { "4" };
	char buf[4096];
	struct fake f;

	(void)state;
	fake(&f, 1, names, cells);
	strcpy(f.tab[0].db, "q\"b\\s\x01\xff\xc3\xa4");
	f.rc.wait = 1;
	f.rc.estimate = 1;
	f.rc.nodb = "e\"";
	repl_err_set(&f.rc.err, REPL_E_PERM, "line\nbreak\ttab");
	print_into(&f, REPL_COUNT_JSON, buf, sizeof(buf));
	assert_string_equal(buf,
	    "{\"time\":\"2026-11-25T12:00:00Z\",\"estimate\":true,"
	    "\"status\":\"differ\",\"exit\":1,\"servers\":["
	    "{\"server\":\"db1:3306\",\"state\":\"up\",\"caught_up\":false}],"
	    "\"tables\":[{\"db\":\"q\\\"b\\\\s\\u0001\\ufffd\xc3\xa4\","
	    "\"table\":\"t\",\"status\":\"equal\",\"rows\":[4]}],"
	    "\"empty_db\":\"e\\\"\",\"error\":\"line\\nbreak\\ttab\"}\n");
}

static void
print_reports_write_errors(void **state)
{
	static const char *const names[] = { "d.t", NULL };
	static const char *const cells[] = { "4" };
	char buf[8];
	struct fake f;
	FILE *fp;

	(void)state;
	fake(&f, 1, names, cells);
	fp = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(repl_count_print(fp, &f.rc, 0), -1);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ident_wraps_in_backticks),
		cmocka_unit_test(ident_doubles_backticks),
		cmocka_unit_test(ident_leaves_other_quotes_alone),
		cmocka_unit_test(ident_refuses_empty_long_and_small_buffer),
		cmocka_unit_test(hexstr_has_only_hex_digits),
		cmocka_unit_test(hexstr_refuses_long_and_small_buffer),
		cmocka_unit_test(names_of_1_to_64_characters),
		cmocka_unit_test(names_refuse_controls_and_bad_utf8),
		cmocka_unit_test(utf8_lengths),
		cmocka_unit_test(table_operands_db_dot_table),
		cmocka_unit_test(table_operands_refused),
		cmocka_unit_test(table_order_by_schema_then_name),
		cmocka_unit_test(verdict_per_table),
		cmocka_unit_test(verdict_names),
		cmocka_unit_test(exit_status_of_a_round),
		cmocka_unit_test(print_text_aligned),
		cmocka_unit_test(print_text_estimate_and_stamp),
		cmocka_unit_test(print_text_no_table_and_hostile_names),
		cmocka_unit_test(print_json_one_line),
		cmocka_unit_test(print_json_escapes_and_wait),
		cmocka_unit_test(print_reports_write_errors),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-count", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
