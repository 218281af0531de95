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

#endif
