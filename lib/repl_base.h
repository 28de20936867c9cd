/* The base of replkit: exit codes, errors, durations, clocks, output. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_BASE_H
#define REPL_BASE_H

#include <stddef.h>
#include <stdio.h>
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

/* Durations, in milliseconds; whole numbers in a range. */
int repl_dur_parse(const char *, int64_t *);
int repl_num_parse(const char *, unsigned long long, unsigned long long,
    unsigned long long *);

/* The monotonic clock: deadlines in ms, lags shorter than that in us. */
int64_t repl_now_ms(void);
void repl_sleep_ms(int64_t);
int64_t repl_now_us(void);

/* Output: check stdout at exit; messages on stderr. */
extern const char *repl_progname;
void repl_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
int repl_fail(const struct repl_err *);
int repl_usage_error(const char *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* How much an engine's remark matters: main decides what it shows. */
enum repl_note {
	REPL_NOTE_WARN = 0,	/* worth saying unless told to be quiet */
	REPL_NOTE_INFO,		/* what was (or would be) done: -v, -n */
	REPL_NOTE_DEBUG		/* what was not looked at, and why: -v */
};
void repl_note(void (*)(void *, enum repl_note, const char *), void *,
    enum repl_note, const char *, ...) __attribute__((format(printf, 4, 5)));
/* A JSON string, always valid JSON (bytes not UTF-8 become U+FFFD). */
void repl_json_str(FILE *, const char *);
int repl_help(const char *);
int repl_version(void);
int repl_fshut(void);
int repl_stdin_has_input(void);

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

#endif
