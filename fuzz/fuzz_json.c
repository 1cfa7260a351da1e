/* fuzz_json.c - libFuzzer: strict JSON parsing, the dossier.json rules, and rendering back. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dossier_error err;
	cJSON *doc = json_parse_strict("dossier.json", (const char *)data, size, &err);
	if (doc == NULL) {
		if (err.code != DOSSIER_INVALID || err.message[0] == '\0')
			abort();
		return 0;
	}
	if (dossier_json_check("dossier.json", doc, &err) != DOSSIER_OK && err.message[0] == '\0')
		abort();
	/* what we render, we read back: no duplicates, no NUL, same depth */
	char *text = json_render(doc);
	if (text == NULL)
		abort();
	size_t n = strlen(text);
	if (n <= LIMIT_TAGFILE) {
		cJSON *again = json_parse_strict("rendered", text, n, &err);
		if (again == NULL)
			abort();
		cJSON_Delete(again);
	}
	free(text);
	cJSON_Delete(doc);
	return 0;
}
