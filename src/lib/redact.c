/* redact.c - a public copy of a bundle without some redactable files, every signed byte kept. */
#include <stdlib.h>
#include <string.h>

#include "redaction.h"

/* The payload path a --withhold argument names: as given, or with .salted added (the
   name the file had before packing). NULL when the manifest lists neither. */
static const struct manifest_line *withheld_line(const struct manifest *m, const char *arg, char **path)
{
	struct buf salted = { 0 };
	*path = path_nfc(arg);
	if (*path == NULL)
		return NULL;
	const struct manifest_line *l = manifest_find(m, *path);
	if (l == NULL && buf_printf(&salted, "%s%s", *path, SALTED_SUFFIX) == 0 &&
	    (l = manifest_find(m, salted.data)) != NULL) {
		free(*path);
		*path = salted.data;
		return l;
	}
	buf_release(&salted);
	return l;
}

/* Checks one --withhold argument and adds it to x. */
static enum dossier_status withhold_one(const struct dossier_bundle *b, const struct manifest *m,
    const cJSON *meta, struct redactions *x, const char *arg, const char *reason, struct dossier_error *err)
{
	char *path = NULL;
	uint64_t size = 0;
	enum dossier_status st = DOSSIER_OK;
	const struct manifest_line *l = withheld_line(m, arg, &path);
	if (path == NULL)
		return dossier_fail(err, DOSSIER_USAGE, "'%s': not a valid UTF-8 path", arg);
	if (strncmp(path, "data/", 5) != 0)
		st = dossier_fail(err, DOSSIER_USAGE, "%s: %s; only payload files under data/ can be withheld", arg,
		    bundle_tag(b, path) ? "a tag file" : "not a payload path");
	else if (l != NULL && redactions_find(x, path) != NULL)
		st = DOSSIER_OK; /* named twice, or withheld already: nothing more to do */
	else if (l == NULL)
		st = dossier_fail(err, DOSSIER_USAGE, "%s: not in the bundle (manifest-sha256.txt does not list it)", arg);
	else if (!meta_file_redactable(meta, path, &size))
		st = dossier_fail(err, DOSSIER_USAGE,
		    "%s: not marked redactable in dossier.json; only files packed with \"redactable\": true can be withheld",
		    path);
	else if (redactions_add(x, path, l->digest, size, reason) != 0 || redactions_sort(x) != 0)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	free(path);
	return st;
}

/* What redactions.json accepts back: one line of UTF-8 (schema.c's F_LINE). */
static int reason_ok(const char *reason)
{
	size_t n = reason ? strlen(reason) : 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7F)
			return 0;
	return n <= 1024 && (n == 0 || utf8_valid(reason, n));
}

enum dossier_status dossier_bundle_redact(const char *path, const struct dossier_redact_options *opt,
    size_t *withheld, struct dossier_error *err)
{
	struct dossier_bundle *b = NULL;
	struct manifest m = { 0 };
	struct redactions x = { 0 };
	cJSON *meta = NULL;
	char *text = NULL, id[64];
	const char **drop = NULL;
	*withheld = 0;
	if (opt->output == NULL || strcmp(opt->output, "-") == 0 || opt->nwithhold == 0)
		return dossier_fail(err, DOSSIER_USAGE, "redact needs an output file and at least one file to withhold");
	if (!reason_ok(opt->reason))
		return dossier_fail(err, DOSSIER_USAGE, "the reason must be one line of UTF-8, at most 1024 bytes");
	if (strcmp(path, "-") == 0)
		return dossier_fail(err, DOSSIER_USAGE, "redact reads its bundle twice: give a file, not stdin");
	enum dossier_status st = bundle_open_intact(path, "redact", &b, id, err);
	if (st != DOSSIER_OK)
		return st;
	/* all three parsed once already by the check above */
	const struct tag_entry *mt = bundle_tag(b, "manifest-sha256.txt");
	const struct tag_entry *dj = bundle_tag(b, "dossier.json");
	const struct tag_entry *rj = bundle_tag(b, "redactions.json");
	if ((st = manifest_parse(mt->path, mt->content.data, mt->content.len, &m, err)) != DOSSIER_OK ||
	    (meta = json_parse_strict(dj->path, dj->content.data, dj->content.len, err)) == NULL ||
	    (rj != NULL && (st = redactions_parse(rj->path, rj->content.data, rj->content.len, &x, err)) != DOSSIER_OK)) {
		st = st != DOSSIER_OK ? st : err->code;
		goto out;
	}
	size_t before = x.count;
	for (size_t i = 0; i < opt->nwithhold && st == DOSSIER_OK; i++)
		st = withhold_one(b, &m, meta, &x, opt->withhold[i], opt->reason, err);
	if (st != DOSSIER_OK)
		goto out;
	if ((text = redactions_render(&x)) == NULL || (drop = calloc(x.count + 1, sizeof *drop)) == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	/* the old redactions.json sorts among the withheld paths (data/ < r): drop, add anew */
	size_t ndrop = 0;
	for (size_t i = 0; i < x.count; i++)
		drop[ndrop++] = x.items[i].path;
	if (rj != NULL)
		drop[ndrop++] = rj->path;
	struct added_file add = { "redactions.json", text, strlen(text) };
	struct bundle_copy_spec spec = { .output = opt->output, .kind = archive_kind_from_name(opt->output),
		.force = opt->force, .mode = 0644, .add = &add, .nadd = 1, .drop = drop, .ndrop = ndrop };
	st = bundle_copy(path, b, &spec, err);
	if (st == DOSSIER_OK)
		*withheld = x.count - before;
out:
	free(drop);
	free(text);
	cJSON_Delete(meta);
	redactions_release(&x);
	manifest_release(&m);
	dossier_bundle_free(b);
	return st;
}
