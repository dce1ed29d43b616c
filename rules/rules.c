/*
 * rules.c: decide what a message is.
 *
 * Every rule whose conditions hold "fires": it is recorded with the text
 * it matched, and each of its "then" lines votes. Per decision, the first
 * fired "!" vote (in load order) decides outright; otherwise the value
 * with the highest total weight above zero wins, ties going to the value
 * listed first in the label schema; with no positive total, the
 * decision's default. What the schema says does not apply ("-") is set
 * here, not in the rule files: category only for complaints, sentiment
 * only for feedback, and so on (rules/README).
 */
#include <string.h>

#include "dates.h"
#include "msg-features.h"
#include "model.h"
#include "rules.h"
#include "ruleset.h"
#include "text.h"

#define EXCERPT_MAX	100	/* bytes of matched text kept per condition */

/* Per decision, by enum value of its field (ruleset.h). */
struct scores {
	int		 score[D__COUNT][MAX_VALUES];
	int		 override[D__COUNT];	/* enum value, or -1 */
	guint		 flag_set;	/* restrictions voted with "!" */
};

struct context {
	const struct message	*m;
	struct texts		 t;
	int			 word_counts[LANGUAGE__COUNT];
	int			 word_language;	/* from the words alone, or -1 */
};

/* A decision's value, or dflt when it has none (-1). */
static int
or_else(int value, int dflt)
{
	return (value >= 0 ? value : dflt);
}

/* Up to EXCERPT_MAX bytes of s, cut at a character. */
static void
append_excerpt(GString *why, const char *s, gssize len)
{
	const char	*end;

	if (len < 0)
		len = strlen(s);
	if (why->len > 0)
		g_string_append(why, " + ");
	if (len <= EXCERPT_MAX) {
		g_string_append_len(why, s, len);
		return;
	}
	end = g_utf8_find_prev_char(s, s + EXCERPT_MAX);
	g_string_append_len(why, s, end != NULL ? end - s : 0);
	g_string_append(why, "...");
}

static gboolean
match_excerpt(const GRegex *re, const char *text, GString *why)
{
	GMatchInfo	*mi = NULL;
	gboolean	 found;
	int		 s, e;

	if (re == NULL || text == NULL)
		return (FALSE);
	/* subjects are padded texts (text_padded()) */
	found = g_regex_match_full(re, text, -1, 0, 0, &mi, NULL);
	if (found && why != NULL && g_match_info_fetch_pos(mi, 0, &s, &e))
		append_excerpt(why, text + s, e - s);
	g_match_info_free(mi);
	return (found);
}

static gboolean
header_matches(const struct condition *c, const struct message *m,
    GString *why)
{
	guint	i;

	for (i = 0; m->headers != NULL && i < m->headers->len; i++) {
		const struct header *h = g_ptr_array_index(m->headers, i);
		GString	*hit;

		if (g_ascii_strcasecmp(h->name, c->header) != 0)
			continue;
		if (c->re == NULL || text_match(c->re, h->value)) {
			if (why != NULL) {
				hit = g_string_new(NULL);
				g_string_printf(hit, "%s: %s", h->name,
				    h->value);
				append_excerpt(why, hit->str, hit->len);
				g_string_free(hit, TRUE);
			}
			return (TRUE);
		}
	}
	return (FALSE);
}

static gboolean
attachment_matches(const struct condition *c, const struct message *m,
    GString *why)
{
	guint	i;

	for (i = 0; m->attachments != NULL && i < m->attachments->len; i++) {
		const struct attachment *a = g_ptr_array_index(m->attachments,
		    i);

		if (c->re != NULL && !text_match(c->re, a->content_type))
			continue;
		if (c->name_re != NULL && !text_match(c->name_re, a->filename))
			continue;
		if (c->text_re != NULL && !text_match(c->text_re, a->text))
			continue;
		if (why != NULL) {
			char	*s = g_strdup_printf("attachment %s (%s)",
			    *a->filename != '\0' ? a->filename : "without name",
			    a->content_type);

			append_excerpt(why, s, -1);
			g_free(s);
		}
		return (TRUE);
	}
	return (FALSE);
}

/* RFC 3834: "Auto-Submitted: no" is a person. */
static gboolean
auto_submitted_no(const char *value)
{
	while (g_ascii_isspace(*value))
		value++;
	return (g_ascii_strncasecmp(value, "no", 2) == 0 &&
	    !g_ascii_isalnum(value[2]) && value[2] != '-');
}

