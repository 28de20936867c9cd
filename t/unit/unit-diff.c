/*
 * Unit tests for repl-diff's library: literals, the row hash, key
 * ranges, the schema comparison, the columns and key compared, the
 * printed lines (text, JSON, SQL), and the dialect of the row hash.
 */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"
#include "diff_int.h"

#define LIT_IS(ct, v, len, want) \
	lit_is(__FILE__, __LINE__, (ct), (v), (len), (want))

static void
lit_is(const char *file, int line, enum repl_diff_ctype ct, const char *v,
    unsigned long len, const char *want)
{
	struct repl_diff_col c;
	struct repl_sb b = { 0 };

	memset(&c, 0, sizeof(c));
	c.ctype = ct;
	repl_diff_sql_literal(&b, &c, v, len);
	_assert_true(!b.oom, "oom", file, line);
	_assert_string_equal(b.s, want, file, line);
	repl_sb_free(&b);
}

static void
literals_escape_every_value(void **state)
{
	(void)state;
	LIT_IS(REPL_DIFF_NUM, "42", 2, "42");
	LIT_IS(REPL_DIFF_NUM, "-1.50", 5, "-1.50");
	LIT_IS(REPL_DIFF_NUM, "1e+30", 5, "1e+30");
	/* Not a number after all: never bare. */
	LIT_IS(REPL_DIFF_NUM, "1 OR 1", 6, "'1 OR 1'");
	LIT_IS(REPL_DIFF_NUM, "", 0, "''");
	LIT_IS(REPL_DIFF_TEXT, NULL, 0, "NULL");
	LIT_IS(REPL_DIFF_TEXT, "NULL", 4, "'NULL'");
	LIT_IS(REPL_DIFF_TEXT, "", 0, "''");
	LIT_IS(REPL_DIFF_TEXT, "it's", 4, "'it''s'");
	LIT_IS(REPL_DIFF_TEXT, "''", 2, "''''''");
	LIT_IS(REPL_DIFF_TEXT, "tä €", 7, "'tä €'");
	LIT_IS(REPL_DIFF_TEXT, "\xf0\x9f\x98\x80", 4, "'\xf0\x9f\x98\x80'");
	/* A backslash means two things, as the sql_mode says: hex. */
	LIT_IS(REPL_DIFF_TEXT, "a\\b", 3, "_utf8mb4 X'615C62'");
	LIT_IS(REPL_DIFF_TEXT, "a\nb", 3, "_utf8mb4 X'610A62'");
	LIT_IS(REPL_DIFF_TEXT, "a\0b", 3, "_utf8mb4 X'610062'");
	LIT_IS(REPL_DIFF_TEXT, "\xe4", 1, "_utf8mb4 X'E4'");
	LIT_IS(REPL_DIFF_TEXT, "\xc2\x85", 2, "_utf8mb4 X'C285'");
	LIT_IS(REPL_DIFF_BIN, "ab", 2, "X'6162'");
	LIT_IS(REPL_DIFF_BIN, "", 0, "X''");
	LIT_IS(REPL_DIFF_BIN, "\0\xff", 2, "X'00FF'");
	LIT_IS(REPL_DIFF_BIN, NULL, 0, "NULL");
	LIT_IS(REPL_DIFF_TIME, "2026-11-25 12:00:05", 19,
	    "'2026-11-25 12:00:05'");
}

static void
ctypes_by_data_type(void **state)
{
	(void)state;
	assert_int_equal(repl_diff_ctype("int"), REPL_DIFF_NUM);
	assert_int_equal(repl_diff_ctype("BIGINT"), REPL_DIFF_NUM);
	assert_int_equal(repl_diff_ctype("decimal"), REPL_DIFF_NUM);
	assert_int_equal(repl_diff_ctype("double"), REPL_DIFF_NUM);
	assert_int_equal(repl_diff_ctype("datetime"), REPL_DIFF_TIME);
	assert_int_equal(repl_diff_ctype("timestamp"), REPL_DIFF_TIME);
	assert_int_equal(repl_diff_ctype("blob"), REPL_DIFF_BIN);
	assert_int_equal(repl_diff_ctype("varbinary"), REPL_DIFF_BIN);
	assert_int_equal(repl_diff_ctype("bit"), REPL_DIFF_BIN);
	assert_int_equal(repl_diff_ctype("varchar"), REPL_DIFF_TEXT);
	assert_int_equal(repl_diff_ctype("json"), REPL_DIFF_TEXT);
	assert_int_equal(repl_diff_ctype("longtext"), REPL_DIFF_TEXT);
	assert_int_equal(repl_diff_ctype("enum"), REPL_DIFF_TEXT);
	assert_int_equal(repl_diff_ctype("uuid"), REPL_DIFF_TEXT);
	/* The row hash takes integers of 32 bits as numbers. */
	assert_int_equal(repl_diff_hkind("tinyint"), REPL_DIFF_H_INT32);
	assert_int_equal(repl_diff_hkind("INT"), REPL_DIFF_H_INT32);
	assert_int_equal(repl_diff_hkind("mediumint"), REPL_DIFF_H_INT32);
	assert_int_equal(repl_diff_hkind("year"), REPL_DIFF_H_INT32);
	assert_int_equal(repl_diff_hkind("bigint"), REPL_DIFF_H_PRINT);
	assert_int_equal(repl_diff_hkind("decimal"), REPL_DIFF_H_PRINT);
	assert_int_equal(repl_diff_hkind("datetime"), REPL_DIFF_H_PRINT);
	assert_int_equal(repl_diff_hkind("bit"), REPL_DIFF_H_BYTES);
	assert_int_equal(repl_diff_hkind("varchar"), REPL_DIFF_H_BYTES);
	assert_int_equal(repl_diff_hkind("json"), REPL_DIFF_H_BYTES);
	/*
	 * The newer servers' types: VECTOR is bytes (floats), written back
	 * as X'..' without a character set; INET4, INET6 and UUID are
	 * hashed as the server prints them, as a NULL one would make the
	 * whole row's hash NULL otherwise.
	 */
	assert_int_equal(repl_diff_ctype("vector"), REPL_DIFF_BIN);
	assert_int_equal(repl_diff_ctype("VECTOR"), REPL_DIFF_BIN);
	assert_int_equal(repl_diff_hkind("vector"), REPL_DIFF_H_BYTES);
	assert_int_equal(repl_diff_hkind("inet4"), REPL_DIFF_H_PRINT);
	assert_int_equal(repl_diff_hkind("inet6"), REPL_DIFF_H_PRINT);
	assert_int_equal(repl_diff_hkind("UUID"), REPL_DIFF_H_PRINT);
	LIT_IS(repl_diff_ctype("vector"), "\0\0\x80?", 4, "X'0000803F'");
}

