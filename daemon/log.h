/*
 * log.h: logging to syslog, or to stderr in the foreground.
 *
 * Never log personal data: no addresses, names, subjects or bodies. Name
 * things by Area, mailbox, UID, Message-ID hash prefix and case reference.
 */
#ifndef REDRESS_LOG_H
#define REDRESS_LOG_H

#include <glib.h>

void		 log_open(const char *ident, gboolean foreground, int debug);
void		 log_close(void);
void		 log_warnx(const char *, ...) G_GNUC_PRINTF(1, 2);
void		 log_info(const char *, ...) G_GNUC_PRINTF(1, 2);
void		 log_debug(const char *, ...) G_GNUC_PRINTF(1, 2);
G_NORETURN void	 fatalx(const char *, ...) G_GNUC_PRINTF(1, 2);

#endif
