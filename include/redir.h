/* SPDX-License-Identifier: MIT */
/**
 * @file redir.h
 * @brief redir: HTTP redirect semantics and HTTP status-code knowledge.
 *
 * The one public header of libredir. The library allocates nothing, prints
 * nothing, keeps no mutable global state and never exits: every function
 * returns a value and fills caller-owned memory. Strings that come from the
 * wire are (pointer, length) pairs; functions that take NUL-terminated
 * strings say so.
 */
#ifndef REDIR_H
#define REDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "redir_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Marks the symbols libredir exports. @since 0.1.0 */
#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(REDIR_BUILDING) && !defined(REDIR_STATIC)
#    define REDIR_API __declspec(dllexport)
#  elif !defined(REDIR_STATIC)
#    define REDIR_API __declspec(dllimport)
#  else
#    define REDIR_API
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define REDIR_API __attribute__((visibility("default")))
#else
#  define REDIR_API
#endif

/* ------------------------------------------------------------------------ */
/** @name Version                                                            */
/* ------------------------------------------------------------------------ */

/**
 * The version of the library that is running, as "MAJOR.MINOR.PATCH".
 * Compare with REDIR_VERSION to detect a header/library mismatch.
 * @return a static NUL-terminated string, never NULL.
 * @since 0.1.0
 */
REDIR_API const char *redir_version(void);

/** The running library's version as REDIR_VERSION_NUM. @since 0.1.0 */
REDIR_API unsigned redir_version_num(void);

/* ------------------------------------------------------------------------ */
/** @name Results                                                            */
/* ------------------------------------------------------------------------ */

/*
 * Every result: name, value, sentence. Values are never reused; new ones go
 * at the end. X(NAME, VALUE, MESSAGE)
 */
#define REDIR_RESULT_LIST(X)                                                   \
    X(REDIR_OK, 0, "success")                                                  \
    X(REDIR_E_NULL, 1, "a required pointer argument is NULL")                 \
    X(REDIR_E_BUFFER_TOO_SMALL, 2,                                             \
      "the output buffer is too small; the length needed has been reported")  \
    X(REDIR_E_STATUS_RANGE, 3,                                                 \
      "the status code is outside 100..599")                                   \
    X(REDIR_E_TOO_LONG, 4,                                                     \
      "the input is longer than the library accepts (see REDIR_MAX_INPUT)")   \
    X(REDIR_E_EMPTY, 5, "the input is empty where a value is required")       \
    X(REDIR_E_CONTROL, 6,                                                      \
      "the input contains a control byte (CR, LF, NUL, TAB, DEL or another "   \
      "byte below 0x20)")                                                      \
    X(REDIR_E_SPACE, 7,                                                        \
      "the URI contains a space; strict parsing refuses it")                  \
    X(REDIR_E_NON_ASCII, 8,                                                    \
      "the URI contains a byte of 0x80 or more; strict parsing refuses it")   \
    X(REDIR_E_CHAR, 9,                                                         \
      "the URI contains a character RFC 3986 does not allow there")           \
    X(REDIR_E_BACKSLASH, 10,                                                   \
      "the URI contains a backslash, which RFC 3986 does not allow and "       \
      "browsers read as a slash")                                              \
    X(REDIR_E_PERCENT, 11,                                                     \
      "bad percent-encoding: '%' must be followed by two hex digits")         \
    X(REDIR_E_SCHEME, 12, "the URI scheme is malformed")                      \
    X(REDIR_E_PORT, 13,                                                        \
      "the port is not a number from 0 to 65535")                             \
    X(REDIR_E_HOST, 14, "the host is malformed")                              \
    X(REDIR_E_IPV6, 15, "the IPv6 address literal is malformed")              \
    X(REDIR_E_BASE_NOT_ABSOLUTE, 16,                                           \
      "the base URI is not absolute (it has no scheme)")                      \
    X(REDIR_E_BASE_INVALID, 17, "the base URI is not a valid URI")            \
    X(REDIR_E_USERINFO, 18,                                                    \
      "the URI carries userinfo (user:password@), which RFC 9110 Section "     \
      "4.2.4 treats as an error in http and https references")                \
    X(REDIR_E_METHOD, 19,                                                      \
      "the request method is empty or not an HTTP token")                     \
    X(REDIR_E_HEADER_NAME, 20,                                                 \
      "a header name is empty or not an HTTP token")                          \
    X(REDIR_E_TOO_MANY_HEADERS, 21,                                            \
      "more request header names than REDIR_MAX_HEADERS")                     \
    X(REDIR_E_POLICY, 22,                                                      \
      "the policy is invalid (wrong size field or an out-of-range value)")    \
    X(REDIR_E_UNKNOWN_PROFILE, 23, "no profile has that name")                \
    X(REDIR_E_ARGUMENT, 24, "an argument is out of its documented range")   \
    X(REDIR_E_DATE, 25,                                                        \
      "not an HTTP-date (IMF-fixdate, RFC 850 or asctime form) or the date "   \
      "does not exist")                                                        \
    X(REDIR_E_HSTS, 26,                                                        \
      "invalid Strict-Transport-Security: max-age missing or malformed, a "    \
      "directive repeated, or bad syntax")

/** The result of every fallible redir function. REDIR_OK is 0. @since 0.1.0 */
typedef enum redir_result {
#define REDIR_X_(name, value, msg) name = value,
    REDIR_RESULT_LIST(REDIR_X_)
#undef REDIR_X_
    REDIR_RESULT_LAST_ /**< one past the largest value; not a result */
} redir_result;

/**
 * A sentence describing a result, for people.
 * @return a static string, never NULL ("unknown result" for values that are
 *         not results).
 * @since 0.1.0
 */
REDIR_API const char *redir_strerror(redir_result r);

/**
 * The result's name, e.g. "REDIR_E_PORT".
 * @return a static string, never NULL ("REDIR_E_UNKNOWN" for values that are
 *         not results).
 * @since 0.1.0
 */
REDIR_API const char *redir_result_name(redir_result r);

/** The longest URI, method, header name or Location the library accepts,
 *  in bytes. Longer input gets REDIR_E_TOO_LONG. @since 0.1.0 */
#define REDIR_MAX_INPUT 65536

/* ------------------------------------------------------------------------ */
/** @name Status codes                                                       */
/* ------------------------------------------------------------------------ */

/** The five classes of RFC 9110, Section 15. @since 0.1.0 */
typedef enum redir_status_class {
    REDIR_CLASS_INFORMATIONAL = 1, /**< 1xx, "informational" */
    REDIR_CLASS_SUCCESSFUL = 2,    /**< 2xx, "successful" */
    REDIR_CLASS_REDIRECTION = 3,   /**< 3xx, "redirection" */
    REDIR_CLASS_CLIENT_ERROR = 4,  /**< 4xx, "client-error" */
    REDIR_CLASS_SERVER_ERROR = 5   /**< 5xx, "server-error" */
} redir_status_class;

/*
 * Status flags: X(NAME, BIT, "json-name", "what it means").
 */
#define REDIR_STATUS_FLAG_LIST(X)                                              \
    X(INTERIM, 0, "interim",                                                   \
      "an interim (1xx) response; a final response follows")                  \
    X(NO_BODY, 1, "no-body",                                                   \
      "the message never has content (RFC 9112, Section 6.3)")                \
    X(EMPTY_CONTENT, 2, "empty-content",                                       \
      "the server must not send content (RFC 9110, Section 15.3.6)")          \
    X(HEURISTIC_CACHEABLE, 3, "heuristically-cacheable",                      \
      "cacheable by default: a cache may assign a heuristic freshness "        \
      "lifetime (RFC 9110, Section 15.1)")                                     \
    X(REDIRECT, 4, "redirect",                                                 \
      "a redirect to the URI in Location that clients follow "                 \
      "automatically (301, 302, 303, 307, 308)")                               \
    X(PERMANENT, 5, "permanent",                                               \
      "the redirect is permanent: links may be updated")                      \
    X(TEMPORARY, 6, "temporary",                                               \
      "the redirect is temporary: keep using the original URI")               \
    X(PRESERVES_METHOD, 7, "preserves-method",                                 \
      "the client must not change the request method or drop the content")   \
    X(MAY_REWRITE_POST, 8, "may-rewrite-post",                                 \
      "for historical reasons a client may change POST to GET")              \
    X(FORCES_GET, 9, "forces-get",                                             \
      "the client retrieves the target with GET (HEAD stays HEAD)")          \
    X(NEEDS_LOCATION, 10, "needs-location",                                    \
      "the server should send a Location header field")                       \
    X(DEPRECATED, 11, "deprecated", "deprecated: must not be sent")            \
    X(UNUSED, 12, "unused", "reserved and unused: must not be sent")           \
    X(OBSOLETED, 13, "obsoleted",                                              \
      "registered by a specification that is now Historic")                  \
    X(PROVISIONAL, 14, "provisional",                                          \
      "a temporary (provisional) registration in the IANA registry")

/** Bits of redir_status::flags. @since 0.1.0 */
enum redir_status_flag {
#define REDIR_X_(name, bit, json, text) REDIR_SF_##name = 1u << (bit),
    REDIR_STATUS_FLAG_LIST(REDIR_X_)
#undef REDIR_X_
    REDIR_SF_ALL_ = 0x7fff /**< every defined bit */
};

/** How a client should retry after this status. @since 0.1.0 */
typedef enum redir_retry {
    REDIR_RETRY_NOT_APPLICABLE = 0,   /**< not a failure: nothing to retry */
    REDIR_RETRY_NEVER = 1,            /**< the same request fails the same way */
    REDIR_RETRY_AFTER_FIX = 2,        /**< change the request first */
    REDIR_RETRY_AFTER_RETRY_AFTER = 3, /**< wait as Retry-After says */
    REDIR_RETRY_BACKOFF = 4,          /**< later, with exponential backoff */
    REDIR_RETRY_IDEMPOTENT_ONLY = 5,  /**< automatically only if idempotent */
    REDIR_RETRY_NEW_CONNECTION = 6    /**< on another connection / after the
                                           handshake */
} redir_retry;

