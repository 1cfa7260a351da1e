/* report.c - the verification report: findings, files, signatures, and its JSON form. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

const char *report_str(struct dossier_report *r, const char *s)
{
	char **n = array_grow(r->strings, r->nstrings, &r->capstrings, sizeof *n);
	if (n == NULL) {
		r->oom = 1;
		return "";
	}
	r->strings = n;
	/* Reports become JSON and terminal lines: archive names may be any bytes, the
	   report holds valid UTF-8 only. */
	char *copy = utf8_sanitize(s ? s : "");
	if (copy == NULL) {
		r->oom = 1;
		return "";
	}
	r->strings[r->nstrings++] = copy;
	return copy;
}

const char *report_printf(struct dossier_report *r, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return report_str(r, tmp);
}

static int same_code(const char *a, const char *b)
{
	return a == b || strcmp(a, b) == 0;
}

/* Whether a finding of this code, severity and scope was met before; remembers it if not. */
static int met_before(struct dossier_report *r, enum dossier_finding_kind kind, const char *code,
    int history)
{
	for (size_t i = 0; i < r->nkeys; i++)
		if (r->keys[i].kind == kind && r->keys[i].history == history && same_code(r->keys[i].code, code))
			return 1;
	struct finding_key *n = array_grow(r->keys, r->nkeys, &r->capkeys, sizeof *n);
	if (n == NULL) {
		r->oom = 1;
		return 1;
	}
	r->keys = n;
	r->keys[r->nkeys++] = (struct finding_key){ .code = code, .kind = kind, .history = history };
	return 0;
}

void report_omit(struct dossier_report *r, enum dossier_finding_kind kind, const char *code,
    int history, uint64_t n)
{
	for (size_t i = 0; i < r->nomitted; i++) {
		struct dossier_omitted *o = &r->omitted[i];
		if (o->kind == kind && o->history == history && same_code(o->code, code)) {
			o->count += n;
			return;
		}
	}
	struct dossier_omitted *o = array_grow(r->omitted, r->nomitted, &r->capomitted, sizeof *o);
	if (o == NULL) {
		r->oom = 1;
		return;
	}
	r->omitted = o;
	r->omitted[r->nomitted++] = (struct dossier_omitted){ .kind = kind, .code = code, .history = history, .count = n };
}

static enum dossier_status worse_kind(enum dossier_status v, enum dossier_finding_kind kind)
{
	if (kind == DOSSIER_FINDING_INVALID)
		return DOSSIER_INVALID;
	return kind == DOSSIER_FINDING_UNTRUSTED && v == DOSSIER_OK ? DOSSIER_UNTRUSTED : v;
}

/* A hostile bundle can make a finding per manifest line or entry, millions of them: past
   DOSSIER_FINDINGS_KEPT only the first of each code, severity and scope is kept (so every
   kind of problem is shown with its message), the others are counted. Memory stays a few
   MB however many there are, and the verdict still counts every one. */
void report_add(struct dossier_report *r, enum dossier_finding_kind kind, const char *code,
    const char *entry, const char *fmt, ...)
{
	char tmp[2048];
	int history = entry != NULL && strncmp(entry, "history/", 8) == 0;
	r->verdict = worse_kind(r->verdict, kind);
	if (met_before(r, kind, code, history) && r->nfindings >= DOSSIER_FINDINGS_KEPT) {
		report_omit(r, kind, code, history, 1);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	struct dossier_finding *n = array_grow(r->findings, r->nfindings, &r->capfindings, sizeof *n);
	if (n == NULL) {
		r->oom = 1;
		return;
	}
	r->findings = n;
	struct dossier_finding *f = &r->findings[r->nfindings++];
	f->kind = kind;
	f->code = code;
	f->entry = report_str(r, entry);
	f->message = report_str(r, tmp);
}

void report_relax(struct dossier_report *r, const char *code)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].kind == DOSSIER_FINDING_UNTRUSTED && same_code(r->findings[i].code, code))
			r->findings[i].kind = DOSSIER_FINDING_NOTICE;
	for (size_t i = 0; i < r->nomitted; i++) {
		struct dossier_omitted *o = &r->omitted[i];
		if (o->kind != DOSSIER_FINDING_UNTRUSTED || !same_code(o->code, code))
			continue;
		/* into the notices of that code: this entry gives its place to the last one */
		struct dossier_omitted moved = *o;
		*o = r->omitted[--r->nomitted];
		report_omit(r, DOSSIER_FINDING_NOTICE, moved.code, moved.history, moved.count);
		i--;
	}
}

