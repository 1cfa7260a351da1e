/* container.c - which container a bundle file is, from its first bytes, and its check
   against the one layout pack writes (container_tar.c, container_zip.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"

#define ZIP_END_SEARCH (65535u + 22u) /* how far back unzip looks for its end record */

void container_list_release(struct container_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof *l);
}

int container_list_add(struct container_list *l, const char *path, size_t len, uint64_t size,
    int is_dir)
{
	struct container_entry *v = array_grow(l->v, l->n, &l->cap, sizeof *v);
	if (v == NULL)
		return -1;
	l->v = v;
	if ((v[l->n].path = strndup(path, len)) == NULL)
		return -1;
	v[l->n].size = size;
	v[l->n].is_dir = is_dir;
	l->n++;
	return 0;
}

ssize_t pread_full(int fd, void *buf, size_t len, uint64_t at)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(at + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

enum dossier_status fail_over_bytes(struct dossier_error *err, const char *name, uint64_t max)
{
	return dossier_fail(err, DOSSIER_INVALID,
	    "%s: the bundle holds more than %llu bytes uncompressed (raise the limit with --max-bytes)",
	    name, (unsigned long long)max);
}

enum dossier_status fail_over_entries(struct dossier_error *err, const char *name, uint64_t max)
{
	return dossier_fail(err, DOSSIER_INVALID, "%s: more than %llu entries (raise the limit with --max-entries)",
	    name, (unsigned long long)max);
}

/* The kind from the magic numbers libarchive also goes by; a gzip member must carry no
   name, comment or extra field (pack writes none, and they are bytes nobody checks). */
static enum dossier_status sniff(int fd, const char *name, enum archive_kind *kind,
    struct dossier_error *err)
{
	unsigned char m[4] = { 0 };
	ssize_t n = pread_full(fd, m, sizeof m, 0);
	if (n < 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	if (n >= 3 && m[0] == 0x1f && m[1] == 0x8b && m[2] == 8) {
		*kind = ARCHIVE_TAR_GZ;
		if (n < 4 || m[3] != 0)
			return dossier_fail(err, DOSSIER_INVALID,
			    "%s: not in the canonical form pack writes: gzip header with a name, comment or extra field", name);
	} else if (n == 4 && memcmp(m, "\x28\xb5\x2f\xfd", 4) == 0) {
		*kind = ARCHIVE_TAR_ZST;
	} else if (n == 4 && memcmp(m, "PK\3\4", 4) == 0) {
		*kind = ARCHIVE_ZIP;
	} else {
		*kind = ARCHIVE_TAR;
	}
	return DOSSIER_OK;
}

/* unzip finds a zip by the end record within the last 64 KiB of a file, whatever comes
   before it: a tar bundle must not hold one (a file's data could), or unzip would list
   entries that tar does not. */
static enum dossier_status not_a_zip(int fd, const char *name, struct dossier_error *err)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	uint64_t size = (uint64_t)sb.st_size, len = size < ZIP_END_SEARCH ? size : ZIP_END_SEARCH;
	unsigned char *tail = malloc(len ? len : 1);
	if (tail == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	enum dossier_status st = DOSSIER_OK;
	if (pread_full(fd, tail, len, size - len) != (ssize_t)len)
		st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	for (size_t i = 0; st == DOSSIER_OK && i + 22 <= len; i++) {
		size_t comment = (size_t)tail[i + 20] | (size_t)tail[i + 21] << 8;
		if (memcmp(tail + i, "PK\5\6", 4) == 0 && i + 22 + comment == len)
			st = dossier_fail(err, DOSSIER_INVALID,
			    "%s: not in the canonical form pack writes: the tar also reads as a zip (an end record at offset %llu)",
			    name, (unsigned long long)(size - len + i));
	}
	free(tail);
	return st;
}

enum dossier_status container_scan(int fd, const char *name, const struct dossier_limits *lim,
    struct container_list *out, struct dossier_error *err)
{
	enum archive_kind kind = ARCHIVE_TAR;
	struct cstream *s = NULL;
	memset(out, 0, sizeof *out);
	enum dossier_status st = sniff(fd, name, &kind, err);
	if (st != DOSSIER_OK)
		return st;
	out->kind = kind;
	if (kind == ARCHIVE_ZIP)
		return container_scan_zip(fd, name, lim, out, err);
	if ((st = not_a_zip(fd, name, err)) != DOSSIER_OK ||
	    (st = cstream_open(&s, fd, kind, name, lim->max_bytes, err)) != DOSSIER_OK)
		return st;
	st = container_scan_tar(s, name, lim, out, err);
	cstream_free(s);
	return st;
}
