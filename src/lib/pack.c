/* pack.c - writing a bag in one pass: each input read once, hashed while it is written. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "prefetch.h"
#include "warc.h"

/* Entries in byte order: VERIFY.txt, bag-info.txt, bagit.txt, data/..., dossier.json,
   manifest-sha256.txt, tagmanifest-sha256.txt. The tag files after data/ are the ones
   that need the payload digests, so one pass suffices. */

static const char bagit_txt[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

static void human_size(uint64_t n, char *out, size_t len)
{
	static const char *const units[] = { "bytes", "KB", "MB", "GB", "TB" };
	double v = (double)n;
	size_t u = 0;
	while (v >= 1000 && u + 1 < sizeof units / sizeof *units) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, len, "%llu bytes", (unsigned long long)n);
	else
		snprintf(out, len, "%.1f %s", v, units[u]);
}

/* A name-based UUID (version 8, RFC 9562) from the plan's seed. */
void plan_uuid(const struct pack_plan *plan, char out[37])
{
	const uint8_t *seed = plan->id_seed;
	uint8_t u[16];
	char hex[33];
	memcpy(u, seed, 16);
	u[6] = (uint8_t)((u[6] & 0x0F) | 0x80);
	u[8] = (uint8_t)((u[8] & 0x3F) | 0x80);
	hex_encode(u, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static int bag_info(struct buf *out, const struct pack_plan *plan, const char *id)
{
	uint64_t octets = 0;
	char date[32], size[32];
	for (size_t i = 0; i < plan->ninputs; i++)
		octets += plan->inputs[i].size + (plan->inputs[i].salted ? SALT_LINE : 0);
	format_rfc3339(plan->epoch, date);
	date[10] = '\0';
	human_size(octets, size, sizeof size);
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(plan->meta, "title");
	return buf_printf(out,
	    "Bag-Software-Agent: dossier %s\n"
	    "Bagging-Date: %s\n"
	    "External-Identifier: urn:uuid:%s\n"
	    "External-Description: %s\n"
	    "Payload-Oxum: %llu.%zu\n"
	    "Bag-Size: %s\n",
	    DOSSIER_VERSION, date, id, title->valuestring, (unsigned long long)octets,
	    plan->ninputs, size);
}

/* Every command in the text is run as written, step by step, by
   tests/cli/test_stock_procedure.sh: a change here is a change there. */
static int verify_txt(struct buf *out, const char *name)
{
	return buf_printf(out,
	    "How to check the bundle %s without dossier\n"
	    "\n"
	    "This bundle is a BagIt bag (RFC 8493). Its signed object is the file\n"
	    "tagmanifest-sha256.txt, which pins every other tag file, and through\n"
	    "manifest-sha256.txt every byte of the payload under data/.\n"
	    "\n"
	    "Only stock tools are needed: minisign, sha256sum, find, sed, sort, cut,\n"
	    "tr, grep and diff (GNU coreutils, findutils, sed, grep, diffutils), and\n"
	    "openssl for timestamps. Unpack the archive (tar -xf for .tar, .tar.gz\n"
	    "and .tar.zst, unzip for .zip), change into its top directory %s,\n"
	    "and run the commands below exactly as written, in sh or bash. A line\n"
	    "starting with \"$ \" is a command to run (without the \"$ \"); a line ending\n"
	    "in \"\\\" continues on the next. Each command exits with status 0 (echo $?\n"
	    "shows it) when its check passes, and with another status, after saying\n"
	    "what failed, when it does not. A step passes only if all its commands do.\n"
	    "\n"
	    "Obtain the keys you rely on through a channel you trust, never from this\n"
	    "bundle, and set these shell variables first:\n"
	    "  KEYS       a directory holding each signer's public key as KEYID.pub,\n"
	    "             KEYID being the 16 hex digits in signatures/KEYID.minisig\n"
	    "             (minisign prints the same number without leading zeros);\n"
	    "             for step 6, an empty directory for the keys read from cards\n"
	    "  AUTHORITY  (step 6) the public key file of an authority you trust\n"
	    "  TSA_CA     (step 7) the certificate (PEM) of a timestamp authority you\n"
	    "             trust\n"
	    "Write nothing into this directory while checking (step 5 would find it);\n"
	    "the commands keep their lists in ${TMPDIR:-/tmp}.\n"
	    "\n"
	    "1. Each signature, over tagmanifest-sha256.txt, with its signer's key:\n"
	    "    $ ( n=0; for s in signatures/*.minisig; do case $s in (*.card.json.minisig) continue;; esac; \\\n"
	    "        minisign -Vm tagmanifest-sha256.txt -x \"$s\" -p \"$KEYS/$(basename \"$s\" .minisig).pub\" \\\n"
	    "        || exit 1; n=$((n + 1)); done; echo \"$n signature(s) verified\"; [ \"$n\" -gt 0 ] )\n"
	    "   A signature whose key is not in KEYS fails: obtain the key, or use\n"
	    "   step 6. minisign prints each trusted comment, \"dossier-v1 bundle:<id>\n"
	    "   signer:<KEYID> time:<when>\": <id> must be the \"id\" in dossier.json.\n"
	    "\n"
	    "2. The tag files are the ones that were signed:\n"
	    "    $ sha256sum --strict -c tagmanifest-sha256.txt\n"
	    "\n"
	    "3. Every payload file is intact (a redacted copy: see step 8 instead).\n"
	    "   The manifest writes a %% in a name as %%25 (RFC 8493); sed gives\n"
	    "   sha256sum the name itself:\n"
	    "    $ sed 's/%%25/%%/g' manifest-sha256.txt | sha256sum --strict -c\n"
	    "\n"
	    "4. No payload file was added, and none is a link or special file: the\n"
	    "   names under data/, written as the manifest writes them (%%, CR and LF\n"
	    "   as %%25, %%0D and %%0A, RFC 8493), must be exactly those it lists. diff\n"
	    "   prints \"> data/...\" for a file added, \"< data/...\" for one missing.\n"
	    "    $ find data ! -type d -print0 | sed -z 's/%%/%%25/g; s/\\r/%%0D/g; s/\\n/%%0A/g' \\\n"
	    "        | tr '\\0' '\\n' | LC_ALL=C sort > \"${TMPDIR:-/tmp}/present\"\n"
	    "    $ cut -c67- manifest-sha256.txt | LC_ALL=C sort | diff - \"${TMPDIR:-/tmp}/present\"\n"
	    "    $ ! find . ! -type f ! -type d | grep .\n"
	    "\n"
	    "5. No tag file was added after signing: every file outside data/ is\n"
	    "   listed in tagmanifest-sha256.txt, except that file itself and what\n"
	    "   is added after signing (signatures/, timestamps/, redactions.json):\n"
	    "    $ find . ! -type d ! -path './data/*' ! -path './signatures/*' ! -path './timestamps/*' \\\n"
	    "        ! -path ./tagmanifest-sha256.txt ! -path ./redactions.json \\\n"
	    "        | sed 's|^\\./||' | LC_ALL=C sort > \"${TMPDIR:-/tmp}/tags\"\n"
	    "    $ cut -c67- tagmanifest-sha256.txt | LC_ALL=C sort | diff - \"${TMPDIR:-/tmp}/tags\"\n"
	    "\n"
	    "Steps 1 to 5 passing mean that the files are exactly the ones signed by\n"
	    "each signer whose key you trust. dossier verify does the same in one\n"
	    "pass, and also checks dossier.json and your keyring's rules (key cards,\n"
	    "revocations, timestamps, the signing policy).\n"
	    "\n"
	    "6. If you trust an authority rather than each signer's key: a key card\n"
	    "   (keys/KEYID.card.json, or signatures/KEYID.card.json, each with a\n"
	    "   .minisig beside it) by that authority gives the signer's key. Check\n"
	    "   each signer's card with the authority's key, write the key it holds\n"
	    "   into KEYS (an empty directory), then run step 1 with these keys:\n"
	    "    $ ( for s in signatures/*.minisig; do case $s in (*.card.json.minisig) continue;; esac; \\\n"
	    "        id=$(basename \"$s\" .minisig); c=keys/$id.card.json; [ -f \"$c\" ] || c=signatures/$id.card.json; \\\n"
	    "        minisign -Vm \"$c\" -p \"$AUTHORITY\" && grep -qF \"\\\"keyid\\\":\\\"$id\\\"\" \"$c\" \\\n"
	    "        || { echo \"$c: no card for $id signed by this authority\"; exit 1; }; \\\n"
	    "        printf 'untrusted comment: key %%s from %%s\\n%%s\\n' \"$id\" \"$c\" \\\n"
	    "        \"$(sed -n 's/.*\"public_key\":\"\\([^\"]*\\)\".*/\\1/p' \"$c\")\" > \"$KEYS/$id.pub\"; done )\n"
	    "    $ ( n=0; for s in signatures/*.minisig; do case $s in (*.card.json.minisig) continue;; esac; \\\n"
	    "        minisign -Vm tagmanifest-sha256.txt -x \"$s\" -p \"$KEYS/$(basename \"$s\" .minisig).pub\" \\\n"
	    "        || exit 1; n=$((n + 1)); done; echo \"$n signature(s) verified\"; [ \"$n\" -gt 0 ] )\n"
	    "   minisign prints each card's trusted comment, \"dossier-card-v1\n"
	    "   keyid:<KEYID> authority:<id> valid_until:<date>\". Check by eye that\n"
	    "   the card was valid when the signature was made (the time in the\n"
	    "   signature's trusted comment, or a timestamp's, step 7) and that its\n"
	    "   \"name\" (the card is one line of JSON) is the signatory you expect.\n"
	    "   dossier verify also checks the authority's revocation lists.\n"
	    "\n"
	    "7. Timestamps, if there is a timestamps/ directory: each token with the\n"
	    "   TSA's certificate. A token with a .txt beside it is over that file,\n"
	    "   which lists the tag manifest and the signatures with their digests;\n"
	    "   one without is over the tag manifest itself:\n"
	    "    $ ( for t in timestamps/*.tsr; do l=${t%%.tsr}.txt; if [ -f \"$l\" ]; then \\\n"
	    "        openssl ts -verify -data \"$l\" -in \"$t\" -CAfile \"$TSA_CA\" && sha256sum --strict -c \"$l\" \\\n"
	    "        && head -n 1 \"$l\" | grep -q '  tagmanifest-sha256.txt$'; else \\\n"
	    "        openssl ts -verify -digest \"$(sha256sum tagmanifest-sha256.txt | cut -c1-64)\" \\\n"
	    "        -in \"$t\" -CAfile \"$TSA_CA\"; fi || { echo \"$t: FAILED\"; exit 1; }; done )\n"
	    "   Each token prints \"Verification: OK\". \"openssl ts -reply -in\n"
	    "   timestamps/1.tsr -text\" prints its time, \"Time stamp:\". openssl judges\n"
	    "   the TSA's certificate at the present time: for one that has expired\n"
	    "   since, add -attime with the token's time in Unix seconds.\n"
	    "\n"
	    "8. A redacted copy (with a redactions.json) leaves out files the signed\n"
	    "   manifest lists. There step 3 fails by design, \"FAILED open or read\"\n"
	    "   for each withheld file, and step 4 prints \"< data/...\" for each. Run\n"
	    "   these instead of steps 3 and 4: every file present is intact; every\n"
	    "   file missing is withheld, with the manifest's digest, in\n"
	    "   redactions.json; and no file was added.\n"
	    "    $ sed 's/%%25/%%/g' manifest-sha256.txt | while IFS= read -r l; do \\\n"
	    "        [ -e \"${l#*  }\" ] && printf '%%s\\n' \"$l\"; done | sha256sum --strict -c\n"
	    "    $ sed 's/%%25/%%/g' manifest-sha256.txt | ( while IFS= read -r l; do p=${l#*  }; \\\n"
	    "        [ -e \"$p\" ] && continue; grep -A1 -F \"\\\"path\\\":  \\\"$p\\\",\" redactions.json \\\n"
	    "        | grep -qF \"\\\"sha256\\\":  \\\"${l%%%%  *}\\\",\" \\\n"
	    "        || { echo \"$p: missing, and not withheld with this digest\"; exit 1; }; \\\n"
	    "        echo \"$p: withheld\"; done )\n"
	    "    $ { find data ! -type d -print0 | sed -z 's/%%/%%25/g; s/\\r/%%0D/g; s/\\n/%%0A/g' | tr '\\0' '\\n'; \\\n"
	    "        sed -n 's/^ *\"path\": *\"\\(.*\\)\",$/\\1/p' redactions.json | sed 's/%%/%%25/g'; } \\\n"
	    "        | LC_ALL=C sort > \"${TMPDIR:-/tmp}/present\"\n"
	    "    $ cut -c67- manifest-sha256.txt | LC_ALL=C sort | diff - \"${TMPDIR:-/tmp}/present\"\n"
	    "    $ ! find . ! -type f ! -type d | grep .\n"
	    "   The withheld files' names, sizes and digests stay visible; their\n"
	    "   content does not.\n",
	    name, name);
}

/* A snapshot that is a WARC file is read as it is packed: url of its spec entry, or NULL
   for any other input. */
static const char *snapshot_warc_url(const struct pack_input *in)
{
	const cJSON *role = in->info ? cJSON_GetObjectItemCaseSensitive(in->info, "role") : NULL;
	const cJSON *url = in->info ? cJSON_GetObjectItemCaseSensitive(in->info, "url") : NULL;
	if (!cJSON_IsString(role) || strcmp(role->valuestring, "snapshot") != 0 || !cJSON_IsString(url) ||
	    !warc_name(in->dest))
		return NULL;
	return url->valuestring;
}

/* What verify will demand of a WARC snapshot, refused before it is in a bundle: every
   record parses, every stored digest holds, and the snapshot's url was captured. */
static enum dossier_status check_snapshot(const struct pack_input *in, const char *url,
    struct warc_summary *sum, struct dossier_error *err)
{
	enum dossier_status st = DOSSIER_OK;
	if (sum == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	else if (sum->problem != NULL)
		st = dossier_fail(err, DOSSIER_INVALID, "%s", sum->problem); /* names in->source */
	else if (warc_summary_final(sum, url) == NULL)
		st = dossier_fail(err, DOSSIER_INVALID,
		    "%s: the snapshot's url '%s' is not the WARC-Target-URI of any response or resource record",
		    in->source, url);
	warc_summary_free(sum);
	return st;
}

/* Writes input i, read ahead by pf when it is small, else streamed from its file. The
   messages are the same either way. A WARC snapshot's bytes also go to scan (or NULL)
   on the way, so the one read both packs and checks it. */
static enum dossier_status add_input(struct bag_writer *w, struct prefetch *pf, size_t i,
    const struct pack_input *in, struct warc_scan *scan, uint8_t digest[32],
    struct dossier_error *err)
{
	struct prefetched p = { .state = PREFETCH_SKIPPED };
	enum dossier_status st;
	/* a redactable file goes behind a fresh salt line (FORMAT.md), kept only in the bundle */
	char salt[SALT_LINE + 1] = "";
	size_t plen = in->salted ? SALT_LINE : 0;
	if (in->salted)
		salt_line_make(salt);
	if (pf != NULL)
		prefetch_take(pf, i, &p);
	switch (p.state) {
	case PREFETCH_LOADED:
		if (scan != NULL)
			warc_scan_update(scan, p.data, (size_t)p.len);
		st = bag_writer_add_bytes(w, in->dest, salt, plen, p.data, (size_t)p.len, err);
		if (st == DOSSIER_OK && p.hashed == PREFETCH_HASHING)
			prefetch_wait_digest(pf, i, &p);
		if (st == DOSSIER_OK && p.hashed == PREFETCH_HASHED)
			memcpy(digest, p.digest, 32);
		else if (st == DOSSIER_OK && sha256_two(salt, plen, p.data, (size_t)p.len, digest) != 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "sha256: cannot initialise");
		break;
	case PREFETCH_NOT_OPENED:
		errno = p.errnum;
		st = dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", in->source);
		break;
	case PREFETCH_READ_ERROR:
		errno = p.errnum;
		st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", in->source);
		break;
	case PREFETCH_GREW:
		st = dossier_fail(err, DOSSIER_IOERR, "%s: file grew while being packed", in->source);
		break;
	case PREFETCH_SHRANK:
		st = dossier_fail(err, DOSSIER_IOERR, "%s: file shrank while being packed", in->source);
		break;
	default: {
		int fd = open_input(in->source);
		if (fd < 0) {
			st = dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", in->source);
			break;
		}
		if (scan != NULL)
			bag_writer_set_warc(w, scan);
		st = bag_writer_add_fd_prefixed(w, in->dest, salt, plen, fd, in->size, in->source, digest, err);
		close(fd);
	}
	}
	sodium_memzero(salt, sizeof salt);
	if (pf != NULL)
		prefetch_give_back(pf, &p);
	return st;
}

static enum dossier_status write_plan(struct bag_writer *w, const struct pack_plan *plan,
    struct dossier_error *err)
{
	struct prefetch *pf = NULL;
	struct buf info = { 0 }, verify = { 0 }, manifest = { 0 }, tagmanifest = { 0 }, extra_manifest = { 0 };
	char id[37], created[32];
	char *dossier_json = NULL;
	cJSON *meta = NULL;
	enum dossier_status st = DOSSIER_OK;
	uint8_t digest[32];

	plan_uuid(plan, id);
	format_rfc3339(plan->epoch, created);
	if (bag_info(&info, plan, id) != 0 || verify_txt(&verify, plan->name) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if ((st = bag_writer_add_mem(w, "VERIFY.txt", verify.data, verify.len, err)) != DOSSIER_OK ||
	    (st = bag_writer_add_mem(w, "bag-info.txt", info.data, info.len, err)) != DOSSIER_OK ||
	    (st = bag_writer_add_mem(w, "bagit.txt", bagit_txt, strlen(bagit_txt), err)) != DOSSIER_OK)
		goto out;

	/* dossier_version and id first, files and created last: the order of docs/FORMAT.md */
	meta = cJSON_CreateObject();
	cJSON_AddNumberToObject(meta, "dossier_version", DOSSIER_FORMAT_VERSION);
	cJSON_AddStringToObject(meta, "id", id);
	for (const cJSON *c = plan->meta->child; c != NULL; c = c->next)
		cJSON_AddItemToObject(meta, c->string, cJSON_Duplicate(c, 1));
	cJSON *files = cJSON_CreateArray();
	/* A bagged directory whose file list would outgrow what readers accept in a tag file
	   leaves the list to the manifest (FORMAT.md 4): decided before building it, since
	   100,000 entries would cost more memory and time than the files themselves. */
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(plan->meta, "kind");
	int list_files = 1;
	if (cJSON_IsString(kind) && strcmp(kind->valuestring, "bag") == 0) {
		uint64_t estimate = 0;
		for (size_t i = 0; i < plan->ninputs; i++)
			estimate += strlen(plan->inputs[i].dest) + 200; /* path, role, type, size, sha256 */
		list_files = estimate <= LIMIT_TAGFILE / 2;
	}
	if (meta == NULL || files == NULL) {
		cJSON_Delete(files);
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if (prefetch_start(&pf, plan->inputs, plan->ninputs) != 0) {
		cJSON_Delete(files);
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < plan->ninputs; i++) {
		const struct pack_input *in = &plan->inputs[i];
		const char *warc_url = snapshot_warc_url(in);
		struct warc_scan scan;
		if (warc_url != NULL && warc_scan_begin(&scan, in->source) != 0) {
			cJSON_Delete(files);
			goto oom;
		}
		st = add_input(w, pf, i, in, warc_url != NULL ? &scan : NULL, digest, err);
		if (warc_url != NULL) {
			struct warc_summary *sum = warc_scan_end(&scan);
			if (st == DOSSIER_OK)
				st = check_snapshot(in, warc_url, sum, err);
			else
				warc_summary_free(sum);
		}
		if (st != DOSSIER_OK || manifest_append(&manifest, in->dest, digest) != 0) {
			cJSON_Delete(files);
			if (st == DOSSIER_OK)
				st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			goto out;
		}
		char hex[65];
		if (!list_files)
			continue;
		hex_encode(digest, 32, hex);
		cJSON *f = in->info ? cJSON_Duplicate(in->info, 1) : cJSON_CreateObject();
		if (in->info == NULL) { /* a bagged directory's file */
			cJSON_AddStringToObject(f, "path", in->dest);
			cJSON_AddStringToObject(f, "role", "attachment");
			cJSON_AddStringToObject(f, "media_type", media_type_guess(in->dest));
		}
		cJSON_AddNumberToObject(f, "size", (double)(in->size + (in->salted ? SALT_LINE : 0)));
		cJSON_AddStringToObject(f, "sha256", hex);
		cJSON_AddItemToArray(files, f);
	}
	cJSON_AddItemToObject(meta, "files", files);
	cJSON_AddStringToObject(meta, "created", created);
	if ((dossier_json = json_render(meta)) == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	/* Readers refuse a tag file over LIMIT_TAGFILE. A bagged directory of many files is
	   described by its manifest alone; a spec that lists that many is refused here,
	   not written into a bundle no one could verify. */
	if (strlen(dossier_json) > LIMIT_TAGFILE) {
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(meta, "kind");
		if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "bag") != 0) {
			st = dossier_fail(err, DOSSIER_USAGE,
			    "dossier.json would be %zu bytes, more than the %u a reader accepts: the spec lists %zu files; "
			    "put them in fewer files (an archive) or bag a directory", strlen(dossier_json), LIMIT_TAGFILE,
			    plan->ninputs);
			goto out;
		}
		cJSON_ReplaceItemInObjectCaseSensitive(meta, "files", cJSON_CreateArray());
		free(dossier_json);
		if ((dossier_json = json_render(meta)) == NULL) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			goto out;
		}
	}
	if ((st = dossier_json_check("dossier.json", meta, err)) != DOSSIER_OK)
		goto out;
	if ((st = bag_writer_add_mem(w, "dossier.json", dossier_json, strlen(dossier_json), err)) != DOSSIER_OK)
		goto out;
	/* history/ and keys/ sort between dossier.json and manifest-sha256.txt, in the
	   archive and in the tag manifest alike: signed tag files from here on */
	for (size_t i = 0; i < plan->ntags; i++) {
		const struct pack_tag *t = &plan->tags[i];
		if ((st = bag_writer_add_mem(w, t->path, t->data.data, t->data.len, err)) != DOSSIER_OK)
			goto out;
		sha256_buf(t->data.data, t->data.len, digest);
		if (manifest_append(&extra_manifest, t->path, digest) != 0)
			goto oom;
	}
	if ((st = bag_writer_add_mem(w, "manifest-sha256.txt", manifest.data ? manifest.data : "", manifest.len, err)) != DOSSIER_OK)
		goto out;

	/* The tag manifest, in path order, over every tag file written above. */
	const struct {
		const char *path;
		const char *data;
		size_t len;
	} tags[] = {
		{ "VERIFY.txt", verify.data, verify.len },
		{ "bag-info.txt", info.data, info.len },
		{ "bagit.txt", bagit_txt, strlen(bagit_txt) },
		{ "dossier.json", dossier_json, strlen(dossier_json) },
		{ "manifest-sha256.txt", manifest.data ? manifest.data : "", manifest.len },
	};
	for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
		sha256_buf(tags[i].data, tags[i].len, digest);
		if (manifest_append(&tagmanifest, tags[i].path, digest) != 0)
			goto oom;
		if (strcmp(tags[i].path, "dossier.json") == 0 && extra_manifest.len > 0 &&
		    buf_append(&tagmanifest, extra_manifest.data, extra_manifest.len) != 0)
			goto oom;
	}
	st = bag_writer_add_mem(w, "tagmanifest-sha256.txt", tagmanifest.data, tagmanifest.len, err);
	goto out;
oom:
	st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
out:
	prefetch_stop(pf);
	buf_release(&extra_manifest);
	cJSON_Delete(meta);
	free(dossier_json);
	buf_release(&info);
	buf_release(&verify);
	buf_release(&manifest);
	buf_release(&tagmanifest);
	return st;
}

static int by_tag_path(const void *a, const void *b)
{
	return strcmp(((const struct pack_tag *)a)->path, ((const struct pack_tag *)b)->path);
}

enum dossier_status plan_write(struct pack_plan *plan, const char *output, int force,
    const struct dossier_progress *cb, struct dossier_error *err)
{
	struct atomic_file out = { .fd = -1 };
	struct bag_writer *w = NULL;
	enum dossier_status st;
	const char *why = bag_path_problem(plan->name);
	if (why != NULL || strchr(plan->name, '/') != NULL)
		return dossier_fail(err, DOSSIER_INVALID, "'%s' cannot name a bundle: %s", plan->name,
		    why ? why : "contains '/'");
	if (plan->ntags > 1)
		qsort(plan->tags, plan->ntags, sizeof *plan->tags, by_tag_path);
	int to_stdout = strcmp(output, "-") == 0;
	if (!to_stdout && (st = atomic_open(&out, output, force, 0644, err)) != DOSSIER_OK)
		return st;
	st = bag_writer_open(&w, to_stdout ? 1 : out.fd, archive_kind_from_name(output), plan->name, plan->epoch, err);
	struct progress progress;
	uint64_t total = 0;
	for (size_t i = 0; i < plan->ninputs; i++)
		total += plan->inputs[i].size;
	progress_init(&progress, cb, total);
	if (st == DOSSIER_OK) {
		bag_writer_set_progress(w, &progress);
		st = write_plan(w, plan, err);
	}
	if (st == DOSSIER_OK)
		st = bag_writer_close(w, err);
	if (st == DOSSIER_OK)
		progress_end(&progress);
	bag_writer_free(w);
	if (!to_stdout) {
		if (st == DOSSIER_OK)
			st = atomic_commit(&out, err);
		else
			atomic_abort(&out);
	}
	return st;
}

enum dossier_status dossier_pack(const char *spec_or_dir, const struct dossier_pack_options *opt,
    struct dossier_error *err)
{
	struct pack_plan plan;
	struct stat sb;
	enum dossier_status st;
	if (stat(spec_or_dir, &sb) != 0)
		return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", spec_or_dir);
	if (S_ISDIR(sb.st_mode) && opt->capture != NULL)
		return dossier_fail(err, DOSSIER_USAGE, "%s: --capture needs a spec, whose references it captures", spec_or_dir);
	st = S_ISDIR(sb.st_mode) ? plan_from_dir(spec_or_dir, opt, &plan, err)
	                         : plan_from_spec(spec_or_dir, opt, &plan, err);
	if (st == DOSSIER_OK)
		st = plan_add_cards(&plan, opt, err);
	if (st == DOSSIER_OK)
		st = plan_write(&plan, opt->output, opt->force, opt->progress, err);
	plan_release(&plan);
	return st;
}
