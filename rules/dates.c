/*
 * dates.c: dates as people write them, resolved against a reference day.
 *
 * Each way of writing a date is one regular expression and one function
 * that turns its match into a day or a period. All of them are run over
 * the text; where two matches overlap the longer wins ("Tuesday 3 March"
 * beats "Tuesday", "the 10th of February this year" beats "February").
 */
#include <stdlib.h>
#include <string.h>

#include "dates.h"

/* How far back a date of birth or a future-tense word may stand. */
#define CONTEXT_BYTES	40

#define WEEKDAYS "monday|tuesday|wednesday|thursday|friday|saturday|sunday|" \
	"tues|weds|thurs"
#define WEEKDAY "(" WEEKDAYS ")"
/* Welsh weekdays: after "dydd" (and "bore", "prynhawn"), and soft-mutated
 * after "nos" ("nos Fawrth", Tuesday night). "Mawrth" is also March: as a
 * weekday it always follows one of those words. */
#define WEEKDAYS_CY "llun|mawrth|mercher|iau|gwener|sadwrn|sul"
#define WEEKDAYS_CY_NOS "lun|fawrth|fercher|iau|wener|sadwrn|sul"
#define WEEKDAY_CY "(?:(?:(?:[bf]ore|[pb]rynhawn)\\s+(?:d?dydd\\s+)?|" \
	"d?dydd\\s+)(" WEEKDAYS_CY ")|nos\\s+(" WEEKDAYS_CY_NOS "))"
#define MONTH_EN "january|february|march|april|may|june|july|august|" \
	"september|october|november|december"
#define MONTH_ABBR "sept|sep|jan|feb|mar|apr|jun|jul|aug|oct|nov|dec"
/* Welsh months, and their soft mutations after "o" ("3ydd o Fawrth"). */
#define MONTH_CY "ionawr|chwefror|mawrth|ebrill|mai|mehefin|gorffennaf|" \
	"awst|medi|hydref|tachwedd|rhagfyr|fawrth|fai|fehefin|orffennaf|" \
	"fedi|dachwedd|ragfyr"
#define MONTH_ANY "(?:" MONTH_EN "|" MONTH_CY "|(?:" MONTH_ABBR ")\\.?)"
/* 3rd; in Welsh 1af, 2il, 3ydd, 5ed, 7fed, 11eg, 21ain. */
#define DAY_SUFFIX "(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)"
#define ORDWORD "(?:(?:twenty|thirty)[- ]?(?:first|second|third|fourth|" \
	"fifth|sixth|seventh|eighth|ninth)|twentieth|thirtieth|first|" \
	"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|" \
	"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|" \
	"seventeenth|eighteenth|nineteenth)"
#define NUMWORD "(\\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|" \
	"nine|ten|eleven|twelve|a couple of|couple of|a few|few)"
#define NB "(?![\\w])"		/* no letter or digit follows */
#define PB "(?<![\\w])"		/* none precedes */

struct pattern;
typedef gboolean (*date_handler)(GMatchInfo *, const GDate *,
    struct date_mention *);

struct pattern {
	const char	*source;
	date_handler	 handler;
	int		 flags;
#define MAYBE_COMING	0x1	/* a bare weekday: the coming one when the
				   words around it say so ("next", "will") */
};

static const struct {
	const char	*name;
	int		 month;
} month_names[] = {
	{ "january", 1 }, { "jan", 1 }, { "ionawr", 1 },
	{ "february", 2 }, { "feb", 2 }, { "chwefror", 2 },
	{ "march", 3 }, { "mar", 3 }, { "mawrth", 3 },
	{ "april", 4 }, { "apr", 4 }, { "ebrill", 4 },
	{ "may", 5 }, { "mai", 5 },
	{ "june", 6 }, { "jun", 6 }, { "mehefin", 6 },
	{ "july", 7 }, { "jul", 7 }, { "gorffennaf", 7 },
	{ "august", 8 }, { "aug", 8 }, { "awst", 8 },
	{ "september", 9 }, { "sept", 9 }, { "sep", 9 }, { "medi", 9 },
	{ "october", 10 }, { "oct", 10 }, { "hydref", 10 },
	{ "november", 11 }, { "nov", 11 }, { "tachwedd", 11 },
	{ "december", 12 }, { "dec", 12 }, { "rhagfyr", 12 },
	{ "fawrth", 3 }, { "fai", 5 }, { "fehefin", 6 }, { "orffennaf", 7 },
	{ "fedi", 9 }, { "dachwedd", 11 }, { "ragfyr", 12 },
};

static const char *const ordinal_words[] = {
	"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
	"eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
	"fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
	"nineteenth", "twentieth"
};

static const char *const number_words[] = {
	"one", "two", "three", "four", "five", "six", "seven", "eight",
	"nine", "ten", "eleven", "twelve"
};

/* Weekdays by how they begin, in GDateWeekday numbers: English, then
 * Welsh as written after "dydd" and after "nos". */
static const struct {
	const char	*prefix;
	int		 weekday;
} weekday_words[] = {
	{ "mon", 1 }, { "tue", 2 }, { "wed", 3 }, { "thu", 4 }, { "fri", 5 },
	{ "sat", 6 }, { "sun", 7 },
	{ "llun", 1 }, { "mawrth", 2 }, { "mercher", 3 }, { "iau", 4 },
	{ "gwener", 5 }, { "sadwrn", 6 }, { "sul", 7 },
	{ "lun", 1 }, { "fawrth", 2 }, { "fercher", 3 }, { "wener", 5 },
};

/* Days counted back from the reference for the named days; the others
 * ("today", "heddiw", "bore 'ma") are the day itself. */
static const struct {
	const char	*word;
	int		 back;
} named_days[] = {
	{ "the day before yesterday", 2 }, { "echdoe", 2 },
	{ "yesterday", 1 }, { "last night", 1 }, { "ddoe", 1 },
	{ "neithiwr", 1 },
};

/*
 * Welsh counts before a unit, with their mutations ("dwy wythnos", "ddwy
 * wythnos", "dri mis"); -1 is "a few".
 */
