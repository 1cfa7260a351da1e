/* fuzz_container.c - libFuzzer: the canonical-layout check of a tar, tar.gz, tar.zst or zip
   (container_scan), alone: whatever it accepts, it lists, and it never reads past a limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* small limits, so that a zero-block or deflate bomb is cut off within the run */
	const struct dossier_limits lim = { 4u << 20, 512 };
	struct container_list l;
	struct dossier_error err;
	int fd = memfd_create("fuzz-container", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	enum dossier_status st = container_scan(fd, "fuzz", &lim, &l, &err);
	if (st == DOSSIER_OK) {
		if (l.n == 0 || l.n > lim.max_entries)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].path == NULL || l.v[i].path[0] == '\0' || (l.v[i].is_dir && l.v[i].size != 0))
				abort();
	} else if (err.message[0] == '\0') {
		abort();
	}
	container_list_release(&l);
	close(fd);
	return 0;
}
