/* warc_write.c - WARC/1.1 records, each compressed as its own gzip member so that a
   reader can seek to any record (the .warc.gz convention). */
#include <sodium.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "warc_write.h"

#define CHUNK (64u << 10)

void warc_new_id(char out[WARC_ID_LEN])
{
	uint8_t u[16];
	char hex[33];
	randombytes_buf(u, sizeof u);
	u[6] = (uint8_t)((u[6] & 0x0F) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3F) | 0x80);
	hex_encode(u, sizeof u, hex);
	snprintf(out, WARC_ID_LEN, "<urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s>", hex, hex + 8, hex + 12, hex + 16,
	    hex + 20);
}

/* WARC header fields are one line each: a value with CR or LF would forge a field. */
static int add_field(struct buf *h, const char *name, const char *value)
{
	if (value == NULL)
		return 0;
	if (strpbrk(value, "\r\n") != NULL)
		return -1;
	return buf_printf(h, "%s: %s\r\n", name, value);
}

static int add_digest(struct buf *h, const char *name, const uint8_t digest[32])
{
	char hex[65];
	if (digest == NULL)
		return 0;
	hex_encode(digest, 32, hex);
	return buf_printf(h, "%s: sha256:%s\r\n", name, hex);
}

static enum dossier_status header(struct buf *h, const struct warc_out_record *r,
    const uint8_t block[32], const char *name, struct dossier_error *err)
{
	uint64_t len = (r->head ? r->head->len : 0) + r->body_len;
	if (buf_printf(h, "WARC/1.1\r\n") != 0 || add_field(h, "WARC-Type", r->type) != 0 ||
	    add_field(h, "WARC-Record-ID", r->id) != 0 || add_field(h, "WARC-Date", r->date) != 0 ||
	    add_field(h, "WARC-Filename", r->filename) != 0 ||
	    add_field(h, "WARC-Target-URI", r->target_uri) != 0 ||
	    add_field(h, "WARC-IP-Address", r->ip) != 0 ||
	    add_field(h, "WARC-Concurrent-To", r->concurrent_to) != 0 ||
	    add_field(h, "WARC-Warcinfo-ID", r->warcinfo_id) != 0 ||
	    add_field(h, "Content-Type", r->content_type) != 0 ||
	    add_digest(h, "WARC-Block-Digest", block) != 0 ||
	    add_digest(h, "WARC-Payload-Digest", r->payload_digest) != 0 ||
	    buf_printf(h, "Content-Length: %llu\r\n\r\n", (unsigned long long)len) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "%s: a %s record field holds a line break or memory ran out",
		    name, r->type);
	return DOSSIER_OK;
}

/* Deflates len bytes (flush Z_FINISH ends the member) and writes what comes out. */
static enum dossier_status deflate_out(z_stream *z, int fd, const void *data, size_t len, int flush,
    const char *name, struct dossier_error *err)
{
	unsigned char out[CHUNK];
	z->next_in = (unsigned char *)(uintptr_t)data;
	z->avail_in = (uInt)len;
	int zr;
	do {
		z->next_out = out;
		z->avail_out = sizeof out;
		zr = deflate(z, flush);
		if (zr == Z_STREAM_ERROR)
			return dossier_fail(err, DOSSIER_SOFTWARE, "%s: zlib deflate failed", name);
		enum dossier_status st = write_all(fd, out, sizeof out - z->avail_out, name, err);
		if (st != DOSSIER_OK)
			return st;
	} while (z->avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return DOSSIER_OK;
}

static enum dossier_status copy_body(z_stream *z, int out, const struct warc_out_record *r,
    const char *name, struct dossier_error *err)
{
	char chunk[CHUNK];
	uint64_t off = 0;
	while (off < r->body_len) {
		size_t want = r->body_len - off < sizeof chunk ? (size_t)(r->body_len - off) : sizeof chunk;
		ssize_t got = pread(r->body_fd, chunk, want, (off_t)off);
		if (got <= 0)
			return dossier_fail_errno(err, DOSSIER_IOERR, "%s: reading the received body back", name);
		enum dossier_status st = deflate_out(z, out, chunk, (size_t)got, Z_NO_FLUSH, name, err);
		if (st != DOSSIER_OK)
			return st;
		off += (uint64_t)got;
	}
	return DOSSIER_OK;
}

enum dossier_status warc_write_record(int fd, const struct warc_out_record *r, const char *name,
    struct dossier_error *err)
{
	struct buf h = { 0 };
	uint8_t own[32];
	const uint8_t *block = r->block_digest;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (block == NULL) {
		if (r->body_fd >= 0)
			DOSSIER_BUG("a record read from a file needs its digest");
		sha256_buf(r->head ? r->head->data : "", r->head ? r->head->len : 0, own);
		block = own;
	}
	/* windowBits 15 + 16: zlib writes the gzip header and trailer itself */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	enum dossier_status st = header(&h, r, block, name, err);
	if (st == DOSSIER_OK)
		st = deflate_out(&z, fd, h.data, h.len, Z_NO_FLUSH, name, err);
	if (st == DOSSIER_OK && r->head != NULL)
		st = deflate_out(&z, fd, r->head->data, r->head->len, Z_NO_FLUSH, name, err);
	if (st == DOSSIER_OK && r->body_fd >= 0)
		st = copy_body(&z, fd, r, name, err);
	if (st == DOSSIER_OK)
		st = deflate_out(&z, fd, "\r\n\r\n", 4, Z_FINISH, name, err);
	deflateEnd(&z);
	buf_release(&h);
	return st;
}
