/*
 * config.c: read the libconfig file, check every setting and copy it into
 * struct config (config.h).
 *
 * Like OpenSMTPD, a load does not stop at the first problem: every setting
 * is checked and every problem is collected with its file and line, so an
 * operator fixes the whole file in one pass. Only libconfig's own syntax
 * error stops early, because after it there is no tree to check.
 *
 * Each group ({ ... }) is read through a struct group that remembers which
 * names were asked for; whatever else the group holds is an unknown setting.
 * So the list of valid names is the code that reads them, never a second
 * list that could drift.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "address.h"
#include "config.h"
#include "verdict.h"

/* A password or key is one short line; anything bigger is the wrong file. */
#define SECRET_FILE_MAX		4096
#define HMAC_SECRET_MIN		16
#define AREA_ID_MIN		2
#define AREA_ID_MAX		8
/* RFC 2177: clients should re-IDLE at least every 29 minutes. */
#define IDLE_RESTART_MAX	(29 * 60)

#define DEFAULT_DATABASE	REDRESS_LOCALSTATEDIR "/lib/redress/redress.db"
#define DEFAULT_CALENDAR	REDRESS_LOCALSTATEDIR \
				    "/lib/redress/bank-holidays.json"
#define DEFAULT_TEMPLATES	REDRESS_DATADIR "/templates"
#define DEFAULT_RULES		REDRESS_DATADIR "/rules"

#define EXPECT_ADDRESS	"an address like \"name@example.gov.uk\" " \
			    "(one @, no spaces)"
#define EXPECT_DOMAIN	"a domain like \"cps.example.gov.uk\" " \
			    "(no @, no spaces)"
#define EXPECT_PORT	"a port number from 1 to 65535"
#define EXPECT_TLS	"one of \"none\", \"starttls\" or \"implicit\""

struct problem {
	int		 file_rank;	/* 0: the main file; 1: an @include */
	char		*file;
	int		 line;
	guint		 seq;		/* keeps the reading order on a tie */
	char		*text;
};

struct loader {
	const char	*path;		/* as given: messages name it so */
	char		*dir;		/* absolute; relative paths start here */
	GPtrArray	*problems;	/* of struct problem * */
};

/*
 * One group being read. setting is NULL when the group is absent or not a
 * group (already reported): reads then return their defaults silently, so
 * one mistake is reported once.
 */
struct group {
	struct loader	*ld;
	config_setting_t *setting;
	const char	*prefix;	/* "", "smtp.", "imap." ... */
	const char	*area;		/* "LON" or "#2" inside an Area, or NULL */
	GPtrArray	*known;		/* names read, static strings */
};

static void
problem_free(gpointer p)
{
	struct problem	*pb = p;

	g_free(pb->file);
	g_free(pb->text);
	g_free(pb);
}

static void
vproblem(struct loader *ld, const config_setting_t *at, const char *fmt,
    va_list ap)
{
	struct problem	*pb = g_new0(struct problem, 1);
	const char	*file = NULL;
	char		*what;

	if (at != NULL)
		file = config_setting_source_file(at);
	if (file == NULL || strcmp(file, ld->path) == 0)
		file = ld->path;
	else
		pb->file_rank = 1;
	pb->file = g_strdup(file);
	/* The root group has line 0: a missing top-level setting is
	 * reported at the start of the file. */
	pb->line = at != NULL ? (int)config_setting_source_line(at) : 0;
	if (pb->line < 1)
		pb->line = 1;
	pb->seq = ld->problems->len;
	what = g_strdup_vprintf(fmt, ap);
	pb->text = g_strdup_printf("%s:%d: %s", pb->file, pb->line, what);
	g_free(what);
	g_ptr_array_add(ld->problems, pb);
}

static void G_GNUC_PRINTF(3, 4)
problem(struct loader *ld, const config_setting_t *at, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vproblem(ld, at, fmt, ap);
	va_end(ap);
}

static int
problem_cmp(gconstpointer a, gconstpointer b)
{
	const struct problem *pa = *(struct problem *const *)a;
	const struct problem *pb = *(struct problem *const *)b;
	int		 c;

	if (pa->file_rank != pb->file_rank)
		return (pa->file_rank - pb->file_rank);
	if ((c = strcmp(pa->file, pb->file)) != 0)
		return (c);
	if (pa->line != pb->line)
		return (pa->line - pb->line);
	return (pa->seq < pb->seq ? -1 : pa->seq > pb->seq);
}

/* "imap.port in area LON", "smtp.port", "database"; caller frees. */
static char *
describe(const struct group *g, const char *name)
{
	if (g->area != NULL)
		return (g_strdup_printf("%s%s in area %s", g->prefix, name,
		    g->area));
	return (g_strdup_printf("%s%s", g->prefix, name));
}

