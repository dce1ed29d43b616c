/*
 * test-config.c: config_load() and `redress check-config` as an operator
 * meets them. The fixtures in tests/data/conf are copied to a temporary
 * directory first: git keeps no file modes, and password files must be
 * private before they load.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cmd.h"
#include "config.h"
#include "tests/tap.h"

static char	*tmpdir;	/* the copy of the fixtures is tmpdir/conf */
static char	*confdir;

static void
copy_fixtures(void)
{
	GDir		*dir;
	const char	*name;
	char		*from, *to, *data;
	gsize		 len;

	tmpdir = g_dir_make_tmp("test-config-XXXXXX", NULL);
	confdir = g_build_filename(tmpdir, "conf", NULL);
	g_mkdir(confdir, 0700);
	dir = g_dir_open(CONF_FIXTURES, 0, NULL);
	if (dir == NULL) {
		printf("Bail out! cannot open %s\n", CONF_FIXTURES);
		exit(1);
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		from = g_build_filename(CONF_FIXTURES, name, NULL);
		to = g_build_filename(confdir, name, NULL);
		if (!g_file_get_contents(from, &data, &len, NULL) ||
		    !g_file_set_contents(to, data, len, NULL)) {
			printf("Bail out! cannot copy %s\n", from);
			exit(1);
		}
		g_chmod(to, 0600);
		g_free(data);
		g_free(from);
		g_free(to);
	}
	g_dir_close(dir);
}

static void
remove_tree(const char *path)
{
	GDir		*dir;
	const char	*name;
	char		*child;

	if ((dir = g_dir_open(path, 0, NULL)) != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			child = g_build_filename(path, name, NULL);
			remove_tree(child);
			g_free(child);
		}
		g_dir_close(dir);
	}
	g_remove(path);
}

static char *
conf_path(const char *name)
{
	return (g_build_filename(confdir, name, NULL));
}

/* Writes text to confdir/name (mode 0600); returns the path. */
static char *
write_conf(const char *name, const char *text)
{
	char	*path = conf_path(name);

	g_file_set_contents(path, text, -1, NULL);
	g_chmod(path, 0600);
	return (path);
}

static gboolean
strv_is(const GPtrArray *got, const char *const *want)
{
	guint	i;

	for (i = 0; i < got->len && want[i] != NULL; i++)
		if (strcmp(got->pdata[i], want[i]) != 0)
			return (FALSE);
	return (i == got->len && want[i] == NULL);
}

static void
diag_errors(const GPtrArray *errors)
{
	guint	i;

	for (i = 0; errors != NULL && i < errors->len; i++)
		printf("#   %s\n", (char *)errors->pdata[i]);
}

static struct config *
load_ok(const char *path, const char *what)
{
	struct config	*cfg;
	GPtrArray	*errors = NULL;

	cfg = config_load(path, &errors);
	ok(cfg != NULL && errors == NULL, "%s loads", what);
	diag_errors(errors);
	if (errors != NULL)
		g_ptr_array_unref(errors);
	return (cfg);
}

