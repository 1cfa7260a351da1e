/* manifest.c - BagIt manifest lines: "<sha256 hex>  <path>", parsed strictly. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct manifest_line *)a)->path,
	    ((const struct manifest_line *)b)->path);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

enum dossier_status manifest_parse(const char *name, const char *text, size_t len,
    struct manifest *out, struct dossier_error *err)
{
	size_t cap = 0, lineno = 0;
	enum dossier_status st = DOSSIER_OK;
	memset(out, 0, sizeof *out);
	if (memchr(text, '\0', len) != NULL)
		return dossier_fail(err, DOSSIER_INVALID, "%s: contains a NUL byte", name);
	if (len > 0 && text[len - 1] != '\n')
		return dossier_fail(err, DOSSIER_INVALID, "%s: last line has no line ending", name);
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = (size_t)(nl - line);
		pos += n + 1;
		lineno++;
		if (n > LIMIT_LINE) {
			st = dossier_fail(err, DOSSIER_INVALID, "%s: line %zu: longer than %d bytes", name, lineno, LIMIT_LINE);
			goto fail;
		}
		if (n > 0 && line[n - 1] == '\r')
			n--; /* RFC 8493 allows CRLF */
		if (n < 66 || !is_blank(line[64])) {
			st = dossier_fail(err, DOSSIER_INVALID,
			    "%s: line %zu: expected '<64 hex digits>  <path>'", name, lineno);
			goto fail;
		}
		struct manifest_line ml = { 0 };
		if (hex_decode_digest(line, ml.digest) != 0) {
			st = dossier_fail(err, DOSSIER_INVALID,
			    "%s: line %zu: checksum is not 64 hex digits", name, lineno);
			goto fail;
		}
		size_t p = 64;
		while (p < n && is_blank(line[p]))
			p++;
		ml.path = manifest_path_decode(line + p, n - p);
		if (ml.path == NULL) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			goto fail;
		}
		const char *why = bag_path_problem(ml.path);
		if (why != NULL) {
			st = dossier_fail(err, DOSSIER_INVALID, "%s: line %zu: %s", name, lineno, why);
			free(ml.path);
			goto fail;
		}
		char *nfc = path_nfc(ml.path);
		free(ml.path);
		if ((ml.path = nfc) == NULL) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			goto fail;
		}
		if (out->count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct manifest_line *nl2 = realloc(out->lines, ncap * sizeof *nl2);
			if (nl2 == NULL) {
				free(ml.path);
				st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
				goto fail;
			}
			out->lines = nl2;
			cap = ncap;
		}
		out->lines[out->count++] = ml;
	}
	if (out->count > 1)
		qsort(out->lines, out->count, sizeof *out->lines, by_path);
	for (size_t i = 1; i < out->count; i++) {
		if (strcmp(out->lines[i - 1].path, out->lines[i].path) == 0) {
			st = dossier_fail(err, DOSSIER_INVALID, "%s: '%s' is listed twice", name,
			    out->lines[i].path);
			goto fail;
		}
	}
	return DOSSIER_OK;
fail:
	manifest_release(out);
	return st;
}

struct manifest_line *manifest_find(const struct manifest *m, const char *path)
{
	struct manifest_line key = { .path = (char *)path };
	if (m->count == 0)
		return NULL;
	return bsearch(&key, m->lines, m->count, sizeof key, by_path);
}

void manifest_release(struct manifest *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->lines[i].path);
	free(m->lines);
	m->lines = NULL;
	m->count = 0;
}

int manifest_append(struct buf *out, const char *path, const uint8_t digest[32])
{
	char hex[65];
	hex_encode(digest, 32, hex);
	if (buf_append(out, hex, 64) != 0 || buf_append(out, "  ", 2) != 0)
		return -1;
	if (manifest_path_encode(path, out) != 0)
		return -1;
	return buf_append(out, "\n", 1);
}
