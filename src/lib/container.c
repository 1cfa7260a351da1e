/* container.c - what libarchive leaves unchecked in the container itself: the gzip
   trailer (CRC-32 and length) and zip local headers that disagree with the central
   directory. Either lets stock tools see other bytes or names than dossier verified. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

enum dossier_status container_check_zip(int fd, const char *name, char *const *central,
    size_t count, struct dossier_error *err)
{
	struct archive *a = archive_read_new();
	enum dossier_status st = DOSSIER_OK;
	size_t i = 0;
	if (a == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	int copy = dup(fd);
	archive_read_support_format_zip_streamable(a);
	if (copy < 0 || lseek(copy, 0, SEEK_SET) != 0 || archive_read_open_fd(a, copy, 1 << 20) != ARCHIVE_OK) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: zip local headers unreadable", name);
		goto out;
	}
	/* The local headers, read in order, must name what the central directory named. */
	for (;;) {
		struct archive_entry *ae;
		int rc = archive_read_next_header(a, &ae);
		if (rc == ARCHIVE_EOF)
			break;
		const char *local = rc == ARCHIVE_OK ? archive_entry_pathname_utf8(ae) : NULL;
		if (local == NULL && rc == ARCHIVE_OK)
			local = archive_entry_pathname(ae);
		if (rc != ARCHIVE_OK || local == NULL || i >= count || strcmp(local, central[i]) != 0) {
			st = dossier_fail(err, DOSSIER_INVALID,
			    "%s: zip local header %zu names '%s', the central directory '%s'", name, i + 1,
			    local ? local : "?", i < count ? central[i] : "nothing");
			goto out;
		}
		i++;
	}
	if (i != count)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: the central directory lists %zu entries, the local headers %zu",
		    name, count, i);
out:
	archive_read_free(a);
	if (copy >= 0)
		close(copy);
	return st;
}
