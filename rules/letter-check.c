/*
 * letter-check.c: checks of a response draft against the letter standards.
 *
 * The checks are deliberately simple and explainable: each finding quotes
 * the words it is about so the coordinator can judge it in seconds.
 */
#include <string.h>

#include <glib.h>

#include "letter-check.h"
#include "regex-cache.h"

#define AVERAGE_WORDS_MAX	25
#define SENTENCE_WORDS_MAX	40
#define FLESCH_PLAIN		60	/* "plain English" starts here */
#define EXCERPT_CHARS		200
#define TERM_CONTEXT_CHARS	120
#define ACRONYM_MIN		2
#define ACRONYM_MAX		6

static const char *const check_titles[][2] = {
	{ "addressed-by-name", "Addressed by name" },
	{ "jargon", "No unexplained jargon or acronyms" },
	{ "readability", "Readability" },
	{ "apology", "Apology where the complaint is upheld" },
	{ "delay-explained", "Delay explained" },
	{ "escalation", "Escalation time limit left to redress" },
	{ "resolution-stated", "Clear statement of the outcome" },
};

/* Full stops after these do not end a sentence. */
static const char *const abbreviations[] = { "mr", "mrs", "ms", "mx", "dr",
	"st", "prof", "rev", "no", "nos", "vs", "etc", "approx", "ref", "tel",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
	"nov", "dec", NULL };

/* Not part of a name, for "is the salutation addressed by name". */
static const char *const titles[] = { "mr", "mrs", "ms", "miss", "mx", "dr",
	"prof", "professor", "sir", "dame", "lady", "lord", "rev", "revd",
	NULL };

static const char welsh_skip[] = "not checked: the draft is in Welsh and"
    " this check relies on English word lists; please check it by eye";

/* Something a letter can say, as a pattern over one sentence. */
#define SALUTATION_RX	"^\\W*(dear|annwyl|hello|hi|good (morning|afternoon)|" \
			"bore da|prynhawn da)\\b"
#define GENERIC_RX	"\\b(sir|madam|syr|fadam|to whom it may concern|" \
			"complainant|customer)\\b"
#define APOLOGY_RX	"\\b(sorry|apologi[sz]e[sd]?|apologi[sz]ing|" \
			"apology|apologies)\\b"
#define DELAY_RX	"\\b(delay|delays|delayed|late|sorry it has taken|" \
			"(took|taken|taking) longer)\\b"
#define PARTLY_RX	"\\b(partly|partially|in part)\\s+(uphold\\w*|upheld)" \
			"\\b|\\b(uphold\\w*|upheld)\\b[^.]{0,60}\\b(in part|" \
			"partly|partially)\\b|\\buphold(ing)?\\s+(the\\s+)?" \
			"(some|part|parts|first|second|third|one|two|three)\\b"
#define NOT_RX		"(\\bnot|n['\u2019]t|\\bnever|\\bunable to|\\bcannot)" \
			"\\s+(\\w+\\s+){0,2}?(uphold\\w*|upheld)\\b|" \
			"\\bdecline\\w*\\s+to\\s+uphold"
#define UPHELD_RX	"\\b(uphold\\w*|upheld)\\b"
#define WITHDRAWN_RX	"\\bwithdr(aw|awn|ew|awing)\\b"
#define RESOLVED_RX	"\\b(resolved|resolve your complaint|resolution)\\b"
#define ESCALATE_RX	"\\b(stage\\s*(2|two)|escalat\\w*|(dis|un)satisfied|" \
			"not\\s+(satisfied|happy)|unhappy|independent assessor|" \
			"iac|(ask|request)\\w*\\s+(for\\s+)?an?\\s+(further\\s+|" \
			"independent\\s+)?review)\\b"
#define NUMBER_WORDS	"(\\d+|one|two|three|four|five|six|seven|eight|nine|" \
			"ten|fourteen|twenty|twenty-one|twenty-eight|thirty|a|an)"
#define MONTHS		"(january|february|march|april|may|june|july|august|" \
			"september|october|november|december)"
#define PERIOD		NUMBER_WORDS "\\s+(calendar\\s+|working\\s+|" \
			"business\\s+|clear\\s+)?(days?|weeks?|months?)\\b"
/* "within 28 days", "you have one month to", "by 14 February" */
#define TIME_LIMIT_RX	"\\b(within|no later than|in the next)\\s+" PERIOD \
			"|\\b(have|has|got)\\s+" PERIOD "\\s+(to|from|after)\\b" \
			"|\\bby\\s+(\\w+day,?\\s+)?\\d{1,2}(st|nd|rd|th)?\\s+" \
			MONTHS "\\b"
/* After a term: it is being explained ("NFA (no further action)",
 * "disclosure, which means ..."). */
#define EXPLAINED_AFTER_RX "^(\\s*[(\\[]|\\s*[\u2014\u2013:]|\\s+-\\s|\\s*,?\\s*" \
			"(which|that)\\s+(means|is|are|was)\\b|\\s*,?\\s*" \
			"(meaning|i\\.e\\.|that is|in other words|stands for|" \
			"refers to)|\\s+(means|is when|is where|is the|is a|" \
			"is an|are the|are when)\\b)"
