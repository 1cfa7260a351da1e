/* sigchain.c - one signature judged as a chain of checks (docs/FORMAT.md, section 5.3).
   Each check returns why it fails, or NULL; the first reason decides the status, and
   only when every check returned NULL is the signature valid. Nothing is assumed and
   later withdrawn, so a check forgotten in some branch cannot leave a signature valid
   (STYLE 13: fail closed). Every date is judged at the verification time ev->at. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "signers.h"

#define INVALID DOSSIER_FINDING_INVALID
#define UNTRUSTED DOSSIER_FINDING_UNTRUSTED

/* A key card in the bundle for this key id, and whether it is trusted. */
struct card_check {
	const char *entry;
	struct dossier_card card;
	int parsed;              /* well-formed and for this key: its public key may be used */
	const char *authority_source;
	char problem[600];       /* "" when the card is trusted */
};

/* What the checks learn about one signature on the way. */
struct sig_work {
	struct dossier_report *r;
	const struct dossier_bundle *b;
	const struct sig_eval *ev;
	const struct tag_entry *t; /* signatures/<KEYID>.minisig */
	struct dossier_sig_info *s;
	const cJSON *who;          /* the signatory dossier.json binds to this key id, or NULL */
	struct dossier_sig sig;
	struct card_check cards[2];
	size_t ncards;
	const struct card_check *trusted_card, *usable, *used_card;
	const struct dossier_pubkey *direct, *key;
	const char *direct_source;
	int64_t claimed, proven;
};

static const cJSON *signatory(const cJSON *meta, const char *keyid)
{
	const cJSON *from = meta ? cJSON_GetObjectItemCaseSensitive(meta, "from") : NULL;
	for (const cJSON *p = from ? from->child : NULL; p != NULL; p = p->next) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(p, "keyid");
		if (cJSON_IsString(k) && strcmp(k->valuestring, keyid) == 0)
			return p;
	}
	return NULL;
}

/* Whether the signer is a signatory named in dossier.json, for min_signers: by key id,
   or by the trusted name. A signer with no trusted name cannot be told apart from a
   signatory whose key the bundle does not bind, so that case counts as named; only a
   signer known to be someone else is not. A bag that names nobody has no one to
   compare with. */
static int listed(const cJSON *meta, const char *keyid, const char *identity)
{
	const cJSON *from = meta ? cJSON_GetObjectItemCaseSensitive(meta, "from") : NULL;
	int unbound = 0;
	if (cJSON_GetArraySize(from) == 0 || signatory(meta, keyid) != NULL)
		return 1;
	for (const cJSON *p = from->child; p != NULL; p = p->next) {
		if (policy_member_matches(cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring, keyid, identity))
			return 1;
		unbound |= cJSON_GetObjectItemCaseSensitive(p, "keyid") == NULL;
	}
	return identity[0] == '\0' && unbound;
}

/* The signing time a trusted comment claims: dossier-v1's time:, or the
   timestamp:<unix seconds> stock minisign writes; NO_TIME if neither. */
static int64_t claimed_time(const char *comment, char out[32])
{
	const char *t = strncmp(comment, "dossier-v1 ", 11) == 0 ? strstr(comment, " time:") : NULL;
	int64_t v;
	out[0] = '\0';
	if (t == NULL && strncmp(comment, "timestamp:", 10) == 0) {
		size_t n = strspn(comment + 10, "0123456789");
		if (n == 0 || n > 11 || (comment[10 + n] != '\0' && comment[10 + n] != '\t'))
			return NO_TIME;
		v = strtoll(comment + 10, NULL, 10);
		format_rfc3339(v, out);
		return v;
	}
	if (t == NULL || strlen(t + 6) < 20)
		return NO_TIME;
	memcpy(out, t + 6, 20);
	out[20] = '\0';
	if (parse_rfc3339(out, &v) != 0) {
		out[0] = '\0';
		return NO_TIME;
	}
	return v;
}

