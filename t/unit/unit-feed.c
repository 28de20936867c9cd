/*
 * Unit tests for repl-feed's library: payloads, the INSERT text, the
 * sort key of a line and the order in which the lines of several
 * writers go out.
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

static void
payload_is_alphanumeric_and_follows_the_seed(void **state)
{
	char a[1001], b[1001];
	uint64_t s1 = 42, s2 = 42, s3 = 43;

	(void)state;
	repl_feed_payload(a, 1000, &s1);
	repl_feed_payload(b, 1000, &s2);
	a[1000] = b[1000] = '\0';
	assert_int_equal(strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789"),
	    1000);
	assert_string_equal(a, b);
	assert_true(s1 == s2 && s1 != 42);
	repl_feed_payload(b, 1000, &s3);
	assert_true(memcmp(a, b, 1000) != 0);
	/* Every character of the alphabet shows up. */
	assert_non_null(strchr(a, 'a'));
	assert_non_null(strchr(a, 'z'));
	assert_non_null(strchr(a, '0'));
	assert_non_null(strchr(a, '9'));
}

static void
payload_of_odd_lengths_writes_no_more(void **state)
{
	char buf[16];
	uint64_t s = 7;

	(void)state;
	memset(buf, '#', sizeof(buf));
	repl_feed_payload(buf, 5, &s);
	assert_int_equal(strspn(buf, "abcdefghijklmnopqrstuvwxyz0123456789"),
	    5);
	assert_int_equal(buf[5], '#');
	repl_feed_payload(buf, 0, &s);
	assert_int_equal(buf[5], '#');
}

static void
seeds_differ_and_are_never_zero(void **state)
{
	uint64_t a = repl_feed_seed(0), b = repl_feed_seed(0),
	    c = repl_feed_seed(1);

	(void)state;
	assert_true(a != 0 && b != 0 && c != 0);
	assert_true(a != b && a != c && b != c);
}

static void
insert_text_quotes_names_and_rows(void **state)
{
	struct repl_table t = { "d-1", "t`x" };
	char buf[2048];
	int r;

	(void)state;
	r = repl_feed_sql_insert(buf, sizeof(buf), &t, 2, 3, "abc123");
	assert_string_equal(buf, "INSERT INTO `d-1`.`t``x` (payload) VALUES "
	    "('abc'),('123')");
	assert_int_equal(r, strlen(buf));
	r = repl_feed_sql_insert(buf, sizeof(buf), &t, 1, 1, "z");
	assert_string_equal(buf, "INSERT INTO `d-1`.`t``x` (payload) VALUES "
	    "('z')");
}

static void
insert_refuses_no_rows_and_small_buffers(void **state)
{
	struct repl_table t = { "replkit", "feed" };
	char buf[2048];

	(void)state;
	assert_int_equal(repl_feed_sql_insert(buf, sizeof(buf), &t, 0, 3,
	    "abc"), -1);
	assert_int_equal(repl_feed_sql_insert(buf,
	    repl_feed_sql_insert_size(2, 3) - 1, &t, 2, 3, "abcdef"), -1);
	assert_true(repl_feed_sql_insert(buf, repl_feed_sql_insert_size(2, 3),
	    &t, 2, 3, "abcdef") > 0);
}

static void
create_table_text(void **state)
{
	struct repl_table t = { "replkit", "feed" };
	char buf[512];

	(void)state;
	assert_true(repl_feed_sql_create_db(buf, sizeof(buf), &t) > 0);
	assert_string_equal(buf, "CREATE DATABASE IF NOT EXISTS `replkit`");
	assert_true(repl_feed_sql_create_table(buf, sizeof(buf), &t, 100) > 0);
	assert_string_equal(buf, "CREATE TABLE IF NOT EXISTS "
	    "`replkit`.`feed` (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
	    "payload VARBINARY(100) NOT NULL, ts TIMESTAMP(6) NOT NULL "
	    "DEFAULT CURRENT_TIMESTAMP(6))");
	assert_int_equal(repl_feed_sql_create_table(buf, 20, &t, 100), -1);
}

/* A line of flavor fl with gtid g, or file f and pos p. */
static struct repl_coord *
line(enum repl_flavor fl, const char *g, const char *f,
    unsigned long long p)
{
	struct repl_coord *co = calloc(1, sizeof(*co));

	assert_non_null(co);
	co->flavor = fl;
	snprintf(co->gtid, sizeof(co->gtid), "%s", g);
	co->has_gtid = g[0] != '\0';
	snprintf(co->file, sizeof(co->file), "%s", f);
	co->pos = p;
	return co;
}

