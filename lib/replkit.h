/* replkit: the library every repl-* tool is a short script over. */
/* SPDX-License-Identifier: MIT */
#ifndef REPLKIT_H
#define REPLKIT_H

#include <stddef.h>
#include <stdint.h>

#define REPLKIT_VERSION "0.1.0"

/*
 * One exit-code table for every tool (replkit(7), EXIT STATUS).
 * 2 and 3 differ in one thing: whether a retry may help.
 */
enum {
	REPL_EXIT_OK = 0,	/* yes, equal, caught up */
	REPL_EXIT_NO = 1,	/* a negative answer: broken, differs */
	REPL_EXIT_USAGE = 2,	/* usage, bad input, permanent error */
	REPL_EXIT_TEMP = 3,	/* temporary failure: a retry may work */
	REPL_EXIT_TIMEOUT = 124	/* the deadline passed (as timeout(1)) */
};

/* What kind of failure a library call met; main maps it to an exit code. */
enum repl_errkind {
	REPL_E_NONE = 0,
	REPL_E_PERM,		/* permanent: bad input, refused login */
	REPL_E_TEMP,		/* temporary: refused connection, lost link */
	REPL_E_TIMEOUT,		/* the deadline passed */
	REPL_E_NO		/* the server answered "no" (broken replica) */
};

struct repl_err {
	enum repl_errkind kind;
	unsigned int sqlerrno;		/* the server's or client's errno */
	char sqlstate[6];
	char msg[512];
};

void repl_err_set(struct repl_err *, enum repl_errkind, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void repl_err_clear(struct repl_err *);
int repl_err_exit(const struct repl_err *);

/* Durations, in milliseconds. */
int repl_dur_parse(const char *, int64_t *);

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

/*
 * The coordinate line: a source's position, as key=value fields.
 * See replkit(7). Values here have passed their grammar.
 */
#define REPL_FILE_MAX 255
#define REPL_GTID_MAX 16383
#define REPL_UUID_LEN 36
#define REPL_LINE_MAX 65536
struct repl_coord {
	enum repl_flavor flavor;
	char host[REPL_HOST_MAX + 1];	/* empty: not given */
	unsigned int port;		/* 0: not given */
	unsigned long server_id;
	int has_server_id;
	char file[REPL_FILE_MAX + 1];	/* empty: not given */
	unsigned long long pos;		/* 0: not given */
	char gtid[REPL_GTID_MAX + 1];	/* empty: none */
	int has_gtid;
	char uuid[REPL_UUID_LEN + 1];	/* MySQL server_uuid */
};

int repl_coord_parse(struct repl_coord *, const char *, size_t,
    struct repl_err *);
int repl_coord_read(struct repl_coord *, int, int64_t, struct repl_err *);
void repl_coord_print(const struct repl_coord *, int json);
int repl_file_valid(const char *);
int repl_gtid_valid(enum repl_flavor, const char *);
int repl_uuid_valid(const char *);

/* The SQL dialect: the only place statement text is chosen. */
const char *repl_sql_binlog_status(const struct repl_server *);
const char *repl_sql_replica_status(const struct repl_server *);
const char *repl_sql_start_replica(const struct repl_server *);
const char *repl_sql_stop_replica(const struct repl_server *);
const char *repl_sql_change_source(const struct repl_server *);
const char *repl_sql_gtid_executed(const struct repl_server *);
const char *repl_sql_track_gtid(const struct repl_server *);
const char *repl_sql_last_gtid(const struct repl_server *);
int repl_sql_wait_gtid(char *, size_t, const struct repl_server *,
    const char *, int64_t);
int repl_sql_wait_pos(char *, size_t, const struct repl_server *,
    const char *, unsigned long long, int64_t);
int repl_sql_quote(char *, size_t, const char *);
int repl_sql_gtid_subtract(char *, size_t, const char *, const char *);

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
};

/* Long options every tool takes; codes from REPL_OPT_BASE up. */
#define REPL_OPT_BASE 0x1000
/*
 * --password is refused, never taken for an abbreviation of
 * --password-file: a password on a command line is seen by every user of
 * the machine. -p is refused the same way where main passes it on.
 */
