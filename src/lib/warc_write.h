/* warc_write.h - writing WARC/1.1 records, each its own gzip member (warc_write.c). */
#ifndef DOSSIER_WARC_WRITE_H
#define DOSSIER_WARC_WRITE_H

#include "internal.h"

#define WARC_ID_LEN 48 /* "<urn:uuid:" + 36 + ">" and NUL */

/* One record. Its block is head (may be NULL) followed by body_len bytes read from
   body_fd from offset 0 (body_fd < 0: none). */
struct warc_out_record {
	const char *type;          /* warcinfo, request, response, metadata */
	const char *id;            /* from warc_new_id */
	const char *date;          /* RFC 3339 UTC */
	const char *target_uri;    /* NULL for warcinfo */
	const char *ip;            /* WARC-IP-Address, or NULL */
	const char *concurrent_to; /* WARC-Concurrent-To, or NULL */
	const char *warcinfo_id;   /* WARC-Warcinfo-ID, or NULL */
	const char *filename;      /* WARC-Filename (warcinfo), or NULL */
	const char *content_type;
	const struct buf *head;
	int body_fd;
	uint64_t body_len;
	/* sha256 of the whole block; NULL: computed here from head (body_fd must be < 0) */
	const uint8_t *block_digest;
	const uint8_t *payload_digest; /* NULL: no WARC-Payload-Digest */
};

/* A random (version 4) record id: "<urn:uuid:...>". */
void warc_new_id(char out[WARC_ID_LEN]);
/* Appends the record to fd as one gzip member; name is the file for messages. */
enum dossier_status warc_write_record(int fd, const struct warc_out_record *r, const char *name,
    struct dossier_error *err);

#endif
