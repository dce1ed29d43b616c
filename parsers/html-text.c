/*
 * html-text.c: readable text out of HTML bodies and .docx/.odt documents.
 *
 * Both are parsed into a libxml2 tree and walked the same way. The walk is
 * iterative, not recursive: a hostile message can nest elements as deep as
 * it likes and must not exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "html-text.h"

/* Text being built, with whitespace collapsed as a browser would. */
struct text_out {
	GString		*s;
	gboolean	 space;	/* a space is due before the next word */
	unsigned	 pre;	/* > 0: keep whitespace as written */
};

/* One markup dialect: what entering and leaving an element emits. */
struct markup_walk {
	/* Returns FALSE when the element's content must not be read. */
	gboolean	(*enter)(struct text_out *, const xmlNode *);
	void		(*leave)(struct text_out *, const xmlNode *);
	/* Whether a text node is content (NULL: every text node is). */
	gboolean	(*is_content)(const xmlNode *);
};

static void
out_trim_spaces(struct text_out *o)
{
	while (o->s->len > 0 && (o->s->str[o->s->len - 1] == ' ' ||
	    o->s->str[o->s->len - 1] == '\t'))
		g_string_truncate(o->s, o->s->len - 1);
}

static unsigned
out_trailing_newlines(const struct text_out *o)
{
	unsigned	n = 0;

	while (n < o->s->len && o->s->str[o->s->len - 1 - n] == '\n')
		n++;
	return (n);
}

/* End the current line so that at least `lines` newlines end the text
 * (2 leaves a blank line). Nothing happens at the very start. */
static void
out_break(struct text_out *o, unsigned lines)
{
	unsigned	have;

	o->space = FALSE;
	out_trim_spaces(o);
	if (o->s->len == 0)
		return;
	for (have = out_trailing_newlines(o); have < lines; have++)
		g_string_append_c(o->s, '\n');
}

/* One explicit line break (<br>, a paragraph of a document): repeated
 * ones make at most one blank line. */
static void
out_newline(struct text_out *o)
{
	o->space = FALSE;
	out_trim_spaces(o);
	if (o->s->len > 0 && out_trailing_newlines(o) < 2)
		g_string_append_c(o->s, '\n');
}

static void
out_raw(struct text_out *o, const char *text)
{
	o->space = FALSE;
	g_string_append(o->s, text);
}

static void
out_text(struct text_out *o, const char *text)
{
	const char	*p;
	gunichar	 c;
	char		 last;

	if (o->pre > 0) {
		g_string_append(o->s, text);
		return;
	}
	for (p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2)
			break;
		if (g_unichar_isspace(c)) {
			last = o->s->len > 0 ? o->s->str[o->s->len - 1] : '\n';
			if (last != ' ' && last != '\n' && last != '\t')
				o->space = TRUE;
			continue;
		}
		if (o->space)
			g_string_append_c(o->s, ' ');
		o->space = FALSE;
		g_string_append_unichar(o->s, c);
	}
}

static void
walk_tree(xmlDoc *doc, const struct markup_walk *w, struct text_out *o)
{
	xmlNode		*n = doc->children;
	gboolean	 descend;

	while (n != NULL) {
		descend = FALSE;
		if (n->type == XML_ELEMENT_NODE)
			descend = w->enter(o, n);
		else if ((n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) && n->content != NULL &&
		    (w->is_content == NULL || w->is_content(n)))
			out_text(o, (const char *)n->content);

		if (descend && n->children != NULL) {
			n = n->children;
			continue;
		}
		if (descend)
			w->leave(o, n);
		while (n->next == NULL) {
			n = n->parent;
			if (n == NULL || n == (xmlNode *)doc)
				return;
			w->leave(o, n);
		}
		n = n->next;
	}
}

/* The finished text: no trailing blank lines, and valid UTF-8 even if the
 * parser let something odd through. */
static char *
out_finish(struct text_out *o)
{
	char	*text;

	while (o->s->len > 0 && g_ascii_isspace(o->s->str[o->s->len - 1]))
		g_string_truncate(o->s, o->s->len - 1);
	if (g_utf8_validate(o->s->str, o->s->len, NULL))
		return (g_string_free(o->s, FALSE));
	text = g_utf8_make_valid(o->s->str, o->s->len);
	g_string_free(o->s, TRUE);
	return (text);
}

/* --- HTML */

enum html_kind {
	HTML_INLINE,
	HTML_SKIP,	/* never shown: script, style, head */
	HTML_BR,
	HTML_BLOCK,	/* on its own lines */
	HTML_PARA,	/* on its own lines with a blank line around */
	HTML_PRE,
	HTML_ITEM,
	HTML_CELL
};