static struct repl_coord *
ma(unsigned long long seq)
{
	char g[32];

	snprintf(g, sizeof(g), "0-1-%llu", seq);
	return line(REPL_FLAVOR_MARIADB, g, "", 0);
}

static void
line_keys(void **state)
{
	struct repl_coord *co;

	(void)state;
	co = ma(42);
	assert_int_equal(repl_feed_line_key(co), 42);
	free(co);
	co = line(REPL_FLAVOR_MARIADB, "11-2-18446744073709551615", "", 0);
	assert_true(repl_feed_line_key(co) == UINT64_MAX);
	free(co);
	co = line(REPL_FLAVOR_MYSQL,
	    "3e11fa47-71ca-11e1-9e33-c80aa9429562:17", "", 0);
	assert_int_equal(repl_feed_line_key(co), 17);
	free(co);
	/* A MySQL set is no single sequence number: the position is. */
	co = line(REPL_FLAVOR_MYSQL,
	    "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-17", "mysql-bin.000003",
	    1494);
	assert_true(repl_feed_line_key(co) == ((3ULL << 40) | 1494));
	free(co);
	co = line(REPL_FLAVOR_MYSQL, "", "", 0);
	assert_int_equal(repl_feed_line_key(co), 0);
	free(co);
}

#define UUID "3e11fa47-71ca-11e1-9e33-c80aa9429562"

static int
own(const char *d, size_t len, char *g, size_t n)
{
	return repl_feed_own_gtid(d, len, g, n);
}

static void
mysql_own_gtid_from_the_ok_packet(void **state)
{
	char g[128];
	static const char withspec[] = "\0\051" UUID ":17";

	(void)state;
	assert_int_equal(own(withspec, sizeof(withspec) - 1, g, sizeof(g)), 0);
	assert_string_equal(g, UUID ":17");
	assert_int_equal(own(UUID ":1", strlen(UUID ":1"), g, sizeof(g)), 0);
	assert_string_equal(g, UUID ":1");
	/* Sets, ranges, tags, bad uuids, nothing: not one commit. */
	assert_int_equal(own(UUID ":1-5", strlen(UUID ":1-5"), g, sizeof(g)),
	    -1);
	assert_int_equal(own(UUID ":1," UUID ":2", strlen(UUID ":1," UUID ":2"),
	    g, sizeof(g)), -1);
	assert_int_equal(own(UUID ":tag:3", strlen(UUID ":tag:3"), g,
	    sizeof(g)), -1);
	assert_int_equal(own(UUID ":", strlen(UUID ":"), g, sizeof(g)), -1);
	assert_int_equal(own("3e11fa47-71ca-11e1-9e33-c80aa942956:12",
	    strlen("3e11fa47-71ca-11e1-9e33-c80aa942956:12"), g, sizeof(g)),
	    -1);
	assert_int_equal(own("", 0, g, sizeof(g)), -1);
	assert_int_equal(own(UUID ":17", strlen(UUID ":17"), g, 39), -1);
	assert_int_equal(own(UUID ":17", strlen(UUID ":17"), g, 40), 0);
}

/* The sequence number of the next line out, or 0 when none can go. */
static unsigned long long
next_seq(struct repl_feed_order *o)
{
	struct repl_coord *co = repl_feed_order_next(o);
	unsigned long long k;

	if (co == NULL)
		return 0;
	k = repl_feed_line_key(co);
	free(co);
	return k;
}

static void
one_writer_prints_at_once(void **state)
{
	struct repl_feed_order o;

	(void)state;
	assert_int_equal(repl_feed_order_init(&o, 1), 0);
	assert_int_equal(next_seq(&o), 0);
	repl_feed_order_send(&o, 0);
	assert_int_equal(repl_feed_order_done(&o, 0, ma(5)), 0);
	assert_int_equal(next_seq(&o), 5);
	assert_int_equal(next_seq(&o), 0);
	repl_feed_order_send(&o, 0);
	assert_int_equal(repl_feed_order_done(&o, 0, NULL), 0);
	assert_int_equal(next_seq(&o), 0);
	repl_feed_order_free(&o);
}

