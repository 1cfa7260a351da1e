/* init.c - one-time set-up of the libraries libdossier builds on. */
#include <sodium.h>

#include "internal.h"

int dossier_init(void)
{
	/* sodium_init is idempotent and thread-safe; it picks the fastest implementations. */
	return sodium_init() < 0 ? -1 : 0;
}
