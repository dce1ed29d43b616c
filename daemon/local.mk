# daemon/: everything with effects. Sections by concern; edit only your own.

# --- core: clock, log, store, workflow, intake, outbox, programs
libredress_daemon_a_SOURCES += \
	daemon/clock.c daemon/clock.h \
	daemon/log.c daemon/log.h \
	daemon/store.c daemon/store.h \
	daemon/workflow.c daemon/workflow.h \
	daemon/intake.c daemon/intake.h \
	daemon/outbox.c daemon/outbox.h \
	daemon/cmd-case.c daemon/cmd.h
redressd_SOURCES = daemon/redressd.c
redressd_LDADD = $(DAEMON_LIBS)
redress_SOURCES = daemon/redress.c
redress_LDADD = $(DAEMON_LIBS)

# --- config
libredress_daemon_a_SOURCES += \
	daemon/config.c daemon/config.h \
	daemon/cmd-config.c

# --- network: TLS and IMAP
libredress_daemon_a_SOURCES += \
	daemon/tls.c daemon/tls.h \
	daemon/fetch-imap.c daemon/fetch-imap.h

# --- SMTP
libredress_daemon_a_SOURCES += \
	daemon/deliver-smtp.c daemon/deliver-smtp.h

# --- outgoing mail: templates and composition
libredress_daemon_a_SOURCES += \
	daemon/template.c daemon/template.h \
	daemon/compose.c daemon/compose.h

# --- rules loading and classify
libredress_daemon_a_SOURCES += \
	daemon/rules-load.c daemon/rules-load.h \
	daemon/cmd-classify.c

# --- calendar
libredress_daemon_a_SOURCES += \
	daemon/calendar.c daemon/calendar.h \
	daemon/cmd-calendar.c