static const struct {
	const char	*word;
	int		 n;
} numbers_cy[] = {
	{ "un", 1 }, { "dau", 2 }, { "ddau", 2 }, { "dwy", 2 }, { "ddwy", 2 },
	{ "tri", 3 }, { "dri", 3 }, { "tair", 3 }, { "dair", 3 },
	{ "pedwar", 4 }, { "bedwar", 4 }, { "pedair", 4 }, { "bedair", 4 },
	{ "pump", 5 }, { "pum", 5 }, { "bum", 5 }, { "chwech", 6 },
	{ "chwe", 6 }, { "saith", 7 }, { "wyth", 8 }, { "naw", 9 },
	{ "deg", 10 }, { "ddeg", 10 }, { "deng", 10 }, { "deuddeg", 12 },
	{ "ddeuddeg", 12 }, { "cwpl o", 2 }, { "ychydig", -1 },
	{ "rhai", -1 }, { "rai", -1 },
};
#define NUMWORD_CY "(\\d{1,2}|un|d?dau|d?dwy|d?dri|d?dair|tri|tair|" \
	"[pb]edwar|[pb]edair|pump|pum|bum|chwech|chwe|saith|wyth|naw|" \
	"d?deuddeg|d?deg|deng|cwpl o|ychydig|r?hai)"

/* Welsh units of time, each with how many of the unit it is on its own
 * ("deuddydd", two days; "wythnos yn ôl", a week ago). */
static const struct {
	const char	*word;
	char		 unit;		/* d(ay) w(eek) f(ortnight) m y */
	int		 n;
} units_cy[] = {
	{ "diwrnod", 'd', 1 }, { "ddiwrnod", 'd', 1 }, { "niwrnod", 'd', 1 },
	{ "diwrnodau", 'd', 1 }, { "ddiwrnodau", 'd', 1 },
	{ "dyddiau", 'd', 1 }, { "ddyddiau", 'd', 1 },
	{ "deuddydd", 'd', 2 }, { "ddeuddydd", 'd', 2 },
	{ "tridiau", 'd', 3 }, { "dridiau", 'd', 3 },
	{ "wythnos", 'w', 1 }, { "wythnosau", 'w', 1 },
	{ "pythefnos", 'f', 1 }, { "bythefnos", 'f', 1 },
	{ "mis", 'm', 1 }, { "fis", 'm', 1 }, { "misoedd", 'm', 1 },
	{ "deufis", 'm', 2 }, { "ddeufis", 'm', 2 },
	{ "blwyddyn", 'y', 1 }, { "flwyddyn", 'y', 1 }, { "blynedd", 'y', 1 },
	{ "flynedd", 'y', 1 }, { "mlynedd", 'y', 1 },
};
#define UNIT_CY "(d?diwrnodau|d?diwrnod|niwrnod|d?dyddiau|d?deuddydd|" \
	"d?dridiau|tridiau|wythnosau|wythnos|[pb]ythefnos|misoedd|mis|fis|" \
	"d?deufis|[bf]lwyddyn|[bfm]lynedd)"

/*
 * The words of "last week", "this month", "yr wythnos diwethaf", "y mis
 * hwn", "y llynedd": a unit, or how many of it back (0 this, 1 last).
 */
static const struct {
	const char	*word;
	char		 unit;		/* w m y, or 0: the word is a "back" */
	int		 back;		/* -1: the word does not say */
} period_words[] = {
	{ "week", 'w', -1 }, { "wythnos", 'w', -1 }, { "month", 'm', -1 },
	{ "mis", 'm', -1 }, { "fis", 'm', -1 }, { "year", 'y', -1 },
	{ "blwyddyn", 'y', -1 }, { "flwyddyn", 'y', -1 },
	{ "last", 0, 1 }, { "previous", 0, 1 }, { "diwethaf", 0, 1 },
	{ "ddiwethaf", 0, 1 }, { "this", 0, 0 }, { "hon", 0, 0 },
	{ "hwn", 0, 0 }, { "yma", 0, 0 },
	{ "llynedd", 'y', 1 }, { "eleni", 'y', 0 },
};

/* What the words before a month say about part of it. */
static const struct {
	const char	*word;
	const char	*part;
} month_parts[] = {
	{ "end", "late" }, { "diwedd", "late" }, { "beginning", "early" },
	{ "start", "early" }, { "dechrau", "early" }, { "middle", "mid" },
	{ "canol", "mid" }, { "ganol", "mid" },
};

/* Seasons, meteorological, by the month each begins. */
static const struct {
	const char	*word;
	int		 month;
} seasons[] = {
	{ "spring", 3 }, { "gwanwyn", 3 }, { "summer", 6 }, { "haf", 6 },
	{ "autumn", 9 }, { "fall", 9 }, { "hydref", 9 }, { "winter", 12 },
	{ "gaeaf", 12 },
};

/* Group text, lower case, or NULL when the group did not take part. */
static char *
group(GMatchInfo *mi, int n)
{
	char	*s, *l;

	s = g_match_info_fetch(mi, n);
	if (s == NULL || *s == '\0') {
		g_free(s);
		return (NULL);
	}
	l = g_utf8_strdown(s, -1);
	g_free(s);
	return (l);
}

static int
month_number(const char *name)
{
	size_t	i, len = strlen(name);

	if (len > 0 && name[len - 1] == '.')
		len--;
	for (i = 0; i < G_N_ELEMENTS(month_names); i++)
		if (strlen(month_names[i].name) == len &&
		    strncmp(month_names[i].name, name, len) == 0)
			return (month_names[i].month);
	return (0);
}

/* "third" 3, "twenty-first" 21, "thirtieth" 30; 0 when not one. */
static int
ordinal_number(const char *w)
{
	int	base = 0;
	size_t	i;

	if (g_str_has_prefix(w, "twenty") && strcmp(w, "twentieth") != 0) {
		base = 20;
		w += 6;
	} else if (g_str_has_prefix(w, "thirty")) {
		base = 30;
		w += 6;
	} else if (strcmp(w, "thirtieth") == 0)
		return (30);
	while (*w == '-' || *w == ' ')
		w++;
	if (*w == '\0')
		return (0);
	for (i = 0; i < G_N_ELEMENTS(ordinal_words); i++)
		if (strcmp(ordinal_words[i], w) == 0)
			return (base + (int)i + 1);
	return (0);
}

