/* keyset.c - the public keys a verifier trusts, each remembered with the file it came from. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct trusted_key {
	struct dossier_pubkey key;
	char *source;
};

struct dossier_keyset {
	struct trusted_key *keys;
	size_t count, cap;
};

struct dossier_keyset *dossier_keyset_new(void)
{
	return calloc(1, sizeof(struct dossier_keyset));
}

void dossier_keyset_free(struct dossier_keyset *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->count; i++)
		free(set->keys[i].source);
	free(set->keys);
	free(set);
}

enum dossier_status dossier_keyset_add(struct dossier_keyset *set,
    const struct dossier_pubkey *key, const char *source, struct dossier_error *err)
{
	for (size_t i = 0; i < set->count; i++) {
		if (sodium_memcmp(set->keys[i].key.keynum, key->keynum, 8) != 0)
			continue;
		if (sodium_memcmp(set->keys[i].key.pk, key->pk, 32) == 0)
			return DOSSIER_OK; /* the same key twice is harmless */
		return dossier_fail(err, DOSSIER_INVALID,
		    "%s: key id %s is already used by a different key from %s", source, key->keyid,
		    set->keys[i].source);
	}
	if (set->count == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct trusted_key *k = realloc(set->keys, cap * sizeof *k);
		if (k == NULL)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		set->keys = k;
		set->cap = cap;
	}
	set->keys[set->count].key = *key;
	if ((set->keys[set->count].source = strdup(source)) == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	set->count++;
	return DOSSIER_OK;
}

enum dossier_status dossier_keyset_add_file(struct dossier_keyset *set, const char *path,
    struct dossier_error *err)
{
	struct dossier_pubkey key;
	enum dossier_status st = dossier_pubkey_load(path, &key, err);
	if (st != DOSSIER_OK)
		return st;
	return dossier_keyset_add(set, &key, path, err);
}

size_t dossier_keyset_count(const struct dossier_keyset *set)
{
	return set ? set->count : 0;
}

const struct dossier_pubkey *dossier_keyset_find(const struct dossier_keyset *set,
    const uint8_t keynum[8], const char **source)
{
	for (size_t i = 0; set != NULL && i < set->count; i++) {
		if (sodium_memcmp(set->keys[i].key.keynum, keynum, 8) == 0) {
			if (source != NULL)
				*source = set->keys[i].source;
			return &set->keys[i].key;
		}
	}
	return NULL;
}

const struct dossier_pubkey *dossier_keyset_get(const struct dossier_keyset *set, size_t i,
    const char **source)
{
	if (set == NULL || i >= set->count)
		return NULL;
	if (source != NULL)
		*source = set->keys[i].source;
	return &set->keys[i].key;
}
