/*
 * test-calendar.c: bank holidays, working days, calendar months.
 *
 * The due dates below were worked out by hand, day by day, each with its
 * reasoning; they use the shipped contrib/bank-holidays.json, which is
 * itself checked here against the rules that make the England-and-Wales
 * list (Easter, first and last Mondays, substitute days, one-off days).
 */
#include <stdlib.h>

#include "calendar.h"
#include "tests/tap.h"

static struct calendar *cal;

static void
date_of(const char *iso, GDate *d)
{
	if (!calendar_parse_date(iso, d)) {
		printf("Bail out! bad date %s in the test itself\n", iso);
		exit(1);
	}
}

static const char *
or_null(const char *s)
{
	return (s != NULL ? s : "(null)");
}

static void
is_date(const GDate *got, const char *want, const char *what)
{
	char	*s = g_date_valid(got) ? calendar_date_iso(got) :
	    g_strdup("(invalid)");

	is_str(s, want, what);
	g_free(s);
}

/* ---- the shipped list against the rules ---- */

/* Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
static void
easter(int y, GDate *d)
{
	int	a = y % 19, b = y / 100, c = y % 100, e = b % 4, f;
	int	g, h, i = c / 4, k = c % 4, l, m, month, day;

	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - b / 4 - g + 15) % 30;
	l = (32 + 2 * e + 2 * i - h - k) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	month = (h + l - 7 * m + 114) / 31;
	day = (h + l - 7 * m + 114) % 31 + 1;
	g_date_clear(d, 1);
	g_date_set_dmy(d, day, month, y);
}

static void
monday(int y, int month, gboolean last, GDate *d)
{
	g_date_clear(d, 1);
	if (last) {
		g_date_set_dmy(d, g_date_get_days_in_month(month, y), month,
		    y);
		while (g_date_get_weekday(d) != G_DATE_MONDAY)
			g_date_subtract_days(d, 1);
	} else {
		g_date_set_dmy(d, 1, month, y);
		while (g_date_get_weekday(d) != G_DATE_MONDAY)
			g_date_add_days(d, 1);
	}
}

static gboolean
weekend(const GDate *d)
{
	return (g_date_get_weekday(d) >= G_DATE_SATURDAY);
}

static void
expect(GPtrArray *want, const GDate *d, const char *title, gboolean subst)
{
	g_ptr_array_add(want, g_strdup_printf("%04u-%02u-%02u %s%s",
	    g_date_get_year(d), g_date_get_month(d), g_date_get_day(d), title,
	    subst ? " (substitute day)" : ""));
}

static void
expect_dmy(GPtrArray *want, int day, int month, int y, const char *title)
{
	GDate	d;

	g_date_clear(&d, 1);
	g_date_set_dmy(&d, day, month, y);
	expect(want, &d, title, FALSE);
}

/* What the rules give for one year, in date order. */
static void
rules_year(GPtrArray *want, int y)
{
	GDate	d, xmas, boxing;

	g_date_clear(&d, 1);
	g_date_set_dmy(&d, 1, 1, y);
	/* New Year's Day moves to the Monday after a weekend. */
	if (weekend(&d)) {
		while (weekend(&d))
			g_date_add_days(&d, 1);
		expect(want, &d, "New Year’s Day", TRUE);
	} else
		expect(want, &d, "New Year’s Day", FALSE);
	easter(y, &d);
	g_date_subtract_days(&d, 2);
	expect(want, &d, "Good Friday", FALSE);
	g_date_add_days(&d, 3);
	expect(want, &d, "Easter Monday", FALSE);
	if (y == 2020)		/* moved to Friday 8 May for VE Day */
		expect_dmy(want, 8, 5, y, "Early May bank holiday (VE day)");
	else {
		monday(y, 5, FALSE, &d);
		expect(want, &d, "Early May bank holiday", FALSE);
	}
	if (y == 2023)
		expect_dmy(want, 8, 5, y,
		    "Bank holiday for the coronation of King Charles III");
	if (y == 2022) {	/* moved to Thursday 2 June for the Jubilee */
		expect_dmy(want, 2, 6, y, "Spring bank holiday");
		expect_dmy(want, 3, 6, y, "Platinum Jubilee bank holiday");
	} else {
		monday(y, 5, TRUE, &d);
		expect(want, &d, "Spring bank holiday", FALSE);
	}
	monday(y, 8, TRUE, &d);
	expect(want, &d, "Summer bank holiday", FALSE);
	if (y == 2022)
		expect_dmy(want, 19, 9, y, "Bank Holiday for the State "
		    "Funeral of Queen Elizabeth II");
	/* Christmas and Boxing Day: a day on a weekend moves to the next
	 * weekday that is not already the other one. */
	g_date_clear(&xmas, 1);
	g_date_set_dmy(&xmas, 25, 12, y);
	boxing = xmas;
	g_date_add_days(&boxing, 1);
	if (!weekend(&xmas) && !weekend(&boxing)) {
		expect(want, &xmas, "Christmas Day", FALSE);
		expect(want, &boxing, "Boxing Day", FALSE);
	} else if (!weekend(&xmas)) {		/* Fri + Sat */
		expect(want, &xmas, "Christmas Day", FALSE);
		g_date_add_days(&boxing, 2);
		expect(want, &boxing, "Boxing Day", TRUE);
	} else if (!weekend(&boxing)) {		/* Sun + Mon */
		expect(want, &boxing, "Boxing Day", FALSE);
		g_date_add_days(&xmas, 2);
		expect(want, &xmas, "Christmas Day", TRUE);
	} else {				/* Sat + Sun */
		g_date_add_days(&xmas, 2);
		expect(want, &xmas, "Christmas Day", TRUE);
		g_date_add_days(&boxing, 2);
		expect(want, &boxing, "Boxing Day", TRUE);
	}
}

