/*
 * calendar.h: working days and calendar months in England and Wales.
 *
 * A working day is a weekday that is not an England-and-Wales bank
 * holiday. The holidays come from the official list (the format of
 * https://www.gov.uk/bank-holidays.json), which covers whole years only:
 * a date outside the years it covers is never treated as holiday-free,
 * the functions that count refuse it instead and say how to refresh the
 * list (`redress calendar update FILE`).
 *
 * The rules (DOMAIN.md "Time limits"):
 * - N working days from receipt: day 1 is the first working day after the
 *   day of receipt, whatever day that was (received Sat 19 Dec 2026: day 1
 *   is Mon 21 Dec), and the limit falls on day N.
 * - A clock stop (awaiting authority) covers whole days, both ends
 *   included; the working days inside it are not counted, so counting
 *   resumes on the first working day after it, as after receipt.
 * - An extension (holding letter) adds working days to the limit.
 * - One calendar month from a date is the same day number in the month
 *   after, or that month's last day when it is shorter: 31 Jan + 1 month
 *   is 28 Feb (29 Feb in a leap year), 29 Feb 2024 + 12 months is
 *   28 Feb 2025. The stage 2 and IAC windows are exactly that date (mail
 *   can arrive on any day, so it is not moved).
 * - A subject access request is due one calendar month from receipt, the
 *   day of receipt being day one (received 3 Sep, due 3 Oct), moved to the
 *   next working day when that date is a weekend or bank holiday (the
 *   ICO's guidance).
 *
 * Dates are GDate days in England and Wales; calendar_local_date() turns
 * a clock time into one.
 *
 * Ownership: struct calendar owns its holidays and name; pointers into it
 * (struct holiday, titles) live as long as it. struct deadline_calc owns
 * everything in it, strings included; free it with deadline_calc_free().
 * Returned char * are the caller's (g_free). Input arrays are borrowed.
 */
#ifndef REDRESS_CALENDAR_H
#define REDRESS_CALENDAR_H

#include <glib.h>

/* Where an operator gets a current list. */
#define CALENDAR_SOURCE_URL "https://www.gov.uk/bank-holidays.json"

struct calendar;

struct holiday {
	GDate		 date;
	const char	*title;		/* "Boxing Day" */
	const char	*notes;		/* "Substitute day", or "" */
};

/*
 * Read the official JSON text, taking only the england-and-wales
 * division. name is what errors call the text (the file name). Every
 * error names it and what is wrong, e.g. "NAME: england-and-wales event
 * 12 has date '2022-13-01', expected YYYY-MM-DD".
 */
int		 calendar_parse(const char *name, const char *json, size_t len,
		     struct calendar **, char **cause);
/* Read the file at path and parse it. */
int		 calendar_load(const char *path, struct calendar **,
		     char **cause);
void		 calendar_free(struct calendar *);

const char	*calendar_name(const struct calendar *);
/* The bank holidays, in date order, of struct holiday *. Borrowed. */
const GPtrArray	*calendar_holidays(const struct calendar *);
/* The days the list covers: 1 January of its first year to 31 December
 * of its last. */
void		 calendar_coverage(const struct calendar *, GDate *first,
		     GDate *last);
gboolean	 calendar_covers(const struct calendar *, const GDate *);
/* The bank holiday on that day, or NULL. */
const struct holiday *calendar_holiday(const struct calendar *,
		     const GDate *);
/* A weekday that is not a bank holiday. Outside the coverage only
 * weekends are known: check calendar_covers() first when it matters. */
gboolean	 calendar_is_working_day(const struct calendar *,
		     const GDate *);

/* Why a day between receipt and the limit was not counted. */
enum skip_reason {
	SKIP_WEEKEND,
	SKIP_HOLIDAY,
	SKIP_STOPPED		/* a working day inside a clock stop */
};

struct skipped_day {
	GDate		 date;
	enum skip_reason reason;
	const char	*why;	/* "weekend", "Boxing Day, substitute day",
				   or the stop's reason */
};

/* The clock did not run from `from` to `to`, both included. */
struct clock_stop {
	GDate		 from;
	GDate		 to;
	const char	*why;	/* "awaiting authority" */
};

/* The limit was extended by this many working days. */
struct clock_extension {
	int		 days;
	const char	*why;	/* "holding letter: expert report awaited" */
};

/* How a limit was worked out, so anyone can check it. */
struct deadline_calc {
	GDate		 received;
	int		 days;		/* the limit, before extensions */
	int		 extra_days;	/* the extensions, added up */
	GDate		 first;		/* working day 1 */
	GDate		 due;		/* working day days + extra_days */
	GArray		*skipped;	/* of struct skipped_day, date order,
					   from the day after receipt to due */
	GArray		*stops;		/* of struct clock_stop, as given */
	GArray		*extensions;	/* of struct clock_extension */
	GStringChunk	*strings;	/* every const char * above */
};

/*
 * The day `days` working days after received (days >= 1). Returns -1
 * with *cause when the count would leave the years the list covers.
 */
int		 calendar_add_working_days(const struct calendar *,
		     const GDate *received, int days, struct deadline_calc **,
		     char **cause);
/*
 * The same with clock stops and extensions (each array may be NULL).
 * Stops may overlap and come in any order; a stop must have both ends
 * (while the clock is still stopped there is no due date), and an
 * extension at least one day.
 */
int		 calendar_deadline(const struct calendar *,
		     const GDate *received, int days,
		     const GArray *stops /* of struct clock_stop */,
		     const GArray *extensions /* of struct clock_extension */,
		     struct deadline_calc **, char **cause);
void		 deadline_calc_free(struct deadline_calc *);
/* Several lines of text, each ending in a newline: receipt, day 1, every
 * day not counted and why, stops, extensions, due date. */
char		*deadline_calc_explain(const struct deadline_calc *);

/* from + months (negative goes back), clamped to the month's last day. */
void		 calendar_add_months(const GDate *from, int months,
		     GDate *out);
/* The subject access request due date for one received on `received`. */
int		 calendar_sar_due(const struct calendar *,
		     const GDate *received, GDate *due, char **cause);

/* The day in England and Wales (Europe/London) at Unix time t. */
void		 calendar_local_date(gint64 t, GDate *out);
/* Strict YYYY-MM-DD; FALSE when it is not a real date. */
gboolean	 calendar_parse_date(const char *s, GDate *out);
/* "2027-01-20" and "Wed 20 Jan 2027" (English whatever the locale). */
char		*calendar_date_iso(const GDate *);
char		*calendar_date_text(const GDate *);
/* "Friday 18 December 2026" or "Dydd Gwener 18 Rhagfyr 2026": a date as
 * letters write it, in lang "en" or "cy". Caller frees. */
char		*calendar_date_letter(const GDate *, const char *lang);

#endif
