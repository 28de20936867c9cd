/*
 * repl-clone --method=clone: MySQL's clone plugin copies the source's
 * whole instance, physically, into the replica (CLONE INSTANCE FROM, run
 * on the replica); the replica restarts on the copy, and its
 * performance_schema.clone_status then gives the source's binary log
 * position and GTID set the copy holds.
 */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>
#include <errmsg.h>

#include "replkit.h"
#include "clone_int.h"

#define CLONE_MIN_VERSION 80017UL	/* the clone plugin's first */
#define ER_CLONE_NO_SUPERVISOR 3707	/* "Restart server failed ..." */

/* Refuse unless c is MySQL 8.0.17 or later with the plugin active. */
static int
plugin_check(struct repl_conn *c, struct repl_err *err)
{
	char buf[64];
	int isnull;

	if (c->server.flavor != REPL_FLAVOR_MYSQL ||
	    c->server.version < CLONE_MIN_VERSION) {
		repl_err_set(err, REPL_E_PERM, "'%s' is %s %lu.%lu.%lu: "
		    "--method=clone needs MySQL 8.0.17 or later on both "
		    "servers (the logical copy, the default, works on every "
		    "flavor)", c->name, repl_flavor_name(c->server.flavor),
		    c->server.version / 10000, c->server.version / 100 % 100,
		    c->server.version % 100);
		return -1;
	}
	if (repl_conn_scalar(c, "SELECT PLUGIN_STATUS FROM "
	    "information_schema.PLUGINS WHERE PLUGIN_NAME = 'clone'", buf,
	    sizeof(buf), &isnull, err) == -1)
		return -1;
	if (isnull || strcmp(buf, "ACTIVE") != 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' has no active clone "
		    "plugin: --method=clone needs it on both servers "
		    "(INSTALL PLUGIN clone SONAME 'mysql_clone.so', or "
		    "plugin-load-add=mysql_clone.so in its configuration)",
		    c->name);
		return -1;
	}
	return 0;
}

/* What clone_status says of the last clone into a server. */
struct status {
	char id[24], begin[40], state[24], errno_[16], errmsg[512];
	char file[REPL_FILE_MAX + 1], pos[24];
	char gtid[REPL_GTID_MAX + 1];	/* without white space */
	int gtid_fits;			/* else gtid is cut short */
	int any;			/* a row was there */
};

static void
cell(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s != NULL ? s : "");
}

static int
status_read(struct repl_conn *c, struct status *st, struct repl_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	memset(st, 0, sizeof(*st));
	if (mysql_query(c->mysql, "SELECT ID, BEGIN_TIME, STATE, ERROR_NO, "
	    "ERROR_MESSAGE, BINLOG_FILE, BINLOG_POSITION, GTID_EXECUTED FROM "
	    "performance_schema.clone_status") != 0 ||
	    (res = mysql_store_result(c->mysql)) == NULL)
		return repl_conn_error(c, err, "unable to read "
		    "performance_schema.clone_status on");
	if ((row = mysql_fetch_row(res)) != NULL &&
	    mysql_num_fields(res) == 8) {
		st->any = 1;
		cell(st->id, sizeof(st->id), row[0]);
		cell(st->begin, sizeof(st->begin), row[1]);
		cell(st->state, sizeof(st->state), row[2]);
		cell(st->errno_, sizeof(st->errno_), row[3]);
		cell(st->errmsg, sizeof(st->errmsg), row[4]);
		cell(st->file, sizeof(st->file), row[5]);
		cell(st->pos, sizeof(st->pos), row[6]);
		st->gtid_fits = repl_gtid_squeeze_into(st->gtid,
		    sizeof(st->gtid), row[7]) == 0;
	}
	mysql_free_result(res);
	return 0;
}

/* The replica, waited for after its restart. */
struct back {
	struct repl_clone *cl;
	struct repl_conn *rep;
	const struct status *before;
	struct status after;
	int said;
};

static int
back_attempt(void *arg, struct repl_connopt *o, struct repl_err *err)
{
	struct back *b = arg;

	repl_conn_close(b->rep);
	if (repl_conn_open(b->rep, &b->cl->rep_addr, o, err) == -1 ||
	    status_read(b->rep, &b->after, err) == -1)
		return -1;
	/* The old server, still going down; or the new one, recovering. */
	if (!b->after.any || (strcmp(b->after.id, b->before->id) == 0 &&
	    strcmp(b->after.begin, b->before->begin) == 0) ||
	    strcmp(b->after.state, "In Progress") == 0) {
		repl_err_set(err, REPL_E_TEMP, "'%s' has not finished the "
		    "clone yet", b->rep->name);
		return -1;
	}
	return 0;
}

