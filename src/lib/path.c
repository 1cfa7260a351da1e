/* path.c - which paths may name an entry of a bag, and their manifest encoding. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>

#include "strset.h"

#include "internal.h"

/* Length of the UTF-8 sequence at s, or 0 if it is not well-formed (RFC 3629). */
static size_t utf8_seq(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (s[0] == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (s[0] == 0xED && s[1] > 0x9F)
			return 0; /* surrogates */
		return 3;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

char *utf8_sanitize(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned char tmp[4] = { 0 };
		size_t avail = n - i < 4 ? n - i : 4;
		memcpy(tmp, s + i, avail);
		size_t len = utf8_seq(tmp);
		if (len == 0 || len > avail) {
			out[i++] = '?';
			continue;
		}
		memcpy(out + i, s + i, len);
		i += len;
	}
	out[n] = '\0';
	return out;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		/* utf8_seq may look up to 3 bytes ahead: never past the end of this range */
		unsigned char tmp[4] = { 0 };
		size_t avail = (size_t)(end - p) < 4 ? (size_t)(end - p) : 4;
		memcpy(tmp, p, avail);
		size_t len = utf8_seq(tmp);
		if (len == 0 || len > avail)
			return 0;
		p += len;
	}
	return 1;
}

const char *bag_path_problem(const char *path)
{
	size_t len = strlen(path);
	if (len == 0)
		return "empty path";
	if (len > LIMIT_PATH_BYTES)
		return "path too long";
	if (path[0] == '/')
		return "absolute path";
	if (len >= 2 && path[1] == ':')
		return "drive letter in path";
	size_t depth = 0;
	const char *comp = path;
	for (const unsigned char *p = (const unsigned char *)path;;) {
		if (*p == '/' || *p == '\0') {
			size_t n = (size_t)((const char *)p - comp);
			if (n == 0)
				return "empty path component";
			if ((n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.'))
				return "'.' or '..' in path";
			if (n > LIMIT_NAME_BYTES)
				return "path component too long";
			if (++depth > LIMIT_DEPTH)
				return "path too deep";
			if (*p == '\0')
				break;
			comp = (const char *)++p;
			continue;
		}
		if (*p < 0x20 || *p == 0x7F)
			return "control character in path";
		if (*p == '\\')
			return "backslash in path";
		size_t n = utf8_seq(p);
		if (n == 0)
			return "path is not valid UTF-8";
		p += n;
	}
	return NULL;
}

int manifest_path_encode(const char *path, struct buf *out)
{
	for (const char *p = path; *p; p++) {
		const char *esc = *p == '\r' ? "%0D" : *p == '\n' ? "%0A" : *p == '%' ? "%25" : NULL;
		if ((esc ? buf_append(out, esc, 3) : buf_append(out, p, 1)) != 0)
			return -1;
	}
	return 0;
}

char *manifest_path_decode(const char *in, size_t len)
{
	char *out = malloc(len + 1);
	size_t o = 0;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (in[i] != '%') {
			out[o++] = in[i];
			continue;
		}
		/* RFC 8493 escapes exactly these three; any other % is taken literally
		   except that a lone or malformed escape of them is refused. */
		if (i + 2 < len && in[i + 1] == '0' && (in[i + 2] == 'A' || in[i + 2] == 'a')) {
			out[o++] = '\n';
			i += 2;
		} else if (i + 2 < len && in[i + 1] == '0' && (in[i + 2] == 'D' || in[i + 2] == 'd')) {
			out[o++] = '\r';
			i += 2;
		} else if (i + 2 < len && in[i + 1] == '2' && in[i + 2] == '5') {
			out[o++] = '%';
			i += 2;
		} else {
			out[o++] = '%';
		}
	}
	out[o] = '\0';
	return out;
}

int has_suffix(const char *s, const char *suffix, int fold)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (n < m)
		return 0;
	if (!fold)
		return strcmp(s + n - m, suffix) == 0;
	for (size_t i = 0; i < m; i++)
		if (tolower((unsigned char)s[n - m + i]) != tolower((unsigned char)suffix[i]))
			return 0;
	return 1;
}

int cmp_strptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ASCII is its own NFC, and folds by ASCII case alone: most paths are ASCII, and
   libunistring's general case costs more than the rest of packing a small file. */
static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

char *path_nfc(const char *path)
{
	size_t len = 0;
	if (is_ascii(path))
		return strdup(path);
	return (char *)u8_normalize(UNINORM_NFC, (const uint8_t *)path, strlen(path) + 1, NULL, &len);
}

char *path_fold(const char *path)
{
	size_t len = 0;
	if (is_ascii(path)) {
		char *folded = strdup(path);
		for (char *c = folded; c != NULL && *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		return folded;
	}
	return (char *)u8_casefold((const uint8_t *)path, strlen(path) + 1, NULL, UNINORM_NFC, NULL, &len);
}

const char *path_parent_in(const struct strset *set, const char *path)
{
	char dir[LIMIT_PATH_BYTES + 1];
	size_t n = strlen(path);
	for (size_t i = 1; i < n && i <= LIMIT_PATH_BYTES; i++) {
		if (path[i] != '/')
			continue;
		memcpy(dir, path, i);
		dir[i] = '\0';
		const char *value = strset_get(set, dir);
		if (value != NULL)
			return value;
	}
	return NULL;
}