/* Reports "NAME: ..." at the line of at (or of the group). */
static void G_GNUC_PRINTF(4, 5)
complain(const struct group *g, const config_setting_t *at, const char *name,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*what, *full;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	full = describe(g, name);
	problem(g->ld, at != NULL ? at : g->setting, "%s: %s", full, what);
	g_free(full);
	g_free(what);
}

static const char *
type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return ("a group { ... }");
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return ("a number");
	case CONFIG_TYPE_FLOAT:
		return ("a decimal number");
	case CONFIG_TYPE_STRING:
		return ("a string");
	case CONFIG_TYPE_BOOL:
		return ("true or false");
	case CONFIG_TYPE_ARRAY:
		return ("an array [ ... ]");
	case CONFIG_TYPE_LIST:
		return ("a list ( ... )");
	}
	return ("an unknown type");
}

static void
group_open(struct group *g, struct loader *ld, config_setting_t *setting,
    const char *prefix, const char *area)
{
	g->ld = ld;
	g->setting = setting;
	g->prefix = prefix;
	g->area = area;
	g->known = g_ptr_array_new();
}

/* Looks name up in g, remembering that it is a valid name. */
static config_setting_t *
member(struct group *g, const char *name, gboolean required,
    const char *expected)
{
	config_setting_t *s;

	g_ptr_array_add(g->known, (gpointer)name);
	if (g->setting == NULL)
		return (NULL);
	s = config_setting_get_member(g->setting, name);
	if (s == NULL && required)
		complain(g, NULL, name, "missing; expected %s", expected);
	return (s);
}

/* Optimal string alignment distance: a swapped pair counts as one typo. */
static guint
typo_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	guint	*d, cost, best;

	d = g_new(guint, (la + 1) * (lb + 1));
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			best = MIN(D(i - 1, j) + 1, D(i, j - 1) + 1);
			best = MIN(best, D(i - 1, j - 1) + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1])
				best = MIN(best, D(i - 2, j - 2) + 1);
			D(i, j) = best;
		}
	}
	best = D(la, lb);
#undef D
	g_free(d);
	return (best);
}

static const char *
closest_name(const struct group *g, const char *name)
{
	const char	*best = NULL;
	guint		 i, dist, best_dist = G_MAXUINT;

	for (i = 0; i < g->known->len; i++) {
		dist = typo_distance(name, g->known->pdata[i]);
		if (dist < best_dist) {
			best_dist = dist;
			best = g->known->pdata[i];
		}
	}
	if (best_dist > 2 || best_dist * 2 > strlen(name))
		return (NULL);
	return (best);
}

/* Reports every member of g that no read asked for, then frees g. */
static void
group_close(struct group *g)
{
	config_setting_t *s;
	const char	*name, *guess;
	const char	*in = g->area != NULL ? " in area " : "";
	const char	*area = g->area != NULL ? g->area : "";
	guint		 i, j;
	int		 n;

	n = g->setting != NULL ? config_setting_length(g->setting) : 0;
	for (i = 0; i < (guint)n; i++) {
		s = config_setting_get_elem(g->setting, i);
		name = config_setting_name(s);
		for (j = 0; j < g->known->len; j++)
			if (strcmp(name, g->known->pdata[j]) == 0)
				break;
		if (j < g->known->len)
			continue;
		if ((guess = closest_name(g, name)) != NULL)
			problem(g->ld, s, "unknown setting '%s%s'%s%s; did you "
			    "mean '%s%s'?", g->prefix, name, in, area,
			    g->prefix, guess);
		else
			problem(g->ld, s, "unknown setting '%s%s'%s%s; remove "
			    "it or check its spelling in redress.conf(5)",
			    g->prefix, name, in, area);
	}
	g_ptr_array_unref(g->known);
	g->known = NULL;
}

/* Opens the sub-group name of parent; child->setting NULL if unusable. */
static void
group_child(struct group *parent, const char *name, gboolean required,
    const char *expected, const char *prefix, struct group *child)
{
	config_setting_t *s = member(parent, name, required, expected);

	if (s != NULL && !config_setting_is_group(s)) {
		complain(parent, s, name, "expected %s, not %s", expected,
		    type_name(s));
		s = NULL;
	}
	group_open(child, parent->ld, s, prefix, parent->area);
}

/*
 * Reads a string; fallback when absent (or after a reported problem). A
 * required string must not be empty either. Returns a new string.
 */
static char *
read_string(struct group *g, const char *name, gboolean required,
    const char *expected, const char *fallback, config_setting_t **at)
{
	config_setting_t *s = member(g, name, required, expected);
	const char	*value;

	if (at != NULL)
		*at = s;
	if (s == NULL)
		return (g_strdup(fallback));
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		complain(g, s, name, "expected %s, not %s", expected,
		    type_name(s));
		return (g_strdup(fallback));
	}
	value = config_setting_get_string(s);
	if (required && *value == '\0') {
		complain(g, s, name, "expected %s, not an empty string",
		    expected);
		return (g_strdup(fallback));
	}
	return (g_strdup(value));
}

