/* verify.c - deciding whether a bundle read by bundle.c is intact, signed and trusted. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "redaction.h"

#define INVALID DOSSIER_FINDING_INVALID
#define UNTRUSTED DOSSIER_FINDING_UNTRUSTED
#define NOTICE DOSSIER_FINDING_NOTICE

static const char *const required_tags[] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt",
	"tagmanifest-sha256.txt", "dossier.json" };

/* Tag files the tag manifest must not cover: they are added after signing. */
static int unsigned_tag(const char *path)
{
	return strcmp(path, "tagmanifest-sha256.txt") == 0 || strncmp(path, "signatures/", 11) == 0 ||
	    strncmp(path, "timestamps/", 11) == 0 || strcmp(path, "redactions.json") == 0;
}

static void check_bagit_txt(struct dossier_report *r, const struct tag_entry *t)
{
	static const char want[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	static const char want_crlf[] = "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n";
	if (strcmp(t->content.data, want) != 0 && strcmp(t->content.data, want_crlf) != 0 &&
	    strcmp(t->content.data, "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n") != 0)
		report_add(r, INVALID, "bagit-txt", "bagit.txt",
		    "bagit.txt: must declare BagIt-Version 1.0 and Tag-File-Character-Encoding UTF-8");
}

/* A decimal number of at most 19 digits (so it fits), advancing *p past it. */
static int parse_count(const char **p, unsigned long long *out)
{
	size_t n = strspn(*p, "0123456789");
	if (n == 0 || n > 19)
		return -1;
	*out = 0;
	for (size_t i = 0; i < n; i++)
		*out = *out * 10 + (unsigned long long)((*p)[i] - '0');
	*p += n;
	return 0;
}

/* Payload-Oxum "octets.count" is checked, never used to size anything. Only a line
   that starts with the label counts: the same words inside another field's value
   (a title that quotes it) are not the field. */
static void check_oxum(struct dossier_report *r, const struct tag_entry *t,
    const struct dossier_bundle *b)
{
	static const char label[] = "Payload-Oxum:";
	const char *found = NULL;
	for (const char *line = t->content.data; line != NULL && *line;) {
		if (strncmp(line, label, sizeof label - 1) == 0) {
			if (found != NULL) {
				report_add(r, INVALID, "bag-info", "bag-info.txt", "bag-info.txt: Payload-Oxum appears twice");
				return;
			}
			found = line;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	if (found == NULL) {
		report_add(r, INVALID, "bag-info", "bag-info.txt", "bag-info.txt: no Payload-Oxum");
		return;
	}
	unsigned long long octets = 0, count = 0, have_octets = 0;
	const char *p = found + sizeof label - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	/* digits only: sscanf would take signs and overflow without a word */
	if (parse_count(&p, &octets) != 0 || *p++ != '.' || parse_count(&p, &count) != 0 ||
	    (*p != '\n' && *p != '\r')) {
		report_add(r, INVALID, "bag-info", "bag-info.txt", "bag-info.txt: malformed Payload-Oxum");
		return;
	}
	for (size_t i = 0; i < b->npayload; i++)
		have_octets += b->payload[i].size;
	/* the Oxum was signed before anything was withheld: withheld files count with the
	   size dossier.json (signed too) gives them */
	have_octets += r->withheld_octets;
	if (octets != have_octets || count != b->npayload + r->nwithheld)
		report_add(r, INVALID, "oxum-mismatch", "bag-info.txt",
		    "bag-info.txt: Payload-Oxum says %llu bytes in %llu files, the payload has %llu bytes in %zu files%s",
		    octets, count, have_octets, b->npayload + r->nwithheld, r->nwithheld ? " (withheld ones included)" : "");
}

/* Parses one of the manifests; a missing one was reported already. */
static int load_manifest(struct dossier_report *r, const struct dossier_bundle *b, const char *name,
    const char *code, struct manifest *m)
{
	const struct tag_entry *t = bundle_tag(b, name);
	struct dossier_error err;
	if (t == NULL)
		return 0;
	if (manifest_parse(name, t->content.data, t->content.len, m, &err) != DOSSIER_OK) {
		report_add(r, INVALID, code, name, "%s", err.message);
		return 0;
	}
	return 1;
}

static void check_tags(struct dossier_report *r, const struct dossier_bundle *b)
{
	struct manifest m;
	if (!load_manifest(r, b, "tagmanifest-sha256.txt", "tagmanifest-malformed", &m))
		return;
	for (size_t i = 0; i < m.count; i++) {
		const struct manifest_line *l = &m.lines[i];
		const struct tag_entry *t = bundle_tag(b, l->path);
		if (strncmp(l->path, "data/", 5) == 0 || unsigned_tag(l->path))
			report_add(r, INVALID, "tagmanifest-malformed", "tagmanifest-sha256.txt",
			    "tagmanifest-sha256.txt: lists '%s', which is not a signed tag file", l->path);
		else if (t == NULL)
			report_add(r, INVALID, "tag-missing", l->path,
			    "%s: listed in tagmanifest-sha256.txt but missing from the bundle", l->path);
		else if (sodium_memcmp(t->digest, l->digest, 32) != 0) {
			char want[65], got[65];
			hex_encode(l->digest, 32, want);
			hex_encode(t->digest, 32, got);
			report_add(r, INVALID, "tag-mismatch", l->path, "%s: sha256 mismatch (expected %.12s…, got %.12s…)",
			    l->path, want, got);
		}
	}
	for (size_t i = 0; i < b->ntags; i++) {
		const char *p = b->tags[i].path;
		if (!unsigned_tag(p) && manifest_find(&m, p) == NULL)
			report_add(r, INVALID, "tag-uncovered", p,
			    "%s: tag file not covered by tagmanifest-sha256.txt (added after signing?)", p);
	}
	manifest_release(&m);
}

static int by_file_path(const void *a, const void *b)
{
	return strcmp(((const struct dossier_file_info *)a)->path, ((const struct dossier_file_info *)b)->path);
}

static void check_payload(struct dossier_report *r, const struct dossier_bundle *b)
{
	struct manifest m;
	if (!load_manifest(r, b, "manifest-sha256.txt", "manifest-malformed", &m))
		return;
	r->files = calloc(b->npayload ? b->npayload : 1, sizeof *r->files);
	if (r->files == NULL) {
		r->oom = 1;
		manifest_release(&m);
		return;
	}
	for (size_t i = 0; i < b->npayload; i++) {
		const struct payload_entry *p = &b->payload[i];
		struct manifest_line *l = manifest_find(&m, p->path);
		struct dossier_file_info *f = &r->files[r->nfiles++];
		f->path = report_str(r, p->path);
		f->size = p->size;
		hex_encode(p->digest, 32, f->sha256);
		f->role = f->media_type = ""; /* from dossier.json, below */
		if (l == NULL) {
			report_add(r, INVALID, "payload-extra", p->path,
			    "%s: payload file not listed in manifest-sha256.txt", p->path);
			continue;
		}
		l->seen = 1;
		if (sodium_memcmp(l->digest, p->digest, 32) != 0) {
			char want[65];
			hex_encode(l->digest, 32, want);
			report_add(r, INVALID, "payload-mismatch", p->path, "%s: sha256 mismatch (expected %.12s…, got %.12s…)",
			    p->path, want, f->sha256);
			continue;
		}
		f->ok = 1;
	}
	check_redactions(r, b, &m);
	for (size_t i = 0; i < m.count; i++) {
		if (strncmp(m.lines[i].path, "data/", 5) != 0)
			report_add(r, INVALID, "manifest-malformed", "manifest-sha256.txt",
			    "manifest-sha256.txt: lists '%s', which is outside data/", m.lines[i].path);
		else if (!m.lines[i].seen)
			report_add(r, INVALID, "payload-missing", m.lines[i].path,
			    "%s: listed in manifest-sha256.txt but missing from the bundle", m.lines[i].path);
	}
	if (r->nfiles > 1)
		qsort(r->files, r->nfiles, sizeof *r->files, by_file_path);
	/* dossier.json describes files too; it must not disagree with the manifest. */
	const cJSON *files = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, "files") : NULL;
	for (const cJSON *mf = files ? files->child : NULL; mf != NULL; mf = mf->next) {
		const char *path = cJSON_GetObjectItemCaseSensitive(mf, "path")->valuestring;
		const char *sha = cJSON_GetObjectItemCaseSensitive(mf, "sha256")->valuestring;
		uint8_t d[32];
		char *nfc = path_nfc(path); /* manifest paths are compared in NFC */
		const struct manifest_line *l = nfc ? manifest_find(&m, nfc) : NULL;
		struct dossier_file_info key = { .path = nfc };
		struct dossier_file_info *f = nfc && r->nfiles ? bsearch(&key, r->files, r->nfiles,
		    sizeof key, by_file_path) : NULL;
		free(nfc);
		if (f != NULL) {
			f->role = report_str(r, cJSON_GetObjectItemCaseSensitive(mf, "role")->valuestring);
			f->media_type = report_str(r, cJSON_GetObjectItemCaseSensitive(mf, "media_type")->valuestring);
		}
		if (l == NULL)
			report_add(r, INVALID, "dossier-json", "dossier.json",
			    "dossier.json: describes '%s', which manifest-sha256.txt does not list", path);
		else if (hex_decode_digest(sha, d) != 0 || sodium_memcmp(d, l->digest, 32) != 0)
			report_add(r, INVALID, "dossier-json", "dossier.json",
			    "dossier.json: sha256 of '%s' differs from manifest-sha256.txt", path);
	}
	manifest_release(&m);
}

static void check_dossier_json(struct dossier_report *r, const struct dossier_bundle *b)
{
	const struct tag_entry *t = bundle_tag(b, "dossier.json");
	struct dossier_error err;
	if (t == NULL)
		return;
	cJSON *doc = json_parse_strict("dossier.json", t->content.data, t->content.len, &err);
	if (doc != NULL && dossier_json_check("dossier.json", doc, &err) != DOSSIER_OK) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	if (doc == NULL) {
		report_add(r, INVALID, "dossier-json", "dossier.json", "%s", err.message);
		return;
	}
	r->meta = doc;
	report_collect_people(r);
}

/* The top directory's name is signed through VERIFY.txt, a tag file the tag manifest
   covers, whose first line pack has always written as "How to check the bundle NAME
   without dossier": NAME (malloc'd), or NULL when VERIFY.txt is absent or says otherwise
   (or out of memory: *oom set). */
static char *signed_name(const struct dossier_bundle *b, int *oom)
{
	static const char pre[] = "How to check the bundle ", post[] = " without dossier";
	const struct tag_entry *t = bundle_tag(b, "VERIFY.txt");
	if (t == NULL || strncmp(t->content.data, pre, sizeof pre - 1) != 0)
		return NULL;
	const char *name = t->content.data + sizeof pre - 1, *nl = strchr(name, '\n');
	size_t n = nl != NULL ? (size_t)(nl - name) : 0;
	if (n <= sizeof post - 1 || memcmp(name + n - (sizeof post - 1), post, sizeof post - 1) != 0)
		return NULL;
	char *s = strndup(name, n - (sizeof post - 1));
	*oom |= s == NULL;
	return s;
}

/* A renamed top directory would show, and extract under, a name nobody signed (FORMAT.md
   2.3): an archive's must be the signed name, and the report names the bundle by it. A bag
   directory's own name is whatever its owner chose when extracting it, so not compared. */
static void check_top_name(struct dossier_report *r, const struct dossier_bundle *b)
{
	char *name = signed_name(b, &r->oom), *shown;
	if (name == NULL || bag_path_problem(name) != NULL || strchr(name, '/') != NULL) {
		free(name); /* no signed name, or none extract could use: the archive's stands */
		return;
	}
	if (!b->is_dir && b->name != NULL && strcmp(name, b->name) != 0)
		report_add(r, INVALID, "top-renamed", "VERIFY.txt",
		    "'%s': the top directory was renamed; the bundle is signed as '%s' (VERIFY.txt)", b->name, name);
	if ((shown = utf8_sanitize(name)) == NULL) {
		r->oom = 1;
	} else {
		free(r->bundle_name);
		r->bundle_name = shown;
	}
	free(name);
}

/* What the report was made from: the file's name, size and digest, and the signed
   object's digest, which stays the same in every copy however it is packed. */
static void identify_file(struct dossier_report *r, const struct dossier_bundle *b)
{
	struct dossier_bundle_file *f = &r->file;
	const char *src = b->source ? b->source : "";
	const char *slash = strrchr(src, '/');
	/* a directory by its own name, also when given as "." */
	f->name = report_str(r, b->is_dir && b->name ? b->name : slash && slash[1] ? slash + 1 : src);
	f->kind = b->is_dir ? "directory" : strcmp(src, "-") == 0 ? "stdin" : "file";
	if (b->file.hashed) {
		f->size = b->file.size;
		hex_encode(b->file.sha256, 32, f->sha256);
	}
	const struct tag_entry *t = bundle_tag(b, "tagmanifest-sha256.txt");
	if (t != NULL)
		hex_encode(t->digest, 32, f->tagmanifest_sha256);
}

static void check_fetch(struct dossier_report *r, const struct dossier_bundle *b)
{
	if (bundle_tag(b, "fetch.txt") != NULL)
		report_add(r, INVALID, "fetch-txt", "fetch.txt", "fetch.txt: bundles must be complete offline; fetch.txt is refused");
}

enum dossier_status dossier_bundle_verify(const struct dossier_bundle *b,
    const struct dossier_trust *trust, struct dossier_report **out, struct dossier_error *err)
{
	const struct dossier_verify_options opt = { .trust = trust, .at = (int64_t)time(NULL) };
	return dossier_bundle_verify_with(b, &opt, out, err);
}

enum dossier_status dossier_bundle_verify_with(const struct dossier_bundle *b,
    const struct dossier_verify_options *opt, struct dossier_report **out, struct dossier_error *err)
{
	struct dossier_report *r = calloc(1, sizeof *r);
	const struct dossier_trust *trust = opt->trust;
	*out = NULL;
	if (r == NULL || (r->bundle_name = utf8_sanitize(b->name ? b->name : "")) == NULL) {
		free(r);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	identify_file(r, b);
	r->at = opt->at;
	for (size_t i = 0; i < b->nproblems; i++)
		report_add(r, b->problems[i].kind, b->problems[i].code, b->problems[i].entry, "%s",
		    b->problems[i].message);
	for (size_t i = 0; i < sizeof required_tags / sizeof *required_tags; i++)
		if (bundle_tag(b, required_tags[i]) == NULL)
			report_add(r, INVALID, "tag-missing", required_tags[i], "%s: missing from the bundle",
			    required_tags[i]);
	const struct tag_entry *t;
	if ((t = bundle_tag(b, "bagit.txt")) != NULL)
		check_bagit_txt(r, t);
	check_dossier_json(r, b);
	check_tags(r, b);
	check_payload(r, b);
	/* after the payload: withheld files count in the Oxum */
	if ((t = bundle_tag(b, "bag-info.txt")) != NULL)
		check_oxum(r, t, b);
	check_snapshots(r, b);
	check_timestamps(r, b, trust);
	check_signatures(r, b, trust);
	check_history(r, b, trust);
	check_fetch(r, b);
	check_top_name(r, b);
	/* the policy may have turned findings into notices: the verdict is the worst left */
	r->verdict = report_worst(r);
	if (r->oom) {
		dossier_report_free(r);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	*out = r;
	return DOSSIER_OK;
}
