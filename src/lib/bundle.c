/* bundle.c - reading a bundle once into memory: payload digests, tag file contents, problems. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "strset.h"
#include "warc.h"

#define READ_CHUNK (1u << 20)

struct reading {
	struct dossier_bundle *b;
	size_t tag_bytes; /* held in memory so far */
	struct strset seen; /* case-folded path -> path as stored */
	char *chunk;
	struct hasher *hs; /* made at the first large payload file */
};

int bundle_problem(struct dossier_bundle *b, enum dossier_finding_kind kind, const char *code,
    const char *entry, const char *fmt, ...)
{
	if (b->nproblems == b->capproblems) {
		size_t cap = b->capproblems ? b->capproblems * 2 : 16;
		struct problem *p = realloc(b->problems, cap * sizeof *p);
		if (p == NULL)
			return -1;
		b->problems = p;
		b->capproblems = cap;
	}
	struct buf msg = { 0 };
	va_list ap;
	va_start(ap, fmt);
	char tmp[1024];
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (buf_append(&msg, tmp, strlen(tmp)) != 0)
		return -1;
	struct problem *p = &b->problems[b->nproblems];
	p->kind = kind;
	p->code = code;
	p->entry = strdup(entry ? entry : "");
	p->message = msg.data;
	if (p->entry == NULL) {
		buf_release(&msg);
		return -1;
	}
	b->nproblems++;
	return 0;
}

/* A name for a one-line message: a hostile name may be kilobytes long, and the
   reason after it must still show. Long names keep their start and end. */
static const char *short_name(const char *name, char buf[160])
{
	size_t n = strlen(name);
	if (n < 160)
		return name;
	snprintf(buf, 160, "%.100s...%s", name, name + n - 50);
	return buf;
}

static int is_manifest_name(const char *path)
{
	return strcmp(path, "manifest-sha256.txt") == 0 || strcmp(path, "tagmanifest-sha256.txt") == 0;
}

static enum dossier_status oom(struct dossier_error *err)
{
	return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
}

static enum dossier_status skip_data(struct bag_reader *r, char *chunk,
    struct dossier_error *err)
{
	ssize_t n;
	while ((n = entry_read(r, chunk, READ_CHUNK, err)) > 0)
		;
	return n < 0 ? err->code : DOSSIER_OK;
}

/* Hashes an entry's data, handing each chunk to the sink as well: the bytes hashed are
   the bytes extracted. A large entry is hashed on a second thread while this one reads.
   A WARC file (warc non-NULL) is read record by record from the same chunks. */
static enum dossier_status hash_data(struct reading *rd, struct bag_reader *r,
    const struct entry *e, uint8_t digest[32], uint64_t *size, struct warc_scan *warc,
    struct dossier_error *err)
{
	struct dossier_bundle *b = rd->b;
	struct hash_stream hs;
	enum dossier_status st = DOSSIER_OK;
	ssize_t n;
	size_t len;
	*size = 0;
	if (hash_stream_begin(&hs, &rd->hs, e->size, rd->chunk, READ_CHUNK) != 0)
		return oom(err);
	for (;;) {
		char *chunk = hash_stream_buffer(&hs, &len);
		if ((n = entry_read(r, chunk, len, err)) <= 0)
			break;
		hash_stream_push(&hs, chunk, (size_t)n);
		if (warc != NULL)
			warc_scan_update(warc, chunk, (size_t)n);
		*size += (uint64_t)n;
		if (b->sink != NULL && (st = b->sink(b->sink_ctx, e, chunk, (size_t)n, 0, err)) != DOSSIER_OK)
			break;
	}
	if (st == DOSSIER_OK && n < 0)
		st = err->code;
	hash_stream_end(&hs, st == DOSSIER_OK ? digest : NULL);
	return st;
}