/* A relative path is taken from the directory of the configuration file. */
static char *
read_path(struct group *g, const char *name, gboolean required,
    const char *expected, const char *fallback, config_setting_t **at)
{
	char	*value, *path;

	value = read_string(g, name, required, expected, fallback, at);
	if (*value == '\0')
		return (value);
	path = g_canonicalize_filename(value, g->ld->dir);
	g_free(value);
	return (path);
}

static gboolean
has_space(const char *s)
{
	for (; *s != '\0'; s++)
		if (g_ascii_isspace(*s) || g_ascii_iscntrl(*s))
			return (TRUE);
	return (FALSE);
}

/* What redress can write in a header and on an SMTP line (address.h). */
static gboolean
looks_like_address(const char *s)
{
	return (address_valid(s));
}

/* A staff domain as address_key() writes domains: the A-label, lower
 * case. */
static char *
domain_key(const char *domain)
{
	char	*ascii = g_hostname_to_ascii(domain), *key;

	key = g_ascii_strdown(ascii != NULL ? ascii : domain, -1);
	g_free(ascii);
	return (key);
}

static gboolean
looks_like_domain(const char *s)
{
	size_t	len = strlen(s);

	return (len > 0 && strchr(s, '@') == NULL && !has_space(s) &&
	    s[0] != '.' && s[len - 1] != '.');
}

/* An address, or "" when optional and absent or empty. */
static char *
read_address(struct group *g, const char *name, gboolean required)
{
	config_setting_t *s;
	char		*value;

	value = read_string(g, name, required, EXPECT_ADDRESS, "", &s);
	if (*value != '\0' && !looks_like_address(value)) {
		complain(g, s, name, "expected %s, not \"%s\"",
		    EXPECT_ADDRESS, value);
		g_free(value);
		value = g_strdup("");
	}
	return (value);
}

static char *
read_host(struct group *g, const char *name, gboolean required,
    const char *fallback)
{
	config_setting_t *s;
	char		*value;

	value = read_string(g, name, required, "a host name or IP address",
	    fallback, &s);
	if (has_space(value)) {
		complain(g, s, name, "expected a host name or IP address, "
		    "not \"%s\"", value);
		g_free(value);
		value = g_strdup(fallback);
	}
	return (value);
}

/* A whole number in [min, max]; fallback when absent or wrong. */
static long long
read_number(struct group *g, const char *name, long long min, long long max,
    long long fallback, const char *expected)
{
	config_setting_t *s = member(g, name, FALSE, expected);
	long long	 value;

	if (s == NULL)
		return (fallback);
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		complain(g, s, name, "expected %s, not %s", expected,
		    type_name(s));
		return (fallback);
	}
	value = config_setting_get_int64(s);
	if (value < min || value > max) {
		/* libconfig 1.5 wraps a number over 2^31 without the L
		 * suffix into a small or negative one: say so. */
		complain(g, s, name, "expected %s, not %lld%s", expected,
		    value, value < 0 ? " (numbers above 2147483647 need an "
		    "L suffix, e.g. 4294967296L)" : "");
		return (fallback);
	}
	return (value);
}

static int
read_port(struct group *g, const char *name, int fallback)
{
	return ((int)read_number(g, name, 1, 65535, fallback, EXPECT_PORT));
}

static enum tls_mode
read_tls(struct group *g, const char *name, enum tls_mode fallback)
{
	static const enum tls_mode modes[] = {
		TLS_NONE, TLS_STARTTLS, TLS_IMPLICIT
	};
	config_setting_t *s;
	char		*value;
	guint		 i;

	value = read_string(g, name, FALSE, EXPECT_TLS,
	    tls_mode_name(fallback), &s);
	for (i = 0; i < G_N_ELEMENTS(modes); i++) {
		if (strcmp(value, tls_mode_name(modes[i])) == 0) {
			g_free(value);
			return (modes[i]);
		}
	}
	complain(g, s, name, "expected %s, not \"%s\"", EXPECT_TLS, value);
	g_free(value);
	return (fallback);
}

enum list_kind {
	LIST_ADDRESSES,		/* kept as written: mail goes to them */
	LIST_STAFF_ADDRESSES,	/* address_key(), for comparison */
	LIST_DOMAINS		/* lower case A-label, for comparison */
};

/*
 * An array (or list) of addresses or domains; at least min entries.
 * Returns a new array of new strings, empty when absent.
 */