static void
test_good(void)
{
	struct config	*cfg;
	const struct area_config *lon, *cym;
	char		*path = conf_path("good.conf"), *want;

	if ((cfg = load_ok(path, "good.conf")) == NULL)
		goto out;
	is_str(cfg->path, path, "path is the file as given");
	want = g_build_filename(confdir, "state/redress.db", NULL);
	is_str(cfg->database, want, "relative database is under the "
	    "configuration file's directory");
	g_free(want);
	is_str(cfg->templates, "/opt/redress/templates", "absolute templates "
	    "path kept");
	want = g_build_filename(tmpdir, "rules", NULL);
	is_str(cfg->rules, want, "../rules resolved against the file's "
	    "directory");
	g_free(want);
	want = g_build_filename(confdir, "state/bank-holidays.json", NULL);
	is_str(cfg->calendar, want, "calendar resolved");
	g_free(want);
	ok(cfg->poll_interval == 120, "poll_interval");
	ok(cfg->idle_restart == 900, "idle_restart");
	ok(cfg->ack_rate_limit == 3, "ack_rate_limit");
	is_str(cfg->hmac_secret, "correct-horse-battery-staple-42",
	    "secret read, newline dropped");
	want = conf_path("secret");
	is_str(cfg->secret_path, want, "secret_path resolved");
	g_free(want);
	is_str(cfg->vrr_address, "vrr@cps.example.gov.uk", "vrr_address");
	ok(cfg->limits.max_size == 1048576, "limits.max_message_size");
	ok(cfg->limits.max_depth == 10, "limits.max_mime_depth");
	ok(cfg->limits.max_parts == 100, "limits.max_parts");
	ok(cfg->limits.max_line == 2000, "limits.max_line_length");
	ok(cfg->max_fetch_size == 4294967296ULL, "limits.max_fetch_size "
	    "beyond 32 bits (L suffix)");

	is_str(cfg->smtp.host, "relay.example", "smtp.host");
	ok(cfg->smtp.port == 587, "smtp.port");
	ok(cfg->smtp.tls == TLS_STARTTLS, "smtp.tls");
	want = conf_path("ca.pem");
	is_str(cfg->smtp.ca_file, want, "smtp.ca_file resolved");
	g_free(want);
	is_str(cfg->smtp.user, "redress", "smtp.user");
	want = conf_path("smtp.pass");
	is_str(cfg->smtp.password_file, want, "smtp.password_file resolved");
	g_free(want);
	is_str(cfg->smtp.password, "smtp-relay-pw", "smtp password without "
	    "a newline read whole");
	is_str(cfg->smtp.from, "complaints@cps.example.gov.uk", "smtp.from");
	is_str(cfg->smtp.helo, "redress.cps.example.gov.uk", "smtp.helo");
	ok(cfg->smtp.timeout == 20, "smtp.timeout");
	ok(cfg->smtp.outage_notice == 0, "smtp.outage_notice 0: at once");

	ok(cfg->staff_domains->len == 2, "two staff domains");
	is_str(cfg->staff_domains->pdata[0], "cps.example.gov.uk",
	    "staff domain lower-cased");
	is_str(cfg->staff_addresses->pdata[0], "someone@elsewhere.example",
	    "staff address lower-cased");
	is_str(cfg->trusted_authserv_id, "mx.cps.example.gov.uk",
	    "trusted_authserv_id");

	ok(cfg->areas->len == 2, "two Areas");
	lon = config_find_area(cfg, "LON");
	cym = config_find_area(cfg, "CYMRU");
	ok(lon != NULL && cym != NULL, "config_find_area finds both");
	if (lon == NULL || cym == NULL)
		goto free;
	ok(config_find_area(cfg, "lon") == lon, "config_find_area ignores "
	    "case");
	ok(config_find_area(cfg, "NOPE") == NULL, "unknown Area is NULL");
	ok(lon->line == 34 && cym->line == 52, "Area lines recorded");
	is_str(lon->name, "London", "area name");
	is_str(lon->address, "london.complaints@cps.example.gov.uk",
	    "area address");
	is_str(lon->enquiries, "london.enquiries@cps.example.gov.uk",
	    "area enquiries");
	is_str(lon->imap.host, "imap.example", "imap.host");
	ok(lon->imap.port == 10993, "imap.port");
	ok(lon->imap.tls == TLS_IMPLICIT, "imap.tls");
	is_str(lon->imap.ca_file, "/etc/ssl/imap-ca.pem", "imap.ca_file");
	is_str(lon->imap.user, "london", "imap.user");
	is_str(lon->imap.password, "L0ndon-imap-pw", "imap password");
	is_str(lon->imap.mailbox, "Complaints", "imap.mailbox");
	is_str(lon->imap.processed, "Processed", "imap.processed");
	ok(lon->coordinators->len == 2, "two coordinators");
	is_str(lon->coordinators->pdata[1], "someone@elsewhere.example",
	    "coordinator kept");
	is_str(lon->managers->pdata[0], "lon.manager@cps.example.gov.uk",
	    "manager kept");

	is_str(cym->enquiries, "", "absent enquiries is \"\"");
	ok(cym->imap.tls == TLS_NONE && cym->imap.port == 143,
	    "imap tls none defaults to port 143");
	is_str(cym->imap.password, "Cymru-imap-pw", "CRLF dropped from "
	    "password");
	is_str(cym->imap.mailbox, "INBOX", "mailbox defaults to INBOX");
	is_str(cym->imap.processed, "", "processed defaults to \"\"");
	ok(cym->managers->len == 0, "no managers is an empty array");

	ok(config_is_staff(cfg, "lon.coord@cps.example.gov.uk"),
	    "staff by domain");
	ok(config_is_staff(cfg, "Lon.Coord@CPS.EXAMPLE.GOV.UK"),
	    "staff by domain, any case");
	ok(config_is_staff(cfg, "x@cps.example.org"), "second staff domain");
	ok(config_is_staff(cfg, "SOMEONE@elsewhere.example"),
	    "staff by address, any case");
	ok(!config_is_staff(cfg, "other@elsewhere.example"),
	    "other address at a listed address's domain is not staff");
	ok(!config_is_staff(cfg, "x@mail.cps.example.gov.uk"),
	    "subdomain of a staff domain is not staff");
	ok(!config_is_staff(cfg, "x@evilcps.example.gov.uk"),
	    "domain ending in a staff domain is not staff");
	ok(!config_is_staff(cfg, "x@cps.example.gov.uk.evil"),
	    "staff domain as a prefix is not staff");
	ok(!config_is_staff(cfg, "cps.example.gov.uk"), "no @ is not staff");
	ok(!config_is_staff(cfg, ""), "empty is not staff");
	ok(!config_is_staff(cfg, NULL), "NULL is not staff");
	ok(strcmp(tls_mode_name(TLS_NONE), "none") == 0 &&
	    strcmp(tls_mode_name(TLS_STARTTLS), "starttls") == 0 &&
	    strcmp(tls_mode_name(TLS_IMPLICIT), "implicit") == 0,
	    "tls_mode_name gives the words of the configuration file");
free:
	config_free(cfg);
out:
	g_free(path);
}

