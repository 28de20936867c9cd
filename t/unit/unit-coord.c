/* Unit tests for the coordinate line: parse, read from a fd, print. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)

#define UUID1 "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define UUID2 "4f22ab58-82db-22f2-af44-d91bbad3a673"
#define PFX "invalid coordinate line: "

/* Check at the caller's line, so a failure names the input. */
#define PARSE_OK(c, in) parse_ok(__FILE__, __LINE__, (c), (in), strlen(in))
#define PARSE_BAD(in, why) \
	parse_bad(__FILE__, __LINE__, (in), strlen(in), PFX why)
#define PARSE_BAD_N(in, len, why) \
	parse_bad(__FILE__, __LINE__, (in), (len), PFX why)
#define GTID_OK(fl, g) gtid_ok(__FILE__, __LINE__, (fl), (g))
#define GTID_BAD(fl, g) gtid_bad(__FILE__, __LINE__, (fl), (g))
#define CHECK(c, ...) \
	check(__FILE__, __LINE__, (c), &(const struct want){ __VA_ARGS__ })

/* A coordinate with every field, as the expectations below spell it. */
struct want {
	enum repl_flavor flavor;
	const char *host;
	unsigned int port;
	int has_server_id;
	unsigned long server_id;
	const char *file;
	unsigned long long pos;
	int has_gtid;
	const char *gtid;
	const char *uuid;
};

static void
parse_ok(const char *file, int line, struct repl_coord *c, const char *in,
    size_t len)
{
	struct repl_err err;

	repl_err_clear(&err);
	_assert_string_equal(repl_coord_parse(c, in, len, &err) == 0 ?
	    "accepted" : err.msg, "accepted", file, line);
}

static void
parse_bad(const char *file, int line, const char *in, size_t len,
    const char *why)
{
	struct repl_coord c;
	struct repl_err err;

	repl_err_clear(&err);
	_assert_int_equal(I(repl_coord_parse(&c, in, len, &err)), I(-1), file,
	    line);
	_assert_int_equal(I(err.kind), I(REPL_E_PERM), file, line);
	_assert_string_equal(err.msg, why, file, line);
}

static void
check(const char *file, int line, const struct repl_coord *c,
    const struct want *w)
{
	_assert_string_equal(repl_flavor_name(c->flavor),
	    repl_flavor_name(w->flavor), file, line);
	_assert_string_equal(c->host, w->host, file, line);
	_assert_int_equal(I(c->port), I(w->port), file, line);
	_assert_int_equal(I(c->has_server_id), I(w->has_server_id), file,
	    line);
	_assert_int_equal(I(c->server_id), I(w->server_id), file, line);
	_assert_string_equal(c->file, w->file, file, line);
	_assert_int_equal(I(c->pos), I(w->pos), file, line);
	_assert_int_equal(I(c->has_gtid), I(w->has_gtid), file, line);
	_assert_string_equal(c->gtid, w->gtid, file, line);
	_assert_string_equal(c->uuid, w->uuid, file, line);
}

/* A GTID alone on a line of its flavor: accepted and kept verbatim. */
static void
gtid_ok(const char *file, int line, enum repl_flavor fl, const char *g)
{
	struct repl_coord c;
	char in[REPL_GTID_MAX + 64];

	snprintf(in, sizeof(in), "flavor=%s gtid=%s", repl_flavor_name(fl), g);
	parse_ok(file, line, &c, in, strlen(in));
	_assert_string_equal(c.gtid, g, file, line);
	_assert_int_equal(I(c.has_gtid), I(1), file, line);
	_assert_int_equal(I(repl_gtid_valid(fl, g)), I(1), file, line);
}

static void
gtid_bad(const char *file, int line, enum repl_flavor fl, const char *g)
{
	char in[REPL_GTID_MAX + 64], why[256];

	snprintf(in, sizeof(in), "flavor=%s gtid=%s", repl_flavor_name(fl), g);
	snprintf(why, sizeof(why), PFX "gtid '%.64s%s'", g,
	    strlen(g) > 64 ? "..." : "");
	parse_bad(file, line, in, strlen(in), why);
	_assert_int_equal(I(repl_gtid_valid(fl, g)), I(0), file, line);
}

/* Write len bytes of s to a new temporary file; returns it at offset 0. */
static FILE *
tmp_with(const char *s, size_t len)
{
	FILE *f;

	assert_non_null(f = tmpfile());
	assert_int_equal(fwrite(s, 1, len, f), len);
	assert_int_equal(fflush(f), 0);
	rewind(f);
	return f;
}

/* repl_coord_read over a temporary file holding len bytes of s. */
static int
read_tmp(struct repl_coord *c, const char *s, size_t len,
    struct repl_err *err)
{
	FILE *f = tmp_with(s, len);
	int r;

