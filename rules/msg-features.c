/*
 * msg-features.c: a message as named features for the learned layer (see
 * msg-features.h for the kinds of feature).
 *
 * Every feature is present or absent (counts say more about length
 * than meaning); groups[] says what a present one is worth. Bounds: at most WORDS_MAX words are read, so no input can
 * make extraction slow.
 */
#include <math.h>
#include <string.h>

#include <libstemmer.h>

#include "msg-features.h"
#include "verdict.h"

#define WORDS_MAX	3000	/* words of own text read */
#define WORD_BYTES_MAX	64	/* longer "words" (base64, URLs) are skipped */
#define OWN_MIN_CHARS	40	/* fewer: read the attachments' text too */

/*
 * The value of each present feature, by group: a fixed value, or the
 * group scaled to that length (a long letter does not outvote a short
 * one by having more n-grams). Chosen by cross-validation over the
 * shared corpus (rules/README): character n-grams, which also catch
 * Welsh and misspellings, count double; structure half.
 */
static const struct {
	const char	*prefix;
	double		 value;		/* of each feature, or */
	double		 length;	/* of the group as a whole */
} groups[] = {
	{ "rule:", 1, 0 },
	{ "h:", 0.5, 0 },
	{ "s:", 0, 1 },
	{ "w:", 0, 1 },
	{ "w2:", 0, 1 },
	{ "c3:", 0, 2 },
	{ "c4:", 0, 2 },
};
#define NGROUPS	(sizeof groups / sizeof groups[0])

/* The group of a feature name; NGROUPS for none (never: a bug). */
static int
group_of(const char *name)
{
	guint	g;

	for (g = 0; g < NGROUPS; g++)
		if (g_str_has_prefix(name, groups[g].prefix))
			return (g);
	return (NGROUPS);
}

