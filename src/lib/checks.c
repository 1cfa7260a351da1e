/* checks.c - the report's findings summed up as one verdict per kind of check ("checks" in --json). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

enum check { STRUCTURE, PAYLOAD, TAGS, METADATA, SIGNATURES, TRUST, POLICY, TIMESTAMPS, HISTORY, NCHECKS };

/* The order of the "checks" array; the codes are stable (docs/verify-report.schema.json). */
static const char *const check_code[NCHECKS] = { "structure", "payload", "tags", "metadata", "signatures",
	"trust", "policy", "timestamps", "history" };

/* Every finding code, and the check whose failure it is. A code missing here (one added
   later) counts under structure, so that a finding never goes unreported in checks. */
static const struct {
	const char *code;
	enum check check;
} by_code[] = {
	{ "entry-outside-bag", STRUCTURE }, { "unsafe-path", STRUCTURE }, { "entry-type", STRUCTURE },
	{ "duplicate-entry", STRUCTURE }, { "case-collision", STRUCTURE }, { "path-conflict", STRUCTURE },
	{ "tag-file-too-large", STRUCTURE }, { "bagit-txt", STRUCTURE }, { "bag-info", STRUCTURE },
	{ "oxum-mismatch", STRUCTURE }, { "fetch-txt", STRUCTURE },
	{ "top-renamed", STRUCTURE },
	{ "manifest-malformed", PAYLOAD }, { "payload-extra", PAYLOAD }, { "payload-mismatch", PAYLOAD },
	{ "payload-missing", PAYLOAD },
	/* a WARC snapshot's records and a redacted copy's accounting are about payload bytes */
	{ "snapshot-digest", PAYLOAD }, { "snapshot-malformed", PAYLOAD }, { "snapshot-url", PAYLOAD },
	{ "redaction-malformed", PAYLOAD }, { "redaction-present", PAYLOAD }, { "redaction-mismatch", PAYLOAD },
	{ "redaction-not-redactable", PAYLOAD }, { "disclosed-mismatch", PAYLOAD },
	{ "tagmanifest-malformed", TAGS }, { "tag-mismatch", TAGS }, { "tag-uncovered", TAGS }, { "tag-missing", TAGS },
	{ "dossier-json", METADATA },
	{ "keys-malformed", SIGNATURES }, { "sig-malformed", SIGNATURES }, { "sig-forged", SIGNATURES },
	{ "sig-comment", SIGNATURES },
	{ "sig-unknown-key", TRUST }, { "sig-untrusted", TRUST }, { "card-unusable", TRUST }, { "card-unused", TRUST },
	{ "keyring-problem", TRUST },
	/* an unsigned bundle meets no policy: even the default one wants a trusted signer */
	{ "no-signature", POLICY }, { "policy-unmet", POLICY }, { "sig-unlisted", POLICY },
	{ "key-twice", POLICY }, { "person-twice", POLICY },
	{ "timestamp-malformed", TIMESTAMPS }, { "timestamp-imprint", TIMESTAMPS }, { "timestamp-forged", TIMESTAMPS },
	{ "timestamp-untrusted", TIMESTAMPS },
	{ "history-broken", HISTORY }, { "history-missing", HISTORY }, { "supersedes-mismatch", HISTORY },
};

static const char *const required_tags[] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt",
	"tagmanifest-sha256.txt", "dossier.json" };

static int is_required_tag(const char *entry)
{
	for (size_t i = 0; i < sizeof required_tags / sizeof *required_tags; i++)
		if (strcmp(entry, required_tags[i]) == 0)
			return 1;
	return 0;
}

static enum check check_of(const struct dossier_finding *f)
{
	/* a finding only counted keeps its code and scope, which is all this needs */
	/* everything said about an earlier version is that version's history */
	if (strncmp(f->entry, "history/", 8) == 0)
		return HISTORY;
	/* a required tag file that is absent breaks the bag's layout; one the tag manifest
	   lists, the tag manifest's promise */
	if (strcmp(f->code, "tag-missing") == 0 && is_required_tag(f->entry))
		return STRUCTURE;
	for (size_t i = 0; i < sizeof by_code / sizeof *by_code; i++)
		if (strcmp(f->code, by_code[i].code) == 0)
			return by_code[i].check;
	return STRUCTURE;
}

static int missing_tag(const struct dossier_report *r, const char *entry)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].code, "tag-missing") == 0 && strcmp(r->findings[i].entry, entry) == 0)
			return 1;
	return 0;
}

struct verdict {
	const char *word; /* passed, failed, indeterminate */
	char detail[8192]; /* a finding's message (< 2048 bytes), or a policy file's path */
};

static void set(struct verdict *v, const char *word, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set(struct verdict *v, const char *word, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof v->detail, fmt, ap);
	va_end(ap);
	v->word = word;
}