static void
back_failed(void *arg, const struct repl_err *err)
{
	struct back *b = arg;

	if (b->said++ == 0)
		repl_note(b->cl->note, b->cl->arg, REPL_NOTE_INFO, "waiting "
		    "for '%s' to come back on its copy: %s", b->rep->name,
		    err->msg);
}

/*
 * Did the failed clone (begun after before) get as far as removing the
 * replica's data?
 * Returns 1 (yes, or it cannot be told), 0 (nothing was removed).
 */
static int
data_dropped(struct repl_conn *rep, const struct status *before)
{
	struct status now;
	struct repl_err e;
	char buf[64];
	int isnull;

	if (rep->mysql == NULL || status_read(rep, &now, &e) == -1)
		return 1;
	/* Refused before it began: clone_status still tells of the last. */
	if (!now.any || (strcmp(now.id, before->id) == 0 &&
	    strcmp(now.begin, before->begin) == 0))
		return 0;
	if (repl_conn_scalar(rep, "SELECT STATE FROM "
	    "performance_schema.clone_progress WHERE STAGE = 'DROP DATA'",
	    buf, sizeof(buf), &isnull, &e) == -1)
		return 1;
	/* No stage at all: refused while it connected to the source. */
	return !isnull && strcmp(buf, "Not Started") != 0;
}

/* A failed clone removed the replica's databases: mark it, if it can be. */
static void
wiped(struct repl_clone *cl, struct repl_conn *rep)
{
	struct repl_err e;

	cl->wiped = 1;
	/* The marker is the replica's own: not in its binary log. */
	if (rep->mysql != NULL &&
	    repl_conn_query(rep, "SET SESSION sql_log_bin = 0", &e) == 0)
		(void)clone_mark(cl, rep, &e);
}

/* The statement, with the account the workers of a logical copy use. */
static int
clone_sql(struct repl_sb *sb, struct repl_conn *rep, struct repl_conn *src,
    const struct repl_clone *cl, const char *host, unsigned int port)
{
	MYSQL *m = src->mysql;
	const char *user = m->user != NULL ? m->user : "";
	const char *pw = m->passwd != NULL ? m->passwd : "";
	char *eu, *eh, *ep;
	int ret = -1;

	eu = malloc(2 * strlen(user) + 1);
	eh = malloc(2 * strlen(host) + 1);
	ep = malloc(2 * strlen(pw) + 1);
	if (eu != NULL && eh != NULL && ep != NULL &&
	    repl_conn_escape(rep, eu, 2 * strlen(user) + 1, user) == 0 &&
	    repl_conn_escape(rep, eh, 2 * strlen(host) + 1, host) == 0 &&
	    repl_conn_escape(rep, ep, 2 * strlen(pw) + 1, pw) == 0) {
		repl_sb_fmt(sb, "CLONE INSTANCE FROM '%s'@'%s':%u IDENTIFIED "
		    "BY '%s'%s", eu, eh, port, ep,
		    cl->opt->ssl_mode == REPL_SSL_DISABLED ? " REQUIRE NO SSL" :
		    cl->opt->ssl_mode >= REPL_SSL_REQUIRED ? " REQUIRE SSL" :
		    "");
		ret = sb->oom ? -1 : 0;
	}
	if (ep != NULL)
		repl_wipe(ep, strlen(ep));
	free(eu);
	free(eh);
	free(ep);
	return ret;
}

/*
 * Progress: the replica's performance_schema.clone_progress, read each
 * second on a connection of its own while the clone runs, until told to
 * stop or the replica goes down for its restart.
 */
struct watch {
	struct repl_clone *cl;
	const struct repl_connopt *o;
	atomic_int stop;
};

static void *
watch_run(void *arg)
{
	struct watch *wa = arg;
	struct repl_clone *cl = wa->cl;
	struct repl_conn c = { 0 };
	struct repl_err e;
	MYSQL_RES *res;
	MYSQL_ROW row;
	int tick;

	if (repl_conn_open(&c, &cl->rep_addr, wa->o, &e) == -1)
		return NULL;
	while (!atomic_load(&wa->stop)) {
		for (tick = 0; tick < 10 && !atomic_load(&wa->stop); tick++)
			repl_sleep_ms(100);
		if (atomic_load(&wa->stop) || mysql_query(c.mysql, "SELECT "
		    "STAGE, STATE, ESTIMATE, DATA FROM "
		    "performance_schema.clone_progress") != 0 ||
		    (res = mysql_store_result(c.mysql)) == NULL)
			break;
		cl->bytes = cl->bytes_est = 0;
		while ((row = mysql_fetch_row(res)) != NULL &&
		    mysql_num_fields(res) == 4) {
			if (row[2] != NULL)
				cl->bytes_est += strtoull(row[2], NULL, 10);
			if (row[3] != NULL)
				cl->bytes += strtoull(row[3], NULL, 10);
			if (row[0] != NULL && row[1] != NULL &&
			    strcmp(row[1], "In Progress") == 0)
				snprintf(cl->stage, sizeof(cl->stage), "%s",
				    row[0]);
		}
		mysql_free_result(res);
		cl->progress(cl->arg, cl, 0);
	}
	repl_conn_close(&c);
	return NULL;
}