	repl_err_clear(err);
	r = repl_coord_read(c, fileno(f), -1, err);
	fclose(f);
	return r;
}

/*
 * Run repl_coord_print with stdout sent to a temporary file, and return
 * what it wrote. No assertion may fail while stdout is elsewhere: cmocka
 * reports on stdout.
 */
static void
capture_print(const struct repl_coord *c, int json, char *buf, size_t n)
{
	FILE *f;
	int saved, redirected;
	size_t len;

	assert_non_null(f = tmpfile());
	assert_int_equal(fflush(stdout), 0);
	assert_true((saved = dup(STDOUT_FILENO)) != -1);
	redirected = dup2(fileno(f), STDOUT_FILENO) != -1;
	if (redirected) {
		repl_coord_print(c, json);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
	}
	close(saved);
	assert_true(redirected);
	rewind(f);
	len = fread(buf, 1, n - 1, f);
	buf[len] = '\0';
	fclose(f);
}

/* A line of exactly len bytes: a MariaDB GTID, then an unknown field. */
static char *
line_of(size_t len)
{
	static const char head[] = "flavor=mariadb gtid=0-1-1 pad=";
	char *s;

	assert_true(len >= sizeof(head) - 1);
	assert_non_null(s = malloc(len + 2));
	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, 'p', len - (sizeof(head) - 1));
	s[len] = '\0';
	return s;
}

static void
mariadb_line_with_every_field(void **state)
{
	struct repl_coord c;

	(void)state;
	PARSE_OK(&c, "flavor=mariadb host=db1 port=3306 server_id=1 "
	    "file=mariadb-bin.000002 pos=344 gtid=0-1-5,1-2-7,7-3-100");
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "db1", .port = 3306,
	    .has_server_id = 1, .server_id = 1, .file = "mariadb-bin.000002",
	    .pos = 344, .has_gtid = 1, .gtid = "0-1-5,1-2-7,7-3-100",
	    .uuid = "");
}

static void
mariadb_line_with_gtid_only(void **state)
{
	struct repl_coord c;

	(void)state;
	PARSE_OK(&c, "flavor=mariadb gtid=0-1-1");
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "", .pos = 0,
	    .has_gtid = 1, .gtid = "0-1-1", .uuid = "");
}

static void
mysql_line_with_uuid_and_limits(void **state)
{
	struct repl_coord c;

	(void)state;
	PARSE_OK(&c, "flavor=mysql host=10.0.0.7 port=65535 "
	    "server_id=4294967295 file=binlog.000003 pos=9223372036854775807 "
	    "gtid=" UUID1 ":1-5 uuid=" UUID1);
	CHECK(&c, .flavor = REPL_FLAVOR_MYSQL, .host = "10.0.0.7",
	    .port = 65535, .has_server_id = 1, .server_id = 4294967295UL,
	    .file = "binlog.000003", .pos = 9223372036854775807ULL,
	    .has_gtid = 1, .gtid = UUID1 ":1-5", .uuid = UUID1);
}

static void
file_and_pos_without_gtid(void **state)
{
	struct repl_coord c;

	(void)state;
	PARSE_OK(&c, "flavor=mysql file=binlog.000001 pos=4");
	CHECK(&c, .flavor = REPL_FLAVOR_MYSQL, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "binlog.000001",
	    .pos = 4, .has_gtid = 0, .gtid = "", .uuid = "");
	PARSE_OK(&c, "flavor=mysql file=binlog.000001 pos=4 gtid=");
	CHECK(&c, .flavor = REPL_FLAVOR_MYSQL, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "binlog.000001",
	    .pos = 4, .has_gtid = 0, .gtid = "", .uuid = "");
}

static void
small_limits_accepted(void **state)
{
	struct repl_coord c;

	(void)state;
	PARSE_OK(&c, "flavor=mariadb port=1 server_id=0 file=b.1 pos=1");
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "", .port = 1,
	    .has_server_id = 1, .server_id = 0, .file = "b.1", .pos = 1,
	    .has_gtid = 0, .gtid = "", .uuid = "");
	PARSE_OK(&c, "flavor=mariadb host=::1 gtid=0-0-0");
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "::1", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "", .pos = 0,
	    .has_gtid = 1, .gtid = "0-0-0", .uuid = "");
}

static void
mariadb_gtid_lists_accepted(void **state)
{
	char g[64 * 8 + 1];
	size_t i, n = 0;

	(void)state;
	GTID_OK(REPL_FLAVOR_MARIADB, "0-1-1");
	GTID_OK(REPL_FLAVOR_MARIADB, "0-1-5,1-2-7,7-3-100");
	GTID_OK(REPL_FLAVOR_MARIADB, "4294967295-4294967295-"
	    "18446744073709551615");
	/* 64 domains */
	for (i = 0; i < 64; i++)
		n += (size_t)snprintf(g + n, sizeof(g) - n, "%s%zu-1-1",
		    i ? "," : "", i);
	GTID_OK(REPL_FLAVOR_MARIADB, g);
}

