# rules/: the pure rules engine and its rule files (owner: rules)
libredress_pure_a_SOURCES += \
	rules/verdict.c rules/verdict.h \
	rules/rules.c rules/rules.h
