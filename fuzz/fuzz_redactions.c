/* fuzz_redactions.c - libFuzzer: redactions.json parsing, and what is parsed renders and parses back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redaction.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a '%' in the name: it must be printed, never used as a format */
static const char name[] = "redactions%s.json";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redactions x = { 0 }, y = { 0 };
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	enum dossier_status st = redactions_parse(name, (const char *)data, size, &x, &err);
	if (st != DOSSIER_OK) {
		/* DOSSIER_SOFTWARE means out of memory, which libFuzzer reports before malloc fails */
		if (st != DOSSIER_INVALID || err.code != st || memchr(err.message, '\0', sizeof err.message) == NULL ||
		    strncmp(err.message, name, strlen(name)) != 0 || x.count != 0 || x.items != NULL)
			abort();
		return 0;
	}
	if (x.count < 1)
		abort(); /* "withheld" needs at least one file */
	for (size_t i = 0; i < x.count; i++) {
		if (strncmp(x.items[i].path, "data/", 5) != 0 || x.items[i].reason == NULL)
			abort();
		if (i > 0 && strcmp(x.items[i - 1].path, x.items[i].path) >= 0)
			abort(); /* sorted, no path twice */
		if (redactions_find(&x, x.items[i].path) != &x.items[i])
			abort();
	}
	char *text = redactions_render(&x);
	if (text == NULL)
		abort();
	if (redactions_parse(name, text, strlen(text), &y, &err) != DOSSIER_OK || y.count != x.count)
		abort();
	for (size_t i = 0; i < x.count; i++)
		if (strcmp(x.items[i].path, y.items[i].path) != 0 || memcmp(x.items[i].digest, y.items[i].digest, 32) != 0 ||
		    x.items[i].size != y.items[i].size || strcmp(x.items[i].reason, y.items[i].reason) != 0)
			abort();
	free(text);
	redactions_release(&x);
	redactions_release(&y);
	return 0;
}
