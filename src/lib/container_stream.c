/* container_stream.c - the decompressed bytes of a tar bundle for the layout check: the
   file itself, one gzip member (zlib) or one zstd frame (libzstd), and nothing after it.
   Every byte it yields counts against the bundle's byte limit, zero blocks included. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "container.h"

#define WINDOW (256u << 10) /* decompressed bytes held at a time */
#define INBUF (128u << 10)  /* compressed bytes read at a time */

struct cstream {
	int fd;
	enum archive_kind kind;
	const char *name;
	uint64_t max_bytes;
	uint64_t file_size;
	unsigned char *out;      /* out[pos..len) not yet taken */
	size_t pos, len;
	uint64_t base;           /* stream offset of out[0] */
	int ended;               /* the decompressor is past its last byte */
	unsigned char *in;       /* compressed input not yet consumed: in[in_pos..in_len) */
	size_t in_pos, in_len;
	uint64_t in_off;         /* file offset of the next compressed read */
	z_stream z;
	int z_ready;
	ZSTD_DStream *zd;
};

enum dossier_status cstream_open(struct cstream **out, int fd, enum archive_kind kind,
    const char *name, uint64_t max_bytes, struct dossier_error *err)
{
	struct stat sb;
	struct cstream *s = calloc(1, sizeof *s);
	*out = NULL;
	if (s == NULL || (s->out = malloc(WINDOW)) == NULL ||
	    (kind != ARCHIVE_TAR && (s->in = malloc(INBUF)) == NULL)) {
		cstream_free(s);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	*s = (struct cstream){ .fd = fd, .kind = kind, .name = name, .max_bytes = max_bytes,
		.out = s->out, .in = s->in };
	if (fstat(fd, &sb) != 0) {
		cstream_free(s);
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	}
	s->file_size = (uint64_t)sb.st_size;
	enum dossier_status st = DOSSIER_OK;
	if (kind == ARCHIVE_TAR_GZ) {
		/* 16 + MAX_WBITS: a gzip wrapper and nothing else (no zlib, no raw deflate) */
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		s->z_ready = st == DOSSIER_OK;
	} else if (kind == ARCHIVE_TAR_ZST) {
		if ((s->zd = ZSTD_createDStream()) == NULL || ZSTD_isError(ZSTD_initDStream(s->zd)))
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	} else if (s->file_size > max_bytes) {
		st = fail_over_bytes(err, s->name, s->max_bytes);
	}
	if (st != DOSSIER_OK) {
		cstream_free(s);
		return st;
	}
	*out = s;
	return DOSSIER_OK;
}

/* Refills in[] from the file; 0 bytes at its end. */
static ssize_t read_input(struct cstream *s, struct dossier_error *err)
{
	for (;;) {
		ssize_t n = pread(s->fd, s->in, INBUF, (off_t)s->in_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			dossier_fail_errno(err, DOSSIER_IOERR, "%s", s->name);
			return -1;
		}
		s->in_off += (uint64_t)n;
		s->in_pos = 0;
		s->in_len = (size_t)n;
		return n;
	}
}

/* After the one gzip member or zstd frame: no byte of the file may follow it. */
static enum dossier_status check_nothing_after(struct cstream *s, struct dossier_error *err)
{
	if (s->in_pos == s->in_len && s->in_off == s->file_size)
		return DOSSIER_OK;
	return dossier_fail(err, DOSSIER_INVALID, "%s: %llu bytes follow the compressed stream",
	    s->name, (unsigned long long)(s->file_size - s->in_off + (s->in_len - s->in_pos)));
}

static enum dossier_status inflate_some(struct cstream *s, unsigned char *dst, size_t room,
    size_t *got, struct dossier_error *err)
{
	s->z.next_out = dst;
	s->z.avail_out = (uInt)room;
	while (s->z.avail_out > 0 && !s->ended) {
		if (s->in_pos == s->in_len) {
			ssize_t n = read_input(s, err);
			if (n < 0)
				return err->code;
			if (n == 0)
				return dossier_fail(err, DOSSIER_INVALID, "%s: gzip stream is truncated", s->name);
		}
		s->z.next_in = s->in + s->in_pos;
		s->z.avail_in = (uInt)(s->in_len - s->in_pos);
		int rc = inflate(&s->z, Z_NO_FLUSH);
		s->in_pos = s->in_len - s->z.avail_in;
		if (rc == Z_STREAM_END)
			s->ended = 1; /* the CRC-32 and length of the trailer have been checked */
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			return dossier_fail(err, DOSSIER_INVALID, "%s: gzip stream is damaged (%s)", s->name,
			    s->z.msg ? s->z.msg : "bad data");
	}
	*got = room - s->z.avail_out;
	return s->ended ? check_nothing_after(s, err) : DOSSIER_OK;
}

static enum dossier_status unzstd_some(struct cstream *s, unsigned char *dst, size_t room,
    size_t *got, struct dossier_error *err)
{
	ZSTD_outBuffer ob = { dst, room, 0 };
	while (ob.pos < ob.size && !s->ended) {
		if (s->in_pos == s->in_len) {
			ssize_t n = read_input(s, err);
			if (n < 0)
				return err->code;
			if (n == 0)
				return dossier_fail(err, DOSSIER_INVALID, "%s: zstd stream is truncated", s->name);
		}
		ZSTD_inBuffer ib = { s->in, s->in_len, s->in_pos };
		size_t rc = ZSTD_decompressStream(s->zd, &ob, &ib);
		s->in_pos = ib.pos;
		if (ZSTD_isError(rc))
			return dossier_fail(err, DOSSIER_INVALID, "%s: zstd stream is damaged (%s)", s->name,
			    ZSTD_getErrorName(rc));
		if (rc == 0)
			s->ended = 1; /* one frame, its checksum (if any) checked: a second is refused */
	}
	*got = ob.pos;
	return s->ended ? check_nothing_after(s, err) : DOSSIER_OK;
}

static enum dossier_status pread_some(struct cstream *s, unsigned char *dst, size_t room,
    size_t *got, struct dossier_error *err)
{
	uint64_t at = s->base + s->len;
	*got = 0;
	if (at >= s->file_size) {
		s->ended = 1;
		return DOSSIER_OK;
	}
	for (;;) {
		ssize_t n = pread(s->fd, dst, room, (off_t)at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dossier_fail_errno(err, DOSSIER_IOERR, "%s", s->name);
		*got = (size_t)n;
		s->ended = n == 0;
		return DOSSIER_OK;
	}
}

/* Moves the untaken bytes to the front and decompresses more after them. */
static enum dossier_status refill(struct cstream *s, struct dossier_error *err)
{
	size_t keep = s->len - s->pos, got = 0;
	memmove(s->out, s->out + s->pos, keep);
	s->base += s->pos;
	s->pos = 0;
	s->len = keep;
	enum dossier_status st = s->kind == ARCHIVE_TAR_GZ ? inflate_some(s, s->out + keep, WINDOW - keep, &got, err)
	    : s->kind == ARCHIVE_TAR_ZST ? unzstd_some(s, s->out + keep, WINDOW - keep, &got, err)
	                                 : pread_some(s, s->out + keep, WINDOW - keep, &got, err);
	s->len += got;
	if (st == DOSSIER_OK && s->base + s->len > s->max_bytes)
		st = fail_over_bytes(err, s->name, s->max_bytes);
	return st;
}

const unsigned char *cstream_take(struct cstream *s, size_t len, int *eof,
    struct dossier_error *err)
{
	*eof = 0;
	while (s->len - s->pos < len) {
		if (s->ended) {
			*eof = 1;
			return NULL;
		}
		if (refill(s, err) != DOSSIER_OK)
			return NULL;
	}
	const unsigned char *p = s->out + s->pos;
	s->pos += len;
	return p;
}

enum dossier_status cstream_skip(struct cstream *s, uint64_t len, struct dossier_error *err)
{
	while (len > 0) {
		size_t have = s->len - s->pos;
		if (have == 0 && s->kind == ARCHIVE_TAR) {
			/* an uncompressed file: jump, reading nothing */
			if (s->base + s->pos + len > s->file_size)
				break;
			s->base += s->pos + len;
			s->pos = s->len = 0;
			return DOSSIER_OK;
		}
		if (have == 0) {
			if (s->ended)
				break;
			enum dossier_status st = refill(s, err);
			if (st != DOSSIER_OK)
				return st;
			continue;
		}
		size_t n = have < len ? have : (size_t)len;
		s->pos += n;
		len -= n;
	}
	if (len > 0)
		return dossier_fail(err, DOSSIER_INVALID, "%s: archive is truncated (an entry's data ends early)",
		    s->name);
	return DOSSIER_OK;
}

uint64_t cstream_offset(const struct cstream *s)
{
	return s->base + s->pos;
}

int nonzero_bytes(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc != 0;
}

enum dossier_status cstream_finish(struct cstream *s, uint64_t record, struct dossier_error *err)
{
	uint64_t at = cstream_offset(s);
	uint64_t allowed = (at + record - 1) / record * record - at;
	for (;;) {
		size_t have = s->len - s->pos;
		if (have > allowed || nonzero_bytes(s->out + s->pos, have))
			return dossier_fail(err, DOSSIER_INVALID,
			    "%s: data after the end-of-archive marker (offset %llu)", s->name,
			    (unsigned long long)cstream_offset(s));
		allowed -= have;
		s->pos += have;
		if (s->ended)
			return DOSSIER_OK;
		enum dossier_status st = refill(s, err);
		if (st != DOSSIER_OK)
			return st;
	}
}

void cstream_free(struct cstream *s)
{
	if (s == NULL)
		return;
	if (s->z_ready)
		inflateEnd(&s->z);
	ZSTD_freeDStream(s->zd);
	free(s->in);
	free(s->out);
	free(s);
}