enum dossier_status report_worst(const struct dossier_report *r)
{
	enum dossier_status v = DOSSIER_OK;
	for (size_t i = 0; i < r->nfindings; i++)
		v = worse_kind(v, r->findings[i].kind);
	for (size_t i = 0; i < r->nomitted; i++)
		v = worse_kind(v, r->omitted[i].kind);
	return v;
}

/* "Name (group)" or "Name, role" lines for the text and HTML reports. */
void report_collect_people(struct dossier_report *r)
{
	static const char *const fields[] = { "from", "to", "cc" };
	for (int i = 0; i < 3; i++) {
		const cJSON *arr = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, fields[i]) : NULL;
		int n = cJSON_GetArraySize(arr);
		if (n <= 0)
			continue;
		r->people[i] = calloc((size_t)n, sizeof *r->people[i]);
		if (r->people[i] == NULL) {
			r->oom = 1;
			continue;
		}
		for (const cJSON *p = arr->child; p != NULL; p = p->next) {
			const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
			const cJSON *group = cJSON_GetObjectItemCaseSensitive(p, "group");
			const cJSON *role = cJSON_GetObjectItemCaseSensitive(p, "role");
			const char *line = group ? report_printf(r, "%s (%s)", name->valuestring, group->valuestring)
			    : role               ? report_printf(r, "%s, %s", name->valuestring, role->valuestring)
			                         : report_str(r, name->valuestring);
			r->people[i][r->npeople[i]++] = line;
		}
	}
	const cJSON *refs = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, "references") : NULL;
	int n = cJSON_GetArraySize(refs);
	if (n > 0 && (r->refs = calloc((size_t)n, sizeof *r->refs)) != NULL) {
		for (const cJSON *p = refs->child; p != NULL; p = p->next)
			r->refs[r->nrefs++] = report_printf(r, "[%d] %s",
			    cJSON_GetObjectItemCaseSensitive(p, "footnote")->valueint,
			    cJSON_GetObjectItemCaseSensitive(p, "url")->valuestring);
	}
}

void dossier_report_free(struct dossier_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	for (int i = 0; i < 3; i++)
		free(r->people[i]);
	free(r->refs);
	for (size_t i = 0; i < r->ncoverage; i++)
		free((void *)r->coverage[i].snapshots);
	free(r->coverage);
	free(r->snaps);
	free(r->strings);
	free(r->findings);
	free(r->keys);
	free(r->omitted);
	free(r->files);
	free(r->sigs);
	free(r->policy);
	free(r->signatories);
	free(r->withheld);
	free(r->ts);
	free(r->versions);
	free(r->proofs);
	free(r->bundle_name);
	cJSON_Delete(r->meta);
	free(r);
}

enum dossier_status dossier_report_verdict(const struct dossier_report *r)
{
	return r->verdict;
}

size_t dossier_report_findings(const struct dossier_report *r, const struct dossier_finding **out)
{
	*out = r->findings;
	return r->nfindings;
}

size_t dossier_report_omitted(const struct dossier_report *r, const struct dossier_omitted **out)
{
	*out = r->omitted;
	return r->nomitted;
}

