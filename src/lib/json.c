/* json.c - cJSON with the limits a hostile input needs: size, depth, duplicates, trailing data. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "strset.h"

static const char *check_tree(const cJSON *node, int depth)
{
	if (depth > LIMIT_JSON_DEPTH)
		return "nested too deeply";
	struct strset keys = { 0 };
	const char *why = NULL;
	for (const cJSON *c = node->child; c != NULL && why == NULL; c = c->next) {
		/* A set, not pairwise compares: a 1 MiB object may hold 100,000 keys. */
		if (cJSON_IsObject(node)) {
			int rc = strset_put(&keys, c->string, NULL);
			why = rc > 0 ? "duplicate key" : rc < 0 ? "out of memory" : NULL;
		}
		if (why == NULL)
			why = check_tree(c, depth + 1);
	}
	strset_release(&keys);
	return why;
}

cJSON *json_parse_strict(const char *name, const char *text, size_t len,
    struct dossier_error *err)
{
	const char *end = NULL;
	if (len > LIMIT_TAGFILE) {
		dossier_fail(err, DOSSIER_INVALID, "%s: JSON larger than %u bytes", name, LIMIT_TAGFILE);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		dossier_fail(err, DOSSIER_INVALID, "%s: contains a NUL byte", name);
		return NULL;
	}
	if (!utf8_valid(text, len)) {
		/* RFC 8259: JSON is UTF-8; cJSON would pass other bytes through */
		dossier_fail(err, DOSSIER_INVALID, "%s: not valid UTF-8", name);
		return NULL;
	}
	/* cJSON cuts a string at an escaped NUL, which would hide bytes from checks. */
	for (size_t i = 0; i + 6 <= len; i++) {
		if (text[i] == '\\' && text[i + 1] == 'u' && strncmp(text + i + 2, "0000", 4) == 0) {
			dossier_fail(err, DOSSIER_INVALID, "%s: string contains \\u0000", name);
			return NULL;
		}
		if (text[i] == '\\')
			i++;
	}
	cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (json == NULL) {
		const char *at = cJSON_GetErrorPtr();
		long off = at && at >= text && at <= text + len ? (long)(at - text) : -1;
		dossier_fail(err, DOSSIER_INVALID, "%s: not valid JSON (near byte %ld)", name, off);
		return NULL;
	}
	for (const char *p = end; p < text + len; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			cJSON_Delete(json);
			dossier_fail(err, DOSSIER_INVALID, "%s: trailing data after the JSON value", name);
			return NULL;
		}
	}
	const char *why = check_tree(json, 0);
	if (why != NULL) {
		cJSON_Delete(json);
		dossier_fail(err, DOSSIER_INVALID, "%s: %s", name, why);
		return NULL;
	}
	return json;
}

char *json_render(const cJSON *json)
{
	char *tabs = cJSON_Print(json);
	if (tabs == NULL)
		return NULL;
	/* cJSON indents with tabs (it escapes tabs inside strings, so every raw tab is
	   indentation); two spaces read and diff better. */
	size_t extra = 0;
	for (const char *p = tabs; *p; p++)
		extra += *p == '\t';
	char *out = malloc(strlen(tabs) + extra + 2);
	if (out != NULL) {
		char *o = out;
		for (const char *p = tabs; *p; p++) {
			if (*p == '\t') {
				*o++ = ' ';
				*o++ = ' ';
			} else {
				*o++ = *p;
			}
		}
		*o++ = '\n';
		*o = '\0';
	}
	cJSON_free(tabs);
	return out;
}