static void
test_shipped_list(void)
{
	const GPtrArray	*hs = calendar_holidays(cal);
	const struct holiday *h;
	GPtrArray	*want = g_ptr_array_new_with_free_func(g_free);
	GPtrArray	*got = g_ptr_array_new_with_free_func(g_free);
	GDate		 first, last;
	guint		 i;
	int		 y;

	for (y = 2018; y <= 2027; y++)
		rules_year(want, y);
	for (i = 0; i < hs->len; i++) {
		h = hs->pdata[i];
		expect(got, &h->date, h->title,
		    g_str_equal(h->notes, "Substitute day"));
	}
	ok(hs->len == 83, "the shipped list has 83 England and Wales bank "
	    "holidays for 2018-2027 (got %u)", hs->len);
	for (i = 0; i < want->len && i < got->len; i++)
		if (!g_str_equal(want->pdata[i], got->pdata[i]))
			break;
	ok(i == want->len && i == got->len, "the shipped list matches the "
	    "rules, substitute days and one-off days for 2018-2027 (first "
	    "difference: list '%s', rules '%s')",
	    i < got->len ? (char *)got->pdata[i] : "(end)",
	    i < want->len ? (char *)want->pdata[i] : "(end)");
	calendar_coverage(cal, &first, &last);
	is_date(&first, "2018-01-01", "the shipped list covers from "
	    "2018-01-01");
	is_date(&last, "2027-12-31", "the shipped list covers to 2027-12-31");
	g_ptr_array_unref(want);
	g_ptr_array_unref(got);
}

/* ---- working days, by hand ---- */

struct row {
	const char	*received;
	int		 days;
	const char	*due;
};

