/* SPDX-License-Identifier: MIT */
/*
 * The decision: RFC 9110, Section 15.4 applied to one request and one
 * response under a policy. Every rule that varies between clients lives in
 * the policy (profiles.c); what is left here is the order of the checks and
 * the facts of the standard.
 */
#include "header_slot.h"
#include "policy.h"
#include "uri.h"
#include "util.h"

#if defined(__SSE2__) && !defined(REDIR_NO_SIMD)
#include <emmintrin.h>
#endif

/* ---- names ---------------------------------------------------------------- */

const char *redir_verdict_name(redir_verdict v)
{
    switch (v) {
#define REDIR_X_(name, json)                                                   \
    case REDIR_VERDICT_##name: return json;
        REDIR_VERDICT_LIST(REDIR_X_)
#undef REDIR_X_
    case REDIR_VERDICT_LAST_: break;
    }
    return "unknown";
}

const char *redir_flag_name(unsigned flag)
{
    switch (flag) {
#define REDIR_X_(name, bit, json)                                              \
    case REDIR_DF_##name: return json;
        REDIR_DECISION_FLAG_LIST(REDIR_X_)
#undef REDIR_X_
    default: return NULL;
    }
}

const char *redir_header_action_name(redir_header_action a)
{
    switch (a) {
    case REDIR_HEADER_KEEP: return "keep";
    case REDIR_HEADER_DROP: return "drop";
    case REDIR_HEADER_REGENERATE: return "regenerate";
    }
    return "unknown";
}

/* ---- header classes --------------------------------------------------------- */

/* The action of each class, by its bit number. */
static const unsigned char class_actions[32] = {
#define REDIR_X_(name, bit, action) [bit] = REDIR_HEADER_##action,
    REDIR_HEADER_CLASS_LIST(REDIR_X_)
#undef REDIR_X_
};

/* The known names (REDIR_HEADER_NAME_LIST, the one list) after an empty
 * entry 0, each zero-padded to 24 bytes, so that eight bytes can be read
 * anywhere in its first 16 (the longest has 19; one of more than 24 would
 * not compile), with their lengths and classes. */
static const char header_names[][24] = {
    "",
#define REDIR_X_(name, cls) name,
    REDIR_HEADER_NAME_LIST(REDIR_X_)
#undef REDIR_X_
};

static const unsigned char header_name_lens[] = {
    0,
#define REDIR_X_(name, cls) sizeof(name) - 1,
    REDIR_HEADER_NAME_LIST(REDIR_X_)
#undef REDIR_X_
};

static const unsigned header_classes[] = {
    REDIR_HC_OTHER,
#define REDIR_X_(name, cls) REDIR_HC_##cls,
    REDIR_HEADER_NAME_LIST(REDIR_X_)
#undef REDIR_X_
};

/* The lengths of the known names, as bits: a name of another length is
 * OTHER without a look-up. */
#define REDIR_X_(name, cls) | (1ull << (sizeof(name) - 1))
static const unsigned long long known_lengths = 0 REDIR_HEADER_NAME_LIST(REDIR_X_);
#undef REDIR_X_

/* rd_header_slots: by slot, the entry above (0 for none); generated at
 * build time (tools/gen-header-slots.c) from the same list. */
#include "header_slots.h"

/* Whether `list` holds the space-separated word `name`. */
static bool in_word_list(const char *list, const char *name, size_t len)
{
    if (!list)
        return false;
    const char *p = list;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e > p && rd_ieq(p, (size_t)(e - p), name, len))
            return true;
        p = e;
    }
    return false;
}

/*
 * The class of a header name: the one known name at its slot
 * (lib/header_slot.h), compared in two words of eight bytes
 * (rd_short_words()), read the same way from the name and from the
 * candidate (zero-padded: every read is inside it); for names of up to 16
 * bytes that is all of them, longer ones are then compared in full. Lower
 * case: the known names are letters, digits and '-', whose lower case is
 * the byte | 0x20. `token`: the name is known to be a token (decisions
 * check that first), so that `| 0x20` lowers its letters too and changes
 * no byte into one of a known name (only control bytes would become digits
 * or '-'); otherwise its letters are lowered exactly. A name whose length
 * no known name has is OTHER at once; for the others, no branch on the
 * outcome.
 */
static RD_ALWAYS_INLINE unsigned header_class_of(const char *name, size_t len,
                                                 bool token)
{
    /* (every known length is 4 to 19) */
    if (!name || len >= 64 || !(known_lengths >> len & 1))
        return REDIR_HC_OTHER;
    const unsigned first = (unsigned char)name[0], last = (unsigned char)name[len - 1];
    const unsigned e = rd_header_slots[rd_header_slot(
        RD_HEADER_SLOT_A, RD_HEADER_SLOT_B, len,
        token ? first | 0x20u : (unsigned)rd_lower((int)first),
        token ? last | 0x20u : (unsigned)rd_lower((int)last))];
    const char *k = header_names[e];
    uint64_t n0, n1, k0, k1;
    rd_short_words(name, len, &n0, &n1);
    rd_short_words(k, len, &k0, &k1);
    /* equal but for bit 5 (token), or equal in lower case */
    const uint64_t fold = 0x20 * RD_ONES8;
    const uint64_t differ = token ? ((n0 ^ k0) | (n1 ^ k1)) & ~fold
                                  : (rd_lower8(n0) ^ (k0 | fold)) |
                                        (rd_lower8(n1) ^ (k1 | fold));
    const bool same = header_name_lens[e] == len && differ == 0 &&
                      (len <= 16 || rd_ieq_n(k, name, len));
    return same ? header_classes[e] : REDIR_HC_OTHER;
}

unsigned redir_header_class(const char *name, size_t len)
{
    return header_class_of(name, len, false);
}

static redir_header_action class_action(unsigned bit)
{
    return (redir_header_action)class_actions[rd_ctz(bit)];
}

static inline unsigned class_of(const redir_policy *p, const char *name,
                                size_t len, bool token)
{
    if (p->sensitive_headers && in_word_list(p->sensitive_headers, name, len))
        return REDIR_HC_SENSITIVE;
    return header_class_of(name, len, token);
}

