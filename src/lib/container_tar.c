/* container_tar.c - a tar bundle's raw headers against the form pack writes (FORMAT.md
   2.2): ustar headers as libarchive's restricted pax writer emits them, a pax 'x' header
   only where a name or size needs one, and nothing any reader could take two ways. */
#include <stdlib.h>
#include <string.h>

#include "container.h"

#define BLOCK 512
#define RECORD 10240          /* the padding a tar record may add after the end marker */
#define PAX_MAX 8192          /* one 'x' header's records: a path of LIMIT_PATH_BYTES fits */
#define OCTAL_11 (((uint64_t)1) << 33) /* the first size 11 octal digits cannot hold */

/* POSIX.1-1988 ustar header. */
struct ustar {
	char name[100];
	char mode[8];
	char uid[8];
	char gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32];
	char gname[32];
	char devmajor[8];
	char devminor[8];
	char prefix[155];
	char pad[12];
};
_Static_assert(sizeof(struct ustar) == BLOCK, "a ustar header is one block");

#define TYPE_FILE '0'
#define TYPE_DIR '5'
#define TYPE_PAX 'x'

/* What a pax 'x' header said about the entry after it. */
struct pax {
	int present;
	char path[LIMIT_PATH_BYTES * 2 + 1]; /* generous: the real limit is checked later */
	size_t path_len;
	int has_path, has_size, has_mtime;
	uint64_t size;
	uint64_t mode; /* the pax header's own: pack's writer gives it its entry's */
};

struct scan {
	struct cstream *s;
	const char *name;
	const struct dossier_limits *lim;
	struct container_list *out;
	uint64_t at; /* offset of the header under check, for messages */
	char entry[101]; /* its name field, for messages ("" for the end marker) */
	struct dossier_error *err;
};

static enum dossier_status bad(struct scan *c, const char *why)
{
	if (c->entry[0] != '\0')
		return dossier_fail(c->err, DOSSIER_INVALID,
		    "%s: not in the canonical form pack writes: %s (header of '%s' at offset %llu)", c->name, why,
		    c->entry, (unsigned long long)c->at);
	return dossier_fail(c->err, DOSSIER_INVALID, "%s: not in the canonical form pack writes: %s (header at offset %llu)",
	    c->name, why, (unsigned long long)c->at);
}

/* A numeric field: octal digits, then one or more spaces or NULs to its end. full: the
   digits may fill the field with no terminator (libarchive does so for a size that a pax
   header also gives). */
