/*
 * store.h: the SQLite database. All SQL lives in store*.c, with bound
 * parameters only (invariant 6). WAL mode, foreign keys on, schema
 * versioned with PRAGMA user_version and migrated forward at open. The
 * file is created 0600: it holds personal data. No caller sees the SQLite
 * handle; the reporting queries are in store-report.h.
 *
 * Return values, everywhere:
 *  - actions return 0, or -1 with *cause set (caller frees);
 *  - finders of one row or value return 1 with *out set, 0 when there is
 *    none (*out is 0 or NULL), or -1 with *cause set. A database error is
 *    never "none": a caller must not treat -1 as "not found";
 *  - lists and counts return 0 with *out set (an array, possibly empty,
 *    or a number), or -1 with *cause set (an array *out is then NULL).
 * A failed call leaves the transaction open: the caller rolls it back.
 *
 * Ownership: strings, rows and arrays returned through out-parameters
 * belong to the caller (g_free, the row's _free, g_ptr_array_unref or
 * g_array_unref); structs passed in are borrowed.
 */
#ifndef REDRESS_STORE_H
#define REDRESS_STORE_H

#include <glib.h>

#include "case-state.h"
#include "message.h"
#include "schema.h"
#include "verdict.h"

#define STORE_SCHEMA_VERSION 8
/* PRAGMA application_id of a redress database ("RDRS"): a file without
 * it is not opened, unless it is a redress database from before the id
 * (user_version > 0 and redress's tables), which is adopted. */
#define STORE_APPLICATION_ID 0x52445253

struct store;

/* store.c: open, transactions, cursors, the event log. */

/* Open the database at path, migrating it forward; where no file exists,
 * create it (logged). An existing file that is empty or not redress's is
 * refused, never replaced. */
int		 store_open(const char *path, struct store **, char **cause);
void		 store_close(struct store *);

/*
 * Every statement this store has prepared so far whose query plan reads a
 * whole table (SQLite's EXPLAIN QUERY PLAN says SCAN), except the tables
 * and partial indexes named in bounded (a NULL-terminated list: a table
 * of one row per configured mailbox, an index over the few rows
 * mid-attempt, say). Each entry is "PLAN-DETAIL: SQL". For tests
 * that prove the per-message path costs the same with 10 or 10,000 cases.
 * 0 with *out (the caller's), or -1 with *cause.
 */
int		 store_scans(struct store *, const char *const *bounded,
		     GPtrArray **out, char **cause);

/*
 * Within a transaction, one message's changes that can be undone alone
 * (SQL SAVEPOINT), so that a batch of messages is one commit and one that
 * fails leaves the rest: store_savepoint(), then store_savepoint_release()
 * to keep them or store_savepoint_undo() to drop them. 0 or -1.
 */
int		 store_savepoint(struct store *, char **cause);
int		 store_savepoint_release(struct store *, char **cause);
int		 store_savepoint_undo(struct store *, char **cause);

/* Write transactions begun on this connection so far (each takes the
 * database's write lock). */
gint64		 store_transactions(const struct store *);

/* One transaction. store_rollback() is safe to call when none is open. */
int		 store_begin(struct store *, char **cause);
int		 store_commit(struct store *, char **cause);
void		 store_rollback(struct store *);

/* Mailbox cursors. get creates the row (0, 0) on first use. */
struct cursor {
	gint64		 mailbox_id;
	guint32		 uidvalidity;
	guint32		 last_uid;
};
int		 store_cursor_get(struct store *, const char *area,
		     const char *mailbox, struct cursor *, char **cause);
int		 store_cursor_set(struct store *, const struct cursor *,
		     char **cause);

/* The append-only event log. case_id and message_row may be 0. */
int		 store_event(struct store *, gint64 case_id, gint64 message_row,
		     gint64 now, const char *kind, const char *detail,
		     char **cause);
/* The case's event log as text lines, for the Assessor's bundle ("" for
 * none). */
int		 store_case_history(struct store *, gint64 case_id,
		     char **text, char **cause);

/* store-mail.c: incoming messages and their IMAP side. */

/* Where an incoming message came from. */
struct origin {
	const char	*area;
	gint64		 mailbox_id;
	guint32		 uidvalidity;
	guint32		 uid;
};

