/*
 * test-message.c: what message_parse() makes of the fixtures in
 * tests/data/mail (found through $top_srcdir, or the directory given as
 * the first argument) and of a few messages built here.
 *
 * Expected hashes were computed with sha256sum over the decoded bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "message.h"
#include "tests/tap.h"

static char	*fixture_dir;

static struct message *
parse_bytes(const char *raw, size_t len, const struct parse_limits *limits)
{
	static const struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	struct message	*m = NULL;
	char		*cause = NULL;

	if (message_parse(raw, len, limits != NULL ? limits : &defaults, &m,
	    &cause) != 0) {
		printf("Bail out! message_parse failed: %s\n", cause);
		exit(1);
	}
	return (m);
}

static struct message *
parse_fixture(const char *name, const struct parse_limits *limits)
{
	struct message	*m;
	GError		*error = NULL;
	char		*path, *raw;
	gsize		 len;

	path = g_build_filename(fixture_dir, name, NULL);
	if (!g_file_get_contents(path, &raw, &len, &error)) {
		printf("Bail out! cannot read fixture %s: %s\n", path,
		    error->message);
		exit(1);
	}
	m = parse_bytes(raw, len, limits);
	g_free(raw);
	g_free(path);
	return (m);
}

static const char *
addr_at(const GPtrArray *list, guint i)
{
	return (i < list->len ?
	    ((const struct address *)list->pdata[i])->addr : NULL);
}

static const char *
str_at(const GPtrArray *list, guint i)
{
	return (i < list->len ? list->pdata[i] : NULL);
}

static const struct attachment *
attachment_at(const struct message *m, guint i)
{
	static const struct attachment	none = { (char *)"", (char *)"", 0,
	    "", NULL };

	return (i < m->attachments->len ? m->attachments->pdata[i] : &none);
}

static gboolean
contains(const char *haystack, const char *needle)
{
	return (haystack != NULL && strstr(haystack, needle) != NULL);
}

static void
test_plain(void)
{
	struct message		*m = parse_fixture("plain.eml", NULL);
	const struct header	*h;

	ok(m->quarantine == NULL, "plain: not quarantined");
	is_str(m->sha256, "096e3579797d1a62c2ab4358d068ff80"
	    "610cb7ea08facc99c1e4839499daeda2",
	    "plain: sha256 of the raw bytes");
	ok(m->raw_size == 1032, "plain: raw_size is the file size");
	is_str(m->subject, "Complaint about my case", "plain: folded subject "
	    "is unfolded");
	is_str(m->from ? m->from->name : NULL, "Jane Doe", "plain: From name");
	is_str(m->from ? m->from->addr : NULL, "Jane.Doe@example.org",
	    "plain: From domain lower-cased, local part kept");
	is_str(m->sender ? m->sender->addr : NULL, "office@example.org",
	    "plain: Sender");
	ok(m->reply_to->len == 1, "plain: one Reply-To");
	is_str(message_reply_address(m)->name, "Doe, Jane",
	    "plain: reply address is Reply-To, quoted name decoded");
	ok(m->to->len == 3, "plain: To has 3 mailboxes with the group "
	    "flattened (%u)", m->to->len);
	is_str(addr_at(m->to, 0), "london.complaints@cps.example.gov.uk",
	    "plain: first To");
	is_str(addr_at(m->to, 2), "bob@example.net", "plain: group member "
	    "of To, domain lower-cased");
	is_str(addr_at(m->cc, 0), "carol@example.com", "plain: Cc");
	ok(m->delivered_to->len == 2, "plain: two Delivered-To values");
	is_str(str_at(m->delivered_to, 1), "Archive@cps.example.gov.uk",
	    "plain: Delivered-To without <>");
	is_str(m->return_path, "Bounces+Jane@mail.example.org",
	    "plain: Return-Path inside <>");
	is_str(m->message_id, "plain-1@example.org", "plain: Message-ID "
	    "without <>");
	is_str(m->in_reply_to, "parent-2@cps.example.gov.uk",
	    "plain: In-Reply-To id found among words and comments");
	ok(m->references->len == 3, "plain: three References");
	is_str(str_at(m->references, 0), "root-1@cps.example.gov.uk",
	    "plain: References in order (first)");
	is_str(str_at(m->references, 2), "parent-2@cps.example.gov.uk",
	    "plain: References in order (last, after a tab fold)");
	ok(m->has_date && m->date == 1772529300 && m->date_tz == 60,
	    "plain: Date as Unix time and +01:00 offset");
	h = m->headers->len > 0 ? m->headers->pdata[0] : NULL;
	is_str(h ? h->name : NULL, "Return-Path", "plain: headers in order, "
	    "first as written");
	ok(m->headers->len == 17, "plain: all 17 top-level headers (%u)",
	    m->headers->len);
	h = m->headers->len == 17 ? m->headers->pdata[16] : NULL;
	is_str(h ? h->name : NULL, "Content-Transfer-Encoding",
	    "plain: Content-* headers kept in their place");
	is_str(message_header(m, "content-TYPE"), "text/plain; "
	    "charset=us-ascii", "plain: message_header is case-insensitive");
	ok(!contains(message_header(m, "Received"), "\n"),
	    "plain: Received is unfolded");
	is_str(m->body, "Dear Sir or Madam,\n\nI am writing to complain about "
	    "how my case was handled.\n\nYours faithfully,\nJane Doe\n",
	    "plain: body");
	ok(m->body_source == BODY_PLAIN && !m->charset_fallback,
	    "plain: body from text/plain, no charset repair");
	ok(m->attachments->len == 0 && m->forwarded->len == 0,
	    "plain: no attachments, nothing forwarded");
	ok(m->machine.auto_submitted == NULL && m->machine.precedence ==
	    NULL && !m->machine.null_sender && !m->machine.mailer_daemon &&
	    !m->machine.is_report && !m->machine.x_autoreply,
	    "plain: no machine signals");
	message_free(m);

	m = parse_fixture("plain-crlf.eml", NULL);
	is_str(m->body, "First line.\nSecond line.\n", "CRLF: body has LF "
	    "line ends");
	ok(m->date == 1772629200 && m->date_tz == -300, "CRLF: Date with "
	    "-05:00");
	ok(message_reply_address(m) == m->from, "CRLF: without Reply-To the "
	    "reply address is From");
	message_free(m);
}

static void
test_html(void)
{
	struct message	*m = parse_fixture("html-only.eml", NULL);

	ok(m->body_source == BODY_HTML, "HTML only: body made from HTML");
	is_str(m->body, "My complaint\n\nThe fee was \xc2\xa3" "5 & the "
	    "caf\xc3\xa9 was closed.\n\nLine one\nLine two\n- first item\n"
	    "- second item\n\nName Jane",
	    "HTML only: readable text, entities decoded, lists as - lines");
	ok(!contains(m->body, "<") && !contains(m->body, "tracking") &&
	    !contains(m->body, "nor this") && !contains(m->body, "color") &&
	    !contains(m->body, "Secret title") &&
	    !contains(m->body, "comment"),
	    "HTML only: no tags, script, style, title or comments");
	ok(!m->has_date, "HTML only: a Date that is not a date is no date");
	message_free(m);
}

static void
check_cafe(const char *file, const char *want, gboolean fallback)
{
	struct message	*m = parse_fixture(file, NULL);

	is_str(m->body, want, file);
	ok(m->charset_fallback == fallback, "%s: charset_fallback is %s",
	    file, fallback ? "set" : "not set");
	message_free(m);
}

static void
test_charsets(void)
{
	const char	*cafe = "It cost caf\xc3\xa9 \xc2\xa3" "5\n";

	check_cafe("cp1252-declared.eml", "It cost caf\xc3\xa9 \xc2\xa3"
	    "5 \xe2\x80\x99quoted\xe2\x80\x99\n", FALSE);
	check_cafe("latin1-smart-quotes.eml", "They said \xe2\x80\x9cwait"
	    "\xe2\x80\x9d and charged \xe2\x82\xac" "5 \xe2\x80\x93 "
	    "caf\xc3\xa9.\n", FALSE);
	check_cafe("cp1252-undeclared.eml", cafe, TRUE);
	/* One byte that windows-1251 does not define must not throw away
	 * the declared charset for the rest of the text. */
	check_cafe("cp1251-damaged.eml", "Жалоба: прокурор не \xef\xbf\xbd"
	    "ответил на мои письма, и я прошу объяснить почему. Спасибо за "
	    "внимание к этому делу.\n", TRUE);
	check_cafe("wrong-charset.eml", cafe, TRUE);
	check_cafe("wrong-label-latin1.eml", cafe, TRUE);
	check_cafe("unknown-charset.eml", cafe, TRUE);
	check_cafe("base64.eml", "Base64 body: caf\xc3\xa9 \xc2\xa3" "5\n"
	    "Second line.\n", FALSE);
	check_cafe("quoted-printable.eml", "The caf\xc3\xa9 charged \xc2\xa3"
	    "5 and this sentence is long enough to need a soft line break.\n",
	    FALSE);
}