/* "3", "three", "a" 1, "a couple of" 2; -1 for "a few". */
static int
count_number(const char *w)
{
	size_t	i;

	if (g_ascii_isdigit(*w))
		return (atoi(w));
	if (strcmp(w, "a") == 0 || strcmp(w, "an") == 0)
		return (1);
	if (strstr(w, "couple") != NULL)
		return (2);
	if (strstr(w, "few") != NULL)
		return (-1);
	for (i = 0; i < G_N_ELEMENTS(number_words); i++)
		if (strcmp(number_words[i], w) == 0)
			return ((int)i + 1);
	return (0);
}

static gboolean
set_day(struct date_mention *m, int d, int mo, int y)
{
	if (y < 1900 || y > 2999 || !g_date_valid_dmy(d, mo, y))
		return (FALSE);
	m->precision = DATE_DAY;
	g_date_clear(&m->first, 1);
	g_date_set_dmy(&m->first, d, mo, y);
	m->last = m->first;
	return (TRUE);
}

static gboolean
set_period(struct date_mention *m, const GDate *first, const GDate *last)
{
	if (!g_date_valid(first) || !g_date_valid(last) ||
	    g_date_compare(first, last) > 0)
		return (FALSE);
	m->precision = DATE_PERIOD;
	m->first = *first;
	m->last = *last;
	return (TRUE);
}

static gboolean
set_one_day(struct date_mention *m, const GDate *d)
{
	if (!set_period(m, d, d))
		return (FALSE);
	m->precision = DATE_DAY;
	return (TRUE);
}

static gboolean
set_month_period(struct date_mention *m, int mo, int y, int from, int to)
{
	GDate	first, last;
	int	days;

	if (y < 1900 || y > 2999 || mo < 1 || mo > 12)
		return (FALSE);
	days = g_date_get_days_in_month(mo, y);
	if (to > days)
		to = days;
	g_date_clear(&first, 1);
	g_date_clear(&last, 1);
	g_date_set_dmy(&first, from, mo, y);
	g_date_set_dmy(&last, to, mo, y);
	return (set_period(m, &first, &last));
}

static int
ref_year(const GDate *ref)
{
	return (g_date_get_year(ref));
}

/*
 * A day and month written without a year are this year's; one that would
 * lie more than half a year ahead was last year's ("28 December" written
 * in January). One a little ahead is a future date and is left to the
 * caller to drop.
 */
static gboolean
set_day_no_year(struct date_mention *m, int d, int mo, const GDate *ref)
{
	int	y = ref_year(ref);

	if (!set_day(m, d, mo, y))
		return (FALSE);
	if (g_date_days_between(ref, &m->first) > 183)
		return (set_day(m, d, mo, y - 1));
	return (TRUE);
}

static gboolean
set_relative_year(struct date_mention *m, int d, int mo, const char *rel,
    const GDate *ref)
{
	int	y = ref_year(ref);

	if (strcmp(rel, "last year") == 0 || strstr(rel, "llynedd") != NULL)
		y--;
	return (set_day(m, d, mo, y));
}

/* 3rd March [2026 | this year], the third of March, 17 Chwefror eleni. */
static gboolean
on_day_month(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*dn = group(mi, 1), *dw = group(mi, 2);
	char		*mon = group(mi, 3), *yr = group(mi, 4);
	char		*rel = group(mi, 5);
	int		 d, mo;
	gboolean	 ok;

	d = dn != NULL ? atoi(dn) : dw != NULL ? ordinal_number(dw) : 0;
	mo = mon != NULL ? month_number(mon) : 0;
	if (yr != NULL)
		ok = set_day(m, d, mo, atoi(yr));
	else if (rel != NULL)
		ok = set_relative_year(m, d, mo, rel, ref);
	else
		ok = set_day_no_year(m, d, mo, ref);
	g_free(dn);
	g_free(dw);
	g_free(mon);
	g_free(yr);
	g_free(rel);
	return (ok);
}

/* March 3rd [, 2026]. */
static gboolean
on_month_day(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*mon = group(mi, 1), *dn = group(mi, 2);
	char		*yr = group(mi, 3);
	gboolean	 ok;
	int		 mo = month_number(mon);

	if (yr != NULL)
		ok = set_day(m, atoi(dn), mo, atoi(yr));
	else
		ok = set_day_no_year(m, atoi(dn), mo, ref);
	g_free(mon);
	g_free(dn);
	g_free(yr);
	return (ok);
}

/*
 * 15/04/2026, 15.4.26: day first, as written in the UK. When the day-first
 * reading is impossible but the month-first one is not (04/15/2026), the
 * writer used the US order.
 */
static gboolean
on_numeric(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*a = group(mi, 1), *b = group(mi, 3), *c = group(mi, 4);
	int	 d = atoi(a), mo = atoi(b), y = atoi(c);

	if (strlen(c) == 2)
		y += y + 2000 > ref_year(ref) ? 1900 : 2000;
	g_free(a);
	g_free(b);
	g_free(c);
	if (set_day(m, d, mo, y))
		return (TRUE);
	return (set_day(m, mo, d, y));
}

static gboolean
on_iso(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*y = group(mi, 1), *mo = group(mi, 2), *d = group(mi, 3);
	gboolean	 ok = set_day(m, atoi(d), atoi(mo), atoi(y));

	g_free(y);
	g_free(mo);
	g_free(d);
	return (ok);
}

/* The 22nd of last month, the 3rd of this month, yr 22ain o'r mis
 * diwethaf. */
