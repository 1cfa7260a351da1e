/* schema.c - a small table-driven checker mirroring the schemas in manifests/schema/, since no
   JSON Schema library ships in Debian for C. Both must change together. */
#include <stdio.h>
#include <string.h>

#include "schema.h"

#define MAX_LINE 1024
#define MAX_TEXT 65536
#define MAX_ITEMS 100000

static int all_of(const char *v, const char *set)
{
	return strspn(v, set) == strlen(v);
}

const char *check_date(const char *v)
{
	int64_t t;
	return parse_date(v, &t) == 0 ? NULL : "not a date YYYY-MM-DD";
}

const char *check_keyid(const char *v)
{
	return strlen(v) == 16 && all_of(v, "0123456789ABCDEF") ? NULL
	                                                       : "not a key id (16 uppercase hex digits)";
}

const char *check_uuid(const char *v)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (strlen(v) != sizeof shape - 1)
		return "not a UUID";
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == '-' ? v[i] != '-' : strchr("0123456789abcdef", v[i]) == NULL || v[i] == 0)
			return "not a lowercase UUID";
	}
	return NULL;
}

const char *check_slug(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || !all_of(v, "abcdefghijklmnopqrstuvwxyz0123456789-") || v[0] == '-' ||
	    v[n - 1] == '-' || strstr(v, "--") != NULL)
		return "not a lowercase slug (a-z, 0-9, single inner hyphens)";
	return NULL;
}

const char *check_bag_name(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 100 || !all_of(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"))
		return "not a bundle name ([A-Za-z0-9._-], 1 to 100 characters)";
	if (strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
		return "not a bundle name";
	return NULL;
}

const char *check_url(const char *v)
{
	if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
		return "not an http(s) URL";
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7F)
			return "URL contains a space or control character";
	return NULL;
}

const char *check_rfc3339(const char *v)
{
	/* UTC only: 2020-10-16T09:30:00Z */
	char date[11];
	if (strlen(v) != 20 || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != 'Z')
		return "not an RFC 3339 UTC time (YYYY-MM-DDThh:mm:ssZ)";
	memcpy(date, v, 10);
	date[10] = '\0';
	int h, m, s;
	if (check_date(date) != NULL || sscanf(v + 11, "%2d:%2d:%2d", &h, &m, &s) != 3 || h > 23 ||
	    m > 59 || s > 60 || !all_of((char[]){ v[11], v[12], v[14], v[15], v[17], v[18], 0 }, "0123456789"))
		return "not an RFC 3339 UTC time (YYYY-MM-DDThh:mm:ssZ)";
	return NULL;
}

const char *check_role(const char *v)
{
	static const char *const roles[] = { "letter", "annex", "snapshot", "attachment" };
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
		if (strcmp(v, roles[i]) == 0)
			return NULL;
	return "not one of letter, annex, snapshot, attachment";
}

const char *check_sha256(const char *v)
{
	return strlen(v) == 64 && all_of(v, "0123456789abcdef") ? NULL : "not 64 lowercase hex digits";
}

const char *check_rel_path(const char *v)
{
	return bag_path_problem(v);
}

const char *check_data_path(const char *v)
{
	if (strncmp(v, "data/", 5) != 0)
		return "not a path under data/";
	return bag_path_problem(v);
}

static int one_line(const char *v)
{
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return 0;
	return 1;
}

static enum dossier_status check_value(const char *where, const char *key, const cJSON *v,
    const struct field *f, struct dossier_error *err)
{
	switch (f->type) {
	case F_LINE:
	case F_TEXT:
		if (!cJSON_IsString(v))
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must be a string", where, key);
		if (f->type == F_LINE && (!one_line(v->valuestring) || strlen(v->valuestring) > MAX_LINE))
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must be one line of at most %d bytes", where, key, MAX_LINE);
		if (strlen(v->valuestring) > MAX_TEXT)
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" is too long", where, key);
		if (f->required && v->valuestring[0] == '\0')
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must not be empty", where, key);
		if (f->check != NULL) {
			const char *why = f->check(v->valuestring);
			if (why != NULL)
				return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\": %s", where, key, why);
		}
		return DOSSIER_OK;
	case F_INT:
		/* range first: casting an out-of-range double to an integer is undefined */
		if (!cJSON_IsNumber(v) || v->valuedouble < f->min || v->valuedouble > 9007199254740991.0 ||
		    v->valuedouble != (double)(long long)v->valuedouble)
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must be an integer >= %.0f", where, key, f->min);
		return DOSSIER_OK;
	case F_BOOL:
		if (!cJSON_IsBool(v))
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must be true or false", where, key);
		return DOSSIER_OK;
	case F_STRINGS: {
		int i = 0;
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > MAX_ITEMS)
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must be an array of strings", where, key);
		if (cJSON_GetArraySize(v) < (int)f->min)
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" needs at least %.0f item(s)", where, key, f->min);
		for (const cJSON *item = v->child; item != NULL; item = item->next, i++) {
			char sub[256];
			snprintf(sub, sizeof sub, "%s[%d]", key, i);
			struct field one = { sub, F_LINE, 1, f->check, NULL, 0 };
			enum dossier_status st = check_value(where, sub, item, &one, err);
			if (st != DOSSIER_OK)
				return st;
		}
		return DOSSIER_OK;
	}
	case F_OBJECT:
		if (!cJSON_IsObject(v))
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must be an object", where, key);
		{
			char sub[256];
			snprintf(sub, sizeof sub, "%s: %s", where, key);
			return schema_check(sub, v, f->items, err);
		}
	case F_ARRAY: {
		if (!cJSON_IsArray(v))
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" must be an array", where, key);
		int i = 0, n = cJSON_GetArraySize(v);
		if (n > MAX_ITEMS)
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" has too many items", where, key);
		if (n < (int)f->min)
			return dossier_fail(err, DOSSIER_INVALID, "%s: \"%s\" needs at least %.0f item(s)", where, key, f->min);
		for (const cJSON *item = v->child; item != NULL; item = item->next, i++) {
			char sub[256];
			snprintf(sub, sizeof sub, "%s: %s[%d]", where, key, i);
			if (!cJSON_IsObject(item))
				return dossier_fail(err, DOSSIER_INVALID, "%s must be an object", sub);
			enum dossier_status st = schema_check(sub, item, f->items, err);
			if (st != DOSSIER_OK)
				return st;
		}
		return DOSSIER_OK;
	}
	}
	return dossier_fail(err, DOSSIER_SOFTWARE, "schema: unknown field type");
}

