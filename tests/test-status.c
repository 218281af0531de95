/* SPDX-License-Identifier: MIT */
/* The status-code knowledge base against the IANA registry (tests/data) and
 * against flags written here from the RFCs. */
#include <redir.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "tests.h"

/* ---- the registry, read from tests/data/http-status-codes.csv ---------- */

struct row {
    int code;
    char reason[96];
};
static struct row rows[128];
static size_t nrows;
static bool assigned[600];

static void load_registry(void)
{
    if (nrows)
        return;
    FILE *f = fopen(TEST_DATA_DIR "/http-status-codes.csv", "r");
    ck_assert_msg(f != NULL, "cannot open the registry CSV");
    char line[512];
    ck_assert(fgets(line, sizeof line, f) != NULL); /* header */
    while (fgets(line, sizeof line, f)) {
        int lo, hi, n = 0;
        if (sscanf(line, "%d-%d,%n", &lo, &hi, &n) == 2 && n > 0)
            continue; /* an unassigned range */
        if (sscanf(line, "%d,%n", &lo, &n) != 1 || n == 0)
            continue;
        const char *desc = line + n;
        size_t len = strcspn(desc, ",");
        if (len == 0 || strncmp(desc, "Unassigned", len) == 0)
            continue;
        ck_assert_uint_lt(nrows, LEN(rows));
        ck_assert_uint_lt(len, sizeof rows[0].reason);
        rows[nrows].code = lo;
        memcpy(rows[nrows].reason, desc, len);
        rows[nrows].reason[len] = '\0';
        assigned[lo] = true;
        nrows++;
    }
    fclose(f);
    ck_assert_uint_eq(nrows, 64);
}

START_TEST(registry_codes_present)
{
    load_registry();
    ck_assert_uint_eq(redir_status_count(), nrows);
    for (size_t i = 0; i < nrows; i++) {
        const redir_status *st = redir_status_get(rows[i].code);
        ck_assert_ptr_nonnull(st);
        ck_assert_int_eq(st->code, rows[i].code);
        ck_assert_int_eq(st->treated_as, rows[i].code);
        ck_assert_msg(st->registered, "%d not registered", rows[i].code);
        ck_assert_str_eq(st->reason, rows[i].reason);
        ck_assert_str_eq(redir_status_reason(rows[i].code), rows[i].reason);
        ck_assert_int_eq((int)st->status_class, rows[i].code / 100);
        /* iteration gives the same entries in ascending order */
        ck_assert_ptr_eq(redir_status_at(i), st);
    }
    ck_assert_ptr_null(redir_status_at(nrows));
}
END_TEST

START_TEST(unregistered_fall_back_to_class)
{
    load_registry();
    for (int code = 100; code <= 599; code++) {
        if (assigned[code])
            continue;
        const redir_status *st = redir_status_get(code);
        ck_assert_ptr_nonnull(st);
        ck_assert_msg(!st->registered, "%d", code);
        ck_assert_int_eq(st->code, 0);
        ck_assert_int_eq(st->treated_as, code / 100 * 100);
        ck_assert_int_eq((int)st->status_class, code / 100);
        /* RFC 9110, Section 15 and RFC 9111, Section 3: never heuristically
         * cacheable, no redirect semantics */
        ck_assert_uint_eq(st->flags & (REDIR_SF_HEURISTIC_CACHEABLE |
                                       REDIR_SF_REDIRECT |
                                       REDIR_SF_NEEDS_LOCATION), 0);
    }
    ck_assert_str_eq(redir_status_reason(399), "Unregistered redirection status");
    ck_assert_ptr_eq(redir_status_get(399), redir_status_get(333));
    ck_assert_ptr_ne(redir_status_get(399), redir_status_get(300));
}
END_TEST

/* ---- flags, written from the RFCs --------------------------------------- */

#define I REDIR_SF_INTERIM
#define NB REDIR_SF_NO_BODY
#define HC REDIR_SF_HEURISTIC_CACHEABLE
#define RD REDIR_SF_REDIRECT
#define PE REDIR_SF_PERMANENT
#define TE REDIR_SF_TEMPORARY
#define PM REDIR_SF_PRESERVES_METHOD
#define RP REDIR_SF_MAY_REWRITE_POST
#define FG REDIR_SF_FORCES_GET
#define NL REDIR_SF_NEEDS_LOCATION

