/*
 * Unit tests for trying until a deadline: the connect timeout fitted to
 * the time left (repl_retry_fit), the pauses (repl_retry_backoff), and
 * which failures repl_retry_run tries again, with attempts that need no
 * server.
 */
/* SPDX-License-Identifier: MIT */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)

static void
fit_rounds_up_within_one_and_ct(void **state)
{
	(void)state;
	/* Less than a second left, or none: one second, never zero. */
	assert_int_equal(repl_retry_fit(10, INT64_MIN), 1);
	assert_int_equal(repl_retry_fit(10, -5000), 1);
	assert_int_equal(repl_retry_fit(10, 0), 1);
	assert_int_equal(repl_retry_fit(10, 1), 1);
	assert_int_equal(repl_retry_fit(10, 999), 1);
	/* Whole seconds, rounded up: never a connect cut short of a second. */
	assert_int_equal(repl_retry_fit(10, 1000), 1);
	assert_int_equal(repl_retry_fit(10, 1001), 2);
	assert_int_equal(repl_retry_fit(10, 4500), 5);
	assert_int_equal(repl_retry_fit(10, 9999), 10);
	/* At most ct. */
	assert_int_equal(repl_retry_fit(10, 10000), 10);
	assert_int_equal(repl_retry_fit(10, 10001), 10);
	assert_int_equal(repl_retry_fit(10, INT64_MAX), 10);
	assert_int_equal(repl_retry_fit(1, 5000), 1);
	/* --connect-timeout's largest, an hour: no overflow. */
	assert_int_equal(repl_retry_fit(3600, 3599001), 3600);
	assert_int_equal(repl_retry_fit(3600, INT64_MAX), 3600);
	assert_int_equal(repl_retry_fit(UINT_MAX, INT64_MAX), UINT_MAX);
}

static void
backoff_doubles_up_to_a_second(void **state)
{
	int64_t p = REPL_RETRY_PAUSE_MIN;
	static const int64_t want[] = { 50, 100, 200, 400, 800, 1000, 1000 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(I(p), I(want[i]));
		p = repl_retry_backoff(p);
	}
	assert_int_equal(I(repl_retry_backoff(999)), I(1000));
	assert_int_equal(I(repl_retry_backoff(1000)), I(1000));
}

/*
 * A scripted attempt: the first nfail calls fail, the first with kind,
 * the others with then; the next succeeds.
 */
struct script {
	int nfail;
	enum repl_errkind kind, then;
	int calls, fails_heard;
	unsigned int ct_seen;
};

#define SCRIPT(nfail, kind, then) \
	((struct script){ (nfail), (kind), (then), 0, 0, 0 })

static int
attempt(void *arg, struct repl_connopt *o, struct repl_err *err)
{
	struct script *s = arg;
	int i = s->calls++;

	s->ct_seen = o->connect_timeout;
	if (i >= s->nfail)
		return 0;
	repl_err_set(err, i == 0 ? s->kind : s->then, "attempt %d failed",
	    i + 1);
	return -1;
}

static void
heard(void *arg, const struct repl_err *err)
{
	struct script *s = arg;

	(void)err;
	s->fails_heard++;
}

/* Run the script with flags, until a deadline in_ms from now. */
static int
run(struct script *s, int flags, int64_t in_ms, struct repl_connopt *o,
    struct repl_err *err)
{
	struct repl_retry r = { repl_now_ms() + in_ms, 10, flags, attempt,
	    heard, s };

	repl_connopt_init(o, "unit-retry");
	repl_err_clear(err);
	return repl_retry_run(&r, o, err);
}

#define DAY_MS ((int64_t)24 * 3600 * 1000)

static void
temporary_failures_are_tried_again(void **state)
{
	struct script s = SCRIPT(2, REPL_E_TEMP, REPL_E_TEMP);
	struct repl_connopt o;
	struct repl_err err;

	(void)state;
	assert_int_equal(run(&s, 0, DAY_MS, &o, &err), 0);
	assert_int_equal(s.calls, 3);
	assert_int_equal(s.fails_heard, 2);
	/* A day left: the whole connect timeout given. */
	assert_int_equal(s.ct_seen, 10);
	assert_int_equal(o.connect_timeout, 10);
}