/* Before a term: it was just explained ("Crown Prosecution Service (CPS",
 * "sharing evidence, known as disclosure"). */
#define EXPLAINED_BEFORE_RX "(\\(\\s*|\\b(known as|called|referred to as|" \
			"termed)\\s+(an?\\s+|the\\s+)?[\"'\u201c\u2018]?)$"
/* Word boundaries that also keep out of addresses, URLs and references
 * ("www.CPS.gov.uk", "LON-2026-00042"). */
#define WORD_START	"(?<![\\p{L}\\p{N}@./:_-])"
#define WORD_END	"(?![\\p{L}\\p{N}@/_-]|\\.\\p{L})"
/* A capitalised word; acronyms are the ones of ACRONYM_MIN..MAX letters. */
#define CAPS_WORD_RX	WORD_START "\\p{Lu}{2,}" WORD_END

struct sentence {
	char		*text;
	guint		 words;
	guint		 syllables;
};

struct draft {
	const struct letter_context *ctx;
	gboolean	 welsh;
	char		*name;		/* complainant_name, valid UTF-8, or
					   NULL */
	char		*salutation;	/* first non-blank line, or "" */
	GPtrArray	*sentences;	/* of struct sentence */
	GPtrArray	*findings;
};

/* A use of a term, for the jargon check. */
struct term_use {
	char		*term;
	const char	*meaning;
	guint		 sentence;
	gint		 start;
};

static GRegex *
regex(const char *pattern, gboolean caseless)
{
	GRegex	*re;

	re = g_regex_new(pattern, caseless ? G_REGEX_CASELESS : 0, 0, NULL);
	g_assert(re != NULL);	/* every pattern is ours or escaped */
	return (re);
}

static gboolean
matches(const char *pattern, const char *text)
{
	GRegex		*re = regex(pattern, TRUE);
	gboolean	 found;

	found = g_regex_match(re, text, 0, NULL);
	g_regex_unref(re);
	return (found);
}

/* Index of the first sentence matching pattern, or -1. */
static gint
first_sentence(const struct draft *d, const char *pattern)
{
	guint	i;

	for (i = 0; i < d->sentences->len; i++)
		if (matches(pattern, ((struct sentence *)
		    d->sentences->pdata[i])->text))
			return (i);
	return (-1);
}

static const char *
sentence_text(const struct draft *d, guint i)
{
	return (((struct sentence *)d->sentences->pdata[i])->text);
}

/* "“...”", shortened to EXCERPT_CHARS characters. Caller frees. */
static char *
excerpt(const char *text)
{
	char	*cut, *quoted;

	if (g_utf8_strlen(text, -1) <= EXCERPT_CHARS)
		return (g_strdup_printf("\"%s\"", text));
	cut = g_utf8_substring(text, 0, EXCERPT_CHARS);
	quoted = g_strdup_printf("\"%s...\"", cut);
	g_free(cut);
	return (quoted);
}

/* Up to TERM_CONTEXT_CHARS of text around the byte offset at, quoted, so
 * a term deep in a long sentence is still shown. Caller frees. */
static char *
excerpt_around(const char *text, gint at)
{
	glong	 offset = g_utf8_pointer_to_offset(text, text + at);
	glong	 length = g_utf8_strlen(text, -1), from;
	char	*window, *quoted, *start, *space;

	if (length <= EXCERPT_CHARS)
		return (excerpt(text));
	from = MAX(0, offset - TERM_CONTEXT_CHARS / 3);
	window = g_utf8_substring(text, from,
	    MIN(length, from + TERM_CONTEXT_CHARS));
	/* whole words only at the cut ends */
	start = window;
	if (from > 0 && (space = strchr(window, ' ')) != NULL)
		start = space + 1;
	if (from + TERM_CONTEXT_CHARS < length &&
	    (space = strrchr(start, ' ')) != NULL)
		*space = '\0';
	quoted = g_strdup_printf("\"%s%s%s\"", from > 0 ? "..." : "", start,
	    from + TERM_CONTEXT_CHARS < length ? "..." : "");
	g_free(window);
	return (quoted);
}

