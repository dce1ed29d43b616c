# daemon/: everything with effects. Sections by concern; edit only your own.

# --- core: clock, log, store, the case core, intake, outbox, programs
libredress_daemon_a_SOURCES += \
	daemon/clock.c daemon/clock.h \
	daemon/log.c daemon/log.h \
	daemon/store.c daemon/store.h daemon/store-private.h \
	daemon/store-case.c daemon/store-mail.c daemon/store-outbox.c \
	daemon/store-report.c daemon/store-report.h \
	daemon/workflow.c daemon/workflow.h \
	daemon/incoming.c daemon/incoming.h \
	daemon/route.c daemon/route.h \
	daemon/case-new.c daemon/case-new.h \
	daemon/case-move.c daemon/case-move.h \
	daemon/case-steer.c daemon/case-steer.h \
	daemon/case-clock.c daemon/case-clock.h \
	daemon/mail-out.c daemon/mail-out.h \
	daemon/scheduler.c daemon/scheduler.h \
	daemon/resources.c daemon/resources.h \
	daemon/intake.c daemon/intake.h \
	daemon/outbox.c daemon/outbox.h \
	daemon/cmd-case.c daemon/cmd.h \
	daemon/cmd-quarantine.c daemon/cmd-store.c \
	daemon/case-state.c daemon/case-state.h
redressd_SOURCES = daemon/redressd.c
redressd_LDADD = $(DAEMON_LIBS)
redress_SOURCES = daemon/redress.c
# liblinear (and the BLAS under it) only where `redress train` is: the
# daemon and classify use a model without it (rules/model.c).
redress_LDADD = $(DAEMON_LIBS) $(LIBLINEAR_LIBS)
# The case state table is pure: its test needs GLib and nothing else, and
# reads the header to hold the drawing there to the table.
check_PROGRAMS += daemon/test-case-state
daemon_test_case_state_SOURCES = daemon/test-case-state.c \
	daemon/case-state.c daemon/case-state.h tests/tap.h
daemon_test_case_state_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCASE_STATE_HEADER='"$(abs_top_srcdir)/daemon/case-state.h"'
daemon_test_case_state_LDADD = $(GLIB_LIBS)
TESTS += daemon/test-case-state

# --- config
libredress_daemon_a_SOURCES += \
	daemon/config.c daemon/config.h \
	daemon/cmd-config.c
check_PROGRAMS += daemon/test-config
daemon_test_config_SOURCES = daemon/test-config.c tests/tap.h
daemon_test_config_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCONF_FIXTURES='"$(abs_top_srcdir)/tests/data/conf"'
daemon_test_config_LDADD = $(DAEMON_LIBS)
TESTS += daemon/test-config tests/check-config.sh
EXTRA_DIST += tests/check-config.sh \
	tests/data/conf/good.conf tests/data/conf/minimal.conf \
	tests/data/conf/bad.conf tests/data/conf/syntax.conf \
	tests/data/conf/secret tests/data/conf/short.secret \
	tests/data/conf/lon.pass tests/data/conf/cym.pass \
	tests/data/conf/smtp.pass tests/data/conf/open.pass

# --- network: TLS and IMAP
libredress_daemon_a_SOURCES += \
	daemon/tls.c daemon/tls.h \
	daemon/fetch-imap.c daemon/fetch-imap.h
# test-imap is driven by tests/imap.sh against a throwaway Dovecot.
check_PROGRAMS += daemon/test-imap
daemon_test_imap_SOURCES = daemon/test-imap.c daemon/fetch-imap.c \
	daemon/fetch-imap.h daemon/tls.c daemon/tls.h
daemon_test_imap_LDADD = $(ETPAN_LIBS) $(GNUTLS_LIBS) $(GLIB_LIBS)
TESTS += tests/imap.sh
EXTRA_DIST += tests/imap.sh tests/lib/dovecot.sh tests/lib/certs.sh

# --- SMTP
libredress_daemon_a_SOURCES += \
	daemon/deliver-smtp.c daemon/deliver-smtp.h