static enum dossier_status read_payload(struct reading *rd, struct bag_reader *r,
    const struct entry *e, struct dossier_error *err)
{
	struct dossier_bundle *b = rd->b;
	if (b->npayload == b->cappayload) {
		size_t cap = b->cappayload ? b->cappayload * 2 : 64;
		struct payload_entry *p = realloc(b->payload, cap * sizeof *p);
		if (p == NULL)
			return oom(err);
		b->payload = p;
		b->cappayload = cap;
	}
	struct payload_entry *p = &b->payload[b->npayload];
	enum dossier_status st = DOSSIER_OK;
	/* A WARC file's records are checked here, from the bytes that are hashed: so the
	   second reader never takes one. */
	int is_warc = warc_name(e->path);
	struct warc_scan scan;
	p->warc = NULL;
	/* With no sink nobody needs the bytes here: the second reader may hash them. */
	int aside = b->sink == NULL && !is_warc ? entry_aside(r, e, &p->ticket, err) : 0;
	if (aside < 0)
		return err->code;
	if (is_warc && warc_scan_begin(&scan, e->path) != 0)
		return oom(err);
	if (aside)
		p->size = e->size; /* checked against what the second reader hashed */
	else
		st = hash_data(rd, r, e, p->digest, &p->size, is_warc ? &scan : NULL, err);
	if (is_warc) {
		p->warc = warc_scan_end(&scan);
		if (p->warc == NULL && st == DOSSIER_OK)
			st = oom(err);
	}
	p->ticket = aside ? p->ticket : 0;
	if (st != DOSSIER_OK) {
		warc_summary_free(p->warc);
		return st;
	}
	if ((p->path = strdup(e->path)) == NULL) {
		warc_summary_free(p->warc);
		return oom(err);
	}
	b->npayload++;
	return b->sink ? b->sink(b->sink_ctx, e, NULL, 0, 1, err) : DOSSIER_OK;
}

static enum dossier_status read_tag(struct reading *rd, struct bag_reader *r,
    const struct entry *e, struct dossier_error *err)
{
	struct dossier_bundle *b = rd->b;
	size_t limit = is_manifest_name(e->path) ? LIMIT_MANIFEST : LIMIT_TAGFILE;
	struct buf content = { 0 };
	ssize_t n;
	if (e->size > limit || rd->tag_bytes + e->size > LIMIT_TAGS_TOTAL) {
		bundle_problem(b, DOSSIER_FINDING_INVALID, "tag-file-too-large", e->path,
		    "%s: tag file larger than %zu bytes, or tag files over %u bytes in all", e->path, limit,
		    LIMIT_TAGS_TOTAL);
		return skip_data(r, rd->chunk, err);
	}
	/* the header's size, when it gives one, is the size (the loop below holds it to
	   the limit if the data says otherwise) */
	if (buf_reserve_exact(&content, (size_t)e->size) != 0 || buf_append(&content, "", 0) != 0)
		return oom(err);
	while ((n = entry_read(r, rd->chunk, READ_CHUNK, err)) > 0) {
		if (content.len + (size_t)n > limit || rd->tag_bytes + content.len + (size_t)n > LIMIT_TAGS_TOTAL) {
			buf_release(&content);
			bundle_problem(b, DOSSIER_FINDING_INVALID, "tag-file-too-large", e->path,
			    "%s: tag file larger than %zu bytes, or tag files over %u bytes in all", e->path, limit,
		    LIMIT_TAGS_TOTAL);
			return skip_data(r, rd->chunk, err);
		}
		if (buf_append(&content, rd->chunk, (size_t)n) != 0) {
			buf_release(&content);
			return oom(err);
		}
	}
	if (n < 0) {
		buf_release(&content);
		return err->code;
	}
	if (b->ntags == b->captags) {
		size_t cap = b->captags ? b->captags * 2 : 16;
		struct tag_entry *t = realloc(b->tags, cap * sizeof *t);
		if (t == NULL) {
			buf_release(&content);
			return oom(err);
		}
		b->tags = t;
		b->captags = cap;
	}
	struct tag_entry *t = &b->tags[b->ntags];
	rd->tag_bytes += content.len;
	t->content = content;
	sha256_buf(content.data, content.len, t->digest);
	if ((t->path = strdup(e->path)) == NULL) {
		buf_release(&content);
		return oom(err);
	}
	b->ntags++;
	if (b->sink != NULL) {
		enum dossier_status st = b->sink(b->sink_ctx, e, content.data, content.len, 0, err);
		if (st == DOSSIER_OK)
			st = b->sink(b->sink_ctx, e, NULL, 0, 1, err);
		return st;
	}
	return DOSSIER_OK;
}

