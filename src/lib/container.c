/* container.c - what libarchive leaves unchecked in the container itself: the gzip
   trailer (CRC-32 and length) and zip local headers that disagree with the central
   directory (read with libzip, as libarchive never reports its names). Either lets
   stock tools see other bytes or names than dossier verified. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "internal.h"

enum dossier_status container_check_gzip(int fd, const char *name, struct dossier_error *err)
{
	/* zlib's gzread checks every member's CRC-32 and length at its end */
	int copy = dup(fd);
	if (copy < 0 || lseek(copy, 0, SEEK_SET) != 0) {
		if (copy >= 0)
			close(copy);
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	}
	gzFile gz = gzdopen(copy, "rb");
	if (gz == NULL) {
		close(copy);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	char *buf = malloc(1u << 20);
	int n = 0;
	while (buf != NULL && (n = gzread(gz, buf, 1u << 20)) > 0)
		;
	int errnum = Z_OK;
	const char *msg = gzerror(gz, &errnum);
	enum dossier_status st = DOSSIER_OK;
	if (buf == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	else if (n < 0 || (errnum != Z_OK && errnum != Z_BUF_ERROR))
		st = dossier_fail(err, DOSSIER_INVALID, "%s: gzip stream is damaged (%s)", name,
		    msg && *msg ? msg : "bad trailer");
	free(buf);
	gzclose(gz);
	return st;
}

/* One entry's name as a local header gives it against the central directory's, where
   unzip and every other zip tool take it from; i counts from 0. Equal in NFC is the same
   name: libarchive hands back a UTF-8 name in NFC, libzip as stored, and dossier compares
   paths in NFC anyway. */
static enum dossier_status zip_same_name(const char *name, size_t i, const char *local,
    const char *central, struct dossier_error *err)
{
	if (local != NULL && central != NULL) {
		if (strcmp(local, central) == 0)
			return DOSSIER_OK;
		if (utf8_valid(local, strlen(local)) && utf8_valid(central, strlen(central))) {
			char *a = path_nfc(local), *b = path_nfc(central);
			int same = a != NULL && b != NULL && strcmp(a, b) == 0;
			int nomem = a == NULL || b == NULL;
			free(a);
			free(b);
			if (nomem)
				return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			if (same)
				return DOSSIER_OK;
		}
	}
	return dossier_fail(err, DOSSIER_INVALID, "%s: zip local header %zu names '%s', the central directory '%s'",
	    name, i + 1, local ? local : "?", central ? central : "nothing");
}

/* libarchive names zip entries from their local headers, even the seekable reader that
   finds them through the central directory, so `names` (the names the main read verified)
   are local names. The central directory's own names come from libzip, and both kinds of
   local name must match them in order: the local header at each central entry's offset
   (what dossier verified, where unzip takes the bytes from) and the chain of local headers
   read from the start (what a streaming reader sees, and a local entry the central
   directory leaves out). ZIP_FL_ENC_RAW: the stored bytes, as libarchive hands back local
   names too (no conversion in the C.UTF-8 locale the CLI sets, raw bytes where it fails);
   a guessed or strict encoding would read a name without the UTF-8 flag as CP437 on the
   central side only. */
enum dossier_status container_check_zip(int fd, const char *name, char *const *names,
    size_t count, struct dossier_error *err)
{
	enum dossier_status st = DOSSIER_OK;
	struct archive *a = NULL;
	int lfd = -1;
	int copy = dup(fd); /* zip_fdopen closes it when it succeeds, not when it fails */
	if (copy < 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	int zerr = 0;
	zip_t *za = zip_fdopen(copy, ZIP_RDONLY, &zerr);
	if (za == NULL) {
		close(copy);
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		st = dossier_fail(err, zerr == ZIP_ER_MEMORY ? DOSSIER_SOFTWARE : DOSSIER_INVALID,
		    "%s: zip central directory unreadable (%s)", name, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return st;
	}
	zip_int64_t listed = zip_get_num_entries(za, 0);
	size_t central = listed < 0 ? 0 : (size_t)listed;
	if (central != count) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: the central directory lists %zu entries, dossier read %zu",
		    name, central, count);
		goto out;
	}
	for (size_t i = 0; i < count; i++)
		if ((st = zip_same_name(name, i, names[i], zip_get_name(za, i, ZIP_FL_ENC_RAW), err)) != DOSSIER_OK)
			goto out;

	if ((a = archive_read_new()) == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	lfd = dup(fd);
	archive_read_support_format_zip_streamable(a);
	if (lfd < 0 || lseek(lfd, 0, SEEK_SET) != 0 || archive_read_open_fd(a, lfd, 1 << 20) != ARCHIVE_OK) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: zip local headers unreadable", name);
		goto out;
	}
	size_t i = 0;
	for (;; i++) {
		struct archive_entry *ae;
		int rc = archive_read_next_header(a, &ae);
		if (rc == ARCHIVE_EOF)
			break;
		const char *local = rc == ARCHIVE_OK ? archive_entry_pathname_utf8(ae) : NULL;
		if (local == NULL && rc == ARCHIVE_OK)
			local = archive_entry_pathname(ae);
		if ((st = zip_same_name(name, i, local, i < count ? zip_get_name(za, i, ZIP_FL_ENC_RAW) : NULL,
		    err)) != DOSSIER_OK)
			goto out;
	}
	if (i != count)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: the central directory lists %zu entries, the local headers %zu",
		    name, count, i);
out:
	archive_read_free(a);
	if (lfd >= 0)
		close(lfd);
	zip_discard(za);
	return st;
}
