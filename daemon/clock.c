/* clock.c: wall clock, or the fixed time from REDRESS_NOW. */
#include <stdlib.h>
#include <time.h>

#include "clock.h"

static gboolean	fixed;
static gint64	fixed_now;

int
clock_init(char **cause)
{
	const char	*s = getenv("REDRESS_NOW");
	GTimeZone	*utc;
	GDateTime	*dt;

	fixed = FALSE;
	if (s == NULL || *s == '\0')
		return (0);
	utc = g_time_zone_new_utc();
	dt = g_date_time_new_from_iso8601(s, utc);
	g_time_zone_unref(utc);
	if (dt == NULL) {
		*cause = g_strdup_printf("REDRESS_NOW=%s is not an ISO 8601 "
		    "time; write it like 2026-12-18T10:00:00Z", s);
		return (-1);
	}
	fixed_now = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	fixed = TRUE;
	return (0);
}

gint64
clock_now(void)
{
	if (fixed)
		return (fixed_now);
	return ((gint64)time(NULL));
}

static char *
format_utc(gint64 t, const char *format)
{
	GDateTime	*dt = g_date_time_new_from_unix_utc(t);
	char		*s;

	if (dt == NULL)
		return (g_strdup("?"));
	s = g_date_time_format(dt, format);
	g_date_time_unref(dt);
	return (s);
}

char *
clock_format(gint64 t)
{
	return (format_utc(t, "%Y-%m-%dT%H:%M:%SZ"));
}

char *
clock_text(gint64 t)
{
	return (format_utc(t, "%Y-%m-%d %H:%M UTC"));
}