/* Let the replica take a clone from host:port. *old: the list it had. */
static int
donor_allow(struct repl_clone *cl, struct repl_conn *rep, const char *host,
    unsigned int port, char *old, size_t n, int *set, struct repl_err *err)
{
	struct repl_sb sb = { 0 };
	char want[REPL_HOST_MAX + 16], q[2 * (REPL_HOST_MAX + 16) + 4];
	const char *p;
	int isnull, r;

	*set = 0;
	if (repl_conn_scalar(rep, "SELECT @@GLOBAL.clone_valid_donor_list",
	    old, n, &isnull, err) == -1)
		return -1;
	if (isnull)
		old[0] = '\0';
	snprintf(want, sizeof(want), "%s:%u", host, port);
	/* Already listed: nothing to change. */
	for (p = old; (p = strstr(p, want)) != NULL; p++)
		if ((p == old || p[-1] == ',') &&
		    (p[strlen(want)] == '\0' || p[strlen(want)] == ','))
			return 0;
	if (repl_sql_hexstr(q, sizeof(q), want) == -1) {
		repl_err_set(err, REPL_E_PERM, "'%s': the address '%s' is "
		    "too long", rep->name, want);
		return -1;
	}
	repl_note(cl->note, cl->arg, REPL_NOTE_INFO, "'%s': "
	    "clone_valid_donor_list = '%s' for the clone", rep->name, want);
	repl_sb_fmt(&sb, "SET GLOBAL clone_valid_donor_list = %s", q);
	if (sb.oom) {
		repl_err_set(err, REPL_E_TEMP, "out of memory");
		return -1;
	}
	r = repl_conn_query(rep, sb.s, err);
	repl_sb_free(&sb);
	if (r == 0)
		*set = 1;
	return r;
}

static void
donor_restore(struct repl_conn *rep, const char *old)
{
	struct repl_sb sb = { 0 };
	char q[2 * 1024 + 4];
	struct repl_err e;

	if (rep->mysql == NULL || (old[0] != '\0' &&
	    repl_sql_hexstr(q, sizeof(q), old) == -1))
		return;
	/* None (NULL) or empty: the default, NULL, is as good. */
	repl_sb_fmt(&sb, "SET GLOBAL clone_valid_donor_list = %s",
	    old[0] != '\0' ? q : "DEFAULT");
	if (!sb.oom)
		(void)repl_conn_query(rep, sb.s, &e);
	repl_sb_free(&sb);
}

/*
 * The whole clone by the plugin. Returns 0 with cl->co the position the
 * replica's copy holds, or -1 with err.
 */