static void
mysql_gtid_sets_accepted(void **state)
{
	(void)state;
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":1-5");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":1");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":3-3");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":1-5:7:9-12");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":1-5," UUID2 ":1-100");
	GTID_OK(REPL_FLAVOR_MYSQL, "3E11FA47-71CA-11E1-9E33-C80AA9429562:1");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":9223372036854775807");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":1-9223372036854775807");
}

static void
mysql_tagged_gtids_accepted(void **state)
{
	(void)state;
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":tag:1-3");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":1-5:tag:1-3");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":tag:1-3:other:7," UUID2 ":1");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":_t:1");
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":Tag_9:3-3");
	/* 32 characters, the longest tag */
	GTID_OK(REPL_FLAVOR_MYSQL, UUID1 ":abcdefghijklmnopqrstuvwxyz_12345:1");
}

static void
unknown_keys_ignored(void **state)
{
	struct repl_coord c;

	(void)state;
	PARSE_OK(&c, "flavor=mariadb future_field=x';DROP\\\"\xc3\xa9 "
	    "gtid=0-1-1 zz9= a== x_y=1\r");
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "", .pos = 0,
	    .has_gtid = 1, .gtid = "0-1-1", .uuid = "");
}

static void
field_order_free(void **state)
{
	struct repl_coord a, b;

	(void)state;
	PARSE_OK(&a, "flavor=mariadb host=db1 port=3306 server_id=7 "
	    "file=f.000001 pos=4 gtid=0-7-9");
	PARSE_OK(&b, "gtid=0-7-9 pos=4 server_id=7 file=f.000001 port=3306 "
	    "host=db1 flavor=mariadb");
	assert_memory_equal(&a, &b, sizeof(a));
}

static void
spaces_and_tabs_separate_fields(void **state)
{
	struct repl_coord c;

	(void)state;
	PARSE_OK(&c, "  flavor=mariadb\t\tgtid=0-1-1 \t file=f.1\tpos=9  ");
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "f.1", .pos = 9,
	    .has_gtid = 1, .gtid = "0-1-1", .uuid = "");
}

static void
missing_or_bad_flavor_refused(void **state)
{
	(void)state;
	PARSE_BAD("gtid=0-1-1", "missing 'flavor'");
	PARSE_BAD("file=f.1 pos=4", "missing 'flavor'");
	PARSE_BAD("flavor=percona gtid=0-1-1", "flavor 'percona'");
	PARSE_BAD("flavor=MariaDB gtid=0-1-1", "flavor 'MariaDB'");
	PARSE_BAD("flavor=unknown gtid=0-1-1", "flavor 'unknown'");
	PARSE_BAD("flavor= gtid=0-1-1", "flavor ''");
}

static void
repeated_key_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mariadb gtid=0-1-1 gtid=0-1-1",
	    "repeated key 'gtid'");
	PARSE_BAD("flavor=mariadb flavor=mariadb gtid=0-1-1",
	    "repeated key 'flavor'");
	PARSE_BAD("flavor=mysql gtid= gtid=" UUID1 ":1",
	    "repeated key 'gtid'");
	PARSE_BAD("flavor=mysql file=a.1 pos=4 pos=5", "repeated key 'pos'");
}

static void
file_and_pos_only_together(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mysql file=binlog.000001",
	    "file and pos go together, missing 'pos'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 file=binlog.000001",
	    "file and pos go together, missing 'pos'");
	PARSE_BAD("flavor=mysql pos=4", "file and pos go together, missing "
	    "'file'");
	PARSE_BAD("flavor=mariadb", "no position: neither 'gtid nor file/pos'");
	PARSE_BAD("flavor=mariadb gtid= host=db1",
	    "no position: neither 'gtid nor file/pos'");
}

static void
pos_must_be_1_to_2p63_minus_1_without_sign_or_leading_zero(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mysql file=f.1 pos=0", "pos '0'");
	PARSE_BAD("flavor=mysql file=f.1 pos=04", "pos '04'");
	PARSE_BAD("flavor=mysql file=f.1 pos=00", "pos '00'");
	PARSE_BAD("flavor=mysql file=f.1 pos=+4", "pos '+4'");
	PARSE_BAD("flavor=mysql file=f.1 pos=-4", "pos '-4'");
	PARSE_BAD("flavor=mysql file=f.1 pos=4x", "pos '4x'");
	PARSE_BAD("flavor=mysql file=f.1 pos=", "pos ''");
	PARSE_BAD("flavor=mysql file=f.1 pos=9223372036854775808",
	    "pos '9223372036854775808'");
	PARSE_BAD("flavor=mysql file=f.1 pos=18446744073709551616",
	    "pos '18446744073709551616'");
	PARSE_BAD("flavor=mysql file=f.1 pos=99999999999999999999999",
	    "pos '99999999999999999999999'");
}

