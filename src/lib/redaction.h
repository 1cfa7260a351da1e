/* redaction.h - redactions.json (the unsigned list of withheld files) and its checks. */
#ifndef DOSSIER_REDACTION_H
#define DOSSIER_REDACTION_H

#include "report.h"

struct redaction {
	char *path; /* data/..., NFC */
	uint8_t digest[32];
	uint64_t size;
	char *reason; /* "" when none was given */
};
struct redactions {
	struct redaction *items; /* sorted by path */
	size_t count, cap;
};
/* Strict JSON, manifests/schema/redactions.schema.json, no path twice. */
enum dossier_status redactions_parse(const char *name, const char *text, size_t len,
    struct redactions *out, struct dossier_error *err);
/* Appends one; -1 when out of memory. Sort before finding. */
int redactions_add(struct redactions *x, const char *path, const uint8_t digest[32], uint64_t size,
    const char *reason);
/* Sorts by path: -1 if a path is there twice. */
int redactions_sort(struct redactions *x);
const struct redaction *redactions_find(const struct redactions *x, const char *path);
/* The file's text; NULL when out of memory. Caller frees. */
char *redactions_render(const struct redactions *x);
void redactions_release(struct redactions *x);

/* dossier.json's entry for a payload path (compared in NFC), or NULL. */
const cJSON *meta_file(const cJSON *meta, const char *path);
/* Whether dossier.json marks path redactable; then *size is its signed size. */
int meta_file_redactable(const cJSON *meta, const char *path, uint64_t *size);

/* Verify: each file redactions.json withholds must be absent, listed in m with the
   same digest, redactable with the same size; those that hold are marked seen in m
   and listed in r->withheld. */
void check_redactions(struct dossier_report *r, const struct dossier_bundle *b, struct manifest *m);

#endif