static void
test_defaults(void)
{
	struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	struct config	*cfg;
	const struct area_config *lon;
	char		*path = conf_path("minimal.conf");

	if ((cfg = load_ok(path, "minimal.conf")) == NULL)
		goto out;
	is_str(cfg->database, REDRESS_LOCALSTATEDIR "/lib/redress/redress.db",
	    "database default");
	is_str(cfg->templates, REDRESS_DATADIR "/templates",
	    "templates default");
	is_str(cfg->rules, REDRESS_DATADIR "/rules", "rules default");
	is_str(cfg->calendar, REDRESS_LOCALSTATEDIR
	    "/lib/redress/bank-holidays.json", "calendar default");
	ok(cfg->poll_interval == 60, "poll_interval default 60");
	ok(cfg->idle_restart == 1740, "idle_restart default 29 minutes");
	ok(cfg->ack_rate_limit == 5, "ack_rate_limit default 5");
	ok(memcmp(&cfg->limits, &defaults, sizeof(defaults)) == 0,
	    "limits default to PARSE_LIMITS_DEFAULT");
	ok(cfg->max_fetch_size == 104857600, "max_fetch_size default 100 MiB");
	ok(cfg->limits.attachment_text_max == 1048576 &&
	    cfg->limits.message_text_max == 4194304 &&
	    cfg->limits.max_ratio == 100, "attachment text limits default "
	    "to 1 MiB, 4 MiB and 100:1");
	ok(cfg->intake_batch == 50, "intake_batch default 50");
	ok(cfg->imap_outage_notice == 900, "imap_outage_notice default 900");
	is_str(cfg->smtp.host, "127.0.0.1", "smtp.host default");
	ok(cfg->smtp.port == 25 && cfg->smtp.tls == TLS_STARTTLS,
	    "smtp default port 25 with starttls");
	is_str(cfg->smtp.ca_file, "", "smtp.ca_file default \"\"");
	is_str(cfg->smtp.user, "", "smtp.user default \"\"");
	is_str(cfg->smtp.password_file, "", "smtp.password_file default");
	is_str(cfg->smtp.password, "", "no smtp password");
	is_str(cfg->smtp.helo, g_get_host_name(), "helo defaults to the "
	    "host name");
	ok(cfg->smtp.timeout == 60, "smtp.timeout defaults to 60 s");
	ok(cfg->smtp.outage_notice == 900, "smtp.outage_notice defaults to "
	    "900 s");
	ok(cfg->staff_addresses->len == 0, "no staff addresses");
	is_str(cfg->trusted_authserv_id, "", "trusted_authserv_id default");
	lon = cfg->areas->pdata[0];
	ok(lon->imap.tls == TLS_IMPLICIT && lon->imap.port == 993,
	    "imap defaults to implicit TLS on 993");
	is_str(lon->imap.ca_file, "", "imap.ca_file default \"\"");
	is_str(lon->enquiries, "", "enquiries default \"\"");
	config_free(cfg);
out:
	g_free(path);
}