static void
server_id_above_2p32_minus_1_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 server_id=4294967296",
	    "server_id '4294967296'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 server_id=-1",
	    "server_id '-1'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 server_id=01",
	    "server_id '01'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 server_id=",
	    "server_id ''");
}

static void
port_0_and_above_65535_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mariadb gtid=0-1-1 port=0", "port '0'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 port=65536", "port '65536'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 port=03306", "port '03306'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 port=x", "port 'x'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 port=", "port ''");
}

static void
host_outside_grammar_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=db'1", "host 'db'1'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=db\"1", "host 'db\"1'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=db;1", "host 'db;1'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=db\\1", "host 'db\\1'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=[::1]", "host '[::1]'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=db:3306",
	    "host 'db:3306'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=", "host ''");
}

static void
sql_injection_in_values_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mariadb gtid=0-1-1',0)+SLEEP(5)#",
	    "gtid '0-1-1',0)+SLEEP(5)#'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1'),SLEEP(5)#",
	    "gtid '" UUID1 ":1'),SLEEP(5)#'");
	PARSE_BAD("flavor=mysql file=x';DROP TABLE t;-- pos=4",
	    "file 'x';DROP'");
	PARSE_BAD("flavor=mysql file=x\\ pos=4", "file 'x\\'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1\\", "gtid '0-1-1\\'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1/**/", "gtid '0-1-1/**/'");
	PARSE_BAD("flavor=mysql file=.hidden pos=4", "file '.hidden'");
	PARSE_BAD("flavor=mysql file=../x pos=4", "file '../x'");
	PARSE_BAD("flavor=mysql file=dir/b.000001 pos=4",
	    "file 'dir/b.000001'");
	PARSE_BAD("flavor=mysql uuid=" UUID1 "' file=f.1 pos=4",
	    "uuid '" UUID1 "''");
}

static void
non_ascii_values_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=db\xc3\xa9",
	    "host 'db\xc3\xa9'");
	PARSE_BAD("flavor=mysql file=bin\xc3\xa9.000001 pos=4",
	    "file 'bin\xc3\xa9.000001'");
	/* a zero-width space after the GTID */
	PARSE_BAD("flavor=mariadb gtid=0-1-1\xe2\x80\x8b",
	    "gtid '0-1-1\xe2\x80\x8b'");
	/* a fullwidth digit four */
	PARSE_BAD("flavor=mysql file=f.1 pos=\xef\xbc\x94",
	    "pos '\xef\xbc\x94'");
	PARSE_BAD("flavor=m\xc3\xa1riadb gtid=0-1-1",
	    "flavor 'm\xc3\xa1riadb'");
}

static void
nul_byte_anywhere_refused(void **state)
{
	static const char a[] = "flavor=mariadb\0 gtid=0-1-1";
	static const char b[] = "flavor=mariadb gtid=0-1-1\0";
	static const char d[] = "flavor=mariadb gtid=0-1-1 x=\0y";

	(void)state;
	PARSE_BAD_N(a, sizeof(a) - 1, "NUL byte in ''");
	PARSE_BAD_N(b, sizeof(b) - 1, "NUL byte in ''");
	PARSE_BAD_N(d, sizeof(d) - 1, "NUL byte in ''");
}

static void
carriage_return_in_values_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mariadb gtid=0-1-1\r", "gtid '0-1-1\r'");
	PARSE_BAD("flavor=mariadb\r gtid=0-1-1", "flavor 'mariadb\r'");
	PARSE_BAD("flavor=mysql file=f.1 pos=4\r", "pos '4\r'");
	PARSE_BAD("flavor=mysql file=f.1\r pos=4", "file 'f.1\r'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 host=db1\r", "host 'db1\r'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 port=3306\r", "port '3306\r'");
}

static void
mariadb_gtid_outside_grammar_refused(void **state)
{
	(void)state;
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-1,0-2-2");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-1,1-1-1,0-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-1,");
	GTID_BAD(REPL_FLAVOR_MARIADB, ",0-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-1,,1-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-01");
	GTID_BAD(REPL_FLAVOR_MARIADB, "00-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "-0-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "a-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "4294967296-1-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-4294967296-1");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-18446744073709551616");
	GTID_BAD(REPL_FLAVOR_MARIADB, "0-1-184467440737095516150");
	GTID_BAD(REPL_FLAVOR_MARIADB, UUID1 ":1-5");
}

