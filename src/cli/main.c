/* main.c - the dossier command: global options and the table of subcommands. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "help.h"

const struct command commands[] = {
	{ "keygen", cmd_keygen, "dossier keygen -o NAME [--name TEXT] [-W] [--passphrase-file FILE] [--force]",
	    "make a minisign key pair NAME.key (0600) and NAME.pub" },
	{ "init", cmd_init, "dossier init LETTER [-o SPEC.json] [--force] [-q]",
	    "draft a pack spec from a letter (text or PDF): date, people, footnote URLs" },
	{ "pack", cmd_pack, "dossier pack SPEC.json|DIR -o BUNDLE [-p KEY.pub]... [--card CARD.json]... [--capture [--timeout S] [--max-size N] [--resolve HOST:PORT:ADDR]... [--connect-to HOST:PORT:CHOST:CPORT]... [--cacert FILE]] [--force] [-q]",
	    "assemble a bundle from a spec or bag a directory" },
	{ "sign", cmd_sign, "dossier sign BUNDLE -k NAME.key [--card CARD.json] [--passphrase-file FILE] [--yes] [-q]",
	    "add your signature to a bundle (atomic)" },
	{ "manifest", cmd_manifest, "dossier manifest BUNDLE",
	    "print tagmanifest-sha256.txt, the bytes signers sign" },
	{ "attach", cmd_attach, "dossier attach BUNDLE FILE.minisig [-p KEY.pub] [--card CARD.json] [-q]",
	    "add a signature made elsewhere (e.g. minisign -S)" },
	{ "verify", cmd_verify, "dossier verify BUNDLE... [-K DIR] [-p KEY.pub]... [--policy FILE] [--disclosed FILE]... [--json] [--html FILE] [-q] [-v] [--max-bytes SIZE] [--max-entries N]",
	    "check integrity, signatures and trust; exit 0, 1 or 2" },
	{ "extract", cmd_extract, "dossier extract BUNDLE -d DIR [-K DIR] [-p KEY.pub]... [--policy FILE] [--allow-untrusted] [-q] [--max-bytes SIZE] [--max-entries N]",
	    "verify, then write the bag under DIR" },
	{ "show", cmd_show, "dossier show BUNDLE [--json] [--max-bytes SIZE] [--max-entries N]",
	    "list contents, metadata and signatures without keys" },
	{ "certify", cmd_certify, "dossier certify KEY.pub -k AUTHORITY.key --name TEXT --affiliation TEXT --valid-until DATE [--role ROLE] [--email ADDR] [--valid-from DATE] [-o CARD.json] [--passphrase-file FILE] [--force] [-q]",
	    "issue a key card: an authority vouches that a key is a person's" },
	{ "revoke", cmd_revoke, "dossier revoke KEYID|KEY.pub... -k AUTHORITY.key [--reason TEXT] [--date DATE] [-o LIST.json] [--passphrase-file FILE] [-q]",
	    "add keys to an authority's signed revocation list" },
	{ "timestamp", cmd_timestamp, "dossier timestamp BUNDLE (--tsa URL | --token FILE.tsr)... [--tsa-ca CA.pem]... [-K DIR] [--timeout S] [-q]",
	    "add RFC 3161 timestamps, checked against trusted TSA certificates" },
	{ "reissue", cmd_reissue, "dossier reissue OLD -o NEW [--spec SPEC.json] [--reason TEXT] [-p KEY.pub]... [--card CARD.json]... [--force] [-q]",
	    "make a new version that carries the old one under history/" },
	{ "capture", cmd_capture, "dossier capture URL... -o DIR [--timeout S] [--max-size N] [--resolve HOST:PORT:ADDR]... [--connect-to HOST:PORT:CHOST:CPORT]... [--cacert FILE] [--force] [-q]",
	    "fetch web pages and keep them, as received, in WARC files" },
	{ "redact", cmd_redact, "dossier redact BUNDLE -o PUBLIC --withhold PATH... [--reason TEXT] [--force] [-q]",
	    "write a public copy without some redactable files, signatures kept" },
	{ "keyring", cmd_keyring, "dossier keyring add FILE... [--authority] [--name NAME] [--force] | list | remove KEYID|FILE... [-K DIR] [-q]",
	    "manage the keys, revocation lists and policy you trust" },
	{ NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stderr);
		return 64;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("dossier %s (bundle format %d)\n", DOSSIER_VERSION, DOSSIER_FORMAT_VERSION);
		return 0;
	}
	if (is_help(argv[1])) {
		print_overview(stdout);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0)
		return help_main(argc - 1, argv + 1);
	/* Zip stores local time (DOS format): run in UTC so every machine writes the same bytes.
	   Nothing dossier prints is in local time. */
	setenv("TZ", "UTC", 1);
	tzset();
	/* Bag paths are UTF-8; libarchive converts names through the locale's charset. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	if (dossier_init() != 0)
		return fail(70, "cannot initialise libsodium");
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->fn(argc - 1, argv + 1);
	fail(64, "unknown command '%s'; run 'dossier help' for the list", argv[1]);
	print_overview(stderr);
	return 64;
}