static void
a_line_waits_for_a_statement_sent_before_it(void **state)
{
	struct repl_feed_order o;

	(void)state;
	assert_int_equal(repl_feed_order_init(&o, 2), 0);
	repl_feed_order_send(&o, 0);
	repl_feed_order_send(&o, 1);
	/* 1 answers first; 0 may still commit before it. */
	assert_int_equal(repl_feed_order_done(&o, 1, ma(11)), 0);
	assert_int_equal(next_seq(&o), 0);
	/* 1 sends again: that one commits after 11, not in the way. */
	repl_feed_order_send(&o, 1);
	assert_int_equal(next_seq(&o), 0);
	assert_int_equal(repl_feed_order_done(&o, 0, ma(10)), 0);
	assert_int_equal(next_seq(&o), 10);
	assert_int_equal(next_seq(&o), 11);
	assert_int_equal(next_seq(&o), 0);
	assert_int_equal(repl_feed_order_done(&o, 1, ma(12)), 0);
	assert_int_equal(next_seq(&o), 12);
	repl_feed_order_free(&o);
}

static void
a_statement_sent_after_a_line_does_not_hold_it(void **state)
{
	struct repl_feed_order o;

	(void)state;
	assert_int_equal(repl_feed_order_init(&o, 3), 0);
	repl_feed_order_send(&o, 0);
	assert_int_equal(repl_feed_order_done(&o, 0, ma(20)), 0);
	repl_feed_order_send(&o, 1);
	repl_feed_order_send(&o, 2);
	assert_int_equal(next_seq(&o), 20);
	/* 2 answers before 1: held until 1 answers, even with a failure. */
	assert_int_equal(repl_feed_order_done(&o, 2, ma(22)), 0);
	assert_int_equal(next_seq(&o), 0);
	assert_int_equal(repl_feed_order_done(&o, 1, NULL), 0);
	assert_int_equal(next_seq(&o), 22);
	repl_feed_order_free(&o);
}

static void
lines_go_out_in_key_order_whatever_the_answers(void **state)
{
	static const unsigned long long seq[] = { 7, 3, 9, 1, 8, 2 };
	struct repl_feed_order o;
	unsigned long long prev = 0, k;
	size_t i, n = 0;

	(void)state;
	assert_int_equal(repl_feed_order_init(&o, 6), 0);
	for (i = 0; i < 6; i++)
		repl_feed_order_send(&o, i);
	for (i = 0; i < 6; i++) {
		assert_int_equal(repl_feed_order_done(&o, i, ma(seq[i])), 0);
		if (i < 5)
			assert_int_equal(next_seq(&o), 0);
	}
	while ((k = next_seq(&o)) != 0) {
		assert_true(k > prev);
		prev = k;
		n++;
	}
	assert_int_equal(n, 6);
	assert_int_equal(prev, 9);
	repl_feed_order_free(&o);
}

static void
free_releases_held_lines(void **state)
{
	struct repl_feed_order o;

	(void)state;
	assert_int_equal(repl_feed_order_init(&o, 2), 0);
	repl_feed_order_send(&o, 0);
	repl_feed_order_send(&o, 1);
	assert_int_equal(repl_feed_order_done(&o, 1, ma(3)), 0);
	assert_int_equal(next_seq(&o), 0);
	/* Under ASan, a leak here fails the test. */
	repl_feed_order_free(&o);
	assert_null(o.line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(payload_is_alphanumeric_and_follows_the_seed),
		cmocka_unit_test(payload_of_odd_lengths_writes_no_more),
		cmocka_unit_test(seeds_differ_and_are_never_zero),
		cmocka_unit_test(insert_text_quotes_names_and_rows),
		cmocka_unit_test(insert_refuses_no_rows_and_small_buffers),
		cmocka_unit_test(create_table_text),
		cmocka_unit_test(line_keys),
		cmocka_unit_test(mysql_own_gtid_from_the_ok_packet),
		cmocka_unit_test(one_writer_prints_at_once),
		cmocka_unit_test(a_line_waits_for_a_statement_sent_before_it),
		cmocka_unit_test(a_statement_sent_after_a_line_does_not_hold_it),
		cmocka_unit_test(lines_go_out_in_key_order_whatever_the_answers),
		cmocka_unit_test(free_releases_held_lines),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-feed", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
