/* signers.c - who signed a bundle and whether to trust them: each signature checked
   against a directly trusted key or a key card and its authority, revocation and
   validity dates, then the signing policy over all signatures together. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "strset.h"
#include "trust.h"

#define INVALID DOSSIER_FINDING_INVALID
#define UNTRUSTED DOSSIER_FINDING_UNTRUSTED
#define NOTICE DOSSIER_FINDING_NOTICE

/* A signature's time is proven when a trusted timestamp covers it (timestamps.c); without
   one, only the verification time is certain, and dates are judged against now. */
#define NO_PROOF INT64_MIN
#define NO_TIME INT64_MIN

/* What a file name under signatures/ or keys/ says it is. */
enum sig_file { SIGF_NONE, SIGF_SIG, SIGF_CARD, SIGF_CARD_SIG };

static enum sig_file classify(const char *path, const char *dir, char keyid[17])
{
	size_t d = strlen(dir);
	if (strncmp(path, dir, d) != 0)
		return SIGF_NONE;
	const char *name = path + d;
	if (strlen(name) < 16)
		return SIGF_NONE;
	memcpy(keyid, name, 16);
	keyid[16] = '\0';
	if (strspn(keyid, "0123456789ABCDEF") != 16)
		return SIGF_NONE;
	const char *rest = name + 16;
	if (strcmp(rest, ".minisig") == 0 && strcmp(dir, "signatures/") == 0)
		return SIGF_SIG;
	if (strcmp(rest, ".card.json") == 0)
		return SIGF_CARD;
	if (strcmp(rest, ".card.json.minisig") == 0)
		return SIGF_CARD_SIG;
	return SIGF_NONE;
}

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

/* Whether the signer is a signatory named in dossier.json: by key id, or by the trusted
   name. A signer with no trusted name cannot be told apart from a signatory whose key
   the bundle does not bind, so that case counts as named (DESIGN's default policy: one
   trusted signer); only a signer known to be someone else is not. A bag that names
   nobody has no one to compare with. */
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