static void
permanent_and_no_end_at_once(void **state)
{
	struct script s = SCRIPT(1, REPL_E_PERM, REPL_E_PERM);
	struct repl_connopt o;
	struct repl_err err;

	(void)state;
	assert_int_equal(run(&s, REPL_RETRY_TIMEOUTS | REPL_RETRY_TIMED_OUT,
	    DAY_MS, &o, &err), -1);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.fails_heard, 0);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_string_equal(err.msg, "attempt 1 failed");
	s = SCRIPT(1, REPL_E_NO, REPL_E_NO);
	assert_int_equal(run(&s, REPL_RETRY_TIMEOUTS, DAY_MS, &o, &err), -1);
	assert_int_equal(s.calls, 1);
	assert_int_equal(err.kind, REPL_E_NO);
}

static void
timeouts_tried_again_only_when_asked(void **state)
{
	struct script s = SCRIPT(2, REPL_E_TIMEOUT, REPL_E_TEMP);
	struct repl_connopt o;
	struct repl_err err;

	(void)state;
	assert_int_equal(run(&s, REPL_RETRY_TIMED_OUT, DAY_MS, &o, &err), -1);
	assert_int_equal(s.calls, 1);
	assert_int_equal(err.kind, REPL_E_TIMEOUT);
	assert_string_equal(err.msg, "attempt 1 failed");
	s = SCRIPT(2, REPL_E_TIMEOUT, REPL_E_TEMP);
	assert_int_equal(run(&s, REPL_RETRY_TIMEOUTS, DAY_MS, &o, &err), 0);
	assert_int_equal(s.calls, 3);
	assert_int_equal(s.fails_heard, 2);
}

static void
past_deadline_one_attempt_then_the_last_error(void **state)
{
	struct script s = SCRIPT(2, REPL_E_TEMP, REPL_E_TEMP);
	struct repl_connopt o;
	struct repl_err err;

	(void)state;
	/* As the last error was: repl-feed's writers. */
	assert_int_equal(run(&s, 0, -1, &o, &err), -1);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.fails_heard, 1);
	assert_int_equal(s.ct_seen, 1);
	assert_int_equal(err.kind, REPL_E_TEMP);
	assert_string_equal(err.msg, "attempt 1 failed");
	/* A timeout that says the last error: repl-wait. */
	s = SCRIPT(2, REPL_E_TEMP, REPL_E_TEMP);
	assert_int_equal(run(&s, REPL_RETRY_TIMED_OUT, -1, &o, &err), -1);
	assert_int_equal(s.calls, 1);
	assert_int_equal(err.kind, REPL_E_TIMEOUT);
	assert_string_equal(err.msg, "timed out: attempt 1 failed");
	/* A success needs no time left. */
	s = SCRIPT(0, REPL_E_TEMP, REPL_E_TEMP);
	assert_int_equal(run(&s, REPL_RETRY_TIMED_OUT, -1, &o, &err), 0);
	assert_int_equal(s.calls, 1);
}

static void
failing_until_the_deadline_ends_in_a_timeout(void **state)
{
	struct script s = SCRIPT(1000, REPL_E_TEMP, REPL_E_TEMP);
	struct repl_connopt o;
	struct repl_err err;

	(void)state;
	/*
	 * However the machine schedules us, the pauses end at the deadline:
	 * at most one attempt a pause, never all of the script.
	 */
	assert_int_equal(run(&s, REPL_RETRY_TIMED_OUT, 300, &o, &err), -1);
	assert_true(s.calls >= 1 && s.calls < s.nfail);
	assert_int_equal(s.fails_heard, s.calls);
	assert_int_equal(s.ct_seen, 1);
	assert_int_equal(err.kind, REPL_E_TIMEOUT);
	assert_true(strncmp(err.msg, "timed out: attempt ", 19) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fit_rounds_up_within_one_and_ct),
		cmocka_unit_test(backoff_doubles_up_to_a_second),
		cmocka_unit_test(temporary_failures_are_tried_again),
		cmocka_unit_test(permanent_and_no_end_at_once),
		cmocka_unit_test(timeouts_tried_again_only_when_asked),
		cmocka_unit_test(past_deadline_one_attempt_then_the_last_error),
		cmocka_unit_test(failing_until_the_deadline_ends_in_a_timeout),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-retry", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