static const struct {
	const char	*name;
	enum html_kind	 kind;
} html_kinds[] = {
	{ "script", HTML_SKIP }, { "style", HTML_SKIP },
	{ "head", HTML_SKIP }, { "title", HTML_SKIP },
	{ "template", HTML_SKIP }, { "br", HTML_BR },
	{ "p", HTML_PARA }, { "h1", HTML_PARA }, { "h2", HTML_PARA },
	{ "h3", HTML_PARA }, { "h4", HTML_PARA }, { "h5", HTML_PARA },
	{ "h6", HTML_PARA }, { "blockquote", HTML_PARA },
	{ "table", HTML_PARA }, { "pre", HTML_PRE }, { "li", HTML_ITEM },
	{ "td", HTML_CELL }, { "th", HTML_CELL },
	{ "div", HTML_BLOCK }, { "ul", HTML_BLOCK }, { "ol", HTML_BLOCK },
	{ "dl", HTML_BLOCK }, { "dt", HTML_BLOCK }, { "dd", HTML_BLOCK },
	{ "tr", HTML_BLOCK }, { "hr", HTML_BLOCK }, { "form", HTML_BLOCK },
	{ "fieldset", HTML_BLOCK }, { "address", HTML_BLOCK },
	{ "center", HTML_BLOCK }, { "section", HTML_BLOCK },
	{ "article", HTML_BLOCK }, { "aside", HTML_BLOCK },
	{ "header", HTML_BLOCK }, { "footer", HTML_BLOCK },
	{ "nav", HTML_BLOCK }, { "main", HTML_BLOCK },
	{ "figure", HTML_BLOCK }, { "figcaption", HTML_BLOCK },
	{ "caption", HTML_BLOCK }, { "body", HTML_BLOCK },
};

static enum html_kind
html_kind(const xmlNode *n)
{
	size_t	i;

	for (i = 0; i < G_N_ELEMENTS(html_kinds); i++) {
		if (g_ascii_strcasecmp((const char *)n->name,
		    html_kinds[i].name) == 0)
			return (html_kinds[i].kind);
	}
	return (HTML_INLINE);
}

static gboolean
html_enter(struct text_out *o, const xmlNode *n)
{
	switch (html_kind(n)) {
	case HTML_SKIP:
		return (FALSE);
	case HTML_BR:
		out_newline(o);
		return (FALSE);
	case HTML_BLOCK:
		out_break(o, 1);
		break;
	case HTML_PARA:
		out_break(o, 2);
		break;
	case HTML_PRE:
		out_break(o, 2);
		o->pre++;
		break;
	case HTML_ITEM:
		out_break(o, 1);
		out_raw(o, "- ");
		break;
	case HTML_INLINE:
	case HTML_CELL:
		break;
	}
	return (TRUE);
}

static void
html_leave(struct text_out *o, const xmlNode *n)
{
	switch (html_kind(n)) {
	case HTML_BLOCK:
	case HTML_ITEM:
		out_break(o, 1);
		break;
	case HTML_PRE:
		o->pre--;
		/* FALLTHROUGH */
	case HTML_PARA:
		out_break(o, 2);
		break;
	case HTML_CELL:
		if (o->s->len > 0 && o->s->str[o->s->len - 1] != '\n')
			o->space = TRUE;
		break;
	case HTML_SKIP:
	case HTML_BR:
	case HTML_INLINE:
		break;
	}
}

static const struct markup_walk html_walk = {
	html_enter, html_leave, NULL
};

char *
html_to_text(const char *html, size_t len)
{
	struct text_out	 o = { g_string_new(NULL), FALSE, 0 };
	htmlDocPtr	 doc;

	/* Our caller has already decoded the part to UTF-8, so a <meta
	 * charset> inside the document must not switch encodings again. */
	doc = htmlReadMemory(html, (int)MIN(len, (size_t)G_MAXINT), NULL,
	    "UTF-8", HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC |
	    HTML_PARSE_COMPACT);
	if (doc != NULL) {
		walk_tree(doc, &html_walk, &o);
		xmlFreeDoc(doc);
	}
	return (out_finish(&o));
}

/* --- word-processing documents */

static gboolean
name_is(const xmlNode *n, const char *name)
{
	return (strcmp((const char *)n->name, name) == 0);
}

/* WordprocessingML: text lives only in <w:t>; <w:delText> and field codes
 * are not what the reader sees. */
