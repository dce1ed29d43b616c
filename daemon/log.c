/* log.c: syslog, or stderr when in the foreground. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "log.h"

static gboolean	to_stderr = TRUE;
static int	log_debug_level;

void
log_open(const char *ident, gboolean foreground, int debug)
{
	to_stderr = foreground;
	log_debug_level = debug;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
log_close(void)
{
	if (!to_stderr)
		closelog();
}

static void
log_vwrite(int priority, const char *fmt, va_list ap)
{
	char	*msg = g_strdup_vprintf(fmt, ap);

	if (to_stderr)
		fprintf(stderr, "redressd: %s\n", msg);
	else
		syslog(priority, "%s", msg);
	g_free(msg);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_debug_level == 0)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