/* Reads one card for the key: its form (signers.c), then whether its authority vouches. */
static void read_card(struct sig_work *w, const char *entry)
{
	struct card_check *c = &w->cards[w->ncards++];
	char why[512], needle[64], sigentry[80];
	c->entry = entry;
	c->authority_source = "";
	c->parsed = card_form_problem(w->b, entry, w->s->keyid, &c->card, c->problem, sizeof c->problem) == NULL;
	if (!c->parsed)
		return;
	const struct tag_entry *card = bundle_tag(w->b, entry);
	const struct tag_entry *sig = bundle_tag(w->b, (snprintf(sigentry, sizeof sigentry, "%s.minisig", entry), sigentry));
	snprintf(needle, sizeof needle, "keyid:%s authority:%s", w->s->keyid, c->card.authority);
	const char *bad = signed_by_authority(card->content.data, card->content.len, sig->content.data, sig->content.len,
	    c->card.authority, "dossier-card-v1 ", needle, w->ev->trust ? w->ev->trust->authorities : NULL,
	    &c->authority_source, why, sizeof why);
	if (bad != NULL)
		snprintf(c->problem, sizeof c->problem, "%s: %s", entry, bad);
	else
		c->problem[0] = '\0';
}

/* ---- the checks, in order ---- */

static const char *parses(struct sig_work *w)
{
	struct dossier_error err;
	if (dossier_sig_parse(w->t->content.data, w->t->content.len, &w->sig, &err) != DOSSIER_OK)
		return report_str(w->r, err.message);
	w->s->legacy = w->sig.alg == DOSSIER_SIG_LEGACY;
	w->s->trusted_comment = report_str(w->r, w->sig.trusted_comment);
	return NULL;
}

static const char *names_its_key(struct sig_work *w)
{
	if (strcmp(w->sig.keyid, w->s->keyid) == 0)
		return NULL;
	return report_printf(w->r, "file is named for key %s but the signature is by %s", w->s->keyid, w->sig.keyid);
}

/* A directly trusted key first; else a card's key: the one covered by the tag manifest
   (keys/) before one added when signing (signatures/), a trusted card before one that
   only parses, so that the signature can still be checked. */
static const char *finds_key(struct sig_work *w)
{
	static const char *const dirs[] = { "keys/", "signatures/" };
	for (int i = 0; i < 2; i++) {
		const char *entry = report_printf(w->r, "%s%s.card.json", dirs[i], w->s->keyid);
		if (bundle_tag(w->b, entry) == NULL)
			continue;
		read_card(w, entry);
		const struct card_check *c = &w->cards[w->ncards - 1];
		if (c->parsed && w->usable == NULL)
			w->usable = c;
		if (c->parsed && c->problem[0] == '\0' && w->trusted_card == NULL)
			w->trusted_card = c;
	}
	w->direct_source = "";
	w->direct = w->ev->trust ? dossier_keyset_find(w->ev->trust->signers, w->sig.keynum, &w->direct_source) : NULL;
	w->key = w->direct ? w->direct : w->trusted_card ? &w->trusted_card->card.key : w->usable ? &w->usable->card.key : NULL;
	if (w->key != NULL)
		return NULL;
	if (w->ncards > 0)
		return report_printf(w->r, "no trusted public key with id %s, and its key card is unusable: %s", w->s->keyid,
		    w->cards[0].problem);
	return report_printf(w->r, "no trusted public key with id %s", w->s->keyid);
}

static const char *has_message(struct sig_work *w)
{
	return w->ev->msg != NULL ? NULL : "no tagmanifest-sha256.txt to check against";
}

static const char *verifies(struct sig_work *w)
{
	struct dossier_error err;
	char hex[65];
	if (dossier_sig_verify(&w->sig, w->key, w->ev->msg, w->ev->msglen, &err) != DOSSIER_OK)
		return report_str(w->r, err.message);
	hex_encode(w->key->pk, sizeof w->key->pk, hex);
	w->s->public_key = report_str(w->r, hex);
	return NULL;
}

/* "dossier-v1 bundle:<id> signer:<keyid> time:<t>" must name this bundle and this key;
   stock minisign comments are accepted and shown as they are. Once the comment is
   known to be authentic, what it claims is read, and what a trusted token proves. */
