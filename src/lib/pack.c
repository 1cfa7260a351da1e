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

static int verify_txt(struct buf *out, const char *name)
{
	return buf_printf(out,
	    "How to check the bundle %s without dossier\n"
	    "\n"
	    "This bundle is a BagIt bag (RFC 8493). Its signed object is the file\n"
	    "tagmanifest-sha256.txt, which pins every other tag file, and through\n"
	    "manifest-sha256.txt every byte of the payload under data/.\n"
	    "\n"
	    "In the bundle's top directory, with the stock tools minisign and sha256sum:\n"
	    "\n"
	    "1. Check each signature with the signer's public key, obtained from the\n"
	    "   signer through a channel you trust (not from this bundle):\n"
	    "     minisign -Vm tagmanifest-sha256.txt -x signatures/KEYID.minisig -p KEYID.pub\n"
	    "   KEYID is the key id in the signature's file name: 16 hex digits\n"
	    "   (minisign prints the same number without its leading zeros).\n"
	    "\n"
	    "2. Check that the tag files are the ones that were signed:\n"
	    "     sha256sum -c tagmanifest-sha256.txt\n"
	    "\n"
	    "3. Check every payload file:\n"
	    "     sha256sum -c manifest-sha256.txt\n"
	    "\n"
	    "4. Check that no file was added after signing: the two lists printed by\n"
	    "     find data -type f | LC_ALL=C sort\n"
	    "     cut -c67- manifest-sha256.txt | LC_ALL=C sort\n"
	    "   must be equal, and every other file must be listed in\n"
	    "   tagmanifest-sha256.txt, except that file itself and what is added\n"
	    "   after signing: signatures/, timestamps/ and redactions.json.\n"
	    "   (A path containing %%, CR or LF is written %%25, %%0D or %%0A in\n"
	    "   the manifests, as RFC 8493 says.)\n"
	    "\n"
	    "All four must succeed. dossier verify does the same in one pass, and\n"
	    "also checks dossier.json and which signers you trust.\n",
	    name);
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