static gboolean
signal_present(enum signal sig, const struct context *cx)
{
	const struct message		*m = cx->m;
	const struct machine_signals	*ms = &m->machine;

	switch (sig) {
	case SIG_AUTO_SUBMITTED:
		return (ms->auto_submitted != NULL &&
		    !auto_submitted_no(ms->auto_submitted));
	case SIG_PRECEDENCE:
		return (ms->precedence != NULL &&
		    (g_ascii_strncasecmp(ms->precedence, "bulk", 4) == 0 ||
		    g_ascii_strncasecmp(ms->precedence, "junk", 4) == 0 ||
		    g_ascii_strncasecmp(ms->precedence, "list", 4) == 0));
	case SIG_LIST_ID:
		return (ms->list_id != NULL);
	case SIG_X_LOOP:
		return (ms->x_loop != NULL);
	case SIG_X_AUTOREPLY:
		return (ms->x_autoreply);
	case SIG_NULL_SENDER:
		return (ms->null_sender);
	case SIG_MAILER_DAEMON:
		return (ms->mailer_daemon);
	case SIG_REPORT:
		return (ms->is_report);
	case SIG_DELIVERY_REPORT:
		return (ms->is_report && ms->report_type != NULL &&
		    g_ascii_strcasecmp(ms->report_type, "delivery-status") == 0);
	case SIG_FORWARDED:
		return (cx->t.forwarded);
	case SIG_REPLY:
		return (m->in_reply_to != NULL || (m->references != NULL &&
		    m->references->len > 0));
	case SIG_ATTACHMENT:
		return (m->attachments != NULL && m->attachments->len > 0);
	case SIG_QUARANTINED:
		return (m->quarantine != NULL);
	case SIG__COUNT:
		break;
	}
	return (FALSE);
}

static gboolean
condition_holds(const struct condition *c, struct context *cx, GString *why)
{
	GString		*w = c->negate ? NULL : why;
	gboolean	 r = FALSE;
	char		*s, *p;
	guint		 i;

	switch (c->type) {
	case COND_TEXT:
		for (i = 0; !r && i < c->alternatives->len; i++)
			r = match_excerpt(g_ptr_array_index(c->alternatives,
			    i), cx->t.src[c->source], w);
		break;
	case COND_HEADER:
		r = header_matches(c, cx->m, w);
		break;
	case COND_ATTACHMENT:
		r = attachment_matches(c, cx->m, w);
		break;
	case COND_SENDER:
		if (cx->m->from == NULL)
			break;
		s = g_strdup_printf("%s <%s>", cx->m->from->name,
		    cx->m->from->addr);
		p = text_padded(s, -1);
		r = match_excerpt(c->re, p, w);
		g_free(p);
		g_free(s);
		break;
	case COND_SIGNAL:
		r = signal_present(c->signal, cx);
		if (r && w != NULL)
			append_excerpt(w, signal_names[c->signal], -1);
		break;
	case COND_LENGTH:
		r = c->op == '<' ? cx->t.body_chars < c->length :
		    cx->t.body_chars > c->length;
		if (r && w != NULL) {
			s = g_strdup_printf("%ld characters",
			    (long)cx->t.body_chars);
			append_excerpt(w, s, -1);
			g_free(s);
		}
		break;
	case COND_LANGUAGE:
		r = cx->word_language == (int)c->language;
		if (r && w != NULL)
			append_excerpt(w, language_name(c->language), -1);
		break;
	}
	return (c->negate ? !r : r);
}