/* Defaults that depend on another setting, and allowed file modes. */
static void
test_dependent_defaults(void)
{
	static const char *text =
	    "secret_file = \"secret\";\n"
	    "vrr_address = \"vrr@x.example\";\n"
	    "smtp = { host = \"smtp.x.example\"; tls = \"implicit\";\n"
	    "         user = \"u\"; password_file = \"smtp.pass\";\n"
	    "         from = \"c@x.example\"; };\n"
	    "staff = { addresses = [ \"a@x.example\" ]; };\n"
	    "areas = ( { id = \"XY\"; name = \"X\"; address = \"c@x.example\";\n"
	    "  imap = { host = \"localhost\"; tls = \"starttls\"; user = \"u\";\n"
	    "           password_file = \"lon.pass\"; };\n"
	    "  coordinators = [ \"a@x.example\" ]; } );\n";
	struct config	*cfg;
	const struct area_config *a;
	char		*path = write_conf("dependent.conf", text);
	char		*pass = conf_path("lon.pass");

	g_chmod(pass, 0640);
	cfg = load_ok(path, "a password file readable by its group");
	if (cfg != NULL) {
		ok(cfg->smtp.port == 465, "smtp implicit TLS defaults to 465");
		a = cfg->areas->pdata[0];
		ok(a->imap.port == 143, "imap starttls defaults to 143");
		config_free(cfg);
	}
	g_chmod(pass, 0600);
	g_free(pass);
	g_free(path);
}