static int octal_field(const char *f, size_t n, int full, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;
	while (i < n && f[i] >= '0' && f[i] <= '7') {
		if (v >> 60)
			return -1;
		v = v * 8 + (uint64_t)(f[i++] - '0');
	}
	if (i == 0 || (i == n && !full))
		return -1;
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

/* A text field: its bytes up to the first NUL, every byte after it NUL too. */
static int text_field(const char *f, size_t n, size_t *len)
{
	size_t i = 0;
	while (i < n && f[i] != '\0')
		i++;
	*len = i;
	for (; i < n; i++)
		if (f[i] != '\0')
			return -1;
	return 0;
}

static int all_zero(const char *f, size_t n)
{
	return !nonzero_bytes((const unsigned char *)f, n);
}

static int checksum_ok(const struct ustar *h)
{
	const unsigned char *p = (const unsigned char *)h;
	uint64_t sum = 0, want;
	for (size_t i = 0; i < BLOCK; i++)
		sum += i >= offsetof(struct ustar, chksum) && i < offsetof(struct ustar, chksum) + 8 ? ' ' : p[i];
	/* unsigned bytes only, as POSIX says: a signed sum (which some readers also accept)
	   is not what pack writes */
	return octal_field(h->chksum, sizeof h->chksum, 0, &want) == 0 && want == sum;
}

/* The fields every header pack writes has alike, whatever its type. */
static enum dossier_status check_common(struct scan *c, const struct ustar *h)
{
	uint64_t v;
	size_t len;
	if (!checksum_ok(h))
		return bad(c, "header checksum is not the unsigned sum of its bytes");
	if (memcmp(h->magic, "ustar", 6) != 0 || memcmp(h->version, "00", 2) != 0)
		return bad(c, "not a POSIX ustar header");
	if (h->typeflag != TYPE_FILE && h->typeflag != TYPE_DIR && h->typeflag != TYPE_PAX)
		return bad(c, "entry type other than file, directory or pax header");
	if (octal_field(h->uid, sizeof h->uid, 0, &v) != 0 || v != 0 ||
	    octal_field(h->gid, sizeof h->gid, 0, &v) != 0 || v != 0)
		return bad(c, "owner other than uid and gid 0");
	if (octal_field(h->devmajor, sizeof h->devmajor, 0, &v) != 0 || v != 0 ||
	    octal_field(h->devminor, sizeof h->devminor, 0, &v) != 0 || v != 0)
		return bad(c, "device numbers set");
	if (octal_field(h->mtime, sizeof h->mtime, 0, &v) != 0)
		return bad(c, "malformed modification time");
	if (!all_zero(h->linkname, sizeof h->linkname) || !all_zero(h->uname, sizeof h->uname) ||
	    !all_zero(h->gname, sizeof h->gname) || !all_zero(h->pad, sizeof h->pad))
		return bad(c, "link name, user name, group name or padding set");
	if (text_field(h->name, sizeof h->name, &len) != 0 || len == 0 ||
	    text_field(h->prefix, sizeof h->prefix, &len) != 0)
		return bad(c, "name field with bytes after its end");
	return DOSSIER_OK;
}

/* One "LEN key=value\n" record of a pax header at p[0..n): its length, or 0 if malformed. */
static size_t pax_record(const char *p, size_t n, const char **key, size_t *klen,
    const char **val, size_t *vlen)
{
	size_t i = 0, len = 0;
	if (n == 0 || p[0] == '0')
		return 0; /* no leading zeros: one way to write each length */
	while (i < n && i < 6 && p[i] >= '0' && p[i] <= '9')
		len = len * 10 + (size_t)(p[i++] - '0');
	if (i == 0 || i >= n || p[i] != ' ' || len > n || len < i + 4 || p[len - 1] != '\n')
		return 0;
	*key = p + i + 1;
	const char *eq = memchr(*key, '=', len - i - 2);
	if (eq == NULL || eq == *key)
		return 0;
	*klen = (size_t)(eq - *key);
	*val = eq + 1;
	*vlen = (size_t)(p + len - 1 - *val);
	if (memchr(*val, '\0', *vlen) != NULL || memchr(*val, '\n', *vlen) != NULL)
		return 0;
	return len;
}

static int decimal(const char *v, size_t n, int sign_ok, uint64_t *out)
{
	size_t i = sign_ok && n > 0 && v[0] == '-';
	uint64_t x = 0;
	if (i == n || (v[i] == '0' && n - i > 1))
		return -1;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

/* One record into pax: only the keys pack's writer emits (a name that does not fit or is
   not ASCII, a size of 8 GiB or more, a time outside the octal field), each once. */
static enum dossier_status pax_key(struct scan *c, struct pax *x, const char *key, size_t klen,
    const char *val, size_t vlen)
{
	uint64_t v;
	if (klen == 4 && memcmp(key, "path", 4) == 0) {
		if (x->has_path++ || vlen == 0 || vlen >= sizeof x->path)
			return bad(c, "pax path repeated, empty or too long");
		memcpy(x->path, val, vlen);
		x->path[vlen] = '\0';
		x->path_len = vlen;
	} else if (klen == 4 && memcmp(key, "size", 4) == 0) {
		if (x->has_size++ || decimal(val, vlen, 0, &x->size) != 0 || x->size < OCTAL_11)
			return bad(c, "pax size repeated, malformed or where the header field suffices");
	} else if (klen == 5 && memcmp(key, "mtime", 5) == 0) {
		if (x->has_mtime++ || decimal(val, vlen, 1, &v) != 0)
			return bad(c, "pax mtime repeated or malformed");
	} else {
		return bad(c, "pax header with a key pack never writes (global, sparse, link, charset...)");
	}
	return DOSSIER_OK;
}

static enum dossier_status read_pax(struct scan *c, const struct ustar *h, struct pax *x)
{
	uint64_t size = 0, mode = 0;
	int eof;
	if (octal_field(h->size, sizeof h->size, 0, &size) != 0 || size == 0 || size > PAX_MAX)
		return bad(c, "pax header of no or excessive size");
	if (octal_field(h->mode, sizeof h->mode, 0, &mode) != 0)
		return bad(c, "pax header with a malformed mode");
	size_t blocks = ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
	const char *p = (const char *)cstream_take(c->s, blocks, &eof, c->err);
	if (p == NULL)
		return eof ? bad(c, "archive ends inside a pax header") : c->err->code;
	if (nonzero_bytes((const unsigned char *)p + size, blocks - size))
		return bad(c, "pax header padding is not zero");
	memset(x, 0, sizeof *x);
	x->present = 1;
	x->mode = mode;
	for (size_t off = 0; off < size;) {
		const char *key, *val;
		size_t klen, vlen, len = pax_record(p + off, (size_t)size - off, &key, &klen, &val, &vlen);
		if (len == 0)
			return bad(c, "malformed pax record");
		enum dossier_status st = pax_key(c, x, key, klen, val, vlen);
		if (st != DOSSIER_OK)
			return st;
		off += len;
	}
	return DOSSIER_OK;
}

/* The entry's name as every reader builds it: the pax path, or prefix "/" name. */
static enum dossier_status entry_path(struct scan *c, const struct ustar *h, const struct pax *x,
    char *path, size_t *len)
{
	size_t nlen, plen;
	if (x->has_path) {
		memcpy(path, x->path, x->path_len + 1);
		*len = x->path_len;
		return DOSSIER_OK;
	}
	text_field(h->name, sizeof h->name, &nlen);
	text_field(h->prefix, sizeof h->prefix, &plen);
	/* pack gives every name that is not ASCII a pax path: raw bytes in the ustar fields
	   alone are read through each reader's own idea of the charset */
	for (size_t i = 0; i < nlen || i < plen; i++)
		if ((i < nlen && (unsigned char)h->name[i] >= 0x80) || (i < plen && (unsigned char)h->prefix[i] >= 0x80))
			return bad(c, "a name that is not ASCII without the pax path pack writes for it");
	*len = 0;
	if (plen > 0) {
		memcpy(path, h->prefix, plen);
		path[plen] = '/';
		*len = plen + 1;
	}
	memcpy(path + *len, h->name, nlen);
	*len += nlen;
	path[*len] = '\0';
	if (memchr(path, '\0', *len) != NULL)
		return bad(c, "name with a NUL byte");
	return DOSSIER_OK;
}

/* The size as the header and any pax size give it; both must agree. */
static enum dossier_status entry_size(struct scan *c, const struct ustar *h, const struct pax *x,
    uint64_t *size)
{
	uint64_t field;
	if (octal_field(h->size, sizeof h->size, x->has_size, &field) != 0)
		return bad(c, "malformed size field");
	if (x->has_size && field != x->size)
		return bad(c, "pax size and header size disagree");
	*size = field;
	return DOSSIER_OK;
}

/* A file or directory entry, with the pax header before it if any. */
static enum dossier_status entry(struct scan *c, const struct ustar *h, const struct pax *x)
{
	char path[sizeof x->path + 256];
	size_t len = 0;
	uint64_t size = 0, mode = 0;
	enum dossier_status st;
	int dir = h->typeflag == TYPE_DIR;
	if ((st = entry_path(c, h, x, path, &len)) != DOSSIER_OK || (st = entry_size(c, h, x, &size)) != DOSSIER_OK)
		return st;
	if (octal_field(h->mode, sizeof h->mode, 0, &mode) != 0 || mode != (dir ? 0755u : 0644u))
		return bad(c, dir ? "directory mode other than 0755" : "file mode other than 0644");
	if (x->present && x->mode != mode)
		return bad(c, "pax header with a mode other than its entry's");
	if (dir && (size != 0 || x->has_size))
		return bad(c, "directory entry with a size");
	if (len == 0 || (path[len - 1] == '/') != dir)
		return bad(c, dir ? "directory name without a trailing slash" : "file name with a trailing slash");
	if (c->out->n >= c->lim->max_entries)
		return fail_over_entries(c->err, c->name, c->lim->max_entries);
	if (container_list_add(c->out, path, len, size, dir) != 0)
		return dossier_fail(c->err, DOSSIER_SOFTWARE, "out of memory");
	/* the data, then its padding to the block, which must be zero */
	if ((st = cstream_skip(c->s, size, c->err)) != DOSSIER_OK)
		return st;
	size_t pad = (size_t)((BLOCK - size % BLOCK) % BLOCK);
	int eof;
	const unsigned char *p = pad ? cstream_take(c->s, pad, &eof, c->err) : NULL;
	if (pad && p == NULL)
		return eof ? bad(c, "archive ends inside an entry's padding") : c->err->code;
	if (pad && nonzero_bytes(p, pad))
		return bad(c, "entry padding is not zero");
	return DOSSIER_OK;
}

/* The end-of-archive marker: this zero block and a second one. */
static enum dossier_status end_marker(struct scan *c)
{
	int eof;
	const unsigned char *p = cstream_take(c->s, BLOCK, &eof, c->err);
	if (p == NULL)
		return eof ? bad(c, "a lone zero block ends the archive") : c->err->code;
	if (nonzero_bytes(p, BLOCK))
		return bad(c, "a zero block inside the archive");
	return cstream_finish(c->s, RECORD, c->err);
}

enum dossier_status container_scan_tar(struct cstream *s, const char *name,
    const struct dossier_limits *lim, struct container_list *out, struct dossier_error *err)
{
	struct scan c = { .s = s, .name = name, .lim = lim, .out = out, .err = err };
	struct pax x = { 0 };
	for (;;) {
		int eof;
		c.at = cstream_offset(s);
		c.entry[0] = '\0';
		const struct ustar *h = (const struct ustar *)cstream_take(s, BLOCK, &eof, err);
		if (h == NULL)
			return eof ? bad(&c, "archive ends without an end-of-archive marker") : err->code;
		if (all_zero((const char *)h, BLOCK)) {
			if (x.present)
				return bad(&c, "pax header before the end of the archive");
			return out->n == 0 ? bad(&c, "empty archive") : end_marker(&c);
		}
		/* copied: the next take may move the window under a pointer into it */
		struct ustar hdr;
		memcpy(&hdr, h, sizeof hdr);
		memcpy(c.entry, hdr.name, sizeof hdr.name);
		c.entry[sizeof hdr.name] = '\0';
		enum dossier_status st = check_common(&c, &hdr);
		if (st == DOSSIER_OK && hdr.typeflag == TYPE_PAX)
			st = x.present ? bad(&c, "two pax headers in a row") : read_pax(&c, &hdr, &x);
		else if (st == DOSSIER_OK) {
			st = entry(&c, &hdr, &x);
			x.present = x.has_path = x.has_size = x.has_mtime = 0;
		}
		if (st != DOSSIER_OK)
			return st;
	}
}