static const char *comment_matches(struct sig_work *w)
{
	const char *comment = w->sig.trusted_comment, *id = w->ev->id;
	char want_bundle[64], want_signer[32], at[32];
	snprintf(want_bundle, sizeof want_bundle, " bundle:%s ", id ? id : "");
	snprintf(want_signer, sizeof want_signer, " signer:%s ", w->s->keyid);
	if (strncmp(comment, "dossier-v1 ", 11) == 0 && id != NULL && strstr(comment, want_bundle) == NULL)
		return "trusted comment names another bundle";
	if (strncmp(comment, "dossier-v1 ", 11) == 0 && strstr(comment, want_signer) == NULL)
		return "trusted comment names another signer";
	w->claimed = claimed_time(comment, at);
	w->s->signed_at = report_str(w->r, at);
	/* a token made after the verification time did not exist yet at that time */
	w->proven = report_proven_time(w->r, w->t->path);
	if (w->proven != NO_TIME && w->proven > w->ev->at)
		w->proven = NO_TIME;
	return NULL;
}

/* Every card for this key id carries the key that made the signature: a card with
   another key under this id is refused even when the key it names is not the one used. */
static const char *cards_agree(struct sig_work *w)
{
	for (size_t i = 0; i < w->ncards; i++)
		if (w->cards[i].parsed && sodium_memcmp(w->cards[i].card.key.pk, w->key->pk, sizeof w->key->pk) != 0)
			return report_printf(w->r, "%s holds another public key for key id %s than the one that made the signature",
			    w->cards[i].entry, w->s->keyid);
	return NULL;
}

static void describe_card(struct sig_work *w, const struct card_check *c)
{
	struct dossier_report *r = w->r;
	struct dossier_sig_info *s = w->s;
	const struct dossier_card *k = &c->card;
	s->trust = "card";
	s->card_entry = report_str(r, c->entry);
	s->card_name = report_str(r, k->name);
	s->card_affiliation = report_str(r, k->affiliation);
	s->card_role = report_str(r, k->role);
	s->card_valid_from = report_str(r, k->valid_from);
	s->card_valid_until = report_str(r, k->valid_until);
	s->authority = report_str(r, k->authority);
	s->authority_source = report_str(r, c->authority_source);
	s->key_source = s->card_entry;
	s->identity = s->card_name;
	s->chain = report_printf(r, "key %s -> card %s (%s, %s, %s, valid %s to %s) -> authority %s (%s)", s->keyid,
	    c->entry, k->name, k->affiliation, k->role, k->valid_from, k->valid_until, k->authority, c->authority_source);
}

/* Someone the verifier trusts vouches for the key: the verifier directly (with the name
   it gave the key), or a trusted authority through a card. */
static const char *key_vouched(struct sig_work *w)
{
	struct dossier_sig_info *s = w->s;
	if (w->direct != NULL) {
		char name[256];
		dossier_pubkey_name(w->direct, name, sizeof name);
		s->trust = "keyring";
		s->key_source = report_str(w->r, w->direct_source);
		s->identity = report_str(w->r, name);
		s->chain = report_printf(w->r, "key %s -> directly trusted (%s)", s->keyid, w->direct_source);
		return NULL;
	}
	if (w->trusted_card != NULL) {
		w->used_card = w->trusted_card;
		describe_card(w, w->trusted_card);
		return NULL;
	}
	s->chain = report_printf(w->r, "key %s -> card %s: %s", s->keyid, w->usable->entry, w->usable->problem);
	return report_str(w->r, w->usable->problem);
}

/* The time a statement must hold at: when the signature is proven to exist, else the
   verification time. */
static int64_t judged_at(const struct sig_work *w)
{
	return w->proven != NO_TIME ? w->proven : w->ev->at;
}

