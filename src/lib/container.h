/* container.h - the canonical-layout check of a bundle's archive file, shared by
   container*.c and archive_in.c. libarchive reads the entries; these files read the raw
   headers beside it and refuse any byte that another reader (GNU tar, bsdtar, Python's
   tarfile, unzip, a streaming zip reader) could read otherwise. */
#ifndef DOSSIER_CONTAINER_H
#define DOSSIER_CONTAINER_H

#include <stdint.h>
#include <sys/types.h>

#include "internal.h"

/* One entry as the raw headers give it, in archive order. */
struct container_entry {
	char *path;   /* the full name, top directory included; a directory's ends in '/' */
	uint64_t size;
	int is_dir;
};
struct container_list {
	struct container_entry *v;
	size_t n, cap;
	enum archive_kind kind; /* from the file's first bytes */
};
void container_list_release(struct container_list *l);
/* Appends a copy of path[len]: 0, or -1 out of memory. */
int container_list_add(struct container_list *l, const char *path, size_t len, uint64_t size,
    int is_dir);

/* Checks the whole file fd (read with pread; its offset is left alone) against the layout
   pack writes, and lists its entries. Decompressed bytes count against max_bytes, entries
   against max_entries; the check stops as soon as either is passed. */
enum dossier_status container_scan(int fd, const char *name, const struct dossier_limits *lim,
    struct container_list *out, struct dossier_error *err);

/* The decompressed bytes of a tar, tar.gz or tar.zst, a window at a time
   (container_stream.c). Every byte produced counts against the limit. */
struct cstream;
enum dossier_status cstream_open(struct cstream **out, int fd, enum archive_kind kind,
    const char *name, uint64_t max_bytes, struct dossier_error *err);
/* The next len (<= 4096) bytes, or NULL: at the end (*eof set) or on error (err filled). */
const unsigned char *cstream_take(struct cstream *s, size_t len, int *eof,
    struct dossier_error *err);
/* Passes over len bytes (entry data), still decompressing and counting them. */
enum dossier_status cstream_skip(struct cstream *s, uint64_t len, struct dossier_error *err);
/* Offset of the next byte in the decompressed stream. */
uint64_t cstream_offset(const struct cstream *s);
/* After the end-of-archive marker: checks that only zero bytes follow, up to the end of
   the record of record bytes that holds the marker, and then the file ends (one gzip
   member or zstd frame, nothing after it). */
enum dossier_status cstream_finish(struct cstream *s, uint64_t record, struct dossier_error *err);
void cstream_free(struct cstream *s);

/* The layouts (container_tar.c, container_zip.c). */
enum dossier_status container_scan_tar(struct cstream *s, const char *name,
    const struct dossier_limits *lim, struct container_list *out, struct dossier_error *err);
enum dossier_status container_scan_zip(int fd, const char *name, const struct dossier_limits *lim,
    struct container_list *out, struct dossier_error *err);

/* The limits' one-line refusals, the same from every reader of a bundle. */
enum dossier_status fail_over_bytes(struct dossier_error *err, const char *name, uint64_t max);
enum dossier_status fail_over_entries(struct dossier_error *err, const char *name, uint64_t max);
/* len bytes at offset at, retrying short reads: the count read (less at the end of the
   file), or -1 (errno set). */
ssize_t pread_full(int fd, void *buf, size_t len, uint64_t at);

/* 0 if all n bytes at p are zero. */
int nonzero_bytes(const unsigned char *p, size_t n);

#endif