static GPtrArray *
read_list(struct group *g, const char *name, guint min, enum list_kind kind)
{
	const char	*expected = kind == LIST_DOMAINS ? EXPECT_DOMAIN :
			    EXPECT_ADDRESS;
	GPtrArray	*out = g_ptr_array_new_with_free_func(g_free);
	config_setting_t *s, *e;
	const char	*value;
	char		*what;
	gboolean	 fits;
	int		 i, n;

	what = g_strdup_printf("%s%s in [ ]", min > 0 ? "at least one " :
	    "a list of ", kind == LIST_DOMAINS ? "domain" : "address");
	s = member(g, name, min > 0, what);
	if (s == NULL)
		goto done;
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		complain(g, s, name, "expected %s, not %s", what,
		    type_name(s));
		goto done;
	}
	n = config_setting_length(s);
	if ((guint)n < min) {
		complain(g, s, name, "expected %s, not an empty list", what);
		goto done;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			complain(g, e, name, "entry %d: expected %s, not %s",
			    i + 1, expected, type_name(e));
			continue;
		}
		value = config_setting_get_string(e);
		fits = kind == LIST_DOMAINS ? looks_like_domain(value) :
		    looks_like_address(value);
		if (!fits) {
			complain(g, e, name, "entry %d: expected %s, not "
			    "\"%s\"", i + 1, expected, value);
			continue;
		}
		g_ptr_array_add(out, kind == LIST_ADDRESSES ? g_strdup(value) :
		    kind == LIST_STAFF_ADDRESSES ? address_key(value) :
		    domain_key(value));
	}
done:
	g_free(what);
	return (out);
}

/*
 * Reads a password or key file: one line, the trailing newline dropped.
 * Group may read it (root:redress 0640 is the usual layout); others may
 * not, and the group may not change it. Returns NULL and sets *cause.
 */