/** How an uptime monitor should class this status. @since 0.1.0 */
typedef enum redir_monitor {
    REDIR_MONITOR_INTERIM = 0,      /**< wait for the final response */
    REDIR_MONITOR_UP = 1,           /**< the service answered successfully */
    REDIR_MONITOR_FOLLOW = 2,       /**< follow, then judge the final response */
    REDIR_MONITOR_CHECK_CONFIG = 3, /**< the check itself is probably wrong */
    REDIR_MONITOR_MISSING = 4,      /**< the resource is gone or withheld */
    REDIR_MONITOR_RATE_LIMITED = 5, /**< slow down; not an outage */
    REDIR_MONITOR_DOWN = 6          /**< the service is failing */
} redir_monitor;

/** A (topic, text) pair of a status card: a misuse and its consequence, a
 *  header and what fails without it, a question and its answer.
 *  Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_status_note {
    const char *topic;
    const char *text;
} redir_status_note;

/** How a server framework sends a status. Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_status_snippet {
    const char *framework; /**< "Express", "Django", … */
    const char *snippet;   /**< code or configuration; may contain newlines */
    const char *note;      /**< "" when there is nothing to add */
} redir_status_snippet;

/**
 * Everything redir knows about one status code. Entries are static and
 * owned by the library; this struct only grows at the end, and callers never
 * allocate it. Every string is NUL-terminated and never NULL. When the
 * library is built without prose (meson -Dprose=false) the prose strings
 * are "" and the lists are empty; redir_status_has_prose() tells.
 * @since 0.1.0
 */
typedef struct redir_status {
    /** The registered code; 0 for a class fallback entry. */
    int code;
    /** The code RFC 9110, Section 15 says to treat this one as: the code
     *  itself, or for a fallback entry the x00 code of its class. */
    int treated_as;
    /** Listed in the IANA HTTP Status Code Registry. */
    bool registered;
    redir_status_class status_class;
    /** The reason phrase as the registry gives it, e.g. "Content Too Large".
     *  For a fallback entry, e.g. "Unregistered redirection status". */
    const char *reason;
    /** The defining document and section, e.g. "RFC 9110, Section 15.4.8". */
    const char *spec;
    unsigned flags;          /**< redir_status_flag bits */
    redir_retry retry;
    redir_monitor monitor;
    const short *related;    /**< related registered codes */
    size_t related_count;
    /* prose */
    const char *summary;          /**< one line */
    const char *meaning;
    const char *guarantees;
    const char *not_guaranteed;
    const char *use_when;
    const char *browsers;         /**< how browsers treat it */
    const char *api_clients;      /**< how API clients and libraries treat it */
    const char *crawlers;         /**< crawlers and SEO tools */
    const char *monitors;         /**< uptime monitors */
    const char *cdns;             /**< CDNs, caches and reverse proxies */
    const char *may_assume;       /**< what a client can assume */
    const char *must_not_assume;  /**< what a client must not assume */
    const char *retry_notes;
    const char *debugging;
    const char *history;          /**< "" for fallback entries */
    const redir_status_note *misuses; /**< misuse, consequence */
    size_t misuse_count;
    const redir_status_note *headers; /**< header, what fails without it */
    size_t header_count;
    const redir_status_note *faq;     /**< question, answer */
    size_t faq_count;
    const redir_status_snippet *frameworks;
    size_t framework_count;
} redir_status;

/**
 * Looks up a status code in O(1).
 * @param code any integer.
 * @return the registered entry; for an unregistered code from 100 to 599 the
 *         fallback entry of its class (registered == false, code == 0,
 *         treated_as == the class's x00); NULL outside 100..599.
 * @since 0.1.0
 */
REDIR_API const redir_status *redir_status_get(int code);

/**
 * Like redir_status_get() with an error for codes outside 100..599.
 * @param code   the status code.
 * @param[out] out receives the entry.
 * @return REDIR_OK, REDIR_E_NULL (out is NULL) or REDIR_E_STATUS_RANGE
 *         (*out set to NULL).
 * @since 0.1.0
 */
REDIR_API redir_result redir_status_lookup(int code, const redir_status **out);

/**
 * Parses a status code written in decimal (exactly three digits, 100..599)
 * from (s, len), e.g. a command-line argument or a status line.
 * @param[out] code receives the code, or 0 on error.
 * @return REDIR_OK; REDIR_E_NULL; REDIR_E_EMPTY; REDIR_E_TOO_LONG;
 *         REDIR_E_CHAR (a byte that is not a digit); REDIR_E_STATUS_RANGE
 *         (digits, but not a number from 100 to 599 written with three
 *         digits).
 * @since 0.1.0
 */
REDIR_API redir_result redir_status_parse(const char *s, size_t len, int *code);

/** The number of registered codes, for iteration with redir_status_at().
 *  @since 0.1.0 */
REDIR_API size_t redir_status_count(void);

/** The i-th registered code in ascending order, or NULL when i is out of
 *  range. @since 0.1.0 */
REDIR_API const redir_status *redir_status_at(size_t i);

/** The reason phrase of a code ("Unregistered redirection status" for an
 *  unregistered one), or "" outside 100..599. Never NULL. @since 0.1.0 */
REDIR_API const char *redir_status_reason(int code);

/** Whether the library was built with the prose of the knowledge base.
 *  @since 0.1.0 */
REDIR_API bool redir_status_has_prose(void);

/** "informational", "successful", "redirection", "client-error",
 *  "server-error"; "unknown" for other values. @since 0.1.0 */
REDIR_API const char *redir_status_class_name(redir_status_class c);

/** The JSON name of one status flag bit ("redirect", …), or NULL when `flag`
 *  is not exactly one defined bit. @since 0.1.0 */
REDIR_API const char *redir_status_flag_name(unsigned flag);

/** What a status flag bit means, in words, or NULL when `flag` is not
 *  exactly one defined bit. @since 0.1.0 */
REDIR_API const char *redir_status_flag_text(unsigned flag);

/** "not-applicable", "never", "after-fix", "after-retry-after", "backoff",
 *  "idempotent-only", "new-connection"; "unknown" otherwise. @since 0.1.0 */
REDIR_API const char *redir_retry_name(redir_retry r);

/** "interim", "up", "follow", "check-config", "missing", "rate-limited",
 *  "down"; "unknown" otherwise. @since 0.1.0 */
REDIR_API const char *redir_monitor_name(redir_monitor m);

/* ------------------------------------------------------------------------ */
/** @name URI references (RFC 3986)                                          */
/* ------------------------------------------------------------------------ */

/** A view into caller memory: `len` bytes at `ptr` (not NUL-terminated).
 *  Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_span {
    const char *ptr;
    size_t len;
} redir_span;

/** Which components of a redir_uri are defined (RFC 3986 distinguishes an
 *  empty query "?" from no query). @since 0.1.0 */
enum redir_uri_part {
    REDIR_URI_SCHEME = 1u << 0,
    REDIR_URI_AUTHORITY = 1u << 1,
    REDIR_URI_USERINFO = 1u << 2,
    REDIR_URI_PORT = 1u << 3,
    REDIR_URI_QUERY = 1u << 4,
    REDIR_URI_FRAGMENT = 1u << 5
};

/** The kind of host in an authority. @since 0.1.0 */
typedef enum redir_host_type {
    REDIR_HOST_NONE = 0,   /**< no authority */
    REDIR_HOST_NAME = 1,   /**< a reg-name (possibly empty) */
    REDIR_HOST_IPV4 = 2,   /**< dotted-decimal IPv4address */
    REDIR_HOST_IPV6 = 3,   /**< [IPv6address] */
    REDIR_HOST_IPVFUTURE = 4 /**< [vX.…] */
} redir_host_type;

/**
 * A parsed URI reference: views into the parsed string, without delimiters.
 * A component that is not defined has ptr == NULL and len == 0; `parts`
 * tells which are defined. The host of an IP literal keeps its brackets.
 * Its size is fixed for soname 0. @since 0.1.0
 */
typedef struct redir_uri {
    redir_span scheme;
    redir_span authority; /**< the whole authority, as written */
    redir_span userinfo;
    redir_span host;
    redir_span port;      /**< the digits as written (may be empty) */
    redir_span path;      /**< always defined, possibly empty */
    redir_span query;
    redir_span fragment;
    unsigned parts;       /**< redir_uri_part bits */
    redir_host_type host_type;
    int port_number;      /**< 0..65535, or -1 when absent or empty */
} redir_uri;

/** Options for parsing and resolving references. @since 0.1.0 */
enum redir_uri_flag {
    /** Accept spaces, bytes >= 0x80 and the printable characters RFC 3986
     *  does not allow (" < > \ ^ ` { | } [ ] outside an IP literal) in the
     *  userinfo, path, query and fragment; resolution writes them
     *  percent-encoded, as browsers and curl do. Control bytes are still
     *  refused. Lenient: a server's broken Location is repaired instead of
     *  refused. */
    REDIR_URI_LENIENT = 1u << 0,
    /** Parse http, https, ws and wss references the way the WHATWG URL
     *  standard (browsers) does where it departs from RFC 3986: a backslash
     *  is a slash before the query, "%2e" counts as "." in dot segments, and
     *  "http:path" with the base's scheme is relative. Risky: it lets
     *  "/\evil.example" reach another host, as it does in browsers. */
    REDIR_URI_WHATWG = 1u << 1,
    /** For redir_resolve_location_ex(): accept userinfo in the Location
     *  (RFC 9110, Section 4.2.4 says to treat it as an error). */
    REDIR_URI_ALLOW_USERINFO = 1u << 2,
    /** For redir_resolve_location_ex(): do not carry the base's fragment
     *  over to a Location without one (RFC 9110, Section 10.2.2 says to). */
    REDIR_URI_NO_FRAGMENT_INHERIT = 1u << 3
};

