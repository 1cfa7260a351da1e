/* fuzz_revocations.c - libFuzzer: revocation list parsing; OK or INVALID, entries strictly sorted well-formed key ids. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a '%' in the name: it must be printed, never used as a format */
static const char name[] = "revoked/list%s.json";

static int is_keyid(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789ABCDEF") == 16;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct revocation_list list;
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	enum dossier_status st = revocation_parse(name, (const char *)data, size, &list, &err);
	if (st != DOSSIER_OK) {
		/* DOSSIER_SOFTWARE means out of memory, which libFuzzer reports before malloc fails;
		   a failed parse leaves nothing to release */
		if (st != DOSSIER_INVALID || err.code != st || memchr(err.message, '\0', sizeof err.message) == NULL ||
		    strncmp(err.message, name, strlen(name)) != 0 || strlen(err.message) <= strlen(name) ||
		    list.count != 0 || list.items != NULL || list.reasons != NULL)
			abort();
		revocation_release(&list);
		return 0;
	}
	if (!is_keyid(list.authority) || memchr(list.issued, '\0', sizeof list.issued) == NULL)
		abort();
	for (size_t i = 0; i < list.count; i++) {
		const struct dossier_revocation *r = &list.items[i];
		int64_t at;
		if (!is_keyid(r->keyid) || (i > 0 && strcmp(list.items[i - 1].keyid, r->keyid) >= 0) ||
		    r->reason == NULL || strcmp(r->authority, list.authority) != 0 ||
		    memchr(r->revoked_at, '\0', sizeof r->revoked_at) == NULL || parse_rfc3339(r->revoked_at, &at) != 0 ||
		    at != r->at)
			abort();
	}
	revocation_release(&list);
	if (list.count != 0 || list.items != NULL)
		abort();
	return 0;
}
