/* manifest.c - BagIt manifest lines: "<sha256 hex>  <path>", parsed strictly. */
#include <stdint.h>
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

/* Appends one line's path, decoded and in NFC, with its NUL, to the arena. */
static enum dossier_status add_path(const char *name, size_t lineno, const char *raw, size_t n,
    struct buf *arena, struct dossier_error *err)
{
	char *path = manifest_path_decode(raw, n);
	if (path == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	const char *why = bag_path_problem(path);
	if (why != NULL) {
		enum dossier_status st = dossier_fail(err, DOSSIER_INVALID, "%s: line %zu: %s", name, lineno, why);
		free(path);
		return st;
	}
	char *nfc = path_nfc(path);
	free(path);
	if (nfc == NULL || buf_append(arena, nfc, strlen(nfc) + 1) != 0) {
		free(nfc);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	free(nfc);
	return DOSSIER_OK;
}

/* One "<hex>  <path>" line of n bytes (its line ending cut off) into *ml; the path goes
   to the arena and ml->path holds its offset there until the arena stops moving. */
static enum dossier_status parse_line(const char *name, size_t lineno, const char *line, size_t n,
    struct manifest_line *ml, struct buf *arena, struct dossier_error *err)
{
	if (n > LIMIT_LINE)
		return dossier_fail(err, DOSSIER_INVALID, "%s: line %zu: longer than %d bytes", name, lineno, LIMIT_LINE);
	if (n > 0 && line[n - 1] == '\r')
		n--; /* RFC 8493 allows CRLF */
	if (n < 66 || !is_blank(line[64]))
		return dossier_fail(err, DOSSIER_INVALID, "%s: line %zu: expected '<64 hex digits>  <path>'", name, lineno);
	if (hex_decode_digest(line, ml->digest) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "%s: line %zu: checksum is not 64 hex digits", name, lineno);
	size_t p = 64;
	while (p < n && is_blank(line[p]))
		p++;
	ml->path = (char *)(uintptr_t)arena->len;
	ml->seen = 0;
	return add_path(name, lineno, line + p, n - p, arena, err);
}

static size_t count_lines(const char *text, size_t len)
{
	size_t n = 0;
	for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	return n;
}

/* A manifest may have millions of lines (LIMIT_MANIFEST): each costs its struct and its
   path's bytes in one arena, no allocation of its own, so the parsed form is never much
   larger than the text. */
enum dossier_status manifest_parse(const char *name, const char *text, size_t len,
    struct manifest *out, struct dossier_error *err)
{
	struct buf arena = { 0 };
	enum dossier_status st = DOSSIER_OK;
	memset(out, 0, sizeof *out);
	if (memchr(text, '\0', len) != NULL)
		return dossier_fail(err, DOSSIER_INVALID, "%s: contains a NUL byte", name);
	if (len > 0 && text[len - 1] != '\n')
		return dossier_fail(err, DOSSIER_INVALID, "%s: last line has no line ending", name);
	size_t nlines = count_lines(text, len);
	/* the paths with their NULs fit in the text (NFC rarely grows one; the arena grows then) */
	if ((out->lines = calloc(nlines ? nlines : 1, sizeof *out->lines)) == NULL || buf_reserve_exact(&arena, len + 1) != 0) {
		buf_release(&arena);
		manifest_release(out);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	for (size_t pos = 0; pos < len && st == DOSSIER_OK; out->count++) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		pos += (size_t)(nl - line) + 1;
		st = parse_line(name, out->count + 1, line, (size_t)(nl - line), &out->lines[out->count], &arena, err);
	}
	out->arena = arena.data;
	for (size_t i = 0; i < out->count; i++)
		out->lines[i].path = arena.data + (uintptr_t)out->lines[i].path;
	if (st != DOSSIER_OK)
		goto fail;
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
	free(m->lines);
	free(m->arena);
	m->lines = NULL;
	m->arena = NULL;
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