static const struct row table[] = {
	/* DOMAIN.md's example. Fri 18 Dec 2026: Mon 21-Thu 24 are days 1-4,
	 * Fri 25 Christmas, Mon 28 Boxing Day (substitute, 26th is a Sat),
	 * Tue 29-Thu 31 days 5-7, Fri 1 Jan New Year's Day, Mon 4-Fri 8
	 * days 8-12, 11-15 days 13-17, Mon 18, Tue 19, Wed 20 days 18-20. */
	{ "2026-12-18", 20, "2027-01-20" },
	/* Received on the Saturday: day 1 is still Mon 21 Dec, so the same
	 * due date as the Friday. */
	{ "2026-12-19", 20, "2027-01-20" },
	/* Received on a bank holiday, Fri 25 Dec 2026: Mon 28 is the Boxing
	 * Day substitute, Tue 29-Thu 31 days 1-3, Fri 1 Jan holiday, Jan
	 * 4-8 days 4-8, 11-15 9-13, 18-22 14-18, Mon 25 19, Tue 26 20. */
	{ "2026-12-25", 20, "2027-01-26" },
	/* Christmas 2020 (Boxing Day Sat 26, substitute Mon 28). Thu 24
	 * Dec: Fri 25 and Mon 28 holidays, Tue 29-Thu 31 days 1-3, Fri 1
	 * Jan holiday, Jan 4-8 4-8, 11-15 9-13, 18-22 14-18, Mon 25 19,
	 * Tue 26 20. */
	{ "2020-12-24", 20, "2021-01-26" },
	/* Christmas 2021: 25th Sat and 26th Sun, substitutes Mon 27 and Tue
	 * 28; New Year's Day Sat 1 Jan, substitute Mon 3. Fri 24 Dec: Wed
	 * 29-Fri 31 days 1-3, Tue 4-Fri 7 Jan 4-7, 10-14 8-12, 17-21
	 * 13-17, Mon 24 18, Tue 25 19, Wed 26 20. */
	{ "2021-12-24", 20, "2022-01-26" },
	/* Christmas 2022: 25th Sun, Boxing Day Mon 26, Christmas substitute
	 * Tue 27; New Year's Day Sun 1 Jan, substitute Mon 2. Fri 23 Dec:
	 * Wed 28-Fri 30 days 1-3, Tue 3-Fri 6 Jan 4-7, 9-13 8-12, 16-20
	 * 13-17, Mon 23 18, Tue 24 19, Wed 25 20. */
	{ "2022-12-23", 20, "2023-01-25" },
	/* Acknowledgement, 3 working days, same receipt: Wed 28, Thu 29,
	 * Fri 30 Dec 2022. */
	{ "2022-12-23", 3, "2022-12-30" },
	/* Christmas 2019 (both weekdays). Mon 23 Dec: Tue 24 day 1, Wed 25
	 * and Thu 26 holidays, Fri 27 day 2, Mon 30 3, Tue 31 4, Wed 1 Jan
	 * holiday, Thu 2 Jan 5. */
	{ "2019-12-23", 5, "2020-01-02" },
	/* New Year 2023 substitute: Fri 30 Dec 2022, then Sat, Sun, Mon 2
	 * Jan (substitute): day 1 is Tue 3 Jan. */
	{ "2022-12-30", 1, "2023-01-03" },
	/* Christmas 2027 (Sat and Sun, substitutes Mon 27 and Tue 28), the
	 * end of the list: Thu 23 Dec, Fri 24 day 1, Wed 29 day 2. */
	{ "2027-12-23", 2, "2027-12-29" },
	/* Easter 2025 (Sunday 20 April): Thu 17 Apr, Fri 18 Good Friday,
	 * Mon 21 Easter Monday, Tue 22-Thu 24 days 1-3. */
	{ "2025-04-17", 3, "2025-04-24" },
	/* Easter 2026 (Sunday 5 April): Wed 1 Apr, Thu 2 day 1, Fri 3 and
	 * Mon 6 holidays, Tue 7-Fri 10 2-5, 13-17 6-10, 20-24 11-15, Mon
	 * 27-Fri 1 May 16-20. */
	{ "2026-04-01", 20, "2026-05-01" },
	/* Easter 2027 (Sunday 28 March): Thu 25 Mar, Fri 26 and Mon 29
	 * holidays, Tue 30-Fri 2 Apr 1-4, 5-9 5-9, 12-16 10-14, 19-23
	 * 15-19, Mon 26 Apr 20. */
	{ "2027-03-25", 20, "2027-04-26" },
	/* IAC, 40 working days over Easter 2024 (Sunday 31 March): Fri 1
	 * Mar, Mar 4-8 1-5, 11-15 6-10, 18-22 11-15, Mon 25-Thu 28 16-19,
	 * Fri 29 and Mon 1 Apr holidays, Tue 2-Fri 5 20-23, 8-12 24-28,
	 * 15-19 29-33, 22-26 34-38, Mon 29 39, Tue 30 Apr 40. */
	{ "2024-03-01", 40, "2024-04-30" },
	/* IAC, 40 working days over Christmas 2026: Mon 2 Nov, Tue 3-Fri 6
	 * 1-4, then five whole weeks to Fri 11 Dec 5-29, 14-18 30-34, Mon
	 * 21-Thu 24 35-38, Fri 25 and Mon 28 holidays, Tue 29 39, Wed 30
	 * Dec 40. */
	{ "2026-11-02", 40, "2026-12-30" },
	/* Platinum Jubilee 2022: Spring bank holiday moved to Thu 2 June,
	 * Jubilee Fri 3 June. Wed 1 Jun: day 1 Mon 6, 2 Tue 7, 3 Wed 8. */
	{ "2022-06-01", 3, "2022-06-08" },
	/* Tue 31 May 2022: Wed 1 Jun day 1, Thu 2 and Fri 3 holidays, Jun
	 * 6-10 2-6, 13-17 7-11, 20-24 12-16, Mon 27-Thu 30 17-20 (Mon 30
	 * May 2022 was an ordinary working day, before receipt anyway). */
	{ "2022-05-31", 20, "2022-06-30" },
	/* State Funeral, Mon 19 Sep 2022: Fri 16 Sep, day 1 Tue 20, 2 Wed
	 * 21, 3 Thu 22. */
	{ "2022-09-16", 3, "2022-09-22" },
	/* Coronation, Mon 8 May 2023: Fri 28 Apr, Mon 1 May early May
	 * holiday, Tue 2-Fri 5 1-4, Mon 8 coronation, Tue 9-Fri 12 5-8,
	 * 15-19 9-13, 22-26 14-18, Mon 29 Spring holiday, Tue 30 19, Wed
	 * 31 May 20. */
	{ "2023-04-28", 20, "2023-05-31" },
	/* VE Day 2020: the early May holiday moved to Fri 8 May. Thu 7
	 * May: Mon 11-Wed 13 days 1-3. */
	{ "2020-05-07", 3, "2020-05-13" },
	/* ...so Mon 4 May 2020 was a working day: Fri 1 May + 1. */
	{ "2020-05-01", 1, "2020-05-04" },
	/* Received on a Sunday, Sun 7 Jun 2026: Mon 8-Wed 10. */
	{ "2026-06-07", 3, "2026-06-10" },
	/* Received on a bank holiday, Mon 25 Aug 2025 (Summer): Tue 26-Thu
	 * 28. */
	{ "2025-08-25", 3, "2025-08-28" },
	/* No holiday at all: Wed 10 Jun 2026 + 20 is four whole weeks,
	 * Wed 8 Jul. */
	{ "2026-06-10", 20, "2026-07-08" },
	/* Summer bank holiday Mon 31 Aug 2026: Fri 28 Aug + 1 is Tue 1
	 * Sep. */
	{ "2026-08-28", 1, "2026-09-01" },
	/* Spring bank holiday Mon 31 May 2021: Fri 28 May + 1, Tue 1
	 * Jun. */
	{ "2021-05-28", 1, "2021-06-01" },
	/* The first covered day: received Sun 31 Dec 2017 (before the
	 * list, but never counted), Mon 1 Jan 2018 holiday, Tue 2 Jan. */
	{ "2017-12-31", 1, "2018-01-02" },
};

