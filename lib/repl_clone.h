/* The engine of repl-clone: a source's data copied into an empty server. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_CLONE_H
#define REPL_CLONE_H

#include "repl_attach.h"
#include "repl_table.h"

/* How a column's values travel: as text, or through a conversion. */
enum repl_clone_conv {
	REPL_CLONE_PLAIN = 0,		/* bytes as the server sends */
	REPL_CLONE_BIT,			/* BIT: as a number, CAST back */
	REPL_CLONE_JSON			/* MySQL JSON: text in utf8mb4 */
};

struct repl_clone_col {
	char name[REPL_NAME_MAX + 1];
	enum repl_clone_conv conv;
};

/* A table to copy, as the source has it. */
struct repl_clone_tab {
	struct repl_table t;
	struct repl_clone_col *col;	/* stored columns, in order */
	size_t ncol;
	char key[REPL_NAME_MAX + 1];	/* integer key to split on, or "" */
	int key_unsigned;
	char lo[24], hi[24];		/* the key's range, as text */
	int trans;			/* its engine has transactions */
	char engine[64];
	unsigned long long rows_est, bytes_est;
	char *create;			/* SHOW CREATE TABLE */
	unsigned int nchunk;		/* how many parts copy it */
};

/* One part of a table: key >= lo (when has_lo) and key < hi (has_hi). */
struct repl_clone_chunk {
	size_t tab;
	int has_lo, has_hi;
	char lo[24], hi[24];
};

/* Another object of a database, created after the rows. */
enum repl_clone_okind {
	REPL_CLONE_VIEW = 0,
	REPL_CLONE_PROCEDURE,
	REPL_CLONE_FUNCTION,
	REPL_CLONE_TRIGGER,
	REPL_CLONE_EVENT
};

struct repl_clone_obj {
	enum repl_clone_okind kind;
	char db[REPL_NAME_MAX + 1];
	char name[REPL_NAME_MAX + 1];
};

/* How the data travels. */
enum repl_clone_method {
	REPL_CLONE_LOGICAL = 0,		/* rows, by SELECT and LOAD DATA */
	REPL_CLONE_INSTANCE		/* MySQL's clone plugin, physical */
};

struct repl_clone {
	/* Set by the caller. */
	const char *src_name, *rep_name;	/* operands, for messages */
	struct repl_addr src_addr, rep_addr;
	const struct repl_addr *advertise;	/* NULL: the operand's */
	const struct repl_connopt *opt;
	char **dbs;
	size_t ndbs;
	const struct repl_table *want;
	size_t nwant;
	unsigned int jobs;		/* workers, each two connections */
	int64_t lock_timeout;		/* ms, for each lock and wait */
	int force;			/* drop what the replica holds */
	int dry;			/* the plan only: change nothing */
	enum repl_clone_method method;
	void (*note)(void *, enum repl_note, const char *);
	void (*progress)(void *, const struct repl_clone *, int);
	void *arg;
	/* Filled by repl_clone_run. */
	struct repl_coord co;		/* snapshot's coordinate line */
	struct repl_clone_tab *tab;
	size_t ntab;
	struct repl_clone_obj *obj;
	size_t nobj;
	char **schemas;			/* the databases created */
	size_t nschemas;
	const char *lock;		/* lock the snapshot took, or NULL */
	unsigned long long rows, bytes;	/* copied so far (progress) */
	unsigned long long rows_est, bytes_est;
	size_t tabs_done;
	char stage[32];			/* --method=clone: its stage now */
	int64_t started_ms;
	int backup_lock;		/* MySQL: LOCK INSTANCE FOR BACKUP */
	/* The replica had local_infile off. */
	int infile_off;
	/* It held a clone's marker before. */
	int leftover;
	char **drop;			/* the databases dropped first */
	size_t ndrop;
	int marked;			/* the marker is on the replica */
	/* --method=clone: its failure left the replica's data removed. */
	int wiped;
};

int repl_clone_run(struct repl_clone *, struct repl_err *);
void repl_clone_free(struct repl_clone *);

/* Pure parts, unit-tested: the text LOAD DATA reads, and the SQL. */
size_t repl_clone_escape(char *, const char *, size_t);
int repl_clone_select_sql(struct repl_sb *, const struct repl_clone_tab *,
    const struct repl_clone_chunk *);
int repl_clone_load_sql(struct repl_sb *, const struct repl_clone_tab *);
unsigned int repl_clone_split(const char *, const char *, int,
    unsigned int, char (*)[24]);
const char *repl_clone_okind_name(enum repl_clone_okind);
int repl_clone_same_create(const char *, const char *);

#endif