static gboolean
on_day_of_month(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*dn = group(mi, 1), *dw = group(mi, 2);
	char		*which = group(mi, 3);
	int		 d, mo = g_date_get_month(ref), y = ref_year(ref);

	d = dn != NULL ? atoi(dn) : dw != NULL ? ordinal_number(dw) : 0;
	if (which != NULL && (strcmp(which, "last") == 0 ||
	    strcmp(which, "diwethaf") == 0)) {
		if (--mo == 0) {
			mo = 12;
			y--;
		}
	} else if (which != NULL && (strcmp(which, "next") == 0 ||
	    strcmp(which, "nesaf") == 0)) {
		if (++mo == 13) {
			mo = 1;
			y++;
		}
	}
	g_free(dn);
	g_free(dw);
	g_free(which);
	return (set_day(m, d, mo, y));
}

/*
 * "on the 24th", "since the 2nd": this month's when that day has come,
 * else a date still to come this month (a hearing), which is dropped.
 */
static gboolean
on_day_alone(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*dn = group(mi, 1);
	int	 d = atoi(dn);

	g_free(dn);
	return (set_day(m, d, g_date_get_month(ref), ref_year(ref)));
}

/* The weekday named by the first group that took part, 0 for none. */
static int
weekday_group(GMatchInfo *mi)
{
	char	*name = NULL;
	int	 n, wd = 0;
	size_t	 i;

	for (n = 1; name == NULL && n <= 3; n++)
		name = group(mi, n);
	for (i = 0; name != NULL && i < G_N_ELEMENTS(weekday_words); i++)
		if (g_str_has_prefix(name, weekday_words[i].prefix)) {
			wd = weekday_words[i].weekday;
			break;
		}
	g_free(name);
	return (wd);
}

/*
 * The weekday the match names: the most recent one strictly before ref,
 * or with this_week the one in ref's week (weeks start on Monday; it is
 * dropped later when still to come), then weeks_back weeks earlier.
 */
static gboolean
weekday_back(GMatchInfo *mi, const GDate *ref, struct date_mention *m,
    gboolean this_week, int weeks_back)
{
	int	wd = weekday_group(mi), back;
	GDate	d = *ref;

	if (wd == 0)
		return (FALSE);
	back = (int)g_date_get_weekday(ref) - wd;
	if (!this_week && back <= 0)
		back += 7;
	if (back < 0)
		g_date_add_days(&d, -back);
	else
		g_date_subtract_days(&d, back);
	g_date_subtract_days(&d, 7 * weeks_back);
	return (set_one_day(m, &d));
}

/* "last Thursday", "on Monday", "Sunday night", "ddydd Mawrth",
 * "nos Wener diwethaf". */
static gboolean
on_weekday(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	return (weekday_back(mi, ref, m, FALSE, 0));
}

/* "Friday before last", "a week last Friday". */
static gboolean
on_weekday_before_last(GMatchInfo *mi, const GDate *ref,
    struct date_mention *m)
{
	return (weekday_back(mi, ref, m, FALSE, 1));
}

/* "this Monday", "Monday of this week". */
static gboolean
on_this_weekday(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	return (weekday_back(mi, ref, m, TRUE, 0));
}

/* "Monday last week", "Tuesday of last week", "ddydd Llun yr wythnos
 * diwethaf". */
static gboolean
on_weekday_last_week(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	return (weekday_back(mi, ref, m, TRUE, 1));
}

/*
 * "Monday the 12th", "on Tuesday 13th": that day of this month, or of
 * last month, whichever falls on that weekday; else this month's (it is
 * dropped when still to come).
 */
static gboolean
on_weekday_day(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*dn = group(mi, 2);
	int	 wd = weekday_group(mi), d = atoi(dn), k;
	int	 mo = g_date_get_month(ref), y = ref_year(ref);

	g_free(dn);
	for (k = 0; k < 2; k++) {
		if (set_day(m, d, mo, y) &&
		    (int)g_date_get_weekday(&m->first) == wd)
			return (TRUE);
		if (--mo == 0) {
			mo = 12;
			y--;
		}
	}
	return (set_day(m, d, g_date_get_month(ref), ref_year(ref)));
}

static gboolean
on_named_day(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*w = group(mi, 1);
	GDate	 d = *ref;
	size_t	 i;

	for (i = 0; i < G_N_ELEMENTS(named_days); i++)
		if (strcmp(w, named_days[i].word) == 0) {
			g_date_subtract_days(&d, named_days[i].back);
			break;
		}
	g_free(w);
	return (set_one_day(m, &d));
}

/*
 * n units back from ref: days, weeks and fortnights are days ("two weeks
 * ago"); months and years, and "a few" of anything (n < 0), are periods
 * around the day they point at.
 */
static gboolean
ago(int n, char unit, const GDate *ref, struct date_mention *m)
{
	GDate	first = *ref, last = *ref;
	int	days;

	if (n == 0 || n > 400)
		return (FALSE);
	switch (unit) {
	case 'd':
	case 'w':
	case 'f':
		days = unit == 'd' ? 1 : unit == 'w' ? 7 : 14;
		if (n > 0) {
			g_date_subtract_days(&first, n * days);
			return (set_one_day(m, &first));
		}
		/* a few: between two and six of them */
		g_date_subtract_days(&first, 6 * days);
		g_date_subtract_days(&last, 2 * days);
		return (set_period(m, &first, &last));
	case 'm':
		g_date_subtract_months(&first, n < 0 ? 4 : n);
		last = first;
		g_date_subtract_days(&first, 15);
		g_date_add_days(&last, 15);
		return (set_period(m, &first, &last));
	case 'y':
		g_date_subtract_years(&first, n < 0 ? 4 : n);
		last = first;
		g_date_subtract_months(&first, 6);
		g_date_add_months(&last, 6);
		return (set_period(m, &first, &last));
	}
	return (FALSE);
}

/* "two weeks ago", "a fortnight ago", "3 months ago", "a few weeks ago". */
static gboolean
on_ago(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*num = group(mi, 1), *unit = group(mi, 2);
	gboolean	 ok;

	ok = ago(count_number(num), unit[0] == 'd' ? 'd' : unit[0] == 'w' ?
	    'w' : unit[0] == 'f' ? 'f' : unit[0] == 'm' ? 'm' : 'y', ref, m);
	g_free(num);
	g_free(unit);
	return (ok);
}