static void
col(struct repl_diff_col *c, const char *name, const char *type,
    const char *dtype, int nullable, unsigned int pos)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->type, sizeof(c->type), "%s", type);
	c->ctype = repl_diff_ctype(dtype);
	c->hkind = repl_diff_hkind(dtype);
	c->nullable = nullable;
	c->pos = pos;
}

/* A table (id INT PK, name VARCHAR NULL, data BLOB, at DATETIME NULL). */
static void
tab4(struct repl_diff_tab *t, struct repl_diff_col *c)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->t.db, sizeof(t->t.db), "d");
	snprintf(t->t.name, sizeof(t->t.name), "t");
	col(&c[0], "id", "int(11)", "int", 0, 1);
	col(&c[1], "name", "varchar(20)", "varchar", 1, 2);
	col(&c[2], "data", "blob", "blob", 0, 3);
	col(&c[3], "at", "datetime", "datetime", 1, 4);
	t->col = c;
	t->ncol = 4;
	t->key[0] = 0;
	t->nkey = 1;
	t->crc32c = 1;
}

static void
hashes_delimit_and_mark_null(void **state)
{
	struct repl_diff_col c[4];
	struct repl_diff_tab t;
	struct repl_sb b = { 0 };
	/*
	 * The one-string form: name may be NULL, its length or N before
	 * it; data, the last value of any bytes and never NULL, goes last
	 * without one; the times print no '|'; text in mixed collations is
	 * cast to bytes.
	 */
	static const char rowstr[] = "CONCAT_WS('|', `id`, "
	    "IFNULL(LENGTH(`name`), 'N'), CAST(`name` AS BINARY), "
	    "IFNULL(`at`, 'N'), `data`)";

	(void)state;
	tab4(&t, c);
	repl_diff_sql_hashes(&b, &t, 1);
	assert_false(b.oom);
	/* With a key, the source's rows are distinct: exclusive or. */
	assert_non_null(strstr(b.s, "COUNT(*), BIT_XOR((CRC32("));
	assert_null(strstr(b.s, "SUM("));
	repl_sb_free(&b);
	/* Without a key, rows may repeat: summed, never cancelled. */
	t.nkey = 0;
	repl_diff_sql_hashes(&b, &t, 1);
	assert_non_null(strstr(b.s, "COUNT(*), SUM((CRC32("));
	assert_null(strstr(b.s, "BIT_XOR"));
	repl_sb_free(&b);
	t.nkey = 1;
	/*
	 * 64 bits: a chain of CRC32 times 2^32 - 5 (not linear), plus one
	 * of CRC32C. id, the only integer, goes into the seed of the first
	 * value; the time is printed, N for NULL; name may be NULL: 1 into
	 * the seed when it is, and '' for it; 2 into the seed of each value
	 * after the first. No casts: each value is taken alone.
	 */
	repl_diff_sql_hashes(&b, &t, 0);
	assert_string_equal(b.s, "(CRC32(CRC32(CRC32(`id`, "
	    "IFNULL(`at`, 'N')) ^ 2 ^ ISNULL(`name`), IFNULL(`name`, '')) "
	    "^ 2, `data`) * 4294967291 + CRC32C(CRC32C(CRC32C(`id`, "
	    "IFNULL(`at`, 'N')) ^ 2 ^ ISNULL(`name`), IFNULL(`name`, '')) "
	    "^ 2, `data`))");
	repl_sb_free(&b);
	/*
	 * Without CRC32C (MySQL, MariaDB before 10.8): the CRC32 of the
	 * string and of the string reversed.
	 */
	t.crc32c = 0;
	repl_diff_sql_hashes(&b, &t, 0);
	assert_string_equal(b.s, "(CRC32(CONCAT_WS('|', `id`, "
	    "IFNULL(LENGTH(`name`), 'N'), CAST(`name` AS BINARY), "
	    "IFNULL(`at`, 'N'), `data`)) * 4294967291 + CRC32(REVERSE("
	    "CONCAT_WS('|', `id`, IFNULL(LENGTH(`name`), 'N'), "
	    "CAST(`name` AS BINARY), IFNULL(`at`, 'N'), `data`))))");
	assert_non_null(strstr(b.s, rowstr));
	assert_null(strstr(b.s, "CRC32C"));
	repl_sb_free(&b);
}

/*
 * The table of sysbench: two integers and two texts never NULL. k, the
 * second integer, in a call of its own that takes '.'; id into the
 * seed of c; 2 into that of pad. No number is printed, no string built.
 */