/**
 * Parses a URI reference (RFC 3986, Section 4.1) strictly, or leniently
 * with REDIR_URI_LENIENT. Nothing is copied: `out` points into `s`.
 * Validates every component: scheme syntax, userinfo, host (reg-name,
 * IPv4, IPv6 and IPvFuture literals; percent-encoded bytes that decode to
 * delimiters or control bytes are refused), port (0..65535), and the
 * characters of path, query and fragment, including percent-encoding.
 * @param s, len  the reference; at most REDIR_MAX_INPUT bytes.
 * @param flags   redir_uri_flag bits (REDIR_URI_LENIENT, REDIR_URI_WHATWG).
 * @param[out] out the components.
 * @return REDIR_OK or REDIR_E_NULL, REDIR_E_TOO_LONG, REDIR_E_CONTROL,
 *         REDIR_E_SPACE, REDIR_E_NON_ASCII, REDIR_E_CHAR, REDIR_E_BACKSLASH,
 *         REDIR_E_PERCENT, REDIR_E_SCHEME, REDIR_E_PORT, REDIR_E_HOST,
 *         REDIR_E_IPV6.
 * @since 0.1.0
 */
REDIR_API redir_result redir_uri_parse(const char *s, size_t len,
                                       unsigned flags, redir_uri *out);

/**
 * RFC 3986 Section 5.2 resolution of `ref` against the absolute URI
 * `base` (dot segments removed; no other normalisation: case and
 * percent-encoding stay as given). Writes the result and a terminating NUL
 * into out; *out_len gets the length without the NUL. Both inputs are
 * parsed strictly.
 * @return REDIR_OK; REDIR_E_BUFFER_TOO_SMALL with *out_len = the length
 *         needed (without the NUL; out is left unterminated); an error of
 *         redir_uri_parse() for `ref`; REDIR_E_BASE_INVALID or
 *         REDIR_E_BASE_NOT_ABSOLUTE for `base`; REDIR_E_NULL.
 * Allocates nothing.
 * @since 0.1.0
 */
REDIR_API redir_result redir_resolve(const char *base, size_t base_len,
                                     const char *ref, size_t ref_len,
                                     char *out, size_t cap, size_t *out_len);

/**
 * The same for a redirect: validates `location` as a Location field value
 * (strict; surrounding spaces and tabs are trimmed), resolves it against
 * the request URL `base`, and, when the Location has no fragment, keeps the
 * fragment of `base` (RFC 9110, Section 10.2.2). Also refuses what RFC 9110
 * refuses in a redirect target: userinfo (Section 4.2.4, REDIR_E_USERINFO)
 * and an http or https URI without a host (Section 4.2.1, REDIR_E_HOST).
 * An empty Location resolves to the base (it is a same-document
 * reference); redir_decide() treats it separately.
 * @since 0.1.0
 */
REDIR_API redir_result redir_resolve_location(const char *base,
                                              size_t base_len,
                                              const char *location,
                                              size_t location_len, char *out,
                                              size_t cap, size_t *out_len);

/** redir_resolve_location() with redir_uri_flag options. @since 0.1.0 */
REDIR_API redir_result redir_resolve_location_ex(const char *base,
                                                 size_t base_len,
                                                 const char *location,
                                                 size_t location_len,
                                                 unsigned flags, char *out,
                                                 size_t cap, size_t *out_len);

/** How two URIs' origins differ (RFC 6454: scheme, host, port). @since 0.1.0 */
enum redir_origin_diff {
    REDIR_ORIGIN_SAME = 0,
    REDIR_ORIGIN_SCHEME = 1u << 0, /**< schemes differ (case-insensitive) */
    REDIR_ORIGIN_HOST = 1u << 1,   /**< hosts differ (case-insensitive;
                                        IPv6 compared as addresses) */
    REDIR_ORIGIN_PORT = 1u << 2    /**< effective ports differ (80 for http,
                                        443 for https when absent) */
};

/**
 * Compares the origins of two parsed absolute URIs without regard to
 * locale: schemes and hosts case-insensitively, percent-encoded
 * unreserved characters in hosts decoded, IPv6 literals as addresses, a
 * missing port equal to the scheme's default.
 * @return a combination of redir_origin_diff bits; 0 when the origins are
 *         the same.
 * @since 0.1.0
 */
REDIR_API unsigned redir_uri_origin_diff(const redir_uri *a, const redir_uri *b);

/** The default port of a scheme (http 80, https 443, ws 80, wss 443,
 *  ftp 21), compared case-insensitively; -1 when unknown. @since 0.1.0 */
REDIR_API int redir_default_port(const char *scheme, size_t len);

/** The effective port of a parsed URI: its port, else its scheme's
 *  default, else -1. @since 0.1.0 */
REDIR_API int redir_uri_port(const redir_uri *u);

/* ------------------------------------------------------------------------ */
/** @name Policies                                                           */
/* ------------------------------------------------------------------------ */

/** Rows of a policy's rule table: the redirect statuses. @since 0.1.0 */
enum redir_rule_status {
    REDIR_ROW_300 = 0,
    REDIR_ROW_301,
    REDIR_ROW_302,
    REDIR_ROW_303,
    REDIR_ROW_304,
    REDIR_ROW_305,
    REDIR_ROW_306,
    REDIR_ROW_307,
    REDIR_ROW_308,
    REDIR_ROW_OTHER,  /**< any unregistered 3xx (309..399) */
    REDIR_ROW_COUNT
};

/** Columns of a policy's rule table: request methods, matched exactly
 *  (methods are case-sensitive, RFC 9110, Section 9.1). @since 0.1.0 */
enum redir_rule_method {
    REDIR_COL_GET = 0,
    REDIR_COL_HEAD,
    REDIR_COL_POST,
    REDIR_COL_PUT,
    REDIR_COL_DELETE,
    REDIR_COL_PATCH,
    REDIR_COL_OPTIONS,
    REDIR_COL_PROPFIND,
    REDIR_COL_OTHER,  /**< any other method, including "get" */
    REDIR_COL_COUNT
};

/** What a policy does with one (status, method) cell. @since 0.1.0 */
enum redir_rule {
    REDIR_RULE_STOP = 0,     /**< do not follow; hand the response back */
    REDIR_RULE_KEEP = 1,     /**< follow with the same method and content */
    REDIR_RULE_GET = 2,      /**< follow with GET and no content */
    REDIR_RULE_KEEP_NO_BODY = 3, /**< follow with the same method but
                                      without the content (curl with -X and
                                      -d; requests on 301) */
    /** follow with GET but send the content again: a bug (urllib3 before
     *  1.26.18, CVE-2023-45803) kept so profiles can show it */
    REDIR_RULE_GET_WITH_BODY = 4
};

/** How a policy decides that a redirect leaves the credentials' scope.
 *  @since 0.1.0 */
typedef enum redir_scope {
    /** scheme, host or port changes (RFC 6454 origin) */
    REDIR_SCOPE_ORIGIN = 0,
    /** host or port changes; the scheme does not count */
    REDIR_SCOPE_HOST_PORT = 1,
    /** the host changes; scheme and port do not count */
    REDIR_SCOPE_HOST = 2,
    /** Python requests' should_strip_auth(): the host changes, or the port
     *  or scheme changes, except http->https on the default ports */
    REDIR_SCOPE_REQUESTS = 3,
    /** Go net/http: the new host is neither the same host nor a subdomain
     *  of the original one; ports and schemes do not count */
    REDIR_SCOPE_DOMAIN = 4,
    /** java.net.http: the scheme changes (case-insensitive) or the raw
     *  authority text differs in any byte (case, userinfo, port text) */
    REDIR_SCOPE_RAW_AUTHORITY = 5
} redir_scope;

/*
 * Header classes: the request headers a policy can remove, each with what
 * the client does instead (drop it, or regenerate a fresh value for the new
 * request). X(NAME, BIT, ACTION)
 */
#define REDIR_HEADER_CLASS_LIST(X)                                             \
    X(AUTHORIZATION, 0, DROP)                                                  \
    X(COOKIE, 1, REGENERATE)                                                   \
    X(PROXY_AUTHORIZATION, 2, REGENERATE)                                      \
    X(HOST, 3, REGENERATE)                                                     \
    X(ORIGIN, 4, REGENERATE)                                                   \
    X(REFERER, 5, DROP)                                                        \
    X(CONTENT_TYPE, 6, DROP)                                                   \
    X(CONTENT_LENGTH, 7, DROP)                                                 \
    X(TRANSFER_ENCODING, 8, DROP)                                              \
    X(CONTENT_ENCODING, 9, DROP)                                               \
    X(CONTENT_LANGUAGE, 10, DROP)                                              \
    X(CONTENT_LOCATION, 11, DROP)                                              \
    X(DIGEST, 12, DROP)                                                        \
    X(LAST_MODIFIED, 13, DROP)                                                 \
    X(EXPECT, 14, DROP)                                                        \
    X(WWW_AUTHENTICATE, 15, DROP)                                              \
    X(SENSITIVE, 16, DROP) /* the policy's sensitive_headers */                \
    X(OTHER, 17, DROP)     /* any other header */

/* The header names of each class (compared case-insensitively).
 * X("Name", CLASS) */