#define REPL_OPT_PASSWORD (REPL_OPT_BASE + 10)
#define REPL_CONN_LONGOPTS \
	{ "user", required_argument, 0, 'u' }, \
	{ "password-file", required_argument, 0, REPL_OPT_BASE + 1 }, \
	{ "defaults-file", required_argument, 0, REPL_OPT_BASE + 2 }, \
	{ "defaults-extra-file", required_argument, 0, REPL_OPT_BASE + 3 }, \
	{ "no-defaults", no_argument, 0, REPL_OPT_BASE + 4 }, \
	{ "ssl-mode", required_argument, 0, REPL_OPT_BASE + 5 }, \
	{ "ssl-ca", required_argument, 0, REPL_OPT_BASE + 6 }, \
	{ "ssl-cert", required_argument, 0, REPL_OPT_BASE + 7 }, \
	{ "ssl-key", required_argument, 0, REPL_OPT_BASE + 8 }, \
	{ "connect-timeout", required_argument, 0, REPL_OPT_BASE + 9 }, \
	{ "password", optional_argument, 0, REPL_OPT_PASSWORD }

struct option;
int repl_opt_check(int, char *const [], const char *, const struct option *,
    char *, size_t);
int repl_getopt(int, char *const [], const char *, const struct option *);
void repl_connopt_init(struct repl_connopt *, const char *);
int repl_connopt_set(struct repl_connopt *, int, const char *,
    struct repl_err *);
int repl_connopt_check(const struct repl_connopt *, struct repl_err *);
void repl_connopt_free(struct repl_connopt *);
int repl_tls_available(void);
int repl_optfile_read(void *, const struct repl_connopt *, struct repl_err *);
int repl_password_read(const char *, char **, struct repl_err *);
char *repl_password_dup(const char *);
void repl_password_free(char *);

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
int repl_conn_query(struct repl_conn *, const char *, struct repl_err *);
int repl_conn_scalar(struct repl_conn *, const char *, char *, size_t,
    int *, struct repl_err *);

/* A replica's status, read by column name in either spelling. */
struct repl_replica {
	int configured;			/* a status row exists */
	char io_running[16];		/* Yes, No, Connecting, Preparing */
	char sql_running[16];
	unsigned int last_io_errno;
	char last_io_error[512];
	unsigned int last_sql_errno;
	char last_sql_error[512];
	long long seconds_behind;	/* -1: NULL */
	char source_host[REPL_HOST_MAX + 1];
	unsigned int source_port;
	char exec_file[REPL_FILE_MAX + 1];
	unsigned long long exec_pos;
	char using_gtid[32];		/* MariaDB Using_Gtid; MySQL "1"/"0" */
	char read_file[REPL_FILE_MAX + 1];	/* the IO thread's source file */
};

int repl_replica_status(struct repl_conn *, struct repl_replica *,
    struct repl_err *);
void repl_gtid_squeeze(char *);
int repl_gtid_mysql_minus(struct repl_conn *, const char *, const char *,
    char *, size_t, struct repl_err *);
int repl_replica_running(const struct repl_replica *);
int repl_replica_broken(const struct repl_replica *, struct repl_err *);

/* Pointing a replica at a source (repl-attach). */
enum repl_start {
	REPL_START_GTID = 0,	/* MASTER_USE_GTID=slave_pos, AUTO_POSITION */
	REPL_START_FILEPOS	/* binary log file and position */
};

struct repl_source {
	char host[REPL_HOST_MAX + 1];
	unsigned int port;
	const char *user;		/* escaped for a string literal */
	const char *password;		/* escaped; NULL: leave as it is */
	unsigned int connect_retry;	/* seconds; 0: the server's default */
	enum repl_ssl_mode ssl_mode;	/* of the replication channel */
	const char *ssl_ca;		/* escaped path on the replica */
	enum repl_start start;
	char file[REPL_FILE_MAX + 1];
	unsigned long long pos;
};

int repl_sql_attach(char *, size_t, const struct repl_server *,
    const struct repl_source *);
int repl_sql_set_gtid_pos(char *, size_t, const struct repl_server *,
    const char *);
int repl_conn_escape(struct repl_conn *, char *, size_t, const char *);
int repl_attach_check(struct repl_conn *, const struct repl_coord *,
    enum repl_start, int, struct repl_err *);
int repl_attach_wait(struct repl_conn *, int64_t, struct repl_err *);
int repl_circular_same_domain(struct repl_conn *, struct repl_conn *,
    char *, size_t, struct repl_err *);