static void
hashes_of_integers_and_text(void **state)
{
	struct repl_diff_col c[6];
	struct repl_diff_tab t;
	struct repl_sb b = { 0 };

	(void)state;
	memset(&t, 0, sizeof(t));
	col(&c[0], "id", "int(11)", "int", 0, 1);
	col(&c[1], "k", "int(11)", "int", 0, 2);
	col(&c[2], "c", "char(120)", "char", 0, 3);
	col(&c[3], "pad", "char(60)", "char", 0, 4);
	t.col = c;
	t.ncol = 4;
	t.nkey = 1;
	t.crc32c = t.samecoll = 1;
	repl_diff_sql_hash(&b, &t);
	assert_string_equal(b.s, "(CRC32(CRC32(CRC32(`k`, '.') ^ `id`, `c`) "
	    "^ 2, `pad`) * 4294967291 + CRC32C(CRC32C(CRC32C(`k`, '.') ^ "
	    "`id`, `c`) ^ 2, `pad`))");
	repl_sb_free(&b);
	/*
	 * An integer that may be NULL is printed, with the other numbers
	 * and times, in one string; a BIGINT too. The first value of text
	 * may be NULL: it cannot carry an integer (1 for NULL would be
	 * the integer's last bit), so both go in calls of their own.
	 */
	col(&c[0], "s", "varchar(9)", "varchar", 1, 1);
	col(&c[1], "a", "smallint(6)", "smallint", 0, 2);
	col(&c[2], "b", "tinyint(4)", "tinyint", 0, 3);
	t.ncol = 3;
	repl_diff_sql_hash(&b, &t);
	assert_string_equal(b.s, "(CRC32(CRC32(CRC32(`a`, '.') ^ `b`, '.') "
	    "^ ISNULL(`s`), IFNULL(`s`, '')) * 4294967291 + "
	    "CRC32C(CRC32C(CRC32C(`a`, '.') ^ `b`, '.') ^ ISNULL(`s`), "
	    "IFNULL(`s`, '')))");
	repl_sb_free(&b);
	col(&c[0], "n", "int(11)", "int", 1, 1);
	col(&c[1], "big", "bigint(20)", "bigint", 0, 2);
	col(&c[2], "d", "decimal(9,2)", "decimal", 1, 3);
	col(&c[3], "y", "year(4)", "year", 0, 4);
	t.ncol = 4;
	repl_diff_sql_hash(&b, &t);
	assert_string_equal(b.s, "(CRC32(`y`, CONCAT_WS('|', IFNULL(`n`, "
	    "'N'), `big`, IFNULL(`d`, 'N'))) * 4294967291 + CRC32C(`y`, "
	    "CONCAT_WS('|', IFNULL(`n`, 'N'), `big`, IFNULL(`d`, 'N'))))");
	repl_sb_free(&b);
	/* Integers alone; one value alone. */
	col(&c[0], "a", "int(11)", "int", 0, 1);
	col(&c[1], "b", "int(10) unsigned", "int", 0, 2);
	t.ncol = 2;
	repl_diff_sql_hash(&b, &t);
	assert_string_equal(b.s, "(CRC32(CRC32(`a`, '.') ^ `b`, '.') * "
	    "4294967291 + CRC32C(CRC32C(`a`, '.') ^ `b`, '.'))");
	repl_sb_free(&b);
	col(&c[0], "v", "blob", "blob", 1, 1);
	t.ncol = 1;
	repl_diff_sql_hash(&b, &t);
	assert_string_equal(b.s, "(CRC32(ISNULL(`v`), IFNULL(`v`, '')) * "
	    "4294967291 + CRC32C(ISNULL(`v`), IFNULL(`v`, '')))");
	repl_sb_free(&b);
	/* The one-string form: every length but the last's. */
	col(&c[0], "id", "int(11)", "int", 0, 1);
	col(&c[1], "k", "int(11)", "int", 0, 2);
	col(&c[2], "c", "char(120)", "char", 0, 3);
	col(&c[3], "pad", "char(60)", "char", 0, 4);
	col(&c[4], "note", "blob", "blob", 0, 5);
	t.ncol = 5;
	t.samecoll = 0;
	t.crc32c = 0;
	repl_diff_sql_hash(&b, &t);
	assert_non_null(strstr(b.s, "CONCAT_WS('|', `id`, `k`, LENGTH(`c`), "
	    "CAST(`c` AS BINARY), LENGTH(`pad`), CAST(`pad` AS BINARY), "
	    "`note`)"));
	repl_sb_free(&b);
}

static void
crc32c_by_flavor(void **state)
{
	struct repl_server s;

	(void)state;
	s.flavor = REPL_FLAVOR_MARIADB;
	s.version = 100611;
	assert_false(repl_sql_has_crc32c(&s));
	s.version = 100800;
	assert_true(repl_sql_has_crc32c(&s));
	s.version = 101119;
	assert_true(repl_sql_has_crc32c(&s));
	s.flavor = REPL_FLAVOR_MYSQL;
	s.version = 80400;
	assert_false(repl_sql_has_crc32c(&s));
	s.version = 50744;
	assert_false(repl_sql_has_crc32c(&s));
}

/* A row with only the key columns set, k1 (and k2). */
struct krow {
	char *val[4];
	unsigned long len[4];
	struct repl_diff_row r;
};

static struct repl_diff_row *
krow(struct krow *k, const char *a, const char *b)
{
	memset(k, 0, sizeof(*k));
	k->val[0] = (char *)a;
	k->len[0] = a ? strlen(a) : 0;
	k->val[1] = (char *)b;
	k->len[1] = b ? strlen(b) : 0;
	k->r.val = k->val;
	k->r.len = k->len;
	return &k->r;
}

static void
ranges_of_one_and_two_columns(void **state)
{
	struct repl_diff_col c[4];
	struct repl_diff_tab t;
	struct repl_sb b = { 0 };
	struct krow lo, hi;

	(void)state;
	tab4(&t, c);
	repl_diff_sql_range(&b, &t, NULL, NULL);
	assert_string_equal(b.s, "1");
	repl_sb_free(&b);
	/* One integer column: (10, 20] is BETWEEN 11 AND 20. */
	repl_diff_sql_range(&b, &t, krow(&lo, "10", NULL), krow(&hi, "20",
	    NULL));
	assert_string_equal(b.s, "(`id` BETWEEN 11 AND 20)");
	repl_sb_free(&b);
	repl_diff_sql_range(&b, &t, krow(&lo, "-1", NULL), krow(&hi, "20",
	    NULL));
	assert_string_equal(b.s, "(`id` BETWEEN 0 AND 20)");
	repl_sb_free(&b);
	repl_diff_sql_range(&b, &t, krow(&lo, "-9223372036854775808", NULL),
	    krow(&hi, "20", NULL));
	assert_string_equal(b.s, "(`id` BETWEEN -9223372036854775807 AND 20)");
	repl_sb_free(&b);
	repl_diff_sql_range(&b, &t, krow(&lo, "18446744073709551614", NULL),
	    krow(&hi, "18446744073709551615", NULL));
	assert_string_equal(b.s, "(`id` BETWEEN 18446744073709551615 AND "
	    "18446744073709551615)");
	repl_sb_free(&b);
	/* No number after it, or none at all: two comparisons. */
	repl_diff_sql_range(&b, &t, krow(&lo, "18446744073709551615", NULL),
	    krow(&hi, "18446744073709551615", NULL));
	assert_string_equal(b.s, "((`id` > 18446744073709551615)) AND "
	    "((`id` <= 18446744073709551615))");
	repl_sb_free(&b);
	repl_diff_sql_range(&b, &t, krow(&lo, "1x", NULL), krow(&hi, "20",
	    NULL));
	assert_string_equal(b.s, "((`id` > '1x')) AND ((`id` <= 20))");
	repl_sb_free(&b);
	snprintf(c[0].type, sizeof(c[0].type), "decimal(10,0)");
	repl_diff_sql_range(&b, &t, krow(&lo, "10", NULL), krow(&hi, "20",
	    NULL));
	assert_string_equal(b.s, "((`id` > 10)) AND ((`id` <= 20))");
	repl_sb_free(&b);
	snprintf(c[0].type, sizeof(c[0].type), "int(11)");
	repl_diff_sql_range(&b, &t, NULL, krow(&hi, "20", NULL));
	assert_string_equal(b.s, "((`id` <= 20))");
	repl_sb_free(&b);
	repl_diff_sql_range(&b, &t, krow(&lo, "20", NULL), NULL);
	assert_string_equal(b.s, "((`id` > 20))");
	repl_sb_free(&b);
	/* (id, name): name is text, quoted. */
	t.key[1] = 1;
	t.nkey = 2;
	repl_diff_sql_range(&b, &t, krow(&lo, "1", "a'b"), krow(&hi, "2",
	    "c"));
	assert_string_equal(b.s, "((`id` > 1) OR (`id` = 1 AND `name` > "
	    "'a''b')) AND ((`id` < 2) OR (`id` = 2 AND `name` <= 'c'))");
	repl_sb_free(&b);
	repl_diff_sql_keyeq(&b, &t, krow(&lo, "1", "x\\"));
	assert_string_equal(b.s, "(`id` = 1 AND `name` = _utf8mb4 X'785C')");
	repl_sb_free(&b);
}

