/*
 * scratch-templates.h: a throwaway templates directory for the C unit
 * tests. A set loads only when every template redress sends is there in
 * both languages, so the directory starts as a copy of the shipped
 * templates/ and a test adds its own beside them.
 */
#ifndef REDRESS_SCRATCH_TEMPLATES_H
#define REDRESS_SCRATCH_TEMPLATES_H

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

/* Write dir/lang/name.md; lang NULL writes both en/ and cy/. */
static inline void
scratch_template_write(const char *dir, const char *lang, const char *name,
    const char *text)
{
	char	*langdir, *file, *path;

	if (lang == NULL) {
		scratch_template_write(dir, "en", name, text);
		scratch_template_write(dir, "cy", name, text);
		return;
	}
	langdir = g_build_filename(dir, lang, NULL);
	g_mkdir_with_parents(langdir, 0700);
	file = g_strconcat(name, ".md", NULL);
	path = g_build_filename(langdir, file, NULL);
	if (!g_file_set_contents(path, text, -1, NULL))
		abort();
	g_free(path);
	g_free(file);
	g_free(langdir);
}

/* Remove dir/lang/name.md; lang NULL removes both. */
static inline void
scratch_template_remove(const char *dir, const char *lang, const char *name)
{
	char	*file, *path;

	if (lang == NULL) {
		scratch_template_remove(dir, "en", name);
		scratch_template_remove(dir, "cy", name);
		return;
	}
	file = g_strconcat(name, ".md", NULL);
	path = g_build_filename(dir, lang, file, NULL);
	g_remove(path);
	g_free(path);
	g_free(file);
}

/*
 * A new temporary directory (named from template, e.g.
 * "test-x-XXXXXX") holding a copy of top_srcdir/templates/en and cy.
 * Aborts when it cannot be made: no test would mean anything. Caller
 * frees, after scratch_remove_tree().
 */
static inline char *
scratch_templates_new(const char *top_srcdir, const char *tmpl)
{
	GDir		*d;
	const char	*lang, *entry;
	char		*dir, *from, *path, *text;
	int		 i;

	if ((dir = g_dir_make_tmp(tmpl, NULL)) == NULL)
		abort();
	for (i = 0; i < 2; i++) {
		lang = i == 0 ? "en" : "cy";
		from = g_build_filename(top_srcdir, "templates", lang, NULL);
		if ((d = g_dir_open(from, 0, NULL)) == NULL)
			abort();
		while ((entry = g_dir_read_name(d)) != NULL) {
			if (!g_str_has_suffix(entry, ".md"))
				continue;
			path = g_build_filename(from, entry, NULL);
			if (!g_file_get_contents(path, &text, NULL, NULL))
				abort();
			g_free(path);
			path = g_strndup(entry, strlen(entry) - strlen(".md"));
			scratch_template_write(dir, lang, path, text);
			g_free(path);
			g_free(text);
		}
		g_dir_close(d);
		g_free(from);
	}
	return (dir);
}

static inline void
scratch_remove_tree(const char *path)
{
	GDir		*d;
	const char	*entry;
	char		*child;

	if ((d = g_dir_open(path, 0, NULL)) != NULL) {
		while ((entry = g_dir_read_name(d)) != NULL) {
			child = g_build_filename(path, entry, NULL);
			scratch_remove_tree(child);
			g_free(child);
		}
		g_dir_close(d);
	}
	g_remove(path);
}

#endif
