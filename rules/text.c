/*
 * text.c: split a body into own words, quoted replies and forwarded mail,
 * and normalise each for the rules.
 *
 * Complainants mostly top-post: their words come first, then the mail they
 * answer. What lies below an attribution line ("On ... wrote:"), an
 * "Original Message" rule or an Outlook header block (From: then Sent:)
 * is the old mail; lines beginning with ">" are quoted wherever they are.
 */
#include <string.h>

#include "text.h"

/* Own words shorter than this (a bare forward) are not enough to go on. */
#define OWN_MIN_CHARS	20

struct markers {
	GRegex	*forward;	/* ---------- Forwarded message --------- */
	GRegex	*original;	/* -----Original Message----- */
	GRegex	*attribution;	/* On <date>, <name> wrote: */
	GRegex	*header_from;	/* From: (Outlook's block of the old mail) */
	GRegex	*header_sent;	/* Sent: / Date: */
	GRegex	*rule_line;	/* ________________ */
	GRegex	*fwd_subject;	/* Fwd: in the subject */
	GRegex	*header_line;	/* From:, Date:, Sent:, To:, Subject: */
};

static GRegex *
marker(const char *source)
{
	GError	*error = NULL;
	GRegex	*re;

	re = g_regex_new(source, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0,
	    &error);
	if (re == NULL)
		g_error("text.c: bad built-in pattern %s: %s", source,
		    error->message);
	return (re);
}

static const struct markers *
markers(void)
{
	static struct markers	*mk;

	if (g_once_init_enter(&mk)) {
		struct markers	*n = g_new0(struct markers, 1);

		n->forward = marker("^\\s*(?:-{2,}\\s*forwarded message\\s*-*|"
		    "begin forwarded message:|-{2,}\\s*forwarded by\\b|"
		    "-{2,}\\s*neges (?:wedi ei|wedi'i) (?:hanfon|anfon) ymlaen"
		    "\\s*-*)\\s*$");
		n->original = marker("^\\s*-{2,}\\s*original message\\s*-{2,}"
		    "\\s*$");
		n->attribution = marker("^\\s*(?:on|ar)\\s.{4,300}\\s"
		    "(?:wrote|ysgrifennodd)(?:\\s.{0,80})?:\\s*$");
		n->header_from = marker("^\\s*\\*?(?:from|oddi wrth|gan):\\*?\\s");
		n->header_sent = marker("^\\s*\\*?(?:sent|date|anfonwyd|"
		    "dyddiad):\\*?\\s");
		n->rule_line = marker("^\\s*_{8,}\\s*$");
		n->fwd_subject = marker("^\\s*(?:(?:re|aw):\\s*)*(?:fwd?|fw)\\s*:");
		n->header_line = marker("^\\s*\\*?(?:from|sent|date|to|cc|subject|"
		    "oddi wrth|anfonwyd|dyddiad|at|pwnc):\\*?\\s");
		g_once_init_leave(&mk, n);
	}
	return (mk);
}

/* Replacements that make typing variants the same. */
static const struct {
	gunichar	 from;
	const char	*to;
} replacements[] = {
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201B, "'" }, { 0x2032, "'" },
	{ 0x0060, "'" }, { 0x00B4, "'" },
	{ 0x201C, "\"" }, { 0x201D, "\"" }, { 0x201E, "\"" }, { 0x00AB, "\"" },
	{ 0x00BB, "\"" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" }, { 0x2013, "-" },
	{ 0x2014, "-" }, { 0x2015, "-" }, { 0x2212, "-" },
	{ 0x00A0, " " }, { 0x2007, " " }, { 0x202F, " " }, { 0x2009, " " },
	{ 0x200A, " " }, { 0x2002, " " }, { 0x2003, " " }, { '\t', " " },
	{ 0x200B, "" }, { 0x200C, "" }, { 0x200D, "" }, { 0xFEFF, "" },
	{ 0x00AD, "" },
	{ 0x2026, "..." },
};

char *
text_padded(const char *s, gssize len)
{
	char	*p;

	if (s == NULL)
		s = "";
	if (len < 0)
		len = strlen(s);
	p = g_malloc0(len + 1 + TEXT_PAD);
	memcpy(p, s, len);
	return (p);
}

gboolean
text_match(const GRegex *re, const char *s)
{
	char		*p;
	gboolean	 r;

	if (s == NULL)
		return (FALSE);
	p = text_padded(s, -1);
	r = g_regex_match(re, p, 0, NULL);
	g_free(p);
	return (r);
}

