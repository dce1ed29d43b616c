/* test-dates.c: dates as people write them, and the six-month rule. */
#include <string.h>

#include "dates.h"
#include "tests/tap.h"

static GDate
day(const char *iso)
{
	GDate	d;
	int	y, m, dd;

	g_date_clear(&d, 1);
	if (sscanf(iso, "%d-%d-%d", &y, &m, &dd) == 3)
		g_date_set_dmy(&d, dd, m, y);
	return (d);
}

static char *
show(const GDate *d)
{
	char	buf[16];

	g_date_strftime(buf, sizeof buf, "%Y-%m-%d", d);
	return (g_strdup(buf));
}

/* "2026-03-03", "2026-07-01..2026-07-31" or "unknown". */
static char *
found(const char *text, const char *ref_iso)
{
	GDate			 ref = day(ref_iso);
	struct matter_date	 md;
	char			*r, *a, *b;

	switch (dates_find(text, &ref, &md)) {
	case DATE_DAY:
		r = show(&md.first);
		break;
	case DATE_PERIOD:
		a = show(&md.first);
		b = show(&md.last);
		r = g_strdup_printf("%s..%s", a, b);
		g_free(a);
		g_free(b);
		break;
	default:
		r = g_strdup("unknown");
		break;
	}
	matter_date_clear(&md);
	return (r);
}

static void
want(const char *text, const char *ref, const char *expected)
{
	char	*got = found(text, ref);
	char	*what = g_strdup_printf("\"%s\" written %s is %s", text, ref,
	    expected);

	is_str(got, expected, what);
	g_free(what);
	g_free(got);
}

static void
want_oot(const char *text, const char *ref_iso, const char *expected)
{
	GDate			 ref = day(ref_iso);
	struct matter_date	 md;

	char			*what;

	dates_find(text, &ref, &md);
	what = g_strdup_printf("out of time for \"%s\" written %s: %s", text,
	    ref_iso, expected);
	is_str(out_of_time_name(dates_out_of_time(&md, &ref)), expected,
	    what);
	g_free(what);
	matter_date_clear(&md);
}