uint64_t dossier_report_omitted_count(const struct dossier_report *r, enum dossier_finding_kind kind)
{
	uint64_t n = 0;
	for (size_t i = 0; i < r->nomitted; i++)
		if (kind == 0 || r->omitted[i].kind == kind)
			n += r->omitted[i].count;
	return n;
}

size_t dossier_report_files(const struct dossier_report *r, const struct dossier_file_info **out)
{
	*out = r->files;
	return r->nfiles;
}

size_t dossier_report_signatures(const struct dossier_report *r, const struct dossier_sig_info **out)
{
	*out = r->sigs;
	return r->nsigs;
}

const char *dossier_report_meta(const struct dossier_report *r, const char *field)
{
	const cJSON *v = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, field) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

size_t dossier_report_people(const struct dossier_report *r, const char *field,
    const char *const **out)
{
	int i = strcmp(field, "from") == 0 ? 0 : strcmp(field, "to") == 0 ? 1 : strcmp(field, "cc") == 0 ? 2 : -1;
	if (i < 0) {
		*out = NULL;
		return 0;
	}
	*out = r->people[i];
	return r->npeople[i];
}

size_t dossier_report_references(const struct dossier_report *r, const char *const **out)
{
	*out = r->refs;
	return r->nrefs;
}

size_t dossier_report_snapshots(const struct dossier_report *r, const struct dossier_snapshot_info **out)
{
	*out = r->snaps;
	return r->nsnaps;
}

size_t dossier_report_coverage(const struct dossier_report *r, const struct dossier_reference_info **out)
{
	*out = r->coverage;
	return r->ncoverage;
}

static cJSON *string_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* "snapshots", "references" and "coverage": the contract docs/verify-report.schema.json
   states, which the HTML report renders. */
static void coverage_json(cJSON *root, const struct dossier_report *r)
{
	cJSON *snaps = cJSON_AddArrayToObject(root, "snapshots");
	for (size_t i = 0; i < r->nsnaps; i++) {
		const struct dossier_snapshot_info *s = &r->snaps[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "path", s->path);
		cJSON_AddStringToObject(o, "url", s->url);
		cJSON_AddItemToObject(o, "footnote", s->footnote >= 0 ? cJSON_CreateNumber(s->footnote) : cJSON_CreateNull());
		cJSON_AddStringToObject(o, "captured_at", s->captured_at);
		cJSON_AddStringToObject(o, "media_type", s->media_type);
		cJSON_AddItemToObject(o, "http_status", s->http_status >= 0 ? cJSON_CreateNumber(s->http_status) : cJSON_CreateNull());
		cJSON_AddNumberToObject(o, "size", (double)s->size);
		cJSON_AddItemToObject(o, "records", s->records >= 0 ? cJSON_CreateNumber((double)s->records) : cJSON_CreateNull());
		cJSON_AddBoolToObject(o, "ok", s->ok);
		cJSON_AddItemToObject(o, "reason", string_or_null(s->reason));
		cJSON_AddItemToArray(snaps, o);
	}
	cJSON *refs = cJSON_AddArrayToObject(root, "references");
	size_t captured = 0;
	for (size_t i = 0; i < r->ncoverage; i++) {
		const struct dossier_reference_info *c = &r->coverage[i];
		cJSON *o = cJSON_CreateObject();
		captured += c->captured != 0;
		cJSON_AddNumberToObject(o, "footnote", c->footnote);
		cJSON_AddStringToObject(o, "url", c->url);
		cJSON_AddStringToObject(o, "status", c->captured ? "captured" : "not_captured");
		cJSON *paths = cJSON_AddArrayToObject(o, "snapshots");
		for (size_t k = 0; k < c->nsnapshots; k++)
			cJSON_AddItemToArray(paths, cJSON_CreateString(c->snapshots[k]));
		cJSON_AddItemToObject(o, "reason", string_or_null(c->captured ? NULL : c->reason));
		cJSON_AddItemToArray(refs, o);
	}
	cJSON *cov = cJSON_AddObjectToObject(root, "coverage");
	cJSON_AddNumberToObject(cov, "references", (double)r->ncoverage);
	cJSON_AddNumberToObject(cov, "captured", (double)captured);
	cJSON_AddNumberToObject(cov, "not_captured", (double)(r->ncoverage - captured));
}