/* An incoming message already stored under this UID: its row id. */
int		 store_message_by_uid(struct store *, const struct origin *,
		     gint64 *row, char **cause);
/* A message with this Message-ID (or none, when NULL) and raw hash: the
 * same mail seen again after a UIDVALIDITY change, or delivered to a
 * second Area. */
int		 store_message_by_content(struct store *,
		     const char *message_id, const char *sha256, gint64 *row,
		     char **cause);
/*
 * Record an incoming message: raw bytes, parsed fields, attachments, its
 * verdict as JSON (or NULL) and case (0 for none). imap_done starts FALSE.
 */
int		 store_message_add_in(struct store *, const struct origin *,
		     const char *raw, size_t len, const struct message *,
		     const char *verdict_json, gint64 case_id, gint64 now,
		     gint64 *id, char **cause);
/* UIDs of this mailbox and UIDVALIDITY whose move/flag is still to do;
 * of guint32. */
int		 store_imap_pending(struct store *, gint64 mailbox_id,
		     guint32 uidvalidity, GArray **uids, char **cause);
int		 store_imap_done(struct store *, gint64 mailbox_id,
		     guint32 uidvalidity, guint32 uid, char **cause);
/* Remember that this UID is a copy of an already stored message, so the
 * IMAP side is finished without recording it twice. */
int		 store_alias_uid(struct store *, const struct origin *,
		     gint64 message_row, gint64 now, char **cause);
/* The case a Message-ID belongs to, received or sent. */
int		 store_case_by_message_id(struct store *, const char *msgid,
		     gint64 *case_id, char **cause);
/* The Message-ID of the latest message received on the case from addr
 * (or from anyone when addr is NULL). */
int		 store_case_last_in(struct store *, gint64 case_id,
		     const char *addr, char **msgid, char **cause);
/* The raw bytes of every message of the case, received and sent, in
 * order; of GBytes. */
int		 store_case_raw_messages(struct store *, gint64 case_id,
		     GPtrArray **raw, char **cause);

/*
 * Poison messages. store_in_hand() marks the UID in hand (commit it
 * before the pipeline sees the message) and says in how many earlier
 * attempts it was already in hand: attempts that never finished, because
 * redress died with it. store_in_hand_clear() goes in the transaction
 * that records the message.
 */
int		 store_in_hand(struct store *, const struct origin *,
		     gint64 now, int *earlier, char **cause);
/* The attempts so far, reading only. */
int		 store_in_hand_attempts(struct store *, const struct origin *,
		     int *earlier, char **cause);
int		 store_in_hand_clear(struct store *, const struct origin *,
		     char **cause);
/* Forget the markers of the mailbox's other UIDVALIDITYs. */
int		 store_in_hand_forget(struct store *, const struct cursor *,
		     char **cause);
/* Record an incoming message raw and unread (sha256: hex of raw),
 * quarantined for this reason: no parsed fields, no case. */
int		 store_message_add_raw(struct store *, const struct origin *,
		     GBytes *raw, const char *sha256, const char *quarantine,
		     gint64 now, gint64 *id, char **cause);
/* A quarantined message, for `redress quarantine`. Owned strings;
 * quarantined_free(). */
struct quarantined {
	gint64		 id;		/* message row */
	char		*area;
	char		*mailbox;	/* or NULL */
	guint32		 uid;
	gint64		 size;
	char		*sha256;
	char		*reason;
	gint64		 received_at;
};
void		 quarantined_free(struct quarantined *);
/* Every quarantined incoming message, oldest first. */
int		 store_quarantined(struct store *, GPtrArray **,
		     char **cause);
/* The raw bytes of a message row (1), or 0 when it has none. */
int		 store_message_raw(struct store *, gint64 row, GBytes **raw,
		     char **cause);

/*
 * Outages: an Area that could not be served since `since`, and when its
 * staff and the operator were told (0: not yet). get returns 1 with the
 * row, 0 when the Area is not out.
 */
int		 store_outage_get(struct store *, const char *area,
		     gint64 *since, gint64 *notified_at, char **cause);