/* Records an entry whose path is valid and in NFC (e->raw: as stored): duplicates,
   collisions, then its data. */
static enum dossier_status accept_entry(struct reading *rd, struct bag_reader *r,
    const struct entry *e, struct dossier_error *err)
{
	struct dossier_bundle *b = rd->b;
	/* names one disk would store as one file (Café/café, NFC/NFD) collide */
	char *folded = path_fold(e->path);
	if (folded == NULL)
		return oom(err);
	const char *prev = strset_get(&rd->seen, folded);
	if (prev != NULL) {
		/* the set holds 'd' or 'f' and then the spelling as stored */
		int same = strcmp(prev + 1, e->raw) == 0;
		int both_dirs = prev[0] == 'd' && e->type == ENTRY_DIR;
		if (!(same && both_dirs)) {
			if (bundle_problem(b, DOSSIER_FINDING_INVALID, same ? "duplicate-entry" : "case-collision",
			        e->path, same ? "%s: entry appears twice in the archive"
			                      : "%s: collides with '%s' on a case-insensitive disk",
			        e->path, prev + 1) != 0)
				goto nomem;
		}
		free(folded);
		return skip_data(r, rd->chunk, err);
	}
	char *value = malloc(strlen(e->raw) + 2);
	if (value == NULL)
		goto nomem;
	value[0] = e->type == ENTRY_DIR ? 'd' : 'f';
	strcpy(value + 1, e->raw);
	int put = strset_put(&rd->seen, folded, value);
	free(value);
	if (put < 0)
		goto nomem;
	free(folded);
	if (e->type == ENTRY_DIR) {
		if (e->size > 0 && bundle_problem(b, DOSSIER_FINDING_INVALID, "entry-type", e->path,
		                       "%s: directory entry carries data", e->path) != 0)
			return oom(err);
		if (b->sink != NULL)
			return b->sink(b->sink_ctx, e, NULL, 0, 1, err);
		return skip_data(r, rd->chunk, err);
	}
	if (strncmp(e->path, "data/", 5) == 0)
		return read_payload(rd, r, e, err);
	return read_tag(rd, r, e, err);
nomem:
	free(folded);
	return oom(err);
}