const char *dossier_report_bundle_name(const struct dossier_report *r)
{
	return r->bundle_name ? r->bundle_name : "";
}

const char *dossier_report_tagmanifest_sha256(const struct dossier_report *r)
{
	return r->file.tagmanifest_sha256;
}

const struct dossier_bundle_file *dossier_report_bundle_file(const struct dossier_report *r)
{
	return &r->file;
}

/* "bundle_file": what a clerk compares with the file received; null digests when there
   is nothing to hash (a bag directory, a bundle without a tag manifest). */
static cJSON *bundle_file_json(const struct dossier_bundle_file *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", f->name ? f->name : "");
	cJSON_AddStringToObject(o, "kind", f->kind ? f->kind : "file");
	cJSON_AddItemToObject(o, "size", f->sha256[0] ? cJSON_CreateNumber((double)f->size) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "sha256", string_or_null(f->sha256[0] ? f->sha256 : NULL));
	cJSON_AddItemToObject(o, "tagmanifest_sha256",
	    string_or_null(f->tagmanifest_sha256[0] ? f->tagmanifest_sha256 : NULL));
	return o;
}

size_t dossier_report_timestamps(const struct dossier_report *r, const struct dossier_timestamp_info **out)
{
	*out = r->ts;
	return r->nts;
}

size_t dossier_report_versions(const struct dossier_report *r, const struct dossier_version_info **out)
{
	*out = r->versions;
	return r->nversions;
}

size_t dossier_report_policy(const struct dossier_report *r, const struct dossier_policy_check **out)
{
	*out = r->policy;
	return r->npolicy;
}

size_t dossier_report_signatories(const struct dossier_report *r, const struct dossier_signatory_info **out)
{
	*out = r->signatories;
	return r->nsignatories;
}

int64_t dossier_report_verified_at(const struct dossier_report *r)
{
	return r->at;
}

/* "signatories": each person dossier.json names, and the signature that is theirs. */
static void signatories_json(cJSON *root, const struct dossier_report *r)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "signatories");
	for (size_t i = 0; i < r->nsignatories; i++) {
		const struct dossier_signatory_info *p = &r->signatories[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddStringToObject(o, "group", p->group);
		cJSON_AddStringToObject(o, "keyid", p->keyid);
		cJSON_AddBoolToObject(o, "signed", p->has_signed);
		cJSON_AddStringToObject(o, "signed_by", p->signed_by);
		cJSON_AddStringToObject(o, "identity", p->identity);
		cJSON_AddStringToObject(o, "chain", p->chain);
		cJSON_AddStringToObject(o, "reason", p->reason);
		cJSON_AddItemToArray(arr, o);
	}
}

const char *dossier_report_policy_source(const struct dossier_report *r)
{
	return r->policy_source ? r->policy_source : "default policy";
}

static const char *sig_status_name(enum dossier_sig_status s)
{
	return s == DOSSIER_SIG_VALID ? "valid" : s == DOSSIER_SIG_UNKNOWN_KEY ? "unknown-key"
	    : s == DOSSIER_SIG_UNTRUSTED ? "untrusted" : "invalid";
}

/* The card part of a signature, or null when no card vouched for the key. */
static cJSON *card_json(const struct dossier_sig_info *s)
{
	if (s->card_entry[0] == '\0')
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "entry", s->card_entry);
	cJSON_AddStringToObject(o, "name", s->card_name);
	cJSON_AddStringToObject(o, "affiliation", s->card_affiliation);
	cJSON_AddStringToObject(o, "role", s->card_role);
	cJSON_AddStringToObject(o, "valid_from", s->card_valid_from);
	cJSON_AddStringToObject(o, "valid_until", s->card_valid_until);
	cJSON_AddStringToObject(o, "authority", s->authority);
	cJSON_AddStringToObject(o, "authority_source", s->authority_source);
	return o;
}