char *
text_normalise(const char *s)
{
	char		*valid, *composed;
	const char	*p;
	GString		*out;
	gboolean	 space = FALSE, newline = FALSE, line_start = TRUE;
	int		 blank_run = 0;

	if (s == NULL)
		return (text_padded("", 0));
	valid = g_utf8_make_valid(s, -1);
	composed = g_utf8_normalize(valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
	g_free(valid);
	if (composed == NULL)
		return (text_padded("", 0));
	out = g_string_sized_new(strlen(composed));
	for (p = composed; *p != '\0' && out->len < TEXT_MAX;
	    p = g_utf8_next_char(p)) {
		gunichar	 c = g_utf8_get_char(p);
		const char	*to = NULL;
		size_t		 i;

		if (c == '\r')
			continue;
		if (c == '\n') {
			if (line_start)
				blank_run++;
			line_start = TRUE;
			space = TRUE;
			if (blank_run > 0)
				newline = TRUE;
			continue;
		}
		for (i = 0; i < G_N_ELEMENTS(replacements); i++)
			if (replacements[i].from == c) {
				to = replacements[i].to;
				break;
			}
		if ((to != NULL && strcmp(to, " ") == 0) ||
		    (to == NULL && g_unichar_isspace(c))) {
			space = TRUE;
			continue;
		}
		if (to != NULL && *to == '\0')
			continue;
		if (out->len > 0 && newline)
			g_string_append_c(out, '\n');
		else if (out->len > 0 && space)
			g_string_append_c(out, ' ');
		space = newline = FALSE;
		line_start = FALSE;
		blank_run = 0;
		if (to != NULL)
			g_string_append(out, to);
		else
			g_string_append_unichar(out, c);
	}
	g_free(composed);
	/* never end inside a character */
	while (out->len > 0 && !g_utf8_validate(out->str, out->len, NULL))
		g_string_truncate(out, out->len - 1);
	{
		char	*padded = text_padded(out->str, out->len);

		g_string_free(out, TRUE);
		return (padded);
	}
}

enum part {
	PART_OWN,
	PART_QUOTED,
	PART_FORWARDED
};

static gboolean
is_blank(const char *line)
{
	for (; *line != '\0'; line++)
		if (!g_ascii_isspace(*line))
			return (FALSE);
	return (TRUE);
}

static const char *
unquote(const char *line)
{
	while (*line == '>' || *line == ' ')
		line++;
	return (line);
}

/* An Outlook header block: From: followed within four lines by Sent:. */
static gboolean
header_block_at(const struct markers *mk, char **lines, guint i)
{
	guint	k;

	if (!text_match(mk->header_from, lines[i]))
		return (FALSE);
	for (k = i + 1; lines[k] != NULL && k <= i + 4; k++)
		if (text_match(mk->header_sent, lines[k]))
			return (TRUE);
	return (FALSE);
}

/* "On <date>, <name>" may wrap onto a second line ending "wrote:". Returns
 * how many lines the attribution takes, 0 when it is none. */
static int
attribution_at(const struct markers *mk, char **lines, guint i)
{
	char		*joined;
	gboolean	 r;

	if (text_match(mk->attribution, lines[i]))
		return (1);
	if (lines[i + 1] == NULL)
		return (0);
	joined = g_strconcat(lines[i], " ", lines[i + 1], NULL);
	r = text_match(mk->attribution, joined);
	g_free(joined);
	return (r ? 2 : 0);
}

static gboolean
next_line_quoted(char **lines, guint i)
{
	for (; lines[i] != NULL; i++)
		if (!is_blank(lines[i]))
			return (lines[i][0] == '>');
	return (FALSE);
}

static void
split_body(const char *body, gboolean fwd_subject, GString *own,
    GString *quoted, GString *forwarded, gboolean *inline_forward)
{
	const struct markers	*mk = markers();
	char			**lines;
	enum part		 state = PART_OWN;
	guint			 i;
	int			 n;

	lines = g_strsplit(body, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		char	*line = lines[i];
		size_t	 len = strlen(line);

		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (state == PART_OWN) {
			if (text_match(mk->forward, line)) {
				state = PART_FORWARDED;
				*inline_forward = TRUE;
			} else if (text_match(mk->original, line) ||
			    header_block_at(mk, lines, i) ||
			    (text_match(mk->rule_line, line) &&
			    lines[i + 1] != NULL &&
			    header_block_at(mk, lines, i + 1))) {
				state = fwd_subject ? PART_FORWARDED :
				    PART_QUOTED;
				*inline_forward |= fwd_subject;
			} else if ((n = attribution_at(mk, lines, i)) > 0) {
				if (!next_line_quoted(lines, i + n))
					state = PART_QUOTED;
				i += n - 1;
				continue;
			}
		}
		switch (state) {
		case PART_OWN:
			if (line[0] == '>') {
				g_string_append(quoted, unquote(line));
				g_string_append_c(quoted, '\n');
			} else {
				g_string_append(own, line);
				g_string_append_c(own, '\n');
			}
			break;
		case PART_QUOTED:
		case PART_FORWARDED:
			/* the old mail's own header lines are not its words
			 * (their dates are not the matter's) */
			if (text_match(mk->header_line, unquote(line)))
				break;
			g_string_append(state == PART_QUOTED ? quoted :
			    forwarded, unquote(line));
			g_string_append_c(state == PART_QUOTED ? quoted :
			    forwarded, '\n');
			break;
		}
	}
	g_strfreev(lines);
}

static void
append_forwarded(GString *out, const struct message *m, int depth)
{
	guint	i;

	if (m->forwarded == NULL || depth > 8)
		return;
	for (i = 0; i < m->forwarded->len && out->len < TEXT_MAX; i++) {
		const struct message *f = g_ptr_array_index(m->forwarded, i);

		if (f->subject != NULL) {
			g_string_append(out, f->subject);
			g_string_append(out, "\n\n");
		}
		if (f->body != NULL) {
			g_string_append(out, f->body);
			g_string_append(out, "\n\n");
		}
		append_forwarded(out, f, depth + 1);
	}
}

/* The non-NULL ones of a, b, c, d joined by newlines, padded. */
static char *
join_padded(const char *a, const char *b, const char *c, const char *d)
{
	const char	*parts[] = { a, b, c, d };
	GString		*j = g_string_new(NULL);
	char		*p;
	size_t		 i;

	for (i = 0; i < G_N_ELEMENTS(parts); i++) {
		if (parts[i] == NULL)
			continue;
		if (j->len > 0)
			g_string_append_c(j, '\n');
		g_string_append(j, parts[i]);
	}
	p = text_padded(j->str, j->len);
	g_string_free(j, TRUE);
	return (p);
}

char *
texts_join(const char *a, const char *b)
{
	return (join_padded(a, b, NULL, NULL));
}

char *
texts_own(const struct message *m)
{
	GString		*own = g_string_new(NULL), *quoted = g_string_new(NULL);
	GString		*fwd = g_string_new(NULL);
	gboolean	 inline_forward = FALSE, fwd_subject;
	char		*text;

	fwd_subject = m->subject != NULL &&
	    text_match(markers()->fwd_subject, m->subject);
	if (m->body != NULL)
		split_body(m->body, fwd_subject, own, quoted, fwd,
		    &inline_forward);
	text = text_normalise(own->str);
	g_string_free(own, TRUE);
	g_string_free(quoted, TRUE);
	g_string_free(fwd, TRUE);
	return (text);
}

void
texts_prepare(const struct message *m, struct texts *t)
{
	GString		*own = g_string_new(NULL), *quoted = g_string_new(NULL);
	GString		*fwd = g_string_new(NULL), *att = g_string_new(NULL);
	gboolean	 inline_forward = FALSE, fwd_subject;
	guint		 i;

	memset(t, 0, sizeof *t);
	fwd_subject = m->subject != NULL &&
	    text_match(markers()->fwd_subject, m->subject);
	if (m->body != NULL)
		split_body(m->body, fwd_subject, own, quoted, fwd,
		    &inline_forward);
	append_forwarded(fwd, m, 0);
	for (i = 0; m->attachments != NULL && i < m->attachments->len; i++) {
		const struct attachment *a = g_ptr_array_index(m->attachments,
		    i);

		/* Only TEXT_MAX of it is read: joining more would only
		 * cost memory. */
		if (att->len >= TEXT_MAX)
			break;
		if (a->text == NULL || strcmp(a->content_type,
		    "message/rfc822") == 0)
			continue;
		g_string_append(att, a->text);
		g_string_append(att, "\n\n");
	}

	t->src[SRC_SUBJECT] = text_normalise(m->subject);
	t->src[SRC_BODY] = text_normalise(own->str);
	t->src[SRC_QUOTED] = text_normalise(quoted->str);
	t->src[SRC_FORWARDED] = text_normalise(fwd->str);
	t->src[SRC_ATTACHMENTS] = text_normalise(att->str);
	t->body_chars = g_utf8_strlen(t->src[SRC_BODY], -1);
	/* A bare forward or reply: the old mail is all there is to read. */
	if (t->body_chars < OWN_MIN_CHARS) {
		char	*more = g_strjoin("\n", t->src[SRC_BODY],
		    t->src[SRC_FORWARDED], t->src[SRC_QUOTED], NULL);

		g_free(t->src[SRC_BODY]);
		t->src[SRC_BODY] = text_normalise(more);
		g_free(more);
		t->body_chars = g_utf8_strlen(t->src[SRC_BODY], -1);
	}
	t->src[SRC_TEXT] = join_padded(t->src[SRC_SUBJECT], t->src[SRC_BODY],
	    NULL, NULL);
	t->src[SRC_ALL] = join_padded(t->src[SRC_TEXT], t->src[SRC_QUOTED],
	    t->src[SRC_FORWARDED], t->src[SRC_ATTACHMENTS]);
	t->forwarded = inline_forward ||
	    (m->forwarded != NULL && m->forwarded->len > 0);

	g_string_free(own, TRUE);
	g_string_free(quoted, TRUE);
	g_string_free(fwd, TRUE);
	g_string_free(att, TRUE);
}

void
texts_clear(struct texts *t)
{
	int	i;

	for (i = 0; i < SRC__COUNT; i++) {
		g_free(t->src[i]);
		t->src[i] = NULL;
	}
}