static void
test_table(void)
{
	struct deadline_calc *calc;
	const struct skipped_day *sk;
	GDate		 received;
	char		*cause = NULL, *what;
	guint		 i, j;
	int		 rc;
	gboolean	 consistent;

	for (i = 0; i < G_N_ELEMENTS(table); i++) {
		date_of(table[i].received, &received);
		rc = calendar_add_working_days(cal, &received, table[i].days,
		    &calc, &cause);
		what = g_strdup_printf("%d working days from %s: due %s",
		    table[i].days, table[i].received, table[i].due);
		if (rc != 0) {
			ok(0, "%s (failed: %s)", what, cause);
			g_clear_pointer(&cause, g_free);
			g_free(what);
			continue;
		}
		is_date(&calc->due, table[i].due, what);
		/* Every day after receipt is counted or listed as skipped. */
		consistent = calendar_is_working_day(cal, &calc->due) &&
		    (int)g_date_days_between(&received, &calc->due) ==
		    table[i].days + (int)calc->skipped->len;
		for (j = 0; j < calc->skipped->len; j++) {
			sk = &g_array_index(calc->skipped, struct skipped_day,
			    j);
			if (calendar_is_working_day(cal, &sk->date))
				consistent = FALSE;
		}
		ok(consistent, "%d working days from %s: the skipped days and "
		    "the counted days add up", table[i].days,
		    table[i].received);
		deadline_calc_free(calc);
		g_free(what);
	}
}

static void
test_explain(void)
{
	struct deadline_calc *calc;
	GDate		 received;
	char		*cause = NULL, *text;

	date_of("2026-12-18", &received);
	if (calendar_add_working_days(cal, &received, 20, &calc, &cause)) {
		ok(0, "explain: %s", cause);
		g_free(cause);
		return;
	}
	text = deadline_calc_explain(calc);
	is_str(text,
	    "received Fri 18 Dec 2026; counting starts the working day after "
	    "receipt\n"
	    "limit: 20 working days\n"
	    "day 1: Mon 21 Dec 2026\n"
	    "not counted: Fri 25 Dec 2026 (Christmas Day)\n"
	    "not counted: Mon 28 Dec 2026 (Boxing Day, substitute day)\n"
	    "not counted: Fri 1 Jan 2027 (New Year’s Day)\n"
	    "not counted: 10 weekend days\n"
	    "due: Wed 20 Jan 2027 (day 20)\n"
	    "check: 33 days after receipt = 20 counted + 10 weekend + 3 bank "
	    "holiday + 0 stopped\n",
	    "the derivation of DOMAIN.md's example names every holiday and "
	    "adds up");
	is_date(&calc->first, "2026-12-21", "day 1 of the example is Mon 21 "
	    "Dec 2026");
	g_free(text);
	deadline_calc_free(calc);
}

/* ---- clock stops and extensions ---- */

struct adjusted {
	const char	*what;
	const char	*stops[2][2];	/* FROM, TO pairs; NULL ends */
	int		 extend;	/* 0: none */
	const char	*due;
};