static void
test_bad(void)
{
	struct config	*cfg;
	GPtrArray	*errors = NULL, *want;
	char		*path = conf_path("bad.conf");
	char		*open_pass = conf_path("open.pass");
	guint		 i;

	g_chmod(path, 0644);	/* the configuration itself may be public */
	g_chmod(open_pass, 0644);
	g_free(open_pass);
	want = g_ptr_array_new_with_free_func(g_free);
#define W(...) g_ptr_array_add(want, g_strdup_printf(__VA_ARGS__))
	W("%s:1: vrr_address: missing; expected an address like "
	    "\"name@example.gov.uk\" (one @, no spaces)", path);
	W("%s:2: unknown setting 'databse'; did you mean 'database'?", path);
	W("%s:3: poll_interval: expected a number of seconds from 1 to 86400, "
	    "not a string", path);
	W("%s:4: idle_restart: expected a number of seconds from 1 to 1740 "
	    "(29 minutes), not 3600", path);
	W("%s:5: unknown setting 'colour'; remove it or check its spelling in "
	    "redress.conf(5)", path);
	W("%s:6: secret_file: %s/short.secret is too short; expected at least "
	    "16 bytes (make one with: umask 077; openssl rand -hex 32 > "
	    "%s/short.secret)", path, confdir, confdir);
	W("%s:7: limits.max_message_size: expected a whole number above 0, not "
	    "-2147483648 (numbers above 2147483647 need an L suffix, e.g. "
	    "4294967296L)", path);
	W("%s:7: limits.max_parts: expected a whole number above 0, not 0",
	    path);
	W("%s:8: smtp.from: missing; expected an address like "
	    "\"name@example.gov.uk\" (one @, no spaces)", path);
	W("%s:8: smtp.password_file: missing; expected the path of the file "
	    "holding the password of smtp.user", path);
	W("%s:9: smtp.port: expected a port number from 1 to 65535, not 70000",
	    path);
	W("%s:10: smtp.tls: expected one of \"none\", \"starttls\" or "
	    "\"implicit\", not \"ssl\"", path);
	W("%s:11: smtp.timeout: expected a number of seconds from 1 to 3600, "
	    "not 0", path);
	W("%s:13: staff.domains: entry 1: expected a domain like "
	    "\"cps.example.gov.uk\" (no @, no spaces), not "
	    "\"@cps.example.gov.uk\"", path);
	W("%s:15: id in area lon: expected 2 to 8 capital letters like "
	    "\"LON\", not \"lon\"", path);
	W("%s:16: imap.password_file in area lon: cannot read "
	    "%s/missing.pass: No such file or directory; check that the file "
	    "exists and that its permissions let the user running redress "
	    "read it", path, confdir);
	W("%s:17: coordinators in area lon: expected at least one address in "
	    "[ ], not an empty list", path);
	W("%s:18: address in area NORTH: expected an address like "
	    "\"name@example.gov.uk\" (one @, no spaces), not "
	    "\"north complaints@cps.example.gov.uk\"", path);
	W("%s:18: imap in area NORTH: missing; expected a group { host = ...; "
	    "user = ...; password_file = ...; }", path);
	W("%s:19: unknown setting 'manager' in area NORTH; did you mean "
	    "'managers'?", path);
	W("%s:21: id in area NORTH: \"NORTH\" is already the id of the Area "
	    "on line 18; expected an id of its own", path);
	W("%s:21: name in area NORTH: expected the Area's name, like "
	    "\"London\", not an empty string", path);
	W("%s:22: imap.port in area NORTH: expected a port number from 1 to "
	    "65535, not 0", path);
	W("%s:23: imap.password_file in area NORTH: %s/open.pass has mode "
	    "0644, so other users can read or change it; run chmod 600 "
	    "%s/open.pass (or 640 with the group redress runs as)", path,
	    confdir, confdir);
	W("%s:24: coordinators in area NORTH: entry 2: expected an address "
	    "like \"name@example.gov.uk\" (one @, no spaces), not a number",
	    path);
	W("%s:24: coordinators in area NORTH: entry 1 is not staff; expected "
	    "its address or domain in staff.addresses or staff.domains, or its "
	    "#approve would be refused", path);
	W("%s:26: imap.tls in area WEST: \"none\" would send the password in "
	    "clear text to imap.example; expected \"starttls\" or \"implicit\" "
	    "(\"none\" is only for servers on this machine)", path);
#undef W
	g_ptr_array_add(want, NULL);

	cfg = config_load(path, &errors);
	ok(cfg == NULL && errors != NULL, "bad.conf is refused");
	if (errors == NULL)
		goto out;
	if (!ok(strv_is(errors, (const char *const *)want->pdata),
	    "bad.conf: every mistake reported, in line order, with its line"))
		diag_errors(errors);
	for (i = 0; i < want->len - 1 && i < errors->len; i++) {
		char	*what = g_strdup_printf("bad.conf error %u of %u", i + 1,
		    want->len - 1);

		is_str(errors->pdata[i], want->pdata[i], what);
		g_free(what);
	}
	for (i = 0; i < errors->len; i++)
		if (strstr(errors->pdata[i], "tooSHORTkey") != NULL ||
		    strstr(errors->pdata[i], "open-pw") != NULL)
			break;
	ok(i == errors->len, "no error shows the content of a secret file");
	g_ptr_array_unref(errors);
out:
	config_free(cfg);
	g_ptr_array_unref(want);
	g_free(path);
}

