/*
 * fetch-imap.c: the IMAP side of intake, on libetpan with our own TLS.
 *
 * IDLE is entered by hand rather than with mailimap_idle(): up to libetpan
 * 1.10.1 that function stalls when the server sends untagged data before
 * its "+ idling" continuation (it then waits for a tagged answer that
 * never comes). Here such data means "news", and IDLE is ended at once.
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "fetch-imap.h"
#include "tls.h"

/* Longest piece of a server's answer quoted back in an error. */
#define SERVER_TEXT_MAX	200

struct imap_conn {
	char		*where;		/* "Area LON: host:port" */
	char		*user;
	char		*mailbox;	/* as configured, UTF-8 */
	char		*mailbox_wire;	/* modified UTF-7, as sent */
	mailimap	*imap;
	guint32		 uidvalidity;
	gboolean	 has_idle;
	gboolean	 has_move;
	gboolean	 has_uidplus;
	gboolean	 broken;	/* the stream is no longer in step */
	gboolean	 idling;
	gboolean	 done_sent;	/* DONE already on its way */
	GHashTable	*folders_seen;	/* folders known to exist */
};

/*
 * Mailbox names go over the wire in modified UTF-7 (RFC 3501, 5.1.3):
 * printable ASCII as is ("&" as "&-"), anything else as "&" + base64 of
 * UTF-16BE with "," for "/" and no padding + "-".
 */
static char *
mailbox_to_wire(const char *utf8)
{
	GString		*out = g_string_new(NULL);
	const char	*p = utf8, *start;
	gunichar2	*utf16;
	guchar		*be;
	char		*b64, *q;
	glong		 n, i;

	while (*p != '\0') {
		if (*p >= 0x20 && *p <= 0x7e) {
			if (*p == '&')
				g_string_append(out, "&-");
			else
				g_string_append_c(out, *p);
			p++;
			continue;
		}
		for (start = p; *p != '\0' && !(*p >= 0x20 && *p <= 0x7e);
		    p = g_utf8_next_char(p))
			;
		utf16 = g_utf8_to_utf16(start, p - start, NULL, &n, NULL);
		be = g_new(guchar, n * 2);
		for (i = 0; i < n; i++) {
			be[2 * i] = utf16[i] >> 8;
			be[2 * i + 1] = utf16[i] & 0xff;
		}
		b64 = g_base64_encode(be, n * 2);
		for (q = b64; *q != '\0' && *q != '='; q++)
			if (*q == '/')
				*q = ',';
		*q = '\0';
		g_string_append_printf(out, "&%s-", b64);
		g_free(b64);
		g_free(be);
		g_free(utf16);
	}
	return (g_string_free(out, FALSE));
}

/* The server's last answer, fit to quote in a log line. */
static char *
server_said(struct imap_conn *c)
{
	const char	*text = c->imap != NULL ? c->imap->imap_response : NULL;
	GString		*out;
	const char	*p;

	if (text == NULL || *text == '\0')
		return (g_strdup(""));
	out = g_string_new(" (server said \"");
	for (p = text; *p != '\0' && p - text < SERVER_TEXT_MAX; p++)
		g_string_append_c(out, g_ascii_isprint(*p) ? *p : '?');
	g_string_append(out, "\")");
	return (g_string_free(out, FALSE));
}

/*
 * Word a failed libetpan call r made while doing what. Stream and protocol
 * failures leave the session out of step: mark it so imap_close() does not
 * wait on a LOGOUT.
 */
static int
fail(struct imap_conn *c, int r, char **cause, const char *advice,
    const char *fmt, ...)
{
	va_list		 ap;
	char		*what, *said;
	const char	*why;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);

	switch (r) {
	case MAILIMAP_ERROR_STREAM:
		why = "the connection was lost or the server did not answer "
		    "in time";
		c->broken = TRUE;
		if (advice == NULL)
			advice = "if it persists, check the server and the "
			    "network";
		break;
	case MAILIMAP_ERROR_FATAL:
		why = "the server closed the session";
		c->broken = TRUE;
		break;
	case MAILIMAP_ERROR_PARSE:
	case MAILIMAP_ERROR_PROTOCOL:
		why = "the server's answer was not understood";
		c->broken = TRUE;
		break;
	case MAILIMAP_ERROR_MEMORY:
		why = "out of memory";
		c->broken = TRUE;
		break;
	default:
		why = "the server refused";
		break;
	}
	said = server_said(c);
	*cause = g_strdup_printf("%s: %s failed: %s%s%s%s", c->where, what,
	    why, said, advice != NULL ? ": " : "",
	    advice != NULL ? advice : "");
	g_free(said);
	g_free(what);
	return (-1);
}