static void
add_finding(struct draft *d, const char *check, gboolean pass,
    const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void
add_finding(struct draft *d, const char *check, gboolean pass,
    const char *fmt, ...)
{
	struct letter_finding	*f = g_new0(struct letter_finding, 1);
	va_list			 ap;

	f->check = g_strdup(check);
	f->pass = pass;
	va_start(ap, fmt);
	f->detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(d->findings, f);
}

static void
finding_free(gpointer p)
{
	struct letter_finding	*f = p;

	g_free(f->check);
	g_free(f->detail);
	g_free(f);
}

static void
sentence_free(gpointer p)
{
	struct sentence	*s = p;

	g_free(s->text);
	g_free(s);
}

/* English vowel groups, less a silent final 'e': good enough for Flesch. */
static guint
syllables(const char *word)
{
	guint		 n = 0, len = 0;
	gboolean	 in_vowel = FALSE, vowel;
	const char	*p;
	char		 c, last = 0, before_last = 0;

	for (p = word; *p != '\0'; p++) {
		c = g_ascii_tolower(*p);
		if (!g_ascii_isalpha(c))
			continue;
		vowel = strchr("aeiouy", c) != NULL;
		if (vowel && !in_vowel)
			n++;
		in_vowel = vowel;
		before_last = last;
		last = c;
		len++;
	}
	if (last == 'e' && before_last != 'l' && n > 1)
		n--;
	return (len > 0 && n == 0 ? 1 : n);
}

static void
add_sentence(GPtrArray *sentences, const char *start, gsize len)
{
	struct sentence	 *s;
	char		 *text, **words;
	guint		  i;
	const char	 *p;
	gboolean	  has_alnum;

	text = g_strndup(start, len);
	g_strstrip(text);
	if (*text == '\0') {
		g_free(text);
		return;
	}
	s = g_new0(struct sentence, 1);
	s->text = text;
	words = g_strsplit_set(text, " \t", -1);
	for (i = 0; words[i] != NULL; i++) {
		has_alnum = FALSE;
		for (p = words[i]; *p != '\0'; p = g_utf8_next_char(p))
			if (g_unichar_isalnum(g_utf8_get_char(p)))
				has_alnum = TRUE;
		if (has_alnum) {
			s->words++;
			s->syllables += syllables(words[i]);
		}
	}
	g_strfreev(words);
	g_ptr_array_add(sentences, s);
}

static gboolean
is_abbreviation(const char *unit, const char *dot)
{
	const char	*w = dot;
	char		*word;
	gboolean	 found = FALSE;
	guint		 i;

	while (w > unit && !g_ascii_isspace(w[-1]) && w[-1] != '(')
		w--;
	word = g_ascii_strdown(w, dot - w);
	/* "J." (an initial), "e.g." and "i.e." (single letters and dots) */
	if (regex_cached_match("^(\\p{L}\\.)*\\p{L}$", 0, word))
		found = TRUE;
	for (i = 0; !found && abbreviations[i] != NULL; i++)
		if (strcmp(word, abbreviations[i]) == 0)
			found = TRUE;
	g_free(word);
	return (found);
}

/* Sentences of one paragraph or list item, lines already joined. */
static void
split_unit(GPtrArray *sentences, const char *unit)
{
	const char	*start = unit, *p = unit, *end;

	while (*p != '\0') {
		if (strchr(".!?", *p) == NULL) {
			p = g_utf8_next_char(p);
			continue;
		}
		end = p;
		while (*p != '\0' && strchr(".!?", *p) != NULL)
			p++;
		/* closing quotes and brackets belong to the sentence */
		while (*p != '\0' && (strchr("\"')]", *p) != NULL ||
		    g_str_has_prefix(p, "\u201d") ||
		    g_str_has_prefix(p, "\u2019")))
			p = g_utf8_next_char(p);
		if (*p != '\0' && !g_ascii_isspace(*p))
			continue;
		if (*end == '.' && p == end + 1 && is_abbreviation(unit, end))
			continue;
		add_sentence(sentences, start, p - start);
		start = p;
	}
	add_sentence(sentences, start, p - start);
}

static gboolean
is_list_item(const char *line)
{
	return (matches("^\\s*([-*\u2022]|\\d+[.)])\\s+\\S", line));
}

/*
 * Paragraphs (split at blank lines) and list items are units; a unit is
 * split into sentences at . ! ? followed by a space. Headings and the
 * salutation are paragraphs of their own, so they count as sentences.
 */
static GPtrArray *
split_sentences(const char *text)
{
	GPtrArray	*sentences;
	GString		*unit = g_string_new(NULL);
	char		**lines, *line;
	guint		 i;

	sentences = g_ptr_array_new_with_free_func(sentence_free);
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		line = g_strstrip(lines[i]);
		if (*line == '\0' || is_list_item(line)) {
			split_unit(sentences, unit->str);
			g_string_truncate(unit, 0);
		}
		if (unit->len > 0)
			g_string_append_c(unit, ' ');
		g_string_append(unit, line);
	}
	split_unit(sentences, unit->str);
	g_strfreev(lines);
	g_string_free(unit, TRUE);
	return (sentences);
}

/* The words of the complainant's name, without titles. */
static GPtrArray *
name_words(const char *name)
{
	GPtrArray	*words = g_ptr_array_new_with_free_func(g_free);
	char		**parts, *lower;
	guint		 i, j;
	gboolean	 title;

	if (name == NULL)
		return (words);
	parts = g_regex_split_simple("[\\s,.]+", name, 0, 0);
	for (i = 0; parts[i] != NULL; i++) {
		if (g_utf8_strlen(parts[i], -1) < 2)
			continue;
		lower = g_utf8_strdown(parts[i], -1);
		title = FALSE;
		for (j = 0; titles[j] != NULL; j++)
			if (strcmp(lower, titles[j]) == 0)
				title = TRUE;
		g_free(lower);
		if (!title)
			g_ptr_array_add(words, g_strdup(parts[i]));
	}
	g_strfreev(parts);
	return (words);
}