static void
schema(struct repl_diff_schema *s, struct repl_diff_col *c, size_t n,
    struct repl_diff_key *k, size_t nk)
{
	memset(s, 0, sizeof(*s));
	s->exists = 1;
	s->col = c;
	s->ncol = n;
	s->key = k;
	s->nkey = nk;
}

static void
key(struct repl_diff_key *k, const char *name, const char *c1,
    const char *c2)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", name);
	snprintf(k->col[0], sizeof(k->col[0]), "%s", c1);
	k->ncol = 1;
	if (c2 != NULL) {
		snprintf(k->col[1], sizeof(k->col[1]), "%s", c2);
		k->ncol = 2;
	}
}

/* Collects the printed lines of the differences emitted. */
struct lines {
	FILE *f;
	char *buf;
	size_t len;
};

static void
collect(void *arg, const struct repl_diff_rec *r)
{
	struct lines *l = arg;

	assert_int_equal(repl_diff_print(l->f, REPL_DIFF_OUT_TEXT, r), 0);
}

static void
lines_open(struct lines *l)
{
	memset(l, 0, sizeof(*l));
	l->f = open_memstream(&l->buf, &l->len);
	assert_non_null(l->f);
}

static void
lines_close(struct lines *l)
{
	fclose(l->f);
	free(l->buf);
}

static void
schema_dropped_column_and_common_columns(void **state)
{
	struct repl_diff_col sc[3], rc[2];
	struct repl_diff_key sk[1], rk[1];
	struct repl_diff_schema s[2];
	struct repl_diff_tab t;
	struct repl_table name = { "shop", "orders" };
	struct lines l;

	(void)state;
	col(&sc[0], "id", "int(11)", "int", 0, 1);
	col(&sc[1], "note", "varchar(20)", "varchar", 1, 2);
	col(&sc[2], "qty", "int(11)", "int", 1, 3);
	col(&rc[0], "id", "int(11)", "int", 0, 1);
	col(&rc[1], "qty", "int(11)", "int", 1, 2);
	key(&sk[0], "PRIMARY", "id", NULL);
	key(&rk[0], "PRIMARY", "id", NULL);
	schema(&s[0], sc, 3, sk, 1);
	schema(&s[1], rc, 2, rk, 1);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_int_equal(t.ncol, 2);
	assert_string_equal(t.col[1].name, "qty");
	assert_int_equal(t.nkey, 1);
	assert_int_equal(t.key[0], 0);
	lines_open(&l);
	/* Only the dropped column: qty moved from 3 to 2, no order change. */
	assert_int_equal(repl_diff_schema_cmp(&s[0], &s[1], "db2:3306", &t,
	    collect, &l), 1);
	fflush(l.f);
	assert_string_equal(l.buf,
	    "db2:3306 shop.orders column missing note\n"
	    "db2:3306 shop.orders columns common id,qty\n");
	lines_close(&l);
	repl_diff_tab_free(&t);
}

static void
schema_types_order_keys_tables(void **state)
{
	struct repl_diff_col sc[3], rc[4];
	struct repl_diff_key sk[2], rk[2];
	struct repl_diff_schema s[2], none;
	struct repl_diff_tab t;
	struct repl_table name = { "d", "t" };
	struct lines l;

	(void)state;
	col(&sc[0], "id", "int(11)", "int", 0, 1);
	col(&sc[1], "a", "varchar(20)", "varchar", 1, 2);
	col(&sc[2], "b", "enum('x','y')", "enum", 1, 3);
	col(&rc[0], "id", "bigint(20)", "bigint", 0, 1);
	col(&rc[1], "b", "enum('x','y')", "enum", 1, 2);
	col(&rc[2], "a", "varchar(20)", "varchar", 0, 3);
	col(&rc[3], "z z", "int(11)", "int", 1, 4);
	key(&sk[0], "PRIMARY", "id", NULL);
	key(&sk[1], "ab", "a", "b");
	key(&rk[0], "PRIMARY", "id", "a");
	key(&rk[1], "zz", "z z", NULL);
	schema(&s[0], sc, 3, sk, 2);
	schema(&s[1], rc, 4, rk, 2);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	lines_open(&l);
	assert_int_equal(repl_diff_schema_cmp(&s[0], &s[1], "r", &t, collect,
	    &l), 8);
	fflush(l.f);
	assert_string_equal(l.buf,
	    "r d.t column type id 'int(11) NOT NULL' 'bigint(20) NOT NULL'\n"
	    "r d.t column type a 'varchar(20)' 'varchar(20) NOT NULL'\n"
	    "r d.t column order a 2 3\n"
	    "r d.t column order b 3 2\n"
	    "r d.t column extra `z z`\n"
	    "r d.t key differs PRIMARY ('id') ('id,a')\n"
	    "r d.t key missing ab ('a,b')\n"
	    "r d.t key extra zz ('z z')\n"
	    "r d.t columns common id,a,b\n");
	lines_close(&l);
	repl_diff_tab_free(&t);
	memset(&none, 0, sizeof(none));
	lines_open(&l);
	assert_int_equal(repl_diff_schema_cmp(&s[0], &none, "r", &t, collect,
	    &l), 1);
	assert_int_equal(repl_diff_schema_cmp(&none, &s[1], "r", &t, collect,
	    &l), 1);
	fflush(l.f);
	assert_string_equal(l.buf, "r d.t table missing\nr d.t table extra\n");
	lines_close(&l);
}