static char *
read_secret(const char *path, size_t min_len, gboolean is_key, char **cause)
{
	char		 buf[SECRET_FILE_MAX + 1];
	struct stat	 st;
	char		*value = NULL;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		*cause = g_strdup_printf("cannot read %s: %s; check that the "
		    "file exists and that its permissions let the user running "
		    "redress read it", path, g_strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		*cause = g_strdup_printf("%s is not a regular file; expected "
		    "a file holding one line", path);
		goto out;
	}
	if (st.st_mode & (S_IRWXO | S_IWGRP)) {
		*cause = g_strdup_printf("%s has mode %04o, so other users can "
		    "read or change it; run chmod 600 %s (or 640 with the group "
		    "redress runs as)", path, (unsigned)(st.st_mode & 07777),
		    path);
		goto out;
	}
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = g_strdup_printf("cannot read %s: %s; check "
			    "its permissions", path, g_strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > SECRET_FILE_MAX) {
		*cause = g_strdup_printf("%s is larger than %d bytes; expected "
		    "a file holding one line", path, SECRET_FILE_MAX);
		goto out;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (memchr(buf, '\n', len) != NULL || memchr(buf, '\0', len) != NULL) {
		*cause = g_strdup_printf("%s holds more than one line or a NUL "
		    "byte; expected one line of text", path);
		goto out;
	}
	if (len < min_len) {
		if (is_key)
			*cause = g_strdup_printf("%s %s; expected at least %zu "
			    "bytes (make one with: umask 077; openssl rand "
			    "-hex 32 > %s)", path, len == 0 ? "is empty" :
			    "is too short", min_len, path);
		else
			*cause = g_strdup_printf("%s is empty; expected the "
			    "password on one line", path);
		goto out;
	}
	value = g_strndup(buf, len);
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return (value);
}

/*
 * Reads the path in setting name and the password (or, is_key, the reply
 * token key) in that file. *path and *value are new strings ("" when
 * absent or unreadable).
 */
static void
read_secret_file(struct group *g, const char *name, gboolean required,
    gboolean is_key, char **path, char **value)
{
	config_setting_t *s;
	char		*cause = NULL;

	*path = read_path(g, name, required, is_key ? "the path of the file "
	    "holding the reply token key" : "the path of the file holding the "
	    "password", "", &s);
	*value = NULL;
	if (**path != '\0' && (*value = read_secret(*path, is_key ?
	    HMAC_SECRET_MIN : 1, is_key, &cause)) == NULL) {
		complain(g, s, name, "%s", cause);
		g_free(cause);
	}
	if (*value == NULL)
		*value = g_strdup("");
}

static gboolean
is_loopback(const char *host)
{
	return (g_ascii_strcasecmp(host, "localhost") == 0 ||
	    g_str_has_prefix(host, "127.") || strcmp(host, "::1") == 0);
}

/* A password sent without TLS is readable on the wire. */
static void
check_cleartext(struct group *g, const char *host, enum tls_mode tls,
    const char *password)
{
	config_setting_t *at = NULL;

	if (tls != TLS_NONE || *password == '\0' || is_loopback(host))
		return;
	if (g->setting != NULL)
		at = config_setting_get_member(g->setting, "tls");
	complain(g, at, "tls", "\"none\" would send the password in clear "
	    "text to %s; expected \"starttls\" or \"implicit\" (\"none\" is "
	    "only for servers on this machine)", host);
}

static void
read_limits(struct group *root, struct config *cfg)
{
	struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	struct group	 g;
	const char	*positive = "a whole number above 0";
	config_setting_t *at;

	group_child(root, "limits", FALSE, "a group { max_message_size = ...; "
	    "}", "limits.", &g);
	cfg->limits.max_size = read_number(&g, "max_message_size", 1,
	    G_MAXINT64, defaults.max_size, positive);
	cfg->limits.max_depth = read_number(&g, "max_mime_depth", 1,
	    INT_MAX, defaults.max_depth, positive);
	cfg->limits.max_parts = read_number(&g, "max_parts", 1, INT_MAX,
	    defaults.max_parts, positive);
	cfg->limits.max_line = read_number(&g, "max_line_length", 1,
	    G_MAXINT64, defaults.max_line, positive);
	/* Whatever the kind: a flood through Reply-To must not reach a
	 * third party more than this a day. */
	cfg->auto_replies_per_day = read_number(&g, "auto_replies_per_day", 1,
	    INT_MAX, 10, positive);
	/* Messages between the two are fetched and kept raw as too big;
	 * above max_fetch_size they are left on the server. */
	cfg->max_fetch_size = read_number(&g, "max_fetch_size", 1, G_MAXINT64,
	    MAX(defaults.max_size * 4, cfg->limits.max_size), positive);
	if (cfg->max_fetch_size < cfg->limits.max_size) {
		at = g.setting != NULL ?
		    config_setting_get_member(g.setting, "max_fetch_size") :
		    NULL;
		complain(&g, at, "max_fetch_size", "expected at least "
		    "limits.max_message_size (%zu), not %zu",
		    cfg->limits.max_size, cfg->max_fetch_size);
	}
	cfg->limits.attachment_text_max = read_number(&g,
	    "attachment_text_max", 1, G_MAXINT64,
	    defaults.attachment_text_max, positive);
	cfg->limits.message_text_max = read_number(&g, "message_text_max", 1,
	    G_MAXINT64, defaults.message_text_max, positive);
	cfg->limits.max_ratio = read_number(&g, "max_decompression_ratio", 1,
	    INT_MAX, defaults.max_ratio, positive);
	/* Areas are served in turn, this many messages each, so that one
	 * Area's backlog does not hold up the others. */
	cfg->intake_batch = read_number(&g, "intake_batch", 1, INT_MAX, 50,
	    positive);
	group_close(&g);
}

/* The process's time limits (DOMAIN.md marks them settings). */
static void
read_time_limits(struct group *root, struct config *cfg)
{
	struct group	 g;
	const char	*days = "a number of working days from 1 to 250";

	group_child(root, "time_limits", FALSE, "a group { stage1 = 20; }",
	    "time_limits.", &g);
	cfg->ack_days = read_number(&g, "acknowledgement", 1, 250, 3, days);
	cfg->stage1_days = read_number(&g, "stage1", 1, 250, 20, days);
	cfg->stage2_days = read_number(&g, "stage2", 1, 250, 20, days);
	cfg->iac_days = read_number(&g, "iac", 1, 250, 40, days);
	cfg->authority_days = read_number(&g, "authority", 1, 250, 20, days);
	group_close(&g);
}

static void
read_smtp(struct group *root, struct smtp_config *smtp)
{
	struct group	 g;
	config_setting_t *at;

	group_child(root, "smtp", TRUE, "a group { host = ...; from = ...; }",
	    "smtp.", &g);
	smtp->host = read_host(&g, "host", FALSE, "127.0.0.1");
	smtp->tls = read_tls(&g, "tls", TLS_STARTTLS);
	smtp->port = read_port(&g, "port", smtp->tls == TLS_IMPLICIT ? 465 :
	    25);
	smtp->ca_file = read_path(&g, "ca_file", FALSE, "the path of a file "
	    "of CA certificates, or \"\" for the system's", "", NULL);
	smtp->user = read_string(&g, "user", FALSE, "a user name, or \"\" "
	    "for no authentication", "", NULL);
	read_secret_file(&g, "password_file", FALSE, FALSE,
	    &smtp->password_file, &smtp->password);
	smtp->from = read_address(&g, "from", TRUE);
	smtp->helo = read_host(&g, "helo", FALSE, "");
	if (*smtp->helo == '\0') {
		g_free(smtp->helo);
		smtp->helo = g_strdup(g_get_host_name());
	}
	smtp->timeout = read_number(&g, "timeout", 1, 3600, 60,
	    "a number of seconds from 1 to 3600");
	smtp->outage_notice = read_number(&g, "outage_notice", 0, 604800, 900,
	    "a number of seconds from 0 to 604800");
	at = g.setting != NULL ?
	    config_setting_get_member(g.setting, "password_file") : NULL;
	if (*smtp->user != '\0' && *smtp->password_file == '\0')
		complain(&g, at, "password_file", "missing; expected the path "
		    "of the file holding the password of smtp.user");
	if (*smtp->user == '\0' && *smtp->password_file != '\0')
		complain(&g, at, "password_file", "set but smtp.user is empty; "
		    "expected both or neither");
	check_cleartext(&g, smtp->host, smtp->tls, smtp->password);
	group_close(&g);
}

static void
read_staff(struct group *root, struct config *cfg)
{
	struct group	 g;

	group_child(root, "staff", TRUE, "a group { domains = [ ... ]; "
	    "addresses = [ ... ]; }", "staff.", &g);
	cfg->staff_domains = read_list(&g, "domains", 0, LIST_DOMAINS);
	cfg->staff_addresses = read_list(&g, "addresses", 0,
	    LIST_STAFF_ADDRESSES);
	cfg->trusted_authserv_id = read_host(&g, "trusted_authserv_id", FALSE,
	    "");
	if (g.setting != NULL && cfg->staff_domains->len == 0 &&
	    cfg->staff_addresses->len == 0 &&
	    config_setting_get_member(g.setting, "domains") == NULL &&
	    config_setting_get_member(g.setting, "addresses") == NULL)
		problem(root->ld, g.setting, "staff: expected at least one "
		    "entry in staff.domains or staff.addresses, or no one can "
		    "steer a case");
	group_close(&g);
}

static void
read_imap(struct group *area, struct imap_config *imap)
{
	struct group	 g;

	group_child(area, "imap", TRUE, "a group { host = ...; user = ...; "
	    "password_file = ...; }", "imap.", &g);
	imap->host = read_host(&g, "host", TRUE, "");
	imap->tls = read_tls(&g, "tls", TLS_IMPLICIT);
	imap->port = read_port(&g, "port", imap->tls == TLS_IMPLICIT ? 993 :
	    143);
	imap->ca_file = read_path(&g, "ca_file", FALSE, "the path of a file "
	    "of CA certificates, or \"\" for the system's", "", NULL);
	imap->user = read_string(&g, "user", TRUE, "the IMAP user name", "",
	    NULL);
	read_secret_file(&g, "password_file", TRUE, FALSE,
	    &imap->password_file, &imap->password);
	imap->mailbox = read_string(&g, "mailbox", FALSE, "a mailbox name",
	    "INBOX", NULL);
	if (*imap->mailbox == '\0') {
		g_free(imap->mailbox);
		imap->mailbox = g_strdup("INBOX");
	}
	imap->processed = read_string(&g, "processed", FALSE, "a mailbox "
	    "name, or \"\" to leave messages in place", "", NULL);
	check_cleartext(&g, imap->host, imap->tls, imap->password);
	group_close(&g);
}

static gboolean
valid_area_id(const char *id)
{
	size_t	len = strlen(id), i;

	if (len < AREA_ID_MIN || len > AREA_ID_MAX)
		return (FALSE);
	for (i = 0; i < len; i++)
		if (!g_ascii_isupper(id[i]))
			return (FALSE);
	return (TRUE);
}

static void
area_free(gpointer p)
{
	struct area_config *a = p;

	g_free(a->id);
	g_free(a->name);
	g_free(a->address);
	g_free(a->enquiries);
	g_free(a->imap.host);
	g_free(a->imap.ca_file);
	g_free(a->imap.user);
	g_free(a->imap.password_file);
	if (a->imap.password != NULL)
		explicit_bzero(a->imap.password, strlen(a->imap.password));
	g_free(a->imap.password);
	g_free(a->imap.mailbox);
	g_free(a->imap.processed);
	if (a->coordinators != NULL)
		g_ptr_array_unref(a->coordinators);
	if (a->managers != NULL)
		g_ptr_array_unref(a->managers);
	g_free(a);
}

/* seen maps each Area id to the setting that first used it. */
static struct area_config *
read_area(struct loader *ld, config_setting_t *s, guint number,
    GHashTable *seen, const struct config *cfg)
{
	struct area_config *a = g_new0(struct area_config, 1);
	config_setting_t *id_at, *first;
	struct group	 g;
	const char	*id;
	char		*label;
	guint		 i;

	/* Name the Area by its id in messages when it has one. */
	if ((id_at = config_setting_get_member(s, "id")) != NULL &&
	    config_setting_type(id_at) == CONFIG_TYPE_STRING &&
	    *(id = config_setting_get_string(id_at)) != '\0')
		label = g_strdup(id);
	else
		label = g_strdup_printf("#%u", number);
	group_open(&g, ld, s, "", label);
	a->line = config_setting_source_line(s);

	a->id = read_string(&g, "id", TRUE, "2 to 8 capital letters like "
	    "\"LON\"", "", &id_at);
	if (*a->id != '\0' && !valid_area_id(a->id))
		complain(&g, id_at, "id", "expected 2 to 8 capital letters "
		    "like \"LON\", not \"%s\"", a->id);
	else if (*a->id != '\0' &&
	    (first = g_hash_table_lookup(seen, a->id)) != NULL)
		complain(&g, id_at, "id", "\"%s\" is already the id of the "
		    "Area on line %u; expected an id of its own", a->id,
		    config_setting_source_line(first));
	else if (*a->id != '\0')
		g_hash_table_insert(seen, a->id, id_at);
	a->name = read_string(&g, "name", TRUE, "the Area's name, like "
	    "\"London\"", "", NULL);
	a->address = read_address(&g, "address", TRUE);
	a->enquiries = read_address(&g, "enquiries", FALSE);
	read_imap(&g, &a->imap);
	a->coordinators = read_list(&g, "coordinators", 1, LIST_ADDRESSES);
	a->managers = read_list(&g, "managers", 0, LIST_ADDRESSES);

	/* Coordinators approve drafts by email: they must count as staff.
	 * Without any staff entry that problem is already reported. */
	if (cfg->staff_domains->len + cfg->staff_addresses->len > 0) {
		for (i = 0; i < a->coordinators->len; i++) {
			if (config_is_staff(cfg, a->coordinators->pdata[i]))
				continue;
			complain(&g, config_setting_get_member(s,
			    "coordinators"), "coordinators", "entry %u is not "
			    "staff; expected its address or domain in "
			    "staff.addresses or staff.domains, or its #approve "
			    "would be refused", i + 1);
		}
	}
	group_close(&g);
	g_free(label);
	return (a);
}

static void
read_areas(struct group *root, struct config *cfg)
{
	const char	*expected = "a list of Areas ( { id = ...; }, ... )";
	config_setting_t *s, *e;
	GHashTable	*seen;
	int		 i, n;

	cfg->areas = g_ptr_array_new_with_free_func(area_free);
	if ((s = member(root, "areas", TRUE, expected)) == NULL)
		return;
	if (!config_setting_is_list(s)) {
		complain(root, s, "areas", "expected %s, not %s", expected,
		    type_name(s));
		return;
	}
	if ((n = config_setting_length(s)) == 0) {
		complain(root, s, "areas", "expected at least one Area, not "
		    "an empty list");
		return;
	}
	seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (!config_setting_is_group(e)) {
			complain(root, e, "areas", "Area %d: expected a group "
			    "{ id = ...; }, not %s", i + 1, type_name(e));
			continue;
		}
		g_ptr_array_add(cfg->areas, read_area(root->ld, e, i + 1, seen,
		    cfg));
	}
	g_hash_table_destroy(seen);
}

