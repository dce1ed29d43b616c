/*
 * html-text.h: readable plain text out of markup, for the rules: an HTML
 * body, or the document inside a .docx/.odt attachment (a letter sent only
 * as an attachment must still be read).
 *
 * Pure: bytes in, string out; no file, network or entity is ever fetched.
 * Ownership: returned strings are newly allocated, NUL-terminated, valid
 * UTF-8 and freed by the caller with g_free().
 */
#ifndef REDRESS_HTML_TEXT_H
#define REDRESS_HTML_TEXT_H

#include <glib.h>
#include <stddef.h>

/*
 * The text a reader would see in an HTML document given in UTF-8: script,
 * style and head dropped, block elements and <br> as line breaks, list
 * items as "- " lines, whitespace collapsed, entities decoded. Never NULL
 * ("" for an empty or unreadable document).
 */
char		*html_to_text(const char *html, size_t len);

/*
 * The text of a word-processing document held in memory: a .docx
 * (word/document.xml) or an .odt (content.xml), one paragraph a line.
 * At most max_xml bytes of the inner XML are read (a zip bomb stops
 * there); *cut is set TRUE when there was more. NULL when the bytes are
 * not such a document or cannot be read.
 */
char		*office_document_text(const char *bytes, size_t len,
		     size_t max_xml, gboolean *cut);

#endif