/* No casts only when all text is in one collation on every server. */
/*
 * A chain of more than 64 calls would nest too deep for a server's
 * stack: a table that needs one is hashed as one string, lengths
 * before the values that may hold any byte, by CRC32 and CRC32C.
 */
static void
hashes_of_wide_tables(void **state)
{
	static struct repl_diff_col c[70];
	struct repl_diff_tab t;
	struct repl_sb b = { 0 };
	char name[16];
	size_t i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "i%zu", i);
		col(&c[i], name, "int(11)", "int", 0, (unsigned int)i + 1);
	}
	t.col = c;
	t.nkey = 1;
	t.crc32c = t.samecoll = 1;
	/* 64 integers: a chain still. */
	t.ncol = 64;
	repl_diff_sql_hash(&b, &t);
	assert_non_null(strstr(b.s, "(CRC32(CRC32(CRC32("));
	assert_null(strstr(b.s, "CONCAT_WS"));
	repl_sb_free(&b);
	t.ncol = 70;
	col(&c[1], "s", "varchar(5)", "varchar", 1, 2);
	col(&c[69], "v", "blob", "blob", 0, 70);
	repl_diff_sql_hash(&b, &t);
	assert_non_null(strstr(b.s, "(CRC32(CONCAT_WS('|', `i0`, "
	    "IFNULL(LENGTH(`s`), 'N'), `s`, `i2`, "));
	assert_non_null(strstr(b.s, ", `i68`, `v`)) * 4294967291 + "
	    "CRC32C(CONCAT_WS('|', `i0`, IFNULL(LENGTH(`s`), 'N'), `s`, "));
	assert_null(strstr(b.s, "'.'"));
	assert_null(strstr(b.s, "CRC32(CRC32("));
	repl_sb_free(&b);
}

/*
 * A column is hashed as an integer only where every server has it of
 * the same type (-1 and 4294967295 are the same 32 bits), as printed
 * only where it is a number or a time on every server.
 */
static void
hash_kinds_everywhere_alike(void **state)
{
	struct repl_diff_col sc[2], rc[2];
	struct repl_diff_key sk[1];
	struct repl_diff_schema s[2];
	struct repl_diff_tab t;
	struct repl_table name = { "d", "t" };

	(void)state;
	col(&sc[0], "id", "int(11)", "int", 0, 1);
	col(&sc[1], "v", "int(11)", "int", 0, 2);
	memcpy(rc, sc, sizeof(rc));
	key(&sk[0], "PRIMARY", "id", NULL);
	schema(&s[0], sc, 2, sk, 1);
	schema(&s[1], rc, 2, sk, 1);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_int_equal(t.col[1].hkind, REPL_DIFF_H_INT32);
	repl_diff_tab_free(&t);
	col(&rc[1], "v", "int(10) unsigned", "int", 0, 2);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_int_equal(t.col[0].hkind, REPL_DIFF_H_INT32);
	assert_int_equal(t.col[1].hkind, REPL_DIFF_H_PRINT);
	repl_diff_tab_free(&t);
	col(&rc[1], "v", "bigint(20)", "bigint", 0, 2);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_int_equal(t.col[1].hkind, REPL_DIFF_H_PRINT);
	repl_diff_tab_free(&t);
	col(&rc[1], "v", "varchar(9)", "varchar", 0, 2);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_int_equal(t.col[1].hkind, REPL_DIFF_H_BYTES);
	repl_diff_tab_free(&t);
	/* Nor the other way round: text on the source stays bytes. */
	col(&sc[1], "v", "varchar(9)", "varchar", 0, 2);
	col(&rc[1], "v", "int(11)", "int", 0, 2);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_int_equal(t.col[1].hkind, REPL_DIFF_H_BYTES);
	repl_diff_tab_free(&t);
}

static void
text_in_one_collation(void **state)
{
	struct repl_diff_col sc[3], rc[3];
	struct repl_diff_key sk[1];
	struct repl_diff_schema s[2];
	struct repl_diff_tab t;
	struct repl_table name = { "d", "t" };

	(void)state;
	col(&sc[0], "id", "int(11)", "int", 0, 1);
	col(&sc[1], "a", "varchar(9)", "varchar", 0, 2);
	col(&sc[2], "b", "text", "text", 1, 3);
	memcpy(rc, sc, sizeof(rc));
	snprintf(sc[1].collation, sizeof(sc[1].collation), "latin1_bin");
	snprintf(sc[2].collation, sizeof(sc[2].collation), "latin1_bin");
	snprintf(rc[1].collation, sizeof(rc[1].collation), "latin1_bin");
	snprintf(rc[2].collation, sizeof(rc[2].collation), "latin1_bin");
	key(&sk[0], "PRIMARY", "id", NULL);
	schema(&s[0], sc, 3, sk, 1);
	schema(&s[1], rc, 3, sk, 1);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_true(t.samecoll);
	repl_diff_tab_free(&t);
	/* Another collation on the replica: casts, or the query fails. */
	snprintf(rc[2].collation, sizeof(rc[2].collation), "latin1_swedish_ci");
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_false(t.samecoll);
	repl_diff_tab_free(&t);
	/* A replica without the table does not count. */
	s[1].exists = 0;
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_true(t.samecoll);
	repl_diff_tab_free(&t);
	/* Two collations on the source alone. */
	snprintf(sc[1].collation, sizeof(sc[1].collation), "latin1_german1_ci");
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 2), 0);
	assert_false(t.samecoll);
	repl_diff_tab_free(&t);
	/* Text whose collation the server does not give (none known). */
	sc[1].collation[0] = '\0';
	sc[2].collation[0] = '\0';
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 1), 0);
	assert_false(t.samecoll);
	repl_diff_tab_free(&t);
}

static void
key_choice_primary_unique_or_none(void **state)
{
	struct repl_diff_col sc[3];
	struct repl_diff_key sk[2];
	struct repl_diff_schema s[1];
	struct repl_diff_tab t;
	struct repl_table name = { "d", "t" };

	(void)state;
	col(&sc[0], "a", "int(11)", "int", 1, 1);
	col(&sc[1], "b", "int(11)", "int", 0, 2);
	col(&sc[2], "c", "int(11)", "int", 0, 3);
	/* A unique key on a nullable column is no key. */
	key(&sk[0], "ua", "a", NULL);
	key(&sk[1], "ucb", "c", "b");
	schema(&s[0], sc, 3, sk, 1);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 1), 0);
	assert_int_equal(t.nkey, 0);
	repl_diff_tab_free(&t);
	schema(&s[0], sc, 3, sk, 2);
	assert_int_equal(repl_diff_tab_make(&t, &name, s, 1), 0);
	assert_int_equal(t.nkey, 2);
	assert_int_equal(t.key[0], 2);
	assert_int_equal(t.key[1], 1);
	repl_diff_tab_free(&t);
}

