/* archive_out.c - writing a bag as tar (pax), tar.gz, tar.zst or zip with fixed metadata. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "warc.h"
#include "strset.h"

#define COPY_CHUNK (1u << 20)
/* Writeback is started for every this many bytes written, see on_write. */
#define FLUSH_STEP (16u << 20)

struct bag_writer {
	struct archive *a;
	char *top;
	int64_t mtime;
	struct strset dirs; /* directories already written */
	struct buf path;    /* scratch: top + "/" + path */
	char *chunk;
	struct hasher *hs; /* made at the first large input */
	struct progress *progress; /* borrowed, or NULL */
	int fd;
	uint64_t written, flushed; /* bytes of output, and how many of them are on their way to disk */
	const char *current; /* entry being written through bag_writer_data */
	struct warc_scan *warc; /* reads the next bag_writer_add_fd's bytes as WARC, or NULL */
};

enum archive_kind archive_kind_from_name(const char *name)
{
	if (has_suffix(name, ".tar.gz", 0) || has_suffix(name, ".tgz", 0))
		return ARCHIVE_TAR_GZ;
	if (has_suffix(name, ".tar.zst", 0) || has_suffix(name, ".tzst", 0))
		return ARCHIVE_TAR_ZST;
	if (has_suffix(name, ".zip", 0))
		return ARCHIVE_ZIP;
	return ARCHIVE_TAR;
}

static enum dossier_status fail_archive(struct bag_writer *w, const char *what,
    struct dossier_error *err)
{
	const char *msg = archive_error_string(w->a);
	return dossier_fail(err, DOSSIER_IOERR, "%s: %s", what, msg ? msg : "write failed");
}

static int set_format(struct archive *a, enum archive_kind kind)
{
	switch (kind) {
	case ARCHIVE_ZIP:
		/* deflate is reproducible for one zlib; no time-varying extra fields are written
		   because every entry carries the same fixed mtime and uid/gid 0. */
		return archive_write_set_format_zip(a) != ARCHIVE_OK ||
		    archive_write_set_format_option(a, "zip", "compression", "deflate") != ARCHIVE_OK;
	case ARCHIVE_TAR_GZ:
		/* "!timestamp": no wall-clock time in the gzip header, so output is reproducible. */
		return archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
		    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK;
	case ARCHIVE_TAR_ZST:
		return archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
		    archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "zstd", "compression-level", "3") != ARCHIVE_OK;
	case ARCHIVE_TAR:
		return archive_write_set_format_pax_restricted(a) != ARCHIVE_OK;
	}
	return 1;
}

/* archive_write_open_fd's writer, plus early writeback: the output is fsync'd before it
   is renamed into place, and a disk that starts on the first MiB while the rest is
   still being hashed has little left to do by then. On a pipe it is a no-op. */
static la_ssize_t on_write(struct archive *a, void *data, const void *buf, size_t len)
{
	struct bag_writer *w = data;
	ssize_t n;
	while ((n = write(w->fd, buf, len)) < 0 && errno == EINTR)
		;
	if (n < 0) {
		archive_set_error(a, errno, "Write error");
		return -1;
	}
	w->written += (uint64_t)n;
	if (w->written - w->flushed >= FLUSH_STEP) {
		sync_file_range(w->fd, (off_t)w->flushed, (off_t)(w->written - w->flushed), SYNC_FILE_RANGE_WRITE);
		w->flushed = w->written;
	}
	return n;
}