static void
mysql_gtid_outside_grammar_refused(void **state)
{
	(void)state;
	/* bad UUIDs */
	GTID_BAD(REPL_FLAVOR_MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa942956:1");
	GTID_BAD(REPL_FLAVOR_MYSQL, "3e11fa4771ca11e19e33c80aa9429562:1");
	GTID_BAD(REPL_FLAVOR_MYSQL, "3e11fa47-71ca-11e1-9e33_c80aa9429562:1");
	GTID_BAD(REPL_FLAVOR_MYSQL, "ge11fa47-71ca-11e1-9e33-c80aa9429562:1");
	GTID_BAD(REPL_FLAVOR_MYSQL, "{3e11fa47-71ca-11e1-9e33-c80aa9429562}:1");
	/* intervals */
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":0");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":0-5");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":5-3");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":1-");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":-1");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":1-2-3");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":01");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":9223372036854775808");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":1-9223372036854775808");
	/* shape */
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1);
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 "::1");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":1,");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":1,," UUID2 ":1");
	GTID_BAD(REPL_FLAVOR_MYSQL, "0-1-1");
	/* tags: the last element must be an interval */
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":tag");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":1-5:tag");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":tag," UUID2 ":1");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":9tag:1");
	GTID_BAD(REPL_FLAVOR_MYSQL, UUID1 ":ta-g:1");
	GTID_BAD(REPL_FLAVOR_MYSQL,
	    UUID1 ":abcdefghijklmnopqrstuvwxyz_123456:1");
}

static void
gtid_of_16383_bytes_accepted_16384_refused(void **state)
{
	char *g, *in;
	size_t i, n = 0;

	(void)state;
	assert_non_null(g = malloc(REPL_GTID_MAX + 16));
	assert_non_null(in = malloc(REPL_GTID_MAX + 64));
	/* 420 elements "uuid:1" joined by commas: 16379 bytes */
	for (i = 0; i < 420; i++)
		n += (size_t)snprintf(g + n, REPL_GTID_MAX + 16 - n,
		    "%s%08zx-0000-4000-8000-000000000000:1", i ? "," : "", i);
	assert_int_equal(n, REPL_GTID_MAX - 4);
	strcpy(g + n, "-100");
	GTID_OK(REPL_FLAVOR_MYSQL, g);
	strcpy(g + n, "-1000");
	assert_int_equal(strlen(g), REPL_GTID_MAX + 1);
	n = (size_t)snprintf(in, REPL_GTID_MAX + 64, "flavor=mysql gtid=%s", g);
	PARSE_BAD_N(in, n, "gtid '00000000-0000-4000-8000-000000000000:1,"
	    "00000001-0000-4000-8000-0...'");
	assert_int_equal(repl_gtid_valid(REPL_FLAVOR_MYSQL, g), 0);
	free(in);
	free(g);
}

static void
file_of_255_bytes_accepted_256_refused(void **state)
{
	struct repl_coord c;
	char in[512], why[256];

	(void)state;
	strcpy(in, "flavor=mysql pos=4 file=");
	memset(in + 24, 'f', REPL_FILE_MAX);
	in[24 + REPL_FILE_MAX] = '\0';
	PARSE_OK(&c, in);
	assert_int_equal(strlen(c.file), REPL_FILE_MAX);
	assert_memory_equal(c.file, in + 24, REPL_FILE_MAX);
	strcpy(in + 24 + REPL_FILE_MAX, "f");
	strcpy(why, PFX "file '");
	memset(why + strlen(why), 'f', 64);
	strcpy(why + strlen(PFX "file '") + 64, "...'");
	parse_bad(__FILE__, __LINE__, in, strlen(in), why);
}

static void
uuid_field_outside_grammar_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 uuid=3e11fa47",
	    "uuid '3e11fa47'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 uuid=" UUID1 "0",
	    "uuid '" UUID1 "0'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 "
	    "uuid=3e11fa47_71ca-11e1-9e33-c80aa9429562",
	    "uuid '3e11fa47_71ca-11e1-9e33-c80aa9429562'");
	PARSE_BAD("flavor=mysql gtid=" UUID1 ":1 uuid=", "uuid ''");
}

static void
field_without_equals_refused(void **state)
{
	(void)state;
	PARSE_BAD("flavor=mariadb gtid=0-1-1 key", "field without '=': 'key'");
	PARSE_BAD("flavor mariadb", "field without '=': 'flavor'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 ,1-1-1",
	    "field without '=': ',1-1-1'");
}