/* "dossier-v1 bundle:<id> signer:<keyid> time:<t>": must name this bundle and this key. */
static const char *check_comment(const char *comment, const char *id, const char *keyid)
{
	char want_bundle[64], want_signer[32];
	if (strncmp(comment, "dossier-v1 ", 11) != 0)
		return NULL; /* stock minisign comments are accepted and shown as they are */
	snprintf(want_bundle, sizeof want_bundle, " bundle:%s ", id ? id : "");
	snprintf(want_signer, sizeof want_signer, " signer:%s ", keyid);
	if (id != NULL && strstr(comment, want_bundle) == NULL)
		return "trusted comment names another bundle";
	if (strstr(comment, want_signer) == NULL)
		return "trusted comment names another signer";
	return NULL;
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

/* A key card found in the bundle for one key id, and what checking it found. */
struct card_check {
	const char *entry;
	struct dossier_card card;
	int parsed;              /* the card is for this key: its public key may be used */
	const char *authority_source;
	char problem[600];       /* "" when the card is trusted */
};

static void check_card(const struct dossier_bundle *b, const struct dossier_trust *t, const char *entry,
    const char *keyid, struct card_check *c)
{
	struct dossier_error err;
	char sigentry[80], why[512], needle[64];
	const struct tag_entry *card = bundle_tag(b, entry), *sig;
	c->entry = entry;
	c->parsed = 0;
	c->authority_source = "";
	if (dossier_card_parse(entry, card->content.data, card->content.len, &c->card, &err) != DOSSIER_OK) {
		snprintf(c->problem, sizeof c->problem, "%s", err.message);
		return;
	}
	if (strcmp(c->card.keyid, keyid) != 0) {
		char other[17];
		memcpy(other, c->card.keyid, sizeof other);
		snprintf(c->problem, sizeof c->problem, "%s: the card is for key %s, not %s", entry, other, keyid);
		return;
	}
	c->parsed = 1;
	snprintf(sigentry, sizeof sigentry, "%s.minisig", entry);
	snprintf(needle, sizeof needle, "keyid:%s authority:%s", keyid, c->card.authority);
	if ((sig = bundle_tag(b, sigentry)) == NULL) {
		snprintf(c->problem, sizeof c->problem, "%s: the card has no signature (%s)", entry, sigentry);
		return;
	}
	const char *bad = signed_by_authority(card->content.data, card->content.len, sig->content.data,
	    sig->content.len, c->card.authority, "dossier-card-v1 ", needle, t ? t->authorities : NULL,
	    &c->authority_source, why, sizeof why);
	if (bad != NULL) {
		snprintf(c->problem, sizeof c->problem, "%s: %s", entry, bad);
		return;
	}
	c->problem[0] = '\0';
}

/* Why a statement valid over [from, until] does not cover a signature claimed at
   claimed and proven to exist at proven, judged now; NULL if it does. */
static const char *validity_problem(struct dossier_report *r, const char *what, const char *from_s,
    int64_t from, const char *until_s, int64_t until, int64_t claimed, const char *claimed_s,
    int64_t proven, int64_t now)
{
	int64_t when = proven != NO_PROOF ? proven : now;
	if (claimed != NO_TIME && claimed < from)
		return report_printf(r, "%s is valid from %s, but the signature says it was made at %s", what, from_s,
		    claimed_s);
	if (when < from)
		return report_printf(r, "%s is not valid before %s", what, from_s);
	if (claimed != NO_TIME && claimed > until)
		return report_printf(r, "the signature says it was made at %s, after %s expired on %s", claimed_s,
		    what, until_s);
	if (when > until)
		return proven != NO_PROOF
		    ? report_printf(r, "%s expired on %s, before the trusted timestamp", what, until_s)
		    : report_printf(r, "%s expired on %s, and no trusted timestamp proves the signature was made before then",
		          what, until_s);
	return NULL;
}

static const char *revocation_problem(struct dossier_report *r, const struct dossier_trust *t,
    const char *whose, const char *keyid, int64_t claimed, const char *claimed_s, int64_t proven, int64_t now)
{
	const struct dossier_revocation *rev = trust_revoked(t, keyid);
	if (rev == NULL)
		return NULL;
	int64_t when = proven != NO_PROOF ? proven : now;
	const char *why = rev->reason && rev->reason[0] ? rev->reason : "no reason given";
	if (claimed != NO_TIME && claimed >= rev->at)
		return report_printf(r, "%s %s was revoked on %s by authority %s (%s); the signature says it was made at %s",
		    whose, keyid, rev->revoked_at, rev->authority, why, claimed_s);
	if (when >= rev->at)
		return report_printf(r, "%s %s was revoked on %s by authority %s (%s)%s", whose, keyid, rev->revoked_at,
		    rev->authority, why,
		    proven != NO_PROOF ? ", before the trusted timestamp"
		                       : ", and no trusted timestamp proves the signature was made before then");
	return NULL;
}

struct sig_eval {
	const struct dossier_trust *trust;
	int64_t now;
	const char *msg;
	size_t msglen;
	const char *id;
};

static void untrusted(struct dossier_report *r, struct dossier_sig_info *s, const char *entry,
    const char *why)
{
	s->status = DOSSIER_SIG_UNTRUSTED;
	s->reason = why;
	report_add(r, UNTRUSTED, "sig-untrusted", entry, "%s: %s", entry, why);
}

/* Trust through a card: its authority vouched, the card covers the signing time, and
   neither the key nor the authority was revoked before it. */
static void trust_by_card(struct dossier_report *r, const struct sig_eval *ev, struct dossier_sig_info *s,
    const struct card_check *c, const char *entry, int64_t claimed, int64_t proven)
{
	const struct dossier_card *k = &c->card;
	const char *why;
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
	    c->entry, k->name, k->affiliation, k->role, k->valid_from, k->valid_until, k->authority,
	    c->authority_source);
	if ((why = validity_problem(r, "the key card", k->valid_from, k->not_before, k->valid_until, k->not_after,
	         claimed, s->signed_at, proven, ev->now)) != NULL ||
	    (why = revocation_problem(r, ev->trust, "the card's authority", k->authority, claimed, s->signed_at, proven,
	         ev->now)) != NULL)
		untrusted(r, s, entry, why);
}

