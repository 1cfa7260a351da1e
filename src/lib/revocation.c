/* revocation.c - revocation lists: an authority's signed list of keys no longer to trust. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "schema.h"
#include "trust.h"

/* Mirrors manifests/schema/revocations.schema.json. */
static const struct field schema_revoked[] = {
	{ "keyid", F_LINE, 1, check_keyid, NULL, 0 },
	{ "reason", F_LINE, 0, NULL, NULL, 0 },
	{ "revoked_at", F_LINE, 1, check_rfc3339, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
static const struct field schema_list[] = {
	{ "authority", F_LINE, 1, check_keyid, NULL, 0 },
	{ "dossier_revocations", F_INT, 1, NULL, NULL, 1 },
	{ "issued", F_LINE, 1, check_rfc3339, NULL, 0 },
	{ "revoked", F_ARRAY, 1, NULL, schema_revoked, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

void revocation_release(struct revocation_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->reasons[i]);
	free(l->reasons);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static char *render(const struct revocation_list *l)
{
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	if (o == NULL || arr == NULL) {
		cJSON_Delete(o);
		cJSON_Delete(arr);
		return NULL;
	}
	cJSON_AddStringToObject(o, "authority", l->authority);
	cJSON_AddNumberToObject(o, "dossier_revocations", 1);
	cJSON_AddStringToObject(o, "issued", l->issued);
	cJSON_AddItemToObject(o, "revoked", arr);
	for (size_t i = 0; i < l->count; i++) {
		cJSON *item = cJSON_CreateObject();
		if (item == NULL)
			break;
		cJSON_AddStringToObject(item, "keyid", l->items[i].keyid);
		if (l->items[i].reason != NULL && l->items[i].reason[0] != '\0')
			cJSON_AddStringToObject(item, "reason", l->items[i].reason);
		cJSON_AddStringToObject(item, "revoked_at", l->items[i].revoked_at);
		cJSON_AddItemToArray(arr, item);
	}
	char *text = cJSON_GetArraySize(arr) == (int)l->count ? json_canonical(o) : NULL;
	cJSON_Delete(o);
	return text;
}

static int add_item(struct revocation_list *l, const char *keyid, const char *at, const char *reason)
{
	struct dossier_revocation *n = realloc(l->items, (l->count + 1) * sizeof *n);
	if (n == NULL)
		return -1;
	l->items = n;
	char **r = realloc(l->reasons, (l->count + 1) * sizeof *r);
	if (r == NULL)
		return -1;
	l->reasons = r;
	if ((r[l->count] = strdup(reason ? reason : "")) == NULL)
		return -1;
	struct dossier_revocation *it = &n[l->count++];
	memset(it, 0, sizeof *it);
	snprintf(it->keyid, sizeof it->keyid, "%s", keyid);
	snprintf(it->authority, sizeof it->authority, "%s", l->authority);
	snprintf(it->revoked_at, sizeof it->revoked_at, "%s", at);
	parse_rfc3339(at, &it->at);
	it->reason = r[l->count - 1];
	return 0;
}

enum dossier_status revocation_parse(const char *name, const char *text, size_t len,
    struct revocation_list *out, struct dossier_error *err)
{
	memset(out, 0, sizeof *out);
	cJSON *doc = schema_parse(name, text, len, schema_list, "dossier_revocations", err);
	if (doc == NULL)
		return err->code;
	enum dossier_status st = DOSSIER_OK;
	snprintf(out->authority, sizeof out->authority, "%s",
	    cJSON_GetObjectItemCaseSensitive(doc, "authority")->valuestring);
	snprintf(out->issued, sizeof out->issued, "%s", cJSON_GetObjectItemCaseSensitive(doc, "issued")->valuestring);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "revoked");
	for (const cJSON *it = arr->child; st == DOSSIER_OK && it != NULL; it = it->next) {
		const cJSON *reason = cJSON_GetObjectItemCaseSensitive(it, "reason");
		const char *keyid = cJSON_GetObjectItemCaseSensitive(it, "keyid")->valuestring;
		if (out->count > 0 && strcmp(out->items[out->count - 1].keyid, keyid) >= 0)
			st = dossier_fail(err, DOSSIER_INVALID, "%s: key %s is out of order or listed twice", name, keyid);
		else if (add_item(out, keyid, cJSON_GetObjectItemCaseSensitive(it, "revoked_at")->valuestring,
		             reason ? reason->valuestring : NULL) != 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	cJSON_Delete(doc);
	if (st == DOSSIER_OK) {
		char *canon = render(out);
		if (canon == NULL)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		else if (strlen(canon) != len || memcmp(canon, text, len) != 0)
			st = dossier_fail(err, DOSSIER_INVALID,
			    "%s: not in canonical form (sorted keys, no spaces, one final newline)", name);
		free(canon);
	}
	if (st != DOSSIER_OK)
		revocation_release(out);
	return st;
}

static int by_keyid(const void *a, const void *b)
{
	return strcmp(((const struct dossier_revocation *)a)->keyid, ((const struct dossier_revocation *)b)->keyid);
}

/* The existing list at path, which must verify with the authority's own key. */
static enum dossier_status load_existing(const char *path, const struct dossier_pubkey *auth,
    struct revocation_list *l, struct dossier_error *err)
{
	struct buf text = { 0 }, sig = { 0 };
	char why[512];
	enum dossier_status st = read_signed_pair(path, &text, &sig, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = revocation_parse(path, text.data, text.len, l, err)) == DOSSIER_OK) {
		struct dossier_keyset *self = dossier_keyset_new();
		const char *bad = NULL;
		if (self == NULL || dossier_keyset_add(self, auth, "authority key", err) != DOSSIER_OK)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		else if (strcmp(l->authority, auth->keyid) != 0)
			st = dossier_fail(err, DOSSIER_USAGE, "%s: is the list of authority %s, not of this key %s", path,
			    l->authority, auth->keyid);
		else if ((bad = signed_by_authority(text.data, text.len, sig.data, sig.len, l->authority,
		              "dossier-revocations-v1 ", "authority:", self, NULL, why, sizeof why)) != NULL)
			st = dossier_fail(err, DOSSIER_INVALID, "%s: %s", path, bad);
		dossier_keyset_free(self);
		if (st != DOSSIER_OK)
			revocation_release(l);
	}
	buf_release(&text);
	buf_release(&sig);
	return st;
}

enum dossier_status dossier_revoke(const char *path, const struct dossier_seckey *authority,
    const char *const *keyids, size_t nkeyids, int64_t at, const char *reason, size_t *already,
    struct dossier_error *err)
{
	struct revocation_list l = { 0 };
	struct dossier_pubkey auth;
	struct stat sb;
	char when[32], comment[128], *text = NULL, *sig = NULL;
	enum dossier_status st = DOSSIER_OK;
	*already = 0;
	if (seckey_pubkey(authority, &auth) != 0)
		return dossier_fail(err, DOSSIER_USAGE, "authority key is still encrypted");
	if (reason != NULL && (strlen(reason) > DOSSIER_TEXT_MAX || !utf8_valid(reason, strlen(reason)) ||
	                          strpbrk(reason, "\r\n\t") != NULL))
		return dossier_fail(err, DOSSIER_USAGE, "--reason must be one line of UTF-8, at most %d bytes", DOSSIER_TEXT_MAX);
	for (size_t i = 0; i < nkeyids; i++) {
		uint8_t kn[8];
		if (keyid_parse(keyids[i], kn) != 0)
			return dossier_fail(err, DOSSIER_USAGE, "'%s' is not a key id (16 uppercase hex digits)", keyids[i]);
	}
	if (lstat(path, &sb) == 0)
		st = load_existing(path, &auth, &l, err);
	else
		snprintf(l.authority, sizeof l.authority, "%s", auth.keyid);
	if (st != DOSSIER_OK)
		return st;
	format_rfc3339(at, when);
	for (size_t i = 0; i < nkeyids && st == DOSSIER_OK; i++) {
		int seen = 0;
		for (size_t j = 0; j < l.count; j++)
			seen |= strcmp(l.items[j].keyid, keyids[i]) == 0;
		if (seen)
			(*already)++;
		else if (add_item(&l, keyids[i], when, reason) != 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	if (st == DOSSIER_OK && l.count > 1)
		qsort(l.items, l.count, sizeof *l.items, by_keyid);
	format_rfc3339((int64_t)time(NULL), l.issued);
	if (st == DOSSIER_OK && (text = render(&l)) == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	snprintf(comment, sizeof comment, "dossier-revocations-v1 authority:%s issued:%s", l.authority, l.issued);
	if (st == DOSSIER_OK)
		st = dossier_sig_create(authority, text, strlen(text), comment, &sig, err);
	if (st == DOSSIER_OK)
		st = write_signed_pair(path, text, sig, 1, err);
	free(text);
	free(sig);
	revocation_release(&l);
	return st;
}