static void
keys_outside_grammar_refused(void **state)
{
	struct repl_coord c;
	char in[256], why[256];

	(void)state;
	PARSE_BAD("Flavor=mariadb gtid=0-1-1", "key 'Flavor'");
	PARSE_BAD("flavor=mariadb GTID=0-1-1", "key 'GTID'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 Future=1", "key 'Future'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 =x", "key ''");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 9x=1", "key '9x'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 _x=1", "key '_x'");
	PARSE_BAD("flavor=mariadb gtid=0-1-1 x-y=1", "key 'x-y'");
	/* 64 bytes is the longest key */
	strcpy(in, "flavor=mariadb gtid=0-1-1 ");
	memset(in + 26, 'k', 64);
	strcpy(in + 26 + 64, "=1");
	PARSE_OK(&c, in);
	memset(in + 26, 'k', 65);
	strcpy(in + 26 + 65, "=1");
	strcpy(why, PFX "key '");
	memset(why + strlen(why), 'k', 64);
	strcpy(why + strlen(PFX "key '") + 64, "...'");
	parse_bad(__FILE__, __LINE__, in, strlen(in), why);
}

static void
empty_input_refused(void **state)
{
	struct repl_coord c;
	struct repl_err err;

	(void)state;
	PARSE_BAD("", "missing 'flavor'");
	PARSE_BAD("   \t ", "missing 'flavor'");
	assert_int_equal(read_tmp(&c, "", 0, &err), -1);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_string_equal(err.msg, "no coordinate line on standard input");
	assert_int_equal(read_tmp(&c, "\n", 1, &err), -1);
	assert_string_equal(err.msg, "no coordinate line on standard input");
}

static void
line_of_65536_bytes_accepted_65537_refused(void **state)
{
	struct repl_coord c;
	char *s;

	(void)state;
	s = line_of(REPL_LINE_MAX);
	PARSE_OK(&c, s);
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "", .pos = 0,
	    .has_gtid = 1, .gtid = "0-1-1", .uuid = "");
	free(s);
	s = line_of(REPL_LINE_MAX + 1);
	PARSE_BAD(s, "line too long ''");
	free(s);
}

static void
read_accepts_line_with_or_without_newline(void **state)
{
	struct repl_coord c;
	struct repl_err err;
	static const char l[] = "flavor=mariadb gtid=0-1-5 file=b.000001 pos=4";

	(void)state;
	assert_int_equal(read_tmp(&c, l, strlen(l), &err), 0);
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "b.000001", .pos = 4,
	    .has_gtid = 1, .gtid = "0-1-5", .uuid = "");
	assert_int_equal(read_tmp(&c, "flavor=mariadb gtid=0-1-5\n", 26,
	    &err), 0);
	CHECK(&c, .flavor = REPL_FLAVOR_MARIADB, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "", .pos = 0,
	    .has_gtid = 1, .gtid = "0-1-5", .uuid = "");
}

static void
read_from_pipe(void **state)
{
	struct repl_coord c;
	struct repl_err err;
	static const char l[] = "flavor=mysql gtid=" UUID1 ":1-5 uuid=" UUID1
	    "\n";
	int fd[2];

	(void)state;
	repl_err_clear(&err);
	assert_int_equal(pipe(fd), 0);
	assert_int_equal(write(fd[1], l, sizeof(l) - 1), sizeof(l) - 1);
	close(fd[1]);
	assert_int_equal(repl_coord_read(&c, fd[0], -1, &err), 0);
	close(fd[0]);
	CHECK(&c, .flavor = REPL_FLAVOR_MYSQL, .host = "", .port = 0,
	    .has_server_id = 0, .server_id = 0, .file = "", .pos = 0,
	    .has_gtid = 1, .gtid = UUID1 ":1-5", .uuid = UUID1);
}

static void
read_refuses_two_lines(void **state)
{
	struct repl_coord c;
	struct repl_err err;
	static const char two[] = "flavor=mariadb gtid=0-1-1\n"
	    "flavor=mariadb gtid=0-1-2\n";
	static const char blank[] = "flavor=mariadb gtid=0-1-1\n\n";

	(void)state;
	assert_int_equal(read_tmp(&c, two, sizeof(two) - 1, &err), -1);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_string_equal(err.msg, PFX "more than one line of input");
	assert_int_equal(read_tmp(&c, blank, sizeof(blank) - 1, &err), -1);
	assert_string_equal(err.msg, PFX "more than one line of input");
}

static void
read_at_the_65536_byte_limit(void **state)
{
	struct repl_coord c;
	struct repl_err err;
	char *s;

	(void)state;
	/* 65536 bytes, with and without the newline: accepted */
	s = line_of(REPL_LINE_MAX);
	assert_int_equal(read_tmp(&c, s, REPL_LINE_MAX, &err), 0);
	assert_string_equal(c.gtid, "0-1-1");
	s[REPL_LINE_MAX] = '\n';
	assert_int_equal(read_tmp(&c, s, REPL_LINE_MAX + 1, &err), 0);
	assert_string_equal(c.gtid, "0-1-1");
	free(s);
	/* 65537 bytes, with and without the newline: refused */
	s = line_of(REPL_LINE_MAX + 1);
	assert_int_equal(read_tmp(&c, s, REPL_LINE_MAX + 1, &err), -1);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_string_equal(err.msg, PFX "line too long ''");
	s[REPL_LINE_MAX + 1] = '\n';
	assert_int_equal(read_tmp(&c, s, REPL_LINE_MAX + 2, &err), -1);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_string_equal(err.msg, PFX "longer than 65536 bytes");
	free(s);
}