int		 store_outage_set(struct store *, const char *area,
		     gint64 since, const char *error, gint64 notified_at,
		     char **cause);
int		 store_outage_clear(struct store *, const char *area,
		     char **cause);

/* store-case.c: cases, parties, deadlines, reminders, drafts. */

/* Cases. The reference is AREA-YEAR-SEQ, SEQ counting per Area and year. */
int		 store_case_open(struct store *, const char *area, int year,
		     enum kind, enum category, enum case_state, enum language,
		     gint64 now, gint64 *case_id, char **ref, char **cause);
int		 store_case_by_ref(struct store *, const char *ref,
		     gint64 *case_id, char **cause);
int		 store_case_ref(struct store *, gint64 case_id, char **ref,
		     char **cause);
int		 store_case_state(struct store *, gint64 case_id,
		     enum case_state *, char **cause);
int		 store_case_set_state(struct store *, gint64 case_id,
		     enum case_state, gint64 now, char **cause);
int		 store_case_add_flag(struct store *, gint64 case_id,
		     const char *flag, gint64 now, char **cause);
/*
 * Staff's corrections as labelled examples. store_correction_add() keeps
 * one (field "kind" or "category") against the case's first incoming
 * message. store_corrections() gives, per corrected case whose message
 * is still held, its raw message and its labels now (the latest
 * correction of each field, else the case's value), of struct
 * correction_example, oldest case first.
 */
int		 store_correction_add(struct store *, gint64 case_id,
		     const char *field, const char *label, const char *by,
		     gint64 now, char **cause);
struct correction_example {
	char	*ref;
	GBytes	*raw;
	char	*kind, *category;
};
int		 store_corrections(struct store *, GPtrArray **,
		     char **cause);

/* The flag off again (the others stay), and whether the case has it:
 * 1, 0, or -1 with *cause. */
int		 store_case_remove_flag(struct store *, gint64 case_id,
		     const char *flag, gint64 now, char **cause);
int		 store_case_has_flag(struct store *, gint64 case_id,
		     const char *flag, char **cause);

/* A case as the lifecycle sees it. Strings owned; case_row_free(). */
struct case_row {
	gint64		 id;
	char		*ref;
	char		*area;
	enum kind	 kind;
	enum category	 category;
	enum case_state	 state;
	enum language	 language;
	char		*flags;
	char		*handler;	/* or NULL */
	enum outcome	 outcome;	/* OUTCOME_NONE until #outcome */
	int		 stage;		/* 1 or 2 */
};
int		 store_case_get(struct store *, gint64 case_id,
		     struct case_row **, char **cause);
void		 case_row_free(struct case_row *);
/* Set one of: kind category handler outcome language. */
int		 store_case_set(struct store *, gint64 case_id,
		     const char *field, const char *value, gint64 now,
		     char **cause);
int		 store_case_set_stage(struct store *, gint64 case_id, int stage,
		     gint64 now, char **cause);

/* Parties of a case. role: complainant, representative, person_affected. */
struct party {
	const char	*role;
	const char	*name;
	const char	*email;
	const char	*relationship;	/* or NULL */
	const char	*authority;	/* or NULL */
	const char	*contact_restriction;
};
int		 store_party_add(struct store *, gint64 case_id,
		     const struct party *, char **cause);

/* The person redress writes to on a case (complainant or
 * representative). Strings owned; party_row_free(). */
struct party_row {
	char		*role;
	char		*name;
	char		*email;
	char		*relationship;
	char		*authority;
	char		*contact_restriction;
};
int		 store_case_correspondent(struct store *, gint64 case_id,
		     struct party_row **, char **cause);
void		 party_row_free(struct party_row *);
int		 store_party_set_authority(struct store *, gint64 case_id,
		     const char *authority, char **cause);
/* Is addr (compared without case) recorded as a party of the case? */
int		 store_case_has_party(struct store *, gint64 case_id,
		     const char *addr, char **cause);
/* The open case of this sender opened since `since`, when there is
 * exactly one (0 for none or several). */
int		 store_sender_open_case(struct store *, const char *email,
		     gint64 since, gint64 *case_id, char **cause);

/* Deadlines: dates as YYYY-MM-DD, with the text that shows how the due
 * date was worked out. */