static void
add(GHashTable *set, char *name)
{
	g_hash_table_add(set, name);	/* takes name; a repeat is freed */
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The lower-case words of s, at most max of them. */
static GPtrArray *
words_of(const char *s, int max)
{
	GPtrArray	*words = g_ptr_array_new_with_free_func(g_free);
	GString		*w = g_string_new(NULL);
	const char	*p;

	for (p = s; p != NULL && (int)words->len < max;
	    p = g_utf8_next_char(p)) {
		gunichar	c = g_utf8_get_char(p);

		if (c != 0 && (g_unichar_isalpha(c) || (c == '\'' &&
		    w->len > 0 && g_unichar_isalpha(g_utf8_get_char(
		    g_utf8_next_char(p)))))) {
			g_string_append_unichar(w, g_unichar_tolower(c));
			continue;
		}
		if (w->len > 0 && w->len <= WORD_BYTES_MAX)
			g_ptr_array_add(words, g_strdup(w->str));
		g_string_truncate(w, 0);
		if (c == 0)
			break;
	}
	g_string_free(w, TRUE);
	return (words);
}

static char *
stem(struct sb_stemmer *st, const char *word)
{
	const sb_symbol	*s;

	if (st == NULL)
		return (g_strdup(word));
	s = sb_stemmer_stem(st, (const sb_symbol *)word, strlen(word));
	if (s == NULL)		/* out of memory in the stemmer */
		return (g_strdup(word));
	return (g_strndup((const char *)s, sb_stemmer_length(st)));
}

/* Character 3- and 4-grams of " word " (UTF-8 characters). */
static void
char_grams(GHashTable *set, const char *word)
{
	char		*padded = g_strdup_printf(" %s ", word);
	const char	*starts[5], *p;
	int		 n = 0, k;

	/* a sliding window of the last five character starts */
	for (p = padded;; p = g_utf8_next_char(p)) {
		if (n == 5) {
			memmove(starts, starts + 1, 4 * sizeof *starts);
			n = 4;
		}
		starts[n++] = p;
		for (k = 3; k <= 4; k++)
			if (n > k)
				add(set, g_strdup_printf("c%d:%.*s", k,
				    (int)(p - starts[n - 1 - k]),
				    starts[n - 1 - k]));
		if (*p == '\0')
			break;
	}
	g_free(padded);
}

static void
text_features(GHashTable *set, struct sb_stemmer *st, const char *text)
{
	GPtrArray	*words = words_of(text, WORDS_MAX);
	char		*prev = NULL, *cur;
	guint		 i;

	for (i = 0; i < words->len; i++) {
		const char	*w = g_ptr_array_index(words, i);

		cur = stem(st, w);
		add(set, g_strconcat("w:", cur, NULL));
		if (prev != NULL)
			add(set, g_strconcat("w2:", prev, "_", cur, NULL));
		g_free(prev);
		prev = cur;
		char_grams(set, w);
	}
	g_free(prev);
	g_ptr_array_unref(words);
}

static void
subject_features(GHashTable *set, struct sb_stemmer *st, const char *subject)
{
	GPtrArray	*words = words_of(subject, 40);
	guint		 i;

	for (i = 0; i < words->len; i++) {
		char	*s = stem(st, g_ptr_array_index(words, i));

		add(set, g_strconcat("s:", s, NULL));
		g_free(s);
	}
	g_ptr_array_unref(words);
}

static const char *
length_bucket(glong chars)
{
	if (chars < 40)
		return ("h:len<40");
	if (chars < 200)
		return ("h:len<200");
	if (chars < 600)
		return ("h:len<600");
	if (chars < 1500)
		return ("h:len<1500");
	return ("h:len>=1500");
}

static void
structure_features(GHashTable *set, const struct message *m,
    const struct texts *t)
{
	const struct machine_signals	*ms = &m->machine;
	guint				 i;

#define FLAG(cond, name) do { if (cond) add(set, g_strdup(name)); } while (0)
	FLAG(TRUE, length_bucket(t->body_chars));
	FLAG(t->forwarded, "h:forwarded");
	FLAG(*t->src[SRC_QUOTED] != '\0', "h:quoted");
	FLAG(m->in_reply_to != NULL || (m->references != NULL &&
	    m->references->len > 0), "h:reply");
	FLAG(m->subject != NULL && g_ascii_strncasecmp(m->subject, "re:", 3)
	    == 0, "h:subject-re");
	FLAG(m->subject != NULL && (g_ascii_strncasecmp(m->subject, "fw:", 3)
	    == 0 || g_ascii_strncasecmp(m->subject, "fwd:", 4) == 0),
	    "h:subject-fwd");
	FLAG(ms->auto_submitted != NULL, "h:auto-submitted");
	FLAG(ms->precedence != NULL, "h:precedence");
	FLAG(ms->list_id != NULL, "h:list-id");
	FLAG(ms->x_loop != NULL, "h:x-loop");
	FLAG(ms->x_autoreply, "h:x-autoreply");
	FLAG(ms->null_sender, "h:null-sender");
	FLAG(ms->mailer_daemon, "h:mailer-daemon");
	FLAG(ms->is_report, "h:report");
	FLAG(m->body_source == BODY_HTML, "h:html-body");
	FLAG(m->body_source == BODY_ATTACHMENT, "h:text-in-attachment");
	FLAG(m->forwarded != NULL && m->forwarded->len > 0,
	    "h:attached-message");
	for (i = 0; m->attachments != NULL && i < m->attachments->len; i++) {
		const struct attachment	*a = g_ptr_array_index(m->attachments,
		    i);
		const char		*ct = a->content_type;

		FLAG(TRUE, "h:attachment");
		FLAG(g_str_has_prefix(ct, "image/"), "h:attachment-image");
		FLAG(strcmp(ct, "application/pdf") == 0, "h:attachment-pdf");
		FLAG(strstr(ct, "word") != NULL || strstr(ct, "opendocument")
		    != NULL || strstr(ct, "rtf") != NULL, "h:attachment-doc");
		FLAG(g_str_has_prefix(ct, "text/"), "h:attachment-text");
	}
#undef FLAG
}

struct fvec *
features_extract(const struct message *m, const struct texts *t,
    const GPtrArray *hits)
{
	struct fvec		*fv = g_new0(struct fvec, 1);
	GHashTable		*set;
	GHashTableIter		 it;
	struct sb_stemmer	*st;
	double			 count[NGROUPS + 1];
	gpointer		 key;
	guint			 i;

	set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* NULL when libstemmer cannot allocate: words then count unstemmed */
	st = sb_stemmer_new("english", "UTF_8");
	for (i = 0; hits != NULL && i < hits->len; i++) {
		const struct rule_hit	*h = g_ptr_array_index(hits, i);

		add(set, g_strconcat("rule:", h->rule, NULL));
	}
	structure_features(set, m, t);
	subject_features(set, st, t->src[SRC_SUBJECT]);
	text_features(set, st, t->src[SRC_BODY]);
	if (t->body_chars < OWN_MIN_CHARS)
		text_features(set, st, t->src[SRC_ATTACHMENTS]);
	if (st != NULL)
		sb_stemmer_delete(st);

	fv->names = g_ptr_array_new_full(g_hash_table_size(set), g_free);
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		g_ptr_array_add(fv->names, key);
		g_hash_table_iter_steal(&it);
	}
	g_hash_table_unref(set);
	g_ptr_array_sort(fv->names, by_name);

	/* how many of each group, then the value of each */
	memset(count, 0, sizeof count);
	for (i = 0; i < fv->names->len; i++)
		count[group_of(g_ptr_array_index(fv->names, i))]++;
	fv->values = g_array_sized_new(FALSE, FALSE, sizeof(double),
	    fv->names->len);
	for (i = 0; i < fv->names->len; i++) {
		int	g = group_of(g_ptr_array_index(fv->names, i));
		double	x = 1;

		if (g < (int)NGROUPS)
			x = groups[g].length > 0 ? groups[g].length /
			    sqrt(count[g]) : groups[g].value;
		g_array_append_val(fv->values, x);
	}
	return (fv);
}

void
fvec_free(struct fvec *fv)
{
	if (fv == NULL)
		return;
	g_ptr_array_unref(fv->names);
	g_array_unref(fv->values);
	g_free(fv);
}