static void
test_subjects(void)
{
	struct message	*m;

	m = parse_fixture("subject-2047-utf8.eml", NULL);
	is_str(m->subject, "R\xc3\xa9" "clamation \xe2\x80\x93 caf\xc3\xa9 "
	    "\xc2\xa3" "5", "RFC 2047 UTF-8 subject over two encoded words");
	is_str(m->from ? m->from->name : NULL, "J\xc3\xb6rg M\xc3\xbcller",
	    "RFC 2047 base64 From name");
	message_free(m);

	m = parse_fixture("subject-2047-latin1.eml", NULL);
	is_str(m->subject, "Caf\xc3\xa9 \xc2\xa3" "5 r\xc3\xa9" "clamation",
	    "RFC 2047 ISO-8859-1 subject");
	is_str(m->from ? m->from->name : NULL, "Fran\xc3\xa7ois "
	    "Pr\xc3\xa9vost", "RFC 2047 ISO-8859-1 From name");
	message_free(m);

	m = parse_fixture("subject-8bit.eml", NULL);
	is_str(m->subject, "R\xc3\xa9" "clamation \xe2\x80\x93 caf\xc3\xa9",
	    "raw 8-bit UTF-8 subject");
	is_str(m->from ? m->from->name : NULL, "Ren\xc3\xa9" "e Dupr\xc3\xa9",
	    "raw 8-bit windows-1252 From name");
	is_str(message_header(m, "X-Note"), "caf\xc3\xa9 \xc2\xa3" "5",
	    "raw 8-bit windows-1252 header value");
	message_free(m);
}