/* A regular expression for term as a whole word (or words). */
static char *
term_pattern(const char *term, gboolean plural)
{
	GString	*s = g_string_new(WORD_START);
	char	**words, *escaped;
	guint	 i, n = 0;

	words = g_strsplit_set(term, " \t", -1);
	for (i = 0; words[i] != NULL; i++) {
		if (*words[i] == '\0')
			continue;
		escaped = g_regex_escape_string(words[i], -1);
		g_string_append_printf(s, "%s%s", n++ ? "\\s+" : "", escaped);
		g_free(escaped);
	}
	g_strfreev(words);
	if (plural)
		g_string_append(s, "(?:s|es)?");
	g_string_append(s, WORD_END);
	return (g_string_free(s, FALSE));
}

static gboolean
is_all_caps(const char *s)
{
	const char	*p;
	gboolean	 upper = FALSE;

	for (p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		if (g_unichar_islower(g_utf8_get_char(p)))
			return (FALSE);
		if (g_unichar_isupper(g_utf8_get_char(p)))
			upper = TRUE;
	}
	return (upper);
}

static gboolean
in_words(GPtrArray *words, const char *word)
{
	guint	i;

	for (i = 0; i < words->len; i++)
		if (g_ascii_strcasecmp(words->pdata[i], word) == 0)
			return (TRUE);
	return (FALSE);
}

static gboolean
explained_at(const char *sentence, gint start, gint end)
{
	GRegex		*after, *before;
	char		*head;
	gboolean	 found;

	after = regex(EXPLAINED_AFTER_RX, TRUE);
	before = regex(EXPLAINED_BEFORE_RX, TRUE);
	head = g_strndup(sentence, start);
	found = g_regex_match(after, sentence + end, 0, NULL) ||
	    g_regex_match(before, head, 0, NULL);
	g_free(head);
	g_regex_unref(after);
	g_regex_unref(before);
	return (found);
}

static void
term_use_free(gpointer p)
{
	struct term_use	*u = p;

	g_free(u->term);
	g_free(u);
}

static gint
term_use_order(gconstpointer a, gconstpointer b)
{
	const struct term_use	*x = *(struct term_use *const *)a;
	const struct term_use	*y = *(struct term_use *const *)b;

	if (x->sentence != y->sentence)
		return (x->sentence < y->sentence ? -1 : 1);
	return (x->start - y->start);
}

/* Record the first use of re in the draft if it is not explained there. */
static void
check_first_use(const struct draft *d, GRegex *re, const char *term,
    const char *meaning, GPtrArray *unexplained)
{
	GMatchInfo	*mi;
	struct term_use	*use;
	guint		 i;
	gint		 start, end;

	for (i = 0; i < d->sentences->len; i++) {
		if (!g_regex_match(re, sentence_text(d, i), 0, &mi)) {
			g_match_info_free(mi);
			continue;
		}
		g_match_info_fetch_pos(mi, 0, &start, &end);
		g_match_info_free(mi);
		if (!explained_at(sentence_text(d, i), start, end)) {
			use = g_new0(struct term_use, 1);
			use->term = g_strdup(term);
			use->meaning = meaning;
			use->sentence = i;
			use->start = start;
			g_ptr_array_add(unexplained, use);
		}
		return;
	}
}

/* Capitalised words that are not acronyms for this letter: the name, the
 * reference, and words listed as known. */
static GPtrArray *
not_acronyms(const struct draft *d)
{
	GPtrArray		*skip = name_words(d->name);
	const struct jargon_term *t;
	char			**parts;
	guint			 i;

	if (d->ctx->ref != NULL) {
		parts = g_strsplit(d->ctx->ref, "-", -1);
		for (i = 0; parts[i] != NULL; i++)
			g_ptr_array_add(skip, g_strdup(parts[i]));
		g_strfreev(parts);
	}
	for (i = 0; d->ctx->jargon != NULL && i < d->ctx->jargon->len; i++) {
		t = d->ctx->jargon->pdata[i];
		g_ptr_array_add(skip, g_strdup(t->term));
	}
	return (skip);
}

/*
 * Acronyms: capitalised words of ACRONYM_MIN..MAX letters. Two or more
 * capitalised words in a row are a heading or emphasis ("PLEASE NOTE"),
 * not acronyms.
 */
