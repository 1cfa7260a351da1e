/* warc_read.c - a streaming WARC reader: records parsed as their bytes arrive, gzip
   undone with zlib, every stored block and payload digest checked. Memory is two header
   blocks and a window, whatever the size of the file. */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "warc.h"

#define INFLATE_CHUNK (64u << 10)

enum state { S_HEADER, S_BLOCK, S_TRAILER };

/* A stored digest and the running hash that must match it. */
struct check {
	const EVP_MD *md; /* NULL: no digest stored, or an algorithm not checked */
	char label[8];
	uint8_t want[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx;
};

/* Undoes Transfer-Encoding: chunked on the way, for payload digests made (as the WARC
   standard says) over the entity body with the transfer encoding removed. */
enum dc_state { DC_SIZE, DC_EXT, DC_DATA, DC_DATA_END, DC_DONE, DC_BAD };
struct dechunk {
	enum dc_state state;
	uint64_t left;
	int digits;
};

struct warc_reader {
	char *name;
	warc_record_fn fn;
	void *ctx;
	/* gzip layer */
	int gzip; /* -1 undecided, 0 plain, 1 gzip */
	z_stream z;
	int z_ready, in_member;
	unsigned char *zout;
	/* record layer */
	enum state state;
	struct buf hdr;  /* the WARC header block of the current record */
	uint64_t remaining;
	unsigned trailer;
	uint64_t records;
	struct warc_record rec;
	int is_http, is_revisit, http_done, chunked;
	struct buf http; /* the HTTP header block of an application/http record */
	char *http_type, *location;
	struct check block, payload, payload_plain;
	struct dechunk dc;
	/* the first failure, returned again by every later call */
	int failed, digest_failed;
	struct dossier_error saved;
};

static int fold_eq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

int warc_name(const char *path)
{
	return has_suffix(path, ".warc", 1) || has_suffix(path, ".warc.gz", 1);
}

int warc_media_type(const char *media_type)
{
	size_t n = strlen("application/warc");
	return strncasecmp(media_type, "application/warc", n) == 0 &&
	    (media_type[n] == '\0' || media_type[n] == ';' || media_type[n] == ' ');
}

/* "NAME: record N (ID): reason", kept for every later call. */
static enum dossier_status failf(struct warc_reader *w, struct dossier_error *err, int digest,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum dossier_status failf(struct warc_reader *w, struct dossier_error *err, int digest,
    const char *fmt, ...)
{
	char reason[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	unsigned long long n = (unsigned long long)w->records + 1;
	if (w->rec.record_id != NULL && w->rec.record_id[0] != '\0')
		dossier_fail(&w->saved, DOSSIER_INVALID, "%s: record %llu %.100s: %s", w->name, n, w->rec.record_id, reason);
	else
		dossier_fail(&w->saved, DOSSIER_INVALID, "%s: record %llu: %s", w->name, n, reason);
	w->failed = 1;
	w->digest_failed = digest;
	*err = w->saved;
	return err->code;
}

/* ---- digests ---- */

static int base32_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/* RFC 4648 base32 (no library we use has it), padding optional: 0 if text is exactly
   len bytes. */
static int base32_decode(const char *text, uint8_t *out, size_t len)
{
	size_t n = strlen(text), used = 0;
	while (n > 0 && text[n - 1] == '=')
		n--;
	if (n != (len * 8 + 4) / 5)
		return -1;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = base32_value(text[i]);
		if (v < 0)
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (used == len)
				return -1;
			out[used++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return used == len && acc == 0 ? 0 : -1;
}

/* "sha256:" or "sha1:" and the digest in hex or base32. An algorithm we do not check
   leaves c->md NULL; one we check that does not decode is malformed. */
static int check_parse(struct check *c, const char *value, const char *field,
    struct warc_reader *w, struct dossier_error *err)
{
	const char *colon = strchr(value, ':');
	c->md = NULL;
	if (colon == NULL)
		return failf(w, err, 0, "%s: '%.40s' is not label:digest", field, value), -1;
	size_t ln = (size_t)(colon - value);
	const EVP_MD *md = NULL;
	if (ln == 6 && strncasecmp(value, "sha256", 6) == 0)
		md = EVP_sha256();
	else if (ln == 4 && strncasecmp(value, "sha1", 4) == 0)
		md = EVP_sha1();
	if (md == NULL)
		return 0; /* md5, sha512, ...: reported as not checked */
	size_t len = (size_t)EVP_MD_get_size(md);
	if (hex_decode_bytes(colon + 1, c->want, len, 1) != 0 && base32_decode(colon + 1, c->want, len) != 0)
		return failf(w, err, 0, "%s: '%.80s' is neither hex nor base32 of a %.*s digest", field, value,
		    (int)ln, value), -1;
	snprintf(c->label, sizeof c->label, "%s", len == 32 ? "sha256" : "sha1");
	if ((c->ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(c->ctx, md, NULL) != 1)
		return failf(w, err, 0, "%s: cannot start the digest", field), -1;
	c->md = md;
	return 0;
}

static void check_update(struct check *c, const void *data, size_t len)
{
	if (c->md != NULL && len > 0)
		EVP_DigestUpdate(c->ctx, data, len);
}

/* 1 if the digest holds; got[] (hex) for the message if not. */
static int check_holds(struct check *c, char got_hex[2 * EVP_MAX_MD_SIZE + 1])
{
	uint8_t got[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(c->ctx, got, &n);
	hex_encode(got, n, got_hex);
	return sodium_memcmp(got, c->want, n) == 0;
}

static void check_release(struct check *c)
{
	EVP_MD_CTX_free(c->ctx);
	memset(c, 0, sizeof *c);
}

/* ---- chunked transfer encoding ---- */

static void dechunk(struct warc_reader *w, const unsigned char *p, size_t len)
{
	struct dechunk *d = &w->dc;
	for (size_t i = 0; i < len && d->state != DC_DONE && d->state != DC_BAD;) {
		unsigned char c = p[i];
		switch (d->state) {
		case DC_SIZE: {
			int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (v >= 0 && d->digits < 15) {
				d->left = d->left * 16 + (uint64_t)v;
				d->digits++;
			} else if (v < 0 && d->digits > 0 && (c == ';' || c == '\r' || c == '\n' || c == ' ')) {
				d->state = DC_EXT;
				continue; /* the same byte ends the line in DC_EXT */
			} else {
				d->state = DC_BAD;
			}
			i++;
			break;
		}
		case DC_EXT:
			if (c == '\n')
				d->state = d->left == 0 ? DC_DONE : DC_DATA;
			i++;
			break;
		case DC_DATA: {
			size_t n = len - i < d->left ? len - i : (size_t)d->left;
			check_update(&w->payload_plain, p + i, n);
			d->left -= n;
			i += n;
			if (d->left == 0)
				d->state = DC_DATA_END;
			break;
		}
		case DC_DATA_END:
			if (c == '\n') {
				d->state = DC_SIZE;
				d->digits = 0;
			} else if (c != '\r') {
				d->state = DC_BAD;
			}
			i++;
			break;
		default:
			return;
		}
	}
}

/* ---- the HTTP message inside an application/http block ---- */

static char *dup_value(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	char *s = strdup(v);
	if (s != NULL) {
		size_t n = strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
			s[--n] = '\0';
	}
	return s;
}

/* Status line and the headers this reader reports on. */
static int parse_http_head(struct warc_reader *w)
{
	char *save = NULL;
	int first = 1;
	for (char *line = strtok_r(w->http.data, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (first) {
			first = 0;
			const char *sp = strchr(line, ' ');
			if (strncmp(line, "HTTP/", 5) == 0 && sp != NULL && strspn(sp + 1, "0123456789") == 3 &&
			    (sp[4] == '\0' || sp[4] == ' '))
				w->rec.http_status = atoi(sp + 1);
			continue;
		}
		char *colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		char **slot = fold_eq(line, "Content-Type") ? &w->http_type : fold_eq(line, "Location") ? &w->location : NULL;
		if (slot != NULL && *slot == NULL && (*slot = dup_value(colon + 1)) == NULL)
			return -1;
		if (fold_eq(line, "Transfer-Encoding") && strcasestr(colon + 1, "chunked") != NULL)
			w->chunked = 1;
	}
	return 0;
}

static void payload_bytes(struct warc_reader *w, const unsigned char *p, size_t n)
{
	check_update(&w->payload, p, n);
	if (w->chunked)
		dechunk(w, p, n);
	w->rec.payload_size += n;
}

/* A block's bytes: the block digest sees them all, the payload digest what follows the
   HTTP header block (for an HTTP message) or all of them. */
static enum dossier_status block_bytes(struct warc_reader *w, const unsigned char *p, size_t len,
    struct dossier_error *err)
{
	check_update(&w->block, p, len);
	if (!w->is_http || w->http_done) {
		payload_bytes(w, p, len);
		return DOSSIER_OK;
	}
	for (size_t i = 0; i < len; i++) {
		if (buf_append(&w->http, p + i, 1) != 0)
			return failf(w, err, 0, "out of memory");
		size_t n = w->http.len;
		const char *e = w->http.data + n;
		if ((n >= 4 && memcmp(e - 4, "\r\n\r\n", 4) == 0) || (n >= 2 && memcmp(e - 2, "\n\n", 2) == 0)) {
			w->http_done = 1;
			if (parse_http_head(w) != 0)
				return failf(w, err, 0, "out of memory");
			payload_bytes(w, p + i + 1, len - i - 1);
			return DOSSIER_OK;
		}
		if (n > WARC_HEADER_MAX)
			return failf(w, err, 0, "HTTP header block larger than %u bytes", WARC_HEADER_MAX);
	}
	return DOSSIER_OK;
}

/* ---- the WARC header block ---- */

static void record_reset(struct warc_reader *w)
{
	check_release(&w->block);
	check_release(&w->payload);
	check_release(&w->payload_plain);
	free(w->http_type);
	free(w->location);
	w->http_type = w->location = NULL;
	buf_release(&w->http);
	buf_release(&w->hdr);
	memset(&w->dc, 0, sizeof w->dc);
	w->is_http = w->is_revisit = w->http_done = w->chunked = 0;
	memset(&w->rec, 0, sizeof w->rec);
	w->rec.http_status = -1;
	w->trailer = 0;
}

static int parse_length(const char *v, uint64_t *out)
{
	size_t n = strspn(v, "0123456789");
	if (n == 0 || n > 18 || v[n] != '\0')
		return -1;
	*out = strtoull(v, NULL, 10);
	return 0;
}

/* The named fields WARC 1.1 (section 5.1) allows only once per record; of the named
   fields only WARC-Concurrent-To may repeat. Extension fields may repeat too. */
static const char *const once_only[] = { "WARC-Type", "WARC-Record-ID", "WARC-Date",
	"Content-Length", "Content-Type", "WARC-Target-URI", "WARC-Payload-Digest",
	"WARC-Block-Digest", "WARC-Refers-To", "WARC-Warcinfo-ID", "WARC-Filename", "WARC-Profile",
	"WARC-Identified-Payload-Type", "WARC-Segment-Number", "WARC-Truncated", "WARC-IP-Address",
	"WARC-Refers-To-Target-URI", "WARC-Refers-To-Date", "WARC-Segment-Origin-ID",
	"WARC-Segment-Total-Length" };
_Static_assert(sizeof once_only / sizeof *once_only <= 32, "one bit per field in seen");

/* A second value of a once-only field would leave one of the two unchecked (which one
   wins differs between readers), so the record is refused. */
static enum dossier_status field_seen(struct warc_reader *w, const char *name, uint32_t *seen,
    struct dossier_error *err)
{
	for (size_t i = 0; i < sizeof once_only / sizeof *once_only; i++) {
		if (!fold_eq(name, once_only[i]))
			continue;
		if (*seen & (UINT32_C(1) << i))
			return failf(w, err, 0, "%s appears more than once", once_only[i]);
		*seen |= UINT32_C(1) << i;
		break;
	}
	return DOSSIER_OK;
}

/* Splits the header block into fields in place; the record's strings point into it. */
static enum dossier_status parse_header(struct warc_reader *w, struct dossier_error *err)
{
	char *h = w->hdr.data;
	const char *block_digest = NULL, *payload_digest = NULL, *length = NULL;
	const char *ctype = "";
	/* folded lines (a value continued on a line starting with a space) become one */
	for (char *p = strchr(h, '\n'); p != NULL && p[1] != '\0'; p = strchr(p + 1, '\n'))
		if (p[1] == ' ' || p[1] == '\t') {
			*p = ' ';
			if (p > h && p[-1] == '\r')
				p[-1] = ' ';
		}
	w->rec.record_id = w->rec.type = w->rec.target_uri = w->rec.date = "";
	char *save = NULL;
	int first = 1;
	uint32_t seen = 0;
	for (char *line = strtok_r(h, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (first) {
			first = 0;
			continue; /* the version line, checked as it arrived */
		}
		if (n == 0)
			break;
		char *colon = strchr(line, ':');
		if (colon == NULL)
			return failf(w, err, 0, "header line '%.60s' has no ':'", line);
		*colon = '\0';
		if (field_seen(w, line, &seen, err) != DOSSIER_OK)
			return err->code;
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		for (size_t k = strlen(v); k > 0 && (v[k - 1] == ' ' || v[k - 1] == '\t'); k--)
			v[k - 1] = '\0';
		if (fold_eq(line, "WARC-Record-ID"))
			w->rec.record_id = v;
		else if (fold_eq(line, "WARC-Type"))
			w->rec.type = v;
		else if (fold_eq(line, "WARC-Target-URI")) {
			size_t k = strlen(v);
			if (k >= 2 && v[0] == '<' && v[k - 1] == '>') { /* WARC/1.0 drafts wrote <uri> */
				v[k - 1] = '\0';
				v++;
			}
			w->rec.target_uri = v;
		} else if (fold_eq(line, "WARC-Date"))
			w->rec.date = v;
		else if (fold_eq(line, "Content-Length"))
			length = v;
		else if (fold_eq(line, "Content-Type"))
			ctype = v;
		else if (fold_eq(line, "WARC-Block-Digest"))
			block_digest = v;
		else if (fold_eq(line, "WARC-Payload-Digest"))
			payload_digest = v;
	}
	if (length == NULL)
		return failf(w, err, 0, "no Content-Length");
	if (parse_length(length, &w->rec.block_size) != 0)
		return failf(w, err, 0, "Content-Length '%.30s' is not a number", length);
	if (w->rec.record_id[0] == '\0')
		return failf(w, err, 0, "no WARC-Record-ID");
	if (w->rec.type[0] == '\0')
		return failf(w, err, 0, "no WARC-Type");
	if (w->rec.date[0] == '\0')
		return failf(w, err, 0, "no WARC-Date");
	w->rec.content_type = ctype;
	w->is_revisit = fold_eq(w->rec.type, "revisit");
	w->is_http = strncasecmp(ctype, "application/http", 16) == 0;
	if (block_digest != NULL && check_parse(&w->block, block_digest, "WARC-Block-Digest", w, err) != 0)
		return err->code;
	/* a revisit's payload digest names the earlier record's payload, not bytes here */
	if (payload_digest != NULL && !w->is_revisit) {
		if (check_parse(&w->payload, payload_digest, "WARC-Payload-Digest", w, err) != 0)
			return err->code;
		if (w->payload.md != NULL && w->is_http &&
		    check_parse(&w->payload_plain, payload_digest, "WARC-Payload-Digest", w, err) != 0)
			return err->code;
	}
	w->remaining = w->rec.block_size;
	w->state = w->remaining > 0 ? S_BLOCK : S_TRAILER;
	return DOSSIER_OK;
}

/* Header bytes up to the blank line that ends the block; the rest is left for the body. */
static enum dossier_status header_bytes(struct warc_reader *w, const unsigned char *p, size_t len,
    size_t *used, struct dossier_error *err)
{
	*used = 0;
	while (*used < len) {
		const unsigned char *nl = memchr(p + *used, '\n', len - *used);
		size_t take = nl ? (size_t)(nl - (p + *used)) + 1 : len - *used;
		if (w->hdr.len + take > WARC_HEADER_MAX)
			return failf(w, err, 0, "header block larger than %u bytes", WARC_HEADER_MAX);
		int first_line = memchr(w->hdr.data ? w->hdr.data : "", '\n', w->hdr.len) == NULL;
		if (buf_append(&w->hdr, p + *used, take) != 0)
			return failf(w, err, 0, "out of memory");
		*used += take;
		if (nl == NULL)
			break;
		const char *h = w->hdr.data;
		size_t n = w->hdr.len;
		if (first_line) {
			size_t ln = n - 1 - (n >= 2 && h[n - 2] == '\r');
			if (!((ln == 8 && (memcmp(h, "WARC/1.0", 8) == 0 || memcmp(h, "WARC/1.1", 8) == 0))))
				return failf(w, err, 0, "expected a WARC/1.0 or WARC/1.1 version line, found '%.*s'",
				    (int)(ln < 20 ? ln : 20), h);
			continue;
		}
		if ((n >= 3 && memcmp(h + n - 3, "\n\r\n", 3) == 0) || (n >= 2 && memcmp(h + n - 2, "\n\n", 2) == 0)) {
			if (strlen(h) != n)
				return failf(w, err, 0, "NUL byte in the header block");
			return parse_header(w, err);
		}
	}
	return DOSSIER_OK;
}

static enum dossier_status record_done(struct warc_reader *w, struct dossier_error *err)
{
	char got[2 * EVP_MAX_MD_SIZE + 1], want[2 * EVP_MAX_MD_SIZE + 1];
	if (w->block.md != NULL) {
		if (!check_holds(&w->block, got)) {
			hex_encode(w->block.want, (size_t)EVP_MD_get_size(w->block.md), want);
			return failf(w, err, 1, "WARC-Block-Digest mismatch (%s expected %.12s…, got %.12s…)",
			    w->block.label, want, got);
		}
		w->rec.block_checked = 1;
	}
	if (w->payload.md != NULL) {
		int holds = check_holds(&w->payload, got);
		char plain[2 * EVP_MAX_MD_SIZE + 1];
		/* Most tools digest a chunked body as stored, the standard says without the
		   chunking: either is accepted. */
		if (!holds && w->chunked && w->dc.state == DC_DONE && check_holds(&w->payload_plain, plain))
			holds = 1;
		if (!holds) {
			hex_encode(w->payload.want, (size_t)EVP_MD_get_size(w->payload.md), want);
			return failf(w, err, 1, "WARC-Payload-Digest mismatch (%s expected %.12s…, got %.12s…)",
			    w->payload.label, want, got);
		}
		w->rec.payload_checked = 1;
	}
	if (w->is_http) {
		w->rec.content_type = w->http_type ? w->http_type : "";
		w->rec.location = w->location ? w->location : "";
	} else {
		w->rec.location = "";
	}
	w->rec.number = w->records + 1;
	if (w->fn != NULL && w->fn(w->ctx, &w->rec) != 0)
		return failf(w, err, 0, "stopped by caller");
	w->records++;
	record_reset(w);
	w->state = S_HEADER;
	return DOSSIER_OK;
}

/* Uncompressed WARC bytes, in any split. */
static enum dossier_status feed(struct warc_reader *w, const unsigned char *p, size_t len,
    struct dossier_error *err)
{
	static const char trailer[] = "\r\n\r\n";
	enum dossier_status st = DOSSIER_OK;
	while (len > 0 && st == DOSSIER_OK) {
		switch (w->state) {
		case S_HEADER: {
			size_t used;
			st = header_bytes(w, p, len, &used, err);
			p += used;
			len -= used;
			break;
		}
		case S_BLOCK: {
			size_t n = len < w->remaining ? len : (size_t)w->remaining;
			st = block_bytes(w, p, n, err);
			p += n;
			len -= n;
			if ((w->remaining -= n) == 0)
				w->state = S_TRAILER;
			break;
		}
		case S_TRAILER:
			if (*p != (unsigned char)trailer[w->trailer])
				return failf(w, err, 0, "block not followed by CRLF CRLF (Content-Length wrong?)");
			p++;
			len--;
			if (++w->trailer == 4)
				st = record_done(w, err);
			break;
		}
	}
	return st;
}

int warc_reader_new(struct warc_reader **out, const char *name, warc_record_fn fn, void *ctx)
{
	struct warc_reader *w = calloc(1, sizeof *w);
	*out = NULL;
	if (w == NULL || (w->name = strdup(name)) == NULL) {
		free(w);
		return -1;
	}
	w->fn = fn;
	w->ctx = ctx;
	w->gzip = -1;
	record_reset(w);
	*out = w;
	return 0;
}

static enum dossier_status inflate_bytes(struct warc_reader *w, const unsigned char *p, size_t len,
    struct dossier_error *err)
{
	w->z.next_in = (unsigned char *)p;
	w->z.avail_in = (uInt)len;
	while (w->z.avail_in > 0) {
		if (!w->in_member) {
			if (inflateReset(&w->z) != Z_OK)
				return failf(w, err, 0, "gzip: cannot restart");
			w->in_member = 1;
		}
		w->z.next_out = w->zout;
		w->z.avail_out = INFLATE_CHUNK;
		int rc = inflate(&w->z, Z_NO_FLUSH);
		size_t got = INFLATE_CHUNK - w->z.avail_out;
		/* what inflated before a gzip error is read first: the answer must not depend
		   on where the caller's chunks end */
		if (got > 0) {
			enum dossier_status st = feed(w, w->zout, got, err);
			if (st != DOSSIER_OK)
				return st;
		}
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			return failf(w, err, 0, "gzip: %s", w->z.msg ? w->z.msg : "cannot inflate");
		if (rc == Z_STREAM_END)
			w->in_member = 0; /* another member may follow */
		else if (rc == Z_BUF_ERROR && got == 0)
			break;
	}
	return DOSSIER_OK;
}

enum dossier_status warc_reader_update(struct warc_reader *w, const void *data, size_t len,
    struct dossier_error *err)
{
	const unsigned char *p = data;
	if (w->failed) {
		*err = w->saved;
		return err->code;
	}
	if (len == 0)
		return DOSSIER_OK;
	if (w->gzip < 0) {
		w->gzip = p[0] == 0x1f; /* a WARC starts "WARC/", a gzip member 1f 8b */
		if (w->gzip) {
			if ((w->zout = malloc(INFLATE_CHUNK)) == NULL || inflateInit2(&w->z, 16 + MAX_WBITS) != Z_OK)
				return failf(w, err, 0, "gzip: cannot initialise");
			w->z_ready = 1;
		}
	}
	/* zlib counts in uInt: hand it at most 1 GiB at once */
	while (w->gzip && len > 0) {
		size_t n = len > (1u << 30) ? (1u << 30) : len;
		enum dossier_status st = inflate_bytes(w, p, n, err);
		if (st != DOSSIER_OK)
			return st;
		p += n;
		len -= n;
	}
	return w->gzip ? DOSSIER_OK : feed(w, p, len, err);
}

enum dossier_status warc_reader_final(struct warc_reader *w, struct dossier_error *err)
{
	if (w->failed) {
		*err = w->saved;
		return err->code;
	}
	if (w->gzip == 1 && w->in_member)
		return failf(w, err, 0, "truncated gzip member");
	if (w->state != S_HEADER || w->hdr.len > 0)
		return failf(w, err, 0, "the file ends inside the record");
	if (w->records == 0)
		return failf(w, err, 0, "no WARC record in the file");
	return DOSSIER_OK;
}

uint64_t warc_reader_records(const struct warc_reader *w)
{
	return w->records;
}

int warc_reader_digest_failed(const struct warc_reader *w)
{
	return w->failed && w->digest_failed;
}

void warc_reader_free(struct warc_reader *w)
{
	if (w == NULL)
		return;
	record_reset(w);
	if (w->z_ready)
		inflateEnd(&w->z);
	free(w->zout);
	free(w->name);
	free(w);
}
