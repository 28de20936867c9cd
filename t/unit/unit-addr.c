/* Unit tests for server operands: repl_addr_parse, repl_host_valid, format. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)

/* Check at the caller's line, so a failure names the input. */
#define ADDR_OK(in, host, port, sock) \
	addr_ok(__FILE__, __LINE__, (in), (host), (port), (sock))
#define ADDR_BAD(in) addr_bad(__FILE__, __LINE__, (in))
#define HOST_VALID(in, want) \
	_assert_int_equal(I(repl_host_valid(in)), I(want), __FILE__, __LINE__)
#define ROUND_TRIP(in) round_trip(__FILE__, __LINE__, (in), (in))
#define FORMATS_AS(in, out) round_trip(__FILE__, __LINE__, (in), (out))

static void
addr_ok(const char *file, int line, const char *in, const char *host,
    unsigned int port, const char *sock)
{
	struct repl_addr a;
	struct repl_err err;

	repl_err_clear(&err);
	_assert_string_equal(repl_addr_parse(&a, in, &err) == 0 ? "accepted" :
	    err.msg, "accepted", file, line);
	_assert_string_equal(a.host, host, file, line);
	_assert_int_equal(I(a.port), I(port), file, line);
	_assert_string_equal(a.socket, sock, file, line);
}

static void
addr_bad(const char *file, int line, const char *in)
{
	struct repl_addr a;
	struct repl_err err;

	repl_err_clear(&err);
	_assert_int_equal(I(repl_addr_parse(&a, in, &err)), I(-1), file, line);
	_assert_int_equal(I(err.kind), I(REPL_E_PERM), file, line);
}

/*
 * Parse in, format it, and compare with out; the formatted operand must
 * parse back to the same address.
 */
static void
round_trip(const char *file, int line, const char *in, const char *out)
{
	struct repl_addr a, b;
	struct repl_err err;
	char buf[REPL_PATH_MAX + REPL_HOST_MAX + 16];

	repl_err_clear(&err);
	_assert_string_equal(repl_addr_parse(&a, in, &err) == 0 ? "accepted" :
	    err.msg, "accepted", file, line);
	_assert_int_equal(I(repl_addr_format(buf, sizeof(buf), &a)),
	    I(strlen(out)), file, line);
	_assert_string_equal(buf, out, file, line);
	_assert_string_equal(repl_addr_parse(&b, buf, &err) == 0 ? "accepted" :
	    err.msg, "accepted", file, line);
	_assert_memory_equal(&a, &b, sizeof(a), file, line);
}

/* A string of n copies of c, then tail, in buf. */
static const char *
repeat(char *buf, size_t n, char c, const char *tail)
{
	memset(buf, c, n);
	strcpy(buf + n, tail);
	return buf;
}

static void
host_alone_gets_default_port_3306(void **state)
{
	(void)state;
	ADDR_OK("db1", "db1", 3306, "");
	ADDR_OK("localhost", "localhost", 3306, "");
	ADDR_OK("10.0.0.7", "10.0.0.7", 3306, "");
	ADDR_OK("db1.example.com", "db1.example.com", 3306, "");
	ADDR_OK("a", "a", 3306, "");
}

static void
host_colon_port_sets_port(void **state)
{
	(void)state;
	ADDR_OK("db1:3307", "db1", 3307, "");
	ADDR_OK("10.0.0.7:1", "10.0.0.7", 1, "");
	ADDR_OK("db.example.com:65535", "db.example.com", 65535, "");
	ADDR_OK("db1:3306", "db1", 3306, "");
}

static void
bracketed_ipv6_with_and_without_port(void **state)
{
	(void)state;
	ADDR_OK("[::1]:3307", "::1", 3307, "");
	ADDR_OK("[::1]", "::1", 3306, "");
	ADDR_OK("[2001:db8::7]:65535", "2001:db8::7", 65535, "");
	ADDR_OK("[fe80::1:2]:1", "fe80::1:2", 1, "");
	ADDR_OK("[::ffff:10.0.0.1]:3306", "::ffff:10.0.0.1", 3306, "");
	ADDR_OK("[2001:DB8:0:0:0:0:0:1]", "2001:DB8:0:0:0:0:0:1", 3306, "");
}

