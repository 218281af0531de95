#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of the manual pages (doc/man/*.scd and what scdoc builds from them).

    check-man.py render PAGE...
        Renders every built page (and every .so alias) with man -l, as
        `LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l PAGE`, and fails on
        any warning, on a rendered line wider than 80 columns, and on a
        page name `man -w` cannot find.

    check-man.py coverage HEADER SCD_DIR [--not-built NAME.N]... PAGE...
        Every REDIR_API function of the header has a page or an alias among
        the built PAGEs; aliases point at pages that list the function in
        NAME; each page's SYNOPSIS has the header's exact prototypes (up to
        white space) and no function the header lacks; every page has the
        sections it must; every result, verdict, flag and option of the
        header is named on its page; cross references resolve (to a page of
        SCD_DIR or to one of EXTERNAL_PAGES). Every page of SCD_DIR is
        built, but those named with --not-built: the section 1 pages of
        programs this build lacks (redir-curl without libcurl ...).

    check-man.py example SCD OUT.c
        Writes the C program of a page's EXAMPLE section to OUT.c, so that
        meson can compile and run it like any test.

    check-man.py cli PROGRAM... -- SCD...
        Runs the "$ command" lines of the EXAMPLES of section 1 pages with
        the PROGRAMs' directories first on PATH and compares the output
        shown under each (a line "..." skips any number of lines, a line
        ending in "..." matches any line that starts with the rest).

Exit status 0 when everything holds, 1 otherwise, 77 (skipped) when a
program the check needs (man) is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# ---- scdoc sources ----------------------------------------------------------


def unescape(text):
    """scdoc treats a backslash as "take the next character literally",
    inside literal blocks too."""
    return re.sub(r"\\(.)", r"\1", text)


def sections(scd):
    """{title: body} of the '# TITLE' sections of a scdoc source."""
    out = {}
    title = None
    for line in scd.splitlines():
        m = re.match(r"# (\S.*)$", line)
        if m:
            title = m.group(1).strip()
            out[title] = []
        elif title is not None:
            out[title].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def literal_blocks(body):
    """The ``` blocks of a section, unescaped."""
    return [unescape(b) for b in re.findall(r"^```\n(.*?)^```$", body,
                                            re.S | re.M)]


def name_list(scd):
    """The names before ' - ' in the NAME section."""
    body = sections(scd).get("NAME", "")
    names = " ".join(body.split()).split(" - ", 1)[0]
    return [n.strip() for n in names.split(",") if n.strip()]


def page_id(scd):
    """'redir_decide(3)' from the preamble -> ('redir_decide', '3')."""
    m = re.match(r"([\w.-]+)\((\d)\)", scd)
    return (m.group(1), m.group(2)) if m else (None, None)


# ---- the header -------------------------------------------------------------


def header_functions(header):
    """{name: normalised prototype} for every REDIR_API function."""
    protos = {}
    for m in re.finditer(r"^REDIR_API\s+([^;]*?\b(redir_\w+)\s*\([^;]*\));",
                         header, re.M):
        protos[m.group(2)] = normalise(m.group(1))
    return protos


def normalise(decl):
    decl = re.sub(r"/\*.*?\*/", " ", decl, flags=re.S)
    decl = " ".join(decl.split())
    return re.sub(r"\s*([(),*\[\]])\s*", r"\1", decl)


def xmacro_names(header, macro, prefix=""):
    """The first argument of every X(...) in the X-macro list `macro`."""
    lines = header.splitlines()
    start = next((i for i, l in enumerate(lines)
                  if l.startswith("#define " + macro + "(X)")), None)
    if start is None:
        return []
    body = []
    for line in lines[start:]:
        body.append(line)
        if not line.rstrip().endswith("\\"):
            break
    return [prefix + n for n in re.findall(r"\bX\((\w+)", "\n".join(body))]