static const struct {
    int code;
    unsigned flags;
} expected_flags[] = {
    /* RFC 9110, Section 15.2: 1xx are interim and end at the header
     * section (RFC 9112, Section 6.3). 104: IANA temporary registration. */
    {100, I | NB}, {101, I | NB}, {102, I | NB}, {103, I | NB},
    {104, I | NB | REDIR_SF_PROVISIONAL},
    /* RFC 9110, Section 15.1: heuristically cacheable by default. */
    {200, HC}, {203, HC}, {206, HC}, {404, HC}, {405, HC}, {410, HC},
    {414, HC}, {501, HC},
    /* RFC 7725, Section 3: a 451 is cacheable by default */
    {451, HC},
    /* 15.3.5: no content, and heuristically cacheable */
    {204, HC | NB},
    /* 15.3.6: "a server MUST NOT generate content in a 205 response" */
    {205, REDIR_SF_EMPTY_CONTENT},
    /* 15.4.1: 300 is heuristically cacheable; Location only if preferred */
    {300, HC},
    /* 15.4.2: permanent, cacheable, POST->GET permitted for history */
    {301, RD | PE | RP | NL | HC},
    /* 15.4.3: temporary, POST->GET permitted for history */
    {302, RD | TE | RP | NL},
    /* 15.4.4: the client uses GET (or HEAD) on the Location */
    {303, RD | TE | FG | NL},
    /* 15.4.5: no content */
    {304, NB},
    /* 15.4.6: deprecated for security; 15.4.7 and 15.5.19: reserved */
    {305, REDIR_SF_DEPRECATED}, {306, REDIR_SF_UNUSED},
    {418, REDIR_SF_UNUSED},
    /* 15.4.8 and 15.4.9: the method and content must not change */
    {307, RD | TE | PM | NL},
    {308, RD | PE | PM | NL | HC},
    /* RFC 2774 moved to Historic (IESG status change) */
    {510, REDIR_SF_OBSOLETED},
};

START_TEST(flags_match_the_rfcs)
{
    load_registry();
    for (size_t i = 0; i < nrows; i++) {
        unsigned want = 0;
        for (size_t j = 0; j < LEN(expected_flags); j++)
            if (expected_flags[j].code == rows[i].code)
                want = expected_flags[j].flags;
        const redir_status *st = redir_status_get(rows[i].code);
        ck_assert_msg(st->flags == want, "%d: flags 0x%x, want 0x%x",
                      rows[i].code, st->flags, want);
    }
}
END_TEST

START_TEST(specs_name_the_defining_document)
{
    static const struct {
        int code;
        const char *spec;
    } cases[] = {
        {100, "RFC 9110, Section 15.2.1"}, {102, "RFC 2518, Section 10.1"},
        {103, "RFC 8297, Section 2"},      {207, "RFC 4918, Section 11.1"},
        {208, "RFC 5842, Section 7.1"},    {226, "RFC 3229, Section 10.4.1"},
        {307, "RFC 9110, Section 15.4.8"}, {308, "RFC 9110, Section 15.4.9"},
        {413, "RFC 9110, Section 15.5.14"}, {422, "RFC 9110, Section 15.5.21"},
        {423, "RFC 4918, Section 11.3"},   {425, "RFC 8470, Section 5.2"},
        {429, "RFC 6585, Section 4"},      {451, "RFC 7725, Section 3"},
        {506, "RFC 2295, Section 8.1"},    {508, "RFC 5842, Section 7.2"},
        {510, "RFC 2774, Section 7"},      {511, "RFC 6585, Section 6"},
    };
    for (size_t i = 0; i < LEN(cases); i++)
        ck_assert_str_eq(redir_status_get(cases[i].code)->spec, cases[i].spec);
}
END_TEST

static void assert_text(int code, const char *field, const char *s)
{
    ck_assert_msg(s != NULL && strlen(s) >= 10, "%d: %s is empty", code, field);
}

