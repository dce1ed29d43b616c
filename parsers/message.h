/*
 * message.h: one email, parsed.
 *
 * Pure: message_parse() takes bytes and limits and returns a struct; it does
 * no I/O and reads no clock. The daemon, `redress classify`, the unit tests
 * and the fuzzers all call this same function.
 *
 * Ownership: every pointer inside a struct message is owned by it and freed
 * by message_free(). Strings are NUL-terminated, valid UTF-8, never NULL
 * unless the comment says "or NULL". GPtrArrays are created with their
 * element free function, so g_ptr_array_unref() frees the elements too.
 */
#ifndef REDRESS_MESSAGE_H
#define REDRESS_MESSAGE_H

#include <glib.h>
#include <stddef.h>

/* Bounds on what the parser will look at (config "limits"). */
struct parse_limits {
	size_t		max_size;	/* whole raw message, bytes */
	unsigned	max_depth;	/* MIME nesting, message/rfc822 counts */
	unsigned	max_parts;	/* leaf and container parts together */
	size_t		max_line;	/* longest header/body line, bytes */
	/* Text taken from attachments: at most this much of each, and of
	 * all of them together (bytes of UTF-8); beyond it the text is cut
	 * and text_cut counts it. */
	size_t		attachment_text_max;
	size_t		message_text_max;
	/* A document archive is read to at most this many times its
	 * compressed size (a zip bomb stops there). */
	unsigned	max_ratio;
};

#define PARSE_LIMITS_DEFAULT { 25u * 1024 * 1024, 20, 500, 100000, \
	1024u * 1024, 4u * 1024 * 1024, 100 }

struct address {
	char		*name;		/* display name, decoded, or "" */
	char		*addr;		/* addr-spec as GMime reads it (a quoted
					   local part keeps its quotes), the
					   domain lower-cased; compare with
					   address_key() (address.h) */
};

struct attachment {
	char		*filename;	/* decoded; never use as a path; or "" */
	char		*content_type;	/* "type/subtype", lower case */
	size_t		 size;		/* decoded bytes */
	char		 sha256[65];	/* hex of the decoded bytes */
	/* Text of a text-like attachment (any text type, or a message/rfc822
	 * forwarded as attachment) in UTF-8, for the rules; or NULL. */
	char		*text;
};

struct header {
	char		*name;		/* as written */
	char		*value;		/* unfolded, RFC 2047 decoded */
};

/* Signals that a message was written by a machine (RFC 3834 and friends). */
struct machine_signals {
	char		*auto_submitted;  /* header value, or NULL */
	char		*precedence;	  /* header value, or NULL */
	char		*list_id;	  /* or NULL */
	char		*x_loop;	  /* or NULL */
	gboolean	 x_autoreply;	  /* X-Autoreply / X-Autorespond /
					     X-Auto-Response-Suppress */
	gboolean	 null_sender;	  /* Return-Path: <> or no From */
	gboolean	 mailer_daemon;	  /* From mailer-daemon/postmaster */
	gboolean	 is_report;	  /* multipart/report */
	char		*report_type;	  /* its report-type, or NULL */
	/* For a delivery report: the Message-ID of the message it reports
	 * (from the returned headers), or NULL. */
	char		*reported_message_id;
};

enum body_source {
	BODY_NONE,		/* no text found */
	BODY_PLAIN,		/* a text/plain part */
	BODY_HTML,		/* text made from an HTML part */
	BODY_ATTACHMENT		/* no body text: text of an attachment */
};

struct message {
	char		 sha256[65];	/* hex of the raw bytes */
	size_t		 raw_size;

	/* Non-NULL when a bound was passed or the message could not be
	 * parsed: says which and by how much. The fields below are then
	 * filled only as far as parsing got (at least message_id when the
	 * header could be read). */
	char		*quarantine;

	char		*subject;	/* decoded, "" when absent */
	struct address	*from;		/* or NULL */
	struct address	*sender;	/* Sender:, or NULL */
	GPtrArray	*reply_to;	/* of struct address */
	GPtrArray	*to;		/* of struct address */
	GPtrArray	*cc;		/* of struct address */
	GPtrArray	*delivered_to;	/* of char *, Delivered-To values */
	char		*return_path;	/* addr inside <>, "" for <>, or NULL */

	char		*message_id;	/* without <>, or NULL */
	char		*in_reply_to;	/* first msg-id, without <>, or NULL */
	GPtrArray	*references;	/* of char *, without <> */

	gboolean	 has_date;
	gint64		 date;		/* Unix time of Date: */
	int		 date_tz;	/* its offset from UTC, minutes */

	char		*body;		/* best text, UTF-8, "" when none */
	enum body_source body_source;
	gboolean	 charset_fallback; /* a declared charset was wrong or
					      unknown and text was repaired */

	GPtrArray	*attachments;	/* of struct attachment */
	/* How many attachment texts were cut short or left unread by the
	 * text limits (the whole message counts, forwarded ones too). */
	unsigned	 text_cut;
	/* message/rfc822 parts (forwarded mail), parsed the same way;
	 * of struct message. Their own forwarded parts nest. */
	GPtrArray	*forwarded;

	GPtrArray	*headers;	/* of struct header, top level, in order */
	struct machine_signals machine;
};

/*
 * Parse raw bytes into *out. Returns 0 and sets *out (free it with
 * message_free()) for every input, however broken: problems show as
 * quarantine. Returns -1 and sets *cause (caller frees) only when GMime
 * itself cannot be used (out of memory).
 */
int		 message_parse(const char *raw, size_t len,
		     const struct parse_limits *limits, struct message **out,
		     char **cause);
void		 message_free(struct message *);

/* First header of that name (case-insensitive), or NULL. Borrowed. */
const char	*message_header(const struct message *, const char *name);

/* The address replies should go to: Reply-To if any, else From. Borrowed;
 * NULL when there is none. */
const struct address *message_reply_address(const struct message *);

#endif