/* The checks with nothing to fail: passed, or indeterminate when they could not run. */
static void judge_clean(const struct dossier_report *r, enum check c, const int failed[NCHECKS], struct verdict *v)
{
	size_t valid = 0, unknown = 0, trusted_ts = 0, met = 0;
	for (size_t i = 0; i < r->nsigs; i++) {
		valid += r->sigs[i].status == DOSSIER_SIG_VALID;
		unknown += r->sigs[i].status == DOSSIER_SIG_UNKNOWN_KEY;
	}
	for (size_t i = 0; i < r->nts; i++)
		trusted_ts += r->ts[i].trusted != 0;
	for (size_t i = 0; i < r->npolicy; i++)
		met += r->policy[i].met != 0;
	switch (c) {
	case STRUCTURE:
		set(v, "passed", "bag layout, bagit.txt, bag-info.txt and Payload-Oxum as required");
		break;
	case PAYLOAD:
		if (missing_tag(r, "manifest-sha256.txt"))
			set(v, "indeterminate", "no manifest-sha256.txt to check the payload against");
		else
			set(v, "passed", "%zu payload file(s) match manifest-sha256.txt", r->nfiles);
		break;
	case TAGS:
		if (missing_tag(r, "tagmanifest-sha256.txt"))
			set(v, "indeterminate", "no tagmanifest-sha256.txt to check the tag files against");
		else
			set(v, "passed", "every tag file matches tagmanifest-sha256.txt");
		break;
	case METADATA:
		if (missing_tag(r, "dossier.json"))
			set(v, "indeterminate", "no dossier.json");
		else
			set(v, "passed", "dossier.json meets its schema and agrees with manifest-sha256.txt");
		break;
	case SIGNATURES:
		if (r->nsigs == 0)
			set(v, "indeterminate", "the bundle carries no signature");
		else if (unknown > 0)
			set(v, "indeterminate", "%zu of %zu signature(s) could not be checked: no public key for them",
			    unknown, r->nsigs);
		else
			set(v, "passed", "%zu signature(s) verify over tagmanifest-sha256.txt", r->nsigs);
		break;
	case TRUST:
		if (r->nsigs == 0)
			set(v, "indeterminate", "no signer to trust");
		else
			set(v, "passed", "%zu of %zu signature(s) by trusted keys", valid, r->nsigs);
		break;
	case POLICY:
		if (r->npolicy == 0)
			set(v, "indeterminate", "the policy was not evaluated");
		else if (failed[STRUCTURE] || failed[PAYLOAD] || failed[TAGS] || failed[METADATA] || failed[SIGNATURES])
			set(v, "indeterminate", "its %zu rule(s) are met, but the signatures do not vouch for this "
			    "bundle's content, which failed another check", met);
		else
			set(v, "passed", "%zu rule(s) of the %s met", met, r->policy_source ? r->policy_source : "default policy");
		break;
	case TIMESTAMPS:
		if (r->nts == 0)
			set(v, "indeterminate", "the bundle carries no timestamp token");
		else if (trusted_ts == 0)
			set(v, "indeterminate", "none of %zu token(s) could be checked against a trusted TSA certificate", r->nts);
		else
			set(v, "passed", "%zu of %zu token(s) trusted", trusted_ts, r->nts);
		break;
	case HISTORY:
		if (r->nversions == 0)
			set(v, "indeterminate", "not a re-issued bundle: no earlier version to check");
		else
			set(v, "passed", "%zu earlier version(s), each linked to the next", r->nversions - 1);
		break;
	case NCHECKS:
		break;
	}
}

cJSON *report_checks_json(const struct dossier_report *r)
{
	uint64_t failed[NCHECKS] = { 0 };
	int any[NCHECKS] = { 0 };
	const struct dossier_finding *first[NCHECKS] = { 0 };
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dossier_finding *f = &r->findings[i];
		if (f->kind == DOSSIER_FINDING_NOTICE)
			continue;
		enum check c = check_of(f);
		if (failed[c]++ == 0)
			first[c] = f;
	}
	for (size_t i = 0; i < r->nomitted; i++) {
		const struct dossier_omitted *o = &r->omitted[i];
		const struct dossier_finding f = { .code = o->code, .entry = o->history ? "history/" : "" };
		if (o->kind != DOSSIER_FINDING_NOTICE)
			failed[check_of(&f)] += o->count;
	}
	for (int c = 0; c < NCHECKS; c++)
		any[c] = failed[c] > 0;
	cJSON *arr = cJSON_CreateArray();
	for (int c = 0; c < NCHECKS && arr != NULL; c++) {
		struct verdict v;
		/* the first finding of each code is kept, so a failed check has its message */
		const char *why = first[c] ? first[c]->message : "findings not kept in the report";
		if (failed[c] == 1)
			set(&v, "failed", "%s", why);
		else if (failed[c] > 1)
			set(&v, "failed", "%s (and %llu more)", why, (unsigned long long)(failed[c] - 1));
		else
			judge_clean(r, (enum check)c, any, &v);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", check_code[c]);
		cJSON_AddStringToObject(o, "verdict", v.word);
		cJSON_AddStringToObject(o, "detail", v.detail);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}