int		 store_deadline_add(struct store *, gint64 case_id,
		     const char *kind, const char *start, int working_days,
		     const char *due, const char *derivation,
		     const char *paused_from, gint64 now, char **cause);

/* A deadline. Strings owned; deadline_row_free(). Dates are YYYY-MM-DD;
 * due is "" while paused. */
struct deadline_row {
	gint64		 id;
	gint64		 case_id;
	char		*kind;
	char		*start;
	int		 working_days;
	char		*due;
	char		*paused_from;	/* or NULL */
	char		*paused_to;	/* or NULL: still paused */
	int		 extra_days;
	char		*extra_why;	/* or NULL */
	char		*state;
};
/* The newest open deadline of a kind on a case. */
int		 store_deadline_open(struct store *, gint64 case_id,
		     const char *kind, struct deadline_row **, char **cause);
void		 deadline_row_free(struct deadline_row *);
/* Write back due, derivation, pause, extension and state. */
int		 store_deadline_update(struct store *,
		     const struct deadline_row *, const char *derivation,
		     char **cause);
/* Close every open deadline of a case (or only of kind, when not NULL). */
int		 store_deadline_close(struct store *, gint64 case_id,
		     const char *kind, const char *state, char **cause);
/* Every open deadline due on or before until (YYYY-MM-DD; NULL: any),
 * oldest first; of struct deadline_row. */
int		 store_deadlines_running(struct store *, const char *until,
		     GPtrArray **, char **cause);
/*
 * Changes whenever a deadline may have changed: this connection's writes
 * to deadlines, and any commit by another connection (SQLite's
 * data_version). 0 with *version, or -1 with *cause.
 */
int		 store_deadlines_version(struct store *, gint64 *version,
		     char **cause);
/* Was this reminder sent already? 1 yes, 0 no, -1 with *cause. Reads only. */
int		 store_reminder_sent(struct store *, gint64 deadline_id,
		     const char *kind, char **cause);
/* Remember a reminder: 1 when new, 0 when it was sent already, -1. */
int		 store_reminder_once(struct store *, gint64 deadline_id,
		     const char *kind, gint64 now, char **cause);

/* Every deadline of a case with its derivation, for staff notices; of
 * struct deadline_text. */
struct deadline_text {
	char		*kind;
	char		*state;
	char		*due;
	char		*derivation;
};
int		 store_deadlines_of(struct store *, gint64 case_id,
		     GPtrArray **, char **cause);

/* Response drafts waiting for coordinator QA. Strings owned;
 * draft_row_free(). */
struct draft_row {
	gint64		 id;
	int		 stage;
	char		*author;
	char		*text;
	char		*findings;
};
int		 store_draft_add(struct store *, gint64 case_id, int stage,
		     const char *author, const char *text,
		     const char *findings, gint64 now, char **cause);
/* The newest draft of the case still waiting for a decision. */
int		 store_draft_pending(struct store *, gint64 case_id,
		     struct draft_row **, char **cause);
void		 draft_row_free(struct draft_row *);
int		 store_draft_decide(struct store *, gint64 draft_id,
		     const char *state, const char *by, gint64 now,
		     char **cause);

/* store-outbox.c: the outbox. */

struct outbox_item {
	gint64		 case_id;	/* or 0 */
	const char	*area;		/* or NULL */
	const char	*message_id;	/* ours, without <> */
	gint64		 answers;	/* message row it answers, or 0 */
	const char	*template;
	const char	*envelope_from;
	GPtrArray	*recipients;	/* of char * */
	GBytes		*raw;
};
int		 store_outbox_add(struct store *, const struct outbox_item *,
		     gint64 now, gint64 *id, char **cause);
/* The outbox row of our outgoing Message-ID, and its case (0 for none). */
int		 store_outbox_by_message_id(struct store *,
		     const char *msgid, gint64 *outbox_id, gint64 *case_id,
		     char **cause);
/* How many automatic answers went to addr since `since` (rate limit),
 * addresses compared by address_key(). */
int		 store_answers_to(struct store *, const char *addr,
		     gint64 since, int *count, char **cause);
