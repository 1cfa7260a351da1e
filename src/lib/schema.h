/* schema.h - checking parsed JSON against the field tables of spec and dossier.json. */
#ifndef DOSSIER_SCHEMA_H
#define DOSSIER_SCHEMA_H

#include <cjson/cJSON.h>

#include "internal.h"

enum field_type { F_LINE, F_TEXT, F_INT, F_ARRAY, F_OBJECT, F_BOOL, F_STRINGS };

struct field {
	const char *key;
	enum field_type type;
	int required;
	/* For F_LINE: a pattern check returning the reason or NULL.
	   For F_ARRAY of objects: the item's fields (items). For F_INT: minimum in min.
	   F_STRINGS: an array of at least min one-line, non-empty strings, each checked. */
	const char *(*check)(const char *value);
	const struct field *items;
	double min;
};

/* where: "spec.json" or "spec.json: from[3]" for messages. */
enum dossier_status schema_check(const char *where, const cJSON *obj, const struct field *fields,
    struct dossier_error *err);

/* Parses a versioned document: strict JSON, an object, the field table, and the integer
   version_key equal to 1. NULL with err filled. */
cJSON *schema_parse(const char *name, const char *text, size_t len, const struct field *fields,
    const char *version_key, struct dossier_error *err);

const char *check_date(const char *v);
const char *check_keyid(const char *v);
const char *check_uuid(const char *v);
const char *check_slug(const char *v);
const char *check_bag_name(const char *v);
const char *check_url(const char *v);
const char *check_rfc3339(const char *v);
const char *check_role(const char *v);
const char *check_sha256(const char *v);
const char *check_rel_path(const char *v);
const char *check_data_path(const char *v);
const char *check_language(const char *v);
const char *check_media_type(const char *v);

extern const struct field schema_person[];
extern const struct field schema_recipient[];
extern const struct field schema_reference[];
extern const struct field schema_supersedes[];

#endif
