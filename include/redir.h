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
    X(REDIR_E_ARGUMENT, 24, "an argument is out of its documented range")

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
 *  @since 0.1.0 */
typedef struct redir_status_note {
    const char *topic;
    const char *text;
} redir_status_note;

/** How a server framework sends a status. @since 0.1.0 */
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
 * @return REDIR_OK; REDIR_E_NULL; REDIR_E_EMPTY; REDIR_E_CHAR (a byte that
 *         is not a digit); REDIR_E_STATUS_RANGE (digits, but not a number
 *         from 100 to 599 written with three digits).
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
 *  @since 0.1.0 */
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
 * @since 0.1.0
 */
typedef struct redir_uri {
    redir_span scheme;
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

#ifdef __cplusplus
}
#endif

#endif /* REDIR_H */
