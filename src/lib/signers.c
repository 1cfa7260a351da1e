/* signers.c - every file under signatures/ and keys/ is checked or refused: each
   signature judged (sigchain.c), each key card's form checked whether or not a
   signature uses it; then who of the named signatories signed (signatories.c) and the
   signing policy over them all (policy_check.c). */
#include <stdlib.h>
#include <string.h>

#include "signers.h"

#define INVALID DOSSIER_FINDING_INVALID
#define UNTRUSTED DOSSIER_FINDING_UNTRUSTED
#define NOTICE DOSSIER_FINDING_NOTICE

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

const char *card_form_problem(const struct dossier_bundle *b, const char *entry, const char *keyid,
    struct dossier_card *card, char *why, size_t whylen)
{
	struct dossier_error err;
	struct dossier_sig sig;
	char sigentry[80];
	const struct tag_entry *t = bundle_tag(b, entry), *st;
	if (dossier_card_parse(entry, t->content.data, t->content.len, card, &err) != DOSSIER_OK) {
		snprintf(why, whylen, "%s", err.message);
		return why;
	}
	if (strcmp(card->keyid, keyid) != 0) {
		char other[17];
		memcpy(other, card->keyid, sizeof other);
		snprintf(why, whylen, "%s: the card is for key %s, not %s", entry, other, keyid);
		return why;
	}
	snprintf(sigentry, sizeof sigentry, "%s.minisig", entry);
	if ((st = bundle_tag(b, sigentry)) == NULL) {
		snprintf(why, whylen, "%s: the card has no signature (%s)", entry, sigentry);
		return why;
	}
	if (dossier_sig_parse(st->content.data, st->content.len, &sig, &err) != DOSSIER_OK) {
		snprintf(why, whylen, "%s: %s", sigentry, err.message);
		return why;
	}
	if (strcmp(sig.keyid, card->authority) != 0) {
		snprintf(why, whylen, "%s: signed by key %s, but the card names authority %s", sigentry, sig.keyid,
		    card->authority);
		return why;
	}
	return NULL;
}

static int has_signature(const struct dossier_bundle *b, const char *keyid)
{
	char entry[64];
	snprintf(entry, sizeof entry, "signatures/%s.minisig", keyid);
	return bundle_tag(b, entry) != NULL;
}

/* A card is parsed and checked wherever it lies: a malformed one is refused even when no
   signature needs it. One in signatures/ was added beside a signature (sign --card), so
   without that signature it is a file nothing checks, and refused; one in keys/ was
   packed for a signatory who may sign later. */
static void check_card_file(struct dossier_report *r, const struct dossier_bundle *b, const char *path,
    const char *keyid, int in_sigs)
{
	struct dossier_card card;
	char why[600];
	const char *code = in_sigs ? "sig-malformed" : "keys-malformed";
	if (card_form_problem(b, path, keyid, &card, why, sizeof why) != NULL)
		report_add(r, INVALID, code, path, "%s", why);
	else if (has_signature(b, keyid))
		return;
	else if (in_sigs)
		report_add(r, INVALID, code, path,
		    "%s: a key card for %s, who has not signed; a card in signatures/ belongs beside its signature", path, keyid);
	else
		report_add(r, NOTICE, "card-unused", path, "%s: a key card for %s, who has not signed", path, keyid);
}

/* A card's .minisig is checked with its card; alone, nothing checks it. */
static void check_card_sig_file(struct dossier_report *r, const struct dossier_bundle *b, const char *path,
    int in_sigs)
{
	char card[80];
	snprintf(card, sizeof card, "%.*s", (int)(strlen(path) - strlen(".minisig")), path);
	if (bundle_tag(b, card) == NULL)
		report_add(r, INVALID, in_sigs ? "sig-malformed" : "keys-malformed", path,
		    "%s: a card signature without its card %s", path, card);
}

/* Each file under signatures/ and keys/, in archive order: the number of signatures. */
static size_t check_files(struct dossier_report *r, const struct dossier_bundle *b, const struct sig_eval *ev)
{
	size_t nsigfiles = 0;
	for (size_t i = 0; i < b->ntags; i++) {
		const struct tag_entry *t = &b->tags[i];
		const int in_sigs = strncmp(t->path, "signatures/", 11) == 0, in_keys = strncmp(t->path, "keys/", 5) == 0;
		char keyid[17];
		if (!in_sigs && !in_keys)
			continue;
		switch (classify(t->path, in_sigs ? "signatures/" : "keys/", keyid)) {
		case SIGF_SIG:
			nsigfiles++;
			sig_evaluate(r, b, ev, t, keyid);
			break;
		case SIGF_CARD:
			check_card_file(r, b, t->path, keyid, in_sigs);
			break;
		case SIGF_CARD_SIG:
			check_card_sig_file(r, b, t->path, in_sigs);
			break;
		case SIGF_NONE:
			report_add(r, INVALID, in_sigs ? "sig-malformed" : "keys-malformed", t->path,
			    "%s: unexpected file in %s (expected <KEYID>%s.card.json and its .minisig)", t->path,
			    in_sigs ? "signatures/" : "keys/", in_sigs ? ".minisig, <KEYID>" : "");
			break;
		}
	}
	return nsigfiles;
}

/* With all_signatures_trusted false, the per-signature doubts are worth saying, but the
   policy allows them. */
static void lenient(struct dossier_report *r)
{
	/* report_relax also moves the findings counted past the report's cap */
	report_relax(r, "sig-unknown-key");
	report_relax(r, "sig-untrusted");
	report_relax(r, "card-unusable");
}

/* A listed signer counts; a trusted key the bundle does not name is said, not counted. */
static void note_unlisted(struct dossier_report *r)
{
	for (size_t i = 0; i < r->nsigs; i++)
		if (r->sigs[i].status == DOSSIER_SIG_VALID && !r->sigs[i].listed)
			report_add(r, NOTICE, "sig-unlisted", report_printf(r, "signatures/%s.minisig", r->sigs[i].keyid),
			    "signatures/%s.minisig: %s signed with a trusted key but is not a signatory named in dossier.json",
			    r->sigs[i].keyid, r->sigs[i].identity[0] ? r->sigs[i].identity : r->sigs[i].keyid);
}

/* The current version's signers against the policy; an earlier version's signers are
   reported, the policy is for this one. */
static void judge_policy(struct dossier_report *r, const struct dossier_trust *trust, size_t nsigfiles)
{
	struct policy dflt;
	const struct policy *p = trust ? &trust->policy : NULL;
	if (p == NULL) {
		policy_default(&dflt);
		p = &dflt;
	}
	if (nsigfiles == 0)
		report_add(r, UNTRUSTED, "no-signature", "signatures/",
		    "bundle is not signed; sign it with 'dossier sign' or attach a signature");
	note_unlisted(r);
	if (!p->all_trusted)
		lenient(r);
	if (nsigfiles > 0)
		check_policy(r, p);
	if (p == &dflt)
		policy_release(&dflt);
}

void check_signatures(struct dossier_report *r, const struct dossier_bundle *b,
    const struct dossier_trust *trust)
{
	struct sig_eval ev = { .trust = trust, .at = r->at };
	size_t nsig = 0;
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
	size_t nsigfiles = check_files(r, b, &ev);
	if (r->history)
		return;
	check_signatories(r);
	judge_policy(r, trust, nsigfiles);
}