/* Count each language's function words in the writer's own words. */
static void
count_words(const struct ruleset *rs, struct context *cx)
{
	const char	*text = cx->t.src[SRC_BODY], *p;
	GString		*word = g_string_new(NULL);
	int		 best = -1, i;

	if (cx->t.body_chars == 0)
		text = cx->t.src[SRC_SUBJECT];
	for (p = text;; p = g_utf8_next_char(p)) {
		gunichar	c = g_utf8_get_char(p);

		if (c != 0 && (g_unichar_isalpha(c) || (c == '\'' &&
		    word->len > 0 && g_unichar_isalpha(
		    g_utf8_get_char(g_utf8_next_char(p)))))) {
			g_string_append_unichar(word, g_unichar_tolower(c));
			continue;
		}
		if (word->len > 0) {
			int	lang = GPOINTER_TO_INT(g_hash_table_lookup(
			    rs->words, word->str));

			if (lang > 0 && lang <= LANGUAGE__COUNT)
				cx->word_counts[lang - 1]++;
			g_string_truncate(word, 0);
		}
		if (c == 0)
			break;
	}
	g_string_free(word, TRUE);
	for (i = 0; i < LANGUAGE__COUNT; i++)
		if (cx->word_counts[i] >= rs->language_min_words &&
		    (best < 0 || cx->word_counts[i] > cx->word_counts[best]))
			best = i;
	cx->word_language = best >= 0 ? best : rs->defaults[D_LANGUAGE];
}

static void
vote(struct scores *s, const struct action *a)
{
	if (a->override) {
		if (a->decision == D_RESTRICTION)
			s->flag_set |= 1u << a->value;
		else if (s->override[a->decision] < 0)
			s->override[a->decision] = a->value;
		return;
	}
	s->score[a->decision][a->value] += a->weight;
}

static int
decide(const struct ruleset *rs, const struct scores *s, enum decision d)
{
	int	v, best = -1;

	if (s->override[d] >= 0)
		return (s->override[d]);
	for (v = 0; v < decision_defs[d].values->count; v++)
		if (s->score[d][v] > 0 &&
		    (best < 0 || s->score[d][v] > s->score[d][best]))
			best = v;
	return (best >= 0 ? best : rs->defaults[d]);
}

/* Legal and service both strong enough make a mixed complaint. */
static int
decide_category(const struct ruleset *rs, const struct scores *s)
{
	int	t = rs->mixed_threshold > 0 ? rs->mixed_threshold : 1;

	if (s->override[D_CATEGORY] >= 0)
		return (s->override[D_CATEGORY]);
	if (s->score[D_CATEGORY][CATEGORY_LEGAL] >= t &&
	    s->score[D_CATEGORY][CATEGORY_SERVICE] >= t)
		return (CATEGORY_MIXED);
	return (decide(rs, s, D_CATEGORY));
}

/* Restrictions are flags: each one voted for, by "!" or a weight. */
static guint
restrictions(const struct scores *s)
{
	guint	set = s->flag_set;
	int	v;

	for (v = 0; v < RESTRICT__COUNT; v++)
		if (s->score[D_RESTRICTION][v] > 0)
			set |= 1u << v;
	return (set);
}

/* The local date of the Date header, else of now (UTC). */
static void
reference_day(const struct message *m, gint64 now, GDate *out)
{
	GDateTime	*dt = NULL;

	if (m->has_date)
		dt = g_date_time_new_from_unix_utc(m->date +
		    (gint64)m->date_tz * 60);
	if (dt == NULL)
		dt = g_date_time_new_from_unix_utc(now);
	g_date_clear(out, 1);
	if (dt == NULL)
		return;
	g_date_set_dmy(out, g_date_time_get_day_of_month(dt),
	    g_date_time_get_month(dt), g_date_time_get_year(dt));
	g_date_time_unref(dt);
}

static void
apply_dates(const struct ruleset *rs, struct context *cx,
    const struct scores *s, struct verdict *v, gboolean complaint,
    gint64 now)
{
	struct matter_date	 md;
	GDate			 ref;
	char			*text;
	enum out_of_time	 oot;
	int			 ex;

	if (complaint) {
		v->out_of_time = OUT_OF_TIME_UNKNOWN;
		v->exceptional = EXCEPTIONAL_NO;
	}
	reference_day(cx->m, now, &ref);
	if (!g_date_valid(&ref))
		return;
	text = texts_join(cx->t.src[SRC_SUBJECT], cx->t.src[SRC_BODY]);
	if (dates_find(text, &ref, &md) == DATE_UNKNOWN) {
		g_free(text);
		text = texts_join(cx->t.src[SRC_QUOTED],
		    cx->t.src[SRC_FORWARDED]);
		dates_find(text, &ref, &md);
	}
	g_free(text);
	if (md.precision == DATE_DAY) {
		g_date_strftime(v->matter_date, sizeof v->matter_date,
		    "%Y-%m-%d", &md.first);
	}
	if (md.phrase != NULL)
		verdict_add_hit(v, "matter-date", md.phrase);
	if (complaint) {
		oot = dates_out_of_time(&md, &ref);
		v->out_of_time = oot;
		ex = decide(rs, s, D_EXCEPTIONAL);
		if (rs->exceptional_needs_late && oot == OUT_OF_TIME_NO)
			ex = EXCEPTIONAL_NO;
		v->exceptional = or_else(ex, EXCEPTIONAL_NO);
	}
	matter_date_clear(&md);
}

