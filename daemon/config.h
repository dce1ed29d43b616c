/*
 * config.h: the configuration file (libconfig), checked and copied into
 * plain structs.
 *
 * Ownership: config_load() returns a struct config that owns every string
 * and array in it (copied out of libconfig, whose strings die with its
 * config_t); free it with config_free(). Strings are never NULL: an absent
 * optional string is "".
 */
#ifndef REDRESS_CONFIG_H
#define REDRESS_CONFIG_H

#include <glib.h>

#include "message.h"

enum tls_mode {
	TLS_NONE,
	TLS_STARTTLS,
	TLS_IMPLICIT
};

struct imap_config {
	char		*host;
	int		 port;
	enum tls_mode	 tls;
	char		*ca_file;	/* "" = system trust store */
	char		*user;
	char		*password_file;
	char		*password;	/* read from password_file at load */
	char		*mailbox;	/* default "INBOX" */
	char		*processed;	/* "" = flag \Seen and leave in place */
};

struct area_config {
	char		*id;		/* "LON": prefix of case references */
	char		*name;		/* "London" */
	char		*address;	/* the Area mailbox address */
	char		*enquiries;	/* enquiries address, or "" */
	struct imap_config imap;
	GPtrArray	*coordinators;	/* of char * */
	GPtrArray	*managers;	/* of char * */
	int		 line;		/* where it was defined */
};

struct smtp_config {
	char		*host;
	int		 port;
	enum tls_mode	 tls;
	char		*ca_file;
	char		*user;		/* "" = no AUTH */
	char		*password_file;
	char		*password;
	char		*from;		/* envelope and header From fallback */
	char		*helo;		/* default: the host name */
	int		 timeout;	/* seconds per network step, default 60 */
	int		 outage_notice;	/* seconds unreachable before the
					   coordinators are told, default 900 */
};

struct config {
	char		*path;		/* the file it came from */

	char		*database;
	char		*templates;	/* directory with en/ and cy/ */
	char		*rules;		/* directory of *.rules files */
	char		*calendar;	/* bank-holidays JSON file */

	int		 poll_interval;	/* seconds, when IDLE is not offered */
	int		 idle_restart;	/* seconds, re-IDLE at most this often */
	int		 ack_rate_limit; /* acknowledgements per sender per hour */
	int		 auto_replies_per_day; /* limits.: automatic mail to
					   one address per local day */
	char		*hmac_secret;	/* reply-token key, from secret_file */
	char		*secret_path;	/* secret_file, resolved */
	char		*vrr_address;	/* Victims' Right to Review team */
	char		*iac_address;	/* the Independent Assessor of
					   Complaints, or "" */
	char		*operator_address; /* who runs redress: told of
					   outages with the coordinators,
					   or "" */
	int		 thread_days;	/* a sender's open case this recent
					   takes their unthreaded mail */
	/* The learned layer's triage (verdict_set_triage()): a kind less
	 * probable than this, percent, or closer than the margin, points,
	 * to the next is confirmed by a person. */
	int		 triage_confidence;
	int		 triage_margin;

	/* Time limits in working days (DOMAIN.md: settings, not facts). */
	int		 ack_days;	/* acknowledgement, default 3 */
	int		 stage1_days;	/* stage 1 response, default 20 */
	int		 stage2_days;	/* stage 2 response, default 20 */
	int		 iac_days;	/* IAC response, default 40 */
	int		 authority_days; /* awaiting authority, default 20 */

	struct parse_limits limits;
	size_t		 max_fetch_size; /* larger ones are left on the server */
	int		 intake_batch;	/* messages per Area per turn */
	int		 imap_outage_notice; /* seconds an Area may fail before
					   its staff and operator are told */

	struct smtp_config smtp;

	GPtrArray	*staff_domains;	  /* of char *, lower-case A-labels */
	GPtrArray	*staff_addresses; /* of char *, address_key() */
	char		*trusted_authserv_id; /* for Authentication-Results */

	GPtrArray	*areas;		/* of struct area_config */
};

/*
 * Read and check path. On failure returns NULL and sets *errors (caller
 * frees with g_ptr_array_unref) to every problem found, each as
 * "FILE:LINE: what was expected".
 */
struct config	*config_load(const char *path, GPtrArray **errors);
void		 config_free(struct config *);

const struct area_config *config_find_area(const struct config *,
		     const char *id);
/* TRUE when addr is configured staff by address or domain, compared by
 * address_key() (any case, an IDN domain in either form). */
gboolean	 config_is_staff(const struct config *, const char *addr);
const char	*tls_mode_name(enum tls_mode);

#endif
