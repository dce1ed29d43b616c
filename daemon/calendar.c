/*
 * calendar.c: England-and-Wales bank holidays, working days and calendar
 * months (the rules are in calendar.h).
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "calendar.h"
#include "regex-cache.h"

/* The official file is about 20 kB; anything far larger is not it. */
#define CALENDAR_MAX_SIZE (1024 * 1024)

#define DIVISION "england-and-wales"

struct calendar {
	char		*name;
	GPtrArray	*holidays;	/* of struct holiday *, date order */
	GHashTable	*by_day;	/* julian day -> struct holiday * */
	GStringChunk	*strings;	/* titles and notes */
	GDate		 first;
	GDate		 last;
};

static const char *const weekday_names[] = {
	"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};
static const char *const month_names[] = {
	"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
	"Oct", "Nov", "Dec"
};

gboolean
calendar_parse_date(const char *s, GDate *out)
{
	GRegex		*re;
	GMatchInfo	*mi;
	gboolean	 found;
	guint		 part[3];
	int		 i;

	re = regex_cached("^([0-9]{4})-([0-9]{2})-([0-9]{2})$", 0);
	found = g_regex_match(re, s, 0, &mi);
	for (i = 0; found && i < 3; i++) {
		char	*p = g_match_info_fetch(mi, i + 1);

		part[i] = (guint)g_ascii_strtoull(p, NULL, 10);
		g_free(p);
	}
	g_match_info_free(mi);
	if (!found || part[0] < 1 ||
	    !g_date_valid_dmy(part[2], part[1], part[0]))
		return (FALSE);
	g_date_clear(out, 1);
	g_date_set_dmy(out, part[2], part[1], part[0]);
	return (TRUE);
}

char *
calendar_date_iso(const GDate *d)
{
	return (g_strdup_printf("%04u-%02u-%02u", g_date_get_year(d),
	    g_date_get_month(d), g_date_get_day(d)));
}

char *
calendar_date_text(const GDate *d)
{
	return (g_strdup_printf("%s %u %s %u",
	    weekday_names[g_date_get_weekday(d)], g_date_get_day(d),
	    month_names[g_date_get_month(d)], g_date_get_year(d)));
}

static const char *const letter_days[2][7] = {
	{ "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	  "Sunday" },
	{ "Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau",
	  "Dydd Gwener", "Dydd Sadwrn", "Dydd Sul" },
};
static const char *const letter_months[2][12] = {
	{ "January", "February", "March", "April", "May", "June", "July",
	  "August", "September", "October", "November", "December" },
	{ "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
	  "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr" },
};

char *
calendar_date_letter(const GDate *d, const char *lang)
{
	int	l = g_strcmp0(lang, "cy") == 0 ? 1 : 0;

	return (g_strdup_printf("%s %d %s %d",
	    letter_days[l][g_date_get_weekday(d) - 1], g_date_get_day(d),
	    letter_months[l][g_date_get_month(d) - 1], g_date_get_year(d)));
}

/*
 * Europe/London, read from tzdata once: building a GTimeZone parses the
 * zone file, and this is asked on every date the daemon works out.
 * Without tzdata GLib has no Europe/London; UTC is then at most an hour
 * out, around midnight in summer. Owned here for the life of the process.
 */
static GTimeZone *
london(void)
{
	static gsize		 done;
	static GTimeZone	*tz;

	if (g_once_init_enter(&done)) {
#if GLIB_CHECK_VERSION(2, 68, 0)
		tz = g_time_zone_new_identifier("Europe/London");
		if (tz == NULL)
			tz = g_time_zone_new_utc();
#else
		tz = g_time_zone_new("Europe/London");	/* UTC when unknown */
#endif
		g_once_init_leave(&done, 1);
	}
	return (tz);
}

void
calendar_local_date(gint64 t, GDate *out)
{
	GDateTime	*utc, *local;

	utc = g_date_time_new_from_unix_utc(t);
	local = g_date_time_to_timezone(utc, london());
	g_date_clear(out, 1);
	g_date_set_dmy(out, g_date_time_get_day_of_month(local),
	    g_date_time_get_month(local), g_date_time_get_year(local));
	g_date_time_unref(local);
	g_date_time_unref(utc);
}

void
calendar_add_months(const GDate *from, int months, GDate *out)
{
	*out = *from;
	if (months >= 0)
		g_date_add_months(out, (guint)months);
	else
		g_date_subtract_months(out, (guint)-months);
}

static gboolean
is_weekend(const GDate *d)
{
	GDateWeekday	 wd = g_date_get_weekday(d);

	return (wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY);
}

static const char *
member_string(JsonObject *o, const char *member)
{
	JsonNode	*n = json_object_get_member(o, member);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return (NULL);
	return (json_node_get_string(n));
}

static void
calendar_free_partial(struct calendar *cal)
{
	g_free(cal->name);
	g_ptr_array_unref(cal->holidays);
	g_hash_table_unref(cal->by_day);
	g_string_chunk_free(cal->strings);
	g_free(cal);
}

static struct calendar *
calendar_new(const char *name)
{
	struct calendar	*cal = g_new0(struct calendar, 1);

	cal->name = g_strdup(name);
	cal->holidays = g_ptr_array_new_with_free_func(g_free);
	cal->by_day = g_hash_table_new(NULL, NULL);
	cal->strings = g_string_chunk_new(1024);
	g_date_clear(&cal->first, 1);
	g_date_clear(&cal->last, 1);
	return (cal);
}

/* One event of the division; n counts from 1 as a reader would. */
static int
add_event(struct calendar *cal, JsonNode *node, guint n, char **cause)
{
	JsonObject	*o;
	const char	*title, *date, *notes;
	struct holiday	*h, *other;
	GDate		 d;
	guint		 i;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		*cause = g_strdup_printf("%s: " DIVISION " event %u is not an "
		    "object with title and date", cal->name, n);
		return (-1);
	}
	o = json_node_get_object(node);
	if ((date = member_string(o, "date")) == NULL) {
		*cause = g_strdup_printf("%s: " DIVISION " event %u has no "
		    "date, expected \"date\": \"YYYY-MM-DD\"", cal->name, n);
		return (-1);
	}
	if (!calendar_parse_date(date, &d)) {
		*cause = g_strdup_printf("%s: " DIVISION " event %u has date "
		    "'%s', expected YYYY-MM-DD", cal->name, n, date);
		return (-1);
	}
	title = member_string(o, "title");
	if (title == NULL || *title == '\0') {
		*cause = g_strdup_printf("%s: " DIVISION " event %u (%s) has "
		    "no title", cal->name, n, date);
		return (-1);
	}
	notes = member_string(o, "notes");
	if (notes == NULL && json_object_has_member(o, "notes")) {
		*cause = g_strdup_printf("%s: " DIVISION " event %u (%s) has "
		    "notes that are not a string", cal->name, n, date);
		return (-1);
	}
	if (is_weekend(&d)) {
		*cause = g_strdup_printf("%s: " DIVISION " event %u (%s, %s) "
		    "falls on a %s; bank holidays are weekdays (the list gives "
		    "the substitute day instead)", cal->name, n, date, title,
		    g_date_get_weekday(&d) == G_DATE_SATURDAY ? "Saturday" :
		    "Sunday");
		return (-1);
	}
	other = g_hash_table_lookup(cal->by_day,
	    GUINT_TO_POINTER(g_date_get_julian(&d)));
	if (other != NULL) {
		for (i = 0; i < cal->holidays->len; i++)
			if (cal->holidays->pdata[i] == other)
				break;
		*cause = g_strdup_printf("%s: " DIVISION " events %u and %u "
		    "are both on %s", cal->name, i + 1, n, date);
		return (-1);
	}

	h = g_new0(struct holiday, 1);
	h->date = d;
	h->title = g_string_chunk_insert_const(cal->strings, title);
	h->notes = g_string_chunk_insert_const(cal->strings,
	    notes != NULL ? notes : "");
	g_ptr_array_add(cal->holidays, h);
	g_hash_table_insert(cal->by_day,
	    GUINT_TO_POINTER(g_date_get_julian(&d)), h);
	return (0);
}

static gint
holiday_cmp(gconstpointer a, gconstpointer b)
{
	const struct holiday *ha = *(const struct holiday *const *)a;
	const struct holiday *hb = *(const struct holiday *const *)b;

	return (g_date_compare(&ha->date, &hb->date));
}

/*
 * Coverage is whole years, so each year from the first to the last must
 * be listed whole: every England-and-Wales year has New Year's Day (or
 * its substitute) in January and Christmas in December. A list cut off
 * in the middle of a year would otherwise make its later months look
 * holiday-free.
 */
static int
check_years(struct calendar *cal, char **cause)
{
	const struct holiday *h;
	GDateYear	 y0, y1, y;
	gboolean	 jan, dec;
	guint		 i;

	h = cal->holidays->pdata[0];
	y0 = g_date_get_year(&h->date);
	h = cal->holidays->pdata[cal->holidays->len - 1];
	y1 = g_date_get_year(&h->date);
	for (y = y0; y <= y1; y++) {
		jan = dec = FALSE;
		for (i = 0; i < cal->holidays->len; i++) {
			h = cal->holidays->pdata[i];
			if (g_date_get_year(&h->date) != y)
				continue;
			if (g_date_get_month(&h->date) == G_DATE_JANUARY)
				jan = TRUE;
			if (g_date_get_month(&h->date) == G_DATE_DECEMBER)
				dec = TRUE;
		}
		if (!jan || !dec) {
			*cause = g_strdup_printf("%s: " DIVISION " lists no "
			    "bank holiday in %s %u: each year must be listed "
			    "whole, from New Year’s Day to Boxing Day",
			    cal->name, jan ? "December" : "January", y);
			return (-1);
		}
	}
	g_date_set_dmy(&cal->first, 1, G_DATE_JANUARY, y0);
	g_date_set_dmy(&cal->last, 31, G_DATE_DECEMBER, y1);
	return (0);
}

static char *
json_error(const char *name, const GError *error)
{
	const char	*msg = error->message;

	/* json-glib says "<data>:LINE:COL: ..."; put the file's name there. */
	if (g_str_has_prefix(msg, "<data>:"))
		return (g_strdup_printf("%s:%s; expected the JSON list from %s",
		    name, msg + strlen("<data>:"), CALENDAR_SOURCE_URL));
	return (g_strdup_printf("%s: %s; expected the JSON list from %s",
	    name, msg, CALENDAR_SOURCE_URL));
}

int
calendar_parse(const char *name, const char *json, size_t len,
    struct calendar **out, char **cause)
{
	JsonParser	*parser;
	JsonNode	*root, *division, *events;
	JsonArray	*list;
	GError		*error = NULL;
	struct calendar	*cal;
	guint		 i;

	*out = NULL;
	if (len > CALENDAR_MAX_SIZE) {
		*cause = g_strdup_printf("%s: %zu bytes is too large for a bank "
		    "holiday list (the official one is about 20 kB)", name,
		    len);
		return (-1);
	}
	parser = json_parser_new_immutable();
	if (!json_parser_load_from_data(parser, json, (gssize)len, &error)) {
		*cause = json_error(name, error);
		g_error_free(error);
		g_object_unref(parser);
		return (-1);
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		*cause = g_strdup_printf("%s: %s; expected a JSON object of "
		    "divisions, as in %s", name, root == NULL ? "empty" :
		    "not a JSON object", CALENDAR_SOURCE_URL);
		g_object_unref(parser);
		return (-1);
	}
	division = json_object_get_member(json_node_get_object(root),
	    DIVISION);
	if (division == NULL || !JSON_NODE_HOLDS_OBJECT(division)) {
		*cause = g_strdup_printf("%s: no '" DIVISION "' division; "
		    "expected the list from %s", name, CALENDAR_SOURCE_URL);
		g_object_unref(parser);
		return (-1);
	}
	events = json_object_get_member(json_node_get_object(division),
	    "events");
	if (events == NULL || !JSON_NODE_HOLDS_ARRAY(events)) {
		*cause = g_strdup_printf("%s: the '" DIVISION "' division has "
		    "no 'events' list", name);
		g_object_unref(parser);
		return (-1);
	}
	list = json_node_get_array(events);
	if (json_array_get_length(list) == 0) {
		*cause = g_strdup_printf("%s: the '" DIVISION "' division "
		    "lists no bank holidays", name);
		g_object_unref(parser);
		return (-1);
	}

	cal = calendar_new(name);
	for (i = 0; i < json_array_get_length(list); i++) {
		if (add_event(cal, json_array_get_element(list, i), i + 1,
		    cause) != 0) {
			calendar_free_partial(cal);
			g_object_unref(parser);
			return (-1);
		}
	}
	g_object_unref(parser);
	g_ptr_array_sort(cal->holidays, holiday_cmp);
	if (check_years(cal, cause) != 0) {
		calendar_free_partial(cal);
		return (-1);
	}
	*out = cal;
	return (0);
}

int
calendar_load(const char *path, struct calendar **out, char **cause)
{
	GError	*error = NULL;
	char	*text;
	gsize	 len;
	int	 rc;

	*out = NULL;
	if (!g_file_get_contents(path, &text, &len, &error)) {
		*cause = g_strdup_printf("cannot read the bank holiday list: "
		    "%s", error->message);
		g_error_free(error);
		return (-1);
	}
	rc = calendar_parse(path, text, len, out, cause);
	g_free(text);
	return (rc);
}

void
calendar_free(struct calendar *cal)
{
	if (cal != NULL)
		calendar_free_partial(cal);
}

const char *
calendar_name(const struct calendar *cal)
{
	return (cal->name);
}

const GPtrArray *
calendar_holidays(const struct calendar *cal)
{
	return (cal->holidays);
}

void
calendar_coverage(const struct calendar *cal, GDate *first, GDate *last)
{
	*first = cal->first;
	*last = cal->last;
}

gboolean
calendar_covers(const struct calendar *cal, const GDate *d)
{
	return (g_date_compare(d, &cal->first) >= 0 &&
	    g_date_compare(d, &cal->last) <= 0);
}

const struct holiday *
calendar_holiday(const struct calendar *cal, const GDate *d)
{
	return (g_hash_table_lookup(cal->by_day,
	    GUINT_TO_POINTER(g_date_get_julian(d))));
}

gboolean
calendar_is_working_day(const struct calendar *cal, const GDate *d)
{
	return (!is_weekend(d) && calendar_holiday(cal, d) == NULL);
}

/* Why a day the list does not cover is refused, and what to do. */
static char *
uncovered(const struct calendar *cal, const GDate *d, const char *what)
{
	char	*edge, *cause;

	if (g_date_compare(d, &cal->last) > 0) {
		edge = calendar_date_iso(&cal->last);
		cause = g_strdup_printf("%s: bank holidays in %s are known "
		    "only up to %s: run redress calendar update FILE with the "
		    "current list from %s", what, cal->name, edge,
		    CALENDAR_SOURCE_URL);
	} else {
		edge = calendar_date_iso(&cal->first);
		cause = g_strdup_printf("%s: bank holidays in %s are known "
		    "only from %s; dates before it cannot be counted", what,
		    cal->name, edge);
	}
	g_free(edge);
	return (cause);
}

void
deadline_calc_free(struct deadline_calc *calc)
{
	if (calc == NULL)
		return;
	g_array_unref(calc->skipped);
	g_array_unref(calc->stops);
	g_array_unref(calc->extensions);
	g_string_chunk_free(calc->strings);
	g_free(calc);
}

static const struct clock_stop *
stop_on(const GArray *stops, const GDate *d)
{
	const struct clock_stop *s;
	guint		 i;

	for (i = 0; i < stops->len; i++) {
		s = &g_array_index(stops, struct clock_stop, i);
		if (g_date_compare(d, &s->from) >= 0 &&
		    g_date_compare(d, &s->to) <= 0)
			return (s);
	}
	return (NULL);
}

/* Copy the adjustments into calc (strings into its chunk), checking them. */
static int
copy_adjustments(struct deadline_calc *calc, const GArray *stops,
    const GArray *extensions, char **cause)
{
	struct clock_stop	 s;
	struct clock_extension	 e;
	char			*from;
	guint			 i;

	for (i = 0; stops != NULL && i < stops->len; i++) {
		s = g_array_index(stops, struct clock_stop, i);
		if (!g_date_valid(&s.from) || !g_date_valid(&s.to)) {
			*cause = g_strdup_printf("clock stop %u (%s) has no %s "
			    "date: while the clock is stopped there is no due "
			    "date", i + 1, s.why != NULL ? s.why : "no reason",
			    g_date_valid(&s.from) ? "end" : "start");
			return (-1);
		}
		if (g_date_compare(&s.to, &s.from) < 0) {
			from = calendar_date_iso(&s.from);
			*cause = g_strdup_printf("clock stop %u (%s) ends "
			    "before it starts on %s", i + 1,
			    s.why != NULL ? s.why : "no reason", from);
			g_free(from);
			return (-1);
		}
		s.why = g_string_chunk_insert(calc->strings,
		    s.why != NULL ? s.why : "clock stopped");
		g_array_append_val(calc->stops, s);
	}
	for (i = 0; extensions != NULL && i < extensions->len; i++) {
		e = g_array_index(extensions, struct clock_extension, i);
		if (e.days < 1 || e.days > 366) {
			*cause = g_strdup_printf("extension %u (%s) is %d "
			    "working days; expected 1 to 366", i + 1,
			    e.why != NULL ? e.why : "no reason", e.days);
			return (-1);
		}
		e.why = g_string_chunk_insert(calc->strings,
		    e.why != NULL ? e.why : "extended");
		g_array_append_val(calc->extensions, e);
		calc->extra_days += e.days;
	}
	return (0);
}

static void
skip(struct deadline_calc *calc, const GDate *d, enum skip_reason reason,
    const char *why)
{
	struct skipped_day	 s;

	s.date = *d;
	s.reason = reason;
	s.why = why;
	g_array_append_val(calc->skipped, s);
}

int
calendar_deadline(const struct calendar *cal, const GDate *received,
    int days, const GArray *stops, const GArray *extensions,
    struct deadline_calc **out, char **cause)
{
	struct deadline_calc	*calc;
	const struct holiday	*h;
	const struct clock_stop	*s;
	const char		*weekend;
	char			*what, *from;
	GDate			 d;
	int			 counted, total;

	*out = NULL;
	from = calendar_date_text(received);
	if (days < 1 || days > 1000) {
		*cause = g_strdup_printf("cannot count %d working days from "
		    "%s: expected 1 to 1000", days, from);
		g_free(from);
		return (-1);
	}
	calc = g_new0(struct deadline_calc, 1);
	calc->received = *received;
	calc->days = days;
	g_date_clear(&calc->first, 1);
	g_date_clear(&calc->due, 1);
	calc->skipped = g_array_new(FALSE, FALSE, sizeof(struct skipped_day));
	calc->stops = g_array_new(FALSE, FALSE, sizeof(struct clock_stop));
	calc->extensions = g_array_new(FALSE, FALSE,
	    sizeof(struct clock_extension));
	calc->strings = g_string_chunk_new(256);
	if (copy_adjustments(calc, stops, extensions, cause) != 0) {
		deadline_calc_free(calc);
		g_free(from);
		return (-1);
	}
	total = days + calc->extra_days;
	weekend = g_string_chunk_insert_const(calc->strings, "weekend");

	d = *received;
	counted = 0;
	while (counted < total) {
		g_date_add_days(&d, 1);
		if (!calendar_covers(cal, &d)) {
			what = g_strdup_printf("cannot count %d working days "
			    "from %s", total, from);
			*cause = uncovered(cal, &d, what);
			g_free(what);
			g_free(from);
			deadline_calc_free(calc);
			return (-1);
		}
		if (is_weekend(&d))
			skip(calc, &d, SKIP_WEEKEND, weekend);
		else if ((h = calendar_holiday(cal, &d)) != NULL) {
			char	*why, *notes = g_utf8_strdown(h->notes, -1);

			why = *notes == '\0' ? g_strdup(h->title) :
			    g_strdup_printf("%s, %s", h->title, notes);
			skip(calc, &d, SKIP_HOLIDAY,
			    g_string_chunk_insert_const(calc->strings, why));
			g_free(why);
			g_free(notes);
		} else if ((s = stop_on(calc->stops, &d)) != NULL)
			skip(calc, &d, SKIP_STOPPED, s->why);
		else if (++counted == 1)
			calc->first = d;
	}
	calc->due = d;
	g_free(from);
	*out = calc;
	return (0);
}

int
calendar_add_working_days(const struct calendar *cal, const GDate *received,
    int days, struct deadline_calc **out, char **cause)
{
	return (calendar_deadline(cal, received, days, NULL, NULL, out,
	    cause));
}

int
calendar_sar_due(const struct calendar *cal, const GDate *received,
    GDate *due, char **cause)
{
	char	*what, *from;

	calendar_add_months(received, 1, due);
	for (;;) {
		if (!calendar_covers(cal, due)) {
			from = calendar_date_text(received);
			what = g_strdup_printf("cannot work out when a subject "
			    "access request received on %s is due", from);
			*cause = uncovered(cal, due, what);
			g_free(what);
			g_free(from);
			return (-1);
		}
		if (calendar_is_working_day(cal, due))
			return (0);
		g_date_add_days(due, 1);
	}
}

/*
 * The text lets anyone redo the count: from the day after receipt to the
 * due date, every day is either counted or listed (weekends as a total),
 * and the last line adds them up.
 */
char *
deadline_calc_explain(const struct deadline_calc *calc)
{
	GString			*s = g_string_new(NULL);
	const struct skipped_day *sk;
	const struct clock_stop	*st;
	const struct clock_extension *ex;
	char			*a, *b;
	guint			 i, j, weekends = 0, holidays = 0, stopped = 0;
	guint			 in_stop, span;
	int			 total = calc->days + calc->extra_days;

	a = calendar_date_text(&calc->received);
	g_string_append_printf(s, "received %s; counting starts the working "
	    "day after receipt\n", a);
	g_free(a);
	g_string_append_printf(s, "limit: %d working days\n", calc->days);
	for (i = 0; i < calc->extensions->len; i++) {
		ex = &g_array_index(calc->extensions, struct clock_extension,
		    i);
		g_string_append_printf(s, "extended by %d working days: %s\n",
		    ex->days, ex->why);
	}
	if (calc->extra_days > 0)
		g_string_append_printf(s, "limit with extensions: %d working "
		    "days\n", total);
	a = calendar_date_text(&calc->first);
	g_string_append_printf(s, "day 1: %s\n", a);
	g_free(a);

	for (i = 0; i < calc->skipped->len; i++) {
		sk = &g_array_index(calc->skipped, struct skipped_day, i);
		switch (sk->reason) {
		case SKIP_WEEKEND:
			weekends++;
			break;
		case SKIP_HOLIDAY:
			holidays++;
			a = calendar_date_text(&sk->date);
			g_string_append_printf(s, "not counted: %s (%s)\n", a,
			    sk->why);
			g_free(a);
			break;
		case SKIP_STOPPED:
			stopped++;
			break;
		}
	}
	for (i = 0; i < calc->stops->len; i++) {
		st = &g_array_index(calc->stops, struct clock_stop, i);
		in_stop = 0;
		for (j = 0; j < calc->skipped->len; j++) {
			sk = &g_array_index(calc->skipped, struct skipped_day,
			    j);
			if (sk->reason == SKIP_STOPPED &&
			    g_date_compare(&sk->date, &st->from) >= 0 &&
			    g_date_compare(&sk->date, &st->to) <= 0)
				in_stop++;
		}
		a = calendar_date_text(&st->from);
		b = calendar_date_text(&st->to);
		g_string_append_printf(s, "clock stopped %s to %s (%s): %u "
		    "working day%s not counted\n", a, b, st->why, in_stop,
		    in_stop == 1 ? "" : "s");
		g_free(a);
		g_free(b);
	}
	g_string_append_printf(s, "not counted: %u weekend day%s\n", weekends,
	    weekends == 1 ? "" : "s");
	a = calendar_date_text(&calc->due);
	g_string_append_printf(s, "due: %s (day %d)\n", a, total);
	g_free(a);
	span = (guint)g_date_days_between(&calc->received, &calc->due);
	g_string_append_printf(s, "check: %u days after receipt = %d counted "
	    "+ %u weekend + %u bank holiday + %u stopped\n", span, total,
	    weekends, holidays, stopped);
	return (g_string_free(s, FALSE));
}