/* Fire every rule on m: hits into v, votes into s. */
static void
fire(const struct ruleset *rs, const struct message *m, struct context *cx,
    struct scores *s, struct verdict *v)
{
	GString		*why = g_string_new(NULL);
	guint		 i, k;
	int		 d;
	char		*r;

	memset(cx, 0, sizeof *cx);
	memset(s, 0, sizeof *s);
	for (d = 0; d < D__COUNT; d++)
		s->override[d] = -1;
	cx->m = m;
	texts_prepare(m, &cx->t);
	if (m->text_cut > 0) {
		/* The rules read less than was sent: say so, for staff. */
		r = g_strdup_printf("%u attachment text(s) cut short or not "
		    "read (limits.attachment_text_max, message_text_max, "
		    "max_decompression_ratio)", m->text_cut);
		verdict_add_hit(v, "attachment-text-cut", r);
		g_free(r);
	}
	count_words(rs, cx);
	for (i = 0; i < LANGUAGE__COUNT; i++)
		s->score[D_LANGUAGE][i] += cx->word_counts[i] >=
		    rs->language_min_words ? cx->word_counts[i] : 0;

	for (i = 0; i < rs->rules->len; i++) {
		const struct rule	*rule = g_ptr_array_index(rs->rules, i);
		gboolean		 fired = TRUE;

		g_string_truncate(why, 0);
		for (k = 0; fired && k < rule->conditions->len; k++)
			fired = condition_holds(g_ptr_array_index(
			    rule->conditions, k), cx, why);
		if (!fired)
			continue;
		verdict_add_hit(v, rule->name, why->str);
		for (k = 0; k < rule->actions->len; k++)
			vote(s, &g_array_index(rule->actions, struct action,
			    k));
	}
	g_string_free(why, TRUE);
}

/* Whether a rule that fired voted for machine mail, by weight or "!". */
static gboolean
machine_voted(const struct scores *s)
{
	int	k;

	if (s->override[D_KIND] >= 0 && kind_is_machine(s->override[D_KIND]))
		return (TRUE);
	for (k = 0; k < KIND__COUNT; k++)
		if (kind_is_machine(k) && s->score[D_KIND][k] > 0)
			return (TRUE);
	return (FALSE);
}

enum kind
rules_pick_kind(const double *p, gboolean machine_allowed)
{
	int	k, best = -1;

	for (k = 0; k < KIND__COUNT; k++) {
		if (!machine_allowed && kind_is_machine(k))
			continue;
		if (best < 0 || p[k] > p[best])
			best = k;
	}
	return (best);
}

struct fvec *
rules_features(const struct ruleset *rs, const struct message *m,
    int *machine_kind, gboolean *machine)
{
	struct verdict	*v = verdict_new();
	struct context	 cx;
	struct scores	 s;
	struct fvec	*fv;

	fire(rs, m, &cx, &s, v);
	fv = features_extract(m, &cx.t, v->hits);
	*machine_kind = s.override[D_KIND];
	*machine = machine_voted(&s);
	texts_clear(&cx.t);
	verdict_free(v);
	return (fv);
}

/* How many features the model names in a verdict's "model-..." hit. */
#define EXPLAIN_FEATURES	6

/*
 * Let field f of the model decide: the value it finds most probable. The
 * probabilities go to p (by enum value) when not NULL. The hit says why.
 */
static int
model_decides(const struct model_field *f, const struct fvec *fv,
    struct verdict *v, double *p)
{
	double	 prob[MODEL_CLASSES_MAX];
	char	*why, *hit;
	int	 best, second = -1, c;

