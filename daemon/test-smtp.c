/*
 * test-smtp.c: send one message file through deliver-smtp.h, for
 * tests/smtp.sh (which runs it against a real SMTP server).
 *
 * usage: test-smtp [options] HOST PORT MESSAGE-FILE RECIPIENT...
 * Prints "open: ok" or "open: failed: CAUSE", then for each send
 * "send N: RESULT", one "rcpt N: RESULT CODE REPLY" line per recipient and
 * "cause: ..." when there is one. Exits 0 when every send was accepted,
 * 1 on a permanent failure, 75 on a temporary one, 3 when the connection
 * could not be opened, 2 on a usage error.
 */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "deliver-smtp.h"
#include "log.h"

static int
parse_tls(const char *name, enum tls_mode *mode)
{
	if (strcmp(name, "none") == 0)
		*mode = TLS_NONE;
	else if (strcmp(name, "starttls") == 0)
		*mode = TLS_STARTTLS;
	else if (strcmp(name, "implicit") == 0)
		*mode = TLS_IMPLICIT;
	else
		return (-1);
	return (0);
}

static void
print_results(GPtrArray *results)
{
	struct smtp_rcpt_result	*rr;
	guint			 i;

	for (i = 0; i < results->len; i++) {
		rr = g_ptr_array_index(results, i);
		printf("rcpt %u: %s %d %s\n", i + 1,
		    smtp_result_name(rr->result), rr->code, rr->reply);
	}
}

int
main(int argc, char **argv)
{
	char			*tls = NULL, *ca_file = NULL, *user = NULL;
	char			*password = NULL, *helo = NULL, *from = NULL;
	int			 timeout = 10, count = 1, status = 0, i;
	GOptionEntry		 entries[] = {
		{ "tls", 0, 0, G_OPTION_ARG_STRING, &tls,
		    "none, starttls or implicit", "MODE" },
		{ "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
		    "trust this CA", "FILE" },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user, "AUTH user", "U" },
		{ "password", 0, 0, G_OPTION_ARG_STRING, &password,
		    "AUTH password", "P" },
		{ "helo", 0, 0, G_OPTION_ARG_STRING, &helo, "EHLO name", "H" },
		{ "from", 0, 0, G_OPTION_ARG_STRING, &from,
		    "envelope sender (\"\" = null path)", "ADDR" },
		{ "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "seconds", "N" },
		{ "count", 0, 0, G_OPTION_ARG_INT, &count,
		    "send the message N times on one connection", "N" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	GOptionContext		*context;
	GError			*error = NULL;
	struct smtp_config	 cfg;
	struct smtp_session	*session;
	enum smtp_result	 result;
	GPtrArray		*recipients, *results;
	gchar			*raw;
	gsize			 len;
	char			*cause = NULL;

	/* deliver-smtp.h: a relay hanging up must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	log_open("test-smtp", TRUE, g_getenv("TEST_SMTP_DEBUG") != NULL);

	context = g_option_context_new("HOST PORT MESSAGE-FILE RECIPIENT...");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error) ||
	    argc < 5) {
		fprintf(stderr, "test-smtp: %s\n", error != NULL ?
		    error->message : "HOST PORT MESSAGE-FILE RECIPIENT...");
		g_clear_error(&error);
		g_option_context_free(context);
		return (2);
	}
	g_option_context_free(context);

	memset(&cfg, 0, sizeof cfg);
	cfg.host = argv[1];
	cfg.port = atoi(argv[2]);
	if (tls == NULL)
		cfg.tls = TLS_NONE;
	else if (parse_tls(tls, &cfg.tls) != 0) {
		fprintf(stderr, "test-smtp: --tls %s: expected none, "
		    "starttls or implicit\n", tls);
		return (2);
	}
	cfg.ca_file = ca_file != NULL ? ca_file : "";
	cfg.user = user != NULL ? user : "";
	cfg.password = password != NULL ? password : "";
	cfg.password_file = "";
	cfg.helo = helo != NULL ? helo : "";
	cfg.from = from != NULL ? from : "redress@example.org";

	if (!g_file_get_contents(argv[3], &raw, &len, &error)) {
		fprintf(stderr, "test-smtp: %s\n", error->message);
		g_clear_error(&error);
		return (2);
	}
	recipients = g_ptr_array_new();
	for (i = 4; i < argc; i++)
		g_ptr_array_add(recipients, argv[i]);

	if (smtp_open(&cfg, timeout, &session, &cause) != 0) {
		printf("open: failed: %s\n", cause);
		status = 3;
		goto out;
	}
	printf("open: ok\n");
	for (i = 1; i <= count; i++) {
		result = smtp_send(session, cfg.from, recipients, raw, len,
		    &results, &cause);
		printf("send %d: %s\n", i, smtp_result_name(result));
		print_results(results);
		g_ptr_array_unref(results);
		if (cause != NULL)
			printf("cause: %s\n", cause);
		g_free(cause);
		cause = NULL;
		if (!smtp_usable(session))
			printf("connection: no longer usable\n");
		if (result != SMTP_OK) {
			status = result == SMTP_TEMPFAIL ? 75 : 1;
			break;
		}
	}
	smtp_close(session);

out:
	g_free(cause);
	g_ptr_array_unref(recipients);
	g_free(raw);
	g_free(tls);
	g_free(ca_file);
	g_free(user);
	g_free(password);
	g_free(helo);
	g_free(from);
	log_close();
	return (status);
}
