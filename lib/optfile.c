/*
 * Option files, read by libmariadb itself: [client], [client-server],
 * [client-mariadb], [replkit], and the tool's own group on top.
 */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <unistd.h>

#include <mysql.h>

#include "replkit.h"

#define SHARED_GROUP "replkit"
#define NO_GROUP "replkit-no-such-group"

/*
 * libmariadb reads option files at the start of mysql_real_connect, and a
 * host list holding no host (",") makes that call stop right after,
 * before any network traffic. With CLIENT_REMEMBER_OPTIONS the values
 * stay in m, so what the command line sets afterwards wins, as with the
 * mysql client. file NULL means the default files.
 */
static void
load(MYSQL *m, const char *file, const char *group)
{
	mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, group);
	if (file != NULL)
		mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, file);
	mysql_real_connect(m, ",", NULL, NULL, NULL, 0, NULL,
	    CLIENT_REMEMBER_OPTIONS);
}

static void
load_all(MYSQL *m, const struct repl_connopt *o, const char *group)
{
	load(m, o->defaults_file, group);
	if (o->defaults_extra_file != NULL)
		load(m, o->defaults_extra_file, group);
}

static int
differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0);
}

/*
 * libmariadb reads one named group besides the client ones. To give the
 * tool's group precedence over [replkit], read the files twice more into
 * scratch handles, with the tool's group and with none, and copy into m
 * the values the tool's group changed.
 */
static void
overlay_tool_group(MYSQL *m, const struct repl_connopt *o)
{
	static const enum mysql_option str[] = { MYSQL_OPT_SSL_CA,
		MYSQL_OPT_SSL_CAPATH, MYSQL_OPT_SSL_CERT, MYSQL_OPT_SSL_KEY,
		MYSQL_OPT_SSL_CIPHER, MYSQL_SET_CHARSET_NAME,
		MYSQL_DEFAULT_AUTH };
	static const enum mysql_option num[] = { MYSQL_OPT_CONNECT_TIMEOUT,
		MYSQL_OPT_READ_TIMEOUT, MYSQL_OPT_WRITE_TIMEOUT };
	static const enum mysql_option flag[] = { MYSQL_OPT_SSL_ENFORCE,
		MYSQL_OPT_SSL_VERIFY_SERVER_CERT };
	MYSQL *t, *c;
	size_t i;

	t = mysql_init(NULL);
	c = mysql_init(NULL);
	if (t == NULL || c == NULL)
		goto out;
	load_all(t, o, o->program);
	load_all(c, o, NO_GROUP);
	/* The connection fields: public members of MYSQL's options. */
	if (differ(t->options.user, c->options.user))
		mysql_optionsv(m, MARIADB_OPT_USER, t->options.user);
	if (differ(t->options.password, c->options.password))
		mysql_optionsv(m, MARIADB_OPT_PASSWORD, t->options.password);
	if (differ(t->options.host, c->options.host))
		mysql_optionsv(m, MARIADB_OPT_HOST, t->options.host);
	if (differ(t->options.unix_socket, c->options.unix_socket))
		mysql_optionsv(m, MARIADB_OPT_UNIXSOCKET,
		    t->options.unix_socket);
	if (t->options.port != c->options.port)
		mysql_optionsv(m, MARIADB_OPT_PORT, &t->options.port);
	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++) {
		const char *tv = NULL, *cv = NULL;

		mysql_get_optionv(t, str[i], &tv);
		mysql_get_optionv(c, str[i], &cv);
		if (differ(tv, cv))
			mysql_optionsv(m, str[i], tv);
	}
	for (i = 0; i < sizeof(num) / sizeof(num[0]); i++) {
		unsigned int tv = 0, cv = 0;

		mysql_get_optionv(t, num[i], &tv);
		mysql_get_optionv(c, num[i], &cv);
		if (tv != cv)
			mysql_optionsv(m, num[i], &tv);
	}
	for (i = 0; i < sizeof(flag) / sizeof(flag[0]); i++) {
		my_bool tv = 0, cv = 0;

		mysql_get_optionv(t, flag[i], &tv);
		mysql_get_optionv(c, flag[i], &cv);
		if (tv != cv)
			mysql_optionsv(m, flag[i], &tv);
	}
out:
	if (t != NULL)
		mysql_close(t);
	if (c != NULL)
		mysql_close(c);
}

/*
 * Read the option files into the handle m (a MYSQL *), unless
 * --no-defaults. Returns 0, or -1 with a permanent error when a file
 * named on the command line cannot be read.
 */
int
repl_optfile_read(void *m, const struct repl_connopt *o,
    struct repl_err *err)
{
	const char *files[2] = { o->defaults_file, o->defaults_extra_file };
	int i;

	if (o->no_defaults)
		return 0;
	for (i = 0; i < 2; i++)
		if (files[i] != NULL && access(files[i], R_OK) == -1) {
			repl_err_set(err, REPL_E_PERM,
			    "unable to read option file '%s'", files[i]);
			return -1;
		}
	load_all(m, o, SHARED_GROUP);
	if (o->program != NULL)
		overlay_tool_group(m, o);
	return 0;
}
