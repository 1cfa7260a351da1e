/* meta.c - the rules dossier.json must meet (manifests/schema/dossier.schema.json). */
#include <string.h>

#include "schema.h"

static const struct field dossier_file[] = {
	{ "path", F_LINE, 1, check_data_path, NULL, 0 },
	{ "role", F_LINE, 1, check_role, NULL, 0 },
	{ "media_type", F_LINE, 1, check_media_type, NULL, 0 },
	{ "size", F_INT, 1, NULL, NULL, 0 },
	{ "sha256", F_LINE, 1, check_sha256, NULL, 0 },
	{ "description", F_LINE, 0, NULL, NULL, 0 },
	{ "url", F_LINE, 0, check_url, NULL, 0 },
	{ "captured_at", F_LINE, 0, check_rfc3339, NULL, 0 },
	{ "footnote", F_INT, 0, NULL, NULL, 1 },
	{ "tool", F_LINE, 0, NULL, NULL, 0 },
	{ "redactable", F_BOOL, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

/* A reference and what covers it: the snapshot files pack found for its footnote, or
   the reason the spec gave for having none. Bundles made before either carry neither. */
static const struct field dossier_reference[] = {
	{ "footnote", F_INT, 1, NULL, NULL, 1 },
	{ "url", F_LINE, 1, check_url, NULL, 0 },
	{ "snapshots", F_STRINGS, 0, check_data_path, NULL, 1 },
	{ "not_captured", F_LINE, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct field dossier_top[] = {
	{ "dossier_version", F_INT, 1, NULL, NULL, 1 },
	{ "id", F_LINE, 1, check_uuid, NULL, 0 },
	{ "title", F_LINE, 1, NULL, NULL, 0 },
	{ "kind", F_LINE, 1, check_slug, NULL, 0 },
	{ "date", F_LINE, 1, check_date, NULL, 0 },
	{ "place", F_LINE, 0, NULL, NULL, 0 },
	{ "language", F_LINE, 0, check_language, NULL, 0 },
	{ "from", F_ARRAY, 1, NULL, schema_person, 0 },
	{ "to", F_ARRAY, 0, NULL, schema_recipient, 0 },
	{ "cc", F_ARRAY, 0, NULL, schema_recipient, 0 },
	{ "files", F_ARRAY, 1, NULL, dossier_file, 0 },
	{ "references", F_ARRAY, 0, NULL, dossier_reference, 0 },
	{ "notes", F_TEXT, 0, NULL, NULL, 0 },
	{ "supersedes", F_OBJECT, 0, NULL, schema_supersedes, 0 },
	{ "created", F_LINE, 1, check_rfc3339, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

/* Whether files lists a snapshot at path for footnote fn. */
static int snapshot_for(const cJSON *files, const char *path, int fn)
{
	for (const cJSON *f = files ? files->child : NULL; f != NULL; f = f->next) {
		const cJSON *foot = cJSON_GetObjectItemCaseSensitive(f, "footnote");
		if (strcmp(cJSON_GetObjectItemCaseSensitive(f, "role")->valuestring, "snapshot") == 0 &&
		    strcmp(cJSON_GetObjectItemCaseSensitive(f, "path")->valuestring, path) == 0 &&
		    foot != NULL && foot->valueint == fn)
			return 1;
	}
	return 0;
}

static int listed(const cJSON *snapshots, const char *path)
{
	for (const cJSON *s = snapshots ? snapshots->child : NULL; s != NULL; s = s->next)
		if (strcmp(s->valuestring, path) == 0)
			return 1;
	return 0;
}

/* A reference's "snapshots" are exactly the snapshot files with its footnote, and one
   with "not_captured" has none. A bag whose dossier.json leaves the file list to the
   manifest lists no references. */
static enum dossier_status coverage_claims(const char *name, const cJSON *refs, const cJSON *files,
    struct dossier_error *err)
{
	for (const cJSON *r = refs ? refs->child : NULL; r != NULL; r = r->next) {
		int fn = cJSON_GetObjectItemCaseSensitive(r, "footnote")->valueint;
		const cJSON *snaps = cJSON_GetObjectItemCaseSensitive(r, "snapshots");
		const cJSON *none = cJSON_GetObjectItemCaseSensitive(r, "not_captured");
		if (snaps != NULL && none != NULL)
			return dossier_fail(err, DOSSIER_INVALID, "%s: footnote %d has both \"snapshots\" and \"not_captured\"", name, fn);
		for (const cJSON *s = snaps ? snaps->child : NULL; s != NULL; s = s->next)
			if (!snapshot_for(files, s->valuestring, fn))
				return dossier_fail(err, DOSSIER_INVALID,
				    "%s: footnote %d lists snapshot '%s', which \"files\" has no snapshot for footnote %d", name, fn,
				    s->valuestring, fn);
		if (snaps == NULL && none == NULL)
			continue; /* made before coverage was recorded */
		for (const cJSON *f = files ? files->child : NULL; f != NULL; f = f->next) {
			const cJSON *foot = cJSON_GetObjectItemCaseSensitive(f, "footnote");
			const char *path = cJSON_GetObjectItemCaseSensitive(f, "path")->valuestring;
			if (foot == NULL || foot->valueint != fn ||
			    strcmp(cJSON_GetObjectItemCaseSensitive(f, "role")->valuestring, "snapshot") != 0 || listed(snaps, path))
				continue;
			return dossier_fail(err, DOSSIER_INVALID, none != NULL
			    ? "%s: footnote %d says \"not_captured\", but '%s' is a snapshot for it"
			    : "%s: footnote %d does not list its snapshot '%s'", name, fn, path);
		}
	}
	return DOSSIER_OK;
}

/* Rules a field table cannot say: versions, per-kind minimums, uniqueness. */
enum dossier_status meta_cross_checks(const char *name, const cJSON *doc, int is_spec,
    struct dossier_error *err);
enum dossier_status meta_cross_checks(const char *name, const cJSON *doc, int is_spec,
    struct dossier_error *err)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(doc, "kind");
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(doc, "from");
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(doc, "files");
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(doc, "references");
	int is_bag = cJSON_IsString(kind) && strcmp(kind->valuestring, "bag") == 0;
	if (!is_bag && cJSON_GetArraySize(from) < 1)
		return dossier_fail(err, DOSSIER_INVALID, "%s: \"from\" needs at least one signatory", name);
	if (!is_bag && cJSON_GetArraySize(files) < 1)
		return dossier_fail(err, DOSSIER_INVALID, "%s: \"files\" needs at least one file", name);
	/* A key id bound to two signatories would let one key count as two people. */
	for (const cJSON *a = from ? from->child : NULL; a != NULL; a = a->next) {
		const cJSON *ka = cJSON_GetObjectItemCaseSensitive(a, "keyid");
		for (const cJSON *b = a->next; ka != NULL && b != NULL; b = b->next) {
			const cJSON *kb = cJSON_GetObjectItemCaseSensitive(b, "keyid");
			if (kb != NULL && strcmp(ka->valuestring, kb->valuestring) == 0)
				return dossier_fail(err, DOSSIER_INVALID, "%s: key id %s is given to two signatories", name, ka->valuestring);
		}
	}
	for (const cJSON *a = refs ? refs->child : NULL; a != NULL; a = a->next) {
		int fa = cJSON_GetObjectItemCaseSensitive(a, "footnote")->valueint;
		for (const cJSON *b = a->next; b != NULL; b = b->next)
			if (cJSON_GetObjectItemCaseSensitive(b, "footnote")->valueint == fa)
				return dossier_fail(err, DOSSIER_INVALID, "%s: footnote %d is listed twice in \"references\"", name, fa);
	}
	for (const cJSON *f = files ? files->child : NULL; f != NULL; f = f->next) {
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(f, "role");
		if (strcmp(role->valuestring, "snapshot") != 0)
			continue;
		const char *need[] = { "url", "captured_at", "footnote" };
		for (size_t i = 0; i < 3; i++)
			if (cJSON_GetObjectItemCaseSensitive(f, need[i]) == NULL)
				return dossier_fail(err, DOSSIER_INVALID, "%s: a snapshot file needs \"%s\"", name, need[i]);
	}
	if (!is_spec) {
		enum dossier_status st = coverage_claims(name, refs, files, err);
		if (st != DOSSIER_OK)
			return st;
	}
	const char *version = is_spec ? "spec_version" : "dossier_version";
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, version);
	if (v == NULL || v->valuedouble != 1)
		return dossier_fail(err, DOSSIER_INVALID, "%s: unsupported \"%s\" (this dossier reads version 1)", name, version);
	return DOSSIER_OK;
}

enum dossier_status dossier_json_check(const char *name, const cJSON *doc,
    struct dossier_error *err)
{
	if (!cJSON_IsObject(doc))
		return dossier_fail(err, DOSSIER_INVALID, "%s: must be a JSON object", name);
	enum dossier_status st = schema_check(name, doc, dossier_top, err);
	if (st == DOSSIER_OK)
		st = meta_cross_checks(name, doc, 0, err);
	return st;
}
