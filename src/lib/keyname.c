/* keyname.c - the name a receiver gives a key it trusts directly, kept in the keyring
   beside the key (NAME.pub, NAME.name.json) and bound to it by its key id. A key file's
   comment is anyone's to edit, so it never names anyone. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trust.h"

#define PUB_SUFFIX ".pub"

/* path with suffix from replaced by suffix to; NULL when path lacks from (or no memory) */
static char *swap_suffix(const char *path, const char *from, const char *to)
{
	size_t n = strlen(path), f = strlen(from);
	struct buf b = { 0 };
	if (n <= f || !has_suffix(path, from, 0))
		return NULL;
	return buf_printf(&b, "%.*s%s", (int)(n - f), path, to) == 0 ? b.data : NULL;
}

char *keyname_path(const char *pub_path)
{
	return swap_suffix(pub_path, PUB_SUFFIX, KEYNAME_SUFFIX);
}

char *keyname_key_path(const char *name_path)
{
	return swap_suffix(name_path, KEYNAME_SUFFIX, PUB_SUFFIX);
}

char *keyname_render(const char *keyid, const char *name)
{
	cJSON *doc = cJSON_CreateObject();
	char *out = NULL;
	if (doc != NULL && cJSON_AddNumberToObject(doc, "dossier_key_name", 1) != NULL &&
	    cJSON_AddStringToObject(doc, "keyid", keyid) != NULL && cJSON_AddStringToObject(doc, "name", name) != NULL)
		out = json_render(doc);
	cJSON_Delete(doc);
	return out;
}

/* The name in a name file's text, for the key keyid: exactly the three members. */
static enum dossier_status parse(const char *file, const struct buf *text, const char *keyid, char *name,
    size_t len, struct dossier_error *err)
{
	cJSON *doc = json_parse_strict(file, text->data, text->len, err);
	if (doc == NULL)
		return err->code;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "dossier_key_name");
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, "keyid");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, "name");
	enum dossier_status st = DOSSIER_OK;
	if (!cJSON_IsNumber(v) || v->valuedouble != 1 || !cJSON_IsString(k) || !cJSON_IsString(n) ||
	    cJSON_GetArraySize(doc) != 3)
		st = dossier_fail(err, DOSSIER_INVALID,
		    "%s: not a key name file (\"dossier_key_name\": 1, \"keyid\" and \"name\", nothing else)", file);
	else if (strcmp(k->valuestring, keyid) != 0)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: names key %s, but the key beside it is %s; neither is used",
		    file, k->valuestring, keyid);
	else if (check_text("name", n->valuestring, 1, err) != DOSSIER_OK)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: the name must be one line of UTF-8, at most %d bytes", file,
		    DOSSIER_TEXT_MAX);
	else
		snprintf(name, len, "%s", n->valuestring);
	cJSON_Delete(doc);
	return st;
}

enum dossier_status keyname_read(const char *pub_path, const char *keyid, char *name, size_t len,
    int *found, struct dossier_error *err)
{
	char *path = keyname_path(pub_path);
	struct buf text = { 0 };
	struct stat sb;
	name[0] = '\0';
	*found = 0;
	if (path == NULL)
		return has_suffix(pub_path, PUB_SUFFIX, 0) ? dossier_fail(err, DOSSIER_SOFTWARE, "out of memory")
		                                            : DOSSIER_OK;
	enum dossier_status st = DOSSIER_OK;
	if (lstat(path, &sb) != 0 && errno == ENOENT)
		goto out; /* no name given: the key is known by its id */
	*found = 1;
	if ((st = read_small_file(path, LIMIT_TAGFILE, &text, err)) == DOSSIER_OK)
		st = parse(path, &text, keyid, name, len, err);
out:
	buf_release(&text);
	free(path);
	return st;
}