/* An error that is not a libetpan failure. */
static int
refuse(struct imap_conn *c, char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	*cause = g_strdup_printf("%s: %s", c->where, what);
	g_free(what);
	return (-1);
}

static int
usable(struct imap_conn *c, char **cause)
{
	if (c->broken)
		return (refuse(c, cause, "the connection failed earlier: "
		    "close it and connect again"));
	if (c->idling)
		return (refuse(c, cause, "IDLE is in progress: end it with "
		    "imap_idle_done() first"));
	return (0);
}

/* Capabilities are cached by libetpan; ask again when they may change. */
static int
refresh_capabilities(struct imap_conn *c, char **cause)
{
	struct mailimap_capability_data	*cap;
	int				 r;

	if ((r = mailimap_capability(c->imap, &cap)) != MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, NULL, "CAPABILITY"));
	mailimap_capability_data_free(cap);
	c->has_idle = mailimap_has_extension(c->imap, "IDLE");
	c->has_move = mailimap_has_extension(c->imap, "MOVE");
	c->has_uidplus = mailimap_has_extension(c->imap, "UIDPLUS");
	return (0);
}

static gboolean
same_mailbox(const char *a, const char *b)
{
	if (g_ascii_strcasecmp(a, "INBOX") == 0)
		return (g_ascii_strcasecmp(b, "INBOX") == 0);
	return (strcmp(a, b) == 0);
}

/* Whether the mailbox (wire name) exists: 1, 0, or -1 on error. */
static int
mailbox_exists(struct imap_conn *c, const char *wire, char **cause)
{
	clist		*list = NULL;
	clistiter	*it;
	int		 r, found = 0;

	if ((r = mailimap_list(c->imap, "", wire, &list)) != MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, NULL, "LIST of '%s'", wire));
	/* LIST takes wildcards; only an exact name counts. */
	for (it = clist_begin(list); it != NULL; it = clist_next(it)) {
		struct mailimap_mailbox_list *mb = clist_content(it);

		if (same_mailbox(mb->mb_name, wire))
			found = 1;
	}
	mailimap_list_result_free(list);
	return (found);
}

static int
starttls(struct imap_conn *c, const struct imap_config *cfg, int timeout,
    char **cause)
{
	char	*error = NULL;
	int	 r;

	if (refresh_capabilities(c, cause) != 0)
		return (-1);
	if (!mailimap_has_extension(c->imap, "STARTTLS"))
		return (refuse(c, cause, "the server does not offer STARTTLS: "
		    "set tls to implicit (usually port 993) or enable "
		    "STARTTLS on the server; redress never falls back to "
		    "plain text"));
	if ((r = mailimap_starttls(c->imap)) != MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, "set tls to implicit (usually port "
		    "993) or fix the server", "STARTTLS"));
	if (tls_stream_upgrade(c->imap->imap_stream, cfg->host, cfg->ca_file,
	    timeout, &error) != 0) {
		c->broken = TRUE;
		refuse(c, cause, "%s", error);
		g_free(error);
		return (-1);
	}
	return (refresh_capabilities(c, cause));
}

static int
login(struct imap_conn *c, const struct imap_config *cfg, char **cause)
{
	int	r;

	if (mailimap_has_extension(c->imap, "LOGINDISABLED"))
		return (refuse(c, cause, "the server refuses LOGIN on this "
		    "connection: set tls to starttls or implicit"));
	r = mailimap_login(c->imap, cfg->user, cfg->password);
	if (r == MAILIMAP_ERROR_LOGIN) {
		char	*advice = g_strdup_printf("check imap.user and the "
		    "password in password_file%s%s",
		    *cfg->password_file != '\0' ? " " : "", cfg->password_file);

		fail(c, r, cause, advice, "login for user %s", cfg->user);
		g_free(advice);
		return (-1);
	}
	if (r != MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, NULL, "login for user %s",
		    cfg->user));
	return (refresh_capabilities(c, cause));
}