static void
print_one(int mode, const struct repl_diff_rec *r, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(repl_diff_print(f, mode, r), 0);
	fclose(f);
	assert_string_equal(buf, want);
	free(buf);
}

static void
print_rows_text_json_sql(void **state)
{
	struct repl_diff_col c[4];
	struct repl_diff_tab t;
	struct repl_diff_rec r;
	char *sv[4] = { "7", "it's", "\x01\xff", NULL };
	unsigned long sl[4] = { 1, 4, 2, 0 };
	char *rv[4] = { "7", "", "\x01\xff", "2026-11-25 12:00:05" };
	unsigned long rl[4] = { 1, 0, 2, 19 };
	struct repl_diff_row src = { sv, sl }, rep = { rv, rl };

	(void)state;
	tab4(&t, c);
	memset(&r, 0, sizeof(r));
	r.replica = "db2:3306";
	r.tab = &t;
	r.what = REPL_DIFF_ROW_MISSING;
	r.src = &src;
	print_one(REPL_DIFF_OUT_TEXT, &r, "db2:3306 d.t row missing id=7\n");
	print_one(REPL_DIFF_OUT_JSON, &r, "{\"server\":\"db2:3306\","
	    "\"db\":\"d\",\"table\":\"t\",\"what\":\"row-missing\","
	    "\"key\":{\"id\":\"7\"}}\n");
	print_one(REPL_DIFF_OUT_SQL, &r, "INSERT INTO `d`.`t` (`id`, `name`, "
	    "`data`, `at`) VALUES (7, 'it''s', X'01FF', NULL);\n");
	r.what = REPL_DIFF_ROW_EXTRA;
	r.src = NULL;
	r.rep = &rep;
	print_one(REPL_DIFF_OUT_TEXT, &r, "db2:3306 d.t row extra id=7\n");
	print_one(REPL_DIFF_OUT_SQL, &r,
	    "DELETE FROM `d`.`t` WHERE (`id` = 7);\n");
	r.what = REPL_DIFF_ROW_DIFFERS;
	r.src = &src;
	print_one(REPL_DIFF_OUT_TEXT, &r,
	    "db2:3306 d.t row differs id=7 name,at\n");
	print_one(REPL_DIFF_OUT_JSON, &r, "{\"server\":\"db2:3306\","
	    "\"db\":\"d\",\"table\":\"t\",\"what\":\"row-differs\","
	    "\"key\":{\"id\":\"7\"},\"columns\":[\"name\",\"at\"]}\n");
	print_one(REPL_DIFF_OUT_SQL, &r, "UPDATE `d`.`t` SET `name` = 'it''s', "
	    "`at` = NULL WHERE (`id` = 7);\n");
	/* A binary key in JSON: hex. */
	t.key[0] = 2;
	print_one(REPL_DIFF_OUT_JSON, &r, "{\"server\":\"db2:3306\","
	    "\"db\":\"d\",\"table\":\"t\",\"what\":\"row-differs\","
	    "\"key\":{\"data\":{\"hex\":\"01ff\"}},\"columns\":[\"name\","
	    "\"at\"]}\n");
	print_one(REPL_DIFF_OUT_TEXT, &r,
	    "db2:3306 d.t row differs data=X'01FF' name,at\n");
}

static void
print_schema_lines_and_hostile_names(void **state)
{
	struct repl_diff_col c[4];
	struct repl_diff_tab t;
	struct repl_diff_rec r;

	(void)state;
	tab4(&t, c);
	snprintf(t.t.db, sizeof(t.t.db), "q`s");
	snprintf(t.t.name, sizeof(t.t.name), "a b\n");
	memset(&r, 0, sizeof(r));
	r.replica = "r";
	r.tab = &t;
	r.what = REPL_DIFF_COLUMN_TYPE;
	r.name = "tä";
	r.a = "enum('a','b')";
	r.b = "int";
	print_one(REPL_DIFF_OUT_TEXT, &r, "r `q``s`.`a b?` column type tä "
	    "'enum(''a'',''b'')' 'int'\n");
	print_one(REPL_DIFF_OUT_SQL, &r, "-- r `q``s`.`a b?` column type tä "
	    "'enum(''a'',''b'')' 'int'\n");
	print_one(REPL_DIFF_OUT_JSON, &r, "{\"server\":\"r\",\"db\":\"q`s\","
	    "\"table\":\"a b\\u000a\",\"what\":\"column-type\","
	    "\"column\":\"tä\",\"source\":\"enum('a','b')\","
	    "\"replica\":\"int\"}\n");
	r.what = REPL_DIFF_NOKEY;
	print_one(REPL_DIFF_OUT_TEXT, &r, "r `q``s`.`a b?` checksum differs "
	    "(no usable key: no row detail)\n");
	print_one(REPL_DIFF_OUT_JSON, &r, "{\"server\":\"r\",\"db\":\"q`s\","
	    "\"table\":\"a b\\u000a\",\"what\":\"checksum-differs\"}\n");
}

static void
print_reports_write_errors(void **state)
{
	struct repl_diff_col c[4];
	struct repl_diff_tab t;
	struct repl_diff_rec r;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (f == NULL)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	tab4(&t, c);
	memset(&r, 0, sizeof(r));
	r.replica = "r";
	r.tab = &t;
	r.what = REPL_DIFF_TABLE_MISSING;
	assert_int_equal(repl_diff_print(f, REPL_DIFF_OUT_TEXT, &r), -1);
	fclose(f);
}

/* A table whose key is one integer column, signed or not. */
struct ikey {
	struct repl_diff_col col[2];
	struct repl_diff_tab tab;
	struct ctx x;
};

static struct ctx *
ikey(struct ikey *k, int uns)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->col[0].name, sizeof(k->col[0].name), "id");
	snprintf(k->col[0].type, sizeof(k->col[0].type), "bigint(20)%s",
	    uns ? " unsigned" : "");
	k->col[0].ctype = REPL_DIFF_NUM;
	snprintf(k->col[1].name, sizeof(k->col[1].name), "v");
	snprintf(k->col[1].type, sizeof(k->col[1].type), "text");
	k->tab.col = k->col;
	k->tab.ncol = 2;
	k->tab.nkey = 1;
	k->x.tab = &k->tab;
	k->x.intkey = 1;
	k->x.uns = uns;
	return &k->x;
}

