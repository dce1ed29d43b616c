/*
 * test-hot-path.c: what keeps the cost of a message flat (TAP).
 *
 * The per-message path reads no whole table:
 * Mail of every sort goes through the case core — new complaints, replies
 * by their token and by In-Reply-To, staff commands, feedback, an
 * enquiry, mail from a sender with a case already open — and the
 * scheduler runs; then every statement the store prepared on the way is
 * put to EXPLAIN QUERY PLAN. A SCAN of any table but mailbox (one row per
 * configured mailbox) would make each message cost more as cases pile up.
 *
 * The scheduler opens no write transaction when nothing is due, runs again when the
 * day changes, and sends each reminder once.
 */
#include <stdio.h>

#include "test-core.h"
#include "tests/tap.h"

#define COORD	"Lon Coordinator <" CORE_LON_COORD ">"
#define CASES	12

static const char complaint[] =
    "I want to complain about the way my case was handled. Nobody told "
    "me that the trial on 2 November 2026 was moved.";

static void
mail_of_every_sort(struct core *c)
{
	char	 from[64], *token, *id;
	int	 i;

	for (i = 1; i <= CASES; i++) {
		g_snprintf(from, sizeof from, "Person %d <p%d@example.org>",
		    i, i);
		core_send(c, i % 2 ? "LON" : "WAL", from, i % 2 ? CORE_LON :
		    CORE_WAL, "Complaint about my case", NULL, NULL,
		    complaint);
	}
	/* The same sender again, with a case open: it joins that case. */
	core_send(c, "LON", "Person 1 <p1@example.org>", CORE_LON,
	    "More about my complaint", NULL, NULL, "I forgot to say that "
	    "the letter came late.");
	/* A reply through the public token and one by In-Reply-To. */
	token = core_token(c, "p1@example.org", "acknowledgement");
	core_send(c, "LON", "Person 1 <p1@example.org>", token,
	    "Re: your complaint", NULL, NULL, "I want my complaint to go to "
	    "stage 2.");
	g_free(token);
	id = core_mail_id(c, "p3@example.org", "acknowledgement");
	core_send(c, "LON", "Person 3 <p3@example.org>", CORE_LON,
	    "Re: your complaint", id, NULL, "Thank you.");
	g_free(id);
	/* Staff steer through their notice's token. */
	token = core_token(c, CORE_LON_COORD, "new-case-notice");
	core_send(c, "LON", COORD, token, "Re: case", NULL, NULL,
	    "#assign " CORE_HANDLER);
	g_free(token);
	core_send(c, "LON", "Fay <fay@example.org>", CORE_LON,
	    "Thank you", NULL, NULL, "I just wanted to say that the witness "
	    "care officer was very kind to me. Thank you.");
	core_send(c, "LON", "Ed <ed@example.org>", CORE_LON,
	    "Question", NULL, NULL, "Can you tell me where the court is for "
	    "my hearing next week?");
}

/* The sender's reads each time it starts (outbox.c), so that the plans
 * below cover them too. */
static void
sender_reads(struct core *c)
{
	GPtrArray	*rows;
	char		*cause = NULL;

	if (store_outbox_interrupted(c->store, &rows, &cause) == 0)
		g_ptr_array_unref(rows);
	else
		g_clear_pointer(&cause, g_free);
	if (store_outbox_due(c->store, 0, &rows, &cause) == 0)
		g_ptr_array_unref(rows);
	else
		g_free(cause);
}

static void
test_scheduler(struct core *c)
{
	gint64	 before;

	core_schedule(c);
	before = store_transactions(c->store);
	ok(core_schedule(c) == 0 && store_transactions(c->store) == before,
	    "the scheduler again on the same day: nothing due, no transaction");
	core_at(c, "2026-11-24T09:00:00Z");
	ok(core_schedule(c) == 0 && store_transactions(c->store) == before,
	    "the next day with nothing due: still no transaction");

	/* LON-2026-00001's stage 1 reply is due Mon 21 Dec 2026: five
	 * working days left on Mon 14 Dec. */
	core_at(c, "2026-12-14T09:00:00Z");
	ok(core_schedule(c) >= 1 &&
	    core_sent(c, CORE_HANDLER, "reminder-notice") == 1,
	    "five working days before the due date the handler is reminded");
	before = store_transactions(c->store);
	ok(core_schedule(c) == 0 && store_transactions(c->store) == before &&
	    core_sent(c, CORE_HANDLER, "reminder-notice") == 1,
	    "the same day again: no second reminder, no transaction");
	core_at(c, "2026-12-22T09:00:00Z");
	ok(core_schedule(c) >= 1 &&
	    core_sent(c, CORE_HANDLER, "reminder-notice") == 2,
	    "the day after the due date: an overdue reminder");
}

int
main(void)
{
	/* one row per configured mailbox; the rows mid-attempt */
	static const char *const bounded[] = { "mailbox", "outbox_in_stage",
	    NULL };
	struct core	*c = core_new(NULL);
	GPtrArray	*scans = NULL;
	char		*cause = NULL;
	guint		 i;

	if (!ok(c != NULL, "the case core starts in a temporary directory"))
		return (tap_done());
	core_at(c, "2026-11-23T10:00:00Z");
	mail_of_every_sort(c);
	sender_reads(c);
	ok(core_int(c, "SELECT COUNT(*) FROM cases") >= CASES,
	    "the mail made its cases");
	test_scheduler(c);
	if (ok(store_scans(c->store, bounded, &scans, &cause) == 0,
	    "every statement prepared on the way can be explained")) {
		for (i = 0; i < scans->len; i++)
			printf("# %s\n", (char *)g_ptr_array_index(scans, i));
		ok(scans->len == 0, "no statement on the per-message path "
		    "or in the scheduler reads a whole table (%u do)",
		    scans->len);
		g_ptr_array_unref(scans);
	} else {
		printf("# %s\n", cause);
		g_free(cause);
	}
	core_free(c);
	return (tap_done());
}