static void
test_syntax(void)
{
	struct config	*cfg;
	GPtrArray	*errors = NULL;
	char		*path = conf_path("syntax.conf"), *want;

	cfg = config_load(path, &errors);
	ok(cfg == NULL && errors != NULL && errors->len == 1,
	    "a syntax error is the one problem reported");
	want = g_strdup_printf("%s:5: syntax error", path);
	if (errors != NULL && errors->len > 0)
		is_str(errors->pdata[0], want, "libconfig's message with the "
		    "file and line");
	g_free(want);
	if (errors != NULL)
		g_ptr_array_unref(errors);
	config_free(cfg);
	g_free(path);

	path = conf_path("no-such.conf");
	cfg = config_load(path, &errors);
	want = g_strdup_printf("%s: cannot read the configuration file: No "
	    "such file or directory; check the path given with -c", path);
	ok(cfg == NULL && errors != NULL && errors->len == 1,
	    "a missing file is one problem");
	if (errors != NULL && errors->len > 0)
		is_str(errors->pdata[0], want, "missing file says why and what "
		    "to do");
	g_free(want);
	if (errors != NULL)
		g_ptr_array_unref(errors);
	g_free(path);
}

/* A relative -c path: settings still resolve against the file's own
 * directory, not against wherever the program happens to run later. */
static void
test_relative_config_path(void)
{
	struct config	*cfg;
	char		*cwd = g_get_current_dir(), *want;
	GPtrArray	*errors = NULL;

	if (chdir(tmpdir) == -1) {
		ok(0, "chdir %s: %s", tmpdir, strerror(errno));
		g_free(cwd);
		return;
	}
	cfg = load_ok("conf/good.conf", "conf/good.conf from its parent");
	if (cfg != NULL) {
		is_str(cfg->path, "conf/good.conf", "path kept as given");
		want = g_build_filename(confdir, "state/redress.db", NULL);
		is_str(cfg->database, want, "database is absolute");
		g_free(want);
		config_free(cfg);
	}
	cfg = config_load("conf/syntax.conf", &errors);
	if (errors != NULL && errors->len > 0)
		is_str(errors->pdata[0], "conf/syntax.conf:5: syntax error",
		    "errors name the file as it was given");
	else
		ok(0, "errors name the file as it was given");
	if (errors != NULL)
		g_ptr_array_unref(errors);
	config_free(cfg);
	if (chdir(cwd) == -1)
		ok(0, "chdir back: %s", strerror(errno));
	g_free(cwd);
}

/*
 * check-config also loads the templates, rules and bank holidays a file
 * names: point a copy of a fixture at the source tree's.
 */
static char *
with_real_files(const char *fixture)
{
	char	*text = NULL, *top, *rest, *all, *path;
	GRegex	*re;

	g_file_get_contents(fixture, &text, NULL, NULL);
	top = g_build_filename(CONF_FIXTURES, "..", "..", "..", NULL);
	re = g_regex_new("^(templates|rules|calendar) = .*$", G_REGEX_MULTILINE,
	    0, NULL);
	rest = g_regex_replace(re, text, -1, 0, "", 0, NULL);
	all = g_strdup_printf("templates = \"%s/templates\";\nrules = "
	    "\"%s/rules\";\ncalendar = \"%s/contrib/bank-holidays.json\";\n%s",
	    top, top, top, rest);
	path = g_strdup_printf("%s.real", fixture);
	g_file_set_contents(path, all, -1, NULL);
	g_regex_unref(re);
	g_free(rest);
	g_free(all);
	g_free(top);
	g_free(text);
	return (path);
}