static void
check_acronyms(const struct draft *d, GPtrArray *unexplained)
{
	GRegex		*caps = regex(CAPS_WORD_RX, FALSE), *one;
	GPtrArray	*skip = not_acronyms(d);
	GHashTable	*seen = g_hash_table_new_full(g_str_hash, g_str_equal,
			    g_free, NULL);
	GMatchInfo	*mi;
	GArray		*starts, *ends;
	const char	*text;
	char		*word, *gap, *pattern;
	guint		 i, j;
	gint		 s, e;
	gboolean	 in_run;

	starts = g_array_new(FALSE, FALSE, sizeof(gint));
	ends = g_array_new(FALSE, FALSE, sizeof(gint));
	for (i = 0; i < d->sentences->len; i++) {
		text = sentence_text(d, i);
		g_array_set_size(starts, 0);
		g_array_set_size(ends, 0);
		g_regex_match(caps, text, 0, &mi);
		while (g_match_info_matches(mi)) {
			g_match_info_fetch_pos(mi, 0, &s, &e);
			g_array_append_val(starts, s);
			g_array_append_val(ends, e);
			g_match_info_next(mi, NULL);
		}
		g_match_info_free(mi);
		for (j = 0; j < starts->len; j++) {
			s = g_array_index(starts, gint, j);
			e = g_array_index(ends, gint, j);
			in_run = FALSE;
			if (j > 0) {
				gap = g_strndup(text + g_array_index(ends,
				    gint, j - 1), s - g_array_index(ends,
				    gint, j - 1));
				in_run |= *g_strstrip(gap) == '\0';
				g_free(gap);
			}
			if (j + 1 < starts->len) {
				gap = g_strndup(text + e, g_array_index(starts,
				    gint, j + 1) - e);
				in_run |= *g_strstrip(gap) == '\0';
				g_free(gap);
			}
			word = g_strndup(text + s, e - s);
			if (in_run || g_utf8_strlen(word, -1) > ACRONYM_MAX ||
			    g_utf8_strlen(word, -1) < ACRONYM_MIN ||
			    in_words(skip, word) ||
			    g_hash_table_contains(seen, word)) {
				g_free(word);
				continue;
			}
			g_hash_table_add(seen, word);
			pattern = term_pattern(word, FALSE);
			one = regex(pattern, FALSE);
			check_first_use(d, one, word, NULL, unexplained);
			g_regex_unref(one);
			g_free(pattern);
		}
	}
	g_array_unref(starts);
	g_array_unref(ends);
	g_hash_table_unref(seen);
	g_ptr_array_unref(skip);
	g_regex_unref(caps);
}

static void
check_jargon(struct draft *d)
{
	GPtrArray		*unexplained;
	const struct jargon_term *t;
	struct term_use		*u;
	GRegex			*re;
	GString			*detail;
	char			*pattern, *quote;
	guint			 i;
	gboolean		 acronym;

	if (d->welsh) {
		add_finding(d, "jargon", TRUE, "%s", welsh_skip);
		return;
	}
	unexplained = g_ptr_array_new_with_free_func(term_use_free);
	for (i = 0; d->ctx->jargon != NULL && i < d->ctx->jargon->len; i++) {
		t = d->ctx->jargon->pdata[i];
		if (t->known)
			continue;
		/* "NFA" is an acronym, "nfa" is not; "Indictment" and
		 * "indictments" are the term. */
		acronym = is_all_caps(t->term);
		pattern = term_pattern(t->term, !acronym);
		re = regex(pattern, !acronym);
		check_first_use(d, re, t->term, t->meaning, unexplained);
		g_regex_unref(re);
		g_free(pattern);
	}
	check_acronyms(d, unexplained);
	g_ptr_array_sort(unexplained, term_use_order);

	if (unexplained->len == 0) {
		add_finding(d, "jargon", TRUE, "no legal jargon or acronym is"
		    " used without an explanation");
		g_ptr_array_unref(unexplained);
		return;
	}
	detail = g_string_new(NULL);
	g_string_append_printf(detail, "%u term%s used without an explanation"
	    " where first used:", unexplained->len,
	    unexplained->len == 1 ? " is" : "s are");
	for (i = 0; i < unexplained->len; i++) {
		u = unexplained->pdata[i];
		quote = excerpt_around(sentence_text(d, u->sentence),
		    u->start);
		g_string_append_printf(detail, " '%s' in %s", u->term, quote);
		if (u->meaning != NULL)
			g_string_append_printf(detail, " (plain words: %s)",
			    u->meaning);
		g_string_append_c(detail, i + 1 < unexplained->len ? ';' : '.');
		g_free(quote);
	}
	g_string_append(detail, " Explain each the first time it is used,"
	    " e.g. 'the Crown Prosecution Service (CPS)' or 'disclosure,"
	    " which means sharing the evidence with the defence', or use"
	    " plain words instead.");
	add_finding(d, "jargon", FALSE, "%s", detail->str);
	g_string_free(detail, TRUE);
	g_ptr_array_unref(unexplained);
}