static void evaluate(struct dossier_report *r, const struct dossier_bundle *b, const struct sig_eval *ev,
    const struct tag_entry *t, const char *keyid)
{
	struct dossier_sig_info *s = &r->sigs[r->nsigs++];
	struct dossier_sig sig;
	struct dossier_error err;
	struct card_check cards[2];
	size_t ncards = 0;
	const struct card_check *trusted_card = NULL, *usable = NULL;
	memcpy(s->keyid, keyid, sizeof s->keyid);
	s->status = DOSSIER_SIG_BAD;
	s->trusted_comment = s->signer_name = s->signer_group = s->key_source = s->reason = "";
	s->trust = s->chain = s->identity = s->signed_at = s->card_entry = s->card_name = "";
	s->card_affiliation = s->card_role = s->card_valid_from = s->card_valid_until = "";
	s->authority = s->authority_source = "";
	if (dossier_sig_parse(t->content.data, t->content.len, &sig, &err) != DOSSIER_OK) {
		s->reason = report_str(r, err.message);
		report_add(r, INVALID, "sig-malformed", t->path, "%s: %s", t->path, err.message);
		return;
	}
	s->legacy = sig.alg == DOSSIER_SIG_LEGACY;
	s->trusted_comment = report_str(r, sig.trusted_comment);
	const cJSON *who = signatory(r->meta, keyid);
	if (who != NULL) {
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(who, "group");
		s->signer_name = report_str(r, cJSON_GetObjectItemCaseSensitive(who, "name")->valuestring);
		s->signer_group = report_str(r, g ? g->valuestring : "");
	}
	if (strcmp(sig.keyid, keyid) != 0) {
		s->reason = report_printf(r, "file is named for key %s but the signature is by %s", keyid, sig.keyid);
		report_add(r, INVALID, "sig-malformed", t->path, "%s: %s", t->path, s->reason);
		return;
	}
	/* cards: the one covered by the tag manifest first, then one added when signing */
	static const char *const dirs[] = { "keys/", "signatures/" };
	for (int i = 0; i < 2; i++) {
		char *entry = (char *)report_printf(r, "%s%s.card.json", dirs[i], keyid);
		if (bundle_tag(b, entry) == NULL)
			continue;
		check_card(b, ev->trust, entry, keyid, &cards[ncards]);
		if (cards[ncards].parsed && usable == NULL)
			usable = &cards[ncards];
		if (cards[ncards].problem[0] == '\0' && trusted_card == NULL)
			trusted_card = &cards[ncards];
		ncards++;
	}
	const char *source = "";
	const struct dossier_pubkey *direct = ev->trust ? dossier_keyset_find(ev->trust->signers, sig.keynum, &source) : NULL;
	const struct dossier_pubkey *key = direct ? direct : trusted_card ? &trusted_card->card.key
	                                                  : usable ? &usable->card.key : NULL;
	if (key == NULL) {
		s->status = DOSSIER_SIG_UNKNOWN_KEY;
		s->reason = ncards ? report_printf(r, "no trusted public key with id %s, and its key card is unusable: %s",
		                         keyid, cards[0].problem)
		                   : report_printf(r, "no trusted public key with id %s", keyid);
		report_add(r, UNTRUSTED, "sig-unknown-key", t->path,
		    "%s: signed by unknown key %s%s%s; pass its public key with -p, add it with 'dossier keyring add KEY.pub', or ask the signer for a key card",
		    t->path, keyid, who ? " claimed by " : "", s->signer_name);
		if (ncards)
			report_add(r, UNTRUSTED, "card-unusable", cards[0].entry, "%s", cards[0].problem);
		return;
	}
	if (ev->msg == NULL) {
		s->reason = "no tagmanifest-sha256.txt to check against";
		report_add(r, INVALID, "sig-forged", t->path, "%s: %s", t->path, s->reason);
		return;
	}
	if (dossier_sig_verify(&sig, key, ev->msg, ev->msglen, &err) != DOSSIER_OK) {
		s->reason = report_str(r, err.message);
		report_add(r, INVALID, "sig-forged", t->path, "%s: %s", t->path, err.message);
		return;
	}
	const char *why = check_comment(sig.trusted_comment, ev->id, keyid);
	if (why != NULL) {
		s->reason = why;
		report_add(r, INVALID, "sig-comment", t->path, "%s: %s", t->path, why);
		return;
	}
	char at[32];
	int64_t claimed = claimed_time(sig.trusted_comment, at), proven = report_proven_time(r, t->path);
	s->signed_at = report_str(r, at);
	s->status = DOSSIER_SIG_VALID;
	if (direct != NULL) {
		char name[256];
		dossier_pubkey_name(direct, name, sizeof name);
		s->trust = "keyring";
		s->key_source = report_str(r, source);
		s->identity = report_str(r, name);
		s->chain = report_printf(r, "key %s -> directly trusted (%s)", keyid, source);
	} else if (trusted_card != NULL) {
		trust_by_card(r, ev, s, trusted_card, t->path, claimed, proven);
	} else {
		s->chain = report_printf(r, "key %s -> card %s: %s", keyid, usable->entry, usable->problem);
		untrusted(r, s, t->path, report_str(r, usable->problem));
	}
	if (s->signer_name[0] == '\0')
		s->signer_name = s->identity;
	if (s->status == DOSSIER_SIG_VALID &&
	    (why = revocation_problem(r, ev->trust, "key", keyid, claimed, s->signed_at, proven, ev->now)) != NULL)
		untrusted(r, s, t->path, why);
	long max_age = ev->trust ? ev->trust->policy.max_age_days : 0;
	/* made no later than a token proves, and as the signer says: the older of the two,
	   so that stamping an old signature again does not make it young */
	int64_t when = claimed;
	if (proven != NO_PROOF && (when == NO_TIME || proven < when))
		when = proven;
	if (s->status == DOSSIER_SIG_VALID && max_age > 0) {
		char made[32];
		format_rfc3339(when, made);
		if (when == NO_TIME)
			untrusted(r, s, t->path, report_printf(r, "the policy accepts signatures of the last %ld days, and "
			                                          "this one does not say when it was made", max_age));
		else if (ev->now - when > (int64_t)max_age * 86400)
			untrusted(r, s, t->path, report_printf(r, "made at %s, more than the policy's %ld days ago", made, max_age));
	}
	s->listed = listed(r->meta, keyid, s->identity);
}

