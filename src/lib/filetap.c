/* filetap.c - the bundle file's own SHA-256, from the bytes libarchive reads anyway. */
#include <archive.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* A receiver files the report beside the file received (an e-mail attachment), so the
   report names that file's SHA-256. Reading the file a second time for it would double
   verify's reads; instead libarchive reads through these callbacks, each block going to
   a hashing thread on its way in. Nothing is skipped: a forward seek (libarchive's way
   to skip data when there is no skip callback) is read through, so every byte is hashed
   in order. A zip is read by its central directory, which means seeking back and forth:
   then the tap hashes the file in a pass of its own. */

struct filetap {
	int fd;            /* borrowed */
	struct hasher *hs;
	uint64_t bytes;    /* read through the tap, in order */
	int seeked;        /* the reading was not in order: hash in a pass of its own */
};

/* Reads the next block into the hasher's buffer and hands it over: bytes, 0 at the
   end, -1 (errno set) on a failed read. */
static ssize_t next_block(struct filetap *t, const void **out, size_t max)
{
	char *buf = hasher_buffer(t->hs);
	for (;;) {
		ssize_t n = read(t->fd, buf, max);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0) {
			hasher_push(t->hs, (size_t)n);
			t->bytes += (uint64_t)n;
		}
		*out = buf;
		return n;
	}
}

static la_ssize_t tap_read(struct archive *a, void *data, const void **out)
{
	ssize_t n = next_block(data, out, HASHER_CHUNK);
	if (n < 0)
		archive_set_error(a, errno, "read error");
	return n;
}

static la_int64_t tap_seek(struct archive *a, void *data, la_int64_t offset, int whence)
{
	struct filetap *t = data;
	const void *p;
	/* libarchive skips forward by seeking when it can: read through instead, so that
	   the bytes skipped are hashed in their place */
	if (whence == SEEK_CUR && offset >= 0 && !t->seeked) {
		uint64_t end = t->bytes + (uint64_t)offset;
		while (t->bytes < end) {
			ssize_t n = next_block(t, &p, (size_t)(end - t->bytes < HASHER_CHUNK ? end - t->bytes
			                                                                : HASHER_CHUNK));
			if (n < 0) {
				archive_set_error(a, errno, "read error");
				return ARCHIVE_FATAL;
			}
			if (n == 0)
				break; /* past the end, as a seek would go: the next read finds nothing */
		}
		return (la_int64_t)end;
	}
	t->seeked = 1;
	off_t at = lseek(t->fd, (off_t)offset, whence);
	return at < 0 ? ARCHIVE_FATAL : (la_int64_t)at;
}

int filetap_open(struct filetap **out, struct archive *a, int fd)
{
	struct stat sb;
	struct filetap *t = calloc(1, sizeof *t);
	*out = NULL;
	if (t == NULL || hasher_new(&t->hs) != 0 || hasher_begin(t->hs) != 0) {
		filetap_free(t);
		return -1;
	}
	t->fd = fd;
	*out = t;
	archive_read_set_callback_data(a, t);
	archive_read_set_read_callback(a, tap_read);
	/* a pipe cannot seek: there the zip reader fails as it would on an fd */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		archive_read_set_seek_callback(a, tap_seek);
	return 0;
}

/* The whole file hashed by itself, from its start. */
static enum dossier_status hash_whole(struct filetap *t, const char *name, uint8_t digest[32],
    struct dossier_error *err)
{
	hasher_end(t->hs, NULL);
	if (hasher_begin(t->hs) != 0)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	t->bytes = 0;
	for (;;) {
		char *buf = hasher_buffer(t->hs);
		ssize_t n = pread(t->fd, buf, HASHER_CHUNK, (off_t)t->bytes);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
		if (n == 0)
			break;
		hasher_push(t->hs, (size_t)n);
		t->bytes += (uint64_t)n;
	}
	hasher_end(t->hs, digest);
	return DOSSIER_OK;
}

enum dossier_status filetap_finish(struct filetap *t, const char *name, struct file_digest *out,
    struct dossier_error *err)
{
	const void *p;
	ssize_t n;
	if (t->seeked) {
		enum dossier_status st = hash_whole(t, name, out->sha256, err);
		if (st != DOSSIER_OK)
			return st;
	} else {
		/* libarchive may stop short of the end (padding after the last block): the
		   rest is part of the file all the same */
		while ((n = next_block(t, &p, HASHER_CHUNK)) > 0)
			;
		if (n < 0)
			return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
		hasher_end(t->hs, out->sha256);
	}
	out->size = t->bytes;
	out->hashed = 1;
	return DOSSIER_OK;
}

void filetap_free(struct filetap *t)
{
	if (t == NULL)
		return;
	hasher_free(t->hs);
	free(t);
}
