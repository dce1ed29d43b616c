/*
 * cmd-quarantine.c: `redress quarantine list` and `redress quarantine
 * show ROW`: the messages redress could not record normally, kept raw
 * (store.h). list says where each came from and why, never who sent it;
 * show writes the raw message to standard output, to be read or handled
 * by hand. Read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "store.h"

static void
usage(void)
{
	fprintf(stderr, "usage: redress quarantine list [-c FILE]\n"
	    "       redress quarantine show [-c FILE] ROW\n");
}

static int
quarantine_list(struct store *st)
{
	GPtrArray	*list;
	GDateTime	*dt;
	guint		 i;
	char		*cause = NULL, *at;

	if (store_quarantined(st, &list, &cause) != 0) {
		fprintf(stderr, "redress: %s\n", cause);
		g_free(cause);
		return (1);
	}
	printf("quarantined:%s\n", list->len > 0 ? "" : " none");
	for (i = 0; i < list->len; i++) {
		const struct quarantined *q = g_ptr_array_index(list, i);

		dt = g_date_time_new_from_unix_utc(q->received_at);
		at = dt != NULL ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") :
		    g_strdup("?");
		if (dt != NULL)
			g_date_time_unref(dt);
		printf("  %" G_GINT64_FORMAT " %s %s %s UID %u, %" G_GINT64_FORMAT
		    " bytes, SHA-256 %s: %s\n", q->id, at, q->area != NULL ?
		    q->area : "-", q->mailbox != NULL ? q->mailbox : "-", q->uid,
		    q->size, q->sha256, q->reason);
		g_free(at);
	}
	g_ptr_array_unref(list);
	return (0);
}

static int
quarantine_show(struct store *st, const char *arg)
{
	GBytes		*raw;
	const char	*data;
	gsize		 len;
	gint64		 row;
	char		*end, *cause = NULL;

	row = g_ascii_strtoll(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || row <= 0) {
		fprintf(stderr, "redress: '%s' is not a message row: give the "
		    "number redress quarantine list shows\n", arg);
		return (2);
	}
	switch (store_message_raw(st, row, &raw, &cause)) {
	case -1:
		fprintf(stderr, "redress: %s\n", cause);
		g_free(cause);
		return (1);
	case 0:
		fprintf(stderr, "redress: no message row %" G_GINT64_FORMAT
		    " with a raw message: redress quarantine list shows "
		    "them\n", row);
		return (1);
	}
	data = g_bytes_get_data(raw, &len);
	if (len > 0 && fwrite(data, 1, len, stdout) != len) {
		g_bytes_unref(raw);
		fprintf(stderr, "redress: writing the message failed\n");
		return (1);
	}
	g_bytes_unref(raw);
	return (fflush(stdout) == 0 ? 0 : 1);
}

int
cmd_quarantine(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*path = REDRESS_SYSCONFDIR "/redress.conf";
	struct config	*config;
	struct store	*st;
	int		 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		default:
			usage();
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (!cmd_list_or_show(argc, argv)) {
		usage();
		return (2);
	}
	if ((rc = cmd_open_store(path, &config, &st)) != 0)
		return (rc);
	if (strcmp(argv[0], "list") == 0)
		rc = quarantine_list(st);
	else
		rc = quarantine_show(st, argv[1]);
	store_close(st);
	config_free(config);
	return (rc);
}
