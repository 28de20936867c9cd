/* Connection options every tool shares, as the mysql client spells them. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replkit.h"

/* Set defaults: TLS as option files say, 10 s to connect, 30 s to read. */
void
repl_connopt_init(struct repl_connopt *o, const char *program)
{
	memset(o, 0, sizeof(*o));
	o->program = program;
	o->connect_timeout = 10;
	o->read_timeout = 30;
}

/* Returns 1 when this build links a TLS library, else 0. */
int
repl_tls_available(void)
{
#ifdef REPL_NO_TLS
	return 0;
#else
	return 1;
#endif
}

static int
ssl_mode_parse(const char *s)
{
	static const char *const names[] = { "DISABLED", "PREFERRED",
		"REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)i + REPL_SSL_DISABLED;
	return -1;
}

/*
 * Take one option from getopt_long. Returns 1 if it was a connection
 * option, 0 if not ours, -1 on a bad value (a permanent error).
 */
int
repl_connopt_set(struct repl_connopt *o, int c, const char *arg,
    struct repl_err *err)
{
	int64_t ms;
	int m;

	switch (c) {
	case 'u':
		o->user = arg;
		return 1;
	case 'p':
	case REPL_OPT_PASSWORD:
		/* Never echo the value: it is a password. */
		repl_err_set(err, REPL_E_PERM, "%s: a password is never taken "
		    "from the command line (other users see it): use "
		    "--password-file FILE, MYSQL_PWD or an option file",
		    c == 'p' ? "-p" : "--password");
		return -1;
	case REPL_OPT_PASSWORD_FILE:
		repl_password_free(o->password);
		o->password = NULL;
		return repl_password_read(arg, &o->password, err) == 0 ? 1 : -1;
	case REPL_OPT_DEFAULTS_FILE:
		o->defaults_file = arg;
		return 1;
	case REPL_OPT_DEFAULTS_EXTRA_FILE:
		o->defaults_extra_file = arg;
		return 1;
	case REPL_OPT_NO_DEFAULTS:
		o->no_defaults = 1;
		return 1;
	case REPL_OPT_SSL_MODE:
		if ((m = ssl_mode_parse(arg)) == -1) {
			repl_err_set(err, REPL_E_PERM, "invalid --ssl-mode '%s': "
			    "expected DISABLED, PREFERRED, REQUIRED, VERIFY_CA "
			    "or VERIFY_IDENTITY", arg);
			return -1;
		}
		o->ssl_mode = (enum repl_ssl_mode)m;
		return 1;
	case REPL_OPT_SSL_CA:
		o->ssl_ca = arg;
		return 1;
	case REPL_OPT_SSL_CERT:
		o->ssl_cert = arg;
		return 1;
	case REPL_OPT_SSL_KEY:
		o->ssl_key = arg;
		return 1;
	case REPL_OPT_CONNECT_TIMEOUT:
		if (repl_dur_parse(arg, &ms) == -1 || ms < 1000 ||
		    ms > 3600 * 1000) {
			repl_err_set(err, REPL_E_PERM, "invalid --connect-timeout "
			    "'%s': expected 1s to 1h", arg);
			return -1;
		}
		o->connect_timeout = (unsigned int)((ms + 999) / 1000);
		return 1;
	}
	return 0;
}

/*
 * Check that the options agree with each other and with this build.
 * Returns 0, or -1 with a permanent error.
 */
int
repl_connopt_check(const struct repl_connopt *o, struct repl_err *err)
{
	int files = o->ssl_ca || o->ssl_cert || o->ssl_key;

	if (!repl_tls_available() && (files ||
	    (o->ssl_mode != REPL_SSL_DEFAULT &&
	    o->ssl_mode != REPL_SSL_DISABLED))) {
		repl_err_set(err, REPL_E_PERM, "this build has no TLS support: "
		    "refusing TLS options rather than connecting in plaintext");
		return -1;
	}
	if (o->ssl_mode == REPL_SSL_DISABLED && files) {
		repl_err_set(err, REPL_E_PERM,
		    "--ssl-mode=DISABLED contradicts --ssl-ca/--ssl-cert/--ssl-key");
		return -1;
	}
	if ((o->ssl_mode == REPL_SSL_VERIFY_CA ||
	    o->ssl_mode == REPL_SSL_VERIFY_IDENTITY) && o->ssl_ca == NULL) {
		repl_err_set(err, REPL_E_PERM,
		    "--ssl-mode=VERIFY_CA and VERIFY_IDENTITY need --ssl-ca");
		return -1;
	}
	if ((o->ssl_cert == NULL) != (o->ssl_key == NULL)) {
		repl_err_set(err, REPL_E_PERM,
		    "--ssl-cert and --ssl-key go together");
		return -1;
	}
	return 0;
}

/* Wipe and free the password. */
void
repl_connopt_free(struct repl_connopt *o)
{
	repl_password_free(o->password);
	o->password = NULL;
}