static void
bare_ipv6_takes_default_port(void **state)
{
	(void)state;
	ADDR_OK("::1", "::1", 3306, "");
	ADDR_OK("2001:db8::1", "2001:db8::1", 3306, "");
	ADDR_OK("fe80::1", "fe80::1", 3306, "");
	ADDR_OK("::ffff:192.0.2.1", "::ffff:192.0.2.1", 3306, "");
}

static void
slash_path_is_a_socket_on_localhost(void **state)
{
	(void)state;
	ADDR_OK("/run/mysqld/mysqld.sock", "localhost", 3306,
	    "/run/mysqld/mysqld.sock");
	ADDR_OK("/tmp/my sql;'.sock", "localhost", 3306, "/tmp/my sql;'.sock");
}

static void
socket_path_of_107_bytes_accepted_108_refused(void **state)
{
	char path[REPL_PATH_MAX + 2];

	(void)state;
	path[0] = '/';
	repeat(path + 1, REPL_PATH_MAX - 1, 's', "");
	assert_int_equal(strlen(path), 107);
	ADDR_OK(path, "localhost", 3306, path);
	repeat(path + 1, REPL_PATH_MAX, 's', "");
	assert_int_equal(strlen(path), 108);
	ADDR_BAD(path);
}

static void
port_0_and_above_65535_refused(void **state)
{
	(void)state;
	ADDR_BAD("db:0");
	ADDR_BAD("db:00000");
	ADDR_BAD("db:65536");
	ADDR_BAD("db:99999");
	ADDR_BAD("db:123456");
	ADDR_BAD("db:4294970602");
	ADDR_BAD("[::1]:0");
	ADDR_BAD("[::1]:65536");
}

static void
port_not_a_decimal_number_refused(void **state)
{
	(void)state;
	ADDR_BAD("db:abc");
	ADDR_BAD("db:");
	ADDR_BAD("db:+1");
	ADDR_BAD("db:-1");
	ADDR_BAD("db: 1");
	ADDR_BAD("db:1 ");
	ADDR_BAD("db:3306x");
	ADDR_BAD("db:0x10");
	ADDR_BAD("db:1.5");
	ADDR_BAD("[::1]:");
	ADDR_BAD("[::1]:x");
}

static void
empty_host_refused(void **state)
{
	(void)state;
	ADDR_BAD("");
	ADDR_BAD(":3306");
	ADDR_BAD("[]");
	ADDR_BAD("[]:3306");
}

static void
hostnames_with_underscore_and_hyphen_accepted(void **state)
{
	(void)state;
	ADDR_OK("db_1", "db_1", 3306, "");
	ADDR_OK("db-1", "db-1", 3306, "");
	ADDR_OK("my-db.svc_internal.example:3310",
	    "my-db.svc_internal.example", 3310, "");
	ADDR_OK("_mysql._tcp.example", "_mysql._tcp.example", 3306, "");
}

static void
label_of_63_accepted_64_refused(void **state)
{
	char host[128];

	(void)state;
	ADDR_OK(repeat(host, 63, 'a', ".example"), host, 3306, "");
	ADDR_BAD(repeat(host, 64, 'a', ".example"));
	ADDR_OK(repeat(host, 63, 'a', ""), host, 3306, "");
	ADDR_BAD(repeat(host, 64, 'a', ""));
}

static void
name_of_253_accepted_254_refused(void **state)
{
	char host[300];
	size_t i;

	(void)state;
	/* 50 labels "abcd." then three more bytes: 253. */
	for (i = 0; i < 50; i++)
		memcpy(host + 5 * i, "abcd.", 5);
	strcpy(host + 250, "xyz");
	assert_int_equal(strlen(host), 253);
	ADDR_OK(host, host, 3306, "");
	strcpy(host + 250, "wxyz");
	ADDR_BAD(host);
}