	best = model_predict(f, fv, prob);
	for (c = 0; c < f->nclass; c++) {
		if (p != NULL)
			p[f->classes[c]] = prob[c];
		if (c != best && (second < 0 || prob[c] > prob[second]))
			second = c;
	}
	why = model_explain(f, fv, best, EXPLAIN_FEATURES);
	hit = g_strdup_printf("%s %.2f, next %s %.2f; %s",
	    label_name(f->schema, f->classes[best]), prob[best],
	    second >= 0 ? label_name(f->schema, f->classes[second]) : "-",
	    second >= 0 ? prob[second] : 0.0, *why != '\0' ? why :
	    "no feature for it");
	g_free(why);
	why = g_strconcat("model-", f->schema->field, NULL);
	verdict_add_hit(v, why, hit);
	g_free(why);
	g_free(hit);
	return (f->classes[best]);
}

struct verdict *
rules_classify(const struct ruleset *rs, const struct message *m, gint64 now)
{
	struct verdict		*v = verdict_new();
	const struct model_field *f;
	struct context		 cx;
	struct scores		 s;
	struct fvec		*fv = NULL;
	int			 lang;
	char			*r;

	fire(rs, m, &cx, &s, v);
	v->kind = or_else(decide(rs, &s, D_KIND), KIND_COMPLAINT);
	/* A quarantined message was not read whole: the model would judge
	 * what is missing. The rules' default (a complaint: never silence
	 * a person) stands, and a person confirms it. */
	if (rs->model != NULL && m->quarantine == NULL)
		fv = features_extract(m, &cx.t, v->hits);
	if (fv != NULL && (f = model_field(rs->model, &schema_kind)) != NULL) {
		v->has_probabilities = TRUE;
		if (s.override[D_KIND] >= 0)
			v->kind_probability[v->kind] = 1;
		else {
			int	best = model_decides(f, fv, v,
			    v->kind_probability);

			v->kind = rules_pick_kind(v->kind_probability,
			    machine_voted(&s));
			if ((int)v->kind != best) {
				r = g_strdup_printf("the model says %s, but no "
				    "rule says machine mail: %s, for a person "
				    "to confirm", kind_name(best),
				    kind_name(v->kind));
				verdict_add_hit(v, "model-not-machine", r);
				g_free(r);
			}
		}
	}
	lang = or_else(decide(rs, &s, D_LANGUAGE), LANGUAGE_EN);
	v->language = lang;
	if (cx.word_counts[lang] > 0 && lang != LANGUAGE_EN) {
		r = g_strdup_printf("%d %s function words", cx.word_counts[lang],
		    language_name(lang));
		verdict_add_hit(v, "language", r);
		g_free(r);
	}

	if (!kind_is_machine(v->kind)) {
		if (v->kind == KIND_COMPLAINT) {
			f = fv != NULL ? model_field(rs->model,
			    &schema_category) : NULL;
			if (f != NULL && s.override[D_CATEGORY] < 0)
				v->category = model_decides(f, fv, v, NULL);
			else
				v->category = or_else(decide_category(rs, &s),
				    CATEGORY_NONE);
		}
		if (v->kind == KIND_FEEDBACK)
			v->sentiment = or_else(decide(rs, &s, D_SENTIMENT),
			    SENTIMENT_NONE);
		f = fv != NULL ? model_field(rs->model,
		    &schema_representative) : NULL;
		if (f != NULL && s.override[D_REPRESENTATIVE] < 0)
			v->representative = model_decides(f, fv, v, NULL);
		else
			v->representative = or_else(decide(rs, &s,
			    D_REPRESENTATIVE), REP_SELF);
		if (v->representative != REP_SELF) {
			f = fv != NULL ? model_field(rs->model,
			    &schema_authority) : NULL;
			if (f != NULL && s.override[D_AUTHORITY] < 0)
				v->authority = model_decides(f, fv, v, NULL);
			else
				v->authority = or_else(decide(rs, &s,
				    D_AUTHORITY), AUTHORITY_MISSING);
		}
		if (v->kind != KIND_ENQUIRY)
			apply_dates(rs, &cx, &s, v, v->kind == KIND_COMPLAINT,
			    now);
		v->restrictions = restrictions(&s);
		v->request = or_else(decide(rs, &s, D_REQUEST), REQUEST_NONE);
	}
	verdict_set_triage(v, TRIAGE_CONFIDENCE_DEFAULT, TRIAGE_MARGIN_DEFAULT);
	if (rs->model != NULL && m->quarantine != NULL)
		v->triage = TRUE;
	fvec_free(fv);
	texts_clear(&cx.t);
	return (v);
}
