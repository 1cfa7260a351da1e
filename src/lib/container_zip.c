/* container_zip.c - a zip bundle's raw structures against the layout pack writes (FORMAT.md
   2.2): local entries back to back from offset 0 in central-directory order, each equal to
   its central entry, then the central directory and one end record, nothing else. Then
   unzip (central directory), a streaming reader (local headers) and dossier read the same
   entries with the same bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "container.h"

/* The wire structures (APPNOTE 6.3.x), every field little-endian bytes. */
struct zip_local {
	uint8_t sig[4], version[2], flags[2], method[2], time[2], date[2], crc[4], csize[4],
	    usize[4], name_len[2], extra_len[2];
};
struct zip_central {
	uint8_t sig[4], made_by[2], version[2], flags[2], method[2], time[2], date[2], crc[4],
	    csize[4], usize[4], name_len[2], extra_len[2], comment_len[2], disk[2], internal[2],
	    external[4], offset[4];
};
struct zip_end {
	uint8_t sig[4], disk[2], cd_disk[2], disk_entries[2], entries[2], cd_size[4],
	    cd_offset[4], comment_len[2];
};
struct zip64_end {
	uint8_t sig[4], record_size[8], made_by[2], version[2], disk[4], cd_disk[4],
	    disk_entries[8], entries[8], cd_size[8], cd_offset[8];
};
struct zip64_locator {
	uint8_t sig[4], disk[4], end_offset[8], disks[4];
};
_Static_assert(sizeof(struct zip_local) == 30, "local file header");
_Static_assert(sizeof(struct zip_central) == 46, "central directory header");
_Static_assert(sizeof(struct zip_end) == 22, "end of central directory record");
_Static_assert(sizeof(struct zip64_end) == 56, "zip64 end of central directory record");
_Static_assert(sizeof(struct zip64_locator) == 20, "zip64 end of central directory locator");

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_LOCATOR64 0x07064b50u
#define SIG_DESCRIPTOR 0x08074b50u
#define FLAG_DESCRIPTOR 0x0008u /* sizes and CRC follow the data */
#define FLAG_UTF8 0x0800u
#define METHOD_STORED 0
#define METHOD_DEFLATE 8
#define EXTRA_ZIP64 0x0001u
#define EXTRA_TIME 0x5455u   /* "UT": modification time */
#define EXTRA_UNIX 0x7875u   /* "ux": uid and gid */
#define MAX16 0xffffu
#define MAX32 0xffffffffu
#define CHUNK (64u << 10)

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}
#define LE(field) le((field), sizeof(field))

/* What one central entry says, with zip64 values resolved. */
struct centry {
	struct zip_central h;
	char name[LIMIT_PATH_BYTES * 2];
	size_t name_len;
	uint8_t time_extra[9], unix_extra[15]; /* copied whole, for comparison with the local */
	int has_time, has_unix;
	uint64_t crc, csize, usize, offset;
};

struct zscan {
	int fd;
	const char *name;
	const struct dossier_limits *lim;
	uint64_t file_size, total;
	unsigned char *chunk;
	struct dossier_error *err;
};

static enum dossier_status zbad(struct zscan *z, uint64_t at, const char *why)
{
	return dossier_fail(z->err, DOSSIER_INVALID, "%s: not in the canonical form pack writes: %s (zip offset %llu)",
	    z->name, why, (unsigned long long)at);
}

static enum dossier_status read_at(struct zscan *z, void *buf, size_t len, uint64_t at)
{
	if (at > z->file_size || len > z->file_size - at)
		return zbad(z, at, "a structure runs past the end of the file");
	ssize_t n = pread_full(z->fd, buf, len, at);
	if (n < 0)
		return dossier_fail_errno(z->err, DOSSIER_IOERR, "%s", z->name);
	return (size_t)n == len ? DOSSIER_OK : zbad(z, at, "file shrank while being read");
}

/* The zip64 field that replaces a saturated 32-bit one; values that fit stay in place. */
static int zip64_value(const uint8_t *x, size_t xlen, size_t *used, uint64_t field, uint64_t *out)
{
	if (field != MAX32) {
		*out = field;
		return 0;
	}
	if (*used + 8 > xlen)
		return -1;
	*out = le(x + *used, 8);
	*used += 8;
	return *out >= MAX32 ? 0 : -1; /* zip64 only where 32 bits do not suffice */
}

