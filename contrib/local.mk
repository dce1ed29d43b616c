# contrib

# --- config: the manual page of redress.conf and the commented example
dist_man_MANS += contrib/redress.conf.5
EXTRA_DIST += contrib/redress.conf.example

# --- calendar: the shipped bank holidays (install it with
# `redress calendar update $(pkgdatadir)/bank-holidays.json`)
calendardir = $(pkgdatadir)
dist_calendar_DATA = contrib/bank-holidays.json

# --- the operator's tools and the demo
EXTRA_DIST += contrib/install-deps contrib/demo contrib/bench-intake \
	contrib/bench-backlog