static const struct adjusted adjusted[] = {
	/* The example with the clock stopped Mon 4-Fri 8 Jan 2027 (five
	 * working days): 21-24 Dec 1-4, 29-31 Dec 5-7, Jan 11-15 8-12,
	 * 18-22 13-17, Mon 25-Wed 27 18-20. */
	{ "stop of a working week moves the date by a week",
	  { { "2027-01-04", "2027-01-08" } }, 0, "2027-01-27" },
	/* Stop Thu 24-Tue 29 Dec 2026: only Thu 24 and Tue 29 are working
	 * days (25 and 28 holidays, 26-27 weekend), so two days later than
	 * Wed 20 Jan: Fri 22 Jan. */
	{ "stop over Christmas costs only its working days",
	  { { "2026-12-24", "2026-12-29" } }, 0, "2027-01-22" },
	/* Overlapping stops 4-6 and 5-8 Jan are the same as 4-8 Jan. */
	{ "overlapping stops count each day once",
	  { { "2027-01-04", "2027-01-06" }, { "2027-01-05", "2027-01-08" } },
	  0, "2027-01-27" },
	/* A stop before receipt changes nothing. */
	{ "a stop before receipt changes nothing",
	  { { "2026-11-02", "2026-11-06" } }, 0, "2027-01-20" },
	/* Holding letter, +10: day 20 Wed 20 Jan, Thu 21 21, Fri 22 22,
	 * 25-29 23-27, Mon 1 Feb 28, Tue 2 29, Wed 3 Feb 30. */
	{ "a 10-day extension adds ten working days",
	  { { NULL, NULL } }, 10, "2027-02-03" },
	/* Both: Wed 27 Jan is day 20, then Thu 28, Fri 29, Feb 1-5, Mon 8,
	 * Tue 9, Wed 10 Feb are 21-30. */
	{ "a stop and an extension together",
	  { { "2027-01-04", "2027-01-08" } }, 10, "2027-02-10" },
};

static void
test_adjusted(void)
{
	struct deadline_calc *calc;
	struct clock_stop s;
	struct clock_extension e;
	GArray		*stops, *exts;
	GDate		 received;
	char		*cause = NULL, *text;
	guint		 i, j;

	date_of("2026-12-18", &received);
	for (i = 0; i < G_N_ELEMENTS(adjusted); i++) {
		stops = g_array_new(FALSE, FALSE, sizeof(struct clock_stop));
		exts = g_array_new(FALSE, FALSE,
		    sizeof(struct clock_extension));
		for (j = 0; j < 2 && adjusted[i].stops[j][0] != NULL; j++) {
			date_of(adjusted[i].stops[j][0], &s.from);
			date_of(adjusted[i].stops[j][1], &s.to);
			s.why = "awaiting authority";
			g_array_append_val(stops, s);
		}
		if (adjusted[i].extend > 0) {
			e.days = adjusted[i].extend;
			e.why = "holding letter";
			g_array_append_val(exts, e);
		}
		if (calendar_deadline(cal, &received, 20, stops, exts, &calc,
		    &cause) != 0) {
			ok(0, "%s: %s", adjusted[i].what, cause);
			g_clear_pointer(&cause, g_free);
		} else {
			is_date(&calc->due, adjusted[i].due, adjusted[i].what);
			deadline_calc_free(calc);
		}
		g_array_unref(stops);
		g_array_unref(exts);
	}

	/* Authority asked for on receipt, Mon 1 Jun 2026, and received Wed
	 * 10 Jun: counting starts Thu 11 Jun, as for a complaint received
	 * on the 10th: Wed 8 Jul. */
	stops = g_array_new(FALSE, FALSE, sizeof(struct clock_stop));
	date_of("2026-06-01", &s.from);
	date_of("2026-06-10", &s.to);
	s.why = "awaiting authority";
	g_array_append_val(stops, s);
	exts = g_array_new(FALSE, FALSE, sizeof(struct clock_extension));
	e.days = 5;
	e.why = "holding letter: records requested";
	g_array_append_val(exts, e);
	date_of("2026-06-01", &received);
	if (calendar_deadline(cal, &received, 20, stops, NULL, &calc,
	    &cause) == 0) {
		is_date(&calc->due, "2026-07-08", "a stop from the day of "
		    "receipt restarts the count the working day after it");
		is_date(&calc->first, "2026-06-11", "day 1 is then Thu 11 "
		    "Jun 2026");
		deadline_calc_free(calc);
	} else {
		ok(0, "stop from receipt: %s", cause);
		g_clear_pointer(&cause, g_free);
	}
	/* With 5 more days: Jul 9-10 21-22, Mon 13-Wed 15 23-25. */
	if (calendar_deadline(cal, &received, 20, stops, exts, &calc,
	    &cause) == 0) {
		text = deadline_calc_explain(calc);
		is_str(text,
		    "received Mon 1 Jun 2026; counting starts the working day "
		    "after receipt\n"
		    "limit: 20 working days\n"
		    "extended by 5 working days: holding letter: records "
		    "requested\n"
		    "limit with extensions: 25 working days\n"
		    "day 1: Thu 11 Jun 2026\n"
		    "clock stopped Mon 1 Jun 2026 to Wed 10 Jun 2026 "
		    "(awaiting authority): 7 working days not counted\n"
		    "not counted: 12 weekend days\n"
		    "due: Wed 15 Jul 2026 (day 25)\n"
		    "check: 44 days after receipt = 25 counted + 12 weekend + "
		    "0 bank holiday + 7 stopped\n",
		    "the derivation lists the stop, its working days and the "
		    "extension");
		g_free(text);
		deadline_calc_free(calc);
	} else {
		ok(0, "stop and extension: %s", cause);
		g_clear_pointer(&cause, g_free);
	}
	g_array_unref(exts);

	/* Refusals. */
	g_array_index(stops, struct clock_stop, 0).to =
	    g_array_index(stops, struct clock_stop, 0).from;
	g_date_subtract_days(&g_array_index(stops, struct clock_stop, 0).to,
	    1);
	ok(calendar_deadline(cal, &received, 20, stops, NULL, &calc,
	    &cause) == -1 && calc == NULL, "a stop that ends before it starts "
	    "is refused");
	is_str(cause, "clock stop 1 (awaiting authority) ends before it "
	    "starts on 2026-06-01", "...saying which stop and why");
	g_clear_pointer(&cause, g_free);
	g_date_clear(&g_array_index(stops, struct clock_stop, 0).to, 1);
	ok(calendar_deadline(cal, &received, 20, stops, NULL, &calc,
	    &cause) == -1, "a stop without an end is refused");
	is_str(cause, "clock stop 1 (awaiting authority) has no end date: "
	    "while the clock is stopped there is no due date",
	    "...saying there is no due date while stopped");
	g_clear_pointer(&cause, g_free);
	g_array_unref(stops);

	exts = g_array_new(FALSE, FALSE, sizeof(struct clock_extension));
	e.days = 0;
	e.why = "holding letter";
	g_array_append_val(exts, e);
	ok(calendar_deadline(cal, &received, 20, NULL, exts, &calc,
	    &cause) == -1, "an extension of 0 days is refused");
	is_str(cause, "extension 1 (holding letter) is 0 working days; "
	    "expected 1 to 366", "...with the reason");
	g_clear_pointer(&cause, g_free);
	g_array_unref(exts);

	ok(calendar_add_working_days(cal, &received, 0, &calc, &cause) == -1,
	    "a limit of 0 working days is refused");
	is_str(cause, "cannot count 0 working days from Mon 1 Jun 2026: "
	    "expected 1 to 1000", "...with the range expected");
	g_clear_pointer(&cause, g_free);
}