/* A central entry's extra field: "UT" and "ux" as pack writes them, zip64 where needed. */
static enum dossier_status central_extra(struct zscan *z, struct centry *c, const uint8_t *x,
    size_t len, uint64_t at)
{
	int zip64 = 0;
	for (size_t i = 0; i < len;) {
		if (len - i < 4)
			return zbad(z, at, "malformed extra field");
		unsigned id = (unsigned)le(x + i, 2), n = (unsigned)le(x + i + 2, 2);
		if (n > len - i - 4)
			return zbad(z, at, "malformed extra field");
		if (id == EXTRA_TIME && !c->has_time && n == 5) {
			memcpy(c->time_extra, x + i, 9);
			c->has_time = 1;
		} else if (id == EXTRA_UNIX && !c->has_unix && n == 11 &&
		    memcmp(x + i + 4, "\1\4\0\0\0\0\4\0\0\0\0", 11) == 0) {
			/* version 1, uid 0 and gid 0 in four bytes each: unzip -X as root sets them */
			memcpy(c->unix_extra, x + i, 15);
			c->has_unix = 1;
		} else if (id == EXTRA_ZIP64 && !zip64) {
			size_t used = 0;
			zip64 = 1;
			if (zip64_value(x + i + 4, n, &used, LE(c->h.usize), &c->usize) != 0 ||
			    zip64_value(x + i + 4, n, &used, LE(c->h.csize), &c->csize) != 0 ||
			    zip64_value(x + i + 4, n, &used, LE(c->h.offset), &c->offset) != 0 || used != n)
				return zbad(z, at, "zip64 extra field where none is needed, or malformed");
		} else {
			return zbad(z, at, "extra field pack never writes (or repeated)");
		}
		i += 4 + n;
	}
	if (!zip64 && (LE(c->h.usize) == MAX32 || LE(c->h.csize) == MAX32 || LE(c->h.offset) == MAX32))
		return zbad(z, at, "saturated size or offset without a zip64 field");
	return DOSSIER_OK;
}

static enum dossier_status read_central(struct zscan *z, struct centry *c, uint64_t at, uint64_t end)
{
	uint8_t extra[1024];
	enum dossier_status st = read_at(z, &c->h, sizeof c->h, at);
	if (st != DOSSIER_OK)
		return st;
	c->name_len = (size_t)LE(c->h.name_len);
	size_t xlen = (size_t)LE(c->h.extra_len);
	if (LE(c->h.sig) != SIG_CENTRAL)
		return zbad(z, at, "central directory entry expected");
	if (c->name_len == 0 || c->name_len >= sizeof c->name || xlen > sizeof extra ||
	    at + sizeof c->h + c->name_len + xlen > end)
		return zbad(z, at, "central directory entry of impossible size");
	if (LE(c->h.comment_len) != 0 || LE(c->h.disk) != 0 || LE(c->h.internal) != 0)
		return zbad(z, at, "entry comment, disk number or internal attributes set");
	if ((st = read_at(z, c->name, c->name_len, at + sizeof c->h)) != DOSSIER_OK ||
	    (st = read_at(z, extra, xlen, at + sizeof c->h + c->name_len)) != DOSSIER_OK)
		return st;
	c->name[c->name_len] = '\0';
	c->crc = LE(c->h.crc);
	c->usize = LE(c->h.usize); /* replaced by the zip64 field's where saturated */
	c->csize = LE(c->h.csize);
	c->offset = LE(c->h.offset);
	c->has_time = c->has_unix = 0;
	return central_extra(z, c, extra, xlen, at);
}

/* The attributes pack gives every entry: a Unix origin, mode 0644 or 0755 for a directory. */
static enum dossier_status central_fields(struct zscan *z, const struct centry *c, uint64_t at)
{
	unsigned flags = (unsigned)LE(c->h.flags), method = (unsigned)LE(c->h.method);
	int dir = c->name[c->name_len - 1] == '/';
	uint64_t mode = LE(c->h.external) >> 16;
	if ((LE(c->h.made_by) >> 8) != 3 || mode != (dir ? 040755u : 0100644u))
		return zbad(z, at, dir ? "directory without Unix mode 0755" : "file without Unix mode 0644");
	if ((flags & ~(FLAG_DESCRIPTOR | FLAG_UTF8)) != 0)
		return zbad(z, at, "general purpose flags pack never sets (encryption, patches...)");
	if (method != METHOD_STORED && method != METHOD_DEFLATE)
		return zbad(z, at, "compression other than stored or deflate");
	if (method == METHOD_STORED && ((flags & FLAG_DESCRIPTOR) || c->csize != c->usize))
		return zbad(z, at, "stored entry whose end a streaming reader cannot find");
	if (dir && c->usize != 0)
		return zbad(z, at, "directory entry with data");
	if (!c->has_time || !c->has_unix || memchr(c->name, '\0', c->name_len) != NULL)
		return zbad(z, at, "entry without the time and owner fields pack writes, or a NUL in its name");
	int ascii = 1;
	for (size_t i = 0; i < c->name_len; i++)
		ascii &= (unsigned char)c->name[i] < 0x80;
	/* unzip reads a name without the UTF-8 flag as CP437 */
	if (!ascii && (!(flags & FLAG_UTF8) || !utf8_valid(c->name, c->name_len)))
		return zbad(z, at, "non-ASCII name not marked and encoded as UTF-8");
	return DOSSIER_OK;
}