#define REDIR_HEADER_NAME_LIST(X)                                              \
    X("Authorization", AUTHORIZATION)                                          \
    X("Cookie", COOKIE)                                                        \
    X("Cookie2", COOKIE)                                                       \
    X("Proxy-Authorization", PROXY_AUTHORIZATION)                              \
    X("Host", HOST)                                                            \
    X("Origin", ORIGIN)                                                        \
    X("Referer", REFERER)                                                      \
    X("Content-Type", CONTENT_TYPE)                                            \
    X("Content-Length", CONTENT_LENGTH)                                        \
    X("Transfer-Encoding", TRANSFER_ENCODING)                                  \
    X("Content-Encoding", CONTENT_ENCODING)                                    \
    X("Content-Language", CONTENT_LANGUAGE)                                    \
    X("Content-Location", CONTENT_LOCATION)                                    \
    X("Digest", DIGEST)                                                        \
    X("Content-Digest", DIGEST)                                                \
    X("Repr-Digest", DIGEST)                                                   \
    X("Content-MD5", DIGEST)                                                   \
    X("Last-Modified", LAST_MODIFIED)                                          \
    X("Expect", EXPECT)                                                        \
    X("WWW-Authenticate", WWW_AUTHENTICATE)                                    \
    X("Proxy-Authenticate", WWW_AUTHENTICATE)

/** Bits naming header classes in a policy's strip_* masks. @since 0.1.0 */
enum redir_header_class {
#define REDIR_X_(name, bit, action) REDIR_HC_##name = 1u << (bit),
    REDIR_HEADER_CLASS_LIST(REDIR_X_)
#undef REDIR_X_
    /** RFC 9110, Section 15.4, step 6: content-specific fields */
    REDIR_HC_CONTENT = REDIR_HC_CONTENT_TYPE | REDIR_HC_CONTENT_LENGTH |
                       REDIR_HC_TRANSFER_ENCODING | REDIR_HC_CONTENT_ENCODING |
                       REDIR_HC_CONTENT_LANGUAGE | REDIR_HC_CONTENT_LOCATION |
                       REDIR_HC_DIGEST | REDIR_HC_LAST_MODIFIED |
                       REDIR_HC_EXPECT,
    /** credentials: Authorization, Cookie, Proxy-Authorization and the
     *  policy's sensitive_headers */
    REDIR_HC_CREDENTIALS = REDIR_HC_AUTHORIZATION | REDIR_HC_COOKIE |
                           REDIR_HC_PROXY_AUTHORIZATION | REDIR_HC_SENSITIVE
};

/** Policy options (redir_policy::options). @since 0.1.0 */
enum redir_policy_option {
    /** Follow https -> http. Risky: the next request, its content and any
     *  header the policy keeps travel in clear text. */
    REDIR_POLICY_ALLOW_DOWNGRADE = 1u << 0,
    /** Repair a Location with spaces or raw UTF-8 by percent-encoding, as
     *  browsers and curl do (REDIR_URI_LENIENT). */
    REDIR_POLICY_LENIENT_LOCATION = 1u << 1,
    /** Read the Location as browsers do (REDIR_URI_WHATWG): backslashes as
     *  slashes. Risky: "/\\evil.example" leaves the host. */
    REDIR_POLICY_WHATWG_URL = 1u << 2,
    /** Accept userinfo in a Location. Risky: "https://bank@evil/" looks
     *  like another host to a person (RFC 9110, Section 4.2.4). */
    REDIR_POLICY_ALLOW_USERINFO = 1u << 3,
    /** Follow an empty Location as a same-document reference (fetch). */
    REDIR_POLICY_FOLLOW_EMPTY_LOCATION = 1u << 4,
    /** With several different Location values, use the first one instead
     *  of stopping. */
    REDIR_POLICY_FIRST_LOCATION = 1u << 5,
    /** Stop for confirmation before redirecting a request whose method is
     *  not safe (RFC 9110, Section 15.4 allows it only "with care"). */
    REDIR_POLICY_CONFIRM_UNSAFE = 1u << 6,
    /** Do not carry the request URL's fragment over to a Location without
     *  one (RFC 9110, Section 10.2.2 says to). */
    REDIR_POLICY_NO_FRAGMENT_INHERIT = 1u << 7,
    /** With several different Location values, use the last one (OkHttp).
     *  REDIR_POLICY_FIRST_LOCATION wins when both are set. */
    REDIR_POLICY_LAST_LOCATION = 1u << 8,
    /** A body that cannot be replayed stops every redirect but 303, before
     *  any method rewrite (the fetch standard, HTTP-redirect fetch step 11). */
    REDIR_POLICY_STREAM_NEEDS_303 = 1u << 9,
    /** A body that cannot be replayed is sent again empty instead of
     *  stopping (java.net.http.HttpClient). Risky: the content is silently
     *  lost; the decision reports body "drop". */
    REDIR_POLICY_STREAM_SENT_EMPTY = 1u << 10,
    /** When the hop limit is reached the client hands back the last
     *  response instead of failing (Java, .NET). Informational. */
    REDIR_POLICY_LIMIT_RETURNS_RESPONSE = 1u << 11,
    /** In a chain, credentials are judged against the chain's first URL,
     *  not the previous hop (curl, Go). redir_decide() alone uses the
     *  request URL. */
    REDIR_POLICY_SCOPE_FROM_FIRST = 1u << 12,
    /** In a chain, max_redirects limits the distinct targets redirected
     *  to, not the hops: a loop goes round until loop_rule stops it
     *  (Python's urllib, max_redirections). Valid only with
     *  REDIR_LOOP_REPEATS or REDIR_LOOP_STOP, which bound the visits of
     *  each target (a chain then has at most max_redirects *
     *  (max_repeats + 1) hops); with another loop rule the policy is
     *  invalid (REDIR_E_POLICY). */
    REDIR_POLICY_LIMIT_DISTINCT = 1u << 13
};

/** What a chain does when a redirect leads back to a URL it already
 *  requested with the same method (redir_chain_step()). @since 0.1.0 */
typedef enum redir_loop_rule {
    /** Stop, unless a response since the earlier visit set a cookie: login
     *  flows legitimately come back once the state has changed. */
    REDIR_LOOP_STOP_UNLESS_COOKIE = 0,
    /** Stop at the first revisit. */
    REDIR_LOOP_STOP = 1,
    /** Report the revisit (REDIR_DF_REVISIT) but only the hop limit stops. */
    REDIR_LOOP_REPORT = 2,
    /** Stop when a redirect would lead to the same target a
     *  (max_repeats + 1)th time; the first request does not count
     *  (Python's urllib: 4, so a URL that redirects to itself is requested
     *  5 times). */
    REDIR_LOOP_REPEATS = 3
} redir_loop_rule;

/** Whether a host is a known HSTS host: the caller's store. `host` is lower
 *  case, without a trailing dot, not NUL-terminated. @since 0.1.0 */
typedef bool (*redir_hsts_known_fn)(void *ctx, const char *host, size_t len);

/**
 * A redirect policy: plain data. Start from a profile with
 * redir_policy_init() and change what you need. The struct may grow at the
 * end in later versions: `size` tells the library how much of it the
 * caller knows; redir_policy_init() sets it.
 * @since 0.1.0
 */
typedef struct redir_policy {
    size_t size;              /**< sizeof(redir_policy) as compiled */
    const char *name;         /**< profile name, e.g. "rfc9110" */
    const char *client;       /**< what it reproduces, with the version */
    const char *source;       /**< where the behaviour comes from */
    unsigned max_redirects;   /**< hop limit for chains; 0 = never follow */
    unsigned options;         /**< redir_policy_option bits */
    /** Per status row and method column, a redir_rule. */
    unsigned char rules[REDIR_ROW_COUNT][REDIR_COL_COUNT];
    /** Target schemes this policy follows, space-separated, compared
     *  case-insensitively; e.g. "http https". */
    const char *schemes;
    /** Extra header names treated as credentials (class SENSITIVE),
     *  space-separated, e.g. "X-Api-Key"; NULL for none. */
    const char *sensitive_headers;
    redir_scope scope;        /**< when credentials leave their scope */
    /** Header classes removed ... */
    unsigned strip_always;          /**< ... on every redirect */
    unsigned strip_on_body_drop;    /**< ... when the content is dropped */
    unsigned strip_on_scope_change; /**< ... when `scope` says so */
    unsigned strip_on_authority_change; /**< ... when host or port change */
    unsigned strip_on_downgrade;    /**< ... on https -> http */
    redir_loop_rule loop_rule;      /**< for chains */
    unsigned max_repeats;           /**< for REDIR_LOOP_REPEATS */
    /** When set, an http target whose host this says is a known HSTS host
     *  is followed as https (RFC 6797, Section 8.3; the browsers' internal
     *  307), flagged REDIR_DF_HSTS_UPGRADE. */
    redir_hsts_known_fn hsts_known;
    void *hsts_ctx;                 /**< passed to hsts_known */
} redir_policy;

/**
 * Fills `policy` from a named profile (NULL for "rfc9110").
 * @param[out] policy the caller's policy.
 * @param size   sizeof(*policy) as the caller compiled it.
 * @param profile a profile name, NUL-terminated, or NULL.
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_POLICY (size smaller than the
 *         first release's struct) or REDIR_E_UNKNOWN_PROFILE.
 * @since 0.1.0
 */
REDIR_API redir_result redir_policy_init(redir_policy *policy, size_t size,
                                         const char *profile);

/** Initialises a policy variable from a profile. @since 0.1.0 */
#define REDIR_POLICY_INIT(policy, profile)                                     \
    redir_policy_init((policy), sizeof *(policy), (profile))

/** The profile with this NUL-terminated name, or NULL. @since 0.1.0 */
REDIR_API const redir_policy *redir_profile_get(const char *name);

/** The number of built-in profiles. @since 0.1.0 */
REDIR_API size_t redir_profile_count(void);

/** The i-th built-in profile, or NULL when i is out of range; profile 0 is
 *  "rfc9110". @since 0.1.0 */
REDIR_API const redir_policy *redir_profile_at(size_t i);

/** The rule-table row for a status (REDIR_ROW_OTHER for unregistered 3xx),
 *  or -1 when the status is not 3xx. @since 0.1.0 */
REDIR_API int redir_rule_row(int status);

/** The rule-table column for a method (exact, case-sensitive).
 *  @since 0.1.0 */
REDIR_API int redir_rule_column(const char *method, size_t len);