def enum_names(header, enum):
    """The constants of `enum NAME { ... }` defined with '='."""
    header = re.sub(r"/\*.*?\*/", " ", header, flags=re.S)
    m = re.search(r"enum " + enum + r" \{(.*?)\}", header, re.S)
    if not m:
        return []
    return re.findall(r"\b(REDIR_[A-Z0-9_]+)\s*=", m.group(1))


# ---- render -----------------------------------------------------------------


def render(pages):
    man = shutil.which("man")
    if not man:
        print("man is not installed: skipped")
        return 77
    failures = 0
    with tempfile.TemporaryDirectory() as tree:
        names = []
        for page in pages:
            section = page.rsplit(".", 1)[1]
            os.makedirs(os.path.join(tree, "man" + section), exist_ok=True)
            shutil.copy(page, os.path.join(tree, "man" + section))
            names.append((section, os.path.basename(page)))
        env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80",
                   MANPATH=tree, MAN_KEEP_FORMATTING="")
        env.pop("MANPAGER", None)
        env.pop("PAGER", None)
        for section, base in sorted(names):
            rel = os.path.join("man" + section, base)
            # man -l resolves ".so man3/x.3" against the current directory,
            # as man does under a MANPATH entry.
            p = subprocess.run([man, "--warnings=w", "-l", rel], cwd=tree,
                               env=env, capture_output=True, text=True)
            problems = []
            if p.returncode != 0:
                problems.append("man exited with %d" % p.returncode)
            if p.stderr.strip():
                problems.append("warnings:\n" + p.stderr.rstrip())
            text = re.sub(r".\x08", "", p.stdout)
            if len(text.splitlines()) < 5:
                problems.append("rendered to almost nothing")
            wide = [l for l in text.splitlines() if len(l) > 80]
            if wide:
                problems.append("%d lines wider than 80 columns, e.g.\n%s"
                                % (len(wide), wide[0]))
            name = base.rsplit(".", 1)[0]
            w = subprocess.run([man, "-w", section, name], env=env,
                               capture_output=True, text=True)
            if w.returncode != 0 or not w.stdout.strip().startswith(tree):
                problems.append("man -w %s %s does not find it" %
                                (section, name))
            if problems:
                failures += 1
                print("FAIL %s: %s" % (rel, "; ".join(problems)))
            else:
                print("ok   %s" % rel)
    print("%d pages rendered, %d with problems" % (len(pages), failures))
    return 1 if failures or not pages else 0


# ---- coverage ---------------------------------------------------------------

# Pages of other projects that the pages refer to.
EXTERNAL_PAGES = {"curl.1", "libcurl.3", "wget.1"}

SECTIONS = {
    "3": ["NAME", "SYNOPSIS", "DESCRIPTION", "RETURN VALUE", "EXAMPLE",
          "SEE ALSO"],
    "1": ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
          "EXAMPLES", "SEE ALSO"],
}