/* ---- the policy, over all signatures ---- */

static void policy_result(struct dossier_report *r, const char *rule, int met, const char *detail)
{
	struct dossier_policy_check *n = array_grow(r->policy, r->npolicy, &r->cappolicy, sizeof *n);
	if (n == NULL) {
		r->oom = 1;
		return;
	}
	r->policy = n;
	struct dossier_policy_check *c = &r->policy[r->npolicy++];
	c->rule = report_str(r, rule);
	c->met = met;
	c->detail = report_str(r, detail);
	if (!met)
		report_add(r, UNTRUSTED, "policy-unmet", "", "policy not met: %s: %s", rule, detail);
}

/* Counts distinct people among valid signatures that pass the filter: two keys of one
   person count once (same trusted name), and a key counts once however it is listed. */
static long count_people(struct dossier_report *r, int (*pass)(const struct dossier_sig_info *, const void *),
    const void *arg, struct buf *names)
{
	struct strset seen = { 0 };
	long n = 0;
	for (size_t i = 0; i < r->nsigs; i++) {
		const struct dossier_sig_info *s = &r->sigs[i];
		if (s->status != DOSSIER_SIG_VALID || !pass(s, arg))
			continue;
		char *person = s->identity[0] ? path_fold(s->identity) : strdup(s->keyid);
		int rc = person ? strset_put(&seen, person, "") : -1;
		free(person);
		if (rc < 0) {
			r->oom = 1;
			break;
		}
		if (rc == 0) {
			n++;
			buf_printf(names, "%s%s (%s)", names->len ? ", " : "", s->identity[0] ? s->identity : "unnamed",
			    s->keyid);
		}
	}
	strset_release(&seen);
	return n;
}

static int pass_listed(const struct dossier_sig_info *s, const void *arg)
{
	(void)arg;
	return s->listed;
}

struct members {
	char *const *v;
	size_t n;
};