/* ---- beyond the list ---- */

static void
test_beyond(void)
{
	struct deadline_calc *calc = NULL;
	GDate		 received, d;
	char		*cause = NULL, *want;

	/* Thu 23 Dec 2027 + 5: Fri 24 1, Wed 29-Fri 31 2-4, then 2028,
	 * which the list does not know. */
	date_of("2027-12-23", &received);
	ok(calendar_add_working_days(cal, &received, 5, &calc, &cause) == -1 &&
	    calc == NULL, "counting into 2028 is refused, not guessed");
	want = g_strdup_printf("cannot count 5 working days from Thu 23 Dec "
	    "2027: bank holidays in %s are known only up to 2027-12-31: run "
	    "redress calendar update FILE with the current list from "
	    "https://www.gov.uk/bank-holidays.json", calendar_name(cal));
	is_str(cause, want, "...and the message says how to refresh the "
	    "list");
	g_free(want);
	g_clear_pointer(&cause, g_free);

	date_of("2017-12-29", &received);
	ok(calendar_add_working_days(cal, &received, 3, &calc, &cause) == -1,
	    "counting from before the list is refused");
	ok(cause != NULL && strstr(cause, "known only from 2018-01-01") !=
	    NULL, "...naming where the list starts: %s", or_null(cause));
	g_clear_pointer(&cause, g_free);

	date_of("2028-01-03", &d);
	ok(!calendar_covers(cal, &d), "calendar_covers says 2028 is unknown");
	date_of("2027-12-31", &d);
	ok(calendar_covers(cal, &d), "calendar_covers knows 2027-12-31");
}

/* ---- calendar months and subject access requests ---- */