/* ------------------------------------------------------------------------ */
/** @name Decisions                                                          */
/* ------------------------------------------------------------------------ */

/** The most request header names redir_decide() takes. @since 0.1.0 */
#define REDIR_MAX_HEADERS 64

/** A header field: name and value, (pointer, length). Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_header {
    const char *name;
    size_t name_len;
    const char *value;   /**< may be NULL where only the name matters */
    size_t value_len;
} redir_header;

/** The request's content. @since 0.1.0 */
typedef enum redir_body {
    REDIR_BODY_NONE = 0,       /**< no content */
    REDIR_BODY_REPLAYABLE = 1, /**< content that can be sent again */
    REDIR_BODY_STREAM = 2      /**< content that cannot be sent again */
} redir_body;

/** The request that got the redirect. Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_request {
    const char *method;          /**< any token; case-sensitive */
    size_t method_len;
    const char *url;             /**< the absolute target URI */
    size_t url_len;
    redir_body body;
    const redir_header *headers; /**< the request's header fields (only
                                      the names are read); may be NULL */
    size_t header_count;         /**< at most REDIR_MAX_HEADERS */
} redir_request;

/** The response. Location is read from `headers`. Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_response {
    int status;                  /**< 100..599 */
    const redir_header *headers; /**< may be NULL */
    size_t header_count;
} redir_response;

/* X(NAME, "json-name"). ERROR comes first so that a zeroed decision, or
 * one left by a call that returned an error, never reads as FOLLOW. */
#define REDIR_VERDICT_LIST(X)                                                  \
    X(ERROR, "error")                                                          \
    X(FOLLOW, "follow")                                                        \
    X(NOT_REDIRECT, "not-redirect")                                            \
    X(NOT_MODIFIED, "not-modified")                                            \
    X(MULTIPLE_CHOICES, "multiple-choices")                                    \
    X(STATUS_NOT_FOLLOWED, "status-not-followed")                              \
    X(METHOD_NOT_FOLLOWED, "method-not-followed")                              \
    X(USE_PROXY_REFUSED, "use-proxy-refused")                                  \
    X(UNUSED_STATUS, "unused-status")                                          \
    X(NO_LOCATION, "no-location")                                              \
    X(EMPTY_LOCATION, "empty-location")                                        \
    X(MULTIPLE_LOCATIONS, "multiple-locations")                                \
    X(BAD_LOCATION, "bad-location")                                            \
    X(SCHEME_NOT_ALLOWED, "scheme-not-allowed")                                \
    X(DOWNGRADE_REFUSED, "downgrade-refused")                                  \
    X(BODY_NOT_REPLAYABLE, "body-not-replayable")                              \
    X(NEEDS_CONFIRMATION, "needs-confirmation")                                \
    X(TOO_MANY_REDIRECTS, "too-many-redirects")                                \
    X(REDIRECT_LOOP, "redirect-loop")

/** What to do with a response. Only REDIR_VERDICT_FOLLOW follows;
 *  REDIR_VERDICT_ERROR means no decision was made (the call returned an
 *  error). @since 0.1.0 */
typedef enum redir_verdict {
#define REDIR_X_(name, json) REDIR_VERDICT_##name,
    REDIR_VERDICT_LIST(REDIR_X_)
#undef REDIR_X_
    REDIR_VERDICT_LAST_ /**< not a verdict */
} redir_verdict;

/* X(NAME, BIT, "json-name") */
#define REDIR_DECISION_FLAG_LIST(X)                                            \
    X(PERMANENT, 0, "permanent")                                               \
    X(CROSS_ORIGIN, 1, "cross-origin")                                         \
    X(CROSS_HOST, 2, "cross-host")                                             \
    X(CROSS_PORT, 3, "cross-port")                                             \
    X(CROSS_SCHEME, 4, "cross-scheme")                                         \
    X(DOWNGRADE, 5, "downgrade")                                               \
    X(UPGRADE, 6, "upgrade")                                                   \
    X(METHOD_CHANGED, 7, "method-changed")                                     \
    X(BODY_DROPPED, 8, "body-dropped")                                         \
    X(FRAGMENT_INHERITED, 9, "fragment-inherited")                             \
    X(UNSAFE_METHOD, 10, "unsafe-method")                                      \
    X(USERINFO, 11, "userinfo")                                                \
    X(SEE_OTHER, 12, "see-other")                                              \
    X(POST_TO_GET_PERMITTED, 13, "post-to-get-permitted")                      \
    X(LOCATION_REPAIRED, 14, "location-repaired")                              \
    X(RELATIVE_LOCATION, 15, "relative-location")                              \
    X(CREDENTIALS_REMOVED, 16, "credentials-removed")                          \
    X(SCOPE_CHANGED, 17, "scope-changed")                                      \
    X(UNREGISTERED_STATUS, 18, "unregistered-status")                          \
    X(DUPLICATE_LOCATIONS, 19, "duplicate-locations")                          \
    X(HSTS_UPGRADE, 20, "hsts-upgrade")                                        \
    X(BODY_LOST, 21, "body-lost")                                              \
    X(REVISIT, 22, "revisit")

/** Bits of redir_decision::flags. @since 0.1.0 */
enum redir_decision_flag {
#define REDIR_X_(name, bit, json) REDIR_DF_##name = 1u << (bit),
    REDIR_DECISION_FLAG_LIST(REDIR_X_)
#undef REDIR_X_
    REDIR_DF_ALL_ = (1u << 23) - 1
};

/** What happens to the request content when following. @since 0.1.0 */
typedef enum redir_body_action {
    REDIR_BODY_ACTION_NONE = 0, /**< not following */
    REDIR_BODY_KEEP = 1,        /**< send it again */
    REDIR_BODY_DROP = 2         /**< do not send it */
} redir_body_action;

/** What happens to one request header when following. @since 0.1.0 */
typedef enum redir_header_action {
    REDIR_HEADER_KEEP = 0,      /**< send it again as it was */
    REDIR_HEADER_DROP = 1,      /**< do not send it */
    REDIR_HEADER_REGENERATE = 2 /**< compute a fresh value for the new
                                     request (or none), e.g. Host, Cookie
                                     from a jar */
} redir_header_action;

/**
 * The answer of redir_decide(). Owned by the caller; the struct keeps its
 * size (reserved room) for the life of soname 0.
 * @since 0.1.0
 */
typedef struct redir_decision {
    redir_verdict verdict;
    int status;
    /** For REDIR_VERDICT_BAD_LOCATION, why the Location was refused; else
     *  REDIR_OK. */
    redir_result error;
    /** The next method (the request's, or a static "GET"); NULL unless
     *  following. Not NUL-terminated when it is the request's. */
    const char *method;
    size_t method_len;
    redir_body_action body;
    /** The resolved target, NUL-terminated, in the caller's buffer; NULL
     *  when there is none. Set for some stops too (e.g. a refused
     *  downgrade) so the caller can say where it would have gone. */
    const char *url;
    size_t url_len;
    unsigned flags;        /**< redir_decision_flag bits */
    unsigned origin_diff;  /**< redir_origin_diff bits, request -> target */
    const char *reason;    /**< one sentence, static, never NULL */
    const char *spec;      /**< the governing section, e.g. "RFC 9110,
                                Section 15.4.4"; static, never NULL */
    const redir_policy *policy; /**< the policy decided with */
    /** For each request header (in order, up to header_count), a
     *  redir_header_action. */
    unsigned char header_actions[REDIR_MAX_HEADERS];
    size_t header_count;
    void *reserved_[8];    /**< room to grow without changing the size */
} redir_decision;

/**
 * Decides how to follow `response` to `request` under `policy`.
 * @param policy  a policy, or NULL for the "rfc9110" profile.
 * @param request the request: method, absolute URL, body state, headers.
 * @param response the response: status and headers (Location is read).
 * @param url_buf, cap  where the resolved target is written (with a NUL).
 * @param[out] decision the answer.
 * @return REDIR_OK when a decision was made (including every "stop"
 *         verdict); REDIR_E_BUFFER_TOO_SMALL when the target does not fit,
 *         with decision->url_len = the length needed (without the NUL);
 *         REDIR_E_NULL, REDIR_E_METHOD, REDIR_E_HEADER_NAME,
 *         REDIR_E_TOO_MANY_HEADERS, REDIR_E_STATUS_RANGE, REDIR_E_POLICY,
 *         REDIR_E_ARGUMENT (a body state that is not a redir_body),
 *         REDIR_E_TOO_LONG, REDIR_E_BASE_INVALID or REDIR_E_BASE_NOT_ABSOLUTE
 *         for invalid input (decision->verdict is then meaningless).
 * Allocates nothing; reads nothing but its arguments.
 * @since 0.1.0
 */
REDIR_API redir_result redir_decide(const redir_policy *policy,
                                    const redir_request *request,
                                    const redir_response *response,
                                    char *url_buf, size_t cap,
                                    redir_decision *decision);

/**
 * What the decision says to do with a request header of this name, for
 * headers beyond the ones given to redir_decide() (or any name). KEEP
 * unless following.
 * @since 0.1.0
 */
REDIR_API redir_header_action redir_header_action_for(
    const redir_decision *decision, const char *name, size_t len);

/**
 * Writes a paragraph that explains the decision, citing the RFC sections,
 * into buf (NUL-terminated). `request` may be NULL; with it the paragraph
 * names the headers to remove.
 * @return REDIR_OK, REDIR_E_NULL or REDIR_E_BUFFER_TOO_SMALL with *len =
 *         the length needed (without the NUL).
 * @since 0.1.0
 */
REDIR_API redir_result redir_explain(const redir_decision *decision,
                                     const redir_request *request, char *buf,
                                     size_t cap, size_t *len);

/** "follow", "no-location", …; "unknown" for other values. @since 0.1.0 */
REDIR_API const char *redir_verdict_name(redir_verdict v);

/** The JSON name of one decision flag bit, or NULL. @since 0.1.0 */
REDIR_API const char *redir_flag_name(unsigned flag);