static void
check_name(struct draft *d)
{
	GPtrArray	*words = name_words(d->name);
	const char	*greeting = d->welsh ? "Annwyl" : "Dear";
	char		*pattern;
	guint		 i;
	gboolean	 named = FALSE;

	if (!matches(SALUTATION_RX, d->salutation)) {
		add_finding(d, "addressed-by-name", FALSE, "the letter does"
		    " not open with a salutation (its first line is '%s');"
		    " start with '%s' and the complainant's name",
		    d->salutation, greeting);
		g_ptr_array_unref(words);
		return;
	}
	for (i = 0; i < words->len && !named; i++) {
		pattern = term_pattern(words->pdata[i], FALSE);
		named = matches(pattern, d->salutation);
		g_free(pattern);
	}
	if (words->len == 0)
		add_finding(d, "addressed-by-name", TRUE, "the complainant's"
		    " name is not known; the letter opens '%s'",
		    d->salutation);
	else if (named)
		add_finding(d, "addressed-by-name", TRUE, "the letter opens"
		    " '%s'", d->salutation);
	else if (matches(GENERIC_RX, d->salutation))
		add_finding(d, "addressed-by-name", FALSE, "the letter opens"
		    " '%s' but the complainant's name is known: write"
		    " '%s %s' (or their title and surname)", d->salutation,
		    greeting, d->name);
	else
		add_finding(d, "addressed-by-name", FALSE, "the letter opens"
		    " '%s', which does not contain the complainant's name"
		    " (%s); check it is the right person", d->salutation,
		    d->name);
	g_ptr_array_unref(words);
}

static void
check_readability(struct draft *d)
{
	const struct sentence	*s, *longest = NULL;
	guint			 i, words = 0, syl = 0, over = 0;
	double			 average, flesch;
	char			*quote, *ease, *how_many;
	gboolean		 pass;

	for (i = 0; i < d->sentences->len; i++) {
		s = d->sentences->pdata[i];
		words += s->words;
		syl += s->syllables;
		if (s->words > SENTENCE_WORDS_MAX)
			over++;
		if (longest == NULL || s->words > longest->words)
			longest = s;
	}
	if (longest == NULL || words == 0) {
		add_finding(d, "readability", FALSE, "the draft has no text");
		return;
	}
	average = (double)words / d->sentences->len;
	pass = average <= AVERAGE_WORDS_MAX && longest->words <=
	    SENTENCE_WORDS_MAX;
	quote = excerpt(longest->text);
	if (d->welsh)
		ease = g_strdup("; no reading-ease score for Welsh");
	else {
		flesch = 206.835 - 1.015 * average - 84.6 * syl / words;
		ease = g_strdup_printf("; Flesch reading ease %.0f (%d or more"
		    " is plain English)", flesch, FLESCH_PLAIN);
	}
	how_many = over > 1 ? g_strdup_printf(", %u sentences over the"
	    " limit", over) : g_strdup("");
	add_finding(d, "readability", pass, "average sentence %.1f words"
	    " (aim for %d or fewer)%s; longest sentence %u words (limit %d)"
	    "%s: %s%s%s", average, AVERAGE_WORDS_MAX,
	    average > AVERAGE_WORDS_MAX ? ", too long" : "", longest->words,
	    SENTENCE_WORDS_MAX, how_many, quote, ease,
	    pass ? "" : ". Split long sentences; one point per sentence.");
	g_free(how_many);
	g_free(quote);
	g_free(ease);
}

static void
check_apology(struct draft *d)
{
	enum outcome	 outcome = d->ctx->outcome;
	gint		 i;
	char		*quote;

	if (d->welsh) {
		add_finding(d, "apology", TRUE, "%s", welsh_skip);
		return;
	}
	if (outcome == OUTCOME_NONE) {
		add_finding(d, "apology", TRUE, "not checked: no outcome is"
		    " recorded yet; record it with #outcome");
		return;
	}
	if (outcome != OUTCOME_UPHELD && outcome != OUTCOME_PARTLY_UPHELD) {
		add_finding(d, "apology", TRUE, "not required: the outcome is"
		    " %s", outcome_name(outcome));
		return;
	}
	i = first_sentence(d, APOLOGY_RX);
	if (i < 0) {
		add_finding(d, "apology", FALSE, "the complaint is %s but the"
		    " draft does not apologise; say sorry for what went wrong"
		    " and what will be put right, e.g. 'I am sorry that we did"
		    " not keep you informed.'", outcome == OUTCOME_UPHELD ?
		    "upheld" : "partly upheld");
		return;
	}
	quote = excerpt(sentence_text(d, i));
	add_finding(d, "apology", TRUE, "apology found: %s", quote);
	g_free(quote);
}

static void
check_delay(struct draft *d)
{
	gint	 i;
	char	*quote;

	if (!d->ctx->late) {
		add_finding(d, "delay-explained", TRUE, "not required: the"
		    " response is in time");
		return;
	}
	if (d->welsh) {
		add_finding(d, "delay-explained", TRUE, "%s (the response is"
		    " late: it must explain the delay)", welsh_skip);
		return;
	}
	i = first_sentence(d, DELAY_RX);
	if (i < 0) {
		add_finding(d, "delay-explained", FALSE, "the response is late"
		    " but the draft does not explain the delay; say why it"
		    " took longer than we promised and apologise for it");
		return;
	}
	quote = excerpt(sentence_text(d, i));
	add_finding(d, "delay-explained", TRUE, "delay mentioned: %s", quote);
	g_free(quote);
}