/* A card's validity covers the signing time, as proven and as claimed. */
static const char *card_in_force(struct sig_work *w)
{
	if (w->used_card == NULL)
		return NULL;
	const struct dossier_card *k = &w->used_card->card;
	const char *claimed_s = w->s->signed_at;
	if (w->claimed != NO_TIME && w->claimed < k->not_before)
		return report_printf(w->r, "the key card is valid from %s, but the signature says it was made at %s",
		    k->valid_from, claimed_s);
	if (judged_at(w) < k->not_before)
		return report_printf(w->r, "the key card is not valid before %s", k->valid_from);
	if (w->claimed != NO_TIME && w->claimed > k->not_after)
		return report_printf(w->r, "the signature says it was made at %s, after the key card expired on %s",
		    claimed_s, k->valid_until);
	if (judged_at(w) > k->not_after)
		return w->proven != NO_TIME
		    ? report_printf(w->r, "the key card expired on %s, before the trusted timestamp", k->valid_until)
		    : report_printf(w->r, "the key card expired on %s, and no trusted timestamp proves the signature was "
		                          "made before then", k->valid_until);
	return NULL;
}

static const char *revoked(struct sig_work *w, const char *whose, const char *keyid)
{
	const struct dossier_revocation *rev = trust_revoked(w->ev->trust, keyid);
	if (rev == NULL)
		return NULL;
	const char *why = rev->reason && rev->reason[0] ? rev->reason : "no reason given";
	if (w->claimed != NO_TIME && w->claimed >= rev->at)
		return report_printf(w->r, "%s %s was revoked on %s by authority %s (%s); the signature says it was made at %s",
		    whose, keyid, rev->revoked_at, rev->authority, why, w->s->signed_at);
	if (judged_at(w) >= rev->at)
		return report_printf(w->r, "%s %s was revoked on %s by authority %s (%s)%s", whose, keyid, rev->revoked_at,
		    rev->authority, why,
		    w->proven != NO_TIME ? ", before the trusted timestamp"
		                         : ", and no trusted timestamp proves the signature was made before then");
	return NULL;
}

static const char *authority_not_revoked(struct sig_work *w)
{
	return w->used_card ? revoked(w, "the card's authority", w->used_card->card.authority) : NULL;
}

static const char *key_not_revoked(struct sig_work *w)
{
	return revoked(w, "key", w->s->keyid);
}

/* A claimed time after the verification time (beyond a clock's drift) is no time at all:
   such a signature would never age, nor be judged by the cards and revocations of when
   it says it was made. */
static const char *not_from_future(struct sig_work *w)
{
	char at[32];
	if (w->claimed == NO_TIME || w->claimed <= w->ev->at + CLOCK_SKEW_SECONDS)
		return NULL;
	format_rfc3339(w->ev->at, at);
	return report_printf(w->r, "the signature says it was made at %s, later than the verification time %s "
	                           "(more than %d minutes ahead)", w->s->signed_at, at, CLOCK_SKEW_SECONDS / 60);
}

/* Made no later than a token proves, and as the signer says: the older of the two, so
   that stamping an old signature again does not make it young. */
static const char *young_enough(struct sig_work *w)
{
	long max_age = w->ev->trust ? w->ev->trust->policy.max_age_days : 0;
	int64_t when = w->claimed;
	char made[32];
	if (max_age <= 0)
		return NULL;
	if (w->proven != NO_TIME && (when == NO_TIME || w->proven < when))
		when = w->proven;
	if (when == NO_TIME)
		return report_printf(w->r, "the policy accepts signatures of the last %ld days, and this one does not say "
		                           "when it was made", max_age);
	format_rfc3339(when, made);
	if (w->ev->at - when > (int64_t)max_age * 86400)
		return report_printf(w->r, "made at %s, more than the policy's %ld days ago", made, max_age);
	return NULL;
}

/* ---- the chain ---- */

static void say_unknown_key(struct sig_work *w, const char *why);

struct step {
	const char *(*check)(struct sig_work *w);
	enum dossier_sig_status status; /* what the signature is when the check fails */
	enum dossier_finding_kind kind;
	const char *code;
	void (*say)(struct sig_work *w, const char *why); /* NULL: "entry: why" */
};