static void
test_alternative(void)
{
	struct message	*m;

	m = parse_fixture("alternative.eml", NULL);
	is_str(m->body, "The plain version.\n", "alternative: plain text "
	    "preferred even when HTML comes first");
	ok(m->body_source == BODY_PLAIN && m->attachments->len == 0,
	    "alternative: the HTML rendering is not an attachment");
	message_free(m);

	m = parse_fixture("alternative-empty-plain.eml", NULL);
	is_str(m->body, "Only the HTML says anything.", "alternative: an "
	    "empty plain part gives way to the HTML");
	ok(m->body_source == BODY_HTML, "alternative: body_source HTML");
	ok(m->attachments->len == 1 && strcmp(attachment_at(m, 0)->
	    content_type, "image/gif") == 0, "alternative: inline image is "
	    "an attachment");
	message_free(m);
}

static void
test_attachments(void)
{
	struct message		*m;
	const struct attachment	*a;

	m = parse_fixture("attachment-rfc2231.eml", NULL);
	is_str(m->body, "Please see the attached documents.\n",
	    "attachments: body is the first inline text");
	ok(m->attachments->len == 2, "attachments: two (%u)",
	    m->attachments->len);
	a = attachment_at(m, 0);
	is_str(a->filename, "R\xc3\xa9sum\xc3\xa9 \xc2\xa3" "5.pdf",
	    "attachments: RFC 2231 name with continuations");
	is_str(a->content_type, "application/pdf", "attachments: type");
	ok(a->size == 86, "attachments: decoded size (%zu)", a->size);
	is_str(a->sha256, "03b38d51e62a03ccb251c056987ad60797261b642fa011b6"
	    "0ecc7c2ec175ca35", "attachments: SHA-256 of the decoded bytes");
	ok(a->text == NULL, "attachments: no text for a PDF");
	a = attachment_at(m, 1);
	is_str(a->filename, "lettre \xc3\xa9t\xc3\xa9.txt", "attachments: "
	    "RFC 2047 name");
	is_str(a->text, "Letter text: caf\xc3\xa9 \xc2\xa3" "5\n",
	    "attachments: text of a windows-1252 text attachment");
	message_free(m);

	m = parse_fixture("office-docx-only.eml", NULL);
	ok(m->body_source == BODY_ATTACHMENT, "docx: letter sent only as an "
	    "attachment becomes the body");
	is_str(m->body, "Dear Sir or Madam,\nI wish to complain about the "
	    "prosecutor in my case: the caf\xc3\xa9 charged \xc2\xa3" "5.\n\n"
	    "Reference:\t12AB3456789\nYours faithfully,\nJane Doe",
	    "docx: paragraphs as lines, runs joined, tab and break kept");
	ok(!contains(m->body, "WITHDRAWN"), "docx: deleted text left out");
	is_str(attachment_at(m, 0)->filename, "complaint letter.docx",
	    "docx: file name");
	message_free(m);

	m = parse_fixture("office-odt.eml", NULL);
	ok(m->body_source == BODY_PLAIN, "odt: body text stays the body");
	is_str(attachment_at(m, 0)->text, "Signed authority\nI, Jane Doe, "
	    "give permission for my  brother to act for me.\nSigned:\tJ. Doe",
	    "odt: .odt sent as octet-stream is read by its name");
	message_free(m);
}