/* The classes this decision removes. */
static unsigned removed_classes(const redir_decision *d)
{
    /* masks, not branches: which of these holds changes from one
     * redirect to the next */
#define WHEN_(c) (0u - (unsigned)((c) != 0))
    const redir_policy *p = d->policy;
    return p->strip_always |
           (p->strip_on_body_drop & WHEN_(d->body == REDIR_BODY_DROP)) |
           (p->strip_on_scope_change & WHEN_(d->flags & REDIR_DF_SCOPE_CHANGED)) |
           (p->strip_on_authority_change &
            WHEN_(d->flags & (REDIR_DF_CROSS_HOST | REDIR_DF_CROSS_PORT))) |
           (p->strip_on_downgrade & WHEN_(d->flags & REDIR_DF_DOWNGRADE));
#undef WHEN_
}

redir_header_action redir_header_action_for(const redir_decision *d,
                                            const char *name, size_t len)
{
    if (!d || !name || !d->policy || d->verdict != REDIR_VERDICT_FOLLOW)
        return REDIR_HEADER_KEEP;
    unsigned cls = class_of(d->policy, name, len, false);
    return (removed_classes(d) & cls) ? class_action(cls) : REDIR_HEADER_KEEP;
}

/* ---- tokens ----------------------------------------------------------------- */


/* ---- reasons ---------------------------------------------------------------- */

static const char *const spec_for_row[REDIR_ROW_COUNT] = {
    "RFC 9110, Section 15.4.1", "RFC 9110, Section 15.4.2",
    "RFC 9110, Section 15.4.3", "RFC 9110, Section 15.4.4",
    "RFC 9110, Section 15.4.5", "RFC 9110, Section 15.4.6",
    "RFC 9110, Section 15.4.7", "RFC 9110, Section 15.4.8",
    "RFC 9110, Section 15.4.9", "RFC 9110, Section 15",
};

/* Follow reasons per status row and rule - 1 (KEEP, GET, KEEP_NO_BODY;
 * GET_WITH_BODY has one reason of its own, rule_reason()). */
static const char *const follow_reason[REDIR_ROW_COUNT][4] = {
    [REDIR_ROW_300] = {
        "300 Multiple Choices with a Location: this policy follows the "
        "server's preferred choice with the same method and content "
        "(RFC 9110, Section 15.4.1 allows it).",
        "300 Multiple Choices with a Location: this policy follows the "
        "preferred choice with GET and drops the content (RFC 9110, "
        "Section 15.4.1 allows following; the change of method is the "
        "client's own).",
        "300 Multiple Choices with a Location: this policy follows the "
        "preferred choice with the same method but without the content.",
    },
    [REDIR_ROW_301] = {
        "301 Moved Permanently: repeat the request at the new URI with the "
        "same method and content; the move is permanent "
        "(RFC 9110, Section 15.4.2).",
        "301 Moved Permanently: this policy repeats the request with GET and "
        "without content; RFC 9110, Section 15.4.2 permits that change only "
        "from POST, for historical reasons.",
        "301 Moved Permanently: this policy keeps the method but drops the "
        "content, which RFC 9110, Section 15.4.2 does not provide for.",
    },
    [REDIR_ROW_302] = {
        "302 Found: repeat the request at the Location with the same method "
        "and content, and keep using the original URI later "
        "(RFC 9110, Section 15.4.3).",
        "302 Found: this policy repeats the request with GET and without "
        "content; RFC 9110, Section 15.4.3 permits that change only from "
        "POST, for historical reasons.",
        "302 Found: this policy keeps the method but drops the content, which "
        "RFC 9110, Section 15.4.3 does not provide for.",
    },
    [REDIR_ROW_303] = {
        "303 See Other: retrieve the Location with the same safe method "
        "(RFC 9110, Section 15.4.4).",
        "303 See Other: retrieve the Location with GET; the original content "
        "is not sent again (RFC 9110, Section 15.4.4).",
        "303 See Other: this policy keeps the method but drops the content; "
        "RFC 9110, Section 15.4.4 expects a GET or HEAD.",
    },
    [REDIR_ROW_304] = {
        "304 Not Modified with a Location: this policy follows it, although "
        "304 is not a redirect (RFC 9110, Section 15.4.5).",
        "304 Not Modified with a Location: this policy follows it with GET, "
        "although 304 is not a redirect (RFC 9110, Section 15.4.5).",
        "304 Not Modified with a Location: this policy follows it without "
        "the content, although 304 is not a redirect.",
    },
    [REDIR_ROW_305] = {
        "305 Use Proxy with a Location: this policy follows it like a "
        "redirect, although RFC 9110, Section 15.4.6 deprecates the code.",
        "305 Use Proxy with a Location: this policy follows it with GET, "
        "although RFC 9110, Section 15.4.6 deprecates the code.",
        "305 Use Proxy with a Location: this policy follows it without the "
        "content, although RFC 9110, Section 15.4.6 deprecates the code.",
    },
    [REDIR_ROW_306] = {
        "306 (Unused) with a Location: this policy follows it like a "
        "redirect, although the code is reserved (RFC 9110, Section 15.4.7).",
        "306 (Unused) with a Location: this policy follows it with GET, "
        "although the code is reserved (RFC 9110, Section 15.4.7).",
        "306 (Unused) with a Location: this policy follows it without the "
        "content, although the code is reserved.",
    },
    [REDIR_ROW_307] = {
        "307 Temporary Redirect: repeat the request at the Location with the "
        "same method and content, and keep using the original URI later "
        "(RFC 9110, Section 15.4.8).",
        "307 Temporary Redirect: this policy changes the method to GET, which "
        "RFC 9110, Section 15.4.8 forbids.",
        "307 Temporary Redirect: this policy drops the content, which RFC "
        "9110, Section 15.4.8 forbids.",
    },
    [REDIR_ROW_308] = {
        "308 Permanent Redirect: repeat the request at the Location with the "
        "same method and content, and use the new URI from now on "
        "(RFC 9110, Section 15.4.9).",
        "308 Permanent Redirect: this policy changes the method to GET, which "
        "RFC 9110, Section 15.4.9 forbids.",
        "308 Permanent Redirect: this policy drops the content, which RFC "
        "9110, Section 15.4.9 forbids.",
    },
    [REDIR_ROW_OTHER] = {
        "An unregistered 3xx with a Location: this policy follows it with "
        "the same method; RFC 9110, Section 15 says to treat it as 300.",
        "An unregistered 3xx with a Location: this policy follows it with "
        "GET; RFC 9110, Section 15 says to treat it as 300.",
        "An unregistered 3xx with a Location: this policy follows it without "
        "the content; RFC 9110, Section 15 says to treat it as 300.",
    },
};