static const char *kind_name(enum dossier_finding_kind k)
{
	return k == DOSSIER_FINDING_INVALID ? "invalid" : k == DOSSIER_FINDING_UNTRUSTED ? "untrusted" : "notice";
}

/* The findings left out of "findings", counted by code, severity and scope. */
static cJSON *omitted_json(const struct dossier_report *r)
{
	cJSON *o = cJSON_CreateObject(), *codes = cJSON_CreateArray();
	cJSON_AddNumberToObject(o, "count", (double)dossier_report_omitted_count(r, 0));
	cJSON_AddNumberToObject(o, "kept", DOSSIER_FINDINGS_KEPT);
	cJSON_AddItemToObject(o, "codes", codes);
	for (size_t i = 0; i < r->nomitted; i++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "severity", kind_name(r->omitted[i].kind));
		cJSON_AddStringToObject(c, "code", r->omitted[i].code);
		cJSON_AddBoolToObject(c, "history", r->omitted[i].history);
		cJSON_AddNumberToObject(c, "count", (double)r->omitted[i].count);
		cJSON_AddItemToArray(codes, c);
	}
	return o;
}

enum dossier_status dossier_report_json(const struct dossier_report *r, char **out,
    struct dossier_error *err)
{
	cJSON *root = cJSON_CreateObject();
	*out = NULL;
	if (root == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	cJSON_AddStringToObject(root, "report_version", "1");
	cJSON_AddStringToObject(root, "dossier_version", DOSSIER_VERSION);
	cJSON_AddStringToObject(root, "bundle", dossier_report_bundle_name(r));
	cJSON_AddItemToObject(root, "bundle_file", bundle_file_json(&r->file));
	cJSON_AddStringToObject(root, "verdict",
	    r->verdict == DOSSIER_OK ? "valid" : r->verdict == DOSSIER_UNTRUSTED ? "untrusted" : "invalid");
	cJSON_AddNumberToObject(root, "exit_code", r->verdict);
	char at[32];
	format_rfc3339(r->at, at);
	cJSON_AddStringToObject(root, "verified_at", at);
	cJSON_AddItemToObject(root, "metadata", r->meta ? cJSON_Duplicate(r->meta, 1) : cJSON_CreateNull());
	cJSON *files = cJSON_AddArrayToObject(root, "files");
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct dossier_file_info *f = &r->files[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "path", f->path);
		cJSON_AddStringToObject(o, "role", f->role);
		cJSON_AddStringToObject(o, "media_type", f->media_type);
		cJSON_AddNumberToObject(o, "size", (double)f->size);
		cJSON_AddStringToObject(o, "sha256", f->sha256);
		cJSON_AddBoolToObject(o, "ok", f->ok);
		cJSON_AddItemToArray(files, o);
	}
	cJSON *withheld = cJSON_AddArrayToObject(root, "withheld");
	for (size_t i = 0; i < r->nwithheld; i++) {
		const struct dossier_withheld_info *w = &r->withheld[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "path", w->path);
		cJSON_AddStringToObject(o, "sha256", w->sha256);
		cJSON_AddNumberToObject(o, "size", (double)w->size);
		cJSON_AddStringToObject(o, "reason", w->reason);
		cJSON_AddItemToObject(o, "disclosed", w->disclosed ? cJSON_CreateString(w->disclosed) : cJSON_CreateNull());
		cJSON_AddItemToArray(withheld, o);
	}
	coverage_json(root, r);
	cJSON *sigs = cJSON_AddArrayToObject(root, "signatures");
	for (size_t i = 0; i < r->nsigs; i++) {
		const struct dossier_sig_info *s = &r->sigs[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "keyid", s->keyid);
		cJSON_AddStringToObject(o, "status", sig_status_name(s->status));
		cJSON_AddStringToObject(o, "algorithm", s->legacy ? "Ed" : "ED");
		cJSON_AddStringToObject(o, "signer", s->signer_name);
		cJSON_AddStringToObject(o, "group", s->signer_group);
		cJSON_AddStringToObject(o, "trusted_comment", s->trusted_comment);
		cJSON_AddStringToObject(o, "key_source", s->key_source);
		cJSON_AddStringToObject(o, "reason", s->reason);
		cJSON_AddStringToObject(o, "trust", s->trust);
		cJSON_AddStringToObject(o, "chain", s->chain);
		cJSON_AddStringToObject(o, "identity", s->identity);
		cJSON_AddStringToObject(o, "signed_at", s->signed_at);
		cJSON_AddBoolToObject(o, "listed", s->listed);
		cJSON_AddItemToObject(o, "card", card_json(s));
		cJSON_AddStringToObject(o, "public_key", s->public_key);
		cJSON_AddStringToObject(o, "same_key_as", s->same_key_as);
		cJSON_AddStringToObject(o, "same_person_as", s->same_person_as);
		cJSON_AddItemToArray(sigs, o);
	}
	signatories_json(root, r);
	cJSON *stamps = cJSON_AddArrayToObject(root, "timestamps");
	for (size_t i = 0; i < r->nts; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "entry", r->ts[i].entry);
		cJSON_AddStringToObject(o, "gen_time", r->ts[i].gen_time);
		cJSON_AddStringToObject(o, "tsa", r->ts[i].tsa);
		cJSON_AddStringToObject(o, "covers", r->ts[i].covers);
		cJSON_AddBoolToObject(o, "trusted", r->ts[i].trusted);
		cJSON_AddStringToObject(o, "reason", r->ts[i].reason);
		cJSON_AddItemToArray(stamps, o);
	}
	cJSON *versions = cJSON_AddArrayToObject(root, "versions");
	for (size_t i = 0; i < r->nversions; i++) {
		const struct dossier_version_info *v = &r->versions[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "number", v->number);
		cJSON_AddBoolToObject(o, "current", v->current);
		cJSON_AddStringToObject(o, "id", v->id);
		cJSON_AddStringToObject(o, "created", v->created);
		cJSON_AddStringToObject(o, "reason", v->reason);
		cJSON_AddStringToObject(o, "changes", v->changes);
		cJSON_AddStringToObject(o, "signers", v->signers);
		cJSON_AddStringToObject(o, "timestamps", v->timestamps);
		cJSON_AddItemToArray(versions, o);
	}
	cJSON *policy = cJSON_AddObjectToObject(root, "policy");
	cJSON_AddStringToObject(policy, "source", dossier_report_policy_source(r));
	cJSON *checks = cJSON_AddArrayToObject(policy, "checks");
	for (size_t i = 0; i < r->npolicy; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "rule", r->policy[i].rule);
		cJSON_AddBoolToObject(o, "met", r->policy[i].met);
		cJSON_AddStringToObject(o, "detail", r->policy[i].detail);
		cJSON_AddItemToArray(checks, o);
	}
	cJSON *findings = cJSON_AddArrayToObject(root, "findings");
	cJSON_AddItemToObject(root, "checks", report_checks_json(r));
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dossier_finding *f = &r->findings[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "severity", kind_name(f->kind));
		cJSON_AddStringToObject(o, "code", f->code);
		cJSON_AddStringToObject(o, "entry", f->entry);
		cJSON_AddStringToObject(o, "message", f->message);
		cJSON_AddItemToArray(findings, o);
	}
	cJSON_AddItemToObject(root, "findings_omitted", omitted_json(r));
	*out = json_render(root);
	cJSON_Delete(root);
	if (*out == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	return DOSSIER_OK;
}