static int
select_mailbox(struct imap_conn *c, char **cause)
{
	char	*refused = NULL;
	int	 r;

	r = mailimap_select(c->imap, c->mailbox_wire);
	if (r == MAILIMAP_NO_ERROR) {
		c->uidvalidity =
		    c->imap->imap_selection_info->sel_uidvalidity;
		if (c->uidvalidity == 0)
			return (refuse(c, cause, "mailbox '%s' has no "
			    "UIDVALIDITY: the server is not usable for "
			    "redress", c->mailbox));
		return (0);
	}
	fail(c, r, &refused, "check imap.mailbox", "SELECT of mailbox '%s'",
	    c->mailbox);
	if (c->broken) {
		*cause = refused;
		return (-1);
	}
	/* Tell a missing mailbox, the usual mistake, from a refusal. */
	switch (mailbox_exists(c, c->mailbox_wire, cause)) {
	case 0:
		g_free(refused);
		return (refuse(c, cause, "mailbox '%s' does not exist for "
		    "user %s: create it or fix imap.mailbox", c->mailbox,
		    c->user));
	case 1:
		*cause = refused;
		return (-1);
	default:
		/* *cause says why LIST failed too. */
		g_free(refused);
		return (-1);
	}
}

int
imap_open(const char *area_id, const struct imap_config *cfg, int timeout,
    struct imap_conn **out, char **cause)
{
	struct imap_conn	*c;
	mailstream		*s;
	char			*error = NULL;
	int			 fd, r;

	*out = NULL;
	c = g_new0(struct imap_conn, 1);
	c->where = g_strdup_printf("Area %s: %s:%d", area_id, cfg->host,
	    cfg->port);
	c->user = g_strdup(cfg->user);
	c->mailbox = g_strdup(cfg->mailbox);
	c->folders_seen = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	if (!g_utf8_validate(cfg->mailbox, -1, NULL)) {
		refuse(c, cause, "imap.mailbox is not valid UTF-8: fix it");
		goto fail;
	}
	c->mailbox_wire = mailbox_to_wire(cfg->mailbox);

	if ((fd = net_connect(cfg->host, cfg->port, timeout, &error)) == -1) {
		*cause = g_strdup_printf("Area %s: %s", area_id, error);
		g_free(error);
		goto fail;
	}
	if (cfg->tls == TLS_IMPLICIT) {
		if (tls_stream_open(fd, cfg->host, cfg->ca_file, timeout, &s,
		    &error) != 0) {
			close(fd);
			refuse(c, cause, "%s", error);
			g_free(error);
			goto fail;
		}
	} else if ((s = plain_stream_open(fd, timeout)) == NULL) {
		close(fd);
		refuse(c, cause, "out of memory");
		goto fail;
	}

	if ((c->imap = mailimap_new(0, NULL)) == NULL) {
		mailstream_close(s);
		refuse(c, cause, "out of memory");
		goto fail;
	}
	/* From here the session owns the stream. */
	r = mailimap_connect(c->imap, s);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		fail(c, r, cause, "check the port and the tls mode", "IMAP "
		    "greeting");
		c->broken = TRUE;
		goto fail;
	}
	if (cfg->tls == TLS_STARTTLS) {
		/* PREAUTH in clear leaves no chance to secure the session. */
		if (r == MAILIMAP_NO_ERROR_AUTHENTICATED) {
			refuse(c, cause, "the server logged in before STARTTLS "
			    "(PREAUTH): refusing an unprotected session; use "
			    "tls implicit");
			goto fail;
		}
		if (starttls(c, cfg, timeout, cause) != 0)
			goto fail;
	} else if (refresh_capabilities(c, cause) != 0)
		goto fail;
	if (r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED &&
	    login(c, cfg, cause) != 0)
		goto fail;
	if (select_mailbox(c, cause) != 0)
		goto fail;
	*out = c;
	return (0);

