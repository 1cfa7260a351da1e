/* spec.c - reading a pack spec (manifests/schema/spec.schema.json) into a pack plan. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "schema.h"
#include "warc.h"

enum dossier_status meta_cross_checks(const char *name, const cJSON *doc, int is_spec,
    struct dossier_error *err);

static const struct field spec_file[] = {
	{ "source", F_LINE, 1, NULL, NULL, 0 },
	{ "path", F_LINE, 0, check_rel_path, NULL, 0 },
	{ "role", F_LINE, 1, check_role, NULL, 0 },
	{ "media_type", F_LINE, 0, check_media_type, NULL, 0 },
	{ "description", F_LINE, 0, NULL, NULL, 0 },
	{ "url", F_LINE, 0, check_url, NULL, 0 },
	{ "captured_at", F_LINE, 0, check_rfc3339, NULL, 0 },
	{ "footnote", F_INT, 0, NULL, NULL, 1 },
	{ "redactable", F_BOOL, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct field spec_top[] = {
	{ "spec_version", F_INT, 1, NULL, NULL, 1 },
	{ "name", F_LINE, 1, check_bag_name, NULL, 0 },
	{ "title", F_LINE, 1, NULL, NULL, 0 },
	{ "kind", F_LINE, 1, check_slug, NULL, 0 },
	{ "date", F_LINE, 1, check_date, NULL, 0 },
	{ "place", F_LINE, 0, NULL, NULL, 0 },
	{ "language", F_LINE, 0, check_language, NULL, 0 },
	{ "from", F_ARRAY, 1, NULL, schema_person, 1 },
	{ "to", F_ARRAY, 1, NULL, schema_recipient, 1 },
	{ "cc", F_ARRAY, 0, NULL, schema_recipient, 0 },
	{ "files", F_ARRAY, 1, NULL, spec_file, 1 },
	{ "references", F_ARRAY, 0, NULL, schema_reference, 0 },
	{ "notes", F_TEXT, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const char *role_dir(const char *role)
{
	if (strcmp(role, "letter") == 0)
		return "letter";
	if (strcmp(role, "annex") == 0)
		return "annex";
	if (strcmp(role, "snapshot") == 0)
		return "snapshots";
	return "attachments";
}

static char *join(const char *dir, const char *name)
{
	if (name[0] == '/')
		return strdup(name);
	char *out = malloc(strlen(dir) + strlen(name) + 2);
	if (out != NULL)
		sprintf(out, "%s/%s", dir, name);
	return out;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The file's entry in dossier.json: path, role, media type, then what the spec adds. */
static cJSON *file_info(const cJSON *f, const char *dest)
{
	cJSON *info = cJSON_CreateObject();
	const char *mt = str(f, "media_type");
	cJSON_AddStringToObject(info, "path", dest);
	cJSON_AddStringToObject(info, "role", str(f, "role"));
	cJSON_AddStringToObject(info, "media_type", mt ? mt : media_type_guess(dest));
	const char *copy[] = { "description", "url", "captured_at" };
	for (size_t i = 0; i < 3; i++)
		if (str(f, copy[i]) != NULL)
			cJSON_AddStringToObject(info, copy[i], str(f, copy[i]));
	const cJSON *fn = cJSON_GetObjectItemCaseSensitive(f, "footnote");
	if (fn != NULL)
		cJSON_AddNumberToObject(info, "footnote", fn->valuedouble);
	return info;
}

