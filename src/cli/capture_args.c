/* capture_args.c - the options dossier capture and dossier pack --capture share. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int capture_option(struct capture_args *ca, int c, const char *arg, int argc)
{
	long long v;
	switch (c) {
	case OPT_TIMEOUT:
		v = parse_size(arg);
		if (v <= 0 || v > 3600)
			return fail(64, "--timeout: '%s' is not a number of seconds (1 to 3600)", arg);
		ca->opt.timeout = (long)v;
		return 0;
	case OPT_MAX_SIZE:
		if ((v = parse_size(arg)) <= 0)
			return fail(64, "--max-size: '%s' is not a positive size (e.g. 100M)", arg);
		ca->opt.max_size = (uint64_t)v;
		return 0;
	case OPT_RESOLVE:
		/* HOST:PORT:ADDR, as curl --resolve takes it; curl checks the rest */
		if (strchr(arg, ':') == NULL || strchr(strchr(arg, ':') + 1, ':') == NULL)
			return fail(64, "--resolve: '%s' is not HOST:PORT:ADDRESS", arg);
		if (ca->resolve == NULL && (ca->resolve = calloc((size_t)argc, sizeof *ca->resolve)) == NULL)
			return fail(70, "out of memory");
		ca->resolve[ca->opt.nresolve++] = arg;
		ca->opt.resolve = ca->resolve;
		return 0;
	case OPT_CONNECT_TO: {
		/* HOST:PORT:CONNECT-HOST:CONNECT-PORT, as curl --connect-to takes it */
		int colons = 0;
		for (const char *p = arg; *p; p++)
			colons += *p == ':';
		if (colons < 3)
			return fail(64, "--connect-to: '%s' is not HOST:PORT:CONNECT-HOST:CONNECT-PORT", arg);
		if (ca->connect_to == NULL && (ca->connect_to = calloc((size_t)argc, sizeof *ca->connect_to)) == NULL)
			return fail(70, "out of memory");
		ca->connect_to[ca->opt.nconnect_to++] = arg;
		ca->opt.connect_to = ca->connect_to;
		return 0;
	}
	case OPT_CACERT:
		ca->opt.cacert = arg;
		return 0;
	default:
		return usage("capture");
	}
}

void capture_args_release(struct capture_args *ca)
{
	free(ca->resolve);
	free(ca->connect_to);
	ca->resolve = NULL;
	ca->connect_to = NULL;
}