/** "keep", "drop", "regenerate"; "unknown" otherwise. @since 0.1.0 */
REDIR_API const char *redir_header_action_name(redir_header_action a);

/** The header class bit of a header name (case-insensitive), or
 *  REDIR_HC_OTHER. The policy's sensitive_headers are not consulted here.
 *  @since 0.1.0 */
REDIR_API unsigned redir_header_class(const char *name, size_t len);

/** Whether a method is safe (RFC 9110, Section 9.2.1, and the WebDAV and
 *  other registered safe methods: GET, HEAD, OPTIONS, TRACE, PROPFIND,
 *  REPORT, SEARCH, QUERY). Case-sensitive. @since 0.1.0 */
REDIR_API bool redir_method_is_safe(const char *method, size_t len);

/* ------------------------------------------------------------------------ */
/** @name Chains                                                             */
/* ------------------------------------------------------------------------ */

/** How many earlier targets a chain remembers for loop detection.
 *  @since 0.1.0 */
#define REDIR_CHAIN_MEMORY 64

/**
 * The state of one redirect chain, owned by the caller: hop count, loop
 * memory and whole-chain facts. Initialise with redir_chain_init(), then
 * call redir_chain_step() for every response. The fields before
 * `private_` are the chain's summary and may be read; the rest is
 * internal. The size is fixed for soname 0.
 * @since 0.1.0
 */
typedef struct redir_chain {
    const redir_policy *policy;
    unsigned hops;           /**< redirects followed */
    unsigned method_changes; /**< hops that changed the method */
    unsigned revisits;       /**< hops that went back to a visited target */
    unsigned flags_any;      /**< OR of the followed decisions' flags */
    unsigned flags_all;      /**< AND of them (all permanent? all same
                                  origin?); 0 before the first hop */
    /** The last target followed, in the caller's buffer of that step (or
     *  the first request's URL as given to redir_chain_init()). */
    const char *final_url;
    size_t final_url_len;
    /** The first request's URL, as given to redir_chain_init(). */
    const char *first_url;
    size_t first_url_len;
    /* private */
    struct {
        uint64_t hash;
        unsigned cookie_epoch;
        unsigned visits;
    } private_[REDIR_CHAIN_MEMORY];
    unsigned private_count_;
    unsigned private_cookie_epoch_;
    unsigned private_distinct_;
    unsigned private_pad_;
    void *reserved_[3];
} redir_chain;

/**
 * Starts a chain with the first request (its method and URL are
 * remembered, NUL-termination not required; the URL must stay valid for
 * first_url).
 * @param policy the policy for every step, or NULL for "rfc9110".
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_POLICY, REDIR_E_METHOD,
 *         REDIR_E_TOO_LONG, REDIR_E_BASE_INVALID, REDIR_E_BASE_NOT_ABSOLUTE.
 * @since 0.1.0
 */
REDIR_API redir_result redir_chain_init(redir_chain *chain,
                                        const redir_policy *policy,
                                        const char *method, size_t method_len,
                                        const char *url, size_t url_len);

/**
 * One hop: decides with the chain's policy (redir_decide()), then applies
 * the hop limit (REDIR_VERDICT_TOO_MANY_REDIRECTS once `max_redirects`
 * redirects were followed) and the loop rule (REDIR_VERDICT_REDIRECT_LOOP).
 * Targets are compared after normalisation: scheme and host case, default
 * port, percent-encoded unreserved characters, hex case, an empty path as
 * "/", no fragment; together with the method. A response carrying
 * Set-Cookie counts as a change of state for REDIR_LOOP_STOP_UNLESS_COOKIE.
 * On REDIR_VERDICT_FOLLOW the chain records the hop; `url_buf` must then
 * stay valid while chain->final_url is used.
 * @return as redir_decide().
 * @since 0.1.0
 */
REDIR_API redir_result redir_chain_step(redir_chain *chain,
                                        const redir_request *request,
                                        const redir_response *response,
                                        char *url_buf, size_t cap,
                                        redir_decision *decision);

/**
 * A 64-bit hash of a method and an absolute URI after the normalisation
 * redir_chain_step() uses, for callers that keep their own history.
 * @return REDIR_OK, REDIR_E_NULL, or an error of redir_uri_parse().
 * @since 0.1.0
 */
REDIR_API redir_result redir_target_hash(const char *method, size_t method_len,
                                         const char *url, size_t url_len,
                                         uint64_t *hash);

/* ------------------------------------------------------------------------ */
/** @name Header helpers: HTTP dates, Cache-Control, caching of redirects,
 *  Retry-After, Strict-Transport-Security                                  */
/* ------------------------------------------------------------------------ */

/**
 * Parses an HTTP-date (RFC 9110, Section 5.6.7) in any of its three forms:
 * IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form
 * ("Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year that looks more than
 * 50 years in the future is taken as the past century, relative to
 * `now`) and asctime ("Sun Nov  6 08:49:37 1994"). Names are matched
 * case-sensitively as the grammar says; the weekday must agree with the
 * date; surrounding spaces and tabs are ignored.
 * @param now    seconds since the Unix epoch (only used for RFC 850 years).
 * @param[out] t seconds since the Unix epoch (UTC).
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_EMPTY, REDIR_E_TOO_LONG,
 *         REDIR_E_DATE.
 * @since 0.1.0
 */
REDIR_API redir_result redir_http_date_parse(const char *s, size_t len,
                                             int64_t now, int64_t *t);

/**
 * Formats t (seconds since the epoch, 0000..9999 years) as an IMF-fixdate,
 * 29 bytes plus a NUL.
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_ARGUMENT (year out of range),
 *         REDIR_E_BUFFER_TOO_SMALL (*len = 29).
 * @since 0.1.0
 */
REDIR_API redir_result redir_http_date_format(int64_t t, char *buf, size_t cap,
                                              size_t *len);

/** Cache-Control directives (RFC 9111, Section 5.2), bits of
 *  redir_cache_control::directives. @since 0.1.0 */
enum redir_cc_directive {
    REDIR_CC_MAX_AGE = 1u << 0,
    REDIR_CC_S_MAXAGE = 1u << 1,
    REDIR_CC_NO_CACHE = 1u << 2,
    REDIR_CC_NO_STORE = 1u << 3,
    REDIR_CC_PRIVATE = 1u << 4,
    REDIR_CC_PUBLIC = 1u << 5,
    REDIR_CC_MUST_REVALIDATE = 1u << 6,
    REDIR_CC_PROXY_REVALIDATE = 1u << 7,
    REDIR_CC_NO_TRANSFORM = 1u << 8,
    REDIR_CC_MUST_UNDERSTAND = 1u << 9,
    REDIR_CC_IMMUTABLE = 1u << 10,         /* RFC 8246 */
    REDIR_CC_STALE_WHILE_REVALIDATE = 1u << 11, /* RFC 5861 */
    REDIR_CC_STALE_IF_ERROR = 1u << 12,    /* RFC 5861 */
    REDIR_CC_NO_CACHE_FIELDS = 1u << 13,   /* no-cache="field-list" */
    REDIR_CC_PRIVATE_FIELDS = 1u << 14     /* private="field-list" */
};

/** Problems found while parsing Cache-Control, bits of
 *  redir_cache_control::problems. @since 0.1.0 */
enum redir_cc_problem {
    REDIR_CCP_DUPLICATE = 1u << 0,   /**< a directive appears twice */
    REDIR_CCP_CONFLICT = 1u << 1,    /**< e.g. public and private, or two
                                          different max-age values */
    REDIR_CCP_BAD_VALUE = 1u << 2,   /**< a delta-seconds that is not digits,
                                          or a value where none belongs */
    REDIR_CCP_SYNTAX = 1u << 3,      /**< junk that is not a directive */
    REDIR_CCP_UNKNOWN = 1u << 4      /**< an extension directive (ignored) */
};

/** A parsed Cache-Control field. Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_cache_control {
    unsigned directives;   /**< redir_cc_directive bits */
    unsigned problems;     /**< redir_cc_problem bits */
    int64_t max_age;       /**< seconds, when REDIR_CC_MAX_AGE */
    int64_t s_maxage;      /**< seconds, when REDIR_CC_S_MAXAGE */
    int64_t stale_while_revalidate; /**< seconds, when its bit is set */
    int64_t stale_if_error;         /**< seconds, when its bit is set */
} redir_cache_control;

/**
 * Parses a Cache-Control field value (RFC 9111, Section 5.2): directive names
 * case-insensitively, values as tokens or quoted strings. Robust to junk:
 * unknown or malformed parts are reported in `problems` and skipped. A
 * duplicated directive keeps the most restrictive value (the smallest
 * delta-seconds; RFC 9111, Section 4.2.1). A delta-seconds too large for
 * the result is capped at 2147483648 (RFC 9111, Section 1.2.2). Call it
 * once per field line and combine by calling again with the same `out`
 * and `merge` true.
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_TOO_LONG.
 * @since 0.1.0
 */
REDIR_API redir_result redir_cache_control_parse(const char *s, size_t len,
                                                 bool merge,
                                                 redir_cache_control *out);

/** The name of one Cache-Control directive bit ("max-age" …), or NULL.
 *  @since 0.1.0 */
REDIR_API const char *redir_cc_directive_name(unsigned bit);

/** What a cache may do with a response. Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_cache_input {
    int status;                  /**< the response's status */
    const char *method;          /**< the request method */
    size_t method_len;
    const redir_header *headers; /**< the response header fields: Cache-Control,
                                      Expires, Date, Age, Pragma, Vary,
                                      Last-Modified are read */
    size_t header_count;
    bool authorization;          /**< the request carried Authorization */
    int64_t now;                 /**< the time of the evaluation (epoch s) */
    int64_t response_time;       /**< when the response arrived; 0 = now */
    int64_t request_time;        /**< when the request was sent; 0 = as
                                      response_time */
    /** Heuristic freshness for heuristically cacheable responses without
     *  explicit freshness (RFC 9111, Section 4.2.2): the lifetime in seconds
     *  as a fraction of (Date - Last-Modified) when Last-Modified is present,
     *  in percent (e.g. 10), and else this many seconds (0: none). */
    unsigned heuristic_percent;
    int64_t heuristic_default;
} redir_cache_input;