int repl_binlog_purged(struct repl_conn *, char *, size_t, struct repl_err *);
int repl_gtid_mariadb_covers(const char *, const char *, int, char *,
    size_t);

/* A source's position (repl-pos). */
int repl_pos_read(struct repl_conn *, struct repl_coord *, struct repl_err *);

/* Waiting: monotonic clock and deadlines, in milliseconds. */
int64_t repl_now_ms(void);
void repl_sleep_ms(int64_t);
int repl_wait_applied(struct repl_conn *, const struct repl_coord *,
    int64_t deadline, struct repl_err *);

/* Output: check stdout at exit; messages on stderr. */
extern const char *repl_progname;
void repl_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
int repl_usage_error(const char *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
int repl_fshut(void);
int repl_stdin_has_input(void);

/*
 * repl-count: row counts of tables on many servers at once. Schema and
 * table names come from servers and from the command line; they reach
 * SQL only through repl_sql_ident and repl_sql_hexstr.
 */
#include <stdio.h>
#include <time.h>

#define REPL_NAME_CHARS 64	/* characters of a schema or table name */
#define REPL_NAME_MAX 256	/* ... and bytes, in UTF-8 */

struct repl_table {
	char db[REPL_NAME_MAX + 1];
	char name[REPL_NAME_MAX + 1];
};

size_t repl_utf8_len(const char *);
size_t repl_utf8_len_n(const char *, size_t);
int repl_name_valid(const char *);
int repl_table_parse(struct repl_table *, const char *, struct repl_err *);
int repl_table_cmp(const void *, const void *);
int repl_sql_ident(char *, size_t, const char *);
int repl_sql_hexstr(char *, size_t, const char *);

/* One server's answer for one table. */
enum repl_cell_state {
	REPL_CELL_ROWS = 0,	/* rows holds the count */
	REPL_CELL_MISSING,	/* no such table there */
	REPL_CELL_ERROR,	/* the count failed: the server's err */
	REPL_CELL_DOWN		/* the server could not be reached */
};

struct repl_cell {
	enum repl_cell_state state;
	unsigned long long rows;
};

/* A table's verdict across the servers, in the order of precedence. */
enum repl_row_status {
	REPL_ROW_EQUAL = 0,	/* every server counted the same */
	REPL_ROW_DOWN,		/* equal so far; a server down */
	REPL_ROW_ERROR,		/* equal so far; a count failed */
	REPL_ROW_MISSING,	/* missing wherever it was looked for */
	REPL_ROW_DIFFER		/* counts differ, or missing on some */
};

struct repl_count_server {
	const char *operand;		/* as given: the column header */
	struct repl_addr addr;
	int up;				/* connected this round */
	int caught_up;			/* --wait: reached the first's pos */
	struct repl_err err;		/* its first failure this round */
	struct repl_err wait_err;	/* --wait: why it did not catch up */
};

struct repl_count {
	/* Set by the caller. */
	struct repl_count_server *srv;
	size_t nsrv;
	char **dbs;			/* -d: whole schemas */
	size_t ndbs;
	const struct repl_table *want;	/* -T: single tables */
	size_t nwant;
	int estimate;			/* TABLE_ROWS, not COUNT(*) */
	int wait;			/* --wait, for at most timeout ms */
	int64_t timeout;
	/* Filled by repl_count_round. */
	time_t started;
	struct repl_table *tab;		/* sorted, each once */
	size_t ntab;
	struct repl_cell *cell;		/* ntab rows of nsrv cells */
	const char *nodb;		/* a -d schema without tables */
	size_t list_from;		/* the server that listed them */
	struct repl_err err;		/* a failure of the round itself */
};

#define REPL_COUNT_JSON 1		/* repl_count_print: one JSON object */
#define REPL_COUNT_STAMP 2		/* ... text: a time line first */

int repl_count_init(void);
void repl_count_end(void);
int repl_count_list(struct repl_conn *, char *const *, size_t,
    struct repl_table **, size_t *, struct repl_err *);
int repl_count_table(struct repl_conn *, const struct repl_table *, int,
    struct repl_cell *, struct repl_err *);
int repl_count_round(struct repl_count *, const struct repl_connopt *);
void repl_count_free(struct repl_count *);
enum repl_row_status repl_count_row(const struct repl_count *, size_t);
const char *repl_count_status_name(enum repl_row_status);
int repl_count_exit(const struct repl_count *);
int repl_count_print(FILE *, const struct repl_count *, int);
void repl_count_each(void *, size_t, size_t, void *(*)(void *));
void repl_count_unique(struct repl_table *, size_t *);
int repl_count_lost(unsigned int);
int repl_count_opt(int, char *, char **, size_t *, struct repl_table *,
    size_t *, int64_t *, struct repl_err *);

/*
 * repl-feed: a data generator that prints the coordinate line of each
 * commit. Table names reach SQL only through repl_sql_ident.
 */
enum {
	REPL_FEED_COMMITTED = 0,	/* committed, position in the coord */
	REPL_FEED_FAILED,		/* refused by the server: not written */
	REPL_FEED_UNKNOWN,		/* connection lost: may have committed */
	REPL_FEED_NOPOS			/* committed, position unreadable */
};

int repl_feed_sql_create_db(char *, size_t, const struct repl_table *);
int repl_feed_sql_create_table(char *, size_t, const struct repl_table *,
    unsigned int);
size_t repl_feed_sql_insert_size(unsigned int, unsigned int);
int repl_feed_sql_insert(char *, size_t, const struct repl_table *,
    unsigned int, unsigned int, const char *);
uint64_t repl_feed_seed(uint64_t);
void repl_feed_payload(char *, size_t, uint64_t *);
int repl_feed_session(struct repl_conn *, struct repl_coord *, int *,
    struct repl_err *);
int repl_feed_commit(struct repl_conn *, const char *, size_t, int,
    struct repl_coord *, struct repl_err *);
int repl_feed_position(struct repl_conn *, int, struct repl_coord *,
    struct repl_err *);
int repl_feed_own_gtid(const char *, size_t, char *, size_t);

/* The binary protocol's bulk INSERT of a batch (MariaDB). */
struct repl_feed_bulk {
	void *stmt;			/* MYSQL_STMT * */
	void *bind;			/* MYSQL_BIND *: the payload column */
	char **ptr;			/* a payload per row */
	unsigned long *len;
	unsigned int cap, size;
};

int repl_feed_bulk_open(struct repl_feed_bulk *, struct repl_conn *,
    const struct repl_table *, unsigned int, unsigned int, struct repl_err *);
void repl_feed_bulk_close(struct repl_feed_bulk *);
int repl_feed_bulk_commit(struct repl_feed_bulk *, struct repl_conn *,
    const char *, unsigned int, int, struct repl_coord *, struct repl_err *);
int64_t repl_now_us(void);

/* After a lost connection: did the batch with this first payload commit? */
#define REPL_FEED_MARK_MIN 16	/* payload bytes that make a batch unique */
int repl_feed_server_start(struct repl_conn *, int64_t *, struct repl_err *);
int repl_feed_check(struct repl_conn *, const struct repl_table *,
    const char *, unsigned long, int64_t, int64_t, struct repl_err *);

/* Lines of several writers, held until they can go out in commit order. */
struct repl_feed_line {
	uint64_t key;			/* repl_feed_line_key */
	uint64_t at;			/* answers before it, itself included */
	struct repl_coord *co;
};

struct repl_feed_order {
	size_t nw;			/* writers */
	uint64_t ev;			/* lines received */
	uint64_t *sent;			/* per writer: ev when it sent; or idle */
	struct repl_feed_line *line;	/* held, sorted by key */
	size_t nline, cap;
};

uint64_t repl_feed_line_key(const struct repl_coord *);
int repl_feed_order_init(struct repl_feed_order *, size_t);
void repl_feed_order_free(struct repl_feed_order *);
void repl_feed_order_send(struct repl_feed_order *, size_t);
int repl_feed_order_done(struct repl_feed_order *, size_t,
    struct repl_coord *);
struct repl_coord *repl_feed_order_next(struct repl_feed_order *);

/* A repl-feed run (repl_feed_run): what is asked, and what happened. */
#include <pthread.h>

struct repl_feed {
	/* Set by the caller. */
	struct repl_addr addr;
	const struct repl_connopt *o;
	struct repl_table table;
	unsigned long long rows;	/* -n; 0 with -d */
	int64_t end;			/* -d: repl_now_ms() time; else -1 */
	unsigned int batch, size;	/* rows per transaction, bytes each */
	size_t conns;			/* writers at once */
	double rate;			/* rows per second; 0: no limit */
	int64_t interval;		/* ms between lines; 0: every commit */
	int64_t reconnect;		/* ms to try to connect */
	void (*line)(const struct repl_coord *);	/* a commit's line */
	void (*note)(const char *);	/* what happened, for stderr */
	/* The outcome. */
	unsigned long long committed, txns;	/* rows and transactions */
	unsigned long long unknown_rows, unknown_txns;
	struct repl_err err;		/* why it stopped, when it failed */
	/* Inside the run, under mu. */
	pthread_mutex_t mu;
	int64_t t0;
	unsigned long long claimed;	/* rows handed to the writers */
	unsigned long long batches;	/* batches handed out */
	int stop;			/* a writer failed: err says why */
	struct repl_feed_order order;
	struct repl_coord *last;	/* interval: held back, not yet out */
	int64_t next_print;
};

int repl_feed_run(struct repl_feed *);

/* Coordinate lines one at a time, each stamped when it arrived. */
struct repl_lines {
	int fd;
	char *buf;			/* REPL_LINE_MAX + 2 bytes */
	size_t len;
	int64_t *stamp;			/* arrival of each newline in buf */
	size_t nstamp;
	int eof;
	int64_t eof_us;
};

int repl_lines_init(struct repl_lines *, int, struct repl_err *);
void repl_lines_free(struct repl_lines *);
int repl_lines_poll(struct repl_lines *, struct repl_err *);
int repl_lines_next(struct repl_lines *, char *, size_t *, int64_t *,
    struct repl_err *);

/*
 * repl-diff: schema and row differences between a source and replicas.
 * Values reach SQL only as literals built by repl_diff_sql_literal.
 */
#define REPL_DIFF_KEY_MAX 16		/* columns of a key */

enum repl_diff_ctype {
	REPL_DIFF_TEXT = 0,		/* character data: quoted */
	REPL_DIFF_NUM,			/* integers, decimals, floats */
	REPL_DIFF_TIME,			/* dates and times */
	REPL_DIFF_BIN			/* bytes: binary, blobs, bits */
};

/* How the row hash takes a column's values: on every server alike. */
enum repl_diff_hkind {
	REPL_DIFF_H_BYTES = 0,		/* as bytes: text, binary data */
	REPL_DIFF_H_PRINT,		/* a number or time, as printed */
	REPL_DIFF_H_INT32		/* an integer of 32 bits or fewer */
};

struct repl_diff_col {
	char name[REPL_NAME_MAX + 1];
	char type[256];			/* COLUMN_TYPE, e.g. int(11) */
	char collation[64];		/* empty: none (no text) */
	enum repl_diff_ctype ctype;
	enum repl_diff_hkind hkind;
	int nullable;
	unsigned int pos;		/* ORDINAL_POSITION */
};

struct repl_diff_key {
	char name[REPL_NAME_MAX + 1];	/* PRIMARY for the primary key */
	size_t ncol;
	char col[REPL_DIFF_KEY_MAX][REPL_NAME_MAX + 1];
};

/* A table as one server has it. */
struct repl_diff_schema {
	int exists;
	struct repl_diff_col *col;	/* by ORDINAL_POSITION */
	size_t ncol;
	struct repl_diff_key *key;	/* unique keys, PRIMARY first */
	size_t nkey;
};

/* What a comparison of a table works on: its common columns. */
struct repl_diff_tab {
	struct repl_table t;
	struct repl_diff_col *col;	/* common columns, source order */
	size_t ncol;
	size_t key[REPL_DIFF_KEY_MAX];	/* the key's columns in col */
	size_t nkey;			/* 0: no usable key */
	int crc32c;			/* every server has CRC32C() */
	int samecoll;			/* text in one collation everywhere */
};

/* A row: a value per column of a repl_diff_tab; val NULL is NULL. */
struct repl_diff_row {
	char **val;
	unsigned long *len;
};

enum repl_diff_what {
	REPL_DIFF_TABLE_MISSING = 0,	/* on the source, not the replica */
	REPL_DIFF_TABLE_EXTRA,
	REPL_DIFF_COLUMN_MISSING,	/* name */
	REPL_DIFF_COLUMN_EXTRA,		/* name */
	REPL_DIFF_COLUMN_TYPE,		/* name, a (source), b (replica) */
	REPL_DIFF_COLUMN_ORDER,		/* name, a, b: positions */
	REPL_DIFF_KEY_MISSING,		/* name, a: its columns */
	REPL_DIFF_KEY_EXTRA,		/* name, a */
	REPL_DIFF_KEY_DIFFERS,		/* name, a, b */
	REPL_DIFF_COMMON,		/* a: the columns compared */
	REPL_DIFF_NOKEY,		/* whole-table checksums differ */
	REPL_DIFF_ROW_MISSING,		/* src */
	REPL_DIFF_ROW_EXTRA,		/* rep */
	REPL_DIFF_ROW_DIFFERS		/* src, rep: the columns that differ */
};

/* One difference, as repl_diff_print prints it. */
struct repl_diff_rec {
	enum repl_diff_what what;
	const char *replica;		/* the operand */
	const struct repl_diff_tab *tab;
	const char *name, *a, *b;
	const struct repl_diff_row *src, *rep;
};

#define REPL_DIFF_OUT_TEXT 0
#define REPL_DIFF_OUT_JSON 1
#define REPL_DIFF_OUT_SQL 2

struct repl_diff_server {
	const char *operand;
	struct repl_addr addr;
	int up;				/* connected, not lost */
	int synced;			/* caught up with the source once */
	struct repl_err err;		/* its first failure */
	unsigned long ndiff;		/* differences found on it */
};

struct repl_diff {
	/* Set by the caller. */
	struct repl_diff_server *srv;	/* [0] the source */
	size_t nsrv;
	char **dbs;
	size_t ndbs;
	const struct repl_table *want;
	size_t nwant;
	int64_t timeout;		/* each wait for a replica, ms */
	int64_t chunk_ms;		/* the time target of a chunk */
	int portable;			/* hash as if no server had CRC32C */
	void (*emit)(void *, size_t, const struct repl_diff_rec *);
	void (*note)(void *, const char *);
	void *arg;
	/* Filled by repl_diff_run. */
	size_t ntab;			/* tables compared */
	unsigned long long rows;	/* rows checksummed on the source */
	unsigned long chunks, rechecks;
	unsigned long ndiff;
	int nodata;			/* a -T table nowhere, a -d empty */
	struct repl_err err;		/* a failure of the run itself */
};

enum repl_diff_ctype repl_diff_ctype(const char *);
enum repl_diff_hkind repl_diff_hkind(const char *);
size_t repl_diff_keylist(char *, size_t, const struct repl_diff_key *);
int repl_diff_schema_read(struct repl_conn *, const struct repl_table *,
    struct repl_diff_schema *, struct repl_err *);
void repl_diff_schema_free(struct repl_diff_schema *);
int repl_diff_schema_cmp(const struct repl_diff_schema *,
    const struct repl_diff_schema *, const char *,
    const struct repl_diff_tab *,
    void (*)(void *, const struct repl_diff_rec *), void *);
int repl_diff_tab_make(struct repl_diff_tab *, const struct repl_table *,
    const struct repl_diff_schema *, size_t);
void repl_diff_tab_free(struct repl_diff_tab *);
/* A growing string; oom set once an append failed. */
struct repl_sb {
	char *s;
	size_t len, cap;
	int oom;
};

void repl_sb_add(struct repl_sb *, const char *, size_t);
void repl_sb_str(struct repl_sb *, const char *);
void repl_sb_fmt(struct repl_sb *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void repl_sb_free(struct repl_sb *);
void repl_diff_sql_literal(struct repl_sb *, const struct repl_diff_col *,
    const char *, unsigned long);
void repl_diff_sql_ident(struct repl_sb *, const char *);
void repl_diff_sql_table(struct repl_sb *, const struct repl_table *);
void repl_diff_sql_hashes(struct repl_sb *, const struct repl_diff_tab *,
    int);
void repl_diff_sql_hash(struct repl_sb *, const struct repl_diff_tab *);
void repl_diff_sql_range(struct repl_sb *, const struct repl_diff_tab *,
    const struct repl_diff_row *, const struct repl_diff_row *);
void repl_diff_sql_keyeq(struct repl_sb *, const struct repl_diff_tab *,
    const struct repl_diff_row *);
int repl_diff_same(const struct repl_diff_tab *, size_t,
    const struct repl_diff_row *, const struct repl_diff_row *);
int repl_diff_print(FILE *, int, const struct repl_diff_rec *);
int repl_diff_run(struct repl_diff *, const struct repl_connopt *);
int repl_diff_exit(const struct repl_diff *);
int repl_sql_has_crc32c(const struct repl_server *);

#endif