static int pass_member(const struct dossier_sig_info *s, const void *arg)
{
	const struct members *m = arg;
	for (size_t i = 0; i < m->n; i++)
		if (policy_member_matches(m->v[i], s->keyid, s->identity))
			return 1;
	return 0;
}

static void check_policy(struct dossier_report *r, const struct policy *p, size_t nsig_files)
{
	struct buf names = { 0 }, detail = { 0 };
	size_t k = 0;
	r->policy_source = report_str(r, p->source ? p->source : "default policy");
	if (p->all_trusted) {
		for (size_t i = 0; i < r->nsigs; i++)
			if (r->sigs[i].status == DOSSIER_SIG_UNKNOWN_KEY || r->sigs[i].status == DOSSIER_SIG_UNTRUSTED)
				buf_printf(&detail, "%s%s", detail.len ? ", " : "not trusted: ", r->sigs[i].keyid);
		policy_result(r, p->rules[k++], detail.len == 0, detail.len ? detail.data : "every signature is trusted");
		detail.len = 0;
	}
	if (p->min_signers > 0) {
		long n = count_people(r, pass_listed, NULL, &names);
		if (n >= p->min_signers)
			buf_printf(&detail, "%ld counted: %s", n, names.data);
		else if (nsig_files == 0)
			buf_printf(&detail, "the bundle is not signed");
		else
			buf_printf(&detail, "%ld counted%s%s", n, n ? ": " : "", n ? names.data : "");
		for (size_t i = 0; n < p->min_signers && i < r->nsigs; i++)
			if (r->sigs[i].status == DOSSIER_SIG_VALID && !r->sigs[i].listed)
				buf_printf(&detail, "; %s signed with a trusted key but is not a signatory of this bundle",
				    r->sigs[i].identity[0] ? r->sigs[i].identity : r->sigs[i].keyid);
		policy_result(r, p->rules[k++], n >= p->min_signers, detail.data ? detail.data : "");
		detail.len = names.len = 0;
	}
	for (size_t i = 0; i < p->nrequired; i++) {
		struct members m = { &p->required[i], 1 };
		long n = count_people(r, pass_member, &m, &names);
		if (n > 0)
			buf_printf(&detail, "signed by %s", names.data);
		else
			buf_printf(&detail, "no valid signature by a trusted key of %s", p->required[i]);
		policy_result(r, p->rules[k++], n > 0, detail.data);
		detail.len = names.len = 0;
	}
	for (size_t i = 0; i < p->nthresholds; i++) {
		struct members m = { p->thresholds[i].of, p->thresholds[i].nof };
		long n = count_people(r, pass_member, &m, &names);
		buf_printf(&detail, "%ld distinct signer%s counted%s%s", n, n == 1 ? "" : "s", n ? ": " : "",
		    n ? names.data : "");
		policy_result(r, p->rules[k++], n >= p->thresholds[i].at_least, detail.data);
		detail.len = names.len = 0;
	}
	if (p->min_timestamps > 0) {
		struct strset tsas = { 0 };
		long n = 0;
		for (size_t i = 0; i < r->nts; i++)
			if (r->ts[i].trusted && strset_put(&tsas, r->ts[i].tsa, "") == 0) {
				n++;
				buf_printf(&names, "%s%s", names.len ? "; " : "", r->ts[i].tsa);
			}
		strset_release(&tsas);
		buf_printf(&detail, "%ld trusted TSA%s%s%s", n, n == 1 ? "" : "s", n ? ": " : "", n ? names.data : "");
		policy_result(r, p->rules[k++], n >= p->min_timestamps, detail.data);
		detail.len = names.len = 0;
	}
	if (p->max_age_days > 0)
		policy_result(r, p->rules[k++], 1, "signatures older than that are counted as untrusted above");
	/* a redacted copy: said in the checks either way, refused only when the policy says so */
	for (size_t i = 0; i < r->nwithheld; i++)
		buf_printf(&names, "%s%s", i ? ", " : ": ", r->withheld[i].path);
	buf_printf(&detail, "%zu file%s withheld%s", r->nwithheld, r->nwithheld == 1 ? "" : "s",
	    names.data ? names.data : "");
	if (!p->allow_redaction)
		policy_result(r, p->rules[k++], r->nwithheld == 0, detail.data);
	else if (r->nwithheld > 0)
		policy_result(r, "files may be withheld (a redacted copy)", 1, detail.data);
	buf_release(&names);
	buf_release(&detail);
}