/* The local header at c->offset, equal to its central entry; *data: where its data starts. */
static enum dossier_status check_local(struct zscan *z, const struct centry *c, uint64_t *data)
{
	struct zip_local l;
	uint8_t tail[LIMIT_PATH_BYTES * 2 + 64];
	uint64_t at = c->offset;
	enum dossier_status st = read_at(z, &l, sizeof l, at);
	if (st != DOSSIER_OK)
		return st;
	size_t nlen = (size_t)LE(l.name_len), xlen = (size_t)LE(l.extra_len);
	int zip64 = c->usize >= MAX32, desc = (LE(c->h.flags) & FLAG_DESCRIPTOR) != 0;
	size_t want_x = 24 + (zip64 ? 20 : 0);
	if (LE(l.sig) != SIG_LOCAL || nlen != c->name_len || xlen != want_x)
		return zbad(z, at, "local header does not match its central directory entry");
	if ((st = read_at(z, tail, nlen + xlen, at + sizeof l)) != DOSSIER_OK)
		return st;
	if (memcmp(l.version, c->h.version, 2) != 0 || memcmp(l.flags, c->h.flags, 2) != 0 ||
	    memcmp(l.method, c->h.method, 2) != 0 || memcmp(l.time, c->h.time, 2) != 0 ||
	    memcmp(l.date, c->h.date, 2) != 0 || memcmp(tail, c->name, nlen) != 0 ||
	    memcmp(tail + nlen, c->time_extra, 9) != 0 || memcmp(tail + nlen + 9, c->unix_extra, 15) != 0)
		return zbad(z, at, "local header does not match its central directory entry");
	/* with a descriptor the header holds no CRC or compressed size; pack's writer still
	   puts the uncompressed size there, in zip64 form when it needs 64 bits */
	uint64_t crc = LE(l.crc), csize = LE(l.csize), usize = LE(l.usize);
	if (zip64) {
		const uint8_t *x = tail + nlen + 24;
		if (le(x, 2) != EXTRA_ZIP64 || le(x + 2, 2) != 16 || usize != MAX32 || csize != MAX32)
			return zbad(z, at, "local zip64 field missing or malformed");
		usize = le(x + 4, 8);
		csize = le(x + 12, 8);
	}
	if (usize != c->usize || (desc ? crc != 0 || csize != 0 : crc != c->crc || csize != c->csize))
		return zbad(z, at, "local header sizes or CRC differ from the central directory's");
	*data = at + sizeof l + nlen + xlen;
	return DOSSIER_OK;
}

/* Inflates or reads an entry's data whole: it must end exactly at its compressed size
   (where a streaming reader looks for what follows), with the central size and CRC. */