/* "bythefnos yn ôl", "dri mis yn ôl", "ychydig wythnosau yn ôl". */
static gboolean
on_ago_cy(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*num = group(mi, 1), *unit = group(mi, 2);
	int	 n = 1, u = -1;
	size_t	 i;

	if (num != NULL && g_ascii_isdigit(*num))
		n = atoi(num);
	else if (num != NULL)
		for (i = 0, n = 0; i < G_N_ELEMENTS(numbers_cy); i++)
			if (strcmp(num, numbers_cy[i].word) == 0)
				n = numbers_cy[i].n;
	for (i = 0; i < G_N_ELEMENTS(units_cy); i++)
		if (strcmp(unit, units_cy[i].word) == 0)
			u = (int)i;
	g_free(num);
	g_free(unit);
	if (u < 0)
		return (FALSE);
	return (ago(n < 0 ? n : n * units_cy[u].n, units_cy[u].unit, ref, m));
}

/*
 * "in July", "back in January", "since May", "at the end of September",
 * "March 2025", "ym mis Mehefin", "ddiwedd mis Medi", "fis Mawrth
 * diwethaf". A month without a year is this year's; "last", "back in" and
 * "diwethaf" mean the most recent one already begun before this month.
 */
static gboolean
on_month_period(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*pre = group(mi, 1), *part = group(mi, 2);
	char		*mon = group(mi, 3), *yr = group(mi, 4);
	char		*rel = group(mi, 5);
	int		 mo = mon != NULL ? month_number(mon) : 0;
	int		 y = ref_year(ref), from = 1, to = 31;
	gboolean	 ok, last;
	size_t		 i;

	last = (pre != NULL && (g_str_has_prefix(pre, "last") ||
	    g_str_has_prefix(pre, "back"))) ||
	    (rel != NULL && strstr(rel, "diwethaf") != NULL);
	if (yr != NULL)
		y = atoi(yr);
	else if (rel != NULL && strstr(rel, "llynedd") != NULL)
		y--;
	else if (last && mo >= (int)g_date_get_month(ref))
		y--;
	for (i = 0; part == NULL && pre != NULL &&
	    i < G_N_ELEMENTS(month_parts); i++)
		if (strstr(pre, month_parts[i].word) != NULL)
			part = g_strdup(month_parts[i].part);
	if (part != NULL && g_str_has_prefix(part, "early"))
		to = 10;
	else if (part != NULL && g_str_has_prefix(part, "mid")) {
		from = 11;
		to = 20;
	} else if (part != NULL && g_str_has_prefix(part, "late"))
		from = 21;
	ok = set_month_period(m, mo, y, from, to);
	g_free(pre);
	g_free(part);
	g_free(mon);
	g_free(yr);
	g_free(rel);
	return (ok);
}

/* "over the summer", "last winter", "dros yr haf", "yr hydref
 * diwethaf". Winter belongs to the year its January is in. */
static gboolean
on_season(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*pre = group(mi, 1), *season = group(mi, 2);
	char		*yr = group(mi, 3), *rel = group(mi, 4);
	int		 start = 12, y;
	GDate		 first, last;
	gboolean	 ok;
	size_t		 i;

	for (i = 0; i < G_N_ELEMENTS(seasons); i++)
		if (g_str_has_prefix(season, seasons[i].word))
			start = seasons[i].month;
	if (yr != NULL)
		y = atoi(yr) - (start == 12 ? 1 : 0);
	else {
		/* the most recent one begun by ref */
		y = ref_year(ref);
		g_date_clear(&first, 1);
		g_date_set_dmy(&first, 1, start, y);
		if (g_date_compare(&first, ref) > 0)
			y--;
		if ((pre != NULL && strcmp(pre, "last") == 0) || rel != NULL) {
			g_date_set_dmy(&first, 1, start, y);
			last = first;
			g_date_add_months(&last, 3);
			if (g_date_compare(&last, ref) > 0)
				y--;
		}
	}
	g_date_clear(&first, 1);
	g_date_set_dmy(&first, 1, start, y);
	last = first;
	g_date_add_months(&last, 3);
	g_date_subtract_days(&last, 1);
	ok = set_period(m, &first, &last);
	g_free(pre);
	g_free(season);
	g_free(yr);
	g_free(rel);
	return (ok);
}

/*
 * last week/month/year, this week/month/year, earlier this year, yr
 * wythnos diwethaf, y mis hwn, y llynedd, eleni: the unit and how many
 * back come from the words of the groups (period_words).
 */
static gboolean
on_relative_period(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	GDate	 first = *ref, last = *ref;
	char	 unit = 0;
	int	 back = 0, n;
	size_t	 i;

	for (n = 1; n <= 3; n++) {
		char	*w = group(mi, n);

		for (i = 0; w != NULL && i < G_N_ELEMENTS(period_words); i++)
			if (strcmp(w, period_words[i].word) == 0) {
				if (period_words[i].unit != 0)
					unit = period_words[i].unit;
				if (period_words[i].back >= 0)
					back = period_words[i].back;
			}
		g_free(w);
	}
	switch (unit) {
	case 'w':
		g_date_subtract_days(&first, g_date_get_weekday(ref) - 1);
		if (back) {
			g_date_subtract_days(&first, 7);
			last = first;
			g_date_add_days(&last, 6);
		}
		break;
	case 'm':
		g_date_set_day(&first, 1);
		if (back) {
			g_date_subtract_months(&first, 1);
			last = first;
			g_date_add_months(&last, 1);
			g_date_subtract_days(&last, 1);
		}
		break;
	case 'y':
		g_date_set_dmy(&first, 1, 1, ref_year(ref) - back);
		if (back)
			g_date_set_dmy(&last, 31, 12, ref_year(ref) - 1);
		break;
	default:
		return (FALSE);
	}
	return (set_period(m, &first, &last));
}

/* Not "over the last year", "dros y flwyddyn ddiwethaf": those are
 * spans running up to now, not periods of the matter. */
#define NOT_SPAN "(?<![\\w])(?<!the\\s)(?<!dros\\s)(?<!ystod\\s)" \
	"(?<!dros\\sy\\s)(?<!dros\\syr\\s)" \
	"(?<!ystod\\sy\\s)(?<!ystod\\syr\\s)"