static enum dossier_status on_entry(void *ctx, struct bag_reader *r, const struct entry *e,
    struct dossier_error *err)
{
	struct reading *rd = ctx;
	struct dossier_bundle *b = rd->b;
	if (e->mtime > b->mtime)
		b->mtime = e->mtime;
	if (strcmp(e->type_name, "outside") == 0) {
		char sn[160];
		if (bundle_problem(b, DOSSIER_FINDING_INVALID, "entry-outside-bag", e->raw,
		        "%s: entry outside the bundle's top directory '%s'", short_name(e->raw, sn), b->name) != 0)
			return oom(err);
		return skip_data(r, rd->chunk, err);
	}
	if (e->path[0] == '\0') {
		if (e->type == ENTRY_DIR)
			return DOSSIER_OK;
		char sn[160];
		if (bundle_problem(b, DOSSIER_FINDING_INVALID, "entry-outside-bag", e->raw,
		        "%s: entry outside the bundle's top directory", short_name(e->raw, sn)) != 0)
			return oom(err);
		return skip_data(r, rd->chunk, err);
	}
	const char *why = bag_path_problem(e->path);
	if (why != NULL) {
		char sn[160];
		if (bundle_problem(b, DOSSIER_FINDING_INVALID, "unsafe-path", e->raw, "%s: %s", short_name(e->raw, sn), why) != 0)
			return oom(err);
		return skip_data(r, rd->chunk, err);
	}
	if (e->type == ENTRY_OTHER) {
		if (bundle_problem(b, DOSSIER_FINDING_INVALID, "entry-type", e->path,
		        "%s: %s entries are not allowed in a bundle", e->path, e->type_name) != 0)
			return oom(err);
		return skip_data(r, rd->chunk, err);
	}
	/* Compared and stored in NFC, the form libarchive hands back for pax and zip names. */
	char *nfc = path_nfc(e->path);
	if (nfc == NULL)
		return oom(err);
	struct entry ne = *e;
	ne.path = nfc;
	ne.raw = e->path; /* the spelling as stored, to tell a collision from a duplicate */
	enum dossier_status st = accept_entry(rd, r, &ne, err);
	free(nfc);
	return st;
}

/* A file that is also the directory of another cannot be extracted: refuse it here,
   under the same folding that finds collisions. */
static enum dossier_status check_path_conflicts(struct dossier_bundle *b, struct dossier_error *err)
{
	struct strset files = { 0 };
	enum dossier_status st = DOSSIER_OK;
	size_t n = b->npayload + b->ntags;
	char **folded = calloc(n ? n : 1, sizeof *folded);
	if (folded == NULL)
		return oom(err);
	for (size_t i = 0; i < n && st == DOSSIER_OK; i++) {
		const char *p = i < b->npayload ? b->payload[i].path : b->tags[i - b->npayload].path;
		if ((folded[i] = path_fold(p)) == NULL || strset_put(&files, folded[i], p) < 0)
			st = oom(err);
	}
	for (size_t i = 0; i < n && st == DOSSIER_OK; i++) {
		const char *p = i < b->npayload ? b->payload[i].path : b->tags[i - b->npayload].path;
		const char *file = path_parent_in(&files, folded[i]);
		if (file != NULL && bundle_problem(b, DOSSIER_FINDING_INVALID, "path-conflict", p,
		                        "%s: '%s' is a file, so it cannot also be its directory", p, file) != 0)
			st = oom(err);
	}
	for (size_t i = 0; i < n; i++)
		free(folded[i]);
	free(folded);
	strset_release(&files);
	return st;
}

static int by_tag_path(const void *a, const void *b)
{
	return strcmp(((const struct tag_entry *)a)->path, ((const struct tag_entry *)b)->path);
}

enum dossier_status bundle_read(const char *path, struct dossier_bundle *b,
    struct dossier_error *err)
{
	struct reading rd = { .b = b };
	struct stat sb;
	struct progress progress;
	struct aside *aside = NULL;
	struct read_options opt = { .limits = &b->limits, .progress = &progress,
		.aside = b->sink == NULL ? &aside : NULL, .file = b->no_file_digest ? NULL : &b->file };
	b->is_dir = strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
	rd.chunk = malloc(READ_CHUNK);
	if (rd.chunk == NULL || (b->source = strdup(path)) == NULL) {
		free(rd.chunk);
		return oom(err);
	}
	progress_init(&progress, b->progress, 0);
	/* The name is known after the first entry; on_entry reads it through b->name. */
	enum dossier_status st = bag_read(path, &opt, on_entry, &rd, &b->name, &b->kind, err);
	for (size_t i = 0; i < b->npayload && st == DOSSIER_OK; i++) {
		struct payload_entry *p = &b->payload[i];
		if (p->ticket != 0)
			st = aside_digest(aside, p->ticket, p->size, p->digest, err);
	}
	aside_free(aside);
	hasher_free(rd.hs);
	free(rd.chunk);
	strset_release(&rd.seen);
	if (st == DOSSIER_OK)
		progress_end(&progress);
	if (st == DOSSIER_OK)
		st = check_path_conflicts(b, err);
	/* Sorted, so that lookups by path are a binary search however many tag files. */
	if (b->ntags > 1)
		qsort(b->tags, b->ntags, sizeof *b->tags, by_tag_path);
	/* The top directory becomes a directory name on extract: it must be one safe component. */
	if (st == DOSSIER_OK && b->name != NULL &&
	    (bag_path_problem(b->name) != NULL || strchr(b->name, '/') != NULL) &&
	    bundle_problem(b, DOSSIER_FINDING_INVALID, "unsafe-path", b->name,
	        "'%s': not a safe name for the bundle's top directory", b->name) != 0)
		st = oom(err);
	return st;
}