static void
invalid_characters_in_host_refused(void **state)
{
	(void)state;
	ADDR_BAD("db 1");
	ADDR_BAD(" db1");
	ADDR_BAD("db1 ");
	ADDR_BAD("db'1");
	ADDR_BAD("db\"1");
	ADDR_BAD("db;1");
	ADDR_BAD("db1;DROP TABLE t");
	ADDR_BAD("db`1");
	ADDR_BAD("db\\1");
	ADDR_BAD("db@1");
	ADDR_BAD("db/1");
	ADDR_BAD("db\t1");
	ADDR_BAD("db1\n");
	ADDR_BAD("db\xc3\xa9");
	ADDR_BAD("db%1:3306");
}

static void
misplaced_dots_and_leading_hyphen_refused(void **state)
{
	(void)state;
	ADDR_BAD(".db");
	ADDR_BAD("db.");
	ADDR_BAD("db..example");
	ADDR_BAD(".");
	ADDR_BAD("-db");
}

static void
unterminated_bracket_refused(void **state)
{
	(void)state;
	ADDR_BAD("[::1");
	ADDR_BAD("[::1:3306");
	ADDR_BAD("[");
}

static void
garbage_after_closing_bracket_refused(void **state)
{
	(void)state;
	ADDR_BAD("[::1]x");
	ADDR_BAD("[::1]3306");
	ADDR_BAD("[::1]:3306x");
	ADDR_BAD("[::1]]");
	ADDR_BAD("[::1] ");
	ADDR_BAD("[::1]:3306:1");
}

static void
brackets_hold_only_ipv6(void **state)
{
	(void)state;
	ADDR_BAD("[db1]:3306");
	ADDR_BAD("[10.0.0.1]:3306");
	ADDR_BAD("[fe80::1%eth0]:3306");
	ADDR_BAD("[::1']:3306");
	ADDR_BAD("[1:2]");
}

/*
 * Only real IPv6 addresses (as inet_pton(3) reads them) pass for one:
 * "db1:3306:" is a typo, and taking it for an address turns a usage error
 * (exit 2) into a connection failure (exit 3, "retry may help").
 */
static void
ipv6_must_be_a_real_address(void **state)
{
	(void)state;
	ADDR_BAD("db1:3306:");
	ADDR_BAD("db1:3306:3307");
	ADDR_BAD("dead:beef:cafe");
	ADDR_BAD(":::");
	ADDR_BAD("::1::");
	ADDR_BAD("12345::1");
	ADDR_BAD("1.2.3.4::");
	ADDR_BAD("[:::]:3306");
	ADDR_BAD("[db1:3306:]:3306");
	HOST_VALID(":::", 0);
	HOST_VALID("db1:3306:", 0);
}

static void
refusal_is_permanent_error_quoting_operand(void **state)
{
	struct repl_addr a;
	struct repl_err err;

	(void)state;
	repl_err_clear(&err);
	assert_int_equal(repl_addr_parse(&a, "db:0", &err), -1);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_int_equal(repl_err_exit(&err), REPL_EXIT_USAGE);
	assert_string_equal(err.msg, "invalid server 'db:0': expected "
	    "host[:port], [ipv6]:port or /path/to/socket");
}

static void
parse_resets_fields_of_previous_operand(void **state)
{
	struct repl_addr a;
	struct repl_err err;

	(void)state;
	repl_err_clear(&err);
	assert_int_equal(repl_addr_parse(&a, "/tmp/mysql.sock", &err), 0);
	assert_int_equal(repl_addr_parse(&a, "db1:3307", &err), 0);
	assert_string_equal(a.socket, "");
	assert_string_equal(a.host, "db1");
	assert_int_equal(a.port, 3307);
	assert_int_equal(repl_addr_parse(&a, "db2", &err), 0);
	assert_int_equal(a.port, 3306);
}

static void
host_valid_accepts_names_ipv4_and_bare_ipv6(void **state)
{
	char host[128];

	(void)state;
	HOST_VALID("db1", 1);
	HOST_VALID("db-1.example_svc", 1);
	HOST_VALID("10.0.0.7", 1);
	HOST_VALID("::1", 1);
	HOST_VALID("2001:db8::7", 1);
	HOST_VALID(repeat(host, 63, 'h', ""), 1);
}