static const struct pattern patterns[] = {
	/* 3rd March 2026, the third of March, Tuesday 3 March this year,
	 * ddydd Mawrth 17 Chwefror, y 3ydd o Fawrth */
	{ PB "(?:(?:" WEEKDAYS "|d?dydd\\s+(?:" WEEKDAYS_CY ")),?\\s+)?"
	  "(?:the\\s+)?(?:(\\d{1,2})" DAY_SUFFIX "?|(" ORDWORD "))"
	  "(?:\\s+(?:of|o))?\\s+(" MONTH_ANY ")" NB
	  "(?:,?\\s+(\\d{4})(?!\\d)|\\s+(this year|last year|eleni|"
	  "y llynedd|llynedd)" NB ")?", on_day_month, 0 },
	{ PB "(" MONTH_EN "|(?:" MONTH_ABBR ")\\.?)\\s+(?:the\\s+)?(\\d{1,2})"
	  "(?:st|nd|rd|th)?" NB "(?:,?\\s+(\\d{4})(?!\\d))?", on_month_day, 0 },
	{ "(?<![\\w/.-])(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})"
	  "(?![\\w/-]|\\.\\d)", on_numeric, 0 },
	{ "(?<![\\w/.-])(\\d{4})-(\\d{1,2})-(\\d{1,2})" NB, on_iso, 0 },
	{ PB "(?:the\\s+)?(?:(\\d{1,2})(?:st|nd|rd|th)?|(" ORDWORD "))\\s+of\\s+"
	  "(this|last|next|the)\\s+month" NB, on_day_of_month, 0 },
	{ PB "yr?\\s+(\\d{1,2})" DAY_SUFFIX "()\\s+o'r\\s+mis\\s+"
	  "(diwethaf|hwn|yma|nesaf)" NB, on_day_of_month, 0 },
	{ PB "the\\s+(\\d{1,2})(?:st|nd|rd|th)" NB "(?!\\s+(?:time|hearing|"
	  "trial|letter|floor|e-?mail|call|attempt|occasion|one|person|"
	  "witness|count|charge|offence|defendant|day|week|month|year|"
	  "century|birthday|anniversary)s?" NB ")", on_day_alone, 0 },
	{ PB "(?:ar|ers)\\s+yr?\\s+(\\d{1,2})" DAY_SUFFIX NB, on_day_alone, 0 },
	/* weekdays */
	{ PB "(?:on\\s+)?" WEEKDAY "(?:\\s+of|\\s+in)?\\s+(?:the\\s+)?"
	  "(?:last|previous)\\s+week" NB, on_weekday_last_week, 0 },
	{ PB "last\\s+week\\s+on\\s+" WEEKDAY NB, on_weekday_last_week, 0 },
	{ PB WEEKDAY_CY "\\s+yr\\s+wythnos\\s+d?diwethaf" NB,
	  on_weekday_last_week, 0 },
	{ PB "(?:(?:last|this\\s+past|this\\s+last)\\s+" WEEKDAY
	  "|" WEEKDAY "\\s+just\\s+gone)" NB, on_weekday, 0 },
	{ PB WEEKDAY_CY "\\s+d?diwethaf" NB, on_weekday, 0 },
	{ PB "(?:a\\s+week\\s+last\\s+" WEEKDAY "|" WEEKDAY "\\s+before\\s+"
	  "last)" NB, on_weekday_before_last, 0 },
	{ PB "(?:this\\s+" WEEKDAY "|" WEEKDAY "\\s+of\\s+this\\s+week)" NB,
	  on_this_weekday, 0 },
	{ PB "(?:on\\s+)?" WEEKDAY ",?\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)"
	  NB, on_weekday_day, 0 },
	{ PB "(?:was|were)\\s+(?:meant|supposed|due|booked|arranged|set|promised)"
	  "\\s+(?:to\\s+be\\s+|for\\s+)(?:on\\s+)?" WEEKDAY NB, on_weekday, 0 },
	{ PB "(?:on|since)\\s+" WEEKDAY "(?:\\s+(?:morning|afternoon|evening|"
	  "night|lunchtime))?" NB, on_weekday, MAYBE_COMING },
	{ PB WEEKDAY "(?:\\s+(?:morning|afternoon|evening|night|lunchtime)" NB
	  "|'s" NB ")", on_weekday, MAYBE_COMING },
	{ PB "(?:ers\\s+)?" WEEKDAY_CY NB, on_weekday, MAYBE_COMING },
	/* named days, days and periods ago */
	{ PB "(the day before yesterday|yesterday|today|this morning|"
	  "this afternoon|last night|earlier today|ddoe|echdoe|heddiw|"
	  "neithiwr|(?:y\\s+)?bore\\s+(?:'ma|yma|heddiw)|"
	  "(?:y\\s+)?prynhawn\\s+(?:'ma|yma|heddiw))" NB, on_named_day, 0 },
	{ PB NUMWORD "\\s+(days?|weeks?|fortnights?|months?|years?)\\s+ago" NB,
	  on_ago, 0 },
	{ PB "(?:" NUMWORD_CY "\\s+)?" UNIT_CY "\\s+yn\\s+[oô]l" NB,
	  on_ago_cy, 0 },
	/* months and seasons */
	{ PB "(?:((?:back\\s+)?in|since|during|from|until|till|through|"
	  "throughout|of|last|(?:at\\s+)?(?:the\\s+)?(?:end|beginning|start|"
	  "middle)\\s+of)\\s+)(?:(early|late|mid|middle)[- ]?(?:of\\s+)?)?"
	  "(" MONTH_EN ")" NB "(?:\\s+(\\d{4})(?!\\d))?", on_month_period, 0 },
	{ PB "()()(" MONTH_EN ")\\s+(\\d{4})(?!\\d)", on_month_period, 0 },
	{ PB "()(early|late|mid)[- ](?:of\\s+)?(" MONTH_EN ")" NB
	  "(?:\\s+(\\d{4})(?!\\d))?", on_month_period, 0 },
	{ PB "((?:ym|ers|yn\\s+ystod|d?diwedd|d?dechrau|[cg]anol)\\s+)?"
	  "[mf]is\\s+()(" MONTH_CY ")" NB "(?:\\s+(\\d{4})(?!\\d)|\\s+"
	  "(d?diwethaf|y\\s+llynedd|llynedd|eleni)" NB ")?", on_month_period, 0 },
	{ PB "(?:(in|over|during|this|last|back\\s+in|since|through)\\s+"
	  "(?:the\\s+)?)(spring|summer|autumn|fall|winter)" NB
	  "(?:\\s+(?:of\\s+)?(\\d{4})(?!\\d))?", on_season, 0 },
	{ PB "(yn|dros|yn\\s+ystod|ers)\\s+yr?\\s+(haf|gwanwyn|hydref|gaeaf)"
	  NB "(?:\\s+(\\d{4})(?!\\d)|\\s+(d?diwethaf)" NB ")?", on_season, 0 },
	{ PB "()yr?\\s+(haf|gwanwyn|hydref|gaeaf)()\\s+(d?diwethaf)" NB,
	  on_season, 0 },
	/* last week, this month, yr wythnos diwethaf, y mis hwn */
	{ NOT_SPAN "(?:earlier\\s+)?(this|last|previous)\\s+(week|month|year)" NB,
	  on_relative_period, 0 },
	{ NOT_SPAN "earlier\\s+in\\s+the\\s+(year)" NB, on_relative_period, 0 },
	{ NOT_SPAN "(?:yn\\s+gynharach\\s+)?(?:yr?\\s+)?(wythnos|[mf]is|"
	  "[bf]lwyddyn)\\s+(d?diwethaf|hon|hwn|yma)" NB, on_relative_period, 0 },
	{ NOT_SPAN "(?:y\\s+)?(llynedd)|(?:yn\\s+gynharach\\s+)?(eleni)" NB,
	  on_relative_period, 0 },
};

