/* fuzz_policy.c - libFuzzer: signing policy parsing (a failure leaves the policy as it was) and member matching by key id or name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a '%' in the name: it must be printed, never used as a format */
static const char name[] = "policy%s.json";
static const char keyid[] = "6A991CD881498DAA";

static int is_keyid(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789ABCDEF") == 16;
}

static void check_parse(const uint8_t *data, size_t size)
{
	struct policy p, dflt;
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	policy_default(&dflt);
	policy_default(&p);
	enum dossier_status st = policy_parse(name, (const char *)data, size, &p, &err);
	if (st != DOSSIER_OK) {
		/* DOSSIER_SOFTWARE means out of memory, which libFuzzer reports before malloc fails */
		if (st != DOSSIER_INVALID || err.code != st || memchr(err.message, '\0', sizeof err.message) == NULL ||
		    strncmp(err.message, name, strlen(name)) != 0 || strlen(err.message) <= strlen(name))
			abort();
		/* untouched: still the default policy */
		if (p.min_signers != 1 || p.all_trusted != 1 || p.source != NULL || p.nrequired != 0 ||
		    p.nthresholds != 0 || p.min_timestamps != 0 || p.max_age_days != 0 || p.nrules != dflt.nrules)
			abort();
		for (size_t i = 0; i < p.nrules; i++)
			if (strcmp(p.rules[i], dflt.rules[i]) != 0)
				abort();
		policy_release(&p);
		policy_release(&dflt);
		return;
	}
	if (p.source == NULL || strcmp(p.source, name) != 0 || p.min_signers < 0 || p.min_timestamps < 0 ||
	    p.max_age_days < 0)
		abort();
	int any = p.all_trusted || p.min_signers > 0 || p.nrequired > 0 || p.nthresholds > 0 || p.min_timestamps > 0 ||
	          p.max_age_days > 0;
	if (any && p.nrules < 1)
		abort();
	for (size_t i = 0; i < p.nrules; i++)
		if (p.rules[i] == NULL)
			abort();
	for (size_t i = 0; i < p.nrequired; i++)
		if (p.required[i] == NULL || p.required[i][0] == '\0')
			abort();
	for (size_t i = 0; i < p.nthresholds; i++) {
		const struct threshold *t = &p.thresholds[i];
		if (t->at_least < 1 || t->nof < 1 || (size_t)t->at_least > t->nof)
			abort();
		for (size_t j = 0; j < t->nof; j++)
			if (t->of[j] == NULL || t->of[j][0] == '\0')
				abort();
	}
	policy_release(&p);
	policy_release(&dflt);
}

/* The input as two strings, cut at the first NUL: member, then identity (NULL if no NUL). */
static void check_member(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t mlen = nul ? (size_t)(nul - data) : size;
	char *member = malloc(mlen + 1), *identity = NULL;
	if (member == NULL)
		abort();
	memcpy(member, data, mlen);
	member[mlen] = '\0';
	if (nul != NULL) {
		size_t ilen = size - mlen - 1;
		if ((identity = malloc(ilen + 1)) == NULL)
			abort();
		memcpy(identity, nul + 1, ilen);
		identity[ilen] = '\0'; /* a further NUL just ends it sooner */
	}
	int m = policy_member_matches(member, keyid, identity);
	if (is_keyid(member)) {
		/* a key id names that key and no other, whatever the name */
		if (m != (strcmp(member, keyid) == 0))
			abort();
		if (policy_member_matches(member, "0000000000000000", identity) != (strcmp(member, "0000000000000000") == 0))
			abort();
	} else if (identity != NULL && !is_keyid(identity)) {
		/* two names match or not, whichever is the member */
		if (m != policy_member_matches(identity, keyid, member))
			abort();
	}
	if (m && !is_keyid(member) && (identity == NULL || identity[0] == '\0'))
		abort(); /* a name needs a name to match */
	free(member);
	free(identity);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_parse(data, size);
	check_member(data, size);
	return 0;
}
