/* warc.h - reading WARC files (ISO 28500, WARC/1.0 and 1.1) as a stream, checking the
   digests they store. */
#ifndef DOSSIER_WARC_H
#define DOSSIER_WARC_H

#include "internal.h"

#define WARC_HEADER_MAX (64u << 10) /* one WARC header block, or one HTTP header block */

/* One record, handed to the caller when its block has been read and its digests held.
   The strings are borrowed until the callback returns; absent fields are "". */
struct warc_record {
	uint64_t number;          /* 1-based, in file order */
	const char *record_id;    /* WARC-Record-ID */
	const char *type;         /* WARC-Type: response, resource, request, ... */
	const char *target_uri;   /* WARC-Target-URI without <> */
	const char *date;         /* WARC-Date */
	const char *content_type; /* of the payload: the HTTP Content-Type of an HTTP
	                             message, else the record's Content-Type */
	const char *location;     /* an HTTP response's Location header */
	int http_status;          /* an HTTP response's status code, or -1 */
	uint64_t block_size;      /* Content-Length */
	uint64_t payload_size;    /* the entity body of an HTTP message, else the block */
	int block_checked, payload_checked; /* a stored digest was present and held */
};

/* Called for each good record; non-zero stops the reading with "stopped by caller". */
typedef int (*warc_record_fn)(void *ctx, const struct warc_record *rec);

/* Feed the bytes of a file as they come (plain or gzip, one member per record or one
   for all): warc_reader_update any number of times, then warc_reader_final. After the
   first failure every call returns it again. name is for messages. */
struct warc_reader;
int warc_reader_new(struct warc_reader **out, const char *name, warc_record_fn fn, void *ctx);
enum dossier_status warc_reader_update(struct warc_reader *w, const void *data, size_t len,
    struct dossier_error *err);
enum dossier_status warc_reader_final(struct warc_reader *w, struct dossier_error *err);
/* Records read in full so far. */
uint64_t warc_reader_records(const struct warc_reader *w);
/* Whether the failure is a stored digest that does not hold (else: malformed). */
int warc_reader_digest_failed(const struct warc_reader *w);
void warc_reader_free(struct warc_reader *w);

/* A file name or media type that says WARC (.warc, .warc.gz; application/warc). */
int warc_name(const char *path);
int warc_media_type(const char *media_type);

/* ---- what pack and verify keep of one WARC file (warc_scan.c) ---- */
#define WARC_TARGETS_MAX (8u << 20) /* bytes of target URIs and redirects kept per file */

/* A response or resource record: what a snapshot's url is looked up in. */
struct warc_target {
	char *uri;
	char *location; /* of a redirect, or NULL */
	char *content_type;
	int http_status; /* -1 for a resource record */
	uint64_t payload_size;
};
struct warc_summary {
	uint64_t records;
	char *problem;      /* the first failure, or NULL if every record held */
	int digest_problem; /* that failure is a stored digest that does not hold */
	struct warc_target *targets;
	size_t ntargets, captargets, bytes;
};
/* Scanning one file: begin, update with its bytes (failures are kept, not returned),
   end. -1 only when out of memory. */
struct warc_scan {
	struct warc_reader *reader;
	struct warc_summary *summary;
	int oom;
};
int warc_scan_begin(struct warc_scan *s, const char *name);
void warc_scan_update(struct warc_scan *s, const void *data, size_t len);
/* The summary (the caller's to warc_summary_free), or NULL when out of memory. */
struct warc_summary *warc_scan_end(struct warc_scan *s);
void warc_summary_free(struct warc_summary *sum);
/* The record for url, following redirects the file also holds (at most 10): the final
   response. NULL if no response or resource record has url as its target. */
const struct warc_target *warc_summary_final(const struct warc_summary *sum, const char *url);

#endif