static void
read_root(struct loader *ld, config_t *lc, struct config *cfg)
{
	struct group	 g;

	group_open(&g, ld, config_root_setting(lc), "", NULL);
	cfg->database = read_path(&g, "database", FALSE, "the path of the "
	    "SQLite database", DEFAULT_DATABASE, NULL);
	cfg->templates = read_path(&g, "templates", FALSE, "the path of the "
	    "templates directory", DEFAULT_TEMPLATES, NULL);
	cfg->rules = read_path(&g, "rules", FALSE, "the path of the rules "
	    "directory", DEFAULT_RULES, NULL);
	cfg->calendar = read_path(&g, "calendar", FALSE, "the path of the "
	    "bank holidays file", DEFAULT_CALENDAR, NULL);
	cfg->poll_interval = read_number(&g, "poll_interval", 1, 86400, 60,
	    "a number of seconds from 1 to 86400");
	cfg->idle_restart = read_number(&g, "idle_restart", 1,
	    IDLE_RESTART_MAX, IDLE_RESTART_MAX,
	    "a number of seconds from 1 to 1740 (29 minutes)");
	cfg->ack_rate_limit = read_number(&g, "ack_rate_limit", 1, INT_MAX, 5,
	    "a whole number above 0");
	read_secret_file(&g, "secret_file", TRUE, TRUE, &cfg->secret_path,
	    &cfg->hmac_secret);
	cfg->vrr_address = read_address(&g, "vrr_address", TRUE);
	cfg->iac_address = read_address(&g, "iac_address", FALSE);
	cfg->operator_address = read_address(&g, "operator_address", FALSE);
	cfg->thread_days = read_number(&g, "thread_days", 1, 3650, 60,
	    "a number of days from 1 to 3650");
	cfg->imap_outage_notice = read_number(&g, "imap_outage_notice", 1,
	    604800, 900, "a number of seconds from 1 to 604800 (a week)");
	cfg->triage_confidence = read_number(&g, "triage_confidence", 0, 100,
	    (int)(TRIAGE_CONFIDENCE_DEFAULT * 100 + 0.5),
	    "a percentage from 0 to 100");
	cfg->triage_margin = read_number(&g, "triage_margin", 0, 100,
	    (int)(TRIAGE_MARGIN_DEFAULT * 100 + 0.5),
	    "a number of percentage points from 0 to 100");
	read_limits(&g, cfg);
	read_time_limits(&g, cfg);
	read_smtp(&g, &cfg->smtp);
	/* Before the Areas: their coordinators are checked against it. */
	read_staff(&g, cfg);
	read_areas(&g, cfg);
	group_close(&g);
}

