/* trust.c - what a verifier trusts: signer and authority keys, revocations, TSA
   certificates, the policy, and every problem met while loading them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"

struct dossier_trust *dossier_trust_new(void)
{
	struct dossier_trust *t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	t->signers = dossier_keyset_new();
	t->authorities = dossier_keyset_new();
	policy_default(&t->policy);
	if (t->signers == NULL || t->authorities == NULL || t->policy.nrules == 0) {
		dossier_trust_free(t);
		return NULL;
	}
	return t;
}

void dossier_trust_free(struct dossier_trust *t)
{
	if (t == NULL)
		return;
	dossier_keyset_free(t->signers);
	dossier_keyset_free(t->authorities);
	for (size_t i = 0; i < t->nrevs; i++) {
		free((char *)t->revs[i].reason);
		free((char *)t->revs[i].source);
	}
	free(t->revs);
	for (size_t i = 0; i < t->ntsa; i++)
		free(t->tsa[i]);
	free(t->tsa);
	for (size_t i = 0; i < t->nproblems; i++)
		free((char *)t->problems[i].message);
	free(t->problems);
	policy_release(&t->policy);
	free(t);
}

enum dossier_status dossier_trust_add_signer(struct dossier_trust *t, const struct dossier_pubkey *key,
    const char *source, struct dossier_error *err)
{
	return dossier_keyset_add(t->signers, key, source, err);
}

enum dossier_status dossier_trust_add_signer_file(struct dossier_trust *t, const char *path,
    struct dossier_error *err)
{
	return dossier_keyset_add_file(t->signers, path, err);
}

enum dossier_status dossier_trust_add_authority(struct dossier_trust *t,
    const struct dossier_pubkey *key, const char *source, struct dossier_error *err)
{
	return dossier_keyset_add(t->authorities, key, source, err);
}

enum dossier_status dossier_trust_add_tsa_file(struct dossier_trust *t, const char *path,
    struct dossier_error *err)
{
	struct buf text = { 0 };
	enum dossier_status st = read_small_file(path, LIMIT_TAGFILE, &text, err);
	if (st != DOSSIER_OK)
		return st;
	int certs = pem_certificates(text.data, text.len);
	buf_release(&text);
	if (certs == 0)
		return dossier_fail(err, DOSSIER_INVALID, "%s: not a PEM certificate", path);
	char **n = realloc(t->tsa, (t->ntsa + 1) * sizeof *n);
	if (n == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	t->tsa = n;
	if ((n[t->ntsa] = strdup(path)) == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	t->ntsa++;
	return DOSSIER_OK;
}

enum dossier_status dossier_trust_load_policy(struct dossier_trust *t, const char *path,
    struct dossier_error *err)
{
	struct buf text = { 0 };
	enum dossier_status st = read_small_file(path, LIMIT_TAGFILE, &text, err);
	if (st != DOSSIER_OK)
		return st;
	st = policy_parse(path, text.data, text.len, &t->policy, err);
	buf_release(&text);
	/* a policy the verifier wrote that does not parse is a mistake in the request */
	if (st == DOSSIER_INVALID)
		err->code = st = DOSSIER_USAGE;
	return st;
}

void trust_problem(struct dossier_trust *t, int fatal, const char *fmt, ...)
{
	struct buf b = { 0 };
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	struct dossier_trust_problem *n = array_grow(t->problems, t->nproblems, &t->capproblems, sizeof *n);
	if (n == NULL || buf_printf(&b, "%s", tmp) != 0) {
		if (n != NULL)
			t->problems = n;
		t->oom = 1;
		return;
	}
	t->problems = n;
	t->problems[t->nproblems].fatal = fatal;
	t->problems[t->nproblems++].message = b.data;
}

enum dossier_status trust_add_revocation(struct dossier_trust *t, const struct dossier_revocation *r,
    const char *reason, const char *source)
{
	struct dossier_revocation *n = array_grow(t->revs, t->nrevs, &t->caprevs, sizeof *n);
	if (n == NULL)
		return DOSSIER_SOFTWARE;
	t->revs = n;
	struct dossier_revocation *x = &t->revs[t->nrevs];
	*x = *r;
	x->reason = strdup(reason ? reason : "");
	x->source = strdup(source);
	if (x->reason == NULL || x->source == NULL) {
		free((char *)x->reason);
		free((char *)x->source);
		return DOSSIER_SOFTWARE;
	}
	t->nrevs++;
	return DOSSIER_OK;
}

const struct dossier_revocation *trust_revoked(const struct dossier_trust *t, const char *keyid)
{
	const struct dossier_revocation *first = NULL;
	for (size_t i = 0; t != NULL && i < t->nrevs; i++)
		if (strcmp(t->revs[i].keyid, keyid) == 0 && (first == NULL || t->revs[i].at < first->at))
			first = &t->revs[i];
	return first;
}

size_t dossier_trust_problems(const struct dossier_trust *t, const struct dossier_trust_problem **out)
{
	*out = t->problems;
	return t->nproblems;
}

const struct dossier_keyset *dossier_trust_signers(const struct dossier_trust *t)
{
	return t->signers;
}

const struct dossier_keyset *dossier_trust_authorities(const struct dossier_trust *t)
{
	return t->authorities;
}

size_t dossier_trust_revocations(const struct dossier_trust *t, const struct dossier_revocation **out)
{
	*out = t->revs;
	return t->nrevs;
}

size_t dossier_trust_tsa_files(const struct dossier_trust *t, const char *const **out)
{
	*out = (const char *const *)t->tsa;
	return t->ntsa;
}

size_t dossier_trust_policy_rules(const struct dossier_trust *t, const char *const **out)
{
	*out = (const char *const *)t->policy.rules;
	return t->policy.nrules;
}

const char *dossier_trust_policy_source(const struct dossier_trust *t)
{
	return t->policy.source ? t->policy.source : "default policy";
}