void bundle_release(struct dossier_bundle *b)
{
	for (size_t i = 0; i < b->npayload; i++) {
		free(b->payload[i].path);
		warc_summary_free(b->payload[i].warc);
	}
	for (size_t i = 0; i < b->ntags; i++) {
		free(b->tags[i].path);
		buf_release(&b->tags[i].content);
	}
	for (size_t i = 0; i < b->nproblems; i++) {
		free(b->problems[i].entry);
		free(b->problems[i].message);
	}
	free(b->payload);
	free(b->tags);
	free(b->problems);
	free(b->name);
	free(b->source);
	memset(b, 0, sizeof *b);
}

const struct tag_entry *bundle_tag(const struct dossier_bundle *b, const char *path)
{
	struct tag_entry key = { .path = (char *)path };
	if (b->ntags == 0)
		return NULL;
	return bsearch(&key, b->tags, b->ntags, sizeof key, by_tag_path);
}

enum dossier_status dossier_bundle_open(const char *path, struct dossier_bundle **out,
    struct dossier_error *err)
{
	return dossier_bundle_open_limited(path, NULL, out, err);
}

enum dossier_status dossier_bundle_open_limited(const char *path,
    const struct dossier_limits *limits, struct dossier_bundle **out, struct dossier_error *err)
{
	return dossier_bundle_open_progress(path, limits, NULL, out, err);
}

static enum dossier_status open_bundle(const char *path, const struct dossier_limits *limits,
    const struct dossier_progress *progress, int file_digest, struct dossier_bundle **out,
    struct dossier_error *err)
{
	struct dossier_bundle *b = calloc(1, sizeof *b);
	*out = NULL;
	if (b == NULL)
		return oom(err);
	if (limits != NULL)
		b->limits = *limits;
	b->progress = progress;
	b->no_file_digest = !file_digest;
	enum dossier_status st = bundle_read(path, b, err);
	if (st != DOSSIER_OK) {
		bundle_release(b);
		free(b);
		return st;
	}
	*out = b;
	return DOSSIER_OK;
}

enum dossier_status dossier_bundle_open_progress(const char *path,
    const struct dossier_limits *limits, const struct dossier_progress *progress,
    struct dossier_bundle **out, struct dossier_error *err)
{
	return open_bundle(path, limits, progress, 1, out, err);
}

enum dossier_status bundle_open_undigested(const char *path, struct dossier_bundle **out,
    struct dossier_error *err)
{
	return open_bundle(path, NULL, NULL, 0, out, err);
}

void dossier_bundle_free(struct dossier_bundle *b)
{
	if (b == NULL)
		return;
	bundle_release(b);
	free(b);
}

const char *dossier_bundle_name(const struct dossier_bundle *b)
{
	return b->name;
}

const char *dossier_bundle_tagmanifest(const struct dossier_bundle *b, size_t *len)
{
	const struct tag_entry *t = bundle_tag(b, "tagmanifest-sha256.txt");
	if (t == NULL)
		return NULL;
	*len = t->content.len;
	return t->content.data;
}
