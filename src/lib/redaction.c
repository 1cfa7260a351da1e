/* redaction.c - salted redactable files, redactions.json, and how verify accounts for withheld files. */
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redaction.h"
#include "schema.h"

#define INVALID DOSSIER_FINDING_INVALID

void salt_line_make(char out[SALT_LINE + 1])
{
	uint8_t salt[32];
	randombytes_buf(salt, sizeof salt);
	hex_encode(salt, sizeof salt, out);
	out[SALT_LINE - 1] = '\n';
	out[SALT_LINE] = '\0';
	sodium_memzero(salt, sizeof salt);
}

/* Mirrors manifests/schema/redactions.schema.json. */
static const struct field schema_withheld[] = {
	{ "path", F_LINE, 1, check_data_path, NULL, 0 },
	{ "sha256", F_LINE, 1, check_sha256, NULL, 0 },
	{ "size", F_INT, 1, NULL, NULL, 0 },
	{ "reason", F_LINE, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
static const struct field schema_redactions[] = {
	{ "dossier_redactions", F_INT, 1, NULL, NULL, 1 },
	{ "withheld", F_ARRAY, 1, NULL, schema_withheld, 1 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

void redactions_release(struct redactions *x)
{
	for (size_t i = 0; i < x->count; i++) {
		free(x->items[i].path);
		free(x->items[i].reason);
	}
	free(x->items);
	memset(x, 0, sizeof *x);
}

static int by_redaction_path(const void *a, const void *b)
{
	return strcmp(((const struct redaction *)a)->path, ((const struct redaction *)b)->path);
}

const struct redaction *redactions_find(const struct redactions *x, const char *path)
{
	struct redaction key = { .path = (char *)path };
	return x->count ? bsearch(&key, x->items, x->count, sizeof key, by_redaction_path) : NULL;
}

int redactions_add(struct redactions *x, const char *path, const uint8_t digest[32], uint64_t size,
    const char *reason)
{
	struct redaction *n = array_grow(x->items, x->count, &x->cap, sizeof *n);
	if (n == NULL)
		return -1;
	x->items = n;
	struct redaction *d = &x->items[x->count];
	d->path = strdup(path);
	d->reason = strdup(reason ? reason : "");
	memcpy(d->digest, digest, 32);
	d->size = size;
	if (d->path == NULL || d->reason == NULL) {
		free(d->path);
		free(d->reason);
		return -1;
	}
	x->count++;
	return 0;
}

int redactions_sort(struct redactions *x)
{
	if (x->count > 1)
		qsort(x->items, x->count, sizeof *x->items, by_redaction_path);
	for (size_t i = 1; i < x->count; i++)
		if (strcmp(x->items[i - 1].path, x->items[i].path) == 0)
			return -1;
	return 0;
}

enum dossier_status redactions_parse(const char *name, const char *text, size_t len,
    struct redactions *out, struct dossier_error *err)
{
	struct redactions x = { 0 };
	cJSON *doc = schema_parse(name, text, len, schema_redactions, "dossier_redactions", err);
	if (doc == NULL)
		return err->code;
	enum dossier_status st = DOSSIER_OK;
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "withheld");
	for (const cJSON *e = w->child; e != NULL && st == DOSSIER_OK; e = e->next) {
		const char *path = cJSON_GetObjectItemCaseSensitive(e, "path")->valuestring;
		const cJSON *reason = cJSON_GetObjectItemCaseSensitive(e, "reason");
		uint8_t d[32];
		char *nfc = path_nfc(path);
		hex_decode_digest(cJSON_GetObjectItemCaseSensitive(e, "sha256")->valuestring, d);
		if (nfc == NULL || strcmp(nfc, path) != 0)
			st = dossier_fail(err, DOSSIER_INVALID, "%s: path '%s' is not in NFC, as bag paths are", name, path);
		else if (redactions_add(&x, path, d, (uint64_t)cJSON_GetObjectItemCaseSensitive(e, "size")->valuedouble,
		             reason ? reason->valuestring : "") != 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		free(nfc);
	}
	cJSON_Delete(doc);
	/* sorted once at the end: a hostile list may hold thousands of entries */
	if (st == DOSSIER_OK && redactions_sort(&x) != 0)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: a path is listed twice", name);
	if (st != DOSSIER_OK) {
		redactions_release(&x);
		return st;
	}
	*out = x;
	return DOSSIER_OK;
}

char *redactions_render(const struct redactions *x)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *arr = doc ? cJSON_AddArrayToObject(doc, "withheld") : NULL;
	char *text = NULL;
	if (arr == NULL || cJSON_AddNumberToObject(doc, "dossier_redactions", 1) == NULL)
		goto out;
	/* the version first, as in every other versioned file */
	cJSON_DetachItemViaPointer(doc, arr);
	cJSON_AddItemToObject(doc, "withheld", arr);
	for (size_t i = 0; i < x->count; i++) {
		char hex[65];
		cJSON *o = cJSON_CreateObject();
		hex_encode(x->items[i].digest, 32, hex);
		if (o == NULL)
			goto out;
		cJSON_AddItemToArray(arr, o);
		if (cJSON_AddStringToObject(o, "path", x->items[i].path) == NULL ||
		    cJSON_AddStringToObject(o, "sha256", hex) == NULL ||
		    cJSON_AddNumberToObject(o, "size", (double)x->items[i].size) == NULL ||
		    cJSON_AddStringToObject(o, "reason", x->items[i].reason) == NULL)
			goto out;
	}
	text = json_render(doc);
out:
	cJSON_Delete(doc);
	return text;
}

const cJSON *meta_file(const cJSON *meta, const char *path)
{
	const cJSON *files = meta ? cJSON_GetObjectItemCaseSensitive(meta, "files") : NULL;
	/* compared as written: pack writes paths in NFC, and a path in another form only
	   makes its file not redactable */
	for (const cJSON *f = files ? files->child : NULL; f != NULL; f = f->next)
		if (strcmp(cJSON_GetObjectItemCaseSensitive(f, "path")->valuestring, path) == 0)
			return f;
	return NULL;
}

int meta_file_redactable(const cJSON *meta, const char *path, uint64_t *size)
{
	const cJSON *f = meta_file(meta, path);
	if (f == NULL || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "redactable")))
		return 0;
	*size = (uint64_t)cJSON_GetObjectItemCaseSensitive(f, "size")->valuedouble;
	return 1;
}

/* One entry of redactions.json: it must name a file that was in the signed manifest,
   with the signed digest and size, marked redactable, and absent from this copy. */
static int redaction_holds(struct dossier_report *r, const struct manifest *m, const struct redaction *d)
{
	const struct manifest_line *l = manifest_find(m, d->path);
	uint64_t size = 0;
	/* a file in the copy was marked seen by check_payload */
	if (l != NULL && l->seen) {
		report_add(r, INVALID, "redaction-present", d->path,
		    "%s: redactions.json says it is withheld, but it is in this copy", d->path);
		return 0;
	}
	if (l == NULL) {
		report_add(r, INVALID, "redaction-mismatch", d->path,
		    "%s: redactions.json withholds a file manifest-sha256.txt does not list", d->path);
		return 0;
	}
	if (sodium_memcmp(l->digest, d->digest, 32) != 0) {
		char want[65], got[65];
		hex_encode(l->digest, 32, want);
		hex_encode(d->digest, 32, got);
		report_add(r, INVALID, "redaction-mismatch", d->path,
		    "%s: redactions.json gives sha256 %.12s…, manifest-sha256.txt %.12s…", d->path, got, want);
		return 0;
	}
	if (!meta_file_redactable(r->meta, d->path, &size)) {
		report_add(r, INVALID, "redaction-not-redactable", d->path,
		    "%s: withheld, but dossier.json does not mark it redactable", d->path);
		return 0;
	}
	if (size != d->size) {
		report_add(r, INVALID, "redaction-mismatch", d->path,
		    "%s: redactions.json gives %llu bytes, dossier.json %llu", d->path, (unsigned long long)d->size,
		    (unsigned long long)size);
		return 0;
	}
	return 1;
}

void check_redactions(struct dossier_report *r, const struct dossier_bundle *b, struct manifest *m)
{
	const struct tag_entry *t = bundle_tag(b, "redactions.json");
	struct redactions x = { 0 };
	struct dossier_error err;
	if (t == NULL || r->history)
		return;
	if (redactions_parse("redactions.json", t->content.data, t->content.len, &x, &err) != DOSSIER_OK) {
		report_add(r, INVALID, "redaction-malformed", "redactions.json", "%s", err.message);
		return;
	}
	r->withheld = calloc(x.count ? x.count : 1, sizeof *r->withheld);
	if (r->withheld == NULL) {
		r->oom = 1;
		redactions_release(&x);
		return;
	}
	for (size_t i = 0; i < x.count; i++) {
		const struct redaction *d = &x.items[i];
		if (!redaction_holds(r, m, d))
			continue;
		manifest_find(m, d->path)->seen = 1; /* accounted for: not payload-missing */
		struct dossier_withheld_info *w = &r->withheld[r->nwithheld++];
		w->path = report_str(r, d->path);
		hex_encode(d->digest, 32, w->sha256);
		w->size = d->size;
		w->reason = report_str(r, d->reason);
		w->disclosed = NULL;
		r->withheld_octets += d->size;
	}
	redactions_release(&x);
}

/* The base name, to tell which withheld file a disclosed one claims to be. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

enum dossier_status dossier_report_disclose(struct dossier_report *r, const char *file,
    const char **matched, struct dossier_error *err)
{
	struct sha256 h;
	uint8_t digest[32];
	char hex[65], buf[1 << 16];
	ssize_t n;
	*matched = NULL;
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", file);
	if (sha256_init(&h) != 0) {
		close(fd);
		return dossier_fail(err, DOSSIER_SOFTWARE, "sha256: cannot initialise");
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sha256_update(&h, buf, (size_t)n);
	sha256_final(&h, digest);
	sha256_release(&h);
	close(fd);
	if (n < 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", file);
	hex_encode(digest, 32, hex);
	struct dossier_withheld_info *named = NULL;
	for (size_t i = 0; i < r->nwithheld; i++) {
		struct dossier_withheld_info *w = &r->withheld[i];
		if (sodium_memcmp(hex, w->sha256, 64) == 0) {
			w->disclosed = "matched";
			*matched = w->path;
			return DOSSIER_OK;
		}
		if (strcmp(base_name(w->path), base_name(file)) == 0)
			named = w;
	}
	if (named != NULL) {
		if (named->disclosed == NULL)
			named->disclosed = "differs";
		report_add(r, INVALID, "disclosed-mismatch", named->path, "%s: does not match withheld %s", file,
		    named->path);
	} else {
		report_add(r, INVALID, "disclosed-mismatch", "", "%s: does not match any withheld file", file);
	}
	return DOSSIER_OK;
}

size_t dossier_report_withheld(const struct dossier_report *r, const struct dossier_withheld_info **out)
{
	*out = r->withheld;
	return r->nwithheld;
}
