/*
 * fuzz.h: what the fuzz targets beside the parsers share (Dovecot
 * style). A target defines fuzz_one(), which runs the code under test on
 * one input and checks what came out, and says where its fixtures are.
 *
 * Built with -DREDRESS_LIBFUZZER and -fsanitize=fuzzer, libFuzzer drives
 * LLVMFuzzerTestOneInput(), which aborts on a defect. Built normally,
 * fuzz-main.c's main() runs fuzz_one() over the files named on the
 * command line, or over every fixture in $top_srcdir/tests/data/DIR
 * whose name ends in the suffix when none is named, and prints TAP: one
 * result per input, with the defect when there is one.
 */
#ifndef REDRESS_FUZZ_H
#define REDRESS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* What is wrong with the result for this input (static storage or a
 * string literal), or NULL. Must not crash, whatever the bytes. */
const char	*fuzz_one(const uint8_t *data, size_t size);

/* The target, e.g. "fuzz-message", and its fixtures: a directory under
 * tests/data and the ending of the files to take there. */
extern const char fuzz_name[];
extern const char fuzz_fixture_dir[];
extern const char fuzz_fixture_suffix[];

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
