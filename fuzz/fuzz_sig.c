/* fuzz_sig.c - libFuzzer: minisign signature and public key parsing, then verification. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dossier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/vectors/minisign/k.pub and msg.txt: test-only. */
static const char vec_pub[] =
	"untrusted comment: minisign public key 273BD680E55BB29D\n"
	"RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n";
static const char vec_msg[] = "dossier known-answer message\n";

static int is_keyid(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789ABCDEF") == 16;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dossier_pubkey vec;
	static int ready;
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	struct dossier_error err;
	const char *text = (const char *)data;
	if (!ready) {
		if (dossier_init() != 0 || dossier_pubkey_parse(vec_pub, strlen(vec_pub), &vec, &err) != DOSSIER_OK)
			abort();
		ready = 1;
	}
	if (dossier_sig_parse(text, size, &sig, &err) == DOSSIER_OK) {
		if (!is_keyid(sig.keyid) || memchr(sig.trusted_comment, '\n', sizeof sig.trusted_comment) ||
		    memchr(sig.trusted_comment, '\r', sizeof sig.trusted_comment))
			abort();
		/* over the vector message and over the input itself; either outcome is fine,
		   as long as a failure says why */
		if (dossier_sig_verify(&sig, &vec, vec_msg, strlen(vec_msg), &err) != DOSSIER_OK &&
		    err.message[0] == '\0')
			abort();
		if (dossier_sig_verify(&sig, &vec, data, size, &err) != DOSSIER_OK && err.message[0] == '\0')
			abort();
	} else if (err.code != DOSSIER_INVALID) {
		abort();
	}
	if (dossier_pubkey_parse(text, size, &pk, &err) == DOSSIER_OK) {
		char name[256];
		if (!is_keyid(pk.keyid))
			abort();
		dossier_pubkey_comment_name(&pk, name, sizeof name);
		/* an input that is both a key and a signature checks itself */
		if (dossier_sig_parse(text, size, &sig, &err) == DOSSIER_OK)
			(void)dossier_sig_verify(&sig, &pk, data, size, &err);
	} else if (err.code != DOSSIER_INVALID && err.code != DOSSIER_DATAERR) {
		abort(); /* damaged (1), or a file of another kind named (65) */
	}
	return 0;
}