/** Per-cache answer. Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_cache_verdict {
    bool storable;               /**< may be stored (RFC 9111, Section 3) */
    bool heuristic;              /**< the lifetime is a heuristic one */
    bool fresh;                  /**< storable and age < lifetime */
    bool must_revalidate;        /**< stored but must be validated before
                                      each use (no-cache) or when stale */
    int64_t lifetime;            /**< freshness lifetime in seconds */
    int64_t age;                 /**< current age in seconds (Section 4.2.3) */
    int64_t ttl;                 /**< lifetime - age, at least 0 */
    const char *reason;          /**< why, one sentence with the section */
} redir_cache_verdict;

/** The answer for a private and for a shared cache. Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_cache_result {
    redir_cache_verdict private_cache;
    redir_cache_verdict shared_cache;
    redir_cache_control cc;      /**< the Cache-Control that was read */
    bool vary_star;              /**< "Vary: *": never reusable */
    bool pragma_no_cache;        /**< Pragma: no-cache (RFC 9111, 5.4) */
    bool has_expires;            /**< a valid Expires was read */
    int64_t expires;             /**< its value */
    bool has_date;
    int64_t date;
} redir_cache_result;

/**
 * Decides whether a response (typically a redirect) may be cached by a
 * private and by a shared cache, and for how long (RFC 9111, Sections 3 and
 * 4.2). Explicit freshness comes from s-maxage (shared only), max-age,
 * then Expires - Date; heuristic freshness only for heuristically
 * cacheable statuses (RFC 9110, Section 15.1: 301, 308, 300, 404, …). A
 * shared cache does not store a response to a request with Authorization
 * unless public, s-maxage or must-revalidate allow it (Section 3.5). An
 * unparsable Expires means already expired (Section 5.3).
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_STATUS_RANGE, REDIR_E_METHOD,
 *         REDIR_E_TOO_LONG (a Cache-Control line longer than
 *         REDIR_MAX_INPUT).
 * @since 0.1.0
 */
REDIR_API redir_result redir_cache_evaluate(const redir_cache_input *in,
                                            redir_cache_result *out);

/**
 * Parses Retry-After (RFC 9110, Section 10.2.3): delta-seconds or an
 * HTTP-date, turned into a delay from `now` (a date in the past gives 0).
 * @param[out] delay seconds to wait.
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_EMPTY, REDIR_E_TOO_LONG,
 *         REDIR_E_DATE (neither form).
 * @since 0.1.0
 */
REDIR_API redir_result redir_retry_after_parse(const char *s, size_t len,
                                               int64_t now, int64_t *delay);

/** A parsed Strict-Transport-Security field (RFC 6797, Section 6.1).
 *  Its size is fixed for soname 0. @since 0.1.0 */
typedef struct redir_hsts {
    int64_t max_age;          /**< seconds; 0 means "forget this host" */
    bool include_subdomains;
    bool preload;             /**< the "preload" extension token */
} redir_hsts;

/**
 * Parses a Strict-Transport-Security value: directive names
 * case-insensitive, values as tokens or quoted strings, unknown directives
 * ignored. max-age is required; any directive appearing twice makes the
 * whole field invalid (RFC 6797, Section 6.1, rule 2).
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_TOO_LONG, REDIR_E_HSTS (invalid:
 *         no max-age, a duplicate, a bad value or bad syntax).
 * @since 0.1.0
 */
REDIR_API redir_result redir_hsts_parse(const char *s, size_t len,
                                        redir_hsts *out);

/**
 * The browsers' internal 307 (RFC 6797, Section 8.3): when `url` is an
 * http URI whose host `known` says is an HSTS host, writes it as https
 * (an explicit port 80 becomes 443; other ports stay) and sets *upgraded.
 * IP literals are never HSTS hosts (Section 8.3 and 8.1.1). The host is
 * given to `known` in lower case with a trailing dot removed. Otherwise the
 * URL is written unchanged.
 * @return REDIR_OK, REDIR_E_NULL, REDIR_E_BUFFER_TOO_SMALL (*out_len =
 *         needed without the NUL, *upgraded set, nothing written), or an
 *         error of redir_uri_parse() for `url`.
 * @since 0.1.0
 */
REDIR_API redir_result redir_hsts_upgrade(const char *url, size_t len,
                                          redir_hsts_known_fn known, void *ctx,
                                          char *out, size_t cap,
                                          size_t *out_len, bool *upgraded);

/* ------------------------------------------------------------------------ */
/** @name Inspector: findings about a response and about a chain            */
/* ------------------------------------------------------------------------ */

/** How much a finding matters. @since 0.1.0 */
typedef enum redir_severity {
    REDIR_SEVERITY_INFO = 0,    /**< worth knowing; nothing breaks */
    REDIR_SEVERITY_WARNING = 1, /**< some clients, caches or users get it
                                     wrong */
    REDIR_SEVERITY_ERROR = 2    /**< the response breaks a MUST, cannot be
                                     followed, or is a security risk */
} redir_severity;

/** "info", "warning", "error"; "unknown" for other values. @since 0.1.0 */
REDIR_API const char *redir_severity_name(redir_severity s);

/*
 * Every finding: X(NAME, "stable-id", SEVERITY, "RFC section"). Ids are
 * stable and never reused; new findings go at the end. The severity is the
 * one every finding of that id carries, except missing-content-range: an
 * error on 206 (a MUST) and a warning on 416 (a SHOULD).
 *
 * Per response (redir_inspect()):
 *  - missing-location: 301, 302, 303, 307 or 308 without Location.
 *  - multiple-locations: more than one Location field line (several
 *    clients join them with ", " into one broken URL).
 *  - invalid-location: a Location on a 3xx or 201 that redir's strict rules
 *    refuse (redir_resolve_location_ex(): control bytes, spaces, raw
 *    non-ASCII, backslashes, bad percent-encoding, bad port or host, too
 *    long) or that is empty; the message names the reason.
 *  - userinfo-in-location: user:password@ in the Location.
 *  - relative-location: a valid relative Location (allowed since RFC 7231;
 *    reported for old clients and hand-written resolvers).
 *  - location-on-non-redirect: Location on a status that does not use it
 *    (not 3xx, not 201).
 *  - insecure-downgrade: an https request redirected to http.
 *  - method-rewrite-risk: 301 or 302 answering an unsafe method (POST, PUT,
 *    DELETE, ...): clients change POST (Go and OkHttp every unsafe method)
 *    to GET and drop the content; 307 or 308 keep them.
 *  - sticky-temporary-redirect: 302, 303 or 307 with explicit freshness
 *    (max-age, s-maxage or Expires; redir_cache_evaluate()) longer than the
 *    threshold (redir_inspect_options::sticky_seconds, default one day).
 *  - uncacheable-permanent-redirect: 301 or 308 to a GET or HEAD that a
 *    browser cache may not reuse (no-store, no-cache, max-age=0, a past
 *    Expires, Vary: *, Pragma: no-cache).
 *  - missing-vary: a heuristic, see redir_inspect().
 *  - deprecated-status (305), unused-status (306, 418),
 *    unregistered-status (a code the IANA registry does not list).
 *  - body-not-allowed: content on a 1xx, 204 or 304 (a body, a
 *    Content-Length above 0 or Transfer-Encoding on 1xx and 204; a body
 *    on 304), or on a 205 (a body or Content-Length above 0).
 *  - missing-content-type: content (a body, Content-Length above 0 or
 *    Transfer-Encoding) without Content-Type.
 *  - missing-retry-after (503, 429), invalid-retry-after (a Retry-After
 *    that is neither delay-seconds nor an HTTP-date, on any status).
 *  - missing-allow (405), missing-www-authenticate (401),
 *    missing-proxy-authenticate (407), missing-content-range (206 unless
 *    multipart/byteranges, 416).
 *
 * Per chain (redir_inspect_chain()): redirect-loop, long-chain,
 * too-many-redirects, and insecure-downgrade anywhere in the chain.
 */