/* The libconfig error as "FILE:LINE: text", or the file's own problem. */
static char *
libconfig_error(const char *path, config_t *lc, int open_errno)
{
	const char	*file = config_error_file(lc);

	if (config_error_type(lc) == CONFIG_ERR_FILE_IO || open_errno != 0)
		return (g_strdup_printf("%s: cannot read the configuration "
		    "file: %s; check the path given with -c", path,
		    g_strerror(open_errno != 0 ? open_errno : EIO)));
	return (g_strdup_printf("%s:%d: %s", file != NULL ? file : path,
	    config_error_line(lc), config_error_text(lc)));
}

struct config *
config_load(const char *path, GPtrArray **errors)
{
	struct loader	 ld;
	struct config	*cfg;
	config_t	 lc;
	char		*dir;
	FILE		*f;
	guint		 i;
	int		 open_errno = 0, loaded;

	*errors = g_ptr_array_new_with_free_func(g_free);
	/* libconfig says only "file I/O error": find out why ourselves. */
	if ((f = fopen(path, "r")) == NULL)
		open_errno = errno;
	else
		fclose(f);

	dir = g_path_get_dirname(path);
	ld.path = path;
	ld.dir = g_canonicalize_filename(dir, NULL);
	ld.problems = g_ptr_array_new_with_free_func(problem_free);
	g_free(dir);

	config_init(&lc);
	config_set_include_dir(&lc, ld.dir);
	loaded = open_errno == 0 && config_read_file(&lc, path);
	if (!loaded) {
		g_ptr_array_add(*errors, libconfig_error(path, &lc,
		    open_errno));
		cfg = NULL;
		goto out;
	}

	cfg = g_new0(struct config, 1);
	cfg->path = g_strdup(path);
	read_root(&ld, &lc, cfg);

	if (ld.problems->len > 0) {
		g_ptr_array_sort(ld.problems, problem_cmp);
		for (i = 0; i < ld.problems->len; i++) {
			struct problem *pb = ld.problems->pdata[i];

			g_ptr_array_add(*errors, pb->text);
			pb->text = NULL;
		}
		config_free(cfg);
		cfg = NULL;
	}
out:
	config_destroy(&lc);
	g_ptr_array_unref(ld.problems);
	g_free(ld.dir);
	if (cfg != NULL) {
		g_ptr_array_unref(*errors);
		*errors = NULL;
	}
	return (cfg);
}