static void
test_months(void)
{
	static const struct {
		const char	*from;
		int		 months;
		const char	*to;
		const char	*why;
	} m[] = {
		{ "2026-01-31", 1, "2026-02-28",
		  "31 Jan 2026 + 1 month is the last day of February" },
		{ "2024-01-31", 1, "2024-02-29",
		  "31 Jan 2024 + 1 month is 29 Feb (leap year)" },
		{ "2024-02-29", 1, "2024-03-29",
		  "29 Feb 2024 + 1 month is 29 Mar" },
		{ "2024-02-29", 12, "2025-02-28",
		  "29 Feb 2024 + 12 months is 28 Feb 2025" },
		{ "2026-03-31", 1, "2026-04-30",
		  "31 Mar + 1 month is 30 Apr" },
		{ "2026-03-15", 1, "2026-04-15",
		  "15 Mar + 1 month is the corresponding date, 15 Apr" },
		{ "2026-12-31", 2, "2027-02-28",
		  "31 Dec 2026 + 2 months is 28 Feb 2027" },
		{ "2026-08-31", -6, "2026-02-28",
		  "6 months before 31 Aug 2026 is 28 Feb 2026" },
		{ "2026-12-20", 1, "2027-01-20",
		  "escalation window across the year end: 20 Jan 2027" },
	};
	static const struct {
		const char	*received;
		const char	*due;
		const char	*why;
	} sar[] = {
		{ "2026-06-03", "2026-07-03",
		  "SAR received Wed 3 Jun 2026: due Fri 3 Jul" },
		{ "2026-09-03", "2026-10-05",
		  "SAR received 3 Sep 2026: 3 Oct is a Saturday, due Mon 5 "
		  "Oct" },
		{ "2026-01-31", "2026-03-02",
		  "SAR received 31 Jan 2026: 28 Feb is a Saturday, due Mon 2 "
		  "Mar" },
		{ "2026-11-25", "2026-12-29",
		  "SAR received 25 Nov 2026: 25 Dec Christmas, then the "
		  "weekend and Boxing Day substitute, due Tue 29 Dec" },
		{ "2024-02-29", "2024-04-02",
		  "SAR received 29 Feb 2024: 29 Mar Good Friday, 1 Apr Easter "
		  "Monday, due Tue 2 Apr" },
		{ "2027-11-27", "2027-12-29",
		  "SAR received Sat 27 Nov 2027: Mon 27 and Tue 28 Dec are "
		  "substitute days, due Wed 29 Dec" },
	};
	GDate	 from, to;
	char	*cause = NULL;
	guint	 i;
	int	 rc;

	for (i = 0; i < G_N_ELEMENTS(m); i++) {
		date_of(m[i].from, &from);
		calendar_add_months(&from, m[i].months, &to);
		is_date(&to, m[i].to, m[i].why);
	}
	for (i = 0; i < G_N_ELEMENTS(sar); i++) {
		date_of(sar[i].received, &from);
		if (calendar_sar_due(cal, &from, &to, &cause) != 0) {
			ok(0, "%s: %s", sar[i].why, cause);
			g_clear_pointer(&cause, g_free);
		} else
			is_date(&to, sar[i].due, sar[i].why);
	}
	date_of("2027-12-30", &from);
	rc = calendar_sar_due(cal, &from, &to, &cause);
	ok(rc == -1 && cause != NULL &&
	    strstr(cause, "known only up to 2027-12-31") != NULL,
	    "a SAR due in 2028 is refused: %s", or_null(cause));
	g_free(cause);
}

/* ---- dates ---- */

static void
test_dates(void)
{
	GDate	 d;
	char	*s;

	ok(calendar_parse_date("2024-02-29", &d), "2024-02-29 is a date");
	ok(!calendar_parse_date("2026-02-29", &d), "2026-02-29 is not");
	ok(!calendar_parse_date("2026-1-05", &d), "2026-1-05 is refused");
	ok(!calendar_parse_date("2026-01-05x", &d), "trailing text is "
	    "refused");
	ok(!calendar_parse_date("0000-01-05", &d), "year 0 is refused");
	/* 23:30 UTC on 30 June is 00:30 on 1 July in London (BST). */
	calendar_local_date(1782862200, &d);
	is_date(&d, "2026-07-01", "2026-06-30T23:30Z is 1 Jul in England "
	    "(summer time)");
	/* 23:30 UTC on 31 December is 23:30 in London (GMT). */
	calendar_local_date(1798759800, &d);
	is_date(&d, "2026-12-31", "2026-12-31T23:30Z is still 31 Dec in "
	    "England");
	date_of("2027-01-20", &d);
	s = calendar_date_text(&d);
	is_str(s, "Wed 20 Jan 2027", "dates read as Wed 20 Jan 2027");
	g_free(s);
}

/* ---- bad lists ---- */

