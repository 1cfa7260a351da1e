/* fuzz_warc.c - libFuzzer: the streaming WARC reader on any bytes, and whatever way the
   bytes are split, the same answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	uint64_t records;
	uint64_t bytes; /* block and payload sizes of every record, summed */
};

static int on_record(void *ctx, const struct warc_record *rec)
{
	struct seen *s = ctx;
	/* every record handed out is whole and numbered in order */
	if (rec->number != s->records + 1 || rec->payload_size > rec->block_size || rec->record_id[0] == '\0')
		abort();
	s->records++;
	s->bytes += rec->block_size + rec->payload_size;
	return 0;
}

/* Reads data in pieces of step bytes (0: at once); the status, message filled. */
static enum dossier_status read_all(const uint8_t *data, size_t size, size_t step, struct seen *s,
    struct dossier_error *err)
{
	struct warc_reader *w;
	enum dossier_status st = DOSSIER_OK;
	memset(s, 0, sizeof *s);
	memset(err, 0, sizeof *err);
	if (warc_reader_new(&w, "f.warc", on_record, s) != 0)
		abort();
	for (size_t off = 0; off < size && st == DOSSIER_OK;) {
		size_t n = step == 0 || size - off < step ? size - off : step;
		st = warc_reader_update(w, data + off, n, err);
		off += n;
	}
	if (st == DOSSIER_OK)
		st = warc_reader_final(w, err);
	if (warc_reader_records(w) != s->records)
		abort();
	warc_reader_free(w);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen a, b;
	struct dossier_error ea, eb;
	if (size > (1u << 20))
		return 0;
	enum dossier_status sa = read_all(data, size, 0, &a, &ea);
	/* the last byte picks a split, so both small and odd steps are tried */
	size_t step = size > 0 ? (size_t)(data[size - 1] % 61) + 1 : 1;
	enum dossier_status sb = read_all(data, size, step, &b, &eb);
	if (sa != sb || a.records != b.records || a.bytes != b.bytes)
		abort();
	/* a refusal says why, naming the file, the same whatever the split */
	if (sa != DOSSIER_OK && (sa != DOSSIER_INVALID || strncmp(ea.message, "f.warc: record ", 15) != 0 ||
	                         strcmp(ea.message, eb.message) != 0))
		abort();
	return 0;
}