/* What each rule does to the method (GET or the request's) and the
 * content. */
static const struct {
    bool get;
    unsigned char body; /* redir_body_action */
} rule_effects[] = {
    [REDIR_RULE_STOP] = {false, REDIR_BODY_ACTION_NONE},
    [REDIR_RULE_KEEP] = {false, REDIR_BODY_KEEP},
    [REDIR_RULE_GET] = {true, REDIR_BODY_DROP},
    [REDIR_RULE_GET_WITH_BODY] = {true, REDIR_BODY_KEEP},
    [REDIR_RULE_KEEP_NO_BODY] = {false, REDIR_BODY_DROP},
};

static const char rd_get[] = "GET";

static const char reason_303_head[] =
    "303 See Other: a HEAD request stays HEAD at the Location "
    "(RFC 9110, Section 15.4.4).";
/* POST on 301 and 302, by [row is 302][the rule turns it into GET] */
static const char *const post_reasons[2][2] = {
    {"301 Moved Permanently: the POST is repeated as a POST with its "
     "content; RFC 9110, Section 15.4.2 permits changing it to GET for "
     "historical reasons, and this policy does not.",
     "301 Moved Permanently: this policy changes POST to GET and drops the "
     "content, as RFC 9110, Section 15.4.2 permits for historical reasons."},
    {"302 Found: the POST is repeated as a POST with its content; RFC 9110, "
     "Section 15.4.3 permits changing it to GET for historical reasons, and "
     "this policy does not.",
     "302 Found: this policy changes POST to GET and drops the content, as "
     "RFC 9110, Section 15.4.3 permits for historical reasons."},
};

static const char reason_get_with_body[] =
    "This policy changes the method to GET but sends the content again, "
    "which no RFC allows: the content can reach a host that was never meant "
    "to see it (urllib3 before 1.26.18, CVE-2023-45803).";

/* The reason of a followed redirect: by status row and rule, with the
 * cases RFC 9110 names: POST on 301 and 302 (Sections 15.4.2 and
 * 15.4.3), HEAD on 303 (Section 15.4.4). */
static const char *rule_reason(int row, int col, unsigned rule)
{
    /* selected, not branched on: which case applies changes with the
     * method and status of each redirect */
    const bool post_30x = (col == REDIR_COL_POST) &
                          ((row == REDIR_ROW_301) | (row == REDIR_ROW_302));
    const bool head_303 = (col == REDIR_COL_HEAD) & (row == REDIR_ROW_303) &
                          (rule == REDIR_RULE_KEEP);
    const char *r = follow_reason[row][rule - 1];
    const char *post = post_reasons[row == REDIR_ROW_302][rule == REDIR_RULE_GET];
    r = post_30x & ((rule == REDIR_RULE_KEEP) | (rule == REDIR_RULE_GET)) ? post : r;
    r = head_303 ? reason_303_head : r;
    return rule == REDIR_RULE_GET_WITH_BODY ? reason_get_with_body : r;
}

/* Reasons for a refused Location, by the parser's error. */
static const char *bad_location_reason(redir_result e)
{
    switch (e) {
    case REDIR_E_CONTROL:
        return "The Location contains control bytes such as CR or LF; "
               "following it could split the response or the next request "
               "(RFC 9110, Section 5.5; RFC 3986, Section 2).";
    case REDIR_E_SPACE:
        return "The Location contains a space, which no URI reference may "
               "contain (RFC 3986, Appendix A); this policy does not repair "
               "it.";
    case REDIR_E_NON_ASCII:
        return "The Location contains raw bytes of 0x80 or more, which a URI "
               "must percent-encode (RFC 3986, Section 2.1); this policy "
               "does not repair it.";
    case REDIR_E_BACKSLASH:
        return "The Location contains a backslash: RFC 3986 does not allow "
               "it, and browsers read it as a slash, which can move the "
               "target to another host.";
    case REDIR_E_PERCENT:
        return "The Location has a '%' that is not followed by two hex "
               "digits (RFC 3986, Section 2.1).";
    case REDIR_E_USERINFO:
        return "The Location carries userinfo (user@host); RFC 9110, "
               "Section 4.2.4 says to treat it as an error because it is "
               "used to disguise the real host.";
    case REDIR_E_PORT:
        return "The Location has a port that is not a number from 0 to "
               "65535 (RFC 3986, Section 3.2.3).";
    case REDIR_E_IPV6:
        return "The Location has a malformed IPv6 address literal "
               "(RFC 3986, Section 3.2.2).";
    case REDIR_E_HOST:
        return "The Location has a malformed or missing host; an http or "
               "https URI needs one (RFC 9110, Section 4.2.1; RFC 3986, "
               "Section 3.2.2).";
    case REDIR_E_SCHEME:
        return "The Location begins with something that is neither a valid "
               "scheme nor a path (RFC 3986, Section 3.1 and 4.2).";
    case REDIR_E_TOO_LONG:
        return "The Location is longer than this library accepts "
               "(REDIR_MAX_INPUT bytes).";
    default:
        return "The Location is not a valid URI reference "
               "(RFC 3986, Section 4.1; RFC 9110, Section 10.2.2).";
    }
}

static const char *not_redirect_reason(int status)
{
    switch (status / 100) {
    case 1:
        return "An interim 1xx response: wait for the final response; there "
               "is nothing to follow (RFC 9110, Section 15.2).";
    case 2:
        return "A 2xx success: the request is done; there is nothing to "
               "follow (RFC 9110, Section 15.3).";
    case 4:
        return "A 4xx client error: not a redirect; a Location on it, if any, "
               "is not followed (RFC 9110, Section 15.5).";
    default:
        return "A 5xx server error: not a redirect; a Location on it, if any, "
               "is not followed (RFC 9110, Section 15.6).";
    }
}