/* Words before a date that mean it is not the matter: a birthday, or a
 * date still to come. */
#define SKIP_BEFORE "(?:(?:date\\s+of\\s+birth|\\bd\\.?o\\.?b\\b\\.?|\\bborn" \
	"(?:\\s+on)?|\\bdyddiad\\s+geni|\\bganwyd(?:\\s+ar)?|\\bgeni)" \
	"(?:\\s*(?:is|was|:|-))?|listed\\s+(?:for|on)|" \
	"adjourned\\s+(?:until|till|to)|(?<!was )(?<!were )\\bdue\\s+" \
	"(?:on|in|to\\s+\\w+(?:\\s+\\w+)?\\s+on)|\\buntil|\\btill|" \
	"\\bnext\\s+(?:hearing|date|court\\s+date)[^.]{0,20}|" \
	"\\bwill\\s+be[^.]{0,20}|\\btan|\\bhyd|\\berbyn|" \
	"\\b[bf]ydd(?:af|wn)?\\b[^.]{0,20})\\W*$"
/* Words before a bare weekday that make it the coming one, or any one. */
#define COMING_BEFORE "(?:\\b(?:will|due|going\\s+to|next|listed|until|till|" \
	"by|before|i'm\\s+in\\s+court|am\\s+in\\s+court|[bf]ydd|[bf]yddaf|" \
	"[bf]ydda|[bf]yddwn|yfory|tan|erbyn|cyn)\\b[^.!?]*|" \
	"\\b(?:every|each|bob|pob)\\s+|" \
	"\\b(?:is|are|it's|mae(?:'r\\s+\\w+)?)\\s+)$"
/* Words after a bare weekday that make it the coming one. */
#define COMING_AFTER "^\\s*(?:next|coming|nesaf|nesa|yma|hwn|sy'n\\s+dod)\\b"
/* Words before a date that make it the date of a letter or decision. */
#define DATED_BEFORE "(?:\\bdated|\\bdyddiedig|\\b(?:letter|e-?mail|decision|" \
	"notice)\\s+of)\\W*$"

struct compiled {
	GRegex	*re[G_N_ELEMENTS(patterns)];
	GRegex	*skip, *coming_before, *coming_after, *dated;
};

static GRegex *
compile(const char *source)
{
	GError	*error = NULL;
	GRegex	*re;

	re = g_regex_new(source, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0,
	    &error);
	if (re == NULL)
		g_error("dates.c: bad built-in pattern %s: %s", source,
		    error->message);
	return (re);
}

static const struct compiled *
compiled(void)
{
	static struct compiled	*c;
	size_t			 i;

	if (g_once_init_enter(&c)) {
		struct compiled	*n = g_new0(struct compiled, 1);

		for (i = 0; i < G_N_ELEMENTS(patterns); i++)
			n->re[i] = compile(patterns[i].source);
		n->skip = compile(SKIP_BEFORE);
		n->coming_before = compile(COMING_BEFORE);
		n->coming_after = compile(COMING_AFTER);
		n->dated = compile(DATED_BEFORE);
		g_once_init_leave(&c, n);
	}
	return (c);
}

static void
mention_free(gpointer p)
{
	struct date_mention	*m = p;

	if (m == NULL)
		return;
	g_free(m->phrase);
	g_free(m);
}

/*
 * The bytes of text just before offset (after, when after is set), whole
 * characters, zero-padded: the regex JIT reads words past the end.
 */
static char *
around(const char *text, gsize offset, gboolean after)
{
	const char	*start = text + offset, *end = start;
	int		 n;
	size_t		 len;
	char		*p;

	for (n = 0; !after && start > text && n < CONTEXT_BYTES; n++)
		start = g_utf8_find_prev_char(text, start);
	for (n = 0; after && *end != '\0' && n < CONTEXT_BYTES; n++)
		end = g_utf8_next_char(end);
	len = end - start;
	p = g_malloc0(len + 1 + 64);
	memcpy(p, start, len);
	return (p);
}

static gboolean
context_matches(GRegex *re, const char *text, gsize offset, gboolean after)
{
	char		*b = around(text, offset, after);
	gboolean	 r = g_regex_match(re, b, 0, NULL);

	g_free(b);
	return (r);
}

