/*
 * fetch-imap.h: the IMAP side of intake, one connection per Area mailbox.
 *
 * Every error is returned as -1 with *cause (caller frees) naming the
 * Area, host:port and what to do, e.g. "Area LON: imap.example.org:993:
 * login failed for user lon: ...: check password_file". Nothing here
 * retries or exits: after any -1 the caller closes the connection with
 * imap_close() and opens a new one later. Timeouts: every network wait
 * (connect, TLS handshake, each read and write) is bounded by the timeout
 * given to imap_open().
 *
 * Ownership: struct imap_conn owns its libetpan session and stream, and
 * copies what it keeps of the config; imap_close() frees it all.
 */
#ifndef REDRESS_FETCH_IMAP_H
#define REDRESS_FETCH_IMAP_H

#include <glib.h>

#include "config.h"

struct imap_conn;

struct imap_msginfo {
	guint32		uid;
	guint32		size;		/* RFC822.SIZE */
};

/*
 * Connect (TLS as cfg->tls says; STARTTLS is required when asked for, never
 * skipped), LOGIN, and SELECT cfg->mailbox. Capabilities are asked again
 * after STARTTLS and after login. area_id is used only to word errors.
 */
int		 imap_open(const char *area_id, const struct imap_config *cfg,
		     int timeout, struct imap_conn **out, char **cause);
/* LOGOUT (when the connection is still sound) and free. NULL-safe. */
void		 imap_close(struct imap_conn *);

guint32		 imap_uidvalidity(struct imap_conn *);
gboolean	 imap_has_idle(struct imap_conn *);
gboolean	 imap_has_move(struct imap_conn *);

/*
 * The messages with a UID above after, ascending, as a GArray of struct
 * imap_msginfo (caller unrefs). Empty when there is nothing new.
 */
int		 imap_list_new(struct imap_conn *, guint32 after, GArray **out,
		     char **cause);

/*
 * The whole message (BODY.PEEK[], so it stays unseen) into *out (caller
 * unrefs). The caller bounds the size beforehand from imap_list_new(), and
 * passes that RFC822.SIZE as size: the buffer is made that big at once,
 * so a large message is never copied while it grows (0: unknown). A UID
 * that is no longer in the mailbox is an error.
 */
int		 imap_fetch(struct imap_conn *, guint32 uid, guint32 size,
		     GBytes **out, char **cause);

/*
 * Several messages in one UID FETCH: *out maps each UID found (as
 * GUINT_TO_POINTER) to its bytes (caller unrefs the table). A UID no
 * longer in the mailbox is simply absent. libetpan holds the whole
 * answer before it is copied out, so the caller bounds the set's total
 * size (RFC822.SIZE) to what may be held twice.
 */
int		 imap_fetch_set(struct imap_conn *, const GArray *uids,
		     GHashTable **out, char **cause);

/*
 * Call only once the message is committed. folder non-empty: move the
 * message there (UID MOVE; else UID COPY, \Deleted, then UID EXPUNGE, or
 * EXPUNGE without UIDPLUS), creating folder when it does not exist.
 * folder "": set \Seen and leave it. Idempotent: a UID no longer in the
 * mailbox is success.
 */
int		 imap_done(struct imap_conn *, guint32 uid, const char *folder,
		     char **cause);
/* The same for a set of UIDs (of guint32, ascending), in one command. */
int		 imap_done_set(struct imap_conn *, const GArray *uids,
		     const char *folder, char **cause);

/*
 * IDLE. imap_idle_start() enters IDLE; then poll() imap_idle_fd() for
 * reading (with the caller's own timeout: re-IDLE at most every 29
 * minutes); then imap_idle_done() ends IDLE, whether or not the fd became
 * readable, and the caller looks for new mail with imap_list_new(). When
 * news arrives while IDLE is being entered, imap_idle_start() ends it at
 * once, so the fd becomes readable straight away. Needs imap_has_idle().
 */
int		 imap_idle_start(struct imap_conn *, char **cause);
int		 imap_idle_fd(struct imap_conn *);
int		 imap_idle_done(struct imap_conn *, char **cause);

/* NOOP: lets the server report new mail, and checks the connection. */
int		 imap_noop(struct imap_conn *, char **cause);

#endif