static enum dossier_status add_files(struct pack_plan *plan, const cJSON *files,
    const char *specdir, struct dossier_error *err)
{
	for (const cJSON *f = files->child; f != NULL; f = f->next) {
		const char *source = str(f, "source"), *path = str(f, "path");
		char *src = join(specdir, source);
		char *base = src ? strdup(src) : NULL;
		struct buf dest = { 0 };
		enum dossier_status st = DOSSIER_OK;
		if (src == NULL || base == NULL) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		} else if (path != NULL) {
			buf_printf(&dest, "data/%s", path);
		} else {
			buf_printf(&dest, "data/%s/%s", role_dir(str(f, "role")), basename(base));
		}
		if (st == DOSSIER_OK && dest.data == NULL)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		/* verify reads a snapshot as WARC by its name: name and type must agree */
		const char *mt = str(f, "media_type");
		if (st == DOSSIER_OK && strcmp(str(f, "role"), "snapshot") == 0 && mt != NULL &&
		    warc_name(dest.data) != warc_media_type(mt))
			st = dossier_fail(err, DOSSIER_INVALID,
			    "%s: a WARC snapshot needs both a name ending in .warc or .warc.gz and media type application/warc",
			    source);
		/* a redactable file is stored behind its salt line under name.salted (FORMAT.md);
		   its media type stays the one of its own bytes. A WARC snapshot is read as WARC
		   by verify, which a salt line in front would break, and a public web page is
		   nothing to withhold. */
		int salted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "redactable"));
		if (st == DOSSIER_OK && salted && warc_name(dest.data))
			st = dossier_fail(err, DOSSIER_INVALID, "%s: a WARC snapshot cannot be redactable", source);
		cJSON *info = st == DOSSIER_OK ? file_info(f, dest.data) : NULL;
		if (st == DOSSIER_OK && (info == NULL || (salted && (buf_printf(&dest, SALTED_SUFFIX) != 0 ||
		    cJSON_AddTrueToObject(info, "redactable") == NULL)))) {
			cJSON_Delete(info);
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		} else if (st == DOSSIER_OK) {
			st = plan_add_input(plan, src, dest.data, info, err);
			if (st == DOSSIER_OK)
				plan->inputs[plan->ninputs - 1].salted = salted;
		}
		free(src);
		free(base);
		buf_release(&dest);
		if (st != DOSSIER_OK)
			return st;
	}
	return DOSSIER_OK;
}

/* Each reference gets the snapshot files for its footnote ("snapshots"), or keeps the
   spec's reason for having none ("not_captured"). A reference with neither is refused:
   a citation nobody captured should be a decision written down, not an accident. */
static enum dossier_status add_coverage(struct pack_plan *plan, const char *spec_path,
    struct dossier_error *err)
{
	cJSON *refs = cJSON_GetObjectItemCaseSensitive(plan->meta, "references");
	for (cJSON *r = refs ? refs->child : NULL; r != NULL; r = r->next) {
		int fn = cJSON_GetObjectItemCaseSensitive(r, "footnote")->valueint;
		const char *why = str(r, "not_captured");
		cJSON *snaps = cJSON_CreateArray();
		if (snaps == NULL)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		for (size_t i = 0; i < plan->ninputs; i++) { /* sorted by destination */
			const cJSON *info = plan->inputs[i].info;
			const cJSON *foot = cJSON_GetObjectItemCaseSensitive(info, "footnote");
			if (strcmp(str(info, "role"), "snapshot") == 0 && foot != NULL && foot->valueint == fn)
				cJSON_AddItemToArray(snaps, cJSON_CreateString(plan->inputs[i].dest));
		}
		int n = cJSON_GetArraySize(snaps);
		if (n > 0 && why != NULL) {
			cJSON_Delete(snaps);
			return dossier_fail(err, DOSSIER_INVALID, "%s: footnote %d has a snapshot and says \"not_captured\"",
			    spec_path, fn);
		}
		if (n == 0) {
			cJSON_Delete(snaps);
			if (why != NULL)
				continue;
			return dossier_fail(err, DOSSIER_INVALID,
			    "%s: footnote %d (%.200s) has no snapshot: pack with --capture, add a file with \"role\": \"snapshot\", "
			    "\"footnote\": %d, or give the reference \"not_captured\": \"<reason>\"", spec_path, fn, str(r, "url"), fn);
		}
		/* after url, before anything else, so dossier.json reads in that order */
		cJSON_DeleteItemFromObjectCaseSensitive(r, "not_captured");
		cJSON_AddItemToObject(r, "snapshots", snaps);
	}
	return DOSSIER_OK;
}