fail:
	imap_close(c);
	return (-1);
}

void
imap_close(struct imap_conn *c)
{
	if (c == NULL)
		return;
	if (c->imap != NULL) {
		/* mailimap_free() says LOGOUT only to a session in step. */
		if (c->imap->imap_stream != NULL && (c->broken || c->idling)) {
			mailstream_close(c->imap->imap_stream);
			c->imap->imap_stream = NULL;
		}
		mailimap_free(c->imap);
	}
	g_hash_table_unref(c->folders_seen);
	g_free(c->where);
	g_free(c->user);
	g_free(c->mailbox);
	g_free(c->mailbox_wire);
	g_free(c);
}

guint32
imap_uidvalidity(struct imap_conn *c)
{
	return (c->uidvalidity);
}

gboolean
imap_has_idle(struct imap_conn *c)
{
	return (c->has_idle);
}

gboolean
imap_has_move(struct imap_conn *c)
{
	return (c->has_move);
}

/* The static attribute of type in a FETCH response item, or NULL. */
static struct mailimap_msg_att_static *
find_static(struct mailimap_msg_att *att, int type)
{
	clistiter	*it;

	for (it = clist_begin(att->att_list); it != NULL;
	    it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);

		if (item->att_type == MAILIMAP_MSG_ATT_ITEM_STATIC &&
		    item->att_data.att_static->att_type == type)
			return (item->att_data.att_static);
	}
	return (NULL);
}

static gint
msginfo_cmp(gconstpointer a, gconstpointer b)
{
	const struct imap_msginfo	*x = a, *y = b;

	return (x->uid < y->uid ? -1 : x->uid > y->uid);
}

int
imap_list_new(struct imap_conn *c, guint32 after, GArray **out, char **cause)
{
	struct mailimap_fetch_type	*type;
	struct mailimap_set		*set;
	struct mailimap_msg_att_static	*uid, *size;
	struct imap_msginfo		 info;
	clist				*result = NULL;
	clistiter			*it;
	int				 r;

	*out = NULL;
	if (usable(c, cause) != 0)
		return (-1);
	*out = g_array_new(FALSE, FALSE, sizeof (struct imap_msginfo));
	if (after == G_MAXUINT32)
		return (0);

	set = mailimap_set_new_interval(after + 1, 0);	/* after+1:* */
	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_rfc822_size());
	r = mailimap_uid_fetch(c->imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		g_array_unref(*out);
		*out = NULL;
		return (fail(c, r, cause, NULL, "listing new messages in '%s'",
		    c->mailbox));
	}

	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att *att = clist_content(it);

		uid = find_static(att, MAILIMAP_MSG_ATT_UID);
		size = find_static(att, MAILIMAP_MSG_ATT_RFC822_SIZE);
		/*
		 * "N:*" always includes the last message, even when its UID
		 * is below N; and flag updates for other messages may come
		 * unasked, without a size.
		 */
		if (uid == NULL || size == NULL || uid->att_data.att_uid <= after)
			continue;
		info.uid = uid->att_data.att_uid;
		info.size = size->att_data.att_rfc822_size;
		g_array_append_val(*out, info);
	}
	mailimap_fetch_list_free(result);
	g_array_sort(*out, msginfo_cmp);
	return (0);
}

/* Body bytes go straight into our array, not into a libetpan copy first. */
static bool
collect_body(int type, struct mailimap_msg_att_body_section *section,
    const char *bytes, size_t len, void *data)
{
	g_byte_array_append(data, (const guint8 *)bytes, len);
	return (true);
}

/* A set of UIDs as IMAP writes it, and how messages name it. */
static struct mailimap_set *
uid_set(const GArray *uids, char **what)
{
	struct mailimap_set	*set = mailimap_set_new_empty();
	guint			 i;

	for (i = 0; i < uids->len; i++)
		mailimap_set_add_single(set, g_array_index(uids, guint32, i));
	if (uids->len == 1)
		*what = g_strdup_printf("UID %u", g_array_index(uids, guint32,
		    0));
	else
		*what = g_strdup_printf("%u UIDs (%u to %u)", uids->len,
		    g_array_index(uids, guint32, 0),
		    g_array_index(uids, guint32, uids->len - 1));
	return (set);
}