static void stop(redir_decision *d, unsigned flags, redir_verdict v,
                 const char *reason, const char *spec)
{
    d->flags = flags;
    d->verdict = v;
    d->reason = reason;
    d->spec = spec;
}

/* ---- the decision ------------------------------------------------------------- */

static bool policy_valid(const redir_policy *p)
{
    if (!rd_policy_size_ok(p) || !p->schemes)
        return false;
    const unsigned char *cell = &p->rules[0][0];
    const size_t n = sizeof p->rules;
#if defined(__SSE2__) && !defined(REDIR_NO_SIMD)
    /* every cell a rule (0..4): a saturating subtraction of 4 leaves 0;
     * 16 cells at a time, the last 16 overlapping */
    const __m128i four = _mm_set1_epi8(REDIR_RULE_GET_WITH_BODY);
    __m128i over = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 < n; i += 16)
        over = _mm_or_si128(over, _mm_subs_epu8(_mm_loadu_si128(
                                      (const __m128i *)(const void *)(cell + i)),
                                  four));
    over = _mm_or_si128(over, _mm_subs_epu8(_mm_loadu_si128(
                                  (const __m128i *)(const void *)(cell + n - 16)),
                              four));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(over, _mm_setzero_si128())) != 0xffff)
        return false;
#else
    /* every cell a rule (0..4), eight cells at a time: a byte above 7 has
     * a bit in 0xf8; one of 5..7 carries into bit 3 when 3 is added */
    uint64_t bad = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, cell + i, 8);
        bad |= (w & 0xf8f8f8f8f8f8f8f8ull) |
               ((w + 0x0303030303030303ull) & 0x0808080808080808ull);
    }
    for (; i < n; i++)
        bad |= cell[i] > REDIR_RULE_GET_WITH_BODY;
    if (bad)
        return false;
#endif
    /* Counting distinct targets only, a chain ends only if the loop rule
     * bounds the visits of each target: with REDIR_LOOP_REPORT or
     * REDIR_LOOP_STOP_UNLESS_COOKIE a loop (setting a cookie each time)
     * would go round forever. */
    if ((p->options & REDIR_POLICY_LIMIT_DISTINCT) &&
        p->loop_rule != REDIR_LOOP_STOP && p->loop_rule != REDIR_LOOP_REPEATS)
        return false;
    return p->scope <= REDIR_SCOPE_RAW_AUTHORITY &&
           p->loop_rule <= REDIR_LOOP_REPEATS;
}

static bool is_domain_or_subdomain(const redir_uri *sub, const redir_uri *parent)
{
    if (rd_host_equal(sub, parent))
        return true;
    /* Go's isDomainOrSubdomain: names only, "sub" ends in "." + parent */
    if (sub->host_type != REDIR_HOST_NAME || parent->host_type != REDIR_HOST_NAME)
        return false;
    const redir_span *s = &sub->host, *p = &parent->host;
    if (memchr(s->ptr, '%', s->len) || memchr(p->ptr, '%', p->len))
        return false;
    if (s->len <= p->len + 1 || p->len == 0)
        return false;
    const char *tail = s->ptr + (s->len - p->len);
    return tail[-1] == '.' && rd_ieq(tail, p->len, p->ptr, p->len);
}

static bool scope_changed(redir_scope scope, const redir_uri *from,
                          const redir_uri *to, unsigned diff)
{
    switch (scope) {
    case REDIR_SCOPE_ORIGIN:
        return diff != 0;
    case REDIR_SCOPE_HOST_PORT:
        return (diff & (REDIR_ORIGIN_HOST | REDIR_ORIGIN_PORT)) != 0;
    case REDIR_SCOPE_HOST:
        return (diff & REDIR_ORIGIN_HOST) != 0;
    case REDIR_SCOPE_REQUESTS: {
        /* requests/sessions.py, SessionRedirectMixin.should_strip_auth */
        if (diff & REDIR_ORIGIN_HOST)
            return true;
        if (rd_ieq_lit(from->scheme.ptr, from->scheme.len, "http") &&
            (from->port_number < 0 || from->port_number == 80) &&
            rd_ieq_lit(to->scheme.ptr, to->scheme.len, "https") &&
            (to->port_number < 0 || to->port_number == 443))
            return false;
        return (diff & (REDIR_ORIGIN_SCHEME | REDIR_ORIGIN_PORT)) != 0;
    }
    case REDIR_SCOPE_DOMAIN:
        return !is_domain_or_subdomain(to, from);
    case REDIR_SCOPE_RAW_AUTHORITY:
        /* jdk.internal.net.http.HttpRequestImpl.newInstanceForRedirection */
        return (diff & REDIR_ORIGIN_SCHEME) ||
               !rd_eq(from->authority.ptr, from->authority.len,
                      to->authority.ptr, to->authority.len);
    }
    return true;
}

/* Collects the Location values: the first, the last, and whether they
 * differ. */
static size_t find_location(const redir_response *resp, redir_span *first,
                            redir_span *last, bool *differ)
{
    size_t n = 0;
    *differ = false;
    for (size_t i = 0; i < resp->header_count; i++) {
        const redir_header *h = &resp->headers[i];
        /* "location" in any case: eight bytes, folded at once */
        if (h->name_len != 8 || !h->name ||
            rd_lower8(rd_load8(h->name)) != rd_load8("location"))
            continue;
        redir_span v = {h->value ? h->value : "", h->value ? h->value_len : 0};
        /* a value over REDIR_MAX_INPUT is not read: the resolver reports
         * it as too long */
        bool huge = v.len > REDIR_MAX_INPUT;
        if (!huge)
            rd_trim_ows(&v.ptr, &v.len);
        if (n == 0)
            *first = v;
        else if (huge || first->len > REDIR_MAX_INPUT ||
                 !rd_eq(v.ptr, v.len, first->ptr, first->len))
            *differ = true;
        *last = v;
        n++;
    }
    return n;
}