int
main(void)
{
	const char	*wed = "2026-10-21";	/* a Wednesday */

	/* Written-out days */
	want("I was sentenced on 3rd March.", wed, "2026-03-03");
	want("It was on the third of March that they rang.", wed, "2026-03-03");
	want("the twenty-second of September", wed, "2026-09-22");
	want("March 3rd was the hearing", wed, "2026-03-03");
	want("On September 28, 2026 the letter came", wed, "2026-09-28");
	want("on the 10th of February this year", wed, "2026-02-10");
	want("on 2 June last year", wed, "2025-06-02");
	want("Tuesday 13 October at the magistrates", wed, "2026-10-13");
	want("on 5 Oct. they phoned", wed, "2026-10-05");
	/* Numbers */
	want("the trial on 15/04/2026 went badly", wed, "2026-04-15");
	want("a letter on 03/04/2026", wed, "2026-04-03");
	want("it says 04/15/2026 on the form", wed, "2026-04-15");
	want("hearing on 14.9.26", wed, "2026-09-14");
	want("decision recorded 2026-09-14", wed, "2026-09-14");
	/* Relative to the day the message was written */
	want("the 22nd of last month", wed, "2026-09-22");
	want("since the 2nd nobody has replied", wed, "2026-10-02");
	want("sentenced last Thursday", wed, "2026-10-15");
	want("it was last Wednesday", wed, "2026-10-14");
	want("I was at court on Monday", wed, "2026-10-19");
	want("on Monday last week", wed, "2026-10-12");
	want("on Tuesday of last week", wed, "2026-10-13");
	want("last week on Friday", wed, "2026-10-16");
	want("the call was meant to be monday", wed, "2026-10-19");
	want("yesterday the prosecutor said", wed, "2026-10-20");
	want("the day before yesterday", wed, "2026-10-19");
	want("this morning at court", wed, "2026-10-21");
	want("a fortnight ago", wed, "2026-10-07");
	want("two weeks ago", wed, "2026-10-07");
	want("3 days ago", wed, "2026-10-18");
	want("about a week ago", wed, "2026-10-14");
	/* Weekdays, the most recent one before the day of writing */
	want("he rang on Sunday night", wed, "2026-10-18");
	want("Sunday night the letter came", wed, "2026-10-18");
	want("Monday morning I was at court", wed, "2026-10-19");
	want("at Monday's hearing", wed, "2026-10-19");
	want("since Tuesday nobody has called", wed, "2026-10-20");
	want("on Tues the lawyer rang", wed, "2026-10-20");
	want("this Monday they dropped it", wed, "2026-10-19");
	want("Friday before last", wed, "2026-10-09");
	want("a week last Friday", wed, "2026-10-09");
	want("on Monday the 12th", wed, "2026-10-12");
	want("on Monday 28th", wed, "2026-09-28");
	/* ... unless it is still to come, or any one */
	want("see you next Monday morning", wed, "unknown");
	want("the hearing is on Monday next week", wed, "unknown");
	want("I will see them Friday afternoon", wed, "unknown");
	want("every Monday morning they rang", wed, "unknown");
	want("this Friday is the trial", wed, "unknown");
	want("the sentencing is on Monday", wed, "unknown");
	/* Vague periods */
	want("3 months ago", wed, "2026-07-06..2026-08-05");
	want("I was attacked in July", wed, "2026-07-01..2026-07-31");
	want("back in January", wed, "2026-01-01..2026-01-31");
	want("last March", "2026-02-10", "2025-03-01..2025-03-31");
	want("over the summer", wed, "2026-06-01..2026-08-31");
	want("last summer", "2026-07-15", "2025-06-01..2025-08-31");
	want("last month", wed, "2026-09-01..2026-09-30");
	want("earlier this year", wed, "2026-01-01..2026-10-21");
	want("last week", wed, "2026-10-12..2026-10-18");
	want("at the end of September", wed, "2026-09-21..2026-09-30");
	want("in early March", wed, "2026-03-01..2026-03-10");
	want("in June 2023 I was convicted", wed, "2023-06-01..2023-06-30");
	want("a few weeks ago", wed, "2026-09-09..2026-10-07");
	want("since May", wed, "2026-05-01..2026-05-31");
	/* Welsh */
	want("ddydd Mawrth, 17 Chwefror eleni", wed, "2026-02-17");
	want("dydd Mawrth diwethaf", wed, "2026-10-20");
	want("ym mis Mehefin", wed, "2026-06-01..2026-06-30");
	want("Ces i lythyr ddoe, dyddiedig 21 Hydref 2026", "2026-10-23",
	    "2026-10-21");
	want("ffoniodd y cyfreithiwr ddoe", wed, "2026-10-20");
	want("echdoe yn y llys", wed, "2026-10-19");
	want("bore 'ma", wed, "2026-10-21");
	want("ddydd Mawrth fe ollyngwyd yr achos", wed, "2026-10-20");
	want("Ddydd Llun roeddwn i yn y llys", wed, "2026-10-19");
	want("nos Wener", wed, "2026-10-16");
	want("bore dydd Sadwrn", wed, "2026-10-17");
	want("nos Sul ddiwethaf", wed, "2026-10-18");
	want("ddydd Llun yr wythnos ddiwethaf", wed, "2026-10-12");
	want("ers dydd Iau does neb wedi ffonio", wed, "2026-10-15");
	want("ddydd Llun nesaf", wed, "unknown");
	want("Bydd y treial ddydd Llun", wed, "unknown");
	want("bob dydd Sul", wed, "unknown");
	want("Mae'r treial ddydd Llun", wed, "unknown");
	want("bythefnos yn ôl", wed, "2026-10-07");
	want("dair wythnos yn ôl", wed, "2026-09-30");
	want("deuddydd yn ol", wed, "2026-10-19");
	want("wythnos yn ôl", wed, "2026-10-14");
	want("tri mis yn ôl", wed, "2026-07-06..2026-08-05");
	want("ychydig wythnosau yn ôl", wed, "2026-09-09..2026-10-07");
	want("ar yr 22ain o'r mis diwethaf", wed, "2026-09-22");
	want("ers y 5ed does neb wedi ateb", wed, "2026-10-05");
	want("ar y 3ydd o Fawrth", wed, "2026-03-03");
	want("17eg o Chwefror", wed, "2026-02-17");
	want("yr wythnos diwethaf", wed, "2026-10-12..2026-10-18");
	want("yr wythnos ddiwethaf", wed, "2026-10-12..2026-10-18");
	want("fis diwethaf", wed, "2026-09-01..2026-09-30");
	want("y mis hwn", wed, "2026-10-01..2026-10-21");
	want("y llynedd", wed, "2025-01-01..2025-12-31");
	want("ym mis Mawrth", wed, "2026-03-01..2026-03-31");
	want("ddiwedd mis Medi", wed, "2026-09-21..2026-09-30");
	want("fis Mehefin y llynedd", wed, "2025-06-01..2025-06-30");
	want("mis Tachwedd diwethaf", wed, "2025-11-01..2025-11-30");
	want("dros yr haf", wed, "2026-06-01..2026-08-31");
	want("yr hydref diwethaf", wed, "2025-09-01..2025-11-30");
	want("dros y flwyddyn ddiwethaf", wed, "unknown");
	want("dyddiad geni 03/11/1979", wed, "unknown");
	want("dim ateb hyd heddiw", wed, "unknown");
	/* The year of a date written without one */
	want("on 28 December", "2026-01-05", "2025-12-28");
	want("on 20 November", "2026-02-15", "2025-11-20");
	/* Not the matter: births, dates to come, words that are not dates */
	want("date of birth 03/11/1979", wed, "unknown");
	want("Ms Shah (DOB 14/03/1991)", wed, "unknown");
	want("My date of birth is 12/05/1988", wed, "unknown");
	want("the trial is in December", wed, "unknown");
	want("I'm due to give evidence on 1 December", wed, "unknown");
	want("the trial is listed for 3 March", wed, "unknown");
	want("court on the 24th", wed, "unknown");
	want("I'm in court on Monday", wed, "unknown");
	want("the 2nd hearing was adjourned", wed, "unknown");
	want("this may sound silly", wed, "unknown");
	want("my notes from 2024", wed, "unknown");
	want("over the last year", wed, "unknown");
	want("nobody has called me back for weeks", wed, "unknown");
	want("", wed, "unknown");
	/* Choosing among several: the latest day, a dated letter first */
	want("I was assaulted on 2 June this year. On 14 August the CPS "
	    "decided to charge common assault.", wed, "2026-08-14");
	want("He was charged in April. The plea was accepted last Friday.",
	    wed, "2026-10-16");
	want("The hearing was on 3 March. Yesterday I got a letter dated "
	    "1 March.", wed, "2026-03-01");
	want("in June, and at the end of September they decided", wed,
	    "2026-09-21..2026-09-30");

	/* Six calendar months before 21 October is 21 April */
	want_oot("on 3rd March", wed, "yes");
	want_oot("on 20 April", wed, "yes");
	want_oot("on 21 April", wed, "no");
	want_oot("in July", wed, "no");
	want_oot("in April", wed, "unknown");
	want_oot("back in January", wed, "yes");
	want_oot("nothing to go on", wed, "unknown");
	want_oot("fis Mawrth y llynedd", wed, "yes");
	want_oot("ddydd Mawrth", wed, "no");
	/* End of month: six months before 31 August is 28 February */
	want_oot("on 27 February", "2026-08-31", "yes");
	want_oot("on 28 February", "2026-08-31", "no");

	return (tap_done());
}
