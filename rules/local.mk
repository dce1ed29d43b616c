# rules/: the pure rules engine and its rule files (owner: rules)
libredress_pure_a_SOURCES += \
	rules/schema.c rules/schema.h \
	rules/verdict.c rules/verdict.h \
	rules/rules.c rules/rules.h rules/ruleset.h \
	rules/rulefile.c \
	rules/text.c rules/text.h \
	rules/dates.c rules/dates.h \
	rules/loop.c rules/loop.h \
	rules/msg-features.c rules/msg-features.h \
	rules/model.c rules/model.h
# Rule files are data, read at start and on SIGHUP from $(pkgdatadir)/rules.
nobase_dist_pkgdata_DATA += \
	rules/10-machine.rules rules/20-kind.rules rules/30-category.rules \
	rules/40-representative.rules rules/50-restrictions.rules \
	rules/60-language.rules rules/70-dates.rules rules/80-requests.rules \
	rules/model.txt
EXTRA_DIST += rules/README rules/test-cli.sh tests/data/rules \
	contrib/bench-classify
check_PROGRAMS += rules/test-schema rules/test-dates rules/test-rulefile \
	rules/test-classify rules/test-loop rules/test-model
TESTS += rules/test-schema rules/test-dates rules/test-rulefile \
	rules/test-classify rules/test-cli.sh rules/test-loop rules/test-model
rules_test_loop_SOURCES = rules/test-loop.c tests/tap.h
rules_test_loop_LDADD = $(PURE_LIBS)
rules_test_schema_SOURCES = rules/test-schema.c tests/tap.h
rules_test_schema_LDADD = $(PURE_LIBS)
rules_test_dates_SOURCES = rules/test-dates.c tests/tap.h
rules_test_dates_LDADD = $(PURE_LIBS)
# The rules' tests read the rule files themselves: pure code only.
rules_test_rulefile_SOURCES = rules/test-rulefile.c rules/test-rules-dir.h \
	rules/test-rules-mail.h \
	tests/tap.h
rules_test_rulefile_LDADD = $(PURE_LIBS)
rules_test_classify_SOURCES = rules/test-classify.c rules/test-rules-dir.h \
	tests/tap.h
rules_test_classify_LDADD = $(PURE_LIBS)
rules_test_model_SOURCES = rules/test-model.c tests/tap.h
rules_test_model_LDADD = $(PURE_LIBS)
# The learned layer on any bytes: features and probabilities (fuzz.h).
check_PROGRAMS += rules/fuzz-features
TESTS += rules/fuzz-features
rules_fuzz_features_SOURCES = rules/fuzz-features.c $(FUZZ_MAIN)
rules_fuzz_features_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
rules_fuzz_features_LDADD = $(PURE_LIBS)
# The rule-file parser on any bytes: errors as FILE:LINE, all or nothing.
check_PROGRAMS += rules/fuzz-rulefile
TESTS += rules/fuzz-rulefile
rules_fuzz_rulefile_SOURCES = rules/fuzz-rulefile.c $(FUZZ_MAIN)
rules_fuzz_rulefile_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
rules_fuzz_rulefile_LDADD = $(PURE_LIBS)
EXTRA_DIST += tests/data/rulefile

# Letter checks and the jargon list (owner: life)
libredress_pure_a_SOURCES += rules/letter-check.c rules/letter-check.h
nobase_dist_pkgdata_DATA += rules/jargon.list
check_PROGRAMS += rules/test-letter-check
TESTS += rules/test-letter-check
rules_test_letter_check_SOURCES = rules/test-letter-check.c tests/tap.h
rules_test_letter_check_LDADD = $(PURE_LIBS)