/* The order of FORMAT.md 5.3. From key_vouched on, the signature itself is genuine. */
#define FIRST_TRUST_STEP 7
static const struct step steps[] = {
	{ parses, DOSSIER_SIG_BAD, INVALID, "sig-malformed", NULL },
	{ names_its_key, DOSSIER_SIG_BAD, INVALID, "sig-malformed", NULL },
	{ finds_key, DOSSIER_SIG_UNKNOWN_KEY, UNTRUSTED, "sig-unknown-key", say_unknown_key },
	{ has_message, DOSSIER_SIG_BAD, INVALID, "sig-forged", NULL },
	{ verifies, DOSSIER_SIG_BAD, INVALID, "sig-forged", NULL },
	{ comment_matches, DOSSIER_SIG_BAD, INVALID, "sig-comment", NULL },
	{ cards_agree, DOSSIER_SIG_BAD, INVALID, "sig-forged", NULL },
	{ key_vouched, DOSSIER_SIG_UNTRUSTED, UNTRUSTED, "sig-untrusted", NULL },
	{ card_in_force, DOSSIER_SIG_UNTRUSTED, UNTRUSTED, "sig-untrusted", NULL },
	{ authority_not_revoked, DOSSIER_SIG_UNTRUSTED, UNTRUSTED, "sig-untrusted", NULL },
	{ key_not_revoked, DOSSIER_SIG_UNTRUSTED, UNTRUSTED, "sig-untrusted", NULL },
	{ not_from_future, DOSSIER_SIG_UNTRUSTED, UNTRUSTED, "sig-untrusted", NULL },
	{ young_enough, DOSSIER_SIG_UNTRUSTED, UNTRUSTED, "sig-untrusted", NULL },
};
_Static_assert(sizeof steps / sizeof *steps > FIRST_TRUST_STEP, "the trust steps follow the signature's");

static void say_unknown_key(struct sig_work *w, const char *why)
{
	(void)why;
	report_add(w->r, UNTRUSTED, "sig-unknown-key", w->t->path,
	    "%s: signed by unknown key %s%s%s; pass its public key with -p, add it with 'dossier keyring add KEY.pub', "
	    "or ask the signer for a key card",
	    w->t->path, w->s->keyid, w->who ? " claimed by " : "", w->s->signer_name);
}

static void init_info(struct sig_work *w, const char *keyid)
{
	struct dossier_sig_info *s = w->s;
	memcpy(s->keyid, keyid, sizeof s->keyid);
	s->status = DOSSIER_SIG_BAD;
	s->trusted_comment = s->signer_name = s->signer_group = s->key_source = s->reason = "";
	s->trust = s->chain = s->identity = s->signed_at = s->card_entry = s->card_name = "";
	s->card_affiliation = s->card_role = s->card_valid_from = s->card_valid_until = "";
	s->authority = s->authority_source = s->public_key = s->same_key_as = s->same_person_as = "";
	w->claimed = w->proven = NO_TIME;
	if ((w->who = signatory(w->r->meta, keyid)) != NULL) {
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(w->who, "group");
		s->signer_name = report_str(w->r, cJSON_GetObjectItemCaseSensitive(w->who, "name")->valuestring);
		s->signer_group = report_str(w->r, g ? g->valuestring : "");
	}
}

void sig_evaluate(struct dossier_report *r, const struct dossier_bundle *b, const struct sig_eval *ev,
    const struct tag_entry *t, const char *keyid)
{
	struct sig_work w = { .r = r, .b = b, .ev = ev, .t = t, .s = &r->sigs[r->nsigs++] };
	size_t i, n = sizeof steps / sizeof *steps;
	const char *why = NULL;
	init_info(&w, keyid);
	for (i = 0; i < n && why == NULL; i++)
		why = steps[i].check(&w);
	if (w.s->signer_name[0] == '\0')
		w.s->signer_name = w.s->identity;
	if (i > FIRST_TRUST_STEP)
		w.s->listed = listed(r->meta, keyid, w.s->identity);
	if (why == NULL) {
		w.s->status = DOSSIER_SIG_VALID; /* every check passed: only now */
		return;
	}
	const struct step *failed = &steps[i - 1];
	w.s->status = failed->status;
	w.s->reason = why;
	if (failed->say != NULL)
		failed->say(&w, why);
	else
		report_add(r, failed->kind, failed->code, t->path, "%s: %s", t->path, why);
}
