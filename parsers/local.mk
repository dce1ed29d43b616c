# parsers/: pure message parsing (owner: parsers)
libredress_pure_a_SOURCES += \
	parsers/message.c parsers/message.h \
	parsers/html-text.c parsers/html-text.h