/* Whether two spans are the same bytes of the same string (both
 * compared, without a branch between). */
static inline bool same_span(const redir_span *a, const redir_span *b)
{
    return (((uintptr_t)a->ptr ^ (uintptr_t)b->ptr) | (a->len ^ b->len)) == 0;
}

enum { SCHEME_OTHER, SCHEME_HTTP, SCHEME_HTTPS };

/* http or https: one comparison (which of the two changes per redirect) */
static inline bool web_kind(int kind)
{
    return (unsigned)(kind - SCHEME_HTTP) <= SCHEME_HTTPS - SCHEME_HTTP;
}

/* The decision flags of an origin difference (redir_origin_diff bits),
 * and of a change between http and https: looked up, not branched on. */
#define ORIGIN_FLAGS_(d)                                                       \
    (((d) ? REDIR_DF_CROSS_ORIGIN : 0u) |                                      \
     ((d) & REDIR_ORIGIN_HOST ? REDIR_DF_CROSS_HOST : 0u) |                     \
     ((d) & REDIR_ORIGIN_PORT ? REDIR_DF_CROSS_PORT : 0u) |                     \
     ((d) & REDIR_ORIGIN_SCHEME ? REDIR_DF_CROSS_SCHEME : 0u))
static const unsigned origin_flags[8] = {
    ORIGIN_FLAGS_(0u), ORIGIN_FLAGS_(1u), ORIGIN_FLAGS_(2u), ORIGIN_FLAGS_(3u),
    ORIGIN_FLAGS_(4u), ORIGIN_FLAGS_(5u), ORIGIN_FLAGS_(6u), ORIGIN_FLAGS_(7u),
};
#undef ORIGIN_FLAGS_

/* [request's scheme][target's scheme] */
static const unsigned scheme_change_flags[3][3] = {
    [SCHEME_HTTP][SCHEME_HTTPS] = REDIR_DF_UPGRADE,
    [SCHEME_HTTPS][SCHEME_HTTP] = REDIR_DF_DOWNGRADE,
};

/* http or https, compared case-insensitively: a letter | 0x20 is its lower
 * case, and no other byte | 0x20 is a letter. */
static int scheme_kind(const redir_span *s)
{
    const char *p = s->ptr;
    if (s->len != 4 && s->len != 5)
        return SCHEME_OTHER;
    /* "http" as the first four bytes, in memory order */
    const uint32_t http = rd_load4("http");
    const bool h = (rd_load4(p) | 0x20202020u) == http;
    /* the last byte: 'p' of "http" or 's' of "https"; the kind computed,
     * not branched on (http and https alternate from one URL to the
     * next) */
    const unsigned last = (unsigned char)p[s->len - 1] | 0x20u;
    const int k = (s->len == 4) * SCHEME_HTTP + (s->len == 5 && last == 's') * SCHEME_HTTPS;
    return h * k;
}

/*
 * redir_uri_origin_diff() for two http or https URIs (kinds a_kind and
 * b_kind) whose hosts are reg-names or IPv4 addresses, with what the
 * decision knows already: the schemes differ when their kinds do; the
 * ports are compared after defaults, without a branch; the hosts are the
 * same bytes but for case, or (when either holds an escape) compared by
 * rd_host_equal().
 */
static unsigned web_origin_diff(const redir_uri *a, const redir_uri *b,
                                int a_kind, int b_kind)
{
    static const int default_port[3] = {-1, 80, 443};
    const int pa = a->port_number >= 0 ? a->port_number : default_port[a_kind];
    const int pb = b->port_number >= 0 ? b->port_number : default_port[b_kind];
    const bool same_type = a->host_type == b->host_type;
    bool same_host = same_type && a->host.len == b->host.len &&
                     rd_ieq_n(a->host.ptr, b->host.ptr, a->host.len);
    /* (hosts of another type differ; a URI without authority has no host
     * pointer to search) */
    if (!same_host && same_type &&
        ((a->host.len && memchr(a->host.ptr, '%', a->host.len)) ||
         (b->host.len && memchr(b->host.ptr, '%', b->host.len))))
        same_host = rd_host_equal(a, b);
    return (unsigned)(a_kind != b_kind) * REDIR_ORIGIN_SCHEME |
           (unsigned)!same_host * REDIR_ORIGIN_HOST |
           (unsigned)(pa != pb) * REDIR_ORIGIN_PORT;
}

static bool scheme_allowed(const redir_policy *p, const redir_span *scheme,
                           int kind)
{
    /* the list of every profile (the same string, or a copy of it): no
     * need to read it */
    if (kind != SCHEME_OTHER &&
        (p->schemes == rd_http_https || strcmp(p->schemes, rd_http_https) == 0))
        return true;
    return in_word_list(p->schemes, scheme->ptr, scheme->len);
}

/* The request's header names: each a token of at most REDIR_MAX_INPUT
 * bytes. */
static redir_result check_header_names(const redir_header *h, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__) && !defined(REDIR_NO_SIMD)
    /* The usual names, of 4 to 16 letters, digits and '-', all at once:
     * 16 bytes of each (two loads that overlap, inside the name), the bad
     * bytes of all of them collected, one branch at the end. Anything else
     * goes the exact way below, which also finds the first bad name. */
    unsigned bad = 0;
    for (; i < n; i++) {
        const char *s = h[i].name;
        const size_t len = h[i].name_len;
        if (!s || len - 4 > 12)
            break;
        bad |= rd_not_alnum_dash16(rd_load_short16(s, len));
    }
    if (i == n && !bad)
        return REDIR_OK;
#endif
    for (i = 0; i < n; i++) {
        const size_t len = h[i].name_len;
        if (!h[i].name)
            return REDIR_E_NULL;
        if (len > REDIR_MAX_INPUT)
            return REDIR_E_TOO_LONG;
        if (!rd_is_token_fast(h[i].name, len))
            return REDIR_E_HEADER_NAME;
    }
    return REDIR_OK;
}