static enum dossier_status check_data(struct zscan *z, const struct centry *c, uint64_t data)
{
	int deflated = LE(c->h.method) == METHOD_DEFLATE, end = !deflated;
	z_stream s = { 0 };
	uLong crc = crc32(0, Z_NULL, 0);
	uint64_t out = 0;
	unsigned char *buf = z->chunk + CHUNK;
	enum dossier_status st = DOSSIER_OK;
	if (deflated && inflateInit2(&s, -MAX_WBITS) != Z_OK)
		return dossier_fail(z->err, DOSSIER_SOFTWARE, "out of memory");
	for (uint64_t done = 0; done < c->csize && st == DOSSIER_OK;) {
		size_t n = c->csize - done < CHUNK ? (size_t)(c->csize - done) : CHUNK;
		if ((st = read_at(z, z->chunk, n, data + done)) != DOSSIER_OK)
			break;
		done += n;
		if (!deflated) {
			crc = crc32(crc, z->chunk, (uInt)n);
			out += n;
			continue;
		}
		s.next_in = z->chunk;
		s.avail_in = (uInt)n;
		while (st == DOSSIER_OK && (s.avail_in > 0 || s.avail_out == 0) && !end) {
			s.next_out = buf;
			s.avail_out = CHUNK;
			int rc = inflate(&s, Z_NO_FLUSH);
			crc = crc32(crc, buf, (uInt)(CHUNK - s.avail_out));
			out += CHUNK - s.avail_out;
			if (rc == Z_STREAM_END)
				end = 1;
			else if (rc != Z_OK && rc != Z_BUF_ERROR)
				st = zbad(z, data, "damaged deflate data");
			if (z->total + out > z->lim->max_bytes)
				st = fail_over_bytes(z->err, z->name, z->lim->max_bytes);
		}
		if (st == DOSSIER_OK && end && (s.avail_in > 0 || done < c->csize))
			st = zbad(z, data, "deflate data ends before the entry's compressed size");
	}
	if (deflated)
		inflateEnd(&s);
	if (st == DOSSIER_OK && (!end || out != c->usize || crc != c->crc))
		st = zbad(z, data, "entry data does not match its size and CRC");
	z->total += out;
	return st;
}

/* The data descriptor after an entry's data, equal to the central entry; *next: after it. */
static enum dossier_status check_descriptor(struct zscan *z, const struct centry *c, uint64_t at,
    uint64_t *next)
{
	uint8_t d[24];
	int zip64 = c->usize >= MAX32;
	size_t len = zip64 ? 24 : 16, w = zip64 ? 8 : 4;
	if (!(LE(c->h.flags) & FLAG_DESCRIPTOR)) {
		*next = at;
		return DOSSIER_OK;
	}
	enum dossier_status st = read_at(z, d, len, at);
	if (st != DOSSIER_OK)
		return st;
	if (le(d, 4) != SIG_DESCRIPTOR || le(d + 4, 4) != c->crc || le(d + 8, w) != c->csize ||
	    le(d + 8 + w, w) != c->usize)
		return zbad(z, at, "data descriptor differs from the central directory");
	*next = at + len;
	return DOSSIER_OK;
}

/* The end record (and zip64 records, only where 16 or 32 bits do not suffice). */
static enum dossier_status read_end(struct zscan *z, uint64_t *entries, uint64_t *cd_off,
    uint64_t *cd_end)
{
	struct zip_end e;
	struct zip64_locator loc;
	struct zip64_end e64;
	uint64_t at = z->file_size - sizeof e;
	enum dossier_status st = z->file_size < sizeof e ? zbad(z, 0, "too short for a zip")
	                                                 : read_at(z, &e, sizeof e, at);
	if (st != DOSSIER_OK)
		return st;
	if (LE(e.sig) != SIG_END || LE(e.comment_len) != 0)
		return zbad(z, at, "the file does not end with one end record and no comment");
	if (LE(e.disk) != 0 || LE(e.cd_disk) != 0 || LE(e.disk_entries) != LE(e.entries))
		return zbad(z, at, "multi-disk end record");
	*entries = LE(e.entries);
	*cd_off = LE(e.cd_offset);
	uint64_t cd_size = LE(e.cd_size);
	*cd_end = at;
	if (*entries != MAX16 && *cd_off != MAX32 && cd_size != MAX32)
		return *cd_off + cd_size == at ? DOSSIER_OK : zbad(z, at, "bytes between the central directory and the end record");
	/* zip64: the locator right before the end record, the zip64 record right before it */
	uint64_t loc_at = at - sizeof loc, e64_at = loc_at - sizeof e64;
	if (at < sizeof loc + sizeof e64 || (st = read_at(z, &loc, sizeof loc, loc_at)) != DOSSIER_OK ||
	    (st = read_at(z, &e64, sizeof e64, e64_at)) != DOSSIER_OK)
		return st != DOSSIER_OK ? st : zbad(z, at, "zip64 end records missing");
	if (LE(loc.sig) != SIG_LOCATOR64 || LE(loc.disk) != 0 || LE(loc.disks) != 1 ||
	    LE(loc.end_offset) != e64_at || LE(e64.sig) != SIG_END64 || LE(e64.record_size) != 44 ||
	    LE(e64.disk) != 0 || LE(e64.cd_disk) != 0 || LE(e64.disk_entries) != LE(e64.entries))
		return zbad(z, e64_at, "zip64 end records malformed or not adjacent");
	/* each standard field saturated exactly when its value needs the zip64 one */
	uint64_t n64 = LE(e64.entries), off64 = LE(e64.cd_offset), size64 = LE(e64.cd_size);
	if ((*entries == MAX16) != (n64 >= MAX16) || (*entries != MAX16 && *entries != n64) ||
	    (*cd_off == MAX32) != (off64 >= MAX32) || (*cd_off != MAX32 && *cd_off != off64) ||
	    (cd_size == MAX32) != (size64 >= MAX32) || (cd_size != MAX32 && cd_size != size64))
		return zbad(z, at, "end record and zip64 end record disagree");
	*entries = n64;
	*cd_off = off64;
	*cd_end = e64_at;
	return off64 + size64 == e64_at ? DOSSIER_OK : zbad(z, at, "bytes between the central directory and the end records");
}

