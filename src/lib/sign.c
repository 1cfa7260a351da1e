/* sign.c - adding signatures to a bundle: made here with a secret key, or made elsewhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "trust.h"

/* Signing vouches for the bytes, so the bundle must be intact first. The report is kept
   in *report when asked for (report may be NULL). */
static enum dossier_status open_intact(const char *path, const char *verb, struct dossier_bundle **b,
    char id[64], struct dossier_report **report, struct dossier_error *err)
{
	struct dossier_report *r = NULL;
	enum dossier_status st = bundle_open_undigested(path, b, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = dossier_bundle_verify(*b, NULL, &r, err)) != DOSSIER_OK)
		goto fail;
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].kind == DOSSIER_FINDING_INVALID) {
			st = dossier_fail(err, DOSSIER_INVALID, "refusing to %s a damaged bundle: %s", verb,
			    r->findings[i].message);
			goto fail;
		}
	}
	snprintf(id, 64, "%s", dossier_report_meta(r, "id") ? dossier_report_meta(r, "id") : "");
	if (report != NULL)
		*report = r;
	else
		dossier_report_free(r);
	return DOSSIER_OK;
fail:
	dossier_report_free(r);
	dossier_bundle_free(*b);
	*b = NULL;
	return st;
}

enum dossier_status bundle_open_intact(const char *path, const char *verb, struct dossier_bundle **b,
    char id[64], struct dossier_error *err)
{
	return open_intact(path, verb, b, id, NULL, err);
}

static void sig_path(const char keyid[17], char out[64])
{
	snprintf(out, 64, "signatures/%s.minisig", keyid);
}

/* A signer's key card to add beside their signature: the files, or none when the bundle
   carries these very bytes already. The card must be for this key and signed by the
   authority it names (whether that authority is trusted is the verifier's business). */
struct card_add {
	struct buf text, sig;
	char path[80], sigpath[96];
	int needed;
};

static void card_add_release(struct card_add *c)
{
	buf_release(&c->text);
	buf_release(&c->sig);
}

static int same_tag(const struct dossier_bundle *b, const char *path, const struct buf *content)
{
	const struct tag_entry *t = bundle_tag(b, path);
	return t != NULL && t->content.len == content->len && memcmp(t->content.data, content->data, content->len) == 0;
}

static enum dossier_status card_prepare(const struct dossier_bundle *b, const char *file, const char *keyid,
    struct card_add *c, struct dossier_error *err)
{
	struct dossier_card card;
	char keys_path[80];
	memset(c, 0, sizeof *c);
	if (file == NULL)
		return DOSSIER_OK;
	enum dossier_status st = card_file_load(file, &card, &c->text, &c->sig, err);
	if (st != DOSSIER_OK)
		return st;
	if (strcmp(card.keyid, keyid) != 0)
		return dossier_fail(err, DOSSIER_USAGE, "%s: the card is for key %s, but the signature is by key %s", file,
		    card.keyid, keyid);
	snprintf(keys_path, sizeof keys_path, "keys/%s.card.json", keyid);
	snprintf(c->path, sizeof c->path, "signatures/%s.card.json", keyid);
	snprintf(c->sigpath, sizeof c->sigpath, "signatures/%s.card.json.minisig", keyid);
	if (same_tag(b, keys_path, &c->text) || (same_tag(b, c->path, &c->text) && same_tag(b, c->sigpath, &c->sig)))
		return DOSSIER_OK; /* carried already */
	if (bundle_tag(b, c->path) != NULL)
		return dossier_fail(err, DOSSIER_CANTCREAT, "the bundle already carries another key card for %s (%s)",
		    keyid, c->path);
	c->needed = 1;
	return DOSSIER_OK;
}

/* The card's two files, then the signature (sorted order, as the rewrite needs). */
static size_t additions(const struct card_add *c, const char *entry, const char *sig, size_t siglen,
    struct added_file add[3])
{
	size_t n = 0;
	if (c->needed) {
		add[n++] = (struct added_file){ c->path, c->text.data, c->text.len };
		add[n++] = (struct added_file){ c->sigpath, c->sig.data, c->sig.len };
	}
	if (sig != NULL)
		add[n++] = (struct added_file){ entry, sig, siglen };
	return n;
}

enum dossier_status dossier_bundle_sign(const char *path, const struct dossier_seckey *key,
    const char *card, int *already_signed, char keyid[17], struct dossier_error *err)
{
	return dossier_bundle_sign_confirm(path, key, card, NULL, NULL, already_signed, keyid, err);
}