/* `method`: rd_method_facts() of the request's method. */
static redir_result check_request(const redir_request *req, unsigned method)
{
    if (!req->method || !req->url)
        return REDIR_E_NULL;
    if (req->method_len > REDIR_MAX_INPUT || req->url_len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    /* a method the tables know is a token */
    if (method == REDIR_COL_OTHER && !rd_is_token(req->method, req->method_len))
        return REDIR_E_METHOD;
    if (req->header_count > REDIR_MAX_HEADERS)
        return REDIR_E_TOO_MANY_HEADERS;
    if (req->header_count && !req->headers)
        return REDIR_E_NULL;
    redir_result r = check_header_names(req->headers, req->header_count);
    if (r != REDIR_OK)
        return r;
    if (req->body > REDIR_BODY_STREAM)
        return REDIR_E_ARGUMENT;
    return REDIR_OK;
}

redir_result redir_decide(const redir_policy *policy,
                          const redir_request *req,
                          const redir_response *resp, char *buf, size_t cap,
                          redir_decision *d)
{
    return rd_decide(policy, req, resp, buf, cap, d, NULL, 0);
}

redir_result rd_decide(const redir_policy *policy, const redir_request *req,
                       const redir_response *resp, char *buf, size_t cap,
                       redir_decision *d, const char *scope_url,
                       size_t scope_len)
{
    if (!d)
        return REDIR_E_NULL;
    rd_zero(d, sizeof *d);
    d->reason = "";
    d->spec = "";
    /* the flags stay in a register until the decision is stored (the
     * URL buffer might alias *d as far as the compiler knows) */
    unsigned flags = 0;
    if (!req || !resp || (!buf && cap))
        return REDIR_E_NULL;
    /* no policy: the rfc9110 profile, valid as it is */
    if (!policy)
        policy = &rd_profile_rfc9110;
    else if (!policy_valid(policy))
        return REDIR_E_POLICY;
    d->policy = policy;
    const unsigned method = rd_method_facts(req->method, req->method_len);
    redir_result r = check_request(req, method);
    if (r != REDIR_OK)
        return r;
    if (resp->status < 100 || resp->status > 599)
        return REDIR_E_STATUS_RANGE;
    if (resp->header_count && !resp->headers)
        return REDIR_E_NULL;
    rd_uri bp;
    r = rd_parse(req->url, req->url_len, 0, &bp);
    if (r != REDIR_OK)
        return REDIR_E_BASE_INVALID;
    if (!(bp.u.parts & REDIR_URI_SCHEME))
        return REDIR_E_BASE_NOT_ABSOLUTE;
    const redir_uri *base = &bp.u;

    d->status = resp->status;
    d->header_count = req->header_count;
    const redir_status *st = redir_status_get(resp->status);
    flags |= (st->registered ? 0u : REDIR_DF_UNREGISTERED_STATUS) |
             (st->flags & REDIR_SF_PERMANENT ? REDIR_DF_PERMANENT : 0u) |
             (method & RD_METHOD_SAFE ? 0u : REDIR_DF_UNSAFE_METHOD);

    /* Not 3xx: nothing to follow. */
    int row = redir_rule_row(resp->status);
    if (row < 0) {
        stop(d, flags, REDIR_VERDICT_NOT_REDIRECT, not_redirect_reason(resp->status),
             redir_status_get(resp->status / 100 * 100)->spec);
        return REDIR_OK;
    }
    const char *spec = spec_for_row[row];
    const int col = (int)(method & ~(unsigned)RD_METHOD_SAFE);
    unsigned rule = policy->rules[row][col];

    if (rule == REDIR_RULE_STOP) {
        bool row_follows = false;
        for (int c = 0; c < REDIR_COL_COUNT; c++)
            row_follows |= policy->rules[row][c] != REDIR_RULE_STOP;
        if (row_follows)
            stop(d, flags, REDIR_VERDICT_METHOD_NOT_FOLLOWED,
                 "This policy does not follow this redirect status for this "
                 "request method; the response is handed back as it is.",
                 spec);
        else if (row == REDIR_ROW_304)
            stop(d, flags, REDIR_VERDICT_NOT_MODIFIED,
                 "304 Not Modified: not a redirect; the cached response "
                 "the request was conditional on is still valid "
                 "(RFC 9110, Section 15.4.5).",
                 spec);
        else if (row == REDIR_ROW_305)
            stop(d, flags, REDIR_VERDICT_USE_PROXY_REFUSED,
                 "305 Use Proxy is deprecated: configuring a proxy from a "
                 "response is a security risk, so it is never followed "
                 "(RFC 9110, Section 15.4.6).",
                 spec);
        else if (row == REDIR_ROW_306)
            stop(d, flags, REDIR_VERDICT_UNUSED_STATUS,
                 "306 is reserved and unused: it has no meaning to act on "
                 "(RFC 9110, Section 15.4.7).",
                 spec);
        else if (row == REDIR_ROW_300)
            stop(d, flags, REDIR_VERDICT_MULTIPLE_CHOICES,
                 "300 Multiple Choices: the user or user agent chooses among "
                 "the listed representations; this policy does not follow "
                 "a Location automatically (RFC 9110, Section 15.4.1).",
                 spec);
        else
            stop(d, flags, REDIR_VERDICT_STATUS_NOT_FOLLOWED,
                 row == REDIR_ROW_OTHER
                     ? "An unregistered 3xx is treated as 300 Multiple "
                       "Choices, which is not followed automatically "
                       "(RFC 9110, Section 15)."
                     : "This policy does not follow this redirect status.",
                 spec);
        return REDIR_OK;
    }

    /* The Location (RFC 9110, Section 10.2.2): one URI reference. */
    redir_span loc = {NULL, 0}, last_loc = {NULL, 0};
    bool differ;
    size_t nloc = find_location(resp, &loc, &last_loc, &differ);
    if (nloc == 0) {
        stop(d, flags, REDIR_VERDICT_NO_LOCATION,
             "The response has no Location header field, so there is no "
             "target to follow (RFC 9110, Section 10.2.2).",
             "RFC 9110, Section 10.2.2");
        return REDIR_OK;
    }
    if (nloc > 1) {
        flags |= REDIR_DF_DUPLICATE_LOCATIONS;
        if (differ && (policy->options & REDIR_POLICY_FIRST_LOCATION)) {
            /* keep the first */
        } else if (differ && (policy->options & REDIR_POLICY_LAST_LOCATION)) {
            loc = last_loc;
        } else if (differ) {
            stop(d, flags, REDIR_VERDICT_MULTIPLE_LOCATIONS,
                 "The response has several different Location values; "
                 "Location holds exactly one URI reference, so the target "
                 "is ambiguous (RFC 9110, Section 10.2.2).",
                 "RFC 9110, Section 10.2.2");
            return REDIR_OK;
        }
    }
    if (loc.len == 0 && !(policy->options & REDIR_POLICY_FOLLOW_EMPTY_LOCATION)) {
        stop(d, flags, REDIR_VERDICT_EMPTY_LOCATION,
             "The Location header field is empty: as a reference it names "
             "the same resource again, so following it would only repeat "
             "the request (RFC 9110, Section 10.2.2).",
             "RFC 9110, Section 10.2.2");
        return REDIR_OK;
    }

    unsigned uflags = 0;
    if (policy->options & REDIR_POLICY_LENIENT_LOCATION)
        uflags |= REDIR_URI_LENIENT;
    if (policy->options & REDIR_POLICY_WHATWG_URL)
        uflags |= REDIR_URI_WHATWG;
    if (policy->options & REDIR_POLICY_NO_FRAGMENT_INHERIT)
        uflags |= REDIR_URI_NO_FRAGMENT_INHERIT;
    rd_uri rp;
    redir_uri target;
    const redir_uri *ref = &rp.u;
    r = rd_parse(loc.ptr, loc.len, uflags, &rp);
    if (r != REDIR_OK) {
        d->error = r;
        stop(d, flags, REDIR_VERDICT_BAD_LOCATION, bad_location_reason(r),
             "RFC 9110, Section 10.2.2");
        return REDIR_OK;
    }
    if (uflags & REDIR_URI_LENIENT) {
        redir_uri strict;
        if (redir_uri_parse(loc.ptr, loc.len, uflags & ~(unsigned)REDIR_URI_LENIENT,
                            &strict) != REDIR_OK)
            flags |= REDIR_DF_LOCATION_REPAIRED;
    }
    flags |= ref->parts & REDIR_URI_SCHEME ? 0u : REDIR_DF_RELATIVE_LOCATION;
    if (ref->parts & REDIR_URI_USERINFO) {
        flags |= REDIR_DF_USERINFO;
        if (!(policy->options & REDIR_POLICY_ALLOW_USERINFO)) {
            d->error = REDIR_E_USERINFO;
            stop(d, flags, REDIR_VERDICT_BAD_LOCATION,
                 bad_location_reason(REDIR_E_USERINFO), "RFC 9110, Section 4.2.4");
            return REDIR_OK;
        }
    }

    size_t url_len;
    r = rd_resolve(&bp, &rp, uflags | RD_F_FRAGMENT, buf, cap, &url_len,
                   &target);
    /* RFC 6797, Section 8.3: a known HSTS host is only ever reached over
     * https; browsers show this as an internal 307. The URL is rewritten in
     * place: "http" becomes "https" and an explicit port 80 becomes 443. */
    bool hsts = policy->hsts_known &&
                rd_hsts_known(&target, policy->hsts_known, policy->hsts_ctx);
    size_t port_len = hsts && target.port_number == 80 ? target.port.len : 0;
    size_t need = url_len + (hsts ? 1 : 0) + (port_len ? 3 - port_len : 0);
    if (r == REDIR_E_BUFFER_TOO_SMALL || need + 1 > cap) {
        d->url_len = need;
        d->flags = flags;
        return REDIR_E_BUFFER_TOO_SMALL;
    }
    if (hsts) {
        if (port_len) {
            /* the port ends where the path begins */
            size_t port_at = (size_t)(target.path.ptr - buf) - port_len;
            memmove(buf + port_at + 3, buf + port_at + port_len,
                    url_len - port_at - port_len + 1);
            memcpy(buf + port_at, "443", 3);
            target.port_number = 443;
        }
        memmove(buf + 5, buf + 4, need - 5 + 1);
        memcpy(buf, "https", 5);
        url_len = need;
        target.scheme.ptr = buf;
        target.scheme.len = 5;
        flags |= REDIR_DF_HSTS_UPGRADE;
    }
    d->url = buf;
    d->url_len = url_len;
    flags |= (target.parts & ~ref->parts & REDIR_URI_FRAGMENT
                  ? REDIR_DF_FRAGMENT_INHERITED
                  : 0u) |
             (target.parts & REDIR_URI_USERINFO ? REDIR_DF_USERINFO : 0u);

    /* a reference without a scheme (and no HSTS upgrade) keeps the
     * request's: its scheme is the same string */
    const bool same_scheme = same_span(&target.scheme, &base->scheme);
    const int b_kind = scheme_kind(&base->scheme);
    const int t_kind = same_scheme ? b_kind : scheme_kind(&target.scheme);
    const bool t_web = web_kind(t_kind);
    if (t_web && (!(target.parts & REDIR_URI_AUTHORITY) || target.host.len == 0)) {
        d->error = REDIR_E_HOST;
        stop(d, flags, REDIR_VERDICT_BAD_LOCATION, bad_location_reason(REDIR_E_HOST),
             "RFC 9110, Section 4.2.1");
        return REDIR_OK;
    }

    /* Where the target is, compared with the request: a reference without
     * scheme and authority keeps the request's (the same text, unless HSTS
     * changed the scheme), so there is nothing to compare. */
    unsigned diff;
    if (same_scheme && same_span(&target.authority, &base->authority))
        diff = 0;
    else if (web_kind(b_kind) && t_web && base->host_type != REDIR_HOST_IPV6 &&
             target.host_type != REDIR_HOST_IPV6)
        diff = web_origin_diff(base, &target, b_kind, t_kind);
    else
        diff = redir_uri_origin_diff(base, &target);
    d->origin_diff = diff;
    flags |= origin_flags[diff & 7] | scheme_change_flags[b_kind][t_kind];
    /* Credentials belong to the scope of the request, or of the chain's
     * first request for policies that judge from there. */
    const redir_uri *scope_from = base;
    redir_uri first;
    unsigned scope_diff = diff;
    if (scope_url && redir_uri_parse(scope_url, scope_len, 0, &first) == REDIR_OK &&
        (first.parts & REDIR_URI_SCHEME)) {
        scope_from = &first;
        scope_diff = redir_uri_origin_diff(&first, &target);
    }
    flags |= scope_changed(policy->scope, scope_from, &target, scope_diff)
                 ? REDIR_DF_SCOPE_CHANGED
                 : 0u;

    if (!scheme_allowed(policy, &target.scheme, t_kind)) {
        stop(d, flags, REDIR_VERDICT_SCHEME_NOT_ALLOWED,
             "The Location points to a scheme this policy does not follow; "
             "an HTTP client follows redirects to http and https only.",
             "RFC 9110, Section 15.4");
        return REDIR_OK;
    }
    if (!(policy->options & REDIR_POLICY_ALLOW_DOWNGRADE) &&
        (flags & REDIR_DF_DOWNGRADE)) {
        stop(d, flags, REDIR_VERDICT_DOWNGRADE_REFUSED,
             "The redirect leads from https to http; this policy refuses to "
             "send the next request unencrypted.",
             "RFC 9110, Section 4.2.2");
        return REDIR_OK;
    }

    /* The fetch standard refuses a stream body before rewriting methods. */
    if (req->body == REDIR_BODY_STREAM &&
        (policy->options & REDIR_POLICY_STREAM_NEEDS_303) && row != REDIR_ROW_303) {
        stop(d, flags, REDIR_VERDICT_BODY_NOT_REPLAYABLE,
             "The request content is a stream that cannot be read twice; this "
             "policy fails every redirect but 303 in that case, whatever the "
             "method becomes (fetch standard, HTTP-redirect fetch).",
             spec);
        return REDIR_OK;
    }

    /* Method and content (RFC 9110, Section 15.4, step 5): the rule's
     * effect and reason are looked up, and the flags set without branches
     * (which rule applies changes from one redirect to the next). */
    const bool to_get = rule_effects[rule].get;
    redir_body_action body = (redir_body_action)rule_effects[rule].body;
    const char *method_out = to_get ? rd_get : req->method;
    size_t method_out_len = to_get ? 3 : req->method_len;
    const char *reason = rule_reason(row, col, rule);
    const bool post_30x = (col == REDIR_COL_POST) &
                          ((row == REDIR_ROW_301) | (row == REDIR_ROW_302));
    /* the method changes unless it was "GET" (exactly: the GET column);
     * '&' and '|', not '&&' and '||', so that no branch is taken on
     * these */
    flags |= (unsigned)(post_30x & (rule == REDIR_RULE_KEEP)) * REDIR_DF_POST_TO_GET_PERMITTED |
             (unsigned)(to_get & (col != REDIR_COL_GET)) * REDIR_DF_METHOD_CHANGED |
             (unsigned)((body == REDIR_BODY_DROP) & (req->body != REDIR_BODY_NONE)) *
                 REDIR_DF_BODY_DROPPED |
             (unsigned)(row == REDIR_ROW_303) * REDIR_DF_SEE_OTHER;

    if (req->body == REDIR_BODY_STREAM && body == REDIR_BODY_KEEP &&
        (policy->options & REDIR_POLICY_STREAM_SENT_EMPTY)) {
        body = REDIR_BODY_DROP;
        flags |= REDIR_DF_BODY_DROPPED | REDIR_DF_BODY_LOST;
        reason = "The redirect asks for the request to be repeated with its "
                 "content, but the content was a stream already consumed: "
                 "this client sends the request again with an empty body, and "
                 "the content is silently lost.";
    }
    if (req->body == REDIR_BODY_STREAM && body == REDIR_BODY_KEEP) {
        stop(d, flags, REDIR_VERDICT_BODY_NOT_REPLAYABLE,
             "The redirect needs the request content sent again, but it was "
             "a stream that cannot be replayed; the response is handed back "
             "instead.",
             spec);
        return REDIR_OK;
    }
    if ((policy->options & REDIR_POLICY_CONFIRM_UNSAFE) &&
        (flags & REDIR_DF_UNSAFE_METHOD)) {
        stop(d, flags, REDIR_VERDICT_NEEDS_CONFIRMATION,
             "The request method is not safe; this policy asks the user "
             "before repeating it elsewhere (RFC 9110, Section 15.4).",
             "RFC 9110, Section 15.4");
        return REDIR_OK;
    }

    d->method = method_out;
    d->method_len = method_out_len;
    d->body = body;
    stop(d, flags, REDIR_VERDICT_FOLLOW, reason, spec);
    /* Headers (RFC 9110, Section 15.4, steps 3, 4 and 6); when nothing is
     * removed, header_actions stays all KEEP. Each header's class is one
     * look-up (header_class_of) and its action one more. */
    const unsigned removed = removed_classes(d);
    unsigned gone = 0; /* the classes of the headers removed */
    if (removed) {
        /* (read once: the stores to header_actions, bytes, could alias
         * anything as far as the compiler knows) */
        const redir_header *const hs = req->headers;
        const size_t n = req->header_count;
        const char *const own = policy->sensitive_headers;
        unsigned char *const actions = d->header_actions;
        for (size_t i = 0; i < n; i++) {
            const size_t len = hs[i].name_len;
            const unsigned cls = own && in_word_list(own, hs[i].name, len)
                                     ? REDIR_HC_SENSITIVE
                                     : header_class_of(hs[i].name, len, true);
            const unsigned hit = removed & cls;
            /* the class's action (never KEEP, which is 0) when it is
             * removed, by a mask rather than a branch */
            actions[i] = (unsigned char)(class_actions[rd_ctz(cls)] & (0u - (hit != 0)));
            gone |= hit;
        }
    }
    flags |= gone & REDIR_HC_CREDENTIALS ? REDIR_DF_CREDENTIALS_REMOVED : 0u;
    d->flags = flags;
    return REDIR_OK;
}
