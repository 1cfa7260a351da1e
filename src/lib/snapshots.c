/* snapshots.c - verify's view of the captured sources: each snapshot file, what its
   WARC records say, and which footnotes the snapshots cover. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "warc.h"

#define INVALID DOSSIER_FINDING_INVALID

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int jint(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valueint : -1;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct dossier_file_info *)a)->path, ((const struct dossier_file_info *)b)->path);
}

static const struct payload_entry *payload_named(const struct dossier_bundle *b, const char *path)
{
	for (size_t i = 0; i < b->npayload; i++)
		if (b->payload[i].warc != NULL && strcmp(b->payload[i].path, path) == 0)
			return &b->payload[i];
	return NULL;
}

/* One snapshot file: its entry in the report, and findings for a WARC that fails. */
static void one_snapshot(struct dossier_report *r, const struct dossier_bundle *b, const cJSON *mf,
    struct dossier_snapshot_info *s)
{
	char *nfc = path_nfc(jstr(mf, "path"));
	struct dossier_file_info key = { .path = nfc };
	const struct dossier_file_info *f = nfc && r->nfiles ? bsearch(&key, r->files, r->nfiles, sizeof key, by_path) : NULL;
	const struct payload_entry *p = nfc ? payload_named(b, nfc) : NULL;
	free(nfc);
	s->path = report_str(r, jstr(mf, "path"));
	s->url = report_str(r, jstr(mf, "url"));
	s->footnote = jint(mf, "footnote");
	s->captured_at = report_str(r, jstr(mf, "captured_at"));
	s->media_type = report_str(r, jstr(mf, "media_type"));
	s->content_type = "";
	s->http_status = -1;
	s->records = -1;
	s->size = f ? f->size : 0;
	s->ok = f != NULL && f->ok;
	s->reason = f == NULL ? "missing from the bundle" : f->ok ? NULL : "does not match manifest-sha256.txt";
	/* a redacted copy accounts for it: absent on purpose, not damaged */
	for (size_t i = 0; f == NULL && i < r->nwithheld; i++)
		if (strcmp(r->withheld[i].path, s->path) == 0)
			s->reason = "withheld from this copy (redactions.json)";
	if (p == NULL) {
		if (f != NULL && warc_media_type(s->media_type)) {
			s->ok = 0;
			s->reason = "media type application/warc, but the name does not end in .warc or .warc.gz";
			report_add(r, INVALID, "snapshot-malformed", s->path, "%s: %s, so its records cannot be checked",
			    s->path, s->reason);
		}
		return;
	}
	const struct warc_summary *sum = p->warc;
	s->records = (int64_t)sum->records;
	if (sum->problem != NULL) {
		s->ok = 0;
		s->reason = report_str(r, sum->problem);
		report_add(r, INVALID, sum->digest_problem ? "snapshot-digest" : "snapshot-malformed", s->path, "%s",
		    sum->problem);
		return;
	}
	const struct warc_target *t = warc_summary_final(sum, s->url);
	if (t == NULL) {
		s->ok = 0;
		s->reason = "its url is not the WARC-Target-URI of any response or resource record";
		report_add(r, INVALID, "snapshot-url", s->path, "%s: the snapshot's url '%s' is not the WARC-Target-URI "
		    "of any response or resource record", s->path, s->url);
		return;
	}
	s->http_status = t->http_status;
	s->content_type = report_str(r, t->content_type);
}

/* The snapshot paths covering footnote fn; NULL (and *n 0) for none. */
static const char **covering(struct dossier_report *r, int fn, size_t *n)
{
	const char **paths = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < r->nsnaps; i++) {
		if (r->snaps[i].footnote != fn)
			continue;
		const char **g = array_grow(paths, *n, &cap, sizeof *g);
		if (g == NULL) {
			r->oom = 1;
			break;
		}
		paths = g;
		paths[(*n)++] = r->snaps[i].path;
	}
	return paths;
}

void check_snapshots(struct dossier_report *r, const struct dossier_bundle *b)
{
	const cJSON *files = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, "files") : NULL;
	const cJSON *refs = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, "references") : NULL;
	size_t nf = (size_t)cJSON_GetArraySize(files), nr = (size_t)cJSON_GetArraySize(refs);
	if (nf > 0 && (r->snaps = calloc(nf, sizeof *r->snaps)) == NULL)
		r->oom = 1;
	for (const cJSON *mf = files && r->snaps ? files->child : NULL; mf != NULL; mf = mf->next)
		if (strcmp(jstr(mf, "role"), "snapshot") == 0)
			one_snapshot(r, b, mf, &r->snaps[r->nsnaps++]);
	if (nr > 0 && (r->coverage = calloc(nr, sizeof *r->coverage)) == NULL)
		r->oom = 1;
	for (const cJSON *ref = refs && r->coverage ? refs->child : NULL; ref != NULL; ref = ref->next) {
		struct dossier_reference_info *c = &r->coverage[r->ncoverage++];
		const cJSON *why = cJSON_GetObjectItemCaseSensitive(ref, "not_captured");
		c->footnote = jint(ref, "footnote");
		c->url = report_str(r, jstr(ref, "url"));
		c->snapshots = covering(r, c->footnote, &c->nsnapshots);
		c->captured = c->nsnapshots > 0;
		c->reason = cJSON_IsString(why) ? report_str(r, why->valuestring) : NULL;
	}
}
