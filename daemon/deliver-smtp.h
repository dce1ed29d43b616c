/*
 * deliver-smtp.h: sending outbox messages through the configured SMTP relay
 * (libetpan), one connection reused for several messages.
 *
 * Every connection goes through tls.h, so TLS is verified and never
 * downgraded: a relay configured for STARTTLS that does not offer it is
 * refused, and AUTH is only sent over TLS (or to a loopback relay).
 *
 * Nothing here logs an address: log lines carry the relay, counts and reply
 * codes. A *cause or a reply may quote the server's text, which can contain
 * an address: keep it with the outbox row, do not log it.
 *
 * A signal note: libetpan writes with send() without MSG_NOSIGNAL, so a
 * program using this must ignore SIGPIPE or a relay that hangs up kills it.
 */
#ifndef REDRESS_DELIVER_SMTP_H
#define REDRESS_DELIVER_SMTP_H

#include <glib.h>

#include "config.h"

enum smtp_result {
	SMTP_OK,
	SMTP_TEMPFAIL,		/* 4xx or connection trouble: try again later */
	SMTP_PERMFAIL		/* 5xx: the same message will fail again */
};

/* The relay's answer to one RCPT. All of it belongs to the array. */
struct smtp_rcpt_result {
	char		*addr;		/* the recipient as given */
	enum smtp_result result;
	int		 code;		/* 250, 450, 550...; 0 = not sent */
	char		*reply;		/* the server's text (one line), or why
					   it was not sent */
	gboolean	 unreachable;	/* never sent: the address cannot be
					   written for this relay (address.h:
					   invalid, or UTF-8 without SMTPUTF8),
					   and never will be */
};

/* One connection to the relay; opaque. */
struct smtp_session;

/*
 * Connect to cfg's relay (plain, STARTTLS or implicit TLS), greet it with
 * EHLO (HELO when EHLO is refused) using cfg->helo, or the host name when
 * that is "", upgrade with STARTTLS when configured and greet again, then
 * log in when cfg->user is set. Every network step gives up after timeout
 * seconds. cfg is only read during the call.
 *
 * Returns 0 and sets *out (free with smtp_close()), or -1 with *cause set
 * (caller frees) saying what failed at which relay and what to do.
 */
int		 smtp_open(const struct smtp_config *cfg, int timeout,
		     struct smtp_session **out, char **cause);

/* Say QUIT (unless the connection is already broken) and free. NULL-safe. */
void		 smtp_close(struct smtp_session *);

/* FALSE once the connection is lost or the server closed it: reconnect. */
gboolean	 smtp_usable(const struct smtp_session *);

/*
 * Send one message: MAIL FROM:<envelope_from> ("" is the null reverse
 * path), then one RCPT per recipient (char *) so that each answer is kept,
 * each address written as RFC 5321 wants it (address_envelope()), with
 * the SMTPUTF8 parameter when a UTF-8 local part needs it and the relay
 * offers it; a recipient it cannot carry is refused here (unreachable),
 * then DATA with raw (len bytes, an RFC 5322 message; line ends and dot
 * stuffing are taken care of) when at least one recipient was accepted.
 *
 * *results (always set; caller frees with g_ptr_array_unref) holds one
 * struct smtp_rcpt_result per recipient, in order, with the RCPT answer.
 * The message reached the accepted recipients only when SMTP_OK is returned.
 *
 * Returns
 *   SMTP_OK        DATA accepted; refused recipients are in *results;
 *   SMTP_TEMPFAIL  a 4xx, a lost connection or a timeout, or no recipient
 *                  accepted and at least one refused with 4xx: the session
 *                  must be closed, and sending tried again later;
 *   SMTP_PERMFAIL  a 5xx to MAIL or DATA, or every recipient refused with
 *                  5xx (or not sendable): the session can carry the next
 *                  message if smtp_usable() says so.
 * Unless SMTP_OK, *cause (caller frees) says what happened with the
 * server's reply, e.g. "relay mail.example.org:587 refused every recipient
 * (first: 550 5.1.1 ... unknown): check the addresses". On SMTP_OK with
 * refused recipients *cause summarises them; otherwise it is NULL.
 */
enum smtp_result smtp_send(struct smtp_session *, const char *envelope_from,
		     GPtrArray *recipients, const void *raw, size_t len,
		     GPtrArray **results, char **cause);

/*
 * The steps of one message's dialogue, for a caller that records each as
 * it happens (outbox.c). The hook is called after each; returning -1 stops
 * the dialogue there without sending anything more (the connection is
 * dropped, so a message cut short is never delivered) and smtp_send()
 * returns SMTP_TEMPFAIL.
 */
enum smtp_step {
	SMTP_STEP_MAIL,		/* MAIL FROM answered 2xx */
	SMTP_STEP_RCPT,		/* one RCPT answered: the hook gets its result */
	SMTP_STEP_DATA,		/* DATA answered 354 */
	SMTP_STEP_HALF,		/* half the message written */
	SMTP_STEP_BODY,		/* all of it but the final dot: the last
				   moment at which the relay cannot have it */
	SMTP_STEP_DOT		/* the final dot written, no answer yet */
};
typedef int	(*smtp_step_fn)(void *arg, enum smtp_step,
		     const struct smtp_rcpt_result *);

/* smtp_send() with a hook (may be NULL) called after each step. */
enum smtp_result smtp_send_steps(struct smtp_session *,
		     const char *envelope_from, GPtrArray *recipients,
		     const void *raw, size_t len, smtp_step_fn, void *arg,
		     GPtrArray **results, char **cause);

/* "ok", "tempfail" or "permfail", for logs and tests. */
const char	*smtp_result_name(enum smtp_result);

#endif
