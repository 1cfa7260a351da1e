/* strset.h - a set of strings, each with a string value. */
#ifndef DOSSIER_STRSET_H
#define DOSSIER_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct strset_slot {
	char *key;
	char *value;
};
struct strset {
	struct strset_slot *slots;
	size_t cap, count;
};
/* The value stored for key, or NULL if absent. */
const char *strset_get(const struct strset *set, const char *key);
/* 0 added, 1 already present (value unchanged), -1 out of memory. */
int strset_put(struct strset *set, const char *key, const char *value);
void strset_release(struct strset *set);

#endif