static int
by_position(gconstpointer a, gconstpointer b)
{
	const struct date_mention *x = *(struct date_mention *const *)a;
	const struct date_mention *y = *(struct date_mention *const *)b;

	if (x->start != y->start)
		return (x->start < y->start ? -1 : 1);
	if (x->end != y->end)
		return (x->end > y->end ? -1 : 1);
	return (0);
}

/* "May" as a month must be written with a capital: "this may be". */
static gboolean
modal_may(const char *text, const struct date_mention *m)
{
	const char	*p = text + m->start;
	const char	*end = text + m->end;

	for (; p + 3 <= end; p++)
		if (strncmp(p, "may", 3) == 0 &&
		    (p == text || !g_ascii_isalpha(p[-1])) &&
		    (p + 3 == end || !g_ascii_isalpha(p[3])))
			return (TRUE);
	return (FALSE);
}

GPtrArray *
dates_scan(const char *text, const GDate *ref)
{
	const struct compiled	*c = compiled();
	GPtrArray		*all, *out;
	size_t			 i;
	guint			 j;

	all = g_ptr_array_new_with_free_func(mention_free);
	out = g_ptr_array_new();
	if (text == NULL || ref == NULL || !g_date_valid(ref)) {
		g_ptr_array_set_free_func(out, mention_free);
		goto done;
	}

	for (i = 0; i < G_N_ELEMENTS(patterns); i++) {
		GMatchInfo	*mi = NULL;
		date_handler	 handler = patterns[i].handler;

		g_regex_match(c->re[i], text, 0, &mi);
		while (g_match_info_matches(mi)) {
			struct date_mention	*m;
			int			 s, e;

			g_match_info_fetch_pos(mi, 0, &s, &e);
			m = g_new0(struct date_mention, 1);
			g_date_clear(&m->first, 1);
			g_date_clear(&m->last, 1);
			m->start = s;
			m->end = e;
			if (handler(mi, ref, m) &&
			    (!(patterns[i].flags & MAYBE_COMING) ||
			    (!context_matches(c->coming_before, text, s, FALSE) &&
			    !context_matches(c->coming_after, text, e, TRUE)))) {
				m->phrase = g_strndup(text + s, e - s);
				g_ptr_array_add(all, m);
			} else
				g_free(m);
			g_match_info_next(mi, NULL);
		}
		g_match_info_free(mi);
	}

	/* Overlaps: the longer phrase says more. */
	g_ptr_array_sort(all, by_position);
	for (j = 0; j < all->len; j++) {
		struct date_mention	*m = g_ptr_array_index(all, j);
		struct date_mention	*prev = out->len > 0 ?
		    g_ptr_array_index(out, out->len - 1) : NULL;

		if (prev != NULL && m->start < prev->end) {
			if (m->end - m->start <= prev->end - prev->start)
				continue;
			g_ptr_array_remove_index(out, out->len - 1);
		}
		g_ptr_array_add(out, m);
	}
	/* out now holds the kept ones: all must not free them twice */
	for (j = 0; j < all->len; j++) {
		gpointer	p = g_ptr_array_index(all, j);
		guint		k;

		for (k = 0; k < out->len; k++)
			if (g_ptr_array_index(out, k) == p)
				break;
		if (k < out->len)
			all->pdata[j] = NULL;
	}
	g_ptr_array_set_free_func(out, mention_free);

	/* What is left: past dates of the matter. */
	for (j = 0; j < out->len; j++) {
		struct date_mention	*m = g_ptr_array_index(out, j);

		if (g_date_compare(&m->first, ref) > 0 || modal_may(text, m) ||
		    context_matches(c->skip, text, m->start, FALSE)) {
			g_ptr_array_remove_index(out, j--);
			continue;
		}
		if (g_date_compare(&m->last, ref) > 0)
			m->last = *ref;
		m->dated = context_matches(c->dated, text, m->start, FALSE);
	}
done:
	g_ptr_array_unref(all);
	return (out);
}

enum date_precision
dates_find(const char *text, const GDate *ref, struct matter_date *out)
{
	GPtrArray			*mentions = dates_scan(text, ref);
	const struct date_mention	*best = NULL;
	guint				 i;

	memset(out, 0, sizeof *out);
	g_date_clear(&out->first, 1);
	g_date_clear(&out->last, 1);
	for (i = 0; i < mentions->len; i++) {
		const struct date_mention *m = g_ptr_array_index(mentions, i);

		if (m->precision != DATE_DAY)
			continue;
		if (best == NULL || (m->dated && !best->dated) ||
		    (m->dated == best->dated &&
		    g_date_compare(&m->first, &best->first) >= 0))
			best = m;
	}
	for (i = 0; best == NULL && i < mentions->len; i++) {
		const struct date_mention *m = g_ptr_array_index(mentions, i);
		guint	k;

		if (m->precision != DATE_PERIOD)
			continue;
		best = m;
		for (k = i + 1; k < mentions->len; k++) {
			const struct date_mention *o =
			    g_ptr_array_index(mentions, k);

			if (o->precision == DATE_PERIOD &&
			    g_date_compare(&o->last, &best->last) >= 0)
				best = o;
		}
	}
	if (best != NULL) {
		out->precision = best->precision;
		out->first = best->first;
		out->last = best->last;
		out->phrase = g_strdup(best->phrase);
	}
	g_ptr_array_unref(mentions);
	return (out->precision);
}

void
matter_date_clear(struct matter_date *md)
{
	g_free(md->phrase);
	md->phrase = NULL;
	md->precision = DATE_UNKNOWN;
}

enum out_of_time
dates_out_of_time(const struct matter_date *md, const GDate *ref)
{
	GDate	line = *ref;

	if (md->precision == DATE_UNKNOWN || !g_date_valid(ref))
		return (OUT_OF_TIME_UNKNOWN);
	g_date_subtract_months(&line, 6);
	if (g_date_compare(&md->last, &line) < 0)
		return (OUT_OF_TIME_YES);
	if (g_date_compare(&md->first, &line) >= 0)
		return (OUT_OF_TIME_NO);
	return (OUT_OF_TIME_UNKNOWN);
}
