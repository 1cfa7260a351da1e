/* fuzz_card.c - libFuzzer: key card parsing; OK or INVALID, and a card that parses renders back to exactly its bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a '%' in the name: it must be printed, never used as a format */
static const char name[] = "keys/card%s.json";

static int is_keyid(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789ABCDEF") == 16;
}

/* a time field as stored: well formed, and its Unix time is the one the card holds */
static int same_time(const char *text, int64_t t)
{
	int64_t again;
	return memchr(text, '\0', 32) != NULL && parse_rfc3339(text, &again) == 0 && again == t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static struct dossier_card card; /* 4 KiB of text fields: not on the stack */
	struct dossier_error err;
	int64_t issued;
	if (!ready) {
		if (dossier_init() != 0)
			abort();
		ready = 1;
	}
	memset(&err, 0, sizeof err);
	enum dossier_status st = dossier_card_parse(name, (const char *)data, size, &card, &err);
	if (st != DOSSIER_OK) {
		/* DOSSIER_SOFTWARE means out of memory, which libFuzzer reports before malloc fails */
		if (st != DOSSIER_INVALID || err.code != st || memchr(err.message, '\0', sizeof err.message) == NULL ||
		    strncmp(err.message, name, strlen(name)) != 0 || strlen(err.message) <= strlen(name))
			abort();
		return 0;
	}
	if (strcmp(card.keyid, card.key.keyid) != 0 || !is_keyid(card.keyid) || !is_keyid(card.authority) ||
	    card.not_before > card.not_after || card.name[0] == '\0' || card.affiliation[0] == '\0' ||
	    card.role[0] == '\0' || !same_time(card.valid_from, card.not_before) ||
	    !same_time(card.valid_until, card.not_after) || parse_rfc3339(card.issued, &issued) != 0)
		abort();
	/* canonical: the card renders back to exactly the bytes it was read from */
	char *text = card_render(&card);
	if (text == NULL || strlen(text) != size || memcmp(text, data, size) != 0)
		abort();
	free(text);
	return 0;
}
