/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz targets: the libFuzzer entry point, the harness's own
 * checks, exact-size copies of input pieces (so AddressSanitizer sees a
 * read one byte past a field, which it would not inside the fuzzer's one
 * big buffer) and the reference algorithms the targets compare with.
 */
#ifndef REDIR_FUZZER_H
#define REDIR_FUZZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "redir.h"

/* The libFuzzer entry point each target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed check of the harness: prints where and what, then abort()s,
 * which libFuzzer and the replay tests report as a crash. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            fuzz_fail(__FILE__, __LINE__, #cond);                              \
    } while (0)

void fuzz_fail(const char *file, int line, const char *what);

/* A piece of the input in its own exact-size heap block. */
typedef struct fuzz_buf {
    char *ptr;
    size_t len;
} fuzz_buf;

/* Copies n bytes into a fresh block of exactly n bytes (1 when n is 0). */
fuzz_buf fuzz_copy(const void *p, size_t n);
void fuzz_free(fuzz_buf *b);

/* Splits (data, size) at the first NUL or newline: *a gets the bytes
 * before it, *b the bytes after it (empty when there is none). */
void fuzz_split2(const uint8_t *data, size_t size, fuzz_buf *a, fuzz_buf *b);

/* Line reader over (data, size): lines end at '\n' (a '\r' stays in the
 * line, so CR and CRLF reach the library). */
typedef struct fuzz_lines {
    const uint8_t *p;
    size_t n;
} fuzz_lines;

/* The next line; false at the end of the input. */
bool fuzz_next_line(fuzz_lines *l, const char **line, size_t *len);

/*
 * RFC 3986, Section 5.2.2 (strict), 5.2.3, 5.2.4 and 5.3 written the way
 * the RFC writes them, from components parsed by redir_uri_parse(): the
 * reference the resolve and location targets compare redir's resolver
 * with. `inherit_fragment` adds RFC 9110, Section 10.2.2. Returns the
 * result in a malloc()ed NUL-terminated string (*len without the NUL).
 */
char *fuzz_ref_resolve(const redir_uri *base, const redir_uri *ref,
                       bool inherit_fragment, size_t *len);

/* RFC 3986, Section 5.2.4 as written: a malloc()ed string. */
char *fuzz_remove_dot_segments(const char *path, size_t n, size_t *len);

/* Checks that a parsed URI's views lie inside (s, n) and agree with
 * `parts`; abort()s otherwise. */
void fuzz_check_uri(const redir_uri *u, const char *s, size_t n);

/* Whether two parsed URIs have the same components (views compared by
 * content and position relative to their strings). */
bool fuzz_same_uri(const redir_uri *a, const char *sa, const redir_uri *b,
                   const char *sb);

/* A known redir_result with a name and a sentence. */
void fuzz_check_result(redir_result r);

#endif