/* A zip whose first block is also a valid tar header would be another archive to tar. */
static enum dossier_status not_a_tar(struct zscan *z)
{
	unsigned char b[512];
	if (z->file_size < sizeof b || read_at(z, b, sizeof b, 0) != DOSSIER_OK)
		return DOSSIER_OK;
	uint64_t want = 0, u = 0;
	int64_t s = 0;
	size_t i = 148;
	while (i < 156 && b[i] == ' ')
		i++;
	if (i == 156 || b[i] < '0' || b[i] > '7')
		return DOSSIER_OK;
	for (; i < 156 && b[i] >= '0' && b[i] <= '7'; i++)
		want = want * 8 + (uint64_t)(b[i] - '0');
	for (i = 0; i < sizeof b; i++) {
		unsigned char v = i >= 148 && i < 156 ? ' ' : b[i];
		u += v;
		s += (signed char)v;
	}
	if (want == u || (int64_t)want == s)
		return zbad(z, 0, "the zip's first block also reads as a tar header");
	return DOSSIER_OK;
}

static enum dossier_status walk(struct zscan *z, struct container_list *out)
{
	uint64_t entries = 0, cd_off = 0, cd_end = 0, pos = 0;
	struct centry *c = malloc(sizeof *c);
	enum dossier_status st = c ? read_end(z, &entries, &cd_off, &cd_end)
	                           : dossier_fail(z->err, DOSSIER_SOFTWARE, "out of memory");
	if (st == DOSSIER_OK && entries == 0)
		st = zbad(z, 0, "empty archive");
	if (st == DOSSIER_OK && entries > z->lim->max_entries)
		st = fail_over_entries(z->err, z->name, z->lim->max_entries);
	for (uint64_t i = 0, at = cd_off; st == DOSSIER_OK && i < entries; i++) {
		uint64_t data = 0;
		if ((st = read_central(z, c, at, cd_end)) != DOSSIER_OK || (st = central_fields(z, c, at)) != DOSSIER_OK)
			break;
		if (c->offset != pos) {
			st = zbad(z, pos, "local entries are not back to back in central directory order");
			break;
		}
		if ((st = check_local(z, c, &data)) != DOSSIER_OK || (st = check_data(z, c, data)) != DOSSIER_OK ||
		    (st = check_descriptor(z, c, data + c->csize, &pos)) != DOSSIER_OK)
			break;
		if (container_list_add(out, c->name, c->name_len, c->usize, c->name[c->name_len - 1] == '/') != 0)
			st = dossier_fail(z->err, DOSSIER_SOFTWARE, "out of memory");
		at += sizeof c->h + c->name_len + LE(c->h.extra_len);
		if (st == DOSSIER_OK && i + 1 == entries && at != cd_end)
			st = zbad(z, at, "central directory size disagrees with its entries");
	}
	if (st == DOSSIER_OK && pos != cd_off)
		st = zbad(z, pos, "bytes between the last entry and the central directory");
	free(c);
	return st;
}

enum dossier_status container_scan_zip(int fd, const char *name, const struct dossier_limits *lim,
    struct container_list *out, struct dossier_error *err)
{
	struct stat sb;
	struct zscan z = { .fd = fd, .name = name, .lim = lim, .err = err };
	if (fstat(fd, &sb) != 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	z.file_size = (uint64_t)sb.st_size;
	if ((z.chunk = malloc(2 * CHUNK)) == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	enum dossier_status st = not_a_tar(&z);
	if (st == DOSSIER_OK)
		st = walk(&z, out);
	free(z.chunk);
	return st;
}
