/* SPDX-License-Identifier: MIT */
/* Internal: the generated status tables (lib/status/NXX.txt via tools/gen-status.py). */
#ifndef REDIR_STATUS_DATA_H
#define REDIR_STATUS_DATA_H

#include "redir.h"

/* Registered codes in ascending order, then the five class fallbacks. */
extern const redir_status redir_status_table[];
extern const size_t redir_status_registered_count;
/* code - 100 -> position in redir_status_table, for every code 100..599. */
extern const unsigned char redir_status_index[500];

#endif
