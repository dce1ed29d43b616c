/*
 * regex-cache.c: see regex-cache.h.
 */
#include "regex-cache.h"

static GMutex		 cache_lock;
static GHashTable	*cache;	/* "flags:pattern" -> GRegex */

GRegex *
regex_cached(const char *pattern, GRegexCompileFlags flags)
{
	GRegex	*re;
	GError	*error = NULL;
	char	*key = g_strdup_printf("%x:%s", (unsigned)flags, pattern);

	g_mutex_lock(&cache_lock);
	if (cache == NULL)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		    (GDestroyNotify)g_regex_unref);
	if ((re = g_hash_table_lookup(cache, key)) == NULL) {
		/* No G_REGEX_OPTIMIZE: PCRE2's JIT code confuses valgrind,
		 * and these patterns run over short texts. */
		re = g_regex_new(pattern, flags, 0, &error);
		if (re == NULL)
			g_error("regex_cached: pattern /%s/ does not compile: %s",
			    pattern, error->message);
		g_hash_table_insert(cache, key, re);
		key = NULL;
	}
	g_mutex_unlock(&cache_lock);
	g_free(key);
	return (re);
}

gboolean
regex_cached_match(const char *pattern, GRegexCompileFlags flags,
    const char *s)
{
	return (s != NULL &&
	    g_regex_match(regex_cached(pattern, flags), s, 0, NULL));
}

void
regex_cache_clear(void)
{
	g_mutex_lock(&cache_lock);
	g_clear_pointer(&cache, g_hash_table_unref);
	g_mutex_unlock(&cache_lock);
}