static void
check_escalation(struct draft *d)
{
	GRegex		*escalate, *limit;
	GMatchInfo	*mi;
	char		*quote, *said;
	guint		 i;

	if (d->welsh) {
		add_finding(d, "escalation", TRUE, "%s", welsh_skip);
		return;
	}
	escalate = regex(ESCALATE_RX, TRUE);
	limit = regex(TIME_LIMIT_RX, TRUE);
	for (i = 0; i < d->sentences->len; i++) {
		if (!g_regex_match(escalate, sentence_text(d, i), 0, NULL))
			continue;
		if (!g_regex_match(limit, sentence_text(d, i), 0, &mi)) {
			g_match_info_free(mi);
			continue;
		}
		said = g_match_info_fetch(mi, 0);
		g_match_info_free(mi);
		quote = excerpt(sentence_text(d, i));
		add_finding(d, "escalation", FALSE, "the draft states its own"
		    " time limit ('%s') in %s; redress adds the escalation"
		    " route with the exact date when it sends the letter, so"
		    " remove this to avoid giving a second, possibly wrong,"
		    " limit", said, quote);
		g_free(quote);
		g_free(said);
		break;
	}
	if (i == d->sentences->len)
		add_finding(d, "escalation", TRUE, "the draft states no time"
		    " limit of its own; redress adds the escalation route and"
		    " the date when it sends the letter");
	g_regex_unref(escalate);
	g_regex_unref(limit);
}

enum stated {
	STATED_UPHELD = 1 << 0,
	STATED_PARTLY = 1 << 1,
	STATED_NOT = 1 << 2,
	STATED_WITHDRAWN = 1 << 3,
	STATED_RESOLVED = 1 << 4
};

static guint
stated_in(const char *sentence)
{
	guint	stated = 0;

	if (matches(PARTLY_RX, sentence))
		stated |= STATED_PARTLY;
	else if (matches(NOT_RX, sentence))
		stated |= STATED_NOT;
	else if (matches(UPHELD_RX, sentence))
		stated |= STATED_UPHELD;
	if (matches(WITHDRAWN_RX, sentence))
		stated |= STATED_WITHDRAWN;
	if (matches(RESOLVED_RX, sentence))
		stated |= STATED_RESOLVED;
	return (stated);
}

static const char *
stated_name(guint stated)
{
	if (stated & STATED_PARTLY)
		return ("partly upheld");
	if (stated & STATED_NOT)
		return ("not upheld");
	if (stated & STATED_UPHELD)
		return ("upheld");
	if (stated & STATED_WITHDRAWN)
		return ("withdrawn");
	return ("resolved");
}

/* Does what the letter says agree with the recorded outcome? */
static gboolean
agrees(enum outcome outcome, guint stated)
{
	if ((stated & ~STATED_RESOLVED) == 0)
		return (TRUE);	/* "resolved" alone: not a contradiction */
	switch (outcome) {
	case OUTCOME_UPHELD:
		return ((stated & STATED_UPHELD) != 0);
	case OUTCOME_PARTLY_UPHELD:
		return ((stated & STATED_PARTLY) != 0 ||
		    ((stated & STATED_UPHELD) && (stated & STATED_NOT)));
	case OUTCOME_NOT_UPHELD:
		return ((stated & STATED_NOT) != 0);
	case OUTCOME_WITHDRAWN:
		return ((stated & STATED_WITHDRAWN) != 0);
	case OUTCOME_NONE:
	case OUTCOME__COUNT:
		break;
	}
	return (TRUE);
}

static void
check_resolution(struct draft *d)
{
	guint	 i, stated = 0, s;
	gint	 first = -1;
	char	*quote;

	if (d->welsh) {
		add_finding(d, "resolution-stated", TRUE, "%s", welsh_skip);
		return;
	}
	for (i = 0; i < d->sentences->len; i++) {
		s = stated_in(sentence_text(d, i));
		if (s != 0 && first < 0)
			first = i;
		stated |= s;
	}
	if (stated == 0) {
		add_finding(d, "resolution-stated", FALSE, "the draft does not"
		    " say whether the complaint is upheld or resolved; say so"
		    " plainly, e.g. 'I have decided to uphold your"
		    " complaint.'");
		return;
	}
	quote = excerpt(sentence_text(d, first));
	if (agrees(d->ctx->outcome, stated))
		add_finding(d, "resolution-stated", TRUE, "the draft says: %s",
		    quote);
	else
		add_finding(d, "resolution-stated", FALSE, "the draft says the"
		    " complaint is %s (%s) but the outcome recorded is %s;"
		    " correct the letter, or the outcome with #outcome",
		    stated_name(stated), quote, outcome_name(d->ctx->outcome));
	g_free(quote);
}

static char *
first_line(const char *text)
{
	char	**lines, *line = NULL;
	guint	  i;

	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL && line == NULL; i++)
		if (*g_strstrip(lines[i]) != '\0')
			line = g_strdup(lines[i]);
	g_strfreev(lines);
	return (line != NULL ? line : g_strdup(""));
}

