/* SPDX-License-Identifier: MIT */
/* Shared scaffolding for the Check unit tests: each test file defines
 * make_suite() and includes this header once. */
#ifndef REDIR_TESTS_H
#define REDIR_TESTS_H

#include <check.h>
#include <stdlib.h>

Suite *make_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#include <stdbool.h>
#include <string.h>

/* Whether (name, len) is one of the comma-separated words of `list`. */
static inline bool listed(const char *list, const char *name, size_t len)
{
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, name, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

/* xorshift64: reproducible pseudo-random bytes for the hostile-input
 * tests (each file seeds its own state). */
static inline unsigned char xorshift_byte(unsigned long long *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (unsigned char)(*state >> 32);
}

#endif