/* Runs cmd_check_config with stdout and stderr caught in files. */
static int
run_check_config(int argc, char **argv, char **out, char **err)
{
	char	*out_path = g_build_filename(tmpdir, "stdout", NULL);
	char	*err_path = g_build_filename(tmpdir, "stderr", NULL);
	int	 saved_out, saved_err, fd_out, fd_err, status;

	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	fd_out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fd_err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd_out, 1);
	dup2(fd_err, 2);
	status = cmd_check_config(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(fd_out);
	close(fd_err);
	g_file_get_contents(out_path, out, NULL, NULL);
	g_file_get_contents(err_path, err, NULL, NULL);
	g_free(out_path);
	g_free(err_path);
	return (status);
}

static gboolean
shows_a_secret(const char *text)
{
	static const char *secrets[] = {
		"correct-horse", "L0ndon-imap-pw", "Cymru-imap-pw",
		"smtp-relay-pw", "tooSHORTkey", "open-pw"
	};
	guint	i;

	for (i = 0; i < G_N_ELEMENTS(secrets); i++)
		if (strstr(text, secrets[i]) != NULL)
			return (TRUE);
	return (FALSE);
}

static void
test_check_config(void)
{
	char	*good_fixture = conf_path("good.conf");
	char	*good = with_real_files(good_fixture);
	char	*bad = conf_path("bad.conf");
	char	*open_pass = conf_path("open.pass");
	char	*argv_good[] = { "check-config", "-c", good, NULL };
	char	*argv_bad[] = { "check-config", "-c", bad, NULL };
	char	*argv_none[] = { "check-config", NULL };
	char	*argv_extra[] = { "check-config", "-c", good, "more", NULL };
	char	*out = NULL, *err = NULL, *want, *p;
	int	 status, lines;

	status = run_check_config(3, argv_good, &out, &err);
	want = g_strdup_printf("%s: configuration OK (2 Areas)\n", good);
	ok(status == 0, "check-config good.conf exits 0");
	is_str(out, want, "check-config says OK and counts the Areas");
	is_str(err, "", "nothing on stderr");
	ok(!shows_a_secret(out) && !shows_a_secret(err),
	    "check-config prints no secret of a good file");
	g_free(want);
	g_free(out);
	g_free(err);

	g_chmod(open_pass, 0644);
	status = run_check_config(3, argv_bad, &out, &err);
	ok(status == 1, "check-config bad.conf exits 1");
	is_str(out, "", "nothing on stdout");
	for (lines = 0, p = err; p != NULL && *p != '\0'; p++)
		lines += *p == '\n';
	ok(lines == 27, "all 27 errors on stderr, one a line");
	want = g_strdup_printf("%s:2: unknown setting 'databse'; did you mean "
	    "'database'?\n", bad);
	ok(err != NULL && strstr(err, want) != NULL, "one error per line");
	ok(err != NULL && !shows_a_secret(err),
	    "check-config prints no secret of a bad file");
	g_free(want);
	g_free(out);
	g_free(err);

	status = run_check_config(1, argv_none, &out, &err);
	ok(status == 2, "check-config without -c exits 2");
	ok(err != NULL && strstr(err, "usage: redress check-config -c FILE\n")
	    != NULL, "and prints the usage");
	g_free(out);
	g_free(err);

	status = run_check_config(4, argv_extra, &out, &err);
	ok(status == 2, "check-config with an extra argument exits 2");
	g_free(out);
	g_free(err);

	g_free(open_pass);
	g_free(good);
	g_free(good_fixture);
	g_free(bad);
}

int
main(void)
{
	copy_fixtures();
	test_good();
	test_defaults();
	test_dependent_defaults();
	test_bad();
	test_syntax();
	test_relative_config_path();
	test_check_config();
	remove_tree(tmpdir);
	g_free(confdir);
	g_free(tmpdir);
	return (tap_done());
}