static void
host_valid_refuses_ports_brackets_and_bad_characters(void **state)
{
	char host[128];

	(void)state;
	HOST_VALID("", 0);
	HOST_VALID("db1:3306", 0);
	HOST_VALID("[::1]", 0);
	HOST_VALID("db 1", 0);
	HOST_VALID("db'1", 0);
	HOST_VALID("db;1", 0);
	HOST_VALID("db\\1", 0);
	HOST_VALID("db.", 0);
	HOST_VALID("-db", 0);
	HOST_VALID("/tmp/mysql.sock", 0);
	HOST_VALID("::1'", 0);
	HOST_VALID(repeat(host, 64, 'h', ""), 0);
}

static void
format_round_trips_canonical_operands(void **state)
{
	char path[REPL_PATH_MAX + 1];

	(void)state;
	ROUND_TRIP("db1:3306");
	ROUND_TRIP("10.0.0.7:3307");
	ROUND_TRIP("db_1.example-svc:65535");
	ROUND_TRIP("[::1]:3306");
	ROUND_TRIP("[2001:db8::7]:1");
	ROUND_TRIP("/run/mysqld/mysqld.sock");
	path[0] = '/';
	repeat(path + 1, REPL_PATH_MAX - 1, 's', "");
	ROUND_TRIP(path);
}

static void
format_adds_default_port_and_brackets(void **state)
{
	(void)state;
	FORMATS_AS("db1", "db1:3306");
	FORMATS_AS("::1", "[::1]:3306");
	FORMATS_AS("[::1]", "[::1]:3306");
	FORMATS_AS("2001:db8::1", "[2001:db8::1]:3306");
}

static void
format_truncates_and_returns_full_length(void **state)
{
	struct repl_addr a;
	struct repl_err err;
	char buf[5];

	(void)state;
	repl_err_clear(&err);
	assert_int_equal(repl_addr_parse(&a, "db1:3306", &err), 0);
	assert_int_equal(repl_addr_format(buf, sizeof(buf), &a), 8);
	assert_string_equal(buf, "db1:");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(host_alone_gets_default_port_3306),
		cmocka_unit_test(host_colon_port_sets_port),
		cmocka_unit_test(bracketed_ipv6_with_and_without_port),
		cmocka_unit_test(bare_ipv6_takes_default_port),
		cmocka_unit_test(slash_path_is_a_socket_on_localhost),
		cmocka_unit_test(socket_path_of_107_bytes_accepted_108_refused),
		cmocka_unit_test(port_0_and_above_65535_refused),
		cmocka_unit_test(port_not_a_decimal_number_refused),
		cmocka_unit_test(empty_host_refused),
		cmocka_unit_test(hostnames_with_underscore_and_hyphen_accepted),
		cmocka_unit_test(label_of_63_accepted_64_refused),
		cmocka_unit_test(name_of_253_accepted_254_refused),
		cmocka_unit_test(invalid_characters_in_host_refused),
		cmocka_unit_test(misplaced_dots_and_leading_hyphen_refused),
		cmocka_unit_test(unterminated_bracket_refused),
		cmocka_unit_test(garbage_after_closing_bracket_refused),
		cmocka_unit_test(brackets_hold_only_ipv6),
		cmocka_unit_test(ipv6_must_be_a_real_address),
		cmocka_unit_test(refusal_is_permanent_error_quoting_operand),
		cmocka_unit_test(parse_resets_fields_of_previous_operand),
		cmocka_unit_test(host_valid_accepts_names_ipv4_and_bare_ipv6),
		cmocka_unit_test(
		    host_valid_refuses_ports_brackets_and_bad_characters),
		cmocka_unit_test(format_round_trips_canonical_operands),
		cmocka_unit_test(format_adds_default_port_and_brackets),
		cmocka_unit_test(format_truncates_and_returns_full_length),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-addr", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
