/*
 * test-imap.c: drives fetch-imap.h for tests/imap.sh, one connection and
 * a sequence of commands, printing what a caller would see.
 *
 *   test-imap [-a AREA] [-h HOST] [-p PORT] [-t none|starttls|implicit]
 *       [-c CA_FILE] [-u USER] [-w PASSWORD] [-W PASSWORD_FILE_NAME]
 *       [-m MAILBOX] [-T TIMEOUT]
 *       COMMAND...
 *
 *   caps                 "idle=yes move=no"
 *   list AFTER           "uidvalidity=N", then "uid=U size=S" per message
 *   fetch UID FILE       writes the message to FILE
 *   done UID FOLDER      imap_done() ("" flags \Seen)
 *   idle SECONDS         enters IDLE, prints "idling", waits for the fd,
 *                        prints "woke" or "no news", ends IDLE
 *   noop
 *   pause SECONDS        prints "paused", then sleeps (the test acts meanwhile)
 *
 * Errors go to stderr as "test-imap: CAUSE" and the exit status is 1.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "fetch-imap.h"

static G_NORETURN void
usage(void)
{
	fprintf(stderr, "usage: test-imap [-a area] [-h host] [-p port] "
	    "[-t none|starttls|implicit] [-c ca_file] [-u user] "
	    "[-w password] [-W password_file] [-m mailbox] [-T timeout] "
	    "command...\n");
	exit(2);
}

static guint32
uid_arg(const char *s)
{
	guint64	 n;

	if (!g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT32, &n, NULL))
		usage();
	return ((guint32)n);
}

static int
cmd_list(struct imap_conn *c, guint32 after, char **cause)
{
	GArray	*list;
	guint	 i;

	if (imap_list_new(c, after, &list, cause) != 0)
		return (-1);
	printf("uidvalidity=%u\n", imap_uidvalidity(c));
	for (i = 0; i < list->len; i++) {
		struct imap_msginfo *m = &g_array_index(list,
		    struct imap_msginfo, i);

		printf("uid=%u size=%u\n", m->uid, m->size);
	}
	g_array_unref(list);
	return (0);
}

static int
cmd_fetch(struct imap_conn *c, guint32 uid, const char *path, char **cause)
{
	GBytes	*raw;
	GError	*error = NULL;
	gsize	 len;
	const char *data;

	if (imap_fetch(c, uid, 0, &raw, cause) != 0)
		return (-1);
	data = g_bytes_get_data(raw, &len);
	if (!g_file_set_contents(path, data, len, &error)) {
		*cause = g_strdup(error->message);
		g_error_free(error);
		g_bytes_unref(raw);
		return (-1);
	}
	printf("fetched uid=%u bytes=%zu\n", uid, len);
	g_bytes_unref(raw);
	return (0);
}

static int
cmd_idle(struct imap_conn *c, int seconds, char **cause)
{
	struct pollfd	pfd;
	int		r;

	if (imap_idle_start(c, cause) != 0)
		return (-1);
	printf("idling\n");
	fflush(stdout);
	pfd.fd = imap_idle_fd(c);
	pfd.events = POLLIN;
	do
		r = poll(&pfd, 1, seconds * 1000);
	while (r == -1 && errno == EINTR);
	printf("%s\n", r > 0 ? "woke" : "no news");
	return (imap_idle_done(c, cause));
}

int
main(int argc, char **argv)
{
	struct imap_config	 cfg = { 0 };
	struct imap_conn	*c;
	const char		*area = "TST";
	char			*cause = NULL;
	int			 ch, timeout = 10, rc = 0;

	cfg.host = "localhost";
	cfg.port = 143;
	cfg.tls = TLS_NONE;
	cfg.ca_file = "";
	cfg.user = "lon";
	cfg.password = "";
	cfg.password_file = "";
	cfg.mailbox = "INBOX";
	cfg.processed = "";
	while ((ch = getopt(argc, argv, "a:c:h:m:p:t:T:u:w:W:")) != -1) {
		switch (ch) {
		case 'a': area = optarg; break;
		case 'c': cfg.ca_file = optarg; break;
		case 'h': cfg.host = optarg; break;
		case 'm': cfg.mailbox = optarg; break;
		case 'p': cfg.port = atoi(optarg); break;
		case 'T': timeout = atoi(optarg); break;
		case 'u': cfg.user = optarg; break;
		case 'w': cfg.password = optarg; break;
		case 'W': cfg.password_file = optarg; break;
		case 't':
			if (strcmp(optarg, "none") == 0)
				cfg.tls = TLS_NONE;
			else if (strcmp(optarg, "starttls") == 0)
				cfg.tls = TLS_STARTTLS;
			else if (strcmp(optarg, "implicit") == 0)
				cfg.tls = TLS_IMPLICIT;
			else
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (imap_open(area, &cfg, timeout, &c, &cause) != 0) {
		fprintf(stderr, "test-imap: %s\n", cause);
		g_free(cause);
		return (1);
	}
	printf("connected\n");
	while (argc > 0 && rc == 0) {
		if (strcmp(argv[0], "caps") == 0) {
			printf("idle=%s move=%s\n", imap_has_idle(c) ? "yes" :
			    "no", imap_has_move(c) ? "yes" : "no");
			argc -= 1, argv += 1;
		} else if (strcmp(argv[0], "list") == 0 && argc >= 2) {
			rc = cmd_list(c, uid_arg(argv[1]), &cause);
			argc -= 2, argv += 2;
		} else if (strcmp(argv[0], "fetch") == 0 && argc >= 3) {
			rc = cmd_fetch(c, uid_arg(argv[1]), argv[2], &cause);
			argc -= 3, argv += 3;
		} else if (strcmp(argv[0], "done") == 0 && argc >= 3) {
			rc = imap_done(c, uid_arg(argv[1]), argv[2], &cause);
			if (rc == 0)
				printf("done uid=%s\n", argv[1]);
			argc -= 3, argv += 3;
		} else if (strcmp(argv[0], "idle") == 0 && argc >= 2) {
			rc = cmd_idle(c, atoi(argv[1]), &cause);
			argc -= 2, argv += 2;
		} else if (strcmp(argv[0], "pause") == 0 && argc >= 2) {
			printf("paused\n");
			fflush(stdout);
			sleep(atoi(argv[1]));
			argc -= 2, argv += 2;
		} else if (strcmp(argv[0], "noop") == 0) {
			rc = imap_noop(c, &cause);
			argc -= 1, argv += 1;
		} else
			usage();
	}
	if (rc != 0) {
		fprintf(stderr, "test-imap: %s\n", cause);
		g_free(cause);
	}
	imap_close(c);
	return (rc != 0);
}