int
imap_fetch_set(struct imap_conn *c, const GArray *uids, GHashTable **out,
    char **cause)
{
	struct mailimap_fetch_type	*type;
	struct mailimap_set		*set;
	struct mailimap_msg_att_static	*att_uid, *body;
	clist				*result = NULL;
	clistiter			*it;
	char				*what;
	int				 r;

	*out = NULL;
	if (usable(c, cause) != 0)
		return (-1);
	set = uid_set(uids, &what);
	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new(NULL)));
	r = mailimap_uid_fetch(c->imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		r = fail(c, r, cause, NULL, "fetching %s from '%s'", what,
		    c->mailbox);
		g_free(what);
		return (r);
	}
	g_free(what);
	*out = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    (GDestroyNotify)g_bytes_unref);
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		att_uid = find_static(clist_content(it), MAILIMAP_MSG_ATT_UID);
		body = find_static(clist_content(it),
		    MAILIMAP_MSG_ATT_BODY_SECTION);
		if (att_uid == NULL || body == NULL ||
		    body->att_data.att_body_section->sec_body_part == NULL)
			continue;
		g_hash_table_replace(*out,
		    GUINT_TO_POINTER(att_uid->att_data.att_uid),
		    g_bytes_new(body->att_data.att_body_section->sec_body_part,
		    body->att_data.att_body_section->sec_length));
	}
	mailimap_fetch_list_free(result);
	return (0);
}

int
imap_fetch(struct imap_conn *c, guint32 uid, guint32 size, GBytes **out,
    char **cause)
{
	struct mailimap_fetch_type	*type;
	struct mailimap_set		*set;
	struct mailimap_msg_att_static	*att_uid;
	GByteArray			*body;
	clist				*result = NULL;
	clistiter			*it;
	gboolean			 found = FALSE;
	int				 r;

	*out = NULL;
	if (usable(c, cause) != 0)
		return (-1);
	set = mailimap_set_new_single(uid);
	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new(NULL)));
	/* The server's size is a hint: a message that grows meanwhile still
	 * fits, by copying. */
	body = g_byte_array_sized_new(size);
	mailimap_set_msg_body_handler(c->imap, collect_body, body);
	r = mailimap_uid_fetch(c->imap, set, type, &result);
	mailimap_set_msg_body_handler(c->imap, NULL, NULL);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		g_byte_array_unref(body);
		return (fail(c, r, cause, NULL, "fetching UID %u from '%s'",
		    uid, c->mailbox));
	}
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		att_uid = find_static(clist_content(it), MAILIMAP_MSG_ATT_UID);
		if (att_uid != NULL && att_uid->att_data.att_uid == uid)
			found = TRUE;
	}
	mailimap_fetch_list_free(result);
	if (!found) {
		g_byte_array_unref(body);
		return (refuse(c, cause, "UID %u is no longer in mailbox '%s' "
		    "(moved or deleted meanwhile): nothing to fetch", uid,
		    c->mailbox));
	}
	*out = g_byte_array_free_to_bytes(body);
	return (0);
}

static int
add_flag(struct imap_conn *c, const GArray *uids, struct mailimap_flag *flag,
    char **cause)
{
	struct mailimap_flag_list	*flags = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags	*store;
	struct mailimap_set		*set;
	char				*what;
	int				 r, rc = 0;

	set = uid_set(uids, &what);
	mailimap_flag_list_add(flags, flag);
	store = mailimap_store_att_flags_new_add_flags_silent(flags);
	r = mailimap_uid_store(c->imap, set, store);
	mailimap_store_att_flags_free(store);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		rc = fail(c, r, cause, NULL, "flagging %s in '%s'", what,
		    c->mailbox);
	g_free(what);
	return (rc);
}

static int
ensure_folder(struct imap_conn *c, const char *folder, const char *wire,
    char **cause)
{
	int	r;

	if (g_hash_table_contains(c->folders_seen, wire))
		return (0);
	if ((r = mailbox_exists(c, wire, cause)) < 0)
		return (-1);
	if (r == 0 && (r = mailimap_create(c->imap, wire)) !=
	    MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, "create it by hand or fix "
		    "imap.processed", "creating folder '%s' for processed "
		    "mail", folder));
	g_hash_table_add(c->folders_seen, g_strdup(wire));
	return (0);
}