GPtrArray *
letter_check(const char *text, const struct letter_context *ctx)
{
	struct draft	 d;
	GRegex		*eol = regex("\r\n?", FALSE);
	char		*valid, *clean;

	valid = g_utf8_make_valid(text != NULL ? text : "", -1);
	clean = g_regex_replace_literal(eol, valid, -1, 0, "\n", 0, NULL);
	g_regex_unref(eol);
	memset(&d, 0, sizeof d);
	d.ctx = ctx;
	d.welsh = ctx->language != NULL && strcmp(ctx->language, "cy") == 0;
	if (ctx->complainant_name != NULL)
		d.name = g_utf8_make_valid(ctx->complainant_name, -1);
	d.salutation = first_line(clean);
	d.sentences = split_sentences(clean);
	d.findings = g_ptr_array_new_with_free_func(finding_free);

	check_name(&d);
	check_jargon(&d);
	check_readability(&d);
	check_apology(&d);
	check_delay(&d);
	check_escalation(&d);
	check_resolution(&d);

	g_ptr_array_unref(d.sentences);
	g_free(d.salutation);
	g_free(d.name);
	g_free(clean);
	g_free(valid);
	return (d.findings);
}

static const char *
check_title(const char *check)
{
	gsize	i;

	for (i = 0; i < G_N_ELEMENTS(check_titles); i++)
		if (strcmp(check_titles[i][0], check) == 0)
			return (check_titles[i][1]);
	return (check);
}

char *
letter_findings_text(GPtrArray *findings)
{
	GString			*s = g_string_new(NULL);
	struct letter_finding	*f;
	guint			 i, failed = 0;
	int			 pass;

	for (i = 0; i < findings->len; i++)
		if (!((struct letter_finding *)findings->pdata[i])->pass)
			failed++;
	if (failed == 0)
		g_string_append_printf(s, "Letter check: all %u checks"
		    " passed.\n", findings->len);
	else
		g_string_append_printf(s, "Letter check: %u of %u checks need"
		    " attention.\n", failed, findings->len);
	/* What needs attention first. */
	for (pass = 0; pass <= 1; pass++) {
		for (i = 0; i < findings->len; i++) {
			f = findings->pdata[i];
			if (f->pass != pass)
				continue;
			g_string_append_printf(s, "\n%s: %s\n  %s\n",
			    pass ? "OK" : "NEEDS ATTENTION",
			    check_title(f->check), f->detail);
		}
	}
	return (g_string_free(s, FALSE));
}

static void
jargon_term_free(gpointer p)
{
	struct jargon_term	*t = p;

	g_free(t->term);
	g_free(t->meaning);
	g_free(t);
}

int
jargon_list_parse(const char *text, GPtrArray **terms, GPtrArray *errors,
    const char *filename)
{
	GHashTable		*lines_of;
	struct jargon_term	*t;
	char			**lines, *line, *tab, *term, *key;
	const char		*file = filename != NULL ? filename :
				    "jargon.list";
	guint			 i;
	int			 nerrors = 0;
	gboolean		 known;

	*terms = g_ptr_array_new_with_free_func(jargon_term_free);
	lines_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	lines = g_strsplit(text != NULL ? text : "", "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		line = lines[i];
		if (!g_utf8_validate(line, -1, NULL)) {
			g_ptr_array_add(errors, g_strdup_printf("%s:%u: the"
			    " line is not valid UTF-8; save the file as UTF-8",
			    file, i + 1));
			nerrors++;
			continue;
		}
		tab = strchr(line, '\t');
		if (tab != NULL)
			*tab++ = '\0';
		g_strstrip(line);
		if (*line == '\0' && tab == NULL)
			continue;
		if (*line == '#')
			continue;
		known = *line == '!';
		term = g_strstrip(line + (known ? 1 : 0));
		if (*term == '\0') {
			g_ptr_array_add(errors, g_strdup_printf("%s:%u: the"
			    " term is missing; write the term, then optionally"
			    " a tab and its plain meaning, e.g. 'NFA<TAB>no"
			    " further action'", file, i + 1));
			nerrors++;
			continue;
		}
		key = g_utf8_casefold(term, -1);
		if (g_hash_table_contains(lines_of, key)) {
			g_ptr_array_add(errors, g_strdup_printf("%s:%u: '%s'"
			    " is already listed on line %u; keep one of them",
			    file, i + 1, term, GPOINTER_TO_UINT(
			    g_hash_table_lookup(lines_of, key))));
			nerrors++;
			g_free(key);
			continue;
		}
		g_hash_table_insert(lines_of, key, GUINT_TO_POINTER(i + 1));
		t = g_new0(struct jargon_term, 1);
		t->term = g_strdup(term);
		if (tab != NULL && *g_strstrip(tab) != '\0')
			t->meaning = g_strdup(tab);
		t->known = known;
		g_ptr_array_add(*terms, t);
	}
	g_strfreev(lines);
	g_hash_table_unref(lines_of);
	return (nerrors);
}
