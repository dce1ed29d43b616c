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

#define WEEKDAYS "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
#define WEEKDAY "(" WEEKDAYS ")"
#define MONTH_EN "january|february|march|april|may|june|july|august|" \
	"september|october|november|december"
#define MONTH_ABBR "sept|sep|jan|feb|mar|apr|jun|jul|aug|oct|nov|dec"
#define MONTH_CY "ionawr|chwefror|mawrth|ebrill|mai|mehefin|gorffennaf|" \
	"awst|medi|hydref|tachwedd|rhagfyr"
#define MONTH_ANY "(?:" MONTH_EN "|" MONTH_CY "|(?:" MONTH_ABBR ")\\.?)"
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

static const char *const weekday_names[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};

/* Welsh weekdays after "dydd", in GDateWeekday order. */
static const char *const weekday_names_cy[] = {
	"llun", "mawrth", "mercher", "iau", "gwener", "sadwrn", "sul"
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

/* The 22nd of last month, the 3rd of this month. */
static gboolean
on_day_of_month(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*dn = group(mi, 1), *dw = group(mi, 2);
	char		*which = group(mi, 3);
	int		 d, mo = g_date_get_month(ref), y = ref_year(ref);

	d = dn != NULL ? atoi(dn) : dw != NULL ? ordinal_number(dw) : 0;
	if (which != NULL && strcmp(which, "last") == 0) {
		if (--mo == 0) {
			mo = 12;
			y--;
		}
	} else if (which != NULL && strcmp(which, "next") == 0) {
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

static int
weekday_index(const char *name, const char *const *names)
{
	int	i;

	for (i = 0; i < 7; i++)
		if (g_str_has_prefix(name, names[i]))
			return (i + 1);
	return (0);
}

/* The most recent wd strictly before ref. */
static void
last_weekday(const GDate *ref, int wd, GDate *out)
{
	int	back = (int)g_date_get_weekday(ref) - wd;

	if (back <= 0)
		back += 7;
	*out = *ref;
	g_date_subtract_days(out, back);
}

/* "Monday last week", "Tuesday of last week": in the previous week, weeks
 * starting on Monday. */
static gboolean
on_weekday_last_week(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*name = group(mi, 1);
	int	 wd = weekday_index(name, weekday_names);
	GDate	 d = *ref;

	g_free(name);
	if (wd == 0)
		return (FALSE);
	g_date_subtract_days(&d, g_date_get_weekday(ref) - 1 + 7);
	g_date_add_days(&d, wd - 1);
	return (set_one_day(m, &d));
}

/* "last Thursday", "on Monday", "Friday just gone". */
static gboolean
on_weekday(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*name = group(mi, 1);
	int	 wd;
	GDate	 d;

	if (name == NULL)
		name = group(mi, 2);
	wd = name != NULL ? weekday_index(name, weekday_names) : 0;
	g_free(name);
	if (wd == 0)
		return (FALSE);
	last_weekday(ref, wd, &d);
	return (set_one_day(m, &d));
}

/* "dydd Mawrth diwethaf": last Tuesday, in Welsh. */
static gboolean
on_weekday_cy(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*name = group(mi, 1);
	int	 wd = weekday_index(name, weekday_names_cy);
	GDate	 d;

	g_free(name);
	if (wd == 0)
		return (FALSE);
	last_weekday(ref, wd, &d);
	return (set_one_day(m, &d));
}

static gboolean
on_named_day(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char	*w = group(mi, 1);
	GDate	 d = *ref;

	if (strstr(w, "before yesterday") != NULL)
		g_date_subtract_days(&d, 2);
	else if (strcmp(w, "yesterday") == 0 || strcmp(w, "ddoe") == 0 ||
	    strcmp(w, "last night") == 0 || strcmp(w, "neithiwr") == 0)
		g_date_subtract_days(&d, 1);
	g_free(w);
	return (set_one_day(m, &d));
}

/* "two weeks ago", "a fortnight ago" are days; "3 months ago", "a few
 * weeks ago" are periods around the day they point at. */
static gboolean
on_ago(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*num = group(mi, 1), *unit = group(mi, 2);
	int		 n = count_number(num);
	GDate		 first = *ref, last = *ref;
	gboolean	 ok = FALSE;

	if (n == 0 || n > 400)
		goto out;
	if (g_str_has_prefix(unit, "day") || g_str_has_prefix(unit, "week") ||
	    g_str_has_prefix(unit, "fortnight")) {
		int	days = g_str_has_prefix(unit, "day") ? 1 :
		    g_str_has_prefix(unit, "week") ? 7 : 14;

		if (n > 0) {
			g_date_subtract_days(&first, n * days);
			ok = set_one_day(m, &first);
		} else {
			/* a few: between two and six of them */
			g_date_subtract_days(&first, 6 * days);
			g_date_subtract_days(&last, 2 * days);
			ok = set_period(m, &first, &last);
		}
	} else if (g_str_has_prefix(unit, "month")) {
		if (n < 0)
			n = 4;
		g_date_subtract_months(&first, n);
		last = first;
		g_date_subtract_days(&first, 15);
		g_date_add_days(&last, 15);
		ok = set_period(m, &first, &last);
	} else if (g_str_has_prefix(unit, "year")) {
		if (n < 0)
			n = 4;
		g_date_subtract_years(&first, n);
		last = first;
		g_date_subtract_months(&first, 6);
		g_date_add_months(&last, 6);
		ok = set_period(m, &first, &last);
	}
out:
	g_free(num);
	g_free(unit);
	return (ok);
}

/*
 * "in July", "back in January", "since May", "at the end of September",
 * "March 2025", "ym mis Mehefin". A month without a year is this year's;
 * "last"/"back in" mean the most recent one already begun before this
 * month.
 */
static gboolean
on_month_period(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*pre = group(mi, 1), *part = group(mi, 2);
	char		*mon = group(mi, 3), *yr = group(mi, 4);
	int		 mo = mon != NULL ? month_number(mon) : 0;
	int		 y = ref_year(ref), from = 1, to = 31;
	gboolean	 ok;

	if (yr != NULL)
		y = atoi(yr);
	else if (pre != NULL && (g_str_has_prefix(pre, "last") ||
	    g_str_has_prefix(pre, "back")) &&
	    mo >= (int)g_date_get_month(ref))
		y--;
	if (part == NULL && pre != NULL && strstr(pre, "end") != NULL)
		part = g_strdup("late");
	if (part == NULL && pre != NULL && (strstr(pre, "beginning") != NULL ||
	    strstr(pre, "start") != NULL))
		part = g_strdup("early");
	if (part == NULL && pre != NULL && strstr(pre, "middle") != NULL)
		part = g_strdup("mid");
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
	return (ok);
}

/* Seasons, meteorological: spring is March to May. Winter belongs to the
 * year its January is in. */
static gboolean
on_season(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*pre = group(mi, 1), *season = group(mi, 2);
	char		*yr = group(mi, 3);
	int		 start, y;
	GDate		 first, last;
	gboolean	 ok;

	if (g_str_has_prefix(season, "spring"))
		start = 3;
	else if (g_str_has_prefix(season, "summer"))
		start = 6;
	else if (g_str_has_prefix(season, "autumn") ||
	    g_str_has_prefix(season, "fall"))
		start = 9;
	else
		start = 12;
	if (yr != NULL)
		y = atoi(yr) - (start == 12 ? 1 : 0);
	else {
		/* the most recent one begun by ref */
		y = ref_year(ref);
		g_date_clear(&first, 1);
		g_date_set_dmy(&first, 1, start, y);
		if (g_date_compare(&first, ref) > 0)
			y--;
		if (pre != NULL && strcmp(pre, "last") == 0) {
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
	return (ok);
}

/* last week/month/year, this week/month/year, earlier this year. */
static gboolean
on_relative_period(GMatchInfo *mi, const GDate *ref, struct date_mention *m)
{
	char		*w = group(mi, 1);
	GDate		 first = *ref, last = *ref;
	gboolean	 previous, ok = TRUE;

	previous = g_str_has_prefix(w, "last") ||
	    g_str_has_prefix(w, "previous") || strstr(w, "diwethaf") != NULL ||
	    strstr(w, "llynedd") != NULL;
	if (g_str_has_suffix(w, "week") || strstr(w, "wythnos") != NULL) {
		g_date_subtract_days(&first, g_date_get_weekday(ref) - 1);
		if (previous) {
			g_date_subtract_days(&first, 7);
			last = first;
			g_date_add_days(&last, 6);
		}
	} else if (g_str_has_suffix(w, "month") || strstr(w, "mis") != NULL) {
		g_date_set_day(&first, 1);
		if (previous) {
			g_date_subtract_months(&first, 1);
			last = first;
			g_date_add_months(&last, 1);
			g_date_subtract_days(&last, 1);
		}
	} else if (g_str_has_suffix(w, "year") || strstr(w, "llynedd") != NULL ||
	    strcmp(w, "eleni") == 0) {
		g_date_set_dmy(&first, 1, 1, ref_year(ref) - (previous ? 1 : 0));
		if (previous)
			g_date_set_dmy(&last, 31, 12, ref_year(ref) - 1);
	} else
		ok = FALSE;
	g_free(w);
	return (ok && set_period(m, &first, &last));
}

static const struct pattern patterns[] = {
	/* 3rd March 2026, the third of March, Tuesday 3 March this year */
	{ PB "(?:(?:" WEEKDAYS "),?\\s+)?(?:the\\s+)?(?:(\\d{1,2})(?:st|nd|rd|th)?|"
	  "(" ORDWORD "))(?:\\s+of)?\\s+(" MONTH_ANY ")" NB
	  "(?:,?\\s+(\\d{4})(?!\\d)|\\s+(this year|last year|eleni|"
	  "y llynedd|llynedd)" NB ")?", on_day_month },
	{ PB "(" MONTH_EN "|(?:" MONTH_ABBR ")\\.?)\\s+(?:the\\s+)?(\\d{1,2})"
	  "(?:st|nd|rd|th)?" NB "(?:,?\\s+(\\d{4})(?!\\d))?", on_month_day },
	{ "(?<![\\w/.-])(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})"
	  "(?![\\w/-]|\\.\\d)", on_numeric },
	{ "(?<![\\w/.-])(\\d{4})-(\\d{1,2})-(\\d{1,2})" NB, on_iso },
	{ PB "(?:the\\s+)?(?:(\\d{1,2})(?:st|nd|rd|th)?|(" ORDWORD "))\\s+of\\s+"
	  "(this|last|next|the)\\s+month" NB, on_day_of_month },
	{ PB "the\\s+(\\d{1,2})(?:st|nd|rd|th)" NB "(?!\\s+(?:time|hearing|"
	  "trial|letter|floor|e-?mail|call|attempt|occasion|one|person|"
	  "witness|count|charge|offence|defendant|day|week|month|year|"
	  "century|birthday|anniversary)s?" NB ")", on_day_alone },
	{ PB "(?:on\\s+)?" WEEKDAY "(?:\\s+of|\\s+in)?\\s+(?:the\\s+)?"
	  "(?:last|previous)\\s+week" NB, on_weekday_last_week },
	{ PB "last\\s+week\\s+on\\s+" WEEKDAY NB, on_weekday_last_week },
	{ PB "(?:(?:last|this\\s+past|this\\s+last|on)\\s+" WEEKDAY
	  "|" WEEKDAY "\\s+just\\s+gone)" NB, on_weekday },
	{ PB "(?:was|were)\\s+(?:meant|supposed|due|booked|arranged|set|promised)"
	  "\\s+(?:to\\s+be\\s+|for\\s+)(?:on\\s+)?" WEEKDAY NB, on_weekday },
	{ PB "d?dydd\\s+(llun|mawrth|mercher|iau|gwener|sadwrn|sul)\\s+"
	  "diwethaf" NB, on_weekday_cy },
	{ PB "(the day before yesterday|yesterday|today|this morning|"
	  "this afternoon|last night|earlier today|ddoe|heddiw|neithiwr)" NB,
	  on_named_day },
	{ PB NUMWORD "\\s+(days?|weeks?|fortnights?|months?|years?)\\s+ago" NB,
	  on_ago },
	{ PB "(?:((?:back\\s+)?in|since|during|from|until|till|through|"
	  "throughout|of|last|(?:at\\s+)?(?:the\\s+)?(?:end|beginning|start|"
	  "middle)\\s+of)\\s+)(?:(early|late|mid|middle)[- ]?(?:of\\s+)?)?"
	  "(" MONTH_EN ")" NB "(?:\\s+(\\d{4})(?!\\d))?", on_month_period },
	{ PB "()()(" MONTH_EN ")\\s+(\\d{4})(?!\\d)", on_month_period },
	{ PB "()(early|late|mid)[- ](?:of\\s+)?(" MONTH_EN ")" NB
	  "(?:\\s+(\\d{4})(?!\\d))?", on_month_period },
	{ PB "(ym)\\s+mis\\s+()(" MONTH_CY ")" NB "(?:\\s+(\\d{4})(?!\\d))?",
	  on_month_period },
	{ PB "(?:(in|over|during|this|last|back\\s+in|since|through)\\s+"
	  "(?:the\\s+)?)(spring|summer|autumn|fall|winter)" NB
	  "(?:\\s+(?:of\\s+)?(\\d{4})(?!\\d))?", on_season },
	{ "(?<![\\w]|the\\s)(last week|last month|last year|this week|"
	  "this month|this year|earlier this week|earlier this month|"
	  "earlier this year|earlier in the year|previous week|previous month|"
	  "yr wythnos diwethaf|wythnos diwethaf|y mis diwethaf|mis diwethaf|"
	  "y llynedd|llynedd|eleni)" NB, on_relative_period },
};

/* Words before a date that mean it is not the matter: a birthday, or a
 * date still to come. */
#define SKIP_BEFORE "(?:(?:date\\s+of\\s+birth|\\bd\\.?o\\.?b\\b\\.?|\\bborn" \
	"(?:\\s+on)?)(?:\\s*(?:is|was|:|-))?|listed\\s+(?:for|on)|adjourned\\s+(?:until|till|to)|" \
	"(?<!was )(?<!were )\\bdue\\s+(?:on|in|to\\s+\\w+(?:\\s+\\w+)?\\s+on)|\\buntil|\\btill|" \
	"\\bnext\\s+(?:hearing|date|court\\s+date)[^.]{0,20}|" \
	"\\bwill\\s+be[^.]{0,20})\\W*$"
/* Words before a weekday that make it the coming one. */
#define FUTURE_BEFORE "\\b(?:will|due|going\\s+to|next|listed|until|till|" \
	"by|before|i'm\\s+in\\s+court|am\\s+in\\s+court)\\b[^.!?]*$"
/* Words before a date that make it the date of a letter or decision. */
#define DATED_BEFORE "(?:\\bdated|\\bdyddiedig|\\b(?:letter|e-?mail|decision|" \
	"notice)\\s+of)\\W*$"

struct compiled {
	GRegex	*re[G_N_ELEMENTS(patterns)];
	GRegex	*skip, *future, *dated;
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
		n->future = compile(FUTURE_BEFORE);
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

/* The bytes of text just before offset, starting at a character. */
static char *
before(const char *text, gsize offset)
{
	const char	*start = text + offset;
	int		 n = 0;

	size_t		 len;
	char		*p;

	while (start > text && n < CONTEXT_BYTES) {
		start = g_utf8_find_prev_char(text, start);
		n++;
	}
	/* zero-padded: the regex JIT reads words past the end */
	len = text + offset - start;
	p = g_malloc0(len + 1 + 64);
	memcpy(p, start, len);
	return (p);
}

static gboolean
context_matches(GRegex *re, const char *text, gsize offset)
{
	char		*b = before(text, offset);
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
			if (handler(mi, ref, m)) {
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
		gboolean		 drop = FALSE;

		if (g_date_compare(&m->first, ref) > 0 || modal_may(text, m) ||
		    context_matches(c->skip, text, m->start))
			drop = TRUE;
		else if (m->precision == DATE_DAY &&
		    g_ascii_strncasecmp(m->phrase, "on ", 3) == 0 &&
		    context_matches(c->future, text, m->start))
			drop = TRUE;
		if (drop) {
			g_ptr_array_remove_index(out, j--);
			continue;
		}
		if (g_date_compare(&m->last, ref) > 0)
			m->last = *ref;
		m->dated = context_matches(c->dated, text, m->start);
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
