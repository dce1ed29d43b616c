/*
 * regex-cache.h: patterns compiled once per process.
 *
 * g_regex_match_simple() compiles its pattern on every call; on the
 * intake path that was thousands of compilations per thousand messages.
 * regex_cached() compiles a pattern the first time it is asked for and
 * hands back the same GRegex ever after.
 *
 * Ownership: the cache owns every GRegex it returns; callers never unref
 * them. They live until the process ends (regex_cache_clear() frees them,
 * for leak checkers). A pattern that does not compile is a programming
 * error: it aborts, naming the pattern, the first time it is used.
 * Thread-safe.
 */
#ifndef REGEX_CACHE_H
#define REGEX_CACHE_H

#include <glib.h>

/* PATTERN and FLAGS together are the key; PATTERN is copied. */
GRegex	*regex_cached(const char *pattern, GRegexCompileFlags flags);

/* regex_cached(PATTERN, FLAGS) matches anywhere in S (NULL: no match). */
gboolean regex_cached_match(const char *pattern, GRegexCompileFlags flags,
	    const char *s);

void	 regex_cache_clear(void);

#endif