void check_signatures(struct dossier_report *r, const struct dossier_bundle *b,
    const struct dossier_trust *trust)
{
	struct sig_eval ev = { .trust = trust, .now = (int64_t)time(NULL) };
	size_t nsig = 0;
	struct policy dflt;
	const struct policy *p = trust ? &trust->policy : NULL;
	/* a keyring that could not be read whole cannot vouch for anyone */
	for (size_t i = 0; trust != NULL && !r->history && i < trust->nproblems; i++)
		report_add(r, trust->problems[i].fatal ? UNTRUSTED : NOTICE, "keyring-problem", "",
		    "keyring: %s", trust->problems[i].message);
	ev.msg = dossier_bundle_tagmanifest(b, &ev.msglen);
	ev.id = dossier_report_meta(r, "id");
	for (size_t i = 0; i < b->ntags; i++)
		nsig += strncmp(b->tags[i].path, "signatures/", 11) == 0;
	r->sigs = calloc(nsig ? nsig : 1, sizeof *r->sigs);
	if (r->sigs == NULL) {
		r->oom = 1;
		return;
	}
	size_t nsigfiles = 0;
	for (size_t i = 0; i < b->ntags; i++) {
		const struct tag_entry *t = &b->tags[i];
		const int in_sigs = strncmp(t->path, "signatures/", 11) == 0, in_keys = strncmp(t->path, "keys/", 5) == 0;
		char keyid[17], sigentry[64];
		if (!in_sigs && !in_keys)
			continue;
		enum sig_file kind = classify(t->path, in_sigs ? "signatures/" : "keys/", keyid);
		if (kind == SIGF_NONE) {
			report_add(r, INVALID, in_sigs ? "sig-malformed" : "keys-malformed", t->path,
			    "%s: unexpected file in %s (expected <KEYID>%s.card.json and its .minisig)", t->path,
			    in_sigs ? "signatures/" : "keys/", in_sigs ? ".minisig, <KEYID>" : "");
			continue;
		}
		if (kind == SIGF_SIG) {
			nsigfiles++;
			evaluate(r, b, &ev, t, keyid);
			continue;
		}
		snprintf(sigentry, sizeof sigentry, "signatures/%s.minisig", keyid);
		if (kind == SIGF_CARD && bundle_tag(b, sigentry) == NULL)
			report_add(r, NOTICE, "card-unused", t->path, "%s: a key card for %s, who has not signed", t->path, keyid);
	}
	if (p == NULL) {
		policy_default(&dflt);
		p = &dflt;
	}
	if (r->history) { /* an earlier version: its signers are reported, the policy is for this one */
		if (p == &dflt)
			policy_release(&dflt);
		return;
	}
	if (nsigfiles == 0)
		report_add(r, UNTRUSTED, "no-signature", "signatures/",
		    "bundle is not signed; sign it with 'dossier sign' or attach a signature");
	/* a listed signer counts; a trusted key the bundle does not name is said, not counted */
	for (size_t i = 0; i < r->nsigs; i++)
		if (r->sigs[i].status == DOSSIER_SIG_VALID && !r->sigs[i].listed)
			report_add(r, NOTICE, "sig-unlisted", report_printf(r, "signatures/%s.minisig", r->sigs[i].keyid),
			    "signatures/%s.minisig: %s signed with a trusted key but is not a signatory named in dossier.json",
			    r->sigs[i].keyid, r->sigs[i].identity[0] ? r->sigs[i].identity : r->sigs[i].keyid);
	if (!p->all_trusted) { /* the per-signature findings were worth saying, but the policy allows them */
		report_relax(r, "sig-unknown-key");
		report_relax(r, "sig-untrusted");
		report_relax(r, "card-unusable");
	}
	if (nsigfiles > 0)
		check_policy(r, p, nsigfiles);
	if (p == &dflt)
		policy_release(&dflt);
}