static int
move_messages(struct imap_conn *c, const GArray *uids, const char *folder,
    const char *wire, char **cause)
{
	struct mailimap_set	*set;
	char			*what;
	int			 r, rc = -1;

	set = uid_set(uids, &what);
	if (c->has_move) {
		r = mailimap_uid_move(c->imap, set, wire);
		if (r != MAILIMAP_NO_ERROR)
			fail(c, r, cause, NULL, "moving %s to '%s'", what,
			    folder);
		else
			rc = 0;
		goto out;
	}
	/*
	 * Without MOVE a crash between COPY and EXPUNGE leaves a second
	 * copy in folder on the next try: a duplicate, never a loss.
	 */
	r = mailimap_uid_copy(c->imap, set, wire);
	if (r != MAILIMAP_NO_ERROR) {
		fail(c, r, cause, NULL, "copying %s to '%s'", what, folder);
		goto out;
	}
	if (add_flag(c, uids, mailimap_flag_new_deleted(), cause) != 0)
		goto out;
	/* Plain EXPUNGE also removes whatever else is marked \Deleted. */
	if (c->has_uidplus)
		r = mailimap_uid_expunge(c->imap, set);
	else
		r = mailimap_expunge(c->imap);
	if (r != MAILIMAP_NO_ERROR)
		fail(c, r, cause, NULL, "expunging %s from '%s'", what,
		    c->mailbox);
	else
		rc = 0;
out:
	mailimap_set_free(set);
	g_free(what);
	return (rc);
}

int
imap_done(struct imap_conn *c, guint32 uid, const char *folder, char **cause)
{
	GArray	*uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	int	 rc;

	g_array_append_val(uids, uid);
	rc = imap_done_set(c, uids, folder, cause);
	g_array_unref(uids);
	return (rc);
}

int
imap_done_set(struct imap_conn *c, const GArray *uids, const char *folder,
    char **cause)
{
	char	*wire;
	int	 rc;

	if (usable(c, cause) != 0)
		return (-1);
	if (uids->len == 0)
		return (0);
	if (*folder == '\0')
		return (add_flag(c, uids, mailimap_flag_new_seen(), cause));
	if (!g_utf8_validate(folder, -1, NULL))
		return (refuse(c, cause, "imap.processed is not valid UTF-8: "
		    "fix it"));
	/* Moving into the mailbox itself would bring it back as new. */
	if (same_mailbox(folder, c->mailbox))
		return (refuse(c, cause, "imap.processed is the watched "
		    "mailbox '%s' itself: set it to another folder, or to "
		    "\"\" to flag messages \\Seen", c->mailbox));
	wire = mailbox_to_wire(folder);
	rc = ensure_folder(c, folder, wire, cause);
	if (rc == 0)
		rc = move_messages(c, uids, folder, wire, cause);
	g_free(wire);
	return (rc);
}

static int
send_line(struct imap_conn *c, const char *line)
{
	mailstream	*s = c->imap->imap_stream;

	if (mailstream_write(s, line, strlen(line)) == -1 ||
	    mailstream_flush(s) == -1)
		return (MAILIMAP_ERROR_STREAM);
	return (MAILIMAP_NO_ERROR);
}

/* The length of a literal announced at the end of line ("{12}\r\n"), or
 * -1 when there is none. */
static gint64
literal_length(const char *line)
{
	const char	*end = line + strlen(line), *open;
	guint64		 n;
	char		*stop;

	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (end == line || end[-1] != '}')
		return (-1);
	for (open = end - 1; open > line && open[-1] != '{'; open--)
		;
	if (open == line)
		return (-1);
	n = g_ascii_strtoull(open, &stop, 10);
	if (stop == open || (*stop != '}' && *stop != '+') || n > G_MAXINT32)
		return (-1);
	return ((gint64)n);
}

