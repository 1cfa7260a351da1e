/* sniff.c - what kind of file this is, from its first bytes: an operator who passes the
   wrong file (a secret key for a public one, a PDF for a bundle) hears which mistake it
   was, not a parser's complaint that reads like forgery. */
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static const struct magic {
	size_t offset;
	const char *bytes;
	size_t len;
	enum file_kind kind;
} magics[] = {
	{ 0, "%PDF-", 5, KIND_PDF },
	{ 0, "PK\x03\x04", 4, KIND_ZIP },
	{ 0, "PK\x05\x06", 4, KIND_ZIP },
	{ 0, "\x1f\x8b", 2, KIND_GZIP },
	{ 0, "\x28\xb5\x2f\xfd", 4, KIND_ZSTD },
	{ 257, "ustar", 5, KIND_TAR },
	{ 0, "-----BEGIN ", 11, KIND_PEM },
	{ 0, "\x89PNG", 4, KIND_IMAGE },
	{ 0, "\xff\xd8\xff", 3, KIND_IMAGE },
	{ 0, "GIF8", 4, KIND_IMAGE },
	{ 0, "WARC/", 5, KIND_WARC },
	{ 0, "\xd0\xcf\x11\xe0", 4, KIND_OFFICE },
	{ 0, "{\\rtf", 5, KIND_OFFICE },
};

/* A minisign file (text, NUL-terminated): a comment line, then one base64 line whose decoded size says which. */
static enum file_kind minisign_kind(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	if (nl == NULL)
		return KIND_UNKNOWN;
	const char *b64 = nl + 1;
	size_t rest = len - (size_t)(b64 - text), blen = strcspn(b64, "\r\n");
	uint8_t bin[256];
	size_t got = 0;
	if (blen > rest || sodium_base642bin(bin, sizeof bin, b64, blen, NULL, &got, NULL,
	                       sodium_base64_VARIANT_ORIGINAL) != 0 || got < 2)
		return KIND_UNKNOWN;
	size_t after = (size_t)(b64 - text) + blen;
	int trusted = after < len && strstr(text + after, "trusted comment:") != NULL;
	if (got == 42 && memcmp(bin, "Ed", 2) == 0)
		return KIND_PUBKEY;
	if (got == 158 && memcmp(bin, "Ed", 2) == 0)
		return KIND_SECKEY;
	if (got == 74 && trusted)
		return KIND_SIGNATURE;
	return KIND_UNKNOWN;
}

enum file_kind file_kind(const char *data, size_t len)
{
	char head[SNIFF_BYTES + 1]; /* NUL-terminated, for the string functions below */
	if (len == 0)
		return KIND_EMPTY;
	len = len < SNIFF_BYTES ? len : SNIFF_BYTES;
	memcpy(head, data, len);
	head[len] = '\0';
	for (size_t i = 0; i < sizeof magics / sizeof *magics; i++)
		if (len >= magics[i].offset + magics[i].len &&
		    memcmp(head + magics[i].offset, magics[i].bytes, magics[i].len) == 0)
			return magics[i].kind;
	if (strncmp(head, "untrusted comment:", 18) == 0)
		return minisign_kind(head, strlen(head)); /* a damaged one stays unknown */
	size_t skip = strspn(head, " \t\r\n");
	if (skip < len && (head[skip] == '{' || head[skip] == '['))
		return KIND_JSON;
	if (skip < len && head[skip] == '<' && memchr(head, '\0', len) == NULL)
		return KIND_MARKUP;
	/* a multibyte character may be cut at the end of what was read */
	const char *last = len == SNIFF_BYTES ? memrchr(head, '\n', len) : NULL;
	size_t whole = last != NULL ? (size_t)(last - head) : len;
	if (memchr(head, '\0', len) == NULL && utf8_valid(head, whole))
		return KIND_TEXT;
	return KIND_UNKNOWN;
}

const char *file_kind_name(enum file_kind kind)
{
	switch (kind) {
	case KIND_EMPTY: return "an empty file";
	case KIND_PUBKEY: return "a minisign public key";
	case KIND_SECKEY: return "a minisign secret key";
	case KIND_SIGNATURE: return "a minisign signature";
	case KIND_TAR: return "a tar archive";
	case KIND_GZIP: return "a gzip file";
	case KIND_ZSTD: return "a zstd file";
	case KIND_ZIP: return "a zip archive";
	case KIND_PDF: return "a PDF document";
	case KIND_PEM: return "a PEM certificate or key";
	case KIND_JSON: return "a JSON document";
	case KIND_IMAGE: return "an image";
	case KIND_WARC: return "a WARC web archive";
	case KIND_OFFICE: return "an office document";
	case KIND_MARKUP: return "an HTML or XML document";
	case KIND_TEXT: return "a text file";
	case KIND_UNKNOWN: break;
	}
	return "unrecognised content";
}

int file_kind_may_be_bundle(enum file_kind kind)
{
	/* unrecognised bytes may be a bundle damaged at its start: that is for the reader
	   to report, as damage */
	return kind == KIND_TAR || kind == KIND_GZIP || kind == KIND_ZSTD || kind == KIND_ZIP ||
	    kind == KIND_UNKNOWN;
}

enum dossier_status not_a_bundle(const char *path, int fd, enum dossier_status st,
    struct dossier_error *err)
{
	char head[SNIFF_BYTES];
	if (st != DOSSIER_INVALID)
		return st;
	ssize_t n = pread(fd, head, sizeof head, 0);
	enum file_kind kind = n < 0 ? KIND_UNKNOWN : file_kind(head, (size_t)n);
	if (file_kind_may_be_bundle(kind))
		return st;
	return dossier_fail(err, DOSSIER_DATAERR, "%s: not a bundle (%s)", path, file_kind_name(kind));
}
