/* history.c - walking the versions a re-issued bundle carries under history/<n>/: each
   version's tag files against its own tag manifest, its signatures and timestamps
   against that tag manifest, the supersedes links between versions, and what changed
   in the payload from one version to the next. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "trust.h"

#define INVALID DOSSIER_FINDING_INVALID
#define NOTICE DOSSIER_FINDING_NOTICE

/* A version's files seen from its own root: history/<n>/ taken off the paths. */
struct view {
	struct dossier_bundle b;
	char *name;
};

static int version_of(const char *path, long *n, const char **rest)
{
	const char *p = path + strlen("history/");
	size_t digits = strspn(p, "0123456789");
	if (digits == 0 || digits > 4 || p[0] == '0' || p[digits] != '/' || p[digits + 1] == '\0')
		return -1;
	*n = strtol(p, NULL, 10);
	*rest = p + digits + 1;
	return 0;
}

static int make_view(const struct dossier_bundle *b, long n, struct view *v)
{
	memset(v, 0, sizeof *v);
	v->b.tags = calloc(b->ntags ? b->ntags : 1, sizeof *v->b.tags);
	if (v->b.tags == NULL)
		return -1;
	for (size_t i = 0; i < b->ntags; i++) {
		long m;
		const char *rest;
		if (strncmp(b->tags[i].path, "history/", 8) != 0 || version_of(b->tags[i].path, &m, &rest) != 0 || m != n)
			continue;
		struct tag_entry *t = &v->b.tags[v->b.ntags++];
		*t = b->tags[i]; /* the content is shared, not owned */
		t->path = (char *)rest;
	}
	v->b.name = b->name;
	return 0;
}

/* Every tag file the version's tag manifest lists is there, unchanged: its own files
   under history/<n>/, the versions before it at the bundle's history/. */
static void check_version_tags(struct dossier_report *r, const struct dossier_bundle *b, const struct view *v,
    long n, struct manifest *tm)
{
	for (size_t i = 0; i < tm->count; i++) {
		const struct manifest_line *l = &tm->lines[i];
		const struct tag_entry *t = strncmp(l->path, "history/", 8) == 0 ? bundle_tag(b, l->path) : bundle_tag(&v->b, l->path);
		if (t == NULL)
			report_add(r, INVALID, "history-broken", "history/", "history/%ld/%s: listed in that version's tag manifest but missing",
			    n, l->path);
		else if (sodium_memcmp(t->digest, l->digest, 32) != 0)
			report_add(r, INVALID, "history-broken", "history/",
			    "history/%ld/%s: differs from what version %ld's tag manifest lists (altered history)", n, l->path, n);
	}
	for (size_t i = 0; i < v->b.ntags; i++) {
		const char *p = v->b.tags[i].path;
		if (strcmp(p, "tagmanifest-sha256.txt") != 0 && strncmp(p, "signatures/", 11) != 0 &&
		    strncmp(p, "timestamps/", 11) != 0 && manifest_find(tm, p) == NULL)
			report_add(r, INVALID, "history-broken", "history/",
			    "history/%ld/%s: not covered by that version's tag manifest", n, p);
	}
}

static cJSON *version_meta(struct dossier_report *r, const struct view *v, long n)
{
	const struct tag_entry *t = bundle_tag(&v->b, "dossier.json");
	struct dossier_error err;
	cJSON *doc = t ? json_parse_strict("dossier.json", t->content.data, t->content.len, &err) : NULL;
	if (doc != NULL && dossier_json_check("dossier.json", doc, &err) != DOSSIER_OK) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	if (doc == NULL)
		report_add(r, INVALID, "history-broken", "history/", "history/%ld/dossier.json: %s", n,
		    t ? err.message : "missing");
	return doc;
}

