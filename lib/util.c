/* SPDX-License-Identifier: MIT */
/* Internal tables shared by the parsers (see util.h). */
#include "util.h"

/* tchar (RFC 9110, Section 5.6.2): ALPHA DIGIT ! # $ % & ' * + - . ^ _ ` | ~ */
const unsigned char rd_tchar_table[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0,
    /* 0x80..0xff: none */
};


/* For uri_scan.h (AVX2): the nibble tables of masks_avx2(), then 32 copies
 * each of 0x0f, 0x3f, '%', '?', '/', '.', ':', '@', '#' and 0. */
#define REP8_(c) c, c, c, c, c, c, c, c
#define REP32_(c) REP8_(c), REP8_(c), REP8_(c), REP8_(c)
#define LO_ 174, 255, 254, 254, 255, 254, 255, 191, 191, 191, 63, 23, 21, 23, 53, 31
#define HI_ 0, 0, 1, 130, 68, 8, 80, 32, 0, 0, 0, 0, 0, 0, 0, 0
const unsigned char rd_bytes32[12][32] = {
    {LO_, LO_},      {HI_, HI_},      {REP32_(0x0f)}, {REP32_(0x3f)},
    {REP32_('%')},   {REP32_('?')},   {REP32_('/')},  {REP32_('.')},
    {REP32_(':')},   {REP32_('@')},   {REP32_('#')},  {REP32_(0)},
};
