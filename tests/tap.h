/*
 * tap.h: a tiny TAP producer for the C unit tests (test-*.c).
 * ok(cond, "what the user would see") prints one test point; tap_done()
 * prints the plan and returns the exit status.
 */
#ifndef REDRESS_TAP_H
#define REDRESS_TAP_H

#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, \
	__VA_ARGS__)

static inline int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return (pass);
}

static inline int
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *what, ...)
{
	int	pass = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	tap_ok(pass, file, line, "%s", what);
	if (!pass)
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
		    want ? want : "(null)");
	return (pass);
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return (tap_failed ? 1 : 0);
}

#endif