static void
free_secret(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	g_free(s);
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	g_free(cfg->path);
	g_free(cfg->database);
	g_free(cfg->templates);
	g_free(cfg->rules);
	g_free(cfg->calendar);
	g_free(cfg->secret_path);
	free_secret(cfg->hmac_secret);
	g_free(cfg->vrr_address);
	g_free(cfg->iac_address);
	g_free(cfg->operator_address);
	g_free(cfg->smtp.host);
	g_free(cfg->smtp.ca_file);
	g_free(cfg->smtp.user);
	g_free(cfg->smtp.password_file);
	free_secret(cfg->smtp.password);
	g_free(cfg->smtp.from);
	g_free(cfg->smtp.helo);
	if (cfg->staff_domains != NULL)
		g_ptr_array_unref(cfg->staff_domains);
	if (cfg->staff_addresses != NULL)
		g_ptr_array_unref(cfg->staff_addresses);
	g_free(cfg->trusted_authserv_id);
	if (cfg->areas != NULL)
		g_ptr_array_unref(cfg->areas);
	g_free(cfg);
}

const struct area_config *
config_find_area(const struct config *cfg, const char *id)
{
	const struct area_config *a;
	guint		 i;

	if (id == NULL)
		return (NULL);
	for (i = 0; i < cfg->areas->len; i++) {
		a = cfg->areas->pdata[i];
		if (g_ascii_strcasecmp(a->id, id) == 0)
			return (a);
	}
	return (NULL);
}

gboolean
config_is_staff(const struct config *cfg, const char *addr)
{
	char		*key, *local, *domain;
	gboolean	 staff = FALSE;
	guint		 i;

	if (addr == NULL || (key = address_key(addr)) == NULL)
		return (FALSE);
	if (!address_split(key, &local, &domain)) {
		g_free(key);
		return (FALSE);
	}
	for (i = 0; !staff && i < cfg->staff_addresses->len; i++)
		staff = strcmp(key, cfg->staff_addresses->pdata[i]) == 0;
	for (i = 0; !staff && i < cfg->staff_domains->len; i++)
		staff = strcmp(domain, cfg->staff_domains->pdata[i]) == 0;
	g_free(key);
	g_free(local);
	g_free(domain);
	return (staff);
}

const char *
tls_mode_name(enum tls_mode mode)
{
	switch (mode) {
	case TLS_NONE:
		return ("none");
	case TLS_STARTTLS:
		return ("starttls");
	case TLS_IMPLICIT:
		return ("implicit");
	}
	return ("unknown");
}