def coverage(header_path, scd_dir, built, not_built=()):
    header = open(header_path).read()
    protos = header_functions(header)
    errors = []

    built_names = {}  # "redir_explain.3" -> path
    for path in built:
        built_names[os.path.basename(path)] = path
    scds = {}
    for f in sorted(os.listdir(scd_dir)):
        if f.endswith(".scd"):
            text = open(os.path.join(scd_dir, f)).read()
            name, section = page_id(text)
            if (name, section) == (None, None) or \
                    f != "%s.%s.scd" % (name, section):
                errors.append("%s: the preamble does not name the page %s"
                              % (f, f[:-4]))
                continue
            scds[name + "." + section] = text
    for page in scds:
        if page not in built_names and page not in not_built:
            errors.append("%s.scd is not built (missing in doc/man/meson.build)"
                          % page)
    for page in not_built:
        if page not in scds:
            errors.append("--not-built %s: there is no %s.scd" % (page, page))
        elif page in built_names:
            errors.append("--not-built %s: but it is built" % page)

    # Aliases: one line, ".so manN/page.N".
    aliases = {}
    for base, path in built_names.items():
        if base in scds:
            continue
        content = open(path).read()
        m = re.fullmatch(r"\.so man(\d)/([\w.-]+)\n", content)
        if not m or m.group(2) not in scds:
            errors.append("%s is neither a page nor a .so alias of one: %r"
                          % (base, content[:60]))
            continue
        aliases[base] = m.group(2)
        target_names = name_list(scds[m.group(2)])
        if base.rsplit(".", 1)[0] not in target_names:
            errors.append("%s points at %s, whose NAME does not list it"
                          % (base, m.group(2)))

    # Every function has a page or an alias.
    for fn in protos:
        if fn + ".3" not in built_names:
            errors.append("%s has no page: add it to a page's NAME and "
                          "SYNOPSIS and to the aliases in doc/man/meson.build"
                          % fn)

    # Page structure, synopsis prototypes, cross references.
    documented = set()
    for page, text in scds.items():
        name, section = page.rsplit(".", 1)
        secs = sections(text)
        for want in SECTIONS.get(section, []):
            if want not in secs:
                errors.append("%s: no %s section" % (page, want))
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.startswith("; "):
                errors.append("%s:%d: a line starting with '; ' is a scdoc "
                              "comment and is not rendered" % (page, lineno))
        if section != "3":
            continue
        synopsis = "\n".join(literal_blocks(secs.get("SYNOPSIS", "")))
        flat = normalise(synopsis)
        for stmt in synopsis.split(";"):
            m = re.search(r"^\s*[A-Za-z_][\w\s*]*?\b(redir_\w+)\s*\(", stmt,
                          re.M)
            if m and not stmt.lstrip().startswith("#") and \
                    m.group(1) not in protos:
                errors.append("%s: SYNOPSIS declares %s, which the header "
                              "does not" % (page, m.group(1)))
        for fn in name_list(text):
            if fn not in protos:
                continue
            documented.add(fn)
            if protos[fn] not in flat:
                errors.append("%s: the SYNOPSIS prototype of %s differs from "
                              "the header's:\n    %s" % (page, fn, protos[fn]))
    for fn in protos:
        if fn not in documented:
            errors.append("%s is not in the NAME section of any page" % fn)

    every = set(scds) | set(aliases) | EXTERNAL_PAGES
    for page, text in scds.items():
        for ref, sec in re.findall(r"\*([\w.-]+)\*\((\d)\)", text):
            if "%s.%s" % (ref, sec) not in every:
                errors.append("%s: reference to %s(%s), which is not built"
                              % (page, ref, sec))
    if "redir.3" in scds:
        for page in scds:
            name, section = page.rsplit(".", 1)
            if page != "redir.3" and "*%s*(%s)" % (name, section) not in \
                    scds["redir.3"]:
                errors.append("redir.3 does not link to %s(%s)"
                              % (name, section))

    # The lists of the header are spelled out on their pages.
    lists = [
        ("redir_strerror.3", xmacro_names(header, "REDIR_RESULT_LIST")),
        ("redir_status.3",
         xmacro_names(header, "REDIR_STATUS_FLAG_LIST", "REDIR_SF_")),
        ("redir_decide.3",
         xmacro_names(header, "REDIR_VERDICT_LIST", "REDIR_VERDICT_")),
        ("redir_decide.3",
         xmacro_names(header, "REDIR_DECISION_FLAG_LIST", "REDIR_DF_")),
        ("redir_decide.3",
         xmacro_names(header, "REDIR_HEADER_CLASS_LIST", "REDIR_HC_")),
        ("redir_policy.3", enum_names(header, "redir_policy_option")),
        ("redir_uri.3", enum_names(header, "redir_uri_flag")),
        ("redir_cache.3", enum_names(header, "redir_cc_directive")),
        ("redir_cache.3", enum_names(header, "redir_cc_problem")),
        ("redir_inspect.3",
         xmacro_names(header, "REDIR_FINDING_LIST", "REDIR_FINDING_")),
    ]
    for page, names in lists:
        if not names:
            errors.append("could not read the list for %s from the header"
                          % page)
        for n in names:
            if page in scds and not re.search(r"\b%s\b" % re.escape(n),
                                              scds[page]):
                errors.append("%s does not mention %s" % (page, n))

    print("%d functions, %d pages, %d aliases" %
          (len(protos), len(scds), len(aliases)))
    for e in errors:
        print("FAIL", e)
    return 1 if errors or not protos else 0