static void
test_forwarded(void)
{
	struct message	*m, *fwd;

	m = parse_fixture("forwarded.eml", NULL);
	ok(m->forwarded->len == 1, "forwarded: one message/rfc822 parsed");
	fwd = m->forwarded->len > 0 ? m->forwarded->pdata[0] : NULL;
	is_str(fwd ? fwd->subject : NULL, "What happened at court",
	    "forwarded: its subject");
	is_str(fwd ? fwd->message_id : NULL, "inner-1@example.net",
	    "forwarded: its Message-ID");
	is_str(fwd && fwd->from ? fwd->from->addr : NULL,
	    "victim.friend@example.net", "forwarded: its From");
	is_str(fwd ? fwd->body : NULL, "The forwarded text that must stay "
	    "out of the body.\n", "forwarded: its body");
	is_str(m->body, "I am forwarding my friend's account below.\n",
	    "forwarded: not merged into the outer body");
	is_str(attachment_at(m, 0)->content_type, "message/rfc822",
	    "forwarded: listed as an attachment");
	is_str(attachment_at(m, 0)->filename, "court.eml",
	    "forwarded: with its file name");
	is_str(attachment_at(m, 0)->sha256, fwd ? fwd->sha256 : NULL,
	    "forwarded: attachment and message hash agree");
	message_free(m);

	m = parse_fixture("forwarded-base64.eml", NULL);
	fwd = m->forwarded->len > 0 ? m->forwarded->pdata[0] : NULL;
	is_str(fwd ? fwd->subject : NULL, "What happened at court",
	    "forwarded: a base64-encoded message/rfc822 is parsed too");
	message_free(m);
}

static void
test_machine(void)
{
	struct message	*m;

	m = parse_fixture("auto-reply.eml", NULL);
	is_str(m->machine.auto_submitted, "auto-replied", "auto-reply: "
	    "Auto-Submitted");
	is_str(m->machine.precedence, "bulk", "auto-reply: Precedence");
	is_str(m->machine.x_loop, "jane.doe@example.org", "auto-reply: X-Loop");
	ok(m->machine.list_id != NULL, "auto-reply: List-Id");
	ok(m->machine.x_autoreply, "auto-reply: X-Autoreply");
	ok(m->machine.null_sender, "auto-reply: Return-Path <> is a null "
	    "sender");
	is_str(m->return_path, "", "auto-reply: return_path is \"\"");
	ok(!m->machine.mailer_daemon && !m->machine.is_report,
	    "auto-reply: not a mailer-daemon report");
	message_free(m);

	m = parse_fixture("bounce.eml", NULL);
	ok(m->machine.is_report, "bounce: multipart/report");
	is_str(m->machine.report_type, "delivery-status", "bounce: report "
	    "type");
	is_str(m->machine.reported_message_id,
	    "redress.LON-2026-00042.1@cps.example.gov.uk", "bounce: Message-ID "
	    "of the returned headers (folded)");
	ok(m->machine.mailer_daemon && m->machine.null_sender,
	    "bounce: from MAILER-DAEMON, null sender");
	ok(g_str_has_prefix(m->body, "This is the mail system"),
	    "bounce: body is the human-readable part");
	message_free(m);

	m = parse_fixture("bounce-status-only.eml", NULL);
	is_str(m->machine.report_type, "delivery-status", "status-only "
	    "bounce: report type lower-cased");
	is_str(m->machine.reported_message_id,
	    "redress.LON-2026-00043.7@cps.example.gov.uk",
	    "status-only bounce: X-Original-Message-ID of the delivery-status "
	    "part");
	ok(m->machine.mailer_daemon, "status-only bounce: postmaster is a "
	    "mailer daemon");
	message_free(m);
}

