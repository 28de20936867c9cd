/* Connections: server operands, flavors, options, passwords, sessions. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_CONN_H
#define REPL_CONN_H

#include "repl_base.h"

/* A server operand: host[:port], [v6addr]:port, or /path/to/socket. */
#define REPL_HOST_MAX 255
#define REPL_PATH_MAX 107
struct repl_addr {
	char host[REPL_HOST_MAX + 1];
	unsigned int port;
	char socket[REPL_PATH_MAX + 1];
};

int repl_addr_parse(struct repl_addr *, const char *, struct repl_err *);
int repl_host_valid(const char *);
size_t repl_addr_format(char *, size_t, const struct repl_addr *);

/* Server flavors and versions (major * 10000 + minor * 100 + patch). */
enum repl_flavor {
	REPL_FLAVOR_UNKNOWN = 0,
	REPL_FLAVOR_MARIADB,
	REPL_FLAVOR_MYSQL
};

struct repl_server {
	enum repl_flavor flavor;
	unsigned long version;
};

const char *repl_flavor_name(enum repl_flavor);
int repl_flavor_parse(const char *);
int repl_server_parse(struct repl_server *, const char *);

/* Connection settings shared by every tool, as the mysql client has them. */
enum repl_ssl_mode {
	REPL_SSL_DEFAULT = 0,	/* none given: as the option files say */
	REPL_SSL_DISABLED,
	REPL_SSL_PREFERRED,
	REPL_SSL_REQUIRED,
	REPL_SSL_VERIFY_CA,
	REPL_SSL_VERIFY_IDENTITY
};

struct repl_connopt {
	const char *program;		/* program_name attribute, group */
	const char *user;
	char *password;			/* from --password-file; wiped */
	const char *defaults_file;
	const char *defaults_extra_file;
	int no_defaults;
	enum repl_ssl_mode ssl_mode;
	const char *ssl_ca;
	const char *ssl_cert;
	const char *ssl_key;
	unsigned int connect_timeout;	/* seconds */
	unsigned int read_timeout;	/* seconds */
	int local_infile;		/* allow LOAD DATA LOCAL (repl-clone) */
};

/*
 * The codes of long options without a short form, named, never letters:
 * those every tool takes from REPL_OPT_BASE, a tool's own from
 * REPL_OPT_TOOL (enum { O_JSON = REPL_OPT_TOOL, ... } in its main file).
 */
#define REPL_OPT_BASE 0x1000
enum {
	REPL_OPT_PASSWORD_FILE = REPL_OPT_BASE + 1,
	REPL_OPT_DEFAULTS_FILE,
	REPL_OPT_DEFAULTS_EXTRA_FILE,
	REPL_OPT_NO_DEFAULTS,
	REPL_OPT_SSL_MODE,
	REPL_OPT_SSL_CA,
	REPL_OPT_SSL_CERT,
	REPL_OPT_SSL_KEY,
	REPL_OPT_CONNECT_TIMEOUT,
	/*
	 * --password is refused, never taken for an abbreviation of
	 * --password-file: a password on a command line is seen by every
	 * user of the machine. -p is refused the same way where main
	 * passes it on.
	 */
	REPL_OPT_PASSWORD,
	REPL_OPT_HELP,
	REPL_OPT_VERSION,
	REPL_OPT_TOOL = REPL_OPT_BASE + 0x100
};
#define REPL_CONN_LONGOPTS \
	{ "user", required_argument, 0, 'u' }, \
	{ "password-file", required_argument, 0, REPL_OPT_PASSWORD_FILE }, \
	{ "defaults-file", required_argument, 0, REPL_OPT_DEFAULTS_FILE }, \
	{ "defaults-extra-file", required_argument, 0, \
	    REPL_OPT_DEFAULTS_EXTRA_FILE }, \
	{ "no-defaults", no_argument, 0, REPL_OPT_NO_DEFAULTS }, \
	{ "ssl-mode", required_argument, 0, REPL_OPT_SSL_MODE }, \
	{ "ssl-ca", required_argument, 0, REPL_OPT_SSL_CA }, \
	{ "ssl-cert", required_argument, 0, REPL_OPT_SSL_CERT }, \
	{ "ssl-key", required_argument, 0, REPL_OPT_SSL_KEY }, \
	{ "connect-timeout", required_argument, 0, REPL_OPT_CONNECT_TIMEOUT }, \
	{ "password", optional_argument, 0, REPL_OPT_PASSWORD }
/* --help and --version, which every tool takes. */
#define REPL_INFO_LONGOPTS \
	{ "help", no_argument, 0, REPL_OPT_HELP }, \
	{ "version", no_argument, 0, REPL_OPT_VERSION }

struct option;
int repl_opt_check(int, char *const [], const char *, const struct option *,
    char *, size_t);
int repl_getopt(int, char *const [], const char *, const struct option *);
int repl_opt_shared(int, const char *, struct repl_connopt *, const char *);
void repl_connopt_init(struct repl_connopt *, const char *);
int repl_connopt_set(struct repl_connopt *, int, const char *,
    struct repl_err *);
int repl_connopt_check(const struct repl_connopt *, struct repl_err *);
void repl_connopt_free(struct repl_connopt *);
int repl_tls_available(void);
int repl_optfile_read(void *, const struct repl_connopt *, struct repl_err *);
int repl_password_read(const char *, char **, struct repl_err *);
int repl_password_repl(const char *, char **, struct repl_err *);
void repl_password_free(char *);
void repl_wipe(void *, size_t);

/* A live connection and what we learned of its server. */
struct repl_conn {
	void *mysql;			/* MYSQL * */
	struct repl_addr addr;
	struct repl_server server;
	char name[REPL_HOST_MAX + 16];	/* operand as shown in messages */
};

int repl_server_offers_tls(const struct repl_addr *, int64_t,
    struct repl_err *);
int repl_conn_open(struct repl_conn *, const struct repl_addr *,
    const struct repl_connopt *, struct repl_err *);
void repl_conn_close(struct repl_conn *);
int repl_conn_error(struct repl_conn *, struct repl_err *, const char *);
int repl_conn_utf8mb4(struct repl_conn *, struct repl_err *);
int repl_conn_query(struct repl_conn *, const char *, struct repl_err *);
int repl_conn_scalar(struct repl_conn *, const char *, char *, size_t,
    int *, struct repl_err *);
int repl_conn_escape(struct repl_conn *, char *, size_t, const char *);

/*
 * Trying until a deadline (set by the caller): attempt is called with o's
 * connect timeout fitted to the time left; failed, if set, hears of each
 * failure that will be tried again.
 */
#define REPL_RETRY_PAUSE_MIN 50		/* ms, doubled after each failure */
#define REPL_RETRY_PAUSE_MAX 1000
#define REPL_RETRY_TIMEOUTS 1		/* a REPL_E_TIMEOUT is tried again */
#define REPL_RETRY_TIMED_OUT 2		/* at the deadline: "timed out: ..." */
struct repl_retry {
	int64_t deadline;		/* repl_now_ms() time */
	unsigned int connect_timeout;	/* the most one connect may take, s */
	int flags;			/* REPL_RETRY_* */
	int (*attempt)(void *, struct repl_connopt *, struct repl_err *);
	void (*failed)(void *, const struct repl_err *);
	void *arg;
};

unsigned int repl_retry_fit(unsigned int, int64_t);
int64_t repl_retry_backoff(int64_t);
int repl_retry_run(const struct repl_retry *, struct repl_connopt *,
    struct repl_err *);

#endif