enum dossier_status schema_check(const char *where, const cJSON *obj, const struct field *fields,
    struct dossier_error *err)
{
	for (const cJSON *c = obj->child; c != NULL; c = c->next) {
		const struct field *f = fields;
		while (f->key != NULL && strcmp(f->key, c->string) != 0)
			f++;
		if (f->key == NULL)
			return dossier_fail(err, DOSSIER_INVALID, "%s: unknown field \"%s\"", where, c->string);
		enum dossier_status st = check_value(where, c->string, c, f, err);
		if (st != DOSSIER_OK)
			return st;
	}
	for (const struct field *f = fields; f->key != NULL; f++)
		if (f->required && cJSON_GetObjectItemCaseSensitive(obj, f->key) == NULL)
			return dossier_fail(err, DOSSIER_INVALID, "%s: missing required field \"%s\"", where, f->key);
	return DOSSIER_OK;
}

const struct field schema_person[] = {
	{ "name", F_LINE, 1, NULL, NULL, 0 },
	{ "group", F_LINE, 0, NULL, NULL, 0 },
	{ "affiliation", F_LINE, 0, NULL, NULL, 0 },
	{ "email", F_LINE, 0, NULL, NULL, 0 },
	{ "keyid", F_LINE, 0, check_keyid, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

const struct field schema_recipient[] = {
	{ "name", F_LINE, 1, NULL, NULL, 0 },
	{ "role", F_LINE, 0, NULL, NULL, 0 },
	{ "address", F_LINE, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

/* A spec's reference; pack adds "snapshots" (meta.c) when files cover it. */
const struct field schema_reference[] = {
	{ "footnote", F_INT, 1, NULL, NULL, 1 },
	{ "url", F_LINE, 1, check_url, NULL, 0 },
	{ "not_captured", F_LINE, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

const struct field schema_supersedes[] = {
	{ "id", F_LINE, 1, check_uuid, NULL, 0 },
	{ "tagmanifest_sha256", F_LINE, 1, check_sha256, NULL, 0 },
	{ "reason", F_LINE, 0, NULL, NULL, 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

const char *check_language(const char *v)
{
	/* BCP 47 shape: a 2-8 letter primary subtag, then alphanumeric subtags. */
	size_t n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (n < 2 || n > 8)
		return "not a language tag (e.g. en, fr-BE)";
	for (const char *p = v + n; *p;) {
		if (*p != '-')
			return "not a language tag (e.g. en, fr-BE)";
		size_t m = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
		if (m < 1 || m > 8)
			return "not a language tag (e.g. en, fr-BE)";
		p += 1 + m;
	}
	return NULL;
}

const char *check_media_type(const char *v)
{
	static const char token[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-";
	size_t a = strspn(v, token);
	if (a == 0 || v[a] != '/')
		return "not a media type (e.g. text/plain)";
	size_t b = strspn(v + a + 1, token);
	if (b == 0 || (v[a + 1 + b] != '\0' && v[a + 1 + b] != ';' && v[a + 1 + b] != ' '))
		return "not a media type (e.g. text/plain)";
	return NULL;
}

cJSON *schema_parse(const char *name, const char *text, size_t len, const struct field *fields,
    const char *version_key, struct dossier_error *err)
{
	cJSON *doc = json_parse_strict(name, text, len, err);
	if (doc == NULL)
		return NULL;
	enum dossier_status st = cJSON_IsObject(doc) ? schema_check(name, doc, fields, err)
	                                             : dossier_fail(err, DOSSIER_INVALID, "%s: not a JSON object", name);
	/* a later version may mean things this reader would get wrong: refuse, do not guess */
	if (st == DOSSIER_OK && cJSON_GetObjectItemCaseSensitive(doc, version_key)->valuedouble != 1)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: unsupported version (%s must be 1)", name, version_key);
	if (st != DOSSIER_OK) {
		cJSON_Delete(doc);
		return NULL;
	}
	return doc;
}