static const char *field(const cJSON *meta, const char *key)
{
	const cJSON *v = meta ? cJSON_GetObjectItemCaseSensitive(meta, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* meta's supersedes must name the version before: its id and its tag manifest's SHA-256. */
static void check_link(struct dossier_report *r, const cJSON *meta, const char *who, const char *prev_id,
    const uint8_t prev_tm[32], long prev)
{
	const cJSON *sup = meta ? cJSON_GetObjectItemCaseSensitive(meta, "supersedes") : NULL;
	uint8_t d[32];
	if (sup == NULL) {
		report_add(r, INVALID, "supersedes-mismatch", "dossier.json",
		    "%s: carries history/%ld/ but does not say it supersedes it", who, prev);
		return;
	}
	if (strcmp(field(sup, "id"), prev_id) != 0)
		report_add(r, INVALID, "supersedes-mismatch", "dossier.json", "%s: supersedes %s, but history/%ld/ is %s", who,
		    field(sup, "id"), prev, prev_id);
	else if (hex_decode_digest(field(sup, "tagmanifest_sha256"), d) != 0 || sodium_memcmp(d, prev_tm, 32) != 0)
		report_add(r, INVALID, "supersedes-mismatch", "dossier.json",
		    "%s: the SHA-256 of history/%ld/tagmanifest-sha256.txt differs from the one it supersedes (a broken link)", who, prev);
}

/* What changed in the payload from manifest a to manifest b, in words. */
static const char *changes(struct dossier_report *r, const struct manifest *a, const struct manifest *b)
{
	struct buf out = { 0 };
	for (size_t i = 0; i < b->count; i++) {
		const struct manifest_line *o = manifest_find(a, b->lines[i].path);
		if (o == NULL)
			buf_printf(&out, "%sadded %s", out.len ? "; " : "", b->lines[i].path);
		else if (sodium_memcmp(o->digest, b->lines[i].digest, 32) != 0)
			buf_printf(&out, "%schanged %s", out.len ? "; " : "", b->lines[i].path);
	}
	for (size_t i = 0; i < a->count; i++)
		if (manifest_find(b, a->lines[i].path) == NULL)
			buf_printf(&out, "%sremoved %s", out.len ? "; " : "", a->lines[i].path);
	const char *s = report_str(r, out.len ? out.data : "no payload changes");
	buf_release(&out);
	return s;
}

/* The old version's signatures and timestamps, judged as verify judges the current
   ones, against that version's tag manifest; forgeries count, doubts are noted. */
static void check_version_signers(struct dossier_report *r, const struct view *v, long n, cJSON *meta,
    const struct dossier_trust *trust, struct dossier_version_info *info)
{
	struct dossier_report *sub = calloc(1, sizeof *sub);
	struct buf who = { 0 };
	if (sub == NULL) {
		r->oom = 1;
		cJSON_Delete(meta);
		return;
	}
	sub->meta = meta;
	sub->history = 1;
	sub->at = r->at;
	check_timestamps(sub, &v->b, trust);
	check_signatures(sub, &v->b, trust);
	for (size_t i = 0; i < sub->nfindings; i++) {
		const struct dossier_finding *f = &sub->findings[i];
		report_add(r, f->kind == INVALID ? INVALID : NOTICE, f->code, "history/", "history/%ld/%s", n, f->message);
	}
	for (size_t i = 0; i < sub->nomitted; i++) /* what that version's report only counted */
		report_omit(r, sub->omitted[i].kind == INVALID ? INVALID : NOTICE, sub->omitted[i].code, 1,
		    sub->omitted[i].count);
	for (size_t i = 0; i < sub->nsigs; i++) {
		const struct dossier_sig_info *s = &sub->sigs[i];
		const char *word = s->status == DOSSIER_SIG_VALID ? "valid" : s->status == DOSSIER_SIG_UNKNOWN_KEY ? "unknown key"
		    : s->status == DOSSIER_SIG_UNTRUSTED ? "untrusted" : "INVALID";
		buf_printf(&who, "%s%s (%s) %s", who.len ? ", " : "", s->signer_name[0] ? s->signer_name : "unnamed", s->keyid, word);
	}
	size_t trusted = 0;
	for (size_t i = 0; i < sub->nts; i++)
		trusted += sub->ts[i].trusted;
	info->signers = report_str(r, who.len ? who.data : "not signed");
	info->timestamps = report_printf(r, "%zu (%zu trusted)", sub->nts, trusted);
	buf_release(&who);
	r->oom |= sub->oom;
	dossier_report_free(sub);
}

void check_history(struct dossier_report *r, const struct dossier_bundle *b, const struct dossier_trust *trust)
{
	long max = 0;
	for (size_t i = 0; i < b->ntags; i++) {
		long n;
		const char *rest;
		if (strncmp(b->tags[i].path, "history/", 8) != 0)
			continue;
		if (version_of(b->tags[i].path, &n, &rest) != 0)
			report_add(r, INVALID, "history-broken", b->tags[i].path,
			    "%s: unexpected file in history/ (expected history/<n>/...)", b->tags[i].path);
		else
			max = n > max ? n : max;
	}
	const cJSON *sup = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, "supersedes") : NULL;
	if (max == 0) {
		if (sup != NULL)
			report_add(r, INVALID, "history-missing", "dossier.json",
			    "dossier.json: supersedes %s, but the bundle carries no history/", field(sup, "id"));
		return;
	}
	if ((r->versions = calloc((size_t)max + 1, sizeof *r->versions)) == NULL) {
		r->oom = 1;
		return;
	}
	struct manifest prev_payload = { 0 };
	char prev_id[64] = "";
	uint8_t prev_tm[32] = { 0 };
	for (long n = 1; n <= max; n++) {
		struct view v;
		struct manifest tm = { 0 }, payload = { 0 };
		struct dossier_error err;
		struct dossier_version_info *info = &r->versions[r->nversions++];
		info->number = (int)n;
		info->id = info->created = info->reason = info->changes = info->signers = info->timestamps = "";
		if (make_view(b, n, &v) != 0) {
			r->oom = 1;
			break;
		}
		const struct tag_entry *t = bundle_tag(&v.b, "tagmanifest-sha256.txt");
		const struct tag_entry *m = bundle_tag(&v.b, "manifest-sha256.txt");
		if (t == NULL || m == NULL || manifest_parse("tagmanifest-sha256.txt", t->content.data, t->content.len, &tm, &err) != DOSSIER_OK ||
		    manifest_parse("manifest-sha256.txt", m->content.data, m->content.len, &payload, &err) != DOSSIER_OK) {
			report_add(r, INVALID, "history-broken", "history/", "history/%ld/: %s", n,
			    t && m ? err.message : "no tagmanifest-sha256.txt or manifest-sha256.txt (not a version)");
			manifest_release(&tm);
			free(v.b.tags);
			continue;
		}
		check_version_tags(r, b, &v, n, &tm);
		cJSON *meta = version_meta(r, &v, n);
		const char *id = field(meta, "id");
		info->id = report_str(r, id);
		info->created = report_str(r, field(meta, "created"));
		if (n > 1 && meta != NULL) {
			char who[64];
			snprintf(who, sizeof who, "history/%ld/dossier.json", n);
			check_link(r, meta, who, prev_id, prev_tm, n - 1);
			info->reason = report_str(r, field(cJSON_GetObjectItemCaseSensitive(meta, "supersedes"), "reason"));
			info->changes = changes(r, &prev_payload, &payload);
		} else {
			info->changes = "first version";
		}
		snprintf(prev_id, sizeof prev_id, "%s", id);
		sha256_buf(t->content.data, t->content.len, prev_tm);
		if (meta != NULL)
			check_version_signers(r, &v, n, meta, trust, info);
		manifest_release(&prev_payload);
		prev_payload = payload;
		manifest_release(&tm);
		free(v.b.tags);
	}
	/* and the current version, last in the list */
	struct dossier_version_info *cur = &r->versions[r->nversions++];
	cur->number = (int)max + 1;
	cur->current = 1;
	cur->id = report_str(r, dossier_report_meta(r, "id"));
	cur->created = report_str(r, dossier_report_meta(r, "created"));
	cur->reason = report_str(r, sup ? field(sup, "reason") : "");
	cur->signers = cur->timestamps = "see above";
	const struct tag_entry *m = bundle_tag(b, "manifest-sha256.txt");
	struct manifest payload = { 0 };
	struct dossier_error err;
	if (m != NULL && manifest_parse("manifest-sha256.txt", m->content.data, m->content.len, &payload, &err) == DOSSIER_OK) {
		cur->changes = changes(r, &prev_payload, &payload);
		manifest_release(&payload);
	} else {
		cur->changes = "";
	}
	manifest_release(&prev_payload);
	if (r->meta != NULL)
		check_link(r, r->meta, "dossier.json", prev_id, prev_tm, max);
}