START_TEST(every_prose_field_is_filled)
{
    if (!redir_status_has_prose())
        return;
    for (int code = 100; code <= 599; code++) {
        const redir_status *st = redir_status_get(code);
#define F(x) assert_text(code, #x, st->x)
        F(summary); F(meaning); F(guarantees); F(not_guaranteed);
        F(use_when); F(browsers); F(api_clients); F(crawlers); F(monitors);
        F(cdns); F(may_assume); F(must_not_assume); F(retry_notes);
        F(debugging);
#undef F
        ck_assert_uint_ge(st->misuse_count, 1);
        ck_assert_uint_ge(st->header_count, 1);
        ck_assert_uint_ge(st->faq_count, 1);
        for (size_t i = 0; i < st->misuse_count; i++) {
            assert_text(code, "misuse", st->misuses[i].topic);
            assert_text(code, "consequence", st->misuses[i].text);
        }
        for (size_t i = 0; i < st->header_count; i++) {
            ck_assert(st->headers[i].topic[0] != '\0');
            assert_text(code, "without", st->headers[i].text);
        }
        for (size_t i = 0; i < st->faq_count; i++) {
            assert_text(code, "question", st->faq[i].topic);
            assert_text(code, "answer", st->faq[i].text);
        }
        if (st->registered) {
            static const char *const fw[] = {"Express", "Django", "Spring",
                                             "FastAPI", "Go net/http",
                                             "nginx", "Apache"};
            assert_text(code, "history", st->history);
            ck_assert_uint_eq(st->framework_count, LEN(fw));
            for (size_t i = 0; i < LEN(fw); i++) {
                ck_assert_str_eq(st->frameworks[i].framework, fw[i]);
                ck_assert(st->frameworks[i].snippet[0] != '\0');
                ck_assert_ptr_nonnull(st->frameworks[i].note);
            }
        }
        for (size_t i = 0; i < st->related_count; i++)
            ck_assert(redir_status_get(st->related[i])->registered);
    }
}
END_TEST

START_TEST(out_of_range_codes)
{
    static const int bad[] = {INT_MIN, -1, 0, 1, 99, 600, 1000, INT_MAX};
    for (size_t i = 0; i < LEN(bad); i++) {
        const redir_status *st = (const redir_status *)&bad;
        ck_assert_ptr_null(redir_status_get(bad[i]));
        ck_assert_int_eq(redir_status_lookup(bad[i], &st),
                         REDIR_E_STATUS_RANGE);
        ck_assert_ptr_null(st);
        ck_assert_str_eq(redir_status_reason(bad[i]), "");
    }
    ck_assert_int_eq(redir_status_lookup(200, NULL), REDIR_E_NULL);
    const redir_status *st = NULL;
    ck_assert_int_eq(redir_status_lookup(100, &st), REDIR_OK);
    ck_assert_int_eq(st->code, 100);
    ck_assert_int_eq(redir_status_lookup(599, &st), REDIR_OK);
    ck_assert_int_eq(st->treated_as, 500);
}
END_TEST

static const struct {
    const char *in;
    redir_result want;
    int code;
} parse_cases[] = {
    {"307", REDIR_OK, 307}, {"100", REDIR_OK, 100}, {"599", REDIR_OK, 599},
    {"099", REDIR_E_STATUS_RANGE, 0}, {"99", REDIR_E_STATUS_RANGE, 0},
    {"600", REDIR_E_STATUS_RANGE, 0}, {"3070", REDIR_E_STATUS_RANGE, 0},
    {"", REDIR_E_EMPTY, 0}, {"abc", REDIR_E_CHAR, 0}, {"-1", REDIR_E_CHAR, 0},
    {"30x", REDIR_E_CHAR, 0}, {" 307", REDIR_E_CHAR, 0}, {"+307", REDIR_E_CHAR, 0},
};

START_TEST(parse_status)
{
    int code = -5;
    redir_result r = redir_status_parse(parse_cases[_i].in,
                                        strlen(parse_cases[_i].in), &code);
    ck_assert_msg(r == parse_cases[_i].want, "'%s': %s", parse_cases[_i].in,
                  redir_result_name(r));
    ck_assert_int_eq(code, parse_cases[_i].code);
}
END_TEST