static void
read_refuses_nul_byte(void **state)
{
	struct repl_coord c;
	struct repl_err err;
	static const char l[] = "flavor=mariadb gtid=0-1-1\0 x=1\n";

	(void)state;
	assert_int_equal(read_tmp(&c, l, sizeof(l) - 1, &err), -1);
	assert_string_equal(err.msg, PFX "NUL byte in ''");
}

static void
read_error_on_bad_fd_is_permanent(void **state)
{
	struct repl_coord c;
	struct repl_err err;

	(void)state;
	repl_err_clear(&err);
	assert_int_equal(repl_coord_read(&c, -1, -1, &err), -1);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_string_equal(err.msg, "unable to read the coordinate line: "
	    "Bad file descriptor");
}

static void
print_mariadb_line_and_json_exactly(void **state)
{
	struct repl_coord c;
	char out[1024];

	(void)state;
	PARSE_OK(&c, "gtid=0-1-5,1-2-7 pos=344 file=mariadb-bin.000002 "
	    "server_id=1 port=3306 host=db1 flavor=mariadb");
	capture_print(&c, 0, out, sizeof(out));
	assert_string_equal(out, "flavor=mariadb host=db1 port=3306 "
	    "server_id=1 file=mariadb-bin.000002 pos=344 gtid=0-1-5,1-2-7\n");
	capture_print(&c, 1, out, sizeof(out));
	assert_string_equal(out, "{\"flavor\":\"mariadb\",\"host\":\"db1\","
	    "\"port\":3306,\"server_id\":1,\"file\":\"mariadb-bin.000002\","
	    "\"pos\":344,\"gtid\":\"0-1-5,1-2-7\"}\n");
}

static void
print_mysql_line_and_json_exactly(void **state)
{
	struct repl_coord c;
	char out[1024];

	(void)state;
	PARSE_OK(&c, "flavor=mysql host=10.0.0.7 port=3307 "
	    "server_id=4294967295 file=binlog.000003 pos=9223372036854775807 "
	    "gtid=" UUID1 ":1-5:tag:1-3," UUID2 ":7 uuid=" UUID1);
	capture_print(&c, 0, out, sizeof(out));
	assert_string_equal(out, "flavor=mysql host=10.0.0.7 port=3307 "
	    "server_id=4294967295 file=binlog.000003 pos=9223372036854775807 "
	    "gtid=" UUID1 ":1-5:tag:1-3," UUID2 ":7 uuid=" UUID1 "\n");
	capture_print(&c, 1, out, sizeof(out));
	assert_string_equal(out, "{\"flavor\":\"mysql\",\"host\":\"10.0.0.7\","
	    "\"port\":3307,\"server_id\":4294967295,"
	    "\"file\":\"binlog.000003\",\"pos\":9223372036854775807,"
	    "\"gtid\":\"" UUID1 ":1-5:tag:1-3," UUID2 ":7\","
	    "\"uuid\":\"" UUID1 "\"}\n");
}

static void
print_without_gtid_keeps_empty_gtid_field(void **state)
{
	struct repl_coord c;
	char out[1024];

	(void)state;
	PARSE_OK(&c, "flavor=mysql file=binlog.000001 pos=4");
	capture_print(&c, 0, out, sizeof(out));
	assert_string_equal(out, "flavor=mysql file=binlog.000001 pos=4 "
	    "gtid=\n");
	capture_print(&c, 1, out, sizeof(out));
	assert_string_equal(out, "{\"flavor\":\"mysql\","
	    "\"file\":\"binlog.000001\",\"pos\":4,\"gtid\":\"\"}\n");
}

