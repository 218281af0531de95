/* SPDX-License-Identifier: MIT */
/*
 * The replay driver: with it, a fuzz target is a plain program that runs
 * LLVMFuzzerTestOneInput() once on every file of the directories (and on
 * the files) named on its command line, in name order, and exits 0 when
 * none of them crashed. `meson test --suite fuzz` runs each target over its
 * corpus, fuzz/<target>.in/, so every seed and every regression input is
 * checked by every build, sanitizers included. Linked instead of libFuzzer,
 * which brings its own main().
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzzer.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the target on one file; false when it cannot be read. */
static bool replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return false;
    }
    size_t cap = 4096, n = 0;
    uint8_t *data = malloc(cap);
    if (!data)
        abort();
    for (;;) {
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            cap *= 2;
            data = realloc(data, cap);
            if (!data)
                abort();
        }
    }
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        perror(path);
        free(data);
        return false;
    }
    /* An exact-size copy, so a read past the end is caught. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact)
        abort();
    if (n)
        memcpy(exact, data, n);
    free(data);
    printf("%s (%zu bytes)\n", path, n);
    fflush(stdout);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return true;
}

/* Runs the target on every regular file of a directory; returns the number
 * of files, or -1 on error. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[count] = malloc(len);
        if (!names[count])
            abort();
        snprintf(names[count], len, "%s/%s", dir, e->d_name);
        count++;
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, by_name);
    long done = 0;
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(names[i]))
                done++;
            else
                ok = false;
        }
        free(names[i]);
    }
    free(names);
    return ok ? done : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n"
                        "Runs the fuzz target once on every file given and on "
                        "every file of each directory.\n",
                argv[0]);
        return 2;
    }
    long total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        long n;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (S_ISDIR(st.st_mode))
            n = replay_dir(argv[i]);
        else
            n = replay_file(argv[i]) ? 1 : -1;
        if (n < 0)
            return 1;
        if (n == 0 && S_ISDIR(st.st_mode)) {
            fprintf(stderr, "%s: no inputs\n", argv[i]);
            return 1;
        }
        printf("%s: %ld inputs replayed\n", argv[i], n);
        total += n;
    }
    printf("%ld inputs replayed without a crash\n", total);
    return 0;
}