START_TEST(parse_status_edges)
{
    int code;
    ck_assert_int_eq(redir_status_parse(NULL, 3, &code), REDIR_E_NULL);
    ck_assert_int_eq(redir_status_parse("307", 3, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_status_parse("3\0" "07", 4, &code), REDIR_E_CHAR);
    ck_assert_int_eq(redir_status_parse("30712", 3, &code), REDIR_OK);
    ck_assert_int_eq(code, 307);
}
END_TEST

START_TEST(names)
{
    ck_assert_str_eq(redir_status_class_name(REDIR_CLASS_REDIRECTION), "redirection");
    ck_assert_str_eq(redir_status_class_name(REDIR_CLASS_CLIENT_ERROR), "client-error");
    ck_assert_str_eq(redir_status_class_name((redir_status_class)9), "unknown");
    ck_assert_str_eq(redir_status_flag_name(REDIR_SF_REDIRECT), "redirect");
    ck_assert_str_eq(redir_status_flag_name(REDIR_SF_HEURISTIC_CACHEABLE),
                     "heuristically-cacheable");
    ck_assert_ptr_null(redir_status_flag_name(0));
    ck_assert_ptr_null(redir_status_flag_name(REDIR_SF_REDIRECT | REDIR_SF_PERMANENT));
    ck_assert_ptr_nonnull(redir_status_flag_text(REDIR_SF_FORCES_GET));
    ck_assert_str_eq(redir_retry_name(REDIR_RETRY_AFTER_RETRY_AFTER), "after-retry-after");
    ck_assert_str_eq(redir_retry_name((redir_retry)77), "unknown");
    ck_assert_str_eq(redir_monitor_name(REDIR_MONITOR_RATE_LIMITED), "rate-limited");
    ck_assert_str_eq(redir_monitor_name((redir_monitor)-1), "unknown");
    ck_assert_int_eq(redir_status_get(429)->retry, REDIR_RETRY_AFTER_RETRY_AFTER);
    ck_assert_int_eq(redir_status_get(503)->monitor, REDIR_MONITOR_DOWN);
}
END_TEST

START_TEST(results_have_names_and_sentences)
{
    for (int r = 0; r < REDIR_RESULT_LAST_; r++) {
        ck_assert_str_ne(redir_result_name((redir_result)r), "REDIR_E_UNKNOWN");
        ck_assert_uint_gt(strlen(redir_strerror((redir_result)r)), 5);
    }
    ck_assert_str_eq(redir_result_name(REDIR_OK), "REDIR_OK");
    ck_assert_str_eq(redir_strerror(REDIR_OK), "success");
    ck_assert_str_eq(redir_result_name(REDIR_E_PORT), "REDIR_E_PORT");
    ck_assert_str_eq(redir_strerror((redir_result)-1), "unknown result");
    ck_assert_str_eq(redir_result_name(REDIR_RESULT_LAST_), "REDIR_E_UNKNOWN");
}
END_TEST

START_TEST(version)
{
    ck_assert_str_eq(redir_version(), REDIR_VERSION);
    ck_assert_str_eq(redir_version(), EXPECTED_VERSION); /* meson's */
    ck_assert_uint_eq(redir_version_num(), REDIR_VERSION_NUM);
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d.%d", REDIR_VERSION_MAJOR,
             REDIR_VERSION_MINOR, REDIR_VERSION_PATCH);
    ck_assert_str_eq(buf, REDIR_VERSION);
    ck_assert(REDIR_VERSION_AT_LEAST(0, 1, 0));
    ck_assert(!REDIR_VERSION_AT_LEAST(REDIR_VERSION_MAJOR + 1, 0, 0));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, registry_codes_present);
    tcase_add_test(tc, unregistered_fall_back_to_class);
    tcase_add_test(tc, flags_match_the_rfcs);
    tcase_add_test(tc, specs_name_the_defining_document);
    tcase_add_test(tc, every_prose_field_is_filled);
    tcase_add_test(tc, out_of_range_codes);
    tcase_add_loop_test(tc, parse_status, 0, (int)LEN(parse_cases));
    tcase_add_test(tc, parse_status_edges);
    tcase_add_test(tc, names);
    tcase_add_test(tc, results_have_names_and_sentences);
    tcase_add_test(tc, version);
    suite_add_tcase(s, tc);
    return s;
}