/* Binds the key ids of -p keys to signatories whose name the key file carries. */
static enum dossier_status bind_signers(cJSON *from, const struct dossier_keyset *signers,
    struct dossier_error *err)
{
	for (size_t i = 0; i < dossier_keyset_count(signers); i++) {
		const char *source;
		const struct dossier_pubkey *key = dossier_keyset_get(signers, i, &source);
		char name[256];
		dossier_pubkey_comment_name(key, name, sizeof name); /* the sender's own key */
		if (name[0] == '\0')
			return dossier_fail(err, DOSSIER_USAGE,
			    "%s: the key carries no name (made without keygen --name); put its key id in the spec instead", source);
		cJSON *who = NULL;
		for (cJSON *p = from->child; p != NULL; p = p->next)
			if (strcmp(str(p, "name"), name) == 0)
				who = p;
		if (who == NULL)
			return dossier_fail(err, DOSSIER_USAGE, "%s: '%s' is not a signatory in the spec", source, name);
		const char *have = str(who, "keyid");
		if (have != NULL && strcmp(have, key->keyid) != 0)
			return dossier_fail(err, DOSSIER_USAGE, "%s: the spec gives '%s' key id %s, the key file %s",
			    source, name, have, key->keyid);
		if (have == NULL)
			cJSON_AddStringToObject(who, "keyid", key->keyid);
	}
	return DOSSIER_OK;
}

/* dossier.json's field order, fixed so output is reproducible and reads well. */
static cJSON *build_meta(const cJSON *spec)
{
	static const char *const order[] = { "title", "kind", "date", "place", "language", "from",
		"to", "cc", "references", "notes" };
	cJSON *meta = cJSON_CreateObject();
	if (meta == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, order[i]);
		if (v != NULL)
			cJSON_AddItemToObject(meta, order[i], cJSON_Duplicate(v, 1));
	}
	return meta;
}

enum dossier_status plan_from_spec(const char *spec_path, const struct dossier_pack_options *opt,
    struct pack_plan *plan, struct dossier_error *err)
{
	struct buf text = { 0 };
	cJSON *spec = NULL;
	char *dircopy = NULL;
	enum dossier_status st = read_small_file(spec_path, LIMIT_TAGFILE, &text, err);
	memset(plan, 0, sizeof *plan);
	if (st != DOSSIER_OK)
		return st;
	if ((spec = json_parse_strict(spec_path, text.data, text.len, err)) == NULL) {
		st = err->code;
		goto out;
	}
	if (!cJSON_IsObject(spec)) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: must be a JSON object", spec_path);
		goto out;
	}
	if ((st = schema_check(spec_path, spec, spec_top, err)) != DOSSIER_OK ||
	    (st = meta_cross_checks(spec_path, spec, 1, err)) != DOSSIER_OK)
		goto out;
	/* The id is derived from the spec's bytes, so packing twice gives one bundle. */
	sha256_buf(text.data, text.len, plan->id_seed);
	plan->name = strdup(str(spec, "name"));
	plan->meta = build_meta(spec);
	dircopy = strdup(spec_path);
	if (plan->name == NULL || plan->meta == NULL || dircopy == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if (opt->signers != NULL &&
	    (st = bind_signers(cJSON_GetObjectItemCaseSensitive(plan->meta, "from"), opt->signers, err)) != DOSSIER_OK)
		goto out;
	if ((st = add_files(plan, cJSON_GetObjectItemCaseSensitive(spec, "files"), dirname(dircopy), err)) != DOSSIER_OK)
		goto out;
	if (opt->capture != NULL && (st = plan_capture_references(plan, spec, opt->capture, err)) != DOSSIER_OK)
		goto out;
	if (opt->epoch >= 0)
		plan->epoch = opt->epoch;
	else if (parse_date(str(spec, "date"), &plan->epoch) != 0 || plan->epoch < 0)
		plan->epoch = 0; /* archives carry no mtime before 1970 */
	if ((st = plan_finish(plan, err)) == DOSSIER_OK)
		st = add_coverage(plan, spec_path, err);
out:
	if (st != DOSSIER_OK)
		plan_release(plan);
	cJSON_Delete(spec);
	buf_release(&text);
	free(dircopy);
	return st;
}