static void
test_broken_and_limits(void)
{
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	struct message		*m;

	m = parse_fixture("unterminated.eml", NULL);
	ok(m->quarantine == NULL, "unterminated multipart: parsed");
	is_str(m->body, "The text before the message was cut off.\n",
	    "unterminated multipart: body");
	ok(m->attachments->len == 1 && attachment_at(m, 0)->size > 0,
	    "unterminated multipart: the cut attachment keeps what arrived");
	message_free(m);

	m = parse_fixture("nested.eml", NULL);
	ok(m->quarantine == NULL && m->attachments->len == 2,
	    "nested: within the default limits");
	message_free(m);

	limits.max_depth = 2;
	m = parse_fixture("nested.eml", &limits);
	is_str(m->quarantine, "MIME parts are nested 3 levels deep, over the "
	    "limit of 2 (limits.max_mime_depth)", "over depth: quarantined "
	    "with the limit and its key");
	is_str(m->message_id, "nested@example.org", "over depth: Message-ID "
	    "still known");
	message_free(m);

	limits.max_depth = 20;
	limits.max_parts = 4;
	m = parse_fixture("nested.eml", &limits);
	is_str(m->quarantine, "message has 6 MIME parts, over the limit of 4 "
	    "(limits.max_parts)", "over parts: quarantined with the count "
	    "and the key");
	message_free(m);

	limits.max_parts = 500;
	limits.max_size = 300;
	m = parse_fixture("plain.eml", &limits);
	is_str(m->quarantine, "message is 1032 bytes, over the limit of 300 "
	    "(limits.max_message_size)", "over size: quarantined with both "
	    "sizes and the key");
	is_str(m->message_id, "plain-1@example.org", "over size: Message-ID "
	    "read from the header block");
	is_str(m->subject, "Complaint about my case", "over size: Subject "
	    "read from the header block");
	ok(m->from != NULL, "over size: From read from the header block");
	ok(*m->body == '\0' && m->body_source == BODY_NONE,
	    "over size: the body is not read");
	is_str(m->sha256, "096e3579797d1a62c2ab4358d068ff80610cb7ea08facc99c1e"
	    "4839499daeda2", "over size: sha256 still set");
	ok(m->raw_size == 1032, "over size: raw_size still set");
	message_free(m);
}

/* Messages built here: too big to keep as fixtures, or trivial. */
static void
test_built(void)
{
	struct message	*m;
	GString		*s;
	char		*cause = NULL;
	int		 i;

	s = g_string_new("Message-ID: <deep@example.org>\nSubject: deep\n");
	for (i = 0; i < 25; i++)
		g_string_append_printf(s, "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\n\n--b%d\n", i, i);
	g_string_append(s, "Content-Type: text/plain\n\nbottom\n");
	m = parse_bytes(s->str, s->len, NULL);
	ok(contains(m->quarantine, "over the limit of 20 "
	    "(limits.max_mime_depth)"), "25 nested multiparts pass the default "
	    "depth limit: %s", m->quarantine ? m->quarantine : "(none)");
	is_str(m->message_id, "deep@example.org", "deep: Message-ID known");
	message_free(m);
	g_string_free(s, TRUE);

	s = g_string_new("Message-ID: <many@example.org>\nContent-Type: "
	    "multipart/mixed; boundary=x\n\n");
	for (i = 0; i < 600; i++)
		g_string_append(s, "--x\nContent-Type: text/plain\n\npart\n");
	g_string_append(s, "--x--\n");
	m = parse_bytes(s->str, s->len, NULL);
	is_str(m->quarantine, "message has 601 MIME parts, over the limit of "
	    "500 (limits.max_parts)", "600 parts pass the default part limit");
	message_free(m);
	g_string_free(s, TRUE);

	s = g_string_new("From: a@example.org\nSubject: long\nMessage-ID: "
	    "<long@example.org>\n\n");
	for (i = 0; i < 100001; i++)
		g_string_append_c(s, 'x');
	g_string_append(s, "\n");
	m = parse_bytes(s->str, s->len, NULL);
	is_str(m->quarantine, "line 5 of the message is 100001 bytes long, "
	    "over the limit of 100000 (limits.max_line_length)",
	    "a line over the default limit is quarantined");
	is_str(m->subject, "long", "long line: Subject still known");
	message_free(m);
	g_string_free(s, TRUE);

	m = parse_bytes("", 0, NULL);
	is_str(m->quarantine, "message is empty (0 bytes)", "empty input is "
	    "quarantined");
	is_str(m->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
	    "95991b7852b855", "empty input: sha256 of nothing");
	ok(*m->subject == '\0' && *m->body == '\0' && m->from == NULL,
	    "empty input: empty fields, never NULL strings");
	message_free(m);

	m = parse_bytes("\x01\x02 not a header\n\nbody\n",
	    strlen("\x01\x02 not a header\n\nbody\n"), NULL);
	ok(contains(m->quarantine, "no readable header block"),
	    "garbage without headers is quarantined: %s",
	    m->quarantine ? m->quarantine : "(none)");
	message_free(m);

	m = parse_bytes("Subject: no sender\n\ntext\n",
	    strlen("Subject: no sender\n\ntext\n"), NULL);
	ok(m->machine.null_sender && m->from == NULL, "no From: null sender");
	message_free(m);

	ok(message_parse(NULL, 5, NULL, &m, &cause) == -1 && cause != NULL,
	    "NULL bytes are refused with a reason");
	g_free(cause);
}