# ---- example ----------------------------------------------------------------


def example(scd_path, out_path):
    secs = sections(open(scd_path).read())
    blocks = literal_blocks(secs.get("EXAMPLE", ""))
    programs = [b for b in blocks if "int main(" in b]
    if len(programs) != 1:
        print("%s: the EXAMPLE section must hold exactly one program"
              % scd_path)
        return 1
    with open(out_path, "w") as f:
        f.write("/* Generated from %s by tests/check-man.py. */\n"
                % os.path.basename(scd_path))
        f.write(programs[0])
    return 0


# ---- cli --------------------------------------------------------------------


def parse_session(block):
    """[(command, [expected lines])] of a literal block of '$ ' lines."""
    runs = []
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("$ "):
            i += 1
            continue
        cmd = line[2:]
        i += 1
        # continuation lines: "> " prompts, or any line after a backslash
        while i < len(lines) and (lines[i].startswith("> ") or
                                  cmd.endswith("\\")):
            line = lines[i]
            cmd += "\n" + (line[2:] if line.startswith("> ") else line)
            i += 1
        expected = []
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        runs.append((cmd, expected))
    return runs


def line_matches(want, got):
    if want.endswith("...") and want != "...":
        return got.startswith(want[:-3])
    return want == got


def output_matches(expected, actual):
    """expected lines, with '...' lines as gaps, against actual lines."""
    def match(e, a):
        if not e:
            return not a
        if e[0] == "...":
            return any(match(e[1:], a[k:]) for k in range(len(a) + 1))
        return bool(a) and line_matches(e[0], a[0]) and match(e[1:], a[1:])
    return match(expected, actual)


def cli(args):
    sep = args.index("--")
    paths = [os.path.dirname(os.path.abspath(p)) for p in args[1:sep]]
    scd_files = args[sep + 1:]
    env = dict(os.environ, LC_ALL="C",
               PATH=os.pathsep.join(paths + [os.environ.get("PATH", "")]))
    failures = count = 0
    for scd in scd_files:
        secs = sections(open(scd).read())
        for block in literal_blocks(secs.get("EXAMPLES", "")):
            for cmd, expected in parse_session(block):
                count += 1
                p = subprocess.run(["sh", "-c", "exec 2>&1\n" + cmd], env=env,
                                   capture_output=True, text=True)
                actual = p.stdout.splitlines()
                if output_matches(expected, actual):
                    print("ok   $ %s" % cmd.splitlines()[0])
                else:
                    failures += 1
                    print("FAIL %s: $ %s\n--- shown in the page:\n%s\n"
                          "--- printed:\n%s" % (os.path.basename(scd), cmd,
                                                "\n".join(expected),
                                                "\n".join(actual)))
    print("%d commands, %d differ from their pages" % (count, failures))
    return 1 if failures or not count else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    mode, rest = argv[1], argv[2:]
    if mode == "render":
        return render(rest)
    if mode == "coverage":
        pages, not_built = rest[2:], []
        while pages[:1] == ["--not-built"] and len(pages) > 1:
            not_built.append(pages[1])
            pages = pages[2:]
        return coverage(rest[0], rest[1], pages, not_built)
    if mode == "example":
        return example(rest[0], rest[1])
    if mode == "cli":
        return cli(["cli"] + rest)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