static gboolean
docx_enter(struct text_out *o, const xmlNode *n)
{
	if (name_is(n, "tab")) {
		out_raw(o, "\t");
		return (FALSE);
	}
	if (name_is(n, "br") || name_is(n, "cr")) {
		out_raw(o, "\n");
		return (FALSE);
	}
	return (TRUE);
}

static void
docx_leave(struct text_out *o, const xmlNode *n)
{
	if (name_is(n, "p"))
		out_newline(o);
}

static gboolean
docx_is_content(const xmlNode *text)
{
	return (text->parent != NULL && name_is(text->parent, "t"));
}

/* OpenDocument: text sits in <text:p>/<text:h> and their spans; repeated
 * spaces are <text:s text:c="N"/>. */
static gboolean
odt_enter(struct text_out *o, const xmlNode *n)
{
	xmlChar		*count;
	long		 spaces = 1;

	if (name_is(n, "tracked-changes") || name_is(n, "annotation"))
		return (FALSE);
	if (name_is(n, "tab")) {
		out_raw(o, "\t");
		return (FALSE);
	}
	if (name_is(n, "line-break")) {
		out_raw(o, "\n");
		return (FALSE);
	}
	if (name_is(n, "s")) {
		if ((count = xmlGetProp(n, (const xmlChar *)"c")) != NULL) {
			spaces = CLAMP(strtol((const char *)count, NULL, 10),
			    1, 80);
			xmlFree(count);
		}
		while (spaces-- > 0)
			g_string_append_c(o->s, ' ');
		return (FALSE);
	}
	return (TRUE);
}

static void
odt_leave(struct text_out *o, const xmlNode *n)
{
	if (name_is(n, "p") || name_is(n, "h"))
		out_newline(o);
}

static gboolean
odt_is_content(const xmlNode *text)
{
	const xmlNode	*n;

	for (n = text->parent; n != NULL && n->type == XML_ELEMENT_NODE;
	    n = n->parent) {
		if (name_is(n, "p") || name_is(n, "h"))
			return (TRUE);
	}
	return (FALSE);
}

static const struct markup_walk docx_walk = {
	docx_enter, docx_leave, docx_is_content
};
static const struct markup_walk odt_walk = {
	odt_enter, odt_leave, odt_is_content
};

/* The inner XML of a .docx or .odt and which dialect it is, or NULL. */
static GString *
office_document_xml(const char *bytes, size_t len, size_t max_xml,
    const struct markup_walk **walk, gboolean *cut)
{
	struct archive		*a;
	struct archive_entry	*entry;
	const char		*path;
	GString			*xml = NULL;
	char			 buf[16384];
	la_ssize_t		 n = 0;

	a = archive_read_new();
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, bytes, len) != ARCHIVE_OK) {
		archive_read_free(a);
		return (NULL);
	}
	while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
		if ((path = archive_entry_pathname(entry)) == NULL)
			continue;
		if (strcmp(path, "word/document.xml") == 0)
			*walk = &docx_walk;
		else if (strcmp(path, "content.xml") == 0)
			*walk = &odt_walk;
		else
			continue;
		xml = g_string_new(NULL);
		while ((n = archive_read_data(a, buf, sizeof buf)) > 0) {
			if (xml->len + (size_t)n > max_xml) {
				g_string_append_len(xml, buf,
				    (gssize)(max_xml - xml->len));
				*cut = TRUE;
				n = 0;
				break;
			}
			g_string_append_len(xml, buf, n);
		}
		break;
	}
	archive_read_free(a);
	if (xml != NULL && n < 0) {
		g_string_free(xml, TRUE);
		return (NULL);
	}
	return (xml);
}

char *
office_document_text(const char *bytes, size_t len, size_t max_xml,
    gboolean *cut)
{
	struct text_out			 o = { NULL, FALSE, 1 };
	const struct markup_walk	*walk = NULL;
	GString				*xml;
	xmlDocPtr			 doc;

	*cut = FALSE;
	max_xml = MIN(max_xml, (size_t)G_MAXINT);
	if (len == 0)
		return (NULL);
	if ((xml = office_document_xml(bytes, len, max_xml, &walk,
	    cut)) == NULL)
		return (NULL);
	/* No entity substitution, no DTD loading, no network: the document
	 * is untrusted. RECOVER reads what it can of a truncated one. */
	doc = xmlReadMemory(xml->str, (int)xml->len, NULL, NULL,
	    XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
	g_string_free(xml, TRUE);
	if (doc == NULL)
		return (NULL);
	o.s = g_string_new(NULL);
	walk_tree(doc, walk, &o);
	xmlFreeDoc(doc);
	return (out_finish(&o));
}
