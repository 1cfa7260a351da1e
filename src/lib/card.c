/* card.c - key cards: an authority's signed statement that a key belongs to a person. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "trust.h"

/* Mirrors manifests/schema/card.schema.json. */
static const struct field schema_card[] = {
	{ "affiliation", F_LINE, 1, NULL, NULL, 0 },
	{ "authority", F_LINE, 1, check_keyid, NULL, 0 },
	{ "dossier_card", F_INT, 1, NULL, NULL, 1 },
	{ "email", F_LINE, 0, NULL, NULL, 0 },
	{ "issued", F_LINE, 1, check_rfc3339, NULL, 0 },
	{ "keyid", F_LINE, 1, check_keyid, NULL, 0 },
	{ "name", F_LINE, 1, NULL, NULL, 0 },
	{ "public_key", F_LINE, 1, NULL, NULL, 0 },
	{ "role", F_LINE, 1, NULL, NULL, 0 },
	{ "valid_from", F_LINE, 1, check_rfc3339, NULL, 0 },
	{ "valid_until", F_LINE, 1, check_rfc3339, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static void copy_field(const cJSON *doc, const char *key, char *out, size_t outlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
	snprintf(out, outlen, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

char *card_render(const struct dossier_card *c)
{
	char b64[64];
	pubkey_base64(&c->key, b64);
	/* keys in byte order, so the canonical form is also the sorted one */
	cJSON *o = cJSON_CreateObject();
	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "affiliation", c->affiliation);
	cJSON_AddStringToObject(o, "authority", c->authority);
	cJSON_AddNumberToObject(o, "dossier_card", 1);
	if (c->email[0] != '\0')
		cJSON_AddStringToObject(o, "email", c->email);
	cJSON_AddStringToObject(o, "issued", c->issued);
	cJSON_AddStringToObject(o, "keyid", c->keyid);
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddStringToObject(o, "public_key", b64);
	cJSON_AddStringToObject(o, "role", c->role);
	cJSON_AddStringToObject(o, "valid_from", c->valid_from);
	cJSON_AddStringToObject(o, "valid_until", c->valid_until);
	char *text = json_canonical(o);
	cJSON_Delete(o);
	return text;
}

enum dossier_status dossier_card_parse(const char *name, const char *text, size_t len,
    struct dossier_card *out, struct dossier_error *err)
{
	memset(out, 0, sizeof *out);
	cJSON *doc = schema_parse(name, text, len, schema_card, "dossier_card", err);
	if (doc == NULL)
		return err->code;
	char keyline[sizeof out->name + 40];
	copy_field(doc, "keyid", out->keyid, sizeof out->keyid);
	copy_field(doc, "authority", out->authority, sizeof out->authority);
	copy_field(doc, "name", out->name, sizeof out->name);
	copy_field(doc, "affiliation", out->affiliation, sizeof out->affiliation);
	copy_field(doc, "role", out->role, sizeof out->role);
	copy_field(doc, "email", out->email, sizeof out->email);
	copy_field(doc, "issued", out->issued, sizeof out->issued);
	copy_field(doc, "valid_from", out->valid_from, sizeof out->valid_from);
	copy_field(doc, "valid_until", out->valid_until, sizeof out->valid_until);
	snprintf(keyline, sizeof keyline, "untrusted comment: key card\n%s\n",
	    cJSON_GetObjectItemCaseSensitive(doc, "public_key")->valuestring);
	cJSON_Delete(doc);
	if (dossier_pubkey_parse(keyline, strlen(keyline), &out->key, err) != DOSSIER_OK) {
		char reason[sizeof err->message];
		snprintf(reason, sizeof reason, "%s", err->message);
		return dossier_fail(err, DOSSIER_INVALID, "%s: \"public_key\": %s", name, reason);
	}
	if (strcmp(out->key.keyid, out->keyid) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "%s: the card says key %s but its public key has id %s",
		    name, out->keyid, out->key.keyid);
	parse_rfc3339(out->valid_from, &out->not_before);
	parse_rfc3339(out->valid_until, &out->not_after);
	if (out->not_after < out->not_before)
		return dossier_fail(err, DOSSIER_INVALID, "%s: valid_until is before valid_from", name);
	char *canon = card_render(out);
	if (canon == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	int same = strlen(canon) == len && memcmp(canon, text, len) == 0;
	free(canon);
	if (!same)
		return dossier_fail(err, DOSSIER_INVALID,
		    "%s: not in canonical form (sorted keys, no spaces, one final newline)", name);
	return DOSSIER_OK;
}

enum dossier_status check_text(const char *what, const char *v, int required, struct dossier_error *err)
{
	if (v == NULL || *v == '\0')
		return required ? dossier_fail(err, DOSSIER_USAGE, "%s must not be empty", what) : DOSSIER_OK;
	if (strlen(v) > DOSSIER_TEXT_MAX || !utf8_valid(v, strlen(v)))
		return dossier_fail(err, DOSSIER_USAGE, "%s must be UTF-8 of at most %d bytes", what, DOSSIER_TEXT_MAX);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return dossier_fail(err, DOSSIER_USAGE, "%s must be one line without control characters", what);
	return DOSSIER_OK;
}

enum dossier_status dossier_certify(const struct dossier_pubkey *key,
    const struct dossier_seckey *authority, const struct dossier_card_request *req,
    const char *out, int force, struct dossier_error *err)
{
	struct dossier_card *c = calloc(1, sizeof *c);
	struct dossier_pubkey auth;
	char comment[128], *text = NULL, *sig = NULL;
	enum dossier_status st;
	if (c == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	if ((st = check_text("--name", req->name, 1, err)) != DOSSIER_OK ||
	    (st = check_text("--affiliation", req->affiliation, 1, err)) != DOSSIER_OK ||
	    (st = check_text("--role", req->role, 1, err)) != DOSSIER_OK ||
	    (st = check_text("--email", req->email, 0, err)) != DOSSIER_OK)
		goto out;
	if (req->valid_until <= req->valid_from) {
		st = dossier_fail(err, DOSSIER_USAGE, "--valid-until must be later than --valid-from");
		goto out;
	}
	if (seckey_pubkey(authority, &auth) != 0) {
		st = dossier_fail(err, DOSSIER_USAGE, "authority key is still encrypted");
		goto out;
	}
	c->key = *key;
	memcpy(c->keyid, key->keyid, sizeof c->keyid);
	memcpy(c->authority, auth.keyid, sizeof c->authority);
	snprintf(c->name, sizeof c->name, "%s", req->name);
	snprintf(c->affiliation, sizeof c->affiliation, "%s", req->affiliation);
	snprintf(c->role, sizeof c->role, "%s", req->role);
	snprintf(c->email, sizeof c->email, "%s", req->email ? req->email : "");
	format_rfc3339(req->issued, c->issued);
	format_rfc3339(req->valid_from, c->valid_from);
	format_rfc3339(req->valid_until, c->valid_until);
	if ((text = card_render(c)) == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	snprintf(comment, sizeof comment, "dossier-card-v1 keyid:%s authority:%s valid_until:%s", c->keyid,
	    c->authority, c->valid_until);
	if ((st = dossier_sig_create(authority, text, strlen(text), comment, &sig, err)) == DOSSIER_OK)
		st = write_signed_pair(out, text, sig, force, err);
out:
	free(text);
	free(sig);
	free(c);
	return st;
}

enum dossier_status card_file_load(const char *file, struct dossier_card *card, struct buf *text,
    struct buf *sig, struct dossier_error *err)
{
	struct dossier_sig s;
	enum dossier_status st = read_signed_pair(file, text, sig, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = dossier_card_parse(file, text->data, text->len, card, err)) == DOSSIER_OK &&
	    (st = dossier_sig_parse(sig->data, sig->len, &s, err)) != DOSSIER_OK) {
		char reason[sizeof err->message];
		snprintf(reason, sizeof reason, "%s", err->message);
		dossier_fail(err, st, "%s.minisig: %s", file, reason);
	} else if (st == DOSSIER_OK && strcmp(s.keyid, card->authority) != 0) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s.minisig: signed by key %s, but the card names authority %s",
		    file, s.keyid, card->authority);
	}
	if (st != DOSSIER_OK) {
		buf_release(text);
		buf_release(sig);
	}
	return st;
}
