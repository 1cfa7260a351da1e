/* signatories.c - every signatory dossier.json names, signed or not, and each key and
   each person counted once: a public key is the same key whatever key id it is filed
   under, and a trusted identity is the same person whatever keys they use. */
#include <stdlib.h>
#include <string.h>

#include "signers.h"
#include "strset.h"

#define NOTICE DOSSIER_FINDING_NOTICE

int sig_seen(struct strset *seen, const struct dossier_sig_info *s)
{
	struct buf key = { 0 }, person = { 0 };
	char *name = s->identity[0] ? path_fold(s->identity) : NULL;
	int rc = -1;
	if (buf_printf(&key, "key:%s", s->public_key[0] ? s->public_key : s->keyid) != 0 ||
	    (s->identity[0] && (name == NULL || buf_printf(&person, "name:%s", name) != 0)))
		goto out;
	rc = strset_get(seen, key.data) != NULL || (person.data && strset_get(seen, person.data) != NULL);
	if (rc == 0 && (strset_put(seen, key.data, "") < 0 || (person.data && strset_put(seen, person.data, "") < 0)))
		rc = -1;
out:
	buf_release(&key);
	buf_release(&person);
	free(name);
	return rc;
}

static int same_name(const char *a, const char *b)
{
	char *fa = path_fold(a), *fb = path_fold(b);
	int same = fa != NULL && fb != NULL && strcmp(fa, fb) == 0;
	free(fa);
	free(fb);
	return same;
}

/* One public key under two key ids, and one trusted identity with two keys: each said,
   and counted once (sig_seen). */
static void note_twice(struct dossier_report *r)
{
	for (size_t i = 0; i < r->nsigs; i++) {
		struct dossier_sig_info *s = &r->sigs[i];
		for (size_t j = 0; j < i && s->public_key[0] && !s->same_key_as[0]; j++)
			if (strcmp(r->sigs[j].public_key, s->public_key) == 0) {
				s->same_key_as = r->sigs[j].keyid;
				report_add(r, NOTICE, "key-twice", report_printf(r, "signatures/%s.minisig", s->keyid),
				    "signatures/%s.minisig: the same public key as signatures/%s.minisig under another key id; "
				    "one key, counted once", s->keyid, r->sigs[j].keyid);
			}
		for (size_t j = 0; j < i && s->status == DOSSIER_SIG_VALID && s->identity[0] && !s->same_key_as[0] &&
		     !s->same_person_as[0]; j++)
			if (r->sigs[j].status == DOSSIER_SIG_VALID && same_name(r->sigs[j].identity, s->identity)) {
				s->same_person_as = r->sigs[j].keyid;
				report_add(r, NOTICE, "person-twice", report_printf(r, "signatures/%s.minisig", s->keyid),
				    "signatures/%s.minisig: %s signed with two keys (%s and %s); one person, counted once", s->keyid,
				    s->identity, r->sigs[j].keyid, s->keyid);
			}
	}
}

/* Whether a valid signature is this signatory's: its trusted identity is their name, or
   dossier.json binds its key id to them and the verifier gives the key no other name. */
static int accounts_for(const struct dossier_sig_info *s, const char *name, const char *keyid)
{
	if (s->status != DOSSIER_SIG_VALID)
		return 0;
	if (s->identity[0] != '\0')
		return same_name(s->identity, name);
	return keyid[0] != '\0' && strcmp(s->keyid, keyid) == 0;
}

/* Why no signature accounts for a signatory, in words. */
static const char *why_not(struct dossier_report *r, const char *name, const char *keyid)
{
	for (size_t i = 0; i < r->nsigs; i++) {
		const struct dossier_sig_info *s = &r->sigs[i];
		int by_key = keyid[0] && strcmp(s->keyid, keyid) == 0;
		if (!by_key && !(s->identity[0] && same_name(s->identity, name)))
			continue;
		if (s->status != DOSSIER_SIG_VALID)
			return report_printf(r, "signatures/%s.minisig is not a valid, trusted signature: %s", s->keyid, s->reason);
		if (!accounts_for(s, name, keyid))
			return report_printf(r, "key %s signed, but this verifier trusts that key as %s", s->keyid, s->identity);
		return report_printf(r, "the signature by key %s already accounts for another signatory", s->keyid);
	}
	return keyid[0] ? report_printf(r, "no signature by key %s", keyid)
	                : report_printf(r, "no signature by a key this verifier trusts as %s", name);
}

/* The first valid signature that is this signatory's and stands for a person not yet
   counted for another signatory; NULL if none. */
static const struct dossier_sig_info *find_signature(struct dossier_report *r, struct strset *people,
    const char *name, const char *keyid)
{
	for (size_t i = 0; i < r->nsigs; i++) {
		if (!accounts_for(&r->sigs[i], name, keyid))
			continue;
		int rc = sig_seen(people, &r->sigs[i]);
		if (rc < 0)
			r->oom = 1;
		if (rc == 0)
			return &r->sigs[i];
	}
	return NULL;
}

static void account(struct dossier_report *r, const cJSON *p, struct strset *people)
{
	struct dossier_signatory_info *n = &r->signatories[r->nsignatories++];
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(p, "group");
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(p, "keyid");
	n->name = report_str(r, cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring);
	n->group = report_str(r, cJSON_IsString(g) ? g->valuestring : "");
	n->keyid = report_str(r, cJSON_IsString(k) ? k->valuestring : "");
	const struct dossier_sig_info *s = find_signature(r, people, n->name, n->keyid);
	n->has_signed = s != NULL;
	n->signed_by = s ? s->keyid : "";
	n->identity = s ? s->identity : "";
	n->chain = s ? s->chain : "";
	n->reason = s ? "" : why_not(r, n->name, n->keyid);
}

void check_signatories(struct dossier_report *r)
{
	const cJSON *from = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, "from") : NULL;
	int n = cJSON_GetArraySize(from);
	struct strset people = { 0 };
	note_twice(r);
	if (n <= 0)
		return;
	if ((r->signatories = calloc((size_t)n, sizeof *r->signatories)) == NULL) {
		r->oom = 1;
		return;
	}
	for (const cJSON *p = from->child; p != NULL; p = p->next)
		account(r, p, &people);
	strset_release(&people);
}