/* The new signature's text over the bundle as opened, once the signer said yes. */
static enum dossier_status make_signature(const struct dossier_bundle *b, const struct dossier_seckey *key,
    const char *id, const char *keyid, char **text, struct dossier_error *err)
{
	char comment[256], now[32];
	size_t len;
	const char *msg = dossier_bundle_tagmanifest(b, &len);
	format_rfc3339((int64_t)time(NULL), now);
	snprintf(comment, sizeof comment, "dossier-v1 bundle:%s signer:%s time:%s", id, keyid, now);
	return dossier_sig_create(key, msg, len, comment, text, err);
}

enum dossier_status dossier_bundle_sign_confirm(const char *path, const struct dossier_seckey *key,
    const char *card, dossier_sign_confirm_fn confirm, void *confirm_ctx, int *already_signed,
    char keyid[17], struct dossier_error *err)
{
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct card_add c = { 0 };
	struct added_file add[3];
	char id[64], entry[64];
	char *text = NULL;
	int lock;
	*already_signed = 0;
	dossier_seckey_keyid(key, keyid);
	enum dossier_status st = bundle_lock(path, &lock, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = open_intact(path, "sign", &b, id, &r, err)) != DOSSIER_OK) {
		bundle_unlock(lock);
		return st;
	}
	sig_path(keyid, entry);
	if ((st = card_prepare(b, card, keyid, &c, err)) != DOSSIER_OK)
		goto out;
	/* asked under the lock, about the bundle as opened: what is shown is what is signed */
	if (bundle_tag(b, entry) == NULL) {
		if (confirm != NULL && !confirm(confirm_ctx, r))
			st = dossier_fail(err, DOSSIER_USAGE, "%s: not signed: declined", path);
		else
			st = make_signature(b, key, id, keyid, &text, err);
	}
	size_t nadd = additions(&c, entry, text, text ? strlen(text) : 0, add);
	*already_signed = st == DOSSIER_OK && nadd == 0;
	if (st == DOSSIER_OK && nadd > 0)
		st = bundle_rewrite(path, b, add, nadd, err);
	free(text);
out:
	card_add_release(&c);
	dossier_report_free(r);
	dossier_bundle_free(b);
	bundle_unlock(lock);
	return st;
}

enum dossier_status dossier_bundle_attach(const char *path, const char *sig_text, size_t sig_len,
    const struct dossier_pubkey *key, const char *card, char keyid[17], int *already,
    struct dossier_error *err)
{
	struct dossier_bundle *b = NULL;
	struct card_add c = { 0 };
	struct added_file add[3];
	struct dossier_sig sig;
	*already = 0;
	char id[64], entry[64];
	size_t len;
	enum dossier_status st = dossier_sig_parse(sig_text, sig_len, &sig, err);
	if (st != DOSSIER_OK)
		return st;
	memcpy(keyid, sig.keyid, 17);
	int lock;
	if ((st = bundle_lock(path, &lock, err)) != DOSSIER_OK)
		return st;
	if ((st = bundle_open_intact(path, "sign", &b, id, err)) != DOSSIER_OK) {
		bundle_unlock(lock);
		return st;
	}
	sig_path(sig.keyid, entry);
	const char *msg = dossier_bundle_tagmanifest(b, &len);
	const struct tag_entry *have = bundle_tag(b, entry);
	/* this very signature attached again adds nothing (but perhaps the card) */
	int same = have != NULL && have->content.len == sig_len && memcmp(have->content.data, sig_text, sig_len) == 0;
	if (have != NULL && !same)
		st = dossier_fail(err, DOSSIER_CANTCREAT, "%s: the bundle already has another signature by key %s",
		    path, sig.keyid);
	else if (key != NULL && !same)
		st = dossier_sig_verify(&sig, key, msg, len, err);
	if (st == DOSSIER_OK)
		st = card_prepare(b, card, sig.keyid, &c, err);
	size_t nadd = additions(&c, entry, same ? NULL : sig_text, sig_len, add);
	*already = st == DOSSIER_OK && nadd == 0;
	if (st == DOSSIER_OK && nadd > 0)
		st = bundle_rewrite(path, b, add, nadd, err);
	card_add_release(&c);
	dossier_bundle_free(b);
	bundle_unlock(lock);
	return st;
}