/* A row of ikey's table with key v; free with repl_diff_row_free. */
static struct repl_diff_row
irow(const char *v)
{
	struct repl_diff_row r = { 0 };

	assert_int_equal(repl_diff_row_alloc(&r, 2), 0);
	assert_int_equal(repl_diff_val_set(&r, 0, v, strlen(v)), 0);
	return r;
}

#define STEP_IS(uns, lo, bound, step, want, wantlast) \
	step_is(__FILE__, __LINE__, (uns), (lo), (bound), (step), (want), \
	    (wantlast))

static void
step_is(const char *file, int line, int uns, const char *lo,
    const char *bound, unsigned long long step, const char *want,
    int wantlast)
{
	struct ikey k;
	struct ctx *x = ikey(&k, uns);
	struct repl_diff_row l = irow(lo), b = irow(bound), h = irow("");
	int last = -1;

	_assert_int_equal(repl_diff_key_step(x, &l, &b, step, &h, &last), 0,
	    file, line);
	_assert_string_equal(h.val[0], want, file, line);
	_assert_int_equal(h.len[0], strlen(want), file, line);
	_assert_int_equal(last, wantlast, file, line);
	repl_diff_row_free(&l, 2);
	repl_diff_row_free(&b, 2);
	repl_diff_row_free(&h, 2);
}

static unsigned long long
span(int uns, const char *lo, const char *hi)
{
	struct ikey k;
	struct ctx *x = ikey(&k, uns);
	struct repl_diff_row l = irow(lo), h = irow(hi);
	unsigned long long n;

	n = repl_diff_key_span(x, &l, &h);
	repl_diff_row_free(&l, 2);
	repl_diff_row_free(&h, 2);
	return n;
}

#define LLMIN "-9223372036854775808"
#define LLMAX "9223372036854775807"
#define ULLMAX "18446744073709551615"

static void
key_steps_at_the_edges(void **state)
{
	(void)state;
	/* Unsigned: up to ULLONG_MAX, never past the bound. */
	STEP_IS(1, "0", ULLMAX, 1000, "1000", 0);
	STEP_IS(1, "0", ULLMAX, ULLONG_MAX / 16 + 1, "1152921504606846976", 0);
	STEP_IS(1, "0", ULLMAX, ULLONG_MAX - 1, "18446744073709551614", 0);
	STEP_IS(1, "0", ULLMAX, ULLONG_MAX, ULLMAX, 1);
	STEP_IS(1, "18446744073709550614", ULLMAX, 1000,
	    "18446744073709551614", 0);
	STEP_IS(1, "18446744073709550615", ULLMAX, 1000, ULLMAX, 1);
	STEP_IS(1, "18446744073709551614", ULLMAX, 1, ULLMAX, 1);
	STEP_IS(1, ULLMAX, ULLMAX, 1, ULLMAX, 1);
	/* Above the bound already (the table shrank): the bound, last. */
	STEP_IS(1, "7", "5", 1, "5", 1);
	/* Signed: from LLONG_MIN to LLONG_MAX is ULLONG_MAX apart. */
	STEP_IS(0, LLMIN, LLMAX, 1000, "-9223372036854774808", 0);
	/* The first chunk: lo = first - 1, as first - 1 + (step - 1). */
	STEP_IS(0, LLMIN, LLMAX, 999, "-9223372036854774809", 0);
	STEP_IS(0, LLMIN, LLMAX, ULLONG_MAX / 16 + 1, "-8070450532247928832",
	    0);
	STEP_IS(0, LLMIN, LLMAX, 1ULL << 63, "0", 0);
	STEP_IS(0, LLMIN, LLMAX, ULLONG_MAX - 1, "9223372036854775806", 0);
	STEP_IS(0, LLMIN, LLMAX, ULLONG_MAX, LLMAX, 1);
	STEP_IS(0, "-1", "1", 1, "0", 0);
	STEP_IS(0, "-1", "1", 2, "1", 1);
	STEP_IS(0, "9223372036854775806", LLMAX, 1, LLMAX, 1);
	STEP_IS(0, "-5", "-5", 1, "-5", 1);
	STEP_IS(0, "3", "-3", 1, "-3", 1);
}

static void
key_spans_at_the_edges(void **state)
{
	(void)state;
	assert_true(span(1, "0", ULLMAX) == ULLONG_MAX);
	assert_true(span(1, "18446744073709551614", ULLMAX) == 1);
	assert_true(span(1, "5", "5") == 0);
	assert_true(span(0, LLMIN, LLMAX) == ULLONG_MAX);
	assert_true(span(0, LLMIN, "-1") == (unsigned long long)LLONG_MAX);
	assert_true(span(0, "-1", LLMAX) == (unsigned long long)LLONG_MAX + 1);
	assert_true(span(0, "-5", "5") == 10);
	/* A range of the whole signed key cut in 16, as narrowing does. */
	assert_true(span(0, LLMIN, LLMAX) / 16 + 1 == 1ULL << 60);
}

static int
vcmp(enum repl_diff_ctype ct, const char *a, const char *b)
{
	struct repl_diff_col c;
	int r;

	memset(&c, 0, sizeof(c));
	c.ctype = ct;
	r = repl_diff_val_cmp(&c, a, strlen(a), b, strlen(b));
	return r < 0 ? -1 : r > 0;
}

static void
key_values_in_order(void **state)
{
	(void)state;
	/* Numbers by value, not as text. */
	assert_int_equal(vcmp(REPL_DIFF_NUM, "9", "10"), -1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, "-1", "-2"), 1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, "42", "42"), 0);
	assert_int_equal(vcmp(REPL_DIFF_NUM, LLMIN, LLMAX), -1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, LLMIN, "-9223372036854775807"),
	    -1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, ULLMAX, "18446744073709551614"),
	    1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, LLMAX, ULLMAX), -1);
	/* Decimals and floats. */
	assert_int_equal(vcmp(REPL_DIFF_NUM, "2.50", "10.00"), -1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, "-0.01", "0.00"), -1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, "1e3", "999"), 1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, "1.5e-300", "0"), 1);
	/* Past a long double's digits, equal values end by their bytes. */
	assert_int_equal(vcmp(REPL_DIFF_NUM,
	    "12345678901234567890.123456789012345678901234567890",
	    "12345678901234567890.123456789012345678901234567891"), -1);
	assert_int_equal(vcmp(REPL_DIFF_NUM, "99999999999999999999.99",
	    "99999999999999999999.99"), 0);
	/* Anything else by bytes; a prefix first. */
	assert_int_equal(vcmp(REPL_DIFF_TEXT, "b", "a"), 1);
	assert_int_equal(vcmp(REPL_DIFF_TEXT, "a", "ab"), -1);
	assert_int_equal(vcmp(REPL_DIFF_TEXT, "10", "9"), -1);
	assert_int_equal(vcmp(REPL_DIFF_BIN, "\xff", "\x01"), 1);
}

