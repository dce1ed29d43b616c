/*
 * compose.h: build an outgoing RFC 5322 message (GMime 3).
 *
 * Pure apart from GLib's random numbers: the time is passed in. GMime is
 * initialised on first use (g_mime_init(), which is reference counted, so
 * the program may also call it); the program must not g_mime_shutdown()
 * fully while it may still compose.
 */
#ifndef REDRESS_COMPOSE_H
#define REDRESS_COMPOSE_H

#include <glib.h>

/* One attachment; everything borrowed. */
struct out_attachment {
	const char	*filename;	/* shown to the reader; any directory
					   part is dropped */
	const char	*content_type;	/* "type/subtype"; unreadable ones
					   become application/octet-stream */
	GBytes		*data;
};

/* Everything is borrowed from the caller for the duration of the call. */
struct outgoing {
	const char	*from;		/* header From address */
	const char	*from_name;	/* its display name, or NULL */
	const char	*reply_to;	/* or NULL */
	GPtrArray	*to;		/* of char *, at least one */
	const char	*to_name;	/* display name when to has one
					   address (a letter), or NULL */
	GPtrArray	*cc;		/* of char *, or NULL */
	const char	*subject;
	const char	*text;		/* text/plain body, "\n" line ends */
	const char	*html;		/* or NULL: text/plain only */
	const char	*message_id;	/* without <>: compose_message_id() */
	const char	*in_reply_to;	/* without <>, or NULL */
	GPtrArray	*references;	/* of char * without <>, or NULL */
	/*
	 * RFC 3834: "Auto-Submitted: auto-replied" when in_reply_to is set
	 * (an answer to a message), "auto-generated" otherwise (a notice),
	 * with "X-Auto-Response-Suppress: All" for Exchange either way.
	 */
	gboolean	 auto_submitted;
	const char	*language;	/* Content-Language: "en" or "cy" */
	GPtrArray	*attachments;	/* of struct out_attachment *, or NULL */
};

/*
 * A new unique Message-ID, without <>, "redress.TIME.RANDOM.COUNTER@domain"
 * (domain may also be an address: its domain part is used). Caller frees.
 */
char		*compose_message_id(const char *domain, gint64 now);
/* TRUE when message_id (with or without <>) looks like one of ours. */
gboolean	 compose_is_our_message_id(const char *message_id);

/*
 * Build the message: From, Reply-To, To, Cc, Subject (RFC 2047 encoded
 * when not ASCII), Date (from now, UTC), Message-ID, In-Reply-To and
 * References (invalid ids among these two are left out: they only help
 * threading), MIME-Version, Content-Language, X-Loop: redress, and the
 * Auto-Submitted headers when asked; the body is multipart/alternative
 * (text, then HTML) or text/plain alone, inside multipart/mixed when there
 * are attachments; UTF-8, quoted-printable or base64 as GMime judges best.
 * Addresses are checked and written in address.h's canonical form (a
 * quoted local part, a domain literal or an IDN domain as RFC 5322 and
 * RFC 6532 allow). On success sets *raw (caller unrefs) to the message
 * with CRLF line ends and returns 0; returns -1 and sets *cause (caller
 * frees) when a required field is missing or an address or our
 * Message-ID is not valid: callers that answer the public check
 * address_valid() first. Causes carry no addresses (they may be logged).
 */
int		 compose_build(const struct outgoing *, gint64 now,
		     GBytes **raw, char **cause);

#endif
