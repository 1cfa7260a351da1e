/* sign.c - adding signatures to a bundle: made here with a secret key, or made elsewhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

/* Signing vouches for the bytes, so the bundle must be intact first. */
static enum dossier_status open_intact(const char *path, struct dossier_bundle **b,
    char id[64], struct dossier_error *err)
{
	struct dossier_report *r = NULL;
	enum dossier_status st = dossier_bundle_open(path, b, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = dossier_bundle_verify(*b, NULL, &r, err)) != DOSSIER_OK)
		goto fail;
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].kind == DOSSIER_FINDING_INVALID) {
			st = dossier_fail(err, DOSSIER_INVALID, "refusing to sign a damaged bundle: %s",
			    r->findings[i].message);
			goto fail;
		}
	}
	snprintf(id, 64, "%s", dossier_report_meta(r, "id") ? dossier_report_meta(r, "id") : "");
	dossier_report_free(r);
	return DOSSIER_OK;
fail:
	dossier_report_free(r);
	dossier_bundle_free(*b);
	*b = NULL;
	return st;
}

static void sig_path(const char keyid[17], char out[64])
{
	snprintf(out, 64, "signatures/%s.minisig", keyid);
}

enum dossier_status dossier_bundle_sign(const char *path, const struct dossier_seckey *key,
    int *already_signed, char keyid[17], struct dossier_error *err)
{
	struct dossier_bundle *b = NULL;
	char id[64], entry[64], comment[256], now[32];
	char *text = NULL;
	size_t len;
	int lock;
	*already_signed = 0;
	dossier_seckey_keyid(key, keyid);
	enum dossier_status st = bundle_lock(path, &lock, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = open_intact(path, &b, id, err)) != DOSSIER_OK) {
		bundle_unlock(lock);
		return st;
	}
	sig_path(keyid, entry);
	if (bundle_tag(b, entry) != NULL) {
		*already_signed = 1;
		dossier_bundle_free(b);
		bundle_unlock(lock);
		return DOSSIER_OK;
	}
	const char *msg = dossier_bundle_tagmanifest(b, &len);
	format_rfc3339((int64_t)time(NULL), now);
	snprintf(comment, sizeof comment, "dossier-v1 bundle:%s signer:%s time:%s", id, keyid, now);
	st = dossier_sig_create(key, msg, len, comment, &text, err);
	if (st == DOSSIER_OK) {
		struct added_file add = { entry, text, strlen(text) };
		st = bundle_rewrite(path, b, &add, 1, err);
	}
	free(text);
	dossier_bundle_free(b);
	bundle_unlock(lock);
	return st;
}

enum dossier_status dossier_bundle_attach(const char *path, const char *sig_text, size_t sig_len,
    const struct dossier_pubkey *key, char keyid[17], int *already, struct dossier_error *err)
{
	struct dossier_bundle *b = NULL;
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
	if ((st = open_intact(path, &b, id, err)) != DOSSIER_OK) {
		bundle_unlock(lock);
		return st;
	}
	sig_path(sig.keyid, entry);
	const char *msg = dossier_bundle_tagmanifest(b, &len);
	const struct tag_entry *have = bundle_tag(b, entry);
	if (have != NULL && have->content.len == sig_len && memcmp(have->content.data, sig_text, sig_len) == 0) {
		dossier_bundle_free(b); /* this very signature is attached already */
		bundle_unlock(lock);
		*already = 1;
		return DOSSIER_OK;
	}
	if (have != NULL)
		st = dossier_fail(err, DOSSIER_CANTCREAT, "%s: the bundle already has another signature by key %s",
		    path, sig.keyid);
	else if (key != NULL)
		st = dossier_sig_verify(&sig, key, msg, len, err);
	if (st == DOSSIER_OK) {
		struct added_file add = { entry, sig_text, sig_len };
		st = bundle_rewrite(path, b, &add, 1, err);
	}
	dossier_bundle_free(b);
	bundle_unlock(lock);
	return st;
}