/* Read past one whole response, literals included. */
static int
skip_rest_of_response(struct imap_conn *c, const char *line)
{
	char	 buf[4096];
	gint64	 left;
	ssize_t	 n;

	while ((left = literal_length(line)) >= 0) {
		while (left > 0) {
			n = mailstream_read(c->imap->imap_stream, buf,
			    MIN((gint64)sizeof buf, left));
			if (n <= 0)
				return (MAILIMAP_ERROR_STREAM);
			left -= n;
		}
		if ((line = mailimap_read_line(c->imap)) == NULL)
			return (MAILIMAP_ERROR_STREAM);
	}
	return (MAILIMAP_NO_ERROR);
}

int
imap_idle_start(struct imap_conn *c, char **cause)
{
	mailimap	*imap = c->imap;
	gboolean	 news = FALSE;
	char		*line, *refusal;
	int		 r;

	if (usable(c, cause) != 0)
		return (-1);
	if (!c->has_idle)
		return (refuse(c, cause, "the server does not offer IDLE: "
		    "poll with NOOP instead"));
	/* Not through mailimap_parse_response(): forget its last answer. */
	imap->imap_response = NULL;
	if ((r = mailimap_send_current_tag(imap)) != MAILIMAP_NO_ERROR ||
	    (r = send_line(c, "IDLE\r\n")) != MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, NULL, "IDLE"));
	for (;;) {
		if ((line = mailimap_read_line(imap)) == NULL)
			return (fail(c, MAILIMAP_ERROR_STREAM, cause, NULL,
			    "IDLE"));
		if (line[0] == '+')
			break;
		if (line[0] != '*') {
			/* Our tagged answer: IDLE refused. */
			refusal = g_strchomp(g_strdup(line));
			refuse(c, cause, "the server refused IDLE: %s: poll "
			    "instead", refusal);
			g_free(refusal);
			return (-1);
		}
		if (g_ascii_strncasecmp(line, "* BYE", 5) == 0)
			return (fail(c, MAILIMAP_ERROR_FATAL, cause, NULL,
			    "IDLE"));
		news = TRUE;
		if ((r = skip_rest_of_response(c, line)) != MAILIMAP_NO_ERROR)
			return (fail(c, r, cause, NULL, "IDLE"));
	}
	c->idling = TRUE;
	c->done_sent = FALSE;
	/*
	 * Something came with or before the continuation: the caller's
	 * poll() would not see it, so end IDLE now and let the server's
	 * answer to DONE make the fd readable.
	 */
	if (news || imap->imap_stream->read_buffer_len > 0) {
		if ((r = send_line(c, "DONE\r\n")) != MAILIMAP_NO_ERROR)
			return (fail(c, r, cause, NULL, "IDLE"));
		c->done_sent = TRUE;
	}
	return (0);
}

int
imap_idle_fd(struct imap_conn *c)
{
	return (mailstream_low_get_fd(mailstream_get_low(
	    c->imap->imap_stream)));
}

int
imap_idle_done(struct imap_conn *c, char **cause)
{
	struct mailimap_response	*response;
	int				 r, state;

	if (!c->idling)
		return (0);
	c->idling = FALSE;
	c->imap->imap_response = NULL;
	if (!c->done_sent && (r = send_line(c, "DONE\r\n")) !=
	    MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, NULL, "ending IDLE"));
	if (mailimap_read_line(c->imap) == NULL)
		return (fail(c, MAILIMAP_ERROR_STREAM, cause, NULL,
		    "ending IDLE"));
	if ((r = mailimap_parse_response(c->imap, &response)) !=
	    MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, NULL, "ending IDLE"));
	state = response->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->
	    rsp_type;
	mailimap_response_free(response);
	if (state != MAILIMAP_RESP_COND_STATE_OK)
		return (fail(c, MAILIMAP_ERROR_EXTENSION, cause, NULL,
		    "ending IDLE"));
	return (0);
}

int
imap_noop(struct imap_conn *c, char **cause)
{
	int	r;

	if (usable(c, cause) != 0)
		return (-1);
	if ((r = mailimap_noop(c->imap)) != MAILIMAP_NO_ERROR)
		return (fail(c, r, cause, NULL, "NOOP"));
	return (0);
}