int
clone_instance(struct repl_clone *cl, struct repl_err *err)
{
	struct repl_conn src = { 0 }, rep = { 0 };
	struct repl_connopt o = *cl->opt;
	struct repl_sb sql = { 0 };
	struct status before;
	struct back b;
	struct repl_retry rt;
	struct watch wa;
	pthread_t tid;
	int watching;
	char host[REPL_HOST_MAX + 1], old[1024], buf[64], last[600];
	unsigned int port, e;
	int isnull, set = 0, ret = -1;
	size_t i;

	cl->started_ms = repl_now_ms();
	o.local_infile = 0;
	if (repl_conn_open(&src, &cl->src_addr, &o, err) == -1 ||
	    repl_conn_open(&rep, &cl->rep_addr, &o, err) == -1 ||
	    plugin_check(&src, err) == -1 || plugin_check(&rep, err) == -1)
		goto out;
	if (repl_pos_read(&src, &cl->co, err) == -1 ||
	    repl_pos_address(&src, &cl->src_addr, cl->advertise, &cl->co,
	    err) == -1)
		goto out;
	snprintf(host, sizeof(host), "%s", cl->co.host);
	port = cl->co.port;
	if (clone_check_replica(cl, &src, &rep, err) == -1)
		goto out;
	if (repl_conn_scalar(&rep, "SELECT @@GLOBAL.performance_schema", buf,
	    sizeof(buf), &isnull, err) == -1)
		goto out;
	if (strcmp(buf, "1") != 0 && strcasecmp(buf, "ON") != 0) {
		repl_err_set(err, REPL_E_PERM, "'%s' runs with "
		    "performance_schema OFF: the position of its copy, in "
		    "performance_schema.clone_status, could not be read "
		    "(--method=clone needs it ON on the replica)", rep.name);
		goto out;
	}
	if (cl->dry) {
		ret = 0;
		goto out;
	}
	for (i = 0; i < cl->ndrop; i++)
		repl_note(cl->note, cl->arg, REPL_NOTE_WARN, "'%s': database "
		    "%s is replaced by the clone", rep.name, cl->drop[i]);
	if (status_read(&rep, &before, err) == -1 ||
	    donor_allow(cl, &rep, host, port, old, sizeof(old), &set,
	    err) == -1 ||
	    clone_sql(&sql, &rep, &src, cl, host, port) == -1) {
		if (err->kind == REPL_E_NONE)
			repl_err_set(err, REPL_E_TEMP, "out of memory");
		goto out;
	}
	repl_note(cl->note, cl->arg, REPL_NOTE_INFO, "'%s': CLONE INSTANCE "
	    "FROM '%s' (the replica restarts on the copy)", rep.name,
	    src.name);
	repl_conn_close(&src);
	wa.cl = cl;
	wa.o = &o;
	atomic_init(&wa.stop, 0);
	watching = cl->progress != NULL &&
	    pthread_create(&tid, NULL, watch_run, &wa) == 0;
	if (mysql_real_query(rep.mysql, sql.s, sql.len) == 0)
		e = 0;
	else
		e = mysql_errno(rep.mysql);
	repl_wipe(sql.s, sql.len);
	if (watching) {
		atomic_store(&wa.stop, 1);
		pthread_join(tid, NULL);
	}
	if (e != 0 && e != ER_CLONE_NO_SUPERVISOR && e != CR_SERVER_LOST &&
	    e != CR_SERVER_GONE_ERROR) {
		/*
		 * The server's word is the cause: refused before it began
		 * (nothing changed), a permanent error; failed after the
		 * replica's data was removed, a temporary one: run again.
		 */
		repl_conn_error(&rep, err, "the clone failed on");
		if (data_dropped(&rep, &before)) {
			err->kind = REPL_E_TEMP;
			wiped(cl, &rep);
		} else {
			if (e < 2000 || e > 2999)
				err->kind = REPL_E_PERM;
			if (set)
				donor_restore(&rep, old);
		}
		goto out;
	}
	if (e == ER_CLONE_NO_SUPERVISOR)
		repl_note(cl->note, cl->arg, REPL_NOTE_WARN, "'%s' has its "
		    "copy and has shut down: nothing supervises it to start "
		    "it again; waiting up to %lld s for it to be started",
		    rep.name, (long long)(cl->lock_timeout / 1000));
	memset(&b, 0, sizeof(b));
	b.cl = cl;
	b.rep = &rep;
	b.before = &before;
	memset(&rt, 0, sizeof(rt));
	rt.deadline = repl_now_ms() + cl->lock_timeout;
	rt.connect_timeout = o.connect_timeout ? o.connect_timeout : 10;
	rt.flags = REPL_RETRY_TIMEOUTS | REPL_RETRY_TIMED_OUT;
	rt.attempt = back_attempt;
	rt.failed = back_failed;
	rt.arg = &b;
	if (repl_retry_run(&rt, &o, err) == -1) {
		/* Maybe whole, maybe not: only the replica can tell. */
		cl->wiped = 1;
		snprintf(last, sizeof(last), "%s", err->msg);
		repl_err_set(err, err->kind, "%s (once '%s' is up, "
		    "performance_schema.clone_status says how its clone "
		    "ended, and the position of its copy)", last, rep.name);
		goto out;
	}
	if (strcmp(b.after.state, "Completed") != 0) {
		repl_err_set(err, REPL_E_TEMP, "the clone failed on '%s' "
		    "(%s, error %s): %s", rep.name, b.after.state,
		    b.after.errno_, b.after.errmsg);
		wiped(cl, &rep);
		goto out;
	}
	if (b.after.file[0] == '\0' ||
	    repl_num_parse(b.after.pos, 1, ~0ULL, &cl->co.pos) == -1 ||
	    (cl->co.has_gtid && !b.after.gtid_fits)) {
		repl_err_set(err, REPL_E_PERM, "'%s' has its copy but "
		    "clone_status gives no binary log position of it that "
		    "a coordinate line holds", rep.name);
		goto out;
	}
	snprintf(cl->co.file, sizeof(cl->co.file), "%s", b.after.file);
	if (cl->co.has_gtid)
		memcpy(cl->co.gtid, b.after.gtid, sizeof(cl->co.gtid));
	strcpy(cl->co.host, host);
	cl->co.port = port;
	if (cl->progress != NULL)
		cl->progress(cl->arg, cl, 1);
	ret = 0;
out:
	repl_sb_free(&sql);
	repl_conn_close(&src);
	repl_conn_close(&rep);
	return ret;
}
