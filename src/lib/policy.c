/* policy.c - the signing policy: who must have signed, how many, and how recently. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "strset.h"
#include "trust.h"

/* Mirrors manifests/schema/policy.schema.json. */
static const struct field schema_threshold[] = {
	{ "at_least", F_INT, 1, NULL, NULL, 1 },
	{ "of", F_STRINGS, 1, NULL, NULL, 1 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
static const struct field schema_policy[] = {
	{ "dossier_policy", F_INT, 1, NULL, NULL, 1 },
	{ "min_signers", F_INT, 0, NULL, NULL, 0 },
	{ "all_signatures_trusted", F_BOOL, 0, NULL, NULL, 0 },
	{ "all_signatories", F_BOOL, 0, NULL, NULL, 0 },
	{ "required", F_STRINGS, 0, NULL, NULL, 0 },
	{ "thresholds", F_ARRAY, 0, NULL, schema_threshold, 0 },
	{ "require_timestamp", F_BOOL, 0, NULL, NULL, 0 },
	{ "min_timestamps", F_INT, 0, NULL, NULL, 0 },
	{ "max_age_days", F_INT, 0, NULL, NULL, 1 },
	{ "allow_redaction", F_BOOL, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void policy_release(struct policy *p)
{
	free(p->source);
	free_strings(p->required, p->nrequired);
	for (size_t i = 0; i < p->nthresholds; i++)
		free_strings(p->thresholds[i].of, p->thresholds[i].nof);
	free(p->thresholds);
	free_strings(p->rules, p->nrules);
	memset(p, 0, sizeof *p);
}

static int add_rule(struct policy *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_rule(struct policy *p, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;
	char tmp[1024];
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	char **n = realloc(p->rules, (p->nrules + 1) * sizeof *n);
	if (n == NULL || buf_printf(&b, "%s", tmp) != 0) {
		if (n != NULL)
			p->rules = n;
		return -1;
	}
	p->rules = n;
	p->rules[p->nrules++] = b.data;
	return 0;
}

/* The rules in words, after the fields are set. */
static int describe(struct policy *p)
{
	int rc = 0;
	if (p->all_trusted)
		rc |= add_rule(p, "every signature must come from a trusted signer");
	if (p->all_signatories)
		rc |= add_rule(p, "every signatory named in the bundle must sign");
	if (p->min_signers > 0)
		rc |= add_rule(p, "at least %ld trusted signator%s named in the bundle", p->min_signers,
		    p->min_signers == 1 ? "y" : "ies");
	for (size_t i = 0; i < p->nrequired; i++)
		rc |= add_rule(p, "required signer: %s", p->required[i]);
	for (size_t i = 0; i < p->nthresholds; i++) {
		struct buf b = { 0 };
		for (size_t j = 0; j < p->thresholds[i].nof; j++)
			rc |= buf_printf(&b, "%s%s", j ? ", " : "", p->thresholds[i].of[j]);
		rc |= add_rule(p, "at least %ld of %zu: %s", p->thresholds[i].at_least, p->thresholds[i].nof,
		    b.data ? b.data : "");
		buf_release(&b);
	}
	if (p->min_timestamps > 0)
		rc |= add_rule(p, "trusted timestamps from at least %ld distinct TSA%s", p->min_timestamps,
		    p->min_timestamps == 1 ? "" : "s");
	if (p->max_age_days > 0)
		rc |= add_rule(p, "signed within the last %ld days", p->max_age_days);
	if (!p->allow_redaction)
		rc |= add_rule(p, "no file may be withheld (redacted copies refused)");
	return rc;
}

void policy_default(struct policy *p)
{
	memset(p, 0, sizeof *p);
	p->min_signers = 1;
	p->all_trusted = 1;
	p->all_signatories = 1;
	p->allow_redaction = 1;
	describe(p);
}

static long int_field(const cJSON *doc, const char *key, long dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
	return v != NULL ? (long)v->valuedouble : dflt;
}

/* Every named signatory must sign unless the policy says otherwise: all_signatories
   false, or by saying who must sign instead (a count or a list of people). */
static int all_signatories(const cJSON *doc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "all_signatories");
	if (v != NULL)
		return cJSON_IsTrue(v);
	return cJSON_GetObjectItemCaseSensitive(doc, "min_signers") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(doc, "required") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(doc, "thresholds") == NULL;
}

static char **copy_strings(const cJSON *arr, size_t *n)
{
	*n = 0;
	char **out = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *out);
	for (const cJSON *s = arr ? arr->child : NULL; out != NULL && s != NULL; s = s->next)
		if ((out[(*n)++] = strdup(s->valuestring)) == NULL)
			return NULL; /* freed by the caller through the count */
	return out;
}

/* Distinct members: a key id by itself, a name under case folding and NFC. */
static long distinct_members(char *const *v, size_t n)
{
	struct strset seen = { 0 };
	long count = 0;
	for (size_t i = 0; i < n; i++) {
		char *k = path_fold(v[i]);
		int rc = k ? strset_put(&seen, k, "") : -1;
		free(k);
		if (rc < 0) {
			count = -1;
			break;
		}
		count += rc == 0;
	}
	strset_release(&seen);
	return count;
}

enum dossier_status policy_parse(const char *name, const char *text, size_t len, struct policy *out,
    struct dossier_error *err)
{
	struct policy p = { 0 };
	cJSON *doc = schema_parse(name, text, len, schema_policy, "dossier_policy", err);
	if (doc == NULL)
		return err->code;
	enum dossier_status st = DOSSIER_OK;
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(doc, "all_signatures_trusted");
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(doc, "require_timestamp");
	const cJSON *th = cJSON_GetObjectItemCaseSensitive(doc, "thresholds");
	p.min_signers = int_field(doc, "min_signers", 1);
	p.all_trusted = all == NULL || cJSON_IsTrue(all);
	p.all_signatories = all_signatories(doc);
	p.min_timestamps = int_field(doc, "min_timestamps", ts != NULL && cJSON_IsTrue(ts) ? 1 : 0);
	if (ts != NULL && cJSON_IsTrue(ts) && p.min_timestamps < 1)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: require_timestamp is true but min_timestamps is 0", name);
	p.max_age_days = int_field(doc, "max_age_days", 0);
	const cJSON *redaction = cJSON_GetObjectItemCaseSensitive(doc, "allow_redaction");
	p.allow_redaction = redaction == NULL || cJSON_IsTrue(redaction);
	if ((p.source = strdup(name)) == NULL ||
	    (p.required = copy_strings(cJSON_GetObjectItemCaseSensitive(doc, "required"), &p.nrequired)) == NULL ||
	    (p.thresholds = calloc((size_t)cJSON_GetArraySize(th) + 1, sizeof *p.thresholds)) == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	for (const cJSON *t = th ? th->child : NULL; st == DOSSIER_OK && t != NULL; t = t->next) {
		struct threshold *x = &p.thresholds[p.nthresholds++];
		x->at_least = int_field(t, "at_least", 1);
		if ((x->of = copy_strings(cJSON_GetObjectItemCaseSensitive(t, "of"), &x->nof)) == NULL) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			break;
		}
		long distinct = distinct_members(x->of, x->nof);
		if (distinct < 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		else if (x->at_least > distinct)
			st = dossier_fail(err, DOSSIER_INVALID,
			    "%s: thresholds[%zu] asks for %ld of a set of %ld distinct signers; it can never be met", name,
			    p.nthresholds - 1, x->at_least, distinct);
	}
	cJSON_Delete(doc);
	if (st == DOSSIER_OK && describe(&p) != 0)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	if (st != DOSSIER_OK) {
		policy_release(&p);
		return st;
	}
	policy_release(out);
	*out = p;
	return DOSSIER_OK;
}

static int is_keyid(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789ABCDEF") == 16;
}

int policy_member_matches(const char *member, const char *keyid, const char *identity)
{
	if (is_keyid(member))
		return strcmp(member, keyid) == 0;
	if (identity == NULL || identity[0] == '\0')
		return 0;
	char *a = path_fold(member), *b = path_fold(identity);
	int same = a != NULL && b != NULL && strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}
