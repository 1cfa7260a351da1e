/* aside.c - a second reader of an uncompressed tar that hashes every other large file. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* SHA-256 is sequential within a file, and a tar is read in order: one reader can keep
   only one core hashing. A second reader of the same open file, with its own offset
   (pread) and its own libarchive handle, walks the same headers and hashes the large
   files the main reader leaves to it; the main reader skips their data, and collects
   their digests at the end. Both decide who hashes what by the same rule over the same
   headers, so no file is hashed twice and none is left out. Only the digests cross
   over: every check on an entry is still made by the main reader. */

#define BLOCK (128u << 10)

struct result {
	uint64_t ordinal;
	uint64_t size;
	uint8_t digest[32];
};

struct aside {
	int fd;             /* borrowed from the main reader */
	uint64_t file_size;
	const char *name;   /* for messages */
	pthread_t thread;
	int started;
	atomic_int stop;    /* the main reader is done (or failed): stop early */
	struct split mine;  /* the main reader's side of the rule, see aside_takes */
	/* written by the thread, read by the main reader only after joining it */
	struct result *results;
	size_t nresults, cap;
	enum dossier_status status;
	struct dossier_error err;
	/* the thread's read position and buffer */
	uint64_t pos;
	char *block;
};

int aside_takes(struct split *s, struct archive *a, struct archive_entry *ae, uint64_t file_size)
{
	la_int64_t offset = archive_filter_bytes(a, 0);
	la_int64_t size = archive_entry_size(ae);
	/* Large, plain, contiguous files that the file holds whole: what a skip can jump
	   over and the other reader can read by itself, with no short read to explain. */
	if (archive_entry_filetype(ae) != AE_IFREG || archive_entry_hardlink(ae) != NULL ||
	    !archive_entry_size_is_set(ae) || size < (la_int64_t)ASIDE_MIN ||
	    archive_entry_sparse_count(ae) != 0 || offset < 0 ||
	    (uint64_t)offset + (uint64_t)size > file_size)
		return 0;
	/* Whoever has less to hash so far takes it: the bytes split evenly. */
	if (s->theirs < s->ours) {
		s->theirs += (uint64_t)size;
		return 1;
	}
	s->ours += (uint64_t)size;
	return 0;
}

static la_ssize_t on_read(struct archive *a, void *data, const void **out)
{
	struct aside *s = data;
	(void)a;
	for (;;) {
		ssize_t n = pread(s->fd, s->block, BLOCK, (off_t)s->pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			s->pos += (uint64_t)n;
		*out = s->block;
		return n;
	}
}

static la_int64_t on_skip(struct archive *a, void *data, la_int64_t request)
{
	struct aside *s = data;
	(void)a;
	s->pos += (uint64_t)request;
	return request;
}

static int add_result(struct aside *s, uint64_t ordinal, uint64_t size, const uint8_t digest[32])
{
	struct result *r = array_grow(s->results, s->nresults, &s->cap, sizeof *r);
	if (r == NULL)
		return -1;
	s->results = r;
	r = &s->results[s->nresults++];
	r->ordinal = ordinal;
	r->size = size;
	memcpy(r->digest, digest, 32);
	return 0;
}

/* Hashes the current entry's data as libarchive hands it out, without a copy. */
static enum dossier_status hash_data(struct aside *s, struct archive *a, uint64_t ordinal)
{
	struct sha256 h;
	uint64_t size = 0;
	uint8_t digest[32];
	if (sha256_init(&h) != 0)
		return dossier_fail(&s->err, DOSSIER_SOFTWARE, "out of memory");
	for (;;) {
		const void *p;
		size_t len;
		la_int64_t at;
		int rc = archive_read_data_block(a, &p, &len, &at);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK || atomic_load(&s->stop)) {
			const char *msg = archive_error_string(a);
			sha256_release(&h);
			return dossier_fail(&s->err, DOSSIER_INVALID, "%s: %s", s->name, msg ? msg : "damaged archive");
		}
		sha256_update(&h, p, len);
		size += len;
	}
	sha256_final(&h, digest);
	sha256_release(&h);
	if (add_result(s, ordinal, size, digest) != 0)
		return dossier_fail(&s->err, DOSSIER_SOFTWARE, "out of memory");
	return DOSSIER_OK;
}

static void *run(void *arg)
{
	struct aside *s = arg;
	struct archive *a = archive_read_new();
	struct split split = { 0 };
	uint64_t ordinal = 0;
	enum dossier_status st = DOSSIER_OK;
	if (a == NULL || archive_in_setup(a) != 0) {
		st = dossier_fail(&s->err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	archive_read_set_callback_data(a, s);
	archive_read_set_read_callback(a, on_read);
	archive_read_set_skip_callback(a, on_skip);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		st = dossier_fail(&s->err, DOSSIER_INVALID, "%s: not a bundle archive", s->name);
		goto out;
	}
	while (st == DOSSIER_OK && !atomic_load(&s->stop)) {
		struct archive_entry *ae;
		int rc = archive_read_next_header(a, &ae);
		if (rc != ARCHIVE_OK)
			break; /* the end, or damage the main reader reports in its own words */
		ordinal++;
		if (aside_takes(&split, a, ae, s->file_size))
			st = hash_data(s, a, ordinal);
	}
out:
	s->status = st;
	archive_read_free(a);
	return NULL;
}

enum dossier_status aside_start(struct aside **out, int fd, uint64_t file_size, const char *name,
    struct dossier_error *err)
{
	struct aside *s = calloc(1, sizeof *s);
	*out = NULL;
	if (s == NULL || (s->block = malloc(BLOCK)) == NULL) {
		free(s);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	s->fd = fd;
	s->file_size = file_size;
	s->name = name;
	atomic_init(&s->stop, 0);
	if (pthread_create(&s->thread, NULL, run, s) != 0) {
		free(s->block);
		free(s);
		return dossier_fail(err, DOSSIER_SOFTWARE, "cannot start a thread");
	}
	s->started = 1;
	*out = s;
	return DOSSIER_OK;
}

struct split *aside_split(struct aside *s)
{
	return &s->mine;
}

static void join(struct aside *s)
{
	if (s->started) {
		pthread_join(s->thread, NULL);
		s->started = 0;
	}
}

enum dossier_status aside_finish(struct aside *s, struct dossier_error *err)
{
	join(s);
	if (s->status != DOSSIER_OK) {
		*err = s->err;
		return s->status;
	}
	return DOSSIER_OK;
}

enum dossier_status aside_digest(const struct aside *s, uint64_t ordinal, uint64_t size,
    uint8_t digest[32], struct dossier_error *err)
{
	/* results are in ordinal order: a binary search */
	size_t lo = 0, hi = s->nresults;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->results[mid].ordinal < ordinal)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->nresults || s->results[lo].ordinal != ordinal || s->results[lo].size != size)
		return dossier_fail(err, DOSSIER_IOERR, "%s: changed while being read", s->name);
	memcpy(digest, s->results[lo].digest, 32);
	return DOSSIER_OK;
}

void aside_free(struct aside *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stop, 1);
	join(s);
	free(s->results);
	free(s->block);
	free(s);
}