static void
test_bad_lists(void)
{
	static const struct {
		const char	*json;
		const char	*cause;
		const char	*why;
	} bad[] = {
		{ "[]", "bad.json: not a JSON object; expected a JSON object "
		  "of divisions, as in https://www.gov.uk/bank-holidays.json",
		  "an array is refused" },
		{ "", "bad.json: empty; expected a JSON object of divisions, "
		  "as in https://www.gov.uk/bank-holidays.json",
		  "an empty file is refused" },
		{ "{\"scotland\": {\"events\": []}}",
		  "bad.json: no 'england-and-wales' division; expected the "
		  "list from https://www.gov.uk/bank-holidays.json",
		  "a list without england-and-wales is refused" },
		{ "{\"england-and-wales\": {\"events\": {}}}",
		  "bad.json: the 'england-and-wales' division has no 'events' "
		  "list", "events that are not a list are refused" },
		{ "{\"england-and-wales\": {\"events\": []}}",
		  "bad.json: the 'england-and-wales' division lists no bank "
		  "holidays", "an empty division is refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"New Year’s Day\", \"date\": \"2022-01-03\"},"
		  "{\"title\": \"Boxing Day\", \"date\": \"2022-13-01\"}]}}",
		  "bad.json: england-and-wales event 2 has date '2022-13-01', "
		  "expected YYYY-MM-DD", "month 13 is refused, naming the "
		  "event" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"X\", \"date\": \"2023-02-29\"}]}}",
		  "bad.json: england-and-wales event 1 has date '2023-02-29', "
		  "expected YYYY-MM-DD", "29 Feb 2023 is refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"X\", \"date\": 20230102}]}}",
		  "bad.json: england-and-wales event 1 has no date, expected "
		  "\"date\": \"YYYY-MM-DD\"", "a numeric date is refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"date\": \"2023-01-02\"}]}}",
		  "bad.json: england-and-wales event 1 (2023-01-02) has no "
		  "title", "an event without a title is refused" },
		{ "{\"england-and-wales\": {\"events\": [42]}}",
		  "bad.json: england-and-wales event 1 is not an object with "
		  "title and date", "an event that is not an object is "
		  "refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"X\", \"date\": \"2023-01-02\", \"notes\": "
		  "true}]}}",
		  "bad.json: england-and-wales event 1 (2023-01-02) has notes "
		  "that are not a string", "notes that are not text are "
		  "refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"Christmas Day\", \"date\": \"2022-12-25\"}]}}",
		  "bad.json: england-and-wales event 1 (2022-12-25, Christmas "
		  "Day) falls on a Sunday; bank holidays are weekdays (the "
		  "list gives the substitute day instead)",
		  "a holiday on a weekend is refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"A\", \"date\": \"2023-01-02\"},"
		  "{\"title\": \"B\", \"date\": \"2023-12-25\"},"
		  "{\"title\": \"C\", \"date\": \"2023-01-02\"}]}}",
		  "bad.json: england-and-wales events 1 and 3 are both on "
		  "2023-01-02", "the same day twice is refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"A\", \"date\": \"2023-01-02\"},"
		  "{\"title\": \"B\", \"date\": \"2023-05-29\"}]}}",
		  "bad.json: england-and-wales lists no bank holiday in "
		  "December 2023: each year must be listed whole, from New "
		  "Year’s Day to Boxing Day", "a year cut short is refused" },
		{ "{\"england-and-wales\": {\"events\": ["
		  "{\"title\": \"A\", \"date\": \"2022-12-26\"},"
		  "{\"title\": \"B\", \"date\": \"2024-01-01\"},"
		  "{\"title\": \"C\", \"date\": \"2024-12-25\"}]}}",
		  "bad.json: england-and-wales lists no bank holiday in "
		  "January 2022: each year must be listed whole, from New "
		  "Year’s Day to Boxing Day", "a year missing its start is "
		  "refused" },
	};
	struct calendar	*c;
	char		*cause;
	guint		 i;
	int		 rc;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		cause = NULL;
		c = (struct calendar *)1;
		ok(calendar_parse("bad.json", bad[i].json, strlen(bad[i].json),
		    &c, &cause) == -1 && c == NULL, "%s", bad[i].why);
		is_str(cause, bad[i].cause, "...with the message");
		g_free(cause);
	}

	cause = NULL;
	ok(calendar_parse("bad.json", "{\n\"england-and-wales\": [1,,]}", 27,
	    &c, &cause) == -1, "broken JSON is refused");
	ok(cause != NULL && g_str_has_prefix(cause, "bad.json:2:") &&
	    strstr(cause, "bank-holidays.json") != NULL,
	    "...naming the file and line: %s", or_null(cause));
	g_free(cause);

	cause = NULL;
	rc = calendar_parse("bad.json", "{\"a\xff\": 1}", 9, &c, &cause);
	ok(rc == -1 && cause != NULL && g_str_has_prefix(cause, "bad.json: "),
	    "text that is not UTF-8 is refused: %s", or_null(cause));
	g_free(cause);

	cause = NULL;
	rc = calendar_load("/nonexistent/bank-holidays.json", &c, &cause);
	ok(rc == -1 && cause != NULL &&
	    strstr(cause, "/nonexistent/bank-holidays.json") != NULL,
	    "a missing file is named: %s", or_null(cause));
	g_free(cause);
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		*path, *cause = NULL;
	GDate		 d;

	path = g_build_filename(top != NULL ? top : ".", "contrib",
	    "bank-holidays.json", NULL);
	if (calendar_load(path, &cal, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		return (1);
	}
	g_free(path);

	test_shipped_list();
	date_of("2022-09-19", &d);
	ok(!calendar_is_working_day(cal, &d) &&
	    g_str_equal(calendar_holiday(cal, &d)->title, "Bank Holiday for "
	    "the State Funeral of Queen Elizabeth II"),
	    "19 Sep 2022 is the State Funeral bank holiday");
	date_of("2026-12-24", &d);
	ok(calendar_is_working_day(cal, &d), "Christmas Eve is a working day");
	test_table();
	test_explain();
	test_adjusted();
	test_beyond();
	test_months();
	test_dates();
	test_bad_lists();

	calendar_free(cal);
	return (tap_done());
}