/* Automatic mail to the public (limits.auto_replies_per_day): how many
 * went to addr on the local day DAY ("YYYY-MM-DD"), and one more, queued
 * as outbox row outbox_id. Addresses are keyed by address_key(). */
int		 store_auto_mail_count(struct store *, const char *addr,
		     const char *day, int *count, char **cause);
int		 store_auto_mail_add(struct store *, const char *addr,
		     const char *day, gint64 outbox_id, gint64 now,
		     char **cause);
/* Echoes, for loop detection: how many messages from addr since `since`
 * only echoed our own mail, and one more (message row). */
int		 store_echo_count(struct store *, const char *addr,
		     gint64 since, int *count, char **cause);
int		 store_echo_add(struct store *, const char *addr,
		     gint64 message_row, gint64 now, char **cause);
/* The raw bytes of the outgoing message with this Message-ID, or none. */
int		 store_outbox_raw(struct store *, const char *msgid,
		     GBytes **raw, char **cause);

/* A queued message due for delivery, with its recipients still to do. */
struct outbox_due {
	gint64		 id;
	gint64		 case_id;
	char		*area;		/* or NULL */
	char		*message_id;
	char		*template;
	char		*envelope_from;
	int		 attempts;
	GBytes		*raw;
	GPtrArray	*recipients;	/* of char *, not yet delivered */
};
void		 outbox_due_free(struct outbox_due *);
/* Due rows (next_attempt <= now), of struct outbox_due. */
int		 store_outbox_due(struct store *, gint64 now, GPtrArray **,
		     char **cause);
/* Per recipient: state "sent", "tempfail" or "failed", with the reply. */
int		 store_outbox_rcpt(struct store *, gint64 outbox_id,
		     const char *addr, const char *state, int code,
		     const char *reply, char **cause);
/* An attempt begins: attempts + 1, stage 'sending'. Committed before
 * anything goes to the relay: when it cannot be, nothing is sent. */
int		 store_outbox_start(struct store *, gint64 outbox_id,
		     gint64 now, char **cause);
/* How far the attempt got: "data-sent" just before the final dot. */
int		 store_outbox_stage(struct store *, gint64 outbox_id,
		     const char *stage, char **cause);
/* The attempt's end, for the whole row (the stage is cleared): "sent"
 * when nothing is left to deliver, "failed" when given up, else queued
 * again at next_attempt. */
int		 store_outbox_finish(struct store *, gint64 outbox_id,
		     const char *state, gint64 next_attempt,
		     const char *error, gint64 now, char **cause);
/* A row a sender left in a stage (it died mid-attempt). */
struct outbox_interrupted {
	gint64		 id;
	gint64		 case_id;	/* or 0 */
	char		*stage;		/* "sending" or "data-sent" */
	char		*template;
	gint64		 attempt_started;
};
void		 outbox_interrupted_free(struct outbox_interrupted *);
/* Every row left in a stage, of struct outbox_interrupted. */
int		 store_outbox_interrupted(struct store *, GPtrArray **,
		     char **cause);
/* Clear the stage and make the row due now, saying why in last_error. */
int		 store_outbox_resume(struct store *, gint64 outbox_id,
		     gint64 now, const char *error, char **cause);
/* Every queued row due now (the relay is back). */
int		 store_outbox_hurry(struct store *, gint64 now, char **cause);

/* The relay outage going on, if any (table relay_outage). */
struct relay_outage {
	gint64		 id;
	gint64		 since;
	int		 failures;	/* attempts that could not connect */
	gint64		 noticed_at;	/* 0 = not told yet */
};
/* One more failure to use the relay: opens an outage or extends the one
 * going on; *o is it afterwards. */
int		 store_outage_failure(struct store *, gint64 now,
		     const char *error, struct relay_outage *o, char **cause);
int		 store_outage_noticed(struct store *, gint64 outage_id,
		     gint64 now, char **cause);
/* The relay worked: ends the outage going on. 1 with *o the outage that
 * ended, 0 when there was none, -1 with *cause. */
int		 store_outage_end(struct store *, gint64 now,
		     struct relay_outage *o, char **cause);
/* The earliest next_attempt of a queued row. */
int		 store_outbox_next_attempt(struct store *, gint64 *when,
		     char **cause);

#endif