#define REDIR_FINDING_LIST(X)                                                  \
    X(MISSING_LOCATION, "missing-location", ERROR,                             \
      "RFC 9110, Section 10.2.2")                                              \
    X(MULTIPLE_LOCATIONS, "multiple-locations", ERROR,                         \
      "RFC 9110, Section 10.2.2")                                              \
    X(INVALID_LOCATION, "invalid-location", ERROR,                             \
      "RFC 9110, Section 10.2.2")                                              \
    X(USERINFO_IN_LOCATION, "userinfo-in-location", ERROR,                     \
      "RFC 9110, Section 4.2.4")                                               \
    X(RELATIVE_LOCATION, "relative-location", INFO,                            \
      "RFC 9110, Section 10.2.2")                                              \
    X(LOCATION_ON_NON_REDIRECT, "location-on-non-redirect", WARNING,           \
      "RFC 9110, Section 10.2.2")                                              \
    X(INSECURE_DOWNGRADE, "insecure-downgrade", ERROR,                         \
      "RFC 9110, Section 4.2.2")                                               \
    X(METHOD_REWRITE_RISK, "method-rewrite-risk", WARNING,                     \
      "RFC 9110, Sections 15.4.2 and 15.4.3")                                  \
    X(STICKY_TEMPORARY_REDIRECT, "sticky-temporary-redirect", WARNING,         \
      "RFC 9111, Section 4.2.1")                                               \
    X(UNCACHEABLE_PERMANENT_REDIRECT, "uncacheable-permanent-redirect", INFO,  \
      "RFC 9111, Section 5.2.2")                                               \
    X(MISSING_VARY, "missing-vary", WARNING, "RFC 9110, Section 12.5.5")      \
    X(DEPRECATED_STATUS, "deprecated-status", WARNING,                         \
      "RFC 9110, Section 15.4.6")                                              \
    X(UNUSED_STATUS, "unused-status", WARNING,                                 \
      "RFC 9110, Sections 15.4.7 and 15.5.19")                                 \
    X(UNREGISTERED_STATUS, "unregistered-status", WARNING,                     \
      "RFC 9110, Section 15")                                                  \
    X(BODY_NOT_ALLOWED, "body-not-allowed", ERROR,                             \
      "RFC 9110, Sections 6.4.1 and 8.6")                                      \
    X(MISSING_CONTENT_TYPE, "missing-content-type", WARNING,                   \
      "RFC 9110, Section 8.3")                                                 \
    X(MISSING_RETRY_AFTER, "missing-retry-after", INFO,                        \
      "RFC 9110, Section 10.2.3")                                              \
    X(INVALID_RETRY_AFTER, "invalid-retry-after", WARNING,                     \
      "RFC 9110, Section 10.2.3")                                              \
    X(MISSING_ALLOW, "missing-allow", ERROR, "RFC 9110, Section 15.5.6")      \
    X(MISSING_WWW_AUTHENTICATE, "missing-www-authenticate", ERROR,             \
      "RFC 9110, Section 15.5.2")                                              \
    X(MISSING_PROXY_AUTHENTICATE, "missing-proxy-authenticate", ERROR,         \
      "RFC 9110, Section 15.5.8")                                              \
    X(MISSING_CONTENT_RANGE, "missing-content-range", ERROR,                   \
      "RFC 9110, Sections 15.3.7 and 15.5.17")                                 \
    X(REDIRECT_LOOP, "redirect-loop", ERROR, "RFC 9110, Section 15.4")        \
    X(LONG_CHAIN, "long-chain", WARNING, "RFC 9110, Section 15.4")            \
    X(TOO_MANY_REDIRECTS, "too-many-redirects", ERROR,                         \
      "RFC 9110, Section 15.4")

/** The findings of REDIR_FINDING_LIST, in its order. @since 0.1.0 */
typedef enum redir_finding_id {
#define REDIR_X_(name, id, severity, spec) REDIR_FINDING_##name,
    REDIR_FINDING_LIST(REDIR_X_)
#undef REDIR_X_
    REDIR_FINDING_LAST_ /**< one past the largest value; not a finding */
} redir_finding_id;

/** The stable id of a finding, e.g. "missing-location"; "unknown" for
 *  other values. @since 0.1.0 */
REDIR_API const char *redir_finding_name(redir_finding_id id);

/**
 * One finding. Every string is static, NUL-terminated and never NULL.
 * Callers allocate arrays of findings, so its size is fixed for soname 0;
 * new information goes into new ids, not new members.
 * @since 0.1.0
 */
typedef struct redir_finding {
    redir_finding_id id;
    redir_severity severity;
    const char *name;    /**< the stable id, as redir_finding_name() */
    const char *message; /**< one sentence: what is wrong and what breaks */
    const char *spec;    /**< the governing section, e.g. "RFC 9110,
                              Section 15.4.3" */
} redir_finding;

/**
 * Options of the inspector. Set `size` to sizeof(redir_inspect_options);
 * a field left 0 (or NULL) takes its default. The struct may grow at the
 * end; `size` tells the library how much of it the caller knows.
 * @since 0.1.0
 */
typedef struct redir_inspect_options {
    size_t size;              /**< sizeof(redir_inspect_options) as compiled */
    /** long-chain when a chain has more redirects than this (default 10) */
    unsigned long_chain;
    /** sticky-temporary-redirect when explicit freshness is longer than
     *  this many seconds (default 86400, one day) */
    int64_t sticky_seconds;
    /** too-many-redirects when a chain has more redirects than this
     *  policy's max_redirects; NULL for "rfc9110" (20) */
    const redir_policy *policy;
} redir_inspect_options;

/**
 * One response to inspect, with what is known of its request. The layout
 * is fixed for soname 0; new knobs go into redir_inspect_options.
 * @since 0.1.0
 */
typedef struct redir_inspect_input {
    const char *method;          /**< the request method; NULL = unknown */
    size_t method_len;
    const char *url;             /**< the absolute request URL, or NULL */
    size_t url_len;
    int status;                  /**< 100..599 */
    const redir_header *headers; /**< the response header fields, in order;
                                      a value may be NULL (empty) */
    size_t header_count;
    int64_t body_len;            /**< bytes of content received; -1 =
                                      unknown */
    int64_t now;                 /**< the time of the response (epoch
                                      seconds), for Expires, Age and
                                      Retry-After dates */
    /** options (sticky_seconds is read here), or NULL for the defaults */
    const redir_inspect_options *options;
} redir_inspect_input;

/**
 * Inspects one response: is it right, and what will clients, caches and
 * users make of it? Writes the findings (see REDIR_FINDING_LIST) in the
 * order of their ids, at most one per id. Reads nothing but its arguments;
 * allocates nothing.
 *
 * The request method and URL sharpen the answer when given: without the
 * method, method-rewrite-risk is not reported and caching is judged as
 * for GET; without the URL, a relative Location is validated on its own
 * and insecure-downgrade is not reported.
 *
 * missing-vary is a heuristic, reported only when all of these hold:
 *  - the status is a redirect (301, 302, 303, 307, 308) with one valid
 *    Location;
 *  - a private or shared cache may reuse the response without asking the
 *    server: storable, not no-cache, with explicit freshness above 0 or
 *    heuristically cacheable (redir_cache_evaluate());
 *  - the target looks chosen from a request header the Vary field does
 *    not name:
 *    - from Accept-Language, when a path segment of the Location is a
 *      language tag whose primary language is a common one ("en", "de",
 *      "pt-BR", "zh_Hant", ...), or a query parameter named lang,
 *      language, locale, hl, lng or setlang has a language tag as its
 *      value ("lang=fr");
 *    - from User-Agent, when the Location's host begins with "m." or
 *      "mobile." or a path segment of it is "mobile";
 *  - and, when the request URL is known, that language segment, query
 *    value, host prefix or "mobile" segment is not already in it (a
 *    redirect within /en/ chose nothing).
 * A cache that stores such a redirect sends every later visitor where the
 * first one was sent.
 *
 * @param in    the response and its request.
 * @param out   room for `cap` findings; may be NULL when cap is 0.
 * @param cap   how many findings fit in out.
 * @param[out] count the number of findings (also when more than cap).
 * @return REDIR_OK; REDIR_E_BUFFER_TOO_SMALL when *count > cap (the first
 *         cap findings are written); REDIR_E_NULL (in or count NULL, out
 *         NULL with cap > 0, headers NULL with header_count > 0, a header
 *         name NULL); REDIR_E_STATUS_RANGE (status outside 100..599);
 *         REDIR_E_TOO_LONG (the method, URL, a header name or value longer
 *         than REDIR_MAX_INPUT); REDIR_E_METHOD (a method that is not a
 *         token); REDIR_E_BASE_INVALID or REDIR_E_BASE_NOT_ABSOLUTE (the URL
 *         is not an absolute URI); REDIR_E_ARGUMENT (body_len below -1, or
 *         options with a size smaller than the first release's). On an
 *         error *count is 0 (when count is not NULL) and nothing is
 *         written.
 * @since 0.1.0
 */
REDIR_API redir_result redir_inspect(const redir_inspect_input *in,
                                     redir_finding *out, size_t cap,
                                     size_t *count);

/**
 * Inspects a chain: the responses a client received, in order, each with
 * its request (hops[i].url is the URL hops[i] answered; hops[i + 1] is the
 * response to the redirect of hops[i]). Writes the chain-level findings,
 * in the order of their ids; per-hop findings come from redir_inspect()
 * on each hop. A redirect is a response whose status is 301, 302, 303,
 * 307 or 308 and that carries a Location.
 *  - redirect-loop: a hop requests a target (method and URL, normalised as
 *    redir_target_hash() does) that an earlier hop requested, with no
 *    Set-Cookie in a response in between (a login flow legitimately comes
 *    back once the state changed), or for the third time whatever the
 *    cookies; or the last response redirects to such a target (a
 *    Location with "." or ".." segments is not resolved for this). A
 *    missing method counts as GET; the method of the request after a
 *    redirect is the one most clients use (GET after 303, and after 301 or
 *    302 to POST).
 *  - long-chain: more redirects than options->long_chain (default 10):
 *    every hop costs a round trip, and crawlers give up after about 10.
 *  - too-many-redirects: more redirects than the policy's max_redirects:
 *    that client fails.
 *  - insecure-downgrade: some hop leads from https to http (between two
 *    given URLs, or by an absolute http Location after an https URL).
 * Hops without a url take part only where it is not needed.
 *
 * @param hops  n responses (n may be 0; hops may then be NULL).
 * @param opt   options, or NULL for the defaults.
 * @return REDIR_OK; REDIR_E_BUFFER_TOO_SMALL when *count > cap (the first
 *         cap findings are written); REDIR_E_NULL, REDIR_E_STATUS_RANGE,
 *         REDIR_E_TOO_LONG, REDIR_E_METHOD, REDIR_E_BASE_INVALID,
 *         REDIR_E_BASE_NOT_ABSOLUTE, REDIR_E_ARGUMENT for a hop as
 *         redir_inspect() says; REDIR_E_ARGUMENT for options with a size
 *         smaller than the first release's; REDIR_E_POLICY for an invalid
 *         policy. On an error *count is 0 and nothing is written.
 * @since 0.1.0
 */
REDIR_API redir_result redir_inspect_chain(const redir_inspect_input *hops,
                                           size_t n,
                                           const redir_inspect_options *opt,
                                           redir_finding *out, size_t cap,
                                           size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* REDIR_H */