enum dossier_status bag_writer_open(struct bag_writer **out, int fd, enum archive_kind kind,
    const char *top, int64_t mtime, struct dossier_error *err)
{
	struct bag_writer *w = calloc(1, sizeof *w);
	*out = NULL;
	if (w == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	w->a = archive_write_new();
	w->top = strdup(top);
	w->chunk = malloc(COPY_CHUNK);
	w->mtime = mtime;
	w->fd = fd;
	if (w->a == NULL || w->top == NULL || w->chunk == NULL) {
		bag_writer_free(w);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	/* Large blocks: libarchive hands the output to write(2) one block at a time, and its
	   default of 10240 bytes costs a system call per 10 KB. The last block is not padded
	   (bytes_in_last_block 1), so the bytes written are the same whatever the size. */
	if (set_format(w->a, kind) != 0 || archive_write_set_bytes_per_block(w->a, COPY_CHUNK) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, on_write, NULL, NULL) != ARCHIVE_OK) {
		enum dossier_status st = fail_archive(w, "archive", err);
		bag_writer_free(w);
		return st;
	}
	*out = w;
	return DOSSIER_OK;
}

void bag_writer_set_mtime(struct bag_writer *w, int64_t mtime)
{
	w->mtime = mtime;
}

void bag_writer_set_progress(struct bag_writer *w, struct progress *p)
{
	w->progress = p;
}

static enum dossier_status write_header(struct bag_writer *w, const char *path, int is_dir,
    uint64_t size, struct dossier_error *err)
{
	struct archive_entry *e = archive_entry_new();
	if (e == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	/* top + "/" + path (+ "/" for a directory), built without printf: this runs once
	   per entry, 100,000 times for a large directory */
	w->path.len = 0;
	if (buf_append(&w->path, w->top, strlen(w->top)) != 0 ||
	    (*path && (buf_append(&w->path, "/", 1) != 0 || buf_append(&w->path, path, strlen(path)) != 0)) ||
	    buf_append(&w->path, is_dir ? "/" : "", is_dir ? 1 : 0) != 0) {
		archive_entry_free(e);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	/* libarchive converts names through the locale's charset and crashes or mangles
	   non-ASCII ones outside a UTF-8 locale: refuse instead. */
	int ascii = 1;
	for (const char *p = w->path.data; *p; p++)
		ascii &= (unsigned char)*p < 0x80;
	if (!ascii && strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
		archive_entry_free(e);
		return dossier_fail(err, DOSSIER_USAGE,
		    "%s: non-ASCII name needs a UTF-8 locale (e.g. LC_CTYPE=C.UTF-8)", *path ? path : w->top);
	}
	archive_entry_set_pathname_utf8(e, w->path.data);
	/* An ASCII name converts in every charset; any other is converted here once to see
	   that it can be. */
	if (!ascii && archive_entry_pathname(e) == NULL) {
		/* libarchive could not convert the name to the locale's charset */
		archive_entry_free(e);
		return dossier_fail(err, DOSSIER_USAGE,
		    "%s: non-ASCII name needs a UTF-8 locale (e.g. LC_CTYPE=C.UTF-8)", *path ? path : w->top);
	}
	archive_entry_set_filetype(e, is_dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, is_dir ? 0755 : 0644);
	archive_entry_set_size(e, is_dir ? 0 : (la_int64_t)size);
	archive_entry_set_mtime(e, (time_t)w->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	int rc = archive_write_header(w->a, e);
	archive_entry_free(e);
	if (rc != ARCHIVE_OK)
		return fail_archive(w, *path ? path : w->top, err);
	return DOSSIER_OK;
}

/* Writes the directory entries a path needs, once each, parents first. */
static enum dossier_status ensure_dirs(struct bag_writer *w, const char *path,
    struct dossier_error *err)
{
	char dir[LIMIT_PATH_BYTES + 1];
	enum dossier_status st;
	if (strset_get(&w->dirs, "") == NULL) {
		if ((st = write_header(w, "", 1, 0, err)) != DOSSIER_OK)
			return st;
		if (strset_put(&w->dirs, "", "") < 0)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	size_t n = strlen(path);
	if (n > LIMIT_PATH_BYTES)
		return dossier_fail(err, DOSSIER_USAGE, "%s: path too long", path);
	for (size_t i = 0; i < n; i++) {
		if (path[i] != '/')
			continue;
		memcpy(dir, path, i);
		dir[i] = '\0';
		if (strset_get(&w->dirs, dir) != NULL)
			continue;
		if ((st = write_header(w, dir, 1, 0, err)) != DOSSIER_OK)
			return st;
		if (strset_put(&w->dirs, dir, "") < 0)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	return DOSSIER_OK;
}

enum dossier_status bag_writer_begin(struct bag_writer *w, const char *path, uint64_t size,
    struct dossier_error *err)
{
	enum dossier_status st = ensure_dirs(w, path, err);
	if (st == DOSSIER_OK)
		st = write_header(w, path, 0, size, err);
	w->current = path;
	return st;
}

enum dossier_status bag_writer_data(struct bag_writer *w, const void *data, size_t len,
    struct dossier_error *err)
{
	const char *p = data;
	while (len > 0) {
		la_ssize_t n = archive_write_data(w->a, p, len);
		if (n <= 0)
			return fail_archive(w, w->current ? w->current : "archive", err);
		p += n;
		len -= (size_t)n;
	}
	return DOSSIER_OK;
}

enum dossier_status bag_writer_add_mem(struct bag_writer *w, const char *path,
    const void *data, size_t len, struct dossier_error *err)
{
	enum dossier_status st = bag_writer_begin(w, path, len, err);
	if (st == DOSSIER_OK)
		st = bag_writer_data(w, data, len, err);
	return st;
}

enum dossier_status bag_writer_add_bytes(struct bag_writer *w, const char *path,
    const char *prefix, size_t plen, const void *data, size_t len, struct dossier_error *err)
{
	enum dossier_status st = bag_writer_begin(w, path, plen + len, err);
	if (st == DOSSIER_OK && plen > 0)
		st = bag_writer_data(w, prefix, plen, err);
	if (st == DOSSIER_OK)
		st = bag_writer_data(w, data, len, err);
	if (st == DOSSIER_OK)
		progress_add(w->progress, len);
	return st;
}

/* Reads the next chunk of an input into buf[len]: >0 bytes, 0 at its end, <0 (err filled). */
static ssize_t read_input(int fd, char *buf, size_t len, uint64_t done, uint64_t size,
    const char *source, struct dossier_error *err)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			dossier_fail_errno(err, DOSSIER_IOERR, "%s", source);
			return -1;
		}
		if (done + (uint64_t)n > size) {
			dossier_fail(err, DOSSIER_IOERR, "%s: file grew while being packed", source);
			return -1;
		}
		return n;
	}
}

enum dossier_status bag_writer_add_fd(struct bag_writer *w, const char *path, int fd,
    uint64_t size, const char *source, uint8_t digest[32], struct dossier_error *err)
{
	return bag_writer_add_fd_prefixed(w, path, NULL, 0, fd, size, source, digest, err);
}

enum dossier_status bag_writer_add_fd_prefixed(struct bag_writer *w, const char *path,
    const char *prefix, size_t plen, int fd, uint64_t size, const char *source, uint8_t digest[32],
    struct dossier_error *err)
{
	struct hash_stream hs;
	struct warc_scan *warc = w->warc; /* for this input only */
	uint64_t done = 0;
	ssize_t n;
	size_t len;
	w->warc = NULL;
	/* A large input is hashed on the second core while this thread copies it; the
	   chunk written is the very chunk handed to the hasher. */
	if (hash_stream_begin(&hs, &w->hs, plen + size, w->chunk, COPY_CHUNK) != 0)
		return dossier_fail(err, DOSSIER_SOFTWARE, "sha256: cannot initialise");
	enum dossier_status st = bag_writer_begin(w, path, plen + size, err);
	if (st == DOSSIER_OK && plen > 0) {
		/* the prefix is small: it goes through the stream's own buffer like a chunk */
		char *chunk = hash_stream_buffer(&hs, &len);
		memcpy(chunk, prefix, plen);
		hash_stream_push(&hs, chunk, plen);
		st = bag_writer_data(w, chunk, plen, err);
	}
	while (st == DOSSIER_OK) {
		char *chunk = hash_stream_buffer(&hs, &len);
		if ((n = read_input(fd, chunk, len, done, size, source, err)) <= 0) {
			st = n < 0 ? err->code : DOSSIER_OK;
			break;
		}
		hash_stream_push(&hs, chunk, (size_t)n);
		if (warc != NULL)
			warc_scan_update(warc, chunk, (size_t)n);
		st = bag_writer_data(w, chunk, (size_t)n, err);
		done += (uint64_t)n;
		progress_add(w->progress, (uint64_t)n);
	}
	if (st == DOSSIER_OK && done != size)
		st = dossier_fail(err, DOSSIER_IOERR, "%s: file shrank while being packed", source);
	hash_stream_end(&hs, st == DOSSIER_OK ? digest : NULL);
	return st;
}

void bag_writer_set_warc(struct bag_writer *w, struct warc_scan *scan)
{
	w->warc = scan;
}

enum dossier_status bag_writer_close(struct bag_writer *w, struct dossier_error *err)
{
	if (archive_write_close(w->a) != ARCHIVE_OK)
		return fail_archive(w, "archive", err);
	return DOSSIER_OK;
}

void bag_writer_free(struct bag_writer *w)
{
	if (w == NULL)
		return;
	if (w->a != NULL)
		archive_write_free(w->a);
	strset_release(&w->dirs);
	buf_release(&w->path);
	hasher_free(w->hs);
	free(w->chunk);
	free(w->top);
	free(w);
}
