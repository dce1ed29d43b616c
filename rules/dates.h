/*
 * dates.h: the date of the matter complained of, from the ways people
 * write dates ("3rd March", "15/04/2026", "last Tuesday", "Sunday night",
 * "back in January", "two weeks ago", "17 Chwefror eleni", "ddydd
 * Mawrth", "bythefnos yn ôl"), relative to a reference day (the local
 * date of the message's Date header; rules/README lists the forms).
 *
 * Pure: text and reference in, dates out; no clock, no I/O.
 *
 * Ownership: a struct date_mention owns its phrase; dates_scan() returns a
 * GPtrArray that frees its elements. dates_find() fills a struct
 * matter_date whose phrase the caller frees with matter_date_clear().
 */
#ifndef REDRESS_DATES_H
#define REDRESS_DATES_H

#include <glib.h>

#include "schema.h"

enum date_precision {
	DATE_UNKNOWN,		/* nothing could be worked out */
	DATE_DAY,		/* one day: first == last */
	DATE_PERIOD		/* a vague period: a month, season, week... */
};

/* One date written in the text. */
struct date_mention {
	enum date_precision precision;
	GDate		 first;		/* the day, or first day of the period */
	GDate		 last;		/* the day, or last day of the period */
	gboolean	 dated;		/* introduced by "dated"/"letter of":
					   the date of a letter or decision */
	gsize		 start, end;	/* byte offsets of the phrase */
	char		*phrase;	/* the words, as written */
};

/*
 * Every past date mentioned in text (UTF-8), in text order. Dates of
 * birth and dates after ref (future hearings) are left out; a period is
 * kept when it began on or before ref and is clipped to end at ref.
 */
GPtrArray	*dates_scan(const char *text, const GDate *ref);

/* The date the matter happened, chosen among dates_scan()'s mentions. */
struct matter_date {
	enum date_precision precision;
	GDate		 first, last;
	char		*phrase;	/* or NULL when unknown */
};

/*
 * Choose the date of the matter (see rules/README for the heuristic):
 * the latest day mentioned, a "dated" day first; with no day, the latest
 * period. Returns the precision (DATE_UNKNOWN when nothing was found).
 */
enum date_precision dates_find(const char *text, const GDate *ref,
		     struct matter_date *out);
void		 matter_date_clear(struct matter_date *);

/*
 * The six-month rule: OUT_OF_TIME_YES when the matter lies wholly more
 * than six calendar months before ref, _NO when wholly within, _UNKNOWN
 * when the date is unknown or a period straddles the line.
 */
enum out_of_time dates_out_of_time(const struct matter_date *,
		     const GDate *ref);

#endif