/* A listing of ikey's table: key, then the row's hash. */
struct listing {
	char *v[8][2];
	unsigned long len[8][2];
	struct item it[8];
	size_t n;
};

static struct item *
listing(struct listing *l, const char *const *kv)
{
	memset(l, 0, sizeof(*l));
	for (; kv[0] != NULL; kv += 2, l->n++) {
		l->v[l->n][0] = (char *)kv[0];
		l->len[l->n][0] = strlen(kv[0]);
		l->v[l->n][1] = (char *)kv[1];
		l->len[l->n][1] = kv[1] ? strlen(kv[1]) : 0;
		l->it[l->n].v = l->v[l->n];
		l->it[l->n].len = l->len[l->n];
	}
	return l->it;
}

static void
listings_merged(void **state)
{
	static const char *const src[] = { "-1", "h", "1", "h1", "2", "h2",
	    "3", "h3", "10", NULL, NULL };
	static const char *const rep[] = { "1", "h1", "2", "x2", "4", "h4",
	    "10", NULL, ULLMAX, "hm", NULL };
	struct listing a, b;
	struct ikey k;
	struct found *f = NULL;
	size_t nf = 0;

	(void)state;
	ikey(&k, 0);
	listing(&a, src);
	listing(&b, rep);
	assert_int_equal(repl_diff_merge(&k.tab, a.it, a.n, b.it, b.n, 0, &f,
	    &nf), 0);
	/* In key order; a NULL hash is never the same. */
	assert_int_equal(nf, 6);
	assert_int_equal(f[0].what, REPL_DIFF_ROW_MISSING);
	assert_string_equal(f[0].key.val[0], "-1");
	assert_int_equal(f[1].what, REPL_DIFF_ROW_DIFFERS);
	assert_string_equal(f[1].key.val[0], "2");
	assert_int_equal(f[2].what, REPL_DIFF_ROW_MISSING);
	assert_string_equal(f[2].key.val[0], "3");
	assert_int_equal(f[3].what, REPL_DIFF_ROW_EXTRA);
	assert_string_equal(f[3].key.val[0], "4");
	assert_int_equal(f[4].what, REPL_DIFF_ROW_DIFFERS);
	assert_string_equal(f[4].key.val[0], "10");
	assert_int_equal(f[5].what, REPL_DIFF_ROW_EXTRA);
	assert_string_equal(f[5].key.val[0], ULLMAX);
	assert_null(f[5].key.val[1]);
	repl_diff_found_free(f, nf, k.tab.ncol);
	/* The tail: only what the replica has and the source has not. */
	f = NULL;
	nf = 0;
	assert_int_equal(repl_diff_merge(&k.tab, a.it, a.n, b.it, b.n, 1, &f,
	    &nf), 0);
	assert_int_equal(nf, 2);
	assert_string_equal(f[0].key.val[0], "4");
	assert_string_equal(f[1].key.val[0], ULLMAX);
	repl_diff_found_free(f, nf, k.tab.ncol);
	/* Empty on either side. */
	f = NULL;
	nf = 0;
	assert_int_equal(repl_diff_merge(&k.tab, a.it, 0, b.it, b.n, 0, &f,
	    &nf), 0);
	assert_int_equal(nf, b.n);
	repl_diff_found_free(f, nf, k.tab.ncol);
	f = NULL;
	nf = 0;
	assert_int_equal(repl_diff_merge(&k.tab, a.it, a.n, b.it, 0, 1, &f,
	    &nf), 0);
	assert_int_equal(nf, 0);
	repl_diff_found_free(f, nf, k.tab.ncol);
}

/* The next chunk's key distance never wraps to 0 near the key's ends. */
static void
next_steps_saturate(void **state)
{
	unsigned long long step = 1000;
	int i;

	(void)state;
	/* At the density of the last chunk: 1000 rows over 5000 keys. */
	assert_true(repl_diff_next_step(1000, 1000, 5000, 1000) == 5001);
	/* Empty chunks: four times, then ULLONG_MAX, never 0. */
	for (i = 0; i < 40; i++) {
		step = repl_diff_next_step(step, 1000, 0, 0);
		assert_true(step != 0);
	}
	assert_true(step == ULLONG_MAX);
	assert_true(repl_diff_next_step(0, 1000, 0, 0) == 1);
	assert_true(repl_diff_next_step(ULLONG_MAX / 4 + 1, 10, 0, 0) ==
	    ULLONG_MAX);
	/* One row over almost the whole key range: no overflow to 0. */
	assert_true(repl_diff_next_step(1, 4000, 4611686018427387904ULL, 1) ==
	    ULLONG_MAX);
	assert_true(repl_diff_next_step(1, 4000, ULLONG_MAX, 1) == ULLONG_MAX);
	assert_true(repl_diff_next_step(1, 1, ULLONG_MAX - 2, 1) != 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literals_escape_every_value),
		cmocka_unit_test(ctypes_by_data_type),
		cmocka_unit_test(hashes_delimit_and_mark_null),
		cmocka_unit_test(hashes_of_integers_and_text),
		cmocka_unit_test(hashes_of_wide_tables),
		cmocka_unit_test(hash_kinds_everywhere_alike),
		cmocka_unit_test(text_in_one_collation),
		cmocka_unit_test(crc32c_by_flavor),
		cmocka_unit_test(ranges_of_one_and_two_columns),
		cmocka_unit_test(schema_dropped_column_and_common_columns),
		cmocka_unit_test(schema_types_order_keys_tables),
		cmocka_unit_test(key_choice_primary_unique_or_none),
		cmocka_unit_test(print_rows_text_json_sql),
		cmocka_unit_test(print_schema_lines_and_hostile_names),
		cmocka_unit_test(print_reports_write_errors),
		cmocka_unit_test(key_steps_at_the_edges),
		cmocka_unit_test(key_spans_at_the_edges),
		cmocka_unit_test(next_steps_saturate),
		cmocka_unit_test(key_values_in_order),
		cmocka_unit_test(listings_merged),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-diff", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