/* Attachment text is bounded per attachment and per message. */
static void
test_text_limits(void)
{
	struct parse_limits	 limits = PARSE_LIMITS_DEFAULT;
	struct message		*m;
	GString			*raw = g_string_new(NULL);
	int			 i, l, c;

	g_string_append(raw, "From: a@example.org\r\nSubject: t\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
	    "boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
	    "Body.\r\n");
	for (i = 0; i < 3; i++) {
		g_string_append_printf(raw, "--b\r\nContent-Type: text/plain; "
		    "charset=utf-8\r\nContent-Disposition: attachment; "
		    "filename=t%d.txt\r\n\r\n", i);
		/* 2000 bytes a line of two-byte characters, 3 lines */
		for (l = 0; l < 3; l++) {
			for (c = 0; c < 1000; c++)
				g_string_append(raw, "\xc3\xa9");
			g_string_append(raw, "\r\n");
		}
	}
	g_string_append(raw, "--b--\r\n");

	m = parse_bytes(raw->str, raw->len, NULL);
	ok(m->text_cut == 0 && attachment_at(m, 0)->text != NULL &&
	    strlen(attachment_at(m, 0)->text) > 6000, "text limits: within "
	    "the defaults nothing is cut");
	message_free(m);

	limits.attachment_text_max = 1001;
	limits.message_text_max = 1500;
	m = parse_bytes(raw->str, raw->len, &limits);
	ok(m->attachments->len == 3, "text limits: every attachment is "
	    "still listed");
	ok(strlen(attachment_at(m, 0)->text) == 1000 &&
	    g_utf8_validate(attachment_at(m, 0)->text, -1, NULL),
	    "text limits: the first is cut to attachment_text_max, at a "
	    "character boundary");
	ok(strlen(attachment_at(m, 1)->text) == 500, "text limits: the "
	    "second gets what is left of message_text_max");
	ok(attachment_at(m, 2)->text == NULL, "text limits: the third is "
	    "not read at all");
	ok(m->text_cut == 3, "text limits: all three are counted as cut");
	message_free(m);
	g_string_free(raw, TRUE);
}

int
main(int argc, char **argv)
{
	const char	*top = g_getenv("top_srcdir");

	if (argc > 1)
		fixture_dir = g_strdup(argv[1]);
	else
		fixture_dir = g_build_filename(top != NULL ? top : ".",
		    "tests", "data", "mail", NULL);
	if (!g_file_test(fixture_dir, G_FILE_TEST_IS_DIR)) {
		printf("Bail out! no fixtures at %s: set top_srcdir or give "
		    "the fixture directory as the argument\n", fixture_dir);
		return (1);
	}
	test_plain();
	test_html();
	test_charsets();
	test_subjects();
	test_alternative();
	test_attachments();
	test_forwarded();
	test_machine();
	test_broken_and_limits();
	test_text_limits();
	test_built();
	g_free(fixture_dir);
	return (tap_done());
}
