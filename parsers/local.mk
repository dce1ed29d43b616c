# parsers/: pure message parsing (owner: parsers)
libredress_pure_a_SOURCES += \
	parsers/message.c parsers/message.h \
	parsers/regex-cache.c parsers/regex-cache.h \
	parsers/html-text.c parsers/html-text.h

# What every fuzz target shares: the libFuzzer entry point and the fixture
# runner (fuzz.h).
FUZZ_MAIN = parsers/fuzz-main.c parsers/fuzz.h tests/tap.h

# Unit tests read their fixtures from tests/data/mail. fuzz-message is the
# fuzzing entry point; built without libFuzzer it runs over every fixture
# (or the files named on its command line) and checks the parse invariants.
check_PROGRAMS += parsers/test-message parsers/fuzz-message
TESTS += parsers/test-message parsers/fuzz-message
parsers_test_message_SOURCES = parsers/test-message.c tests/tap.h
parsers_test_message_LDADD = $(PURE_LIBS)
parsers_fuzz_message_SOURCES = parsers/fuzz-message.c $(FUZZ_MAIN)
parsers_fuzz_message_LDADD = $(PURE_LIBS)
EXTRA_DIST += tests/data/mail

# Staff commands, reply tokens, Authentication-Results (owner: life)
libredress_pure_a_SOURCES += \
	parsers/staff-command.c parsers/staff-command.h \
	parsers/reply-token.c parsers/reply-token.h \
	parsers/authres.c parsers/authres.h
check_PROGRAMS += parsers/test-staff-command parsers/test-reply-token \
	parsers/test-authres
TESTS += parsers/test-staff-command parsers/test-reply-token \
	parsers/test-authres
parsers_test_staff_command_SOURCES = parsers/test-staff-command.c tests/tap.h
parsers_test_staff_command_LDADD = $(PURE_LIBS)
parsers_test_reply_token_SOURCES = parsers/test-reply-token.c tests/tap.h
parsers_test_reply_token_LDADD = $(PURE_LIBS)
parsers_test_authres_SOURCES = parsers/test-authres.c tests/tap.h
parsers_test_authres_LDADD = $(PURE_LIBS)

# The fuzz targets of staff commands, Authentication-Results and reply
# tokens; built without libFuzzer each runs over its fixtures in
# tests/data/DIR and checks its invariants (fuzz.h).
check_PROGRAMS += parsers/fuzz-staff-command parsers/fuzz-authres \
	parsers/fuzz-reply-token
TESTS += parsers/fuzz-staff-command parsers/fuzz-authres \
	parsers/fuzz-reply-token
parsers_fuzz_staff_command_SOURCES = parsers/fuzz-staff-command.c \
	$(FUZZ_MAIN)
parsers_fuzz_staff_command_LDADD = $(PURE_LIBS)
parsers_fuzz_authres_SOURCES = parsers/fuzz-authres.c $(FUZZ_MAIN)
parsers_fuzz_authres_LDADD = $(PURE_LIBS)
parsers_fuzz_reply_token_SOURCES = parsers/fuzz-reply-token.c $(FUZZ_MAIN)
parsers_fuzz_reply_token_LDADD = $(PURE_LIBS)
EXTRA_DIST += tests/data/staff-command tests/data/authres \
	tests/data/reply-token

# Addresses: the one place they are checked, compared and written for
# SMTP (owner: addr). fuzz-address runs over tests/data/address without
# libFuzzer.
libredress_pure_a_SOURCES += parsers/address.c parsers/address.h
check_PROGRAMS += parsers/test-address parsers/fuzz-address
TESTS += parsers/test-address parsers/fuzz-address
parsers_test_address_SOURCES = parsers/test-address.c tests/tap.h
parsers_test_address_LDADD = $(PURE_LIBS)
parsers_fuzz_address_SOURCES = parsers/fuzz-address.c $(FUZZ_MAIN)
parsers_fuzz_address_LDADD = $(PURE_LIBS)
EXTRA_DIST += tests/data/address