# test-smtp is the client tests/smtp.sh drives against a real SMTP server.
check_PROGRAMS += daemon/test-smtp
daemon_test_smtp_SOURCES = daemon/test-smtp.c daemon/deliver-smtp.c \
	daemon/deliver-smtp.h daemon/tls.c daemon/tls.h daemon/log.c \
	daemon/log.h parsers/address.c parsers/address.h
daemon_test_smtp_LDADD = $(ETPAN_LIBS) $(GNUTLS_LIBS) $(GMIME_LIBS) \
	$(GLIB_LIBS)
TESTS += tests/smtp.sh
EXTRA_DIST += tests/smtp.sh tests/lib/smtp-sink.sh \
	tests/data/smtp/message.eml

# --- outgoing mail: templates and composition
libredress_daemon_a_SOURCES += \
	daemon/template.c daemon/template.h \
	daemon/compose.c daemon/compose.h
check_PROGRAMS += daemon/test-template daemon/test-compose
TESTS += daemon/test-template daemon/test-compose
daemon_test_template_SOURCES = daemon/test-template.c tests/tap.h \
	tests/scratch-templates.h
daemon_test_template_LDADD = $(DAEMON_LIBS)
daemon_test_compose_SOURCES = daemon/test-compose.c tests/tap.h \
	tests/scratch-templates.h
daemon_test_compose_LDADD = $(DAEMON_LIBS)

# --- rules loading and classify
libredress_daemon_a_SOURCES += \
	daemon/rules-load.c daemon/rules-load.h \
	daemon/cmd-classify.c daemon/cmd-train.c
check_PROGRAMS += daemon/test-rules-load
daemon_test_rules_load_SOURCES = daemon/test-rules-load.c \
	rules/test-rules-mail.h tests/tap.h
daemon_test_rules_load_LDADD = $(DAEMON_LIBS)
TESTS += daemon/test-rules-load
# The last place classify looks for rules: the source tree, so the binary
# finds them when run from the build tree.
AM_CPPFLAGS += -DREDRESS_SRCDIR='"$(abs_top_srcdir)"'

# --- calendar
libredress_daemon_a_SOURCES += \
	daemon/calendar.c daemon/calendar.h \
	daemon/cmd-calendar.c
check_PROGRAMS += daemon/test-calendar
daemon_test_calendar_SOURCES = daemon/test-calendar.c daemon/calendar.c \
	daemon/calendar.h parsers/regex-cache.c tests/tap.h
daemon_test_calendar_LDADD = $(GLIB_LIBS) $(JSONGLIB_LIBS)
TESTS += daemon/test-calendar tests/calendar.sh
EXTRA_DIST += tests/calendar.sh

# --- store unit test; redress case on a damaged database
check_PROGRAMS += daemon/test-store
daemon_test_store_SOURCES = daemon/test-store.c
daemon_test_store_LDADD = $(DAEMON_LIBS)
TESTS += daemon/test-store tests/case-errors.sh
EXTRA_DIST += tests/case-errors.sh

# --- the case core without servers: routing, steering, the lifecycle over
# a temporary store (test-core.c sets it up)
check_PROGRAMS += daemon/test-route daemon/test-case-steer \
	daemon/test-case-move daemon/test-hot-path
TESTS += daemon/test-route daemon/test-case-steer daemon/test-case-move \
	daemon/test-hot-path
CORE_TEST_SOURCES = daemon/test-core.c daemon/test-core.h tests/tap.h
daemon_test_route_SOURCES = daemon/test-route.c $(CORE_TEST_SOURCES)
daemon_test_route_LDADD = $(DAEMON_LIBS)
daemon_test_case_steer_SOURCES = daemon/test-case-steer.c \
	$(CORE_TEST_SOURCES)
daemon_test_case_steer_LDADD = $(DAEMON_LIBS)
daemon_test_case_move_SOURCES = daemon/test-case-move.c $(CORE_TEST_SOURCES)
daemon_test_case_move_LDADD = $(DAEMON_LIBS)
daemon_test_hot_path_SOURCES = daemon/test-hot-path.c \
	$(CORE_TEST_SOURCES)
daemon_test_hot_path_LDADD = $(DAEMON_LIBS)