static void
printed_line_parses_back_to_same_coordinate(void **state)
{
	static const char *const lines[] = {
		"gtid=0-1-5,1-2-7 pos=344 file=mariadb-bin.000002 server_id=1 "
		    "port=3306 host=db1 flavor=mariadb future=1",
		"flavor=mariadb host=::1 gtid=0-0-0",
		"flavor=mariadb port=1 server_id=0 file=b.1 pos=1",
		"flavor=mysql host=10.0.0.7 port=3307 server_id=4294967295 "
		    "file=binlog.000003 pos=9223372036854775807 "
		    "gtid=" UUID1 ":1-5:tag:1-3," UUID2 ":7 uuid=" UUID1,
		"uuid=" UUID2 " flavor=mysql file=binlog.000001 pos=4",
	};
	struct repl_coord a, b;
	struct repl_err err;
	char out[1024];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		PARSE_OK(&a, lines[i]);
		capture_print(&a, 0, out, sizeof(out));
		len = strlen(out);
		assert_true(len > 0 && out[len - 1] == '\n');
		repl_err_clear(&err);
		assert_string_equal(repl_coord_parse(&b, out, len - 1, &err)
		    == 0 ? "accepted" : err.msg, "accepted");
		assert_memory_equal(&a, &b, sizeof(a));
		/* and through repl_coord_read, newline and all */
		assert_int_equal(read_tmp(&b, out, len, &err), 0);
		assert_memory_equal(&a, &b, sizeof(a));
	}
}

/* MySQL's sets come broken in lines: squeezed, and refused if too big. */
static void
gtid_squeeze_into_drops_white_space_and_checks_room(void **state)
{
	const char *set = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\n"
	    "4e11fa47-71ca-11e1-9e33-c80aa9429562:7";
	char buf[128], small[10], in[] = " a:1,\r\n\tb:2 ";

	(void)state;
	assert_int_equal(repl_gtid_squeeze_into(buf, sizeof(buf), set), 0);
	assert_string_equal(buf, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,"
	    "4e11fa47-71ca-11e1-9e33-c80aa9429562:7");
	assert_int_equal(repl_gtid_squeeze_into(small, sizeof(small), set), -1);
	assert_int_equal(repl_gtid_squeeze_into(small, 4, "a:1\n"), 0);
	assert_string_equal(small, "a:1");
	assert_int_equal(repl_gtid_squeeze_into(small, 3, "a:1"), -1);
	assert_int_equal(repl_gtid_squeeze_into(buf, sizeof(buf), NULL), 0);
	assert_string_equal(buf, "");
	repl_gtid_squeeze(in);
	assert_string_equal(in, "a:1,b:2");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mariadb_line_with_every_field),
		cmocka_unit_test(mariadb_line_with_gtid_only),
		cmocka_unit_test(mysql_line_with_uuid_and_limits),
		cmocka_unit_test(file_and_pos_without_gtid),
		cmocka_unit_test(small_limits_accepted),
		cmocka_unit_test(mariadb_gtid_lists_accepted),
		cmocka_unit_test(mysql_gtid_sets_accepted),
		cmocka_unit_test(mysql_tagged_gtids_accepted),
		cmocka_unit_test(unknown_keys_ignored),
		cmocka_unit_test(field_order_free),
		cmocka_unit_test(spaces_and_tabs_separate_fields),
		cmocka_unit_test(missing_or_bad_flavor_refused),
		cmocka_unit_test(repeated_key_refused),
		cmocka_unit_test(file_and_pos_only_together),
		cmocka_unit_test(
		    pos_must_be_1_to_2p63_minus_1_without_sign_or_leading_zero),
		cmocka_unit_test(server_id_above_2p32_minus_1_refused),
		cmocka_unit_test(port_0_and_above_65535_refused),
		cmocka_unit_test(host_outside_grammar_refused),
		cmocka_unit_test(sql_injection_in_values_refused),
		cmocka_unit_test(non_ascii_values_refused),
		cmocka_unit_test(nul_byte_anywhere_refused),
		cmocka_unit_test(carriage_return_in_values_refused),
		cmocka_unit_test(mariadb_gtid_outside_grammar_refused),
		cmocka_unit_test(mysql_gtid_outside_grammar_refused),
		cmocka_unit_test(gtid_of_16383_bytes_accepted_16384_refused),
		cmocka_unit_test(file_of_255_bytes_accepted_256_refused),
		cmocka_unit_test(uuid_field_outside_grammar_refused),
		cmocka_unit_test(field_without_equals_refused),
		cmocka_unit_test(keys_outside_grammar_refused),
		cmocka_unit_test(empty_input_refused),
		cmocka_unit_test(line_of_65536_bytes_accepted_65537_refused),
		cmocka_unit_test(read_accepts_line_with_or_without_newline),
		cmocka_unit_test(read_from_pipe),
		cmocka_unit_test(read_refuses_two_lines),
		cmocka_unit_test(read_at_the_65536_byte_limit),
		cmocka_unit_test(read_refuses_nul_byte),
		cmocka_unit_test(read_error_on_bad_fd_is_permanent),
		cmocka_unit_test(print_mariadb_line_and_json_exactly),
		cmocka_unit_test(print_mysql_line_and_json_exactly),
		cmocka_unit_test(print_without_gtid_keeps_empty_gtid_field),
		cmocka_unit_test(printed_line_parses_back_to_same_coordinate),
		cmocka_unit_test(gtid_squeeze_into_drops_white_space_and_checks_room),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-coord", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
