/* strset.c - an open-addressing set of strings, so lookups stay O(1) at 100,000 entries. */
#include <stdlib.h>
#include <string.h>

#include "strset.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a: not for security, only spreading */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int grow(struct strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	struct strset_slot *slots = calloc(cap, sizeof *slots);
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < set->cap; i++) {
		if (set->slots[i].key == NULL)
			continue;
		size_t j = hash(set->slots[i].key) & (cap - 1);
		while (slots[j].key != NULL)
			j = (j + 1) & (cap - 1);
		slots[j] = set->slots[i];
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

const char *strset_get(const struct strset *set, const char *key)
{
	if (set->cap == 0)
		return NULL;
	for (size_t j = hash(key) & (set->cap - 1); set->slots[j].key != NULL;
	     j = (j + 1) & (set->cap - 1))
		if (strcmp(set->slots[j].key, key) == 0)
			return set->slots[j].value;
	return NULL;
}

int strset_put(struct strset *set, const char *key, const char *value)
{
	if ((set->count + 1) * 2 > set->cap && grow(set) != 0)
		return -1;
	size_t j = hash(key) & (set->cap - 1);
	while (set->slots[j].key != NULL) {
		if (strcmp(set->slots[j].key, key) == 0)
			return 1;
		j = (j + 1) & (set->cap - 1);
	}
	char *k = strdup(key);
	char *v = strdup(value ? value : "");
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return -1;
	}
	set->slots[j].key = k;
	set->slots[j].value = v;
	set->count++;
	return 0;
}

void strset_release(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++) {
		free(set->slots[i].key);
		free(set->slots[i].value);
	}
	free(set->slots);
	memset(set, 0, sizeof *set);
}
