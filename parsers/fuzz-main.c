/*
 * fuzz-main.c: the libFuzzer entry point and, without libFuzzer, the
 * fixture runner of every fuzz target (fuzz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*defect;

	if ((defect = fuzz_one(data, size)) != NULL) {
		fprintf(stderr, "%s: %s\n", fuzz_name, defect);
		abort();
	}
	return (0);
}

#ifndef REDRESS_LIBFUZZER
#include "tests/tap.h"

static int
compare_paths(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Every fixture, sorted, or NULL with a reason. */
static GPtrArray *
fixture_files(char **why)
{
	const char	*top = g_getenv("top_srcdir"), *name;
	char		*dir;
	GDir		*d;
	GError		*error = NULL;
	GPtrArray	*files;

	dir = g_build_filename(top != NULL ? top : ".", "tests", "data",
	    fuzz_fixture_dir, NULL);
	if ((d = g_dir_open(dir, 0, &error)) == NULL) {
		*why = g_strdup_printf("cannot list fixtures: %s (set "
		    "top_srcdir or name files on the command line)",
		    error->message);
		g_error_free(error);
		g_free(dir);
		return (NULL);
	}
	files = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL) {
		if (g_str_has_suffix(name, fuzz_fixture_suffix))
			g_ptr_array_add(files, g_build_filename(dir, name,
			    NULL));
	}
	g_dir_close(d);
	g_free(dir);
	g_ptr_array_sort(files, compare_paths);
	return (files);
}

int
main(int argc, char **argv)
{
	GPtrArray	*files;
	GError		*error = NULL;
	char		*data, *why = NULL, *base;
	const char	*defect;
	gsize		 len;
	guint		 i;
	int		 a;

	if (argc > 1) {
		files = g_ptr_array_new_with_free_func(g_free);
		for (a = 1; a < argc; a++)
			g_ptr_array_add(files, g_strdup(argv[a]));
	} else if ((files = fixture_files(&why)) == NULL) {
		printf("Bail out! %s\n", why);
		g_free(why);
		return (1);
	}
	ok(files->len > 0, "there are inputs for %s (%u)", fuzz_name,
	    files->len);
	for (i = 0; i < files->len; i++) {
		base = g_path_get_basename(files->pdata[i]);
		if (!g_file_get_contents(files->pdata[i], &data, &len,
		    &error)) {
			ok(0, "%s can be read: %s", base, error->message);
			g_clear_error(&error);
			g_free(base);
			continue;
		}
		defect = fuzz_one((const uint8_t *)data, len);
		ok(defect == NULL, "%s: every output as promised%s%s", base,
		    defect != NULL ? ": " : "",
		    defect != NULL ? defect : "");
		g_free(data);
		g_free(base);
	}
	g_ptr_array_unref(files);
	return (tap_done());
}
#endif
