/*
 * clock.h: the one clock. Nothing else calls time().
 *
 * REDRESS_NOW (ISO 8601, e.g. 2026-12-18T10:00:00Z) fixes the time for
 * tests and demos; it is read once, at the first call.
 */
#ifndef REDRESS_CLOCK_H
#define REDRESS_CLOCK_H

#include <glib.h>

/* Unix time now (or REDRESS_NOW). */
gint64		 clock_now(void);
/* Set from a string; returns -1 and sets *cause when it cannot be read. */
int		 clock_init(char **cause);
/* "2026-12-18T10:00:00Z" for t; caller frees. */
char		*clock_format(gint64 t);
/* "2026-12-18 10:00 UTC", for people (notices); caller frees. */
char		*clock_text(gint64 t);

#endif
