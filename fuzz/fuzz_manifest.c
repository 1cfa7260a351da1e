/* fuzz_manifest.c - libFuzzer: manifest_parse on any bytes, and what a parsed manifest promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m, again;
	struct dossier_error err;
	struct buf out = { 0 };
	if (manifest_parse("manifest-sha256.txt", (const char *)data, size, &m, &err) != DOSSIER_OK) {
		/* a refusal always says why, and leaves nothing behind */
		if (err.code != DOSSIER_INVALID || err.message[0] == '\0' || m.lines != NULL || m.count != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < m.count; i++) {
		/* every accepted path is safe, and lookup finds exactly its own line */
		if (bag_path_problem(m.lines[i].path) != NULL)
			abort();
		if (manifest_find(&m, m.lines[i].path) != &m.lines[i])
			abort();
		if (i > 0 && strcmp(m.lines[i - 1].path, m.lines[i].path) >= 0)
			abort();
		if (manifest_append(&out, m.lines[i].path, m.lines[i].digest) != 0)
			abort();
	}
	/* writing the manifest back out and reading it again gives the same lines */
	if (manifest_parse("again", out.data ? out.data : "", out.len, &again, &err) != DOSSIER_OK)
		abort();
	if (again.count != m.count)
		abort();
	for (size_t i = 0; i < m.count; i++)
		if (strcmp(again.lines[i].path, m.lines[i].path) != 0 ||
		    memcmp(again.lines[i].digest, m.lines[i].digest, 32) != 0)
			abort();
	manifest_release(&again);
	manifest_release(&m);
	buf_release(&out);
	return 0;
}
