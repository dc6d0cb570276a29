#!/usr/bin/env python3
"""Writes the pattern sets of bench/patterns.sh, reproducibly (same inputs, same files).

Usage: make_pattern_sets.py --rules DIR --data DIR --out DIR [--hs-count PATH] [--seed N]

  --rules DIR      the secret-detection rules: DIR/gitleaks/config/gitleaks.toml (gitleaks, MIT)
                   and DIR/noseyparker/crates/noseyparker/data/default/builtin/rules/*.yml (Nosey
                   Parker, Apache-2.0). Read at bench time, never copied into the project.
  --data DIR       the generated logs (*.jsonl.zst): their first lines (--sample-lines per
                   file) supply agent ids, key ids and addresses that occur
  --out DIR        where the sets go
  --hs-count PATH  bench/tools/hs_count, built: rule regexes that Hyperscan cannot compile on
                   their own (UTF-8 mode, as the benchmark runs it) are left out, so that every
                   tool runs the same set

Files written to --out (one pattern per line, no blank lines, no duplicates):

  regex-1.txt regex-10.txt regex-100.txt regex-1000.txt
        RE2 syntax, for agentsweep, ugrep and hs_count (Hyperscan)
  regex-*.rg.txt
        the same regexes for ripgrep: only \\b and \\B are spelled (?-u:\\b) and (?-u:\\B), because
        ripgrep's word boundary is Unicode-aware by default and RE2's is ASCII
  literal-10000.txt literal-100000.txt
        fixed strings (-F)
  sets.json
        every set with the source of each pattern (rule id or IOC kind), and the rules left
        out with the reason

Regex sets. Every rule regex of both files goes through a small parser of the linear-time
part of RE2 syntax; a regex is kept only if it parses (so RE2 accepts it, after the rewriting
below), cannot match the empty string and Hyperscan compiles it. Rejected: lookaround,
backreferences, atomic and possessive forms, conditionals, \\Z \\G \\K \\R \\h \\p{..} \\Q..\\E, the
U flag, repetition counts above 1,000 (also nested, as RE2 counts them), a required \\n (no
single line holds one), and an exact duplicate of an earlier rule. The kept regexes are
rewritten into one spelling that RE2, ripgrep, ugrep and Hyperscan read with the same meaning
on a single line:

  - (?x) layout and comments (read as Rust's regex crate does, which Nosey Parker's rules are
    written for: layout inside classes and {m, n} too), (?#...) comments and group names are
    removed; RE2 has no (?x);
  - \\d \\w \\s (and \\D \\W \\S, [[:alpha:]] and the other POSIX classes) become the explicit
    ASCII classes RE2 means by them; ripgrep's and ugrep's defaults are Unicode-aware;
  - the s and m flags are dropped, \\n is dropped from classes, \\A and \\z become ^ and $: all
    equivalent on one line without its newline, which is what every tool matches against;
  - literals and classes are re-escaped in one way that every tool accepts, and alternatives
    that are a lone assertion are moved first (ugrep 3.11 rejects "(?:a|\\b)").

  regex-1     gitleaks github-pat (ghp_ + 36 alphanumerics: a single-IOC hunt)
  regex-10    4 rules that hit the generated secrets (gitleaks github-pat, aws-access-token,
              private-key, jwt) + 6 other kept rules drawn with the seed
  regex-100   regex-10 + 90 more kept rules drawn with the seed
  regex-1000  every kept rule (394 with the rules in ../shared/realdata), then IOC-style
              regexes up to 1,000, the four kinds in turn, each built from an id or /24
              network of the data sample with probability 3/4, else from a random one of the
              same format (an IOC that never shows up):
              - agent field:  "agent_id": ?"agt_<id>"      (events of a suspect agent)
              - key field:    "api_key_id": ?"key_<id>"    (uses of a leaked key)
              - address /24:  "ip": ?"A\\.B\\.C\\.[0-9]{1,3}" (traffic from a suspect range)
              - private read: /v1/agents/agt_<id>/private/memory/mem_[0-9a-z]{10}
                              (reads of one agent's private memory)
              " ?" covers both producer styles (gateway "k":"v", worker "k": "v").

Literal sets (ids as an IOC list holds them; absent ids have the real formats, random base32
ids or random addresses, so no matcher can skip them by their shape):

  literal-10000   1,000 ids that occur in the sample (40 % agent ids, 30 % key ids, 30 %
                  addresses) + 9,000 that do not
  literal-100000  5,000 that occur + 95,000 that do not
  (an address literal also matches longer addresses that start with it, as grep -F does)
"""

import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import tomllib

import yaml

MAX_REPEAT = 1000


class Unsupported(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# A parser for the linear-time part of RE2 syntax (plus (?x) and (?#...), which are rewritten)

WORD = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
DIGIT = [(0x30, 0x39)]
SPACE = [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]  # RE2 \s: \t \n \f \r space
NL = 0x0A
SHORTHAND = {"d": (DIGIT, False), "w": (WORD, False), "s": (SPACE, False),
             "D": (DIGIT, True), "W": (WORD, True), "S": (SPACE, True)}
CONTROL = {"t": 0x09, "r": 0x0D, "f": 0x0C, "v": 0x0B, "a": 0x07}


MAX_CP = 0x10FFFF
POSIX = {  # RE2's ASCII POSIX classes
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)], "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0x00, 0x7F)], "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)], "digit": [(0x30, 0x39)], "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)], "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)], "upper": [(0x41, 0x5A)], "word": WORD,
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}


def complement(ranges):
    out, nxt = [], 0
    for lo, hi in merge(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_CP:
        out.append((nxt, MAX_CP))
    return out


def merge(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def without_newline(ranges):
    out = []
    for lo, hi in ranges:
        if lo <= NL <= hi:
            if lo < NL:
                out.append((lo, NL - 1))
            if NL < hi:
                out.append((NL + 1, hi))
        else:
            out.append((lo, hi))
    return out


class Parser:
    """Nodes: ("lit", cp) ("class", ranges, negated) ("dot",) ("assert", "^"|"$"|"b"|"B")
    ("cat", [nodes]) ("alt", [nodes]) ("rep", node, min, max, lazy) ("group", node)
    ("setflags", on_i) for (?i)/(?-i) ("flaggroup", on_i, node) for (?i:...)/(?-i:...)/(?:...)."""

    def __init__(self, text):
        self.s = text
        self.i = 0

    def error(self, what):
        raise Unsupported(f"{what} at offset {self.i}")

    def peek(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else None

    def skip_layout(self, verbose):
        while verbose and self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\n\r\f\v":
                self.i += 1
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
            else:
                break

    def parse(self):
        node = self.alternation(False)
        if self.i != len(self.s):
            self.error("unbalanced )")
        return node

    def alternation(self, verbose):
        branches = []
        flags = {"x": verbose}
        while True:
            branches.append(self.sequence(flags))
            if self.peek() == "|":
                self.i += 1
                continue
            break
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self, flags):
        items = []
        while True:
            self.skip_layout(flags["x"])
            c = self.peek()
            if c is None or c in "|)":
                break
            atom = self.atom(flags)
            if atom is None:
                continue
            self.skip_layout(flags["x"])
            atom = self.quantifiers(atom, flags)
            items.append(atom)
        return items[0] if len(items) == 1 else ("cat", items)

    def quantifiers(self, atom, flags):
        c = self.peek()
        lo = hi = None
        if c == "*":
            lo, hi = 0, -1
            self.i += 1
        elif c == "+":
            lo, hi = 1, -1
            self.i += 1
        elif c == "?":
            lo, hi = 0, 1
            self.i += 1
        elif c == "{":
            # (?x) as Rust reads it (Nosey Parker's rules are written for it): layout inside {m, n}
            space = r"[ \t\n\r\f\v]*" if flags["x"] else ""
            m = re.compile(r"\{S(\d+)S(,S(\d*)S)?\}".replace("S", space)).match(self.s, self.i)
            if not m:
                self.error("'{' that is not a repetition (escape it)")
            lo = int(m.group(1))
            hi = lo if m.group(2) is None else (-1 if m.group(3) == "" else int(m.group(3)))
            if lo > MAX_REPEAT or hi > MAX_REPEAT or (hi != -1 and hi < lo):
                self.error("repetition count above 1000 or inverted")
            self.i = m.end()
        else:
            return atom
        lazy = False
        if self.peek() == "?":
            lazy = True
            self.i += 1
        elif self.peek() == "+":
            self.error("possessive quantifier")
        if atom[0] in ("assert", "setflags"):
            self.error("repetition of an assertion")
        self.skip_layout(flags["x"])
        if self.peek() in ("*", "+", "?", "{"):
            self.error("repetition of a repetition")
        return ("rep", atom, lo, hi, lazy)

    def atom(self, flags):
        c = self.s[self.i]
        if c == "(":
            return self.group(flags)
        if c == "[":
            return self.char_class(flags["x"])
        if c == ".":
            self.i += 1
            return ("dot",)
        if c == "^":
            self.i += 1
            return ("assert", "^")
        if c == "$":
            self.i += 1
            return ("assert", "$")
        if c in "*+?{":
            self.error("repetition without an operand")
        if c == "\\":
            return self.escape(in_class=False)
        self.i += 1
        return ("lit", ord(c))

    def group(self, flags):
        s = self.s
        if s.startswith("(?#", self.i):
            end = s.find(")", self.i)
            if end < 0:
                self.error("unterminated comment")
            self.i = end + 1
            return None
        if s.startswith("(?P<", self.i) or (s.startswith("(?<", self.i) and
                                             s[self.i + 3:self.i + 4] not in ("=", "!")):
            m = re.compile(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").match(s, self.i)
            if not m:
                self.error("bad group name")
            self.i = m.end()
            return self.group_body(flags, ("group",))
        if s.startswith("(?", self.i):
            m = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])").match(s, self.i)
            if not m:
                self.error("unsupported group (lookaround, atomic, conditional or similar)")
            on, off, end = m.group(1), m.group(2) or "", m.group(3)
            if set(on + off) - set("imsx") or (m.group(2) is not None and not off):
                self.error("unsupported flag")
            if "x" in off:
                self.error("(?-x) is not supported")
            self.i = m.end()
            case = True if "i" in on else (False if "i" in off else None)
            if end == ")":
                if "x" in on:
                    flags["x"] = True
                return ("setflags", case) if case is not None else None
            inner_x = flags["x"] or "x" in on
            return self.group_body({"x": inner_x}, ("flaggroup", case))
        self.i += 1
        return self.group_body(flags, ("group",))

    def group_body(self, flags, head):
        node = self.alternation(flags["x"])
        if self.peek() != ")":
            self.error("missing )")
        self.i += 1
        return head + (node,)

    def read_hex(self):
        s = self.s
        if self.peek() == "{":
            end = s.find("}", self.i)
            if end < 0:
                self.error("bad \\x{...}")
            digits = s[self.i + 1:end]
            self.i = end + 1
        else:
            digits = s[self.i:self.i + 2]
            self.i += 2
        if not re.fullmatch(r"[0-9A-Fa-f]{1,6}", digits) or int(digits, 16) > 0x10FFFF:
            self.error("bad hex escape")
        return int(digits, 16)

    def escape(self, in_class):
        """Returns ("lit", cp), ("class", ranges, negated) or ("assert", ...)."""
        self.i += 1
        c = self.peek()
        if c is None:
            self.error("trailing backslash")
        self.i += 1
        if c in SHORTHAND:
            ranges, negated = SHORTHAND[c]
            if in_class and negated:
                return ("class", complement(ranges), False)
            return ("class", ranges, negated)
        if c in CONTROL:
            return ("lit", CONTROL[c])
        if c == "n":
            return ("lit", NL)
        if c == "x":
            return ("lit", self.read_hex())
        if not in_class:
            if c in "bB":
                return ("assert", c)
            if c == "A":
                return ("assert", "^")
            if c == "z":
                return ("assert", "$")
        if c.isascii() and not c.isalnum():
            return ("lit", ord(c))
        self.i -= 1
        self.error(f"unsupported escape \\{c}")

    def char_class(self, verbose):
        self.i += 1
        negated = False
        if self.peek() == "^":
            negated = True
            self.i += 1
        ranges = []
        first = True
        while True:
            if verbose:  # Rust's (?x), which Nosey Parker's rules are written for, skips layout in classes too
                while self.peek() is not None and self.peek() in " \t\n\r\f\v":
                    self.i += 1
                if self.peek() == "#":
                    self.error("'#' inside a class in (?x) mode")
            c = self.peek()
            if c is None:
                self.error("unterminated class")
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            m = re.compile(r"\[:(\^?)([a-z]+):\]").match(self.s, self.i)
            if m:
                if m.group(2) not in POSIX:
                    self.error("unknown POSIX class")
                self.i = m.end()
                ranges += complement(POSIX[m.group(2)]) if m.group(1) else POSIX[m.group(2)]
                continue
            lo = self.class_char()
            if lo[0] == "class":
                ranges += lo[1]
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", None):
                self.i += 1
                hi = self.class_char()
                if hi[0] == "class" or hi[1] < lo[1]:
                    self.error("bad range")
                ranges.append((lo[1], hi[1]))
            else:
                ranges.append((lo[1], lo[1]))
        return ("class", merge(ranges), negated)

    def class_char(self):
        if self.peek() == "\\":
            return self.escape(in_class=True)
        c = self.s[self.i]
        self.i += 1
        return ("lit", ord(c))


# ---------------------------------------------------------------------------------------------
# Checks and the rewritten spelling

def nullable(n):
    k = n[0]
    if k in ("lit", "class", "dot"):
        return False
    if k in ("assert", "setflags"):
        return True
    if k == "cat":
        return all(nullable(x) for x in n[1])
    if k == "alt":
        return any(nullable(x) for x in n[1])
    if k == "rep":
        return n[2] == 0 or nullable(n[1])
    return nullable(n[-1])  # group, flaggroup


def check(n, outer=1):
    """Rejects what cannot occur on one line and nested counts RE2 refuses."""
    k = n[0]
    if k == "lit" and n[1] == NL:
        raise Unsupported("requires a newline")
    if k == "class" and not n[2] and not without_newline(n[1]):
        raise Unsupported("class of newline only")
    if k in ("cat", "alt"):
        for x in n[1]:
            check(x, outer)
    elif k == "rep":
        count = n[3] if n[3] != -1 else max(n[2], 1)
        if n[3] != -1 or n[2] > 1:
            if outer * count > MAX_REPEAT:
                raise Unsupported("nested repetition above 1000")
            check(n[1], outer * count)
        else:
            check(n[1], outer)
    elif k in ("group", "flaggroup"):
        check(n[-1], outer)


META = set("\\.+*?()|[]{}^$")
CLASS_META = set("\\]-[^&~")


def lit_text(cp, in_class):
    ch = chr(cp)
    if cp == 0x09:
        return "\\t"
    if cp == 0x0D:
        return "\\r"
    if cp == 0x0C:
        return "\\f"
    if cp < 0x20 or cp == 0x7F:
        return "\\x%02X" % cp
    if ch in (CLASS_META if in_class else META) or (ch == "#" and in_class):
        return "\\" + ch
    return ch


def class_text(ranges, negated):
    if not negated and ranges and ranges[-1][1] == MAX_CP:
        # A class reaching the top of Unicode is spelled by what it leaves out: "." when that
        # is nothing but the newline (equivalent on one line), else [^...].
        rest = without_newline(complement(merge(ranges + [(NL, NL)])))
        return "." if not rest else class_text(rest, True)
    ranges = without_newline(ranges)
    if not negated and len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return lit_text(ranges[0][0], False)
    parts = []
    for lo, hi in ranges:
        if lo == hi:
            parts.append(lit_text(lo, True))
        elif hi == lo + 1:
            parts.append(lit_text(lo, True) + lit_text(hi, True))
        else:
            parts.append(lit_text(lo, True) + "-" + lit_text(hi, True))
    return "[" + ("^" if negated else "") + "".join(parts) + "]"


def emit(n, rg):
    k = n[0]
    if k == "lit":
        return lit_text(n[1], False)
    if k == "class":
        return class_text(n[1], n[2])
    if k == "dot":
        return "."
    if k == "assert":
        if n[1] in "bB":
            return f"(?-u:\\{n[1]})" if rg else "\\" + n[1]
        return n[1]
    if k == "setflags":
        return "(?i)" if n[1] else "(?-i)"
    if k == "cat":
        return "".join(emit(x, rg) for x in n[1])
    if k == "alt":
        # Branches that are a lone assertion go first: ugrep 3.11 rejects "(?:a|\b)" ("empty
        # expression") but takes "(?:\b|a)"; the order of branches cannot change which lines match.
        branches = sorted(n[1], key=lambda x: x[0] != "assert")
        return "|".join(emit(x, rg) for x in branches)
    if k == "group":
        return "(?:" + emit(n[1], rg) + ")"
    if k == "flaggroup":
        head = {True: "(?i:", False: "(?-i:", None: "(?:"}[n[1]]
        return head + emit(n[2], rg) + ")"
    if k == "rep":
        inner = emit(n[1], rg)
        if n[1][0] in ("cat", "alt") or (n[1][0] == "lit" and len(inner) > 1 and
                                          not inner.startswith("\\")):
            inner = "(?:" + inner + ")"
        lo, hi = n[2], n[3]
        q = {(0, -1): "*", (1, -1): "+", (0, 1): "?"}.get((lo, hi))
        if q is None:
            q = "{%d}" % lo if lo == hi else ("{%d,}" % lo if hi == -1 else "{%d,%d}" % (lo, hi))
        return inner + q + ("?" if n[4] else "")
    raise AssertionError(k)


def convert(pattern):
    """Returns (re2_spelling, rg_spelling) or raises Unsupported."""
    tree = Parser(pattern).parse()
    check(tree)
    if nullable(tree):
        raise Unsupported("matches the empty string")
    return emit(tree, False), emit(tree, True)


# ---------------------------------------------------------------------------------------------
# Inputs

def load_rules(rules_dir):
    rules = []
    toml_path = os.path.join(rules_dir, "gitleaks", "config", "gitleaks.toml")
    with open(toml_path, "rb") as f:
        for r in tomllib.load(f)["rules"]:
            if "regex" in r:
                rules.append(("gitleaks:" + r["id"], r["regex"]))
    yml = sorted(glob.glob(os.path.join(rules_dir, "noseyparker", "crates", "noseyparker", "data",
                                        "default", "builtin", "rules", "*.yml")))
    for path in yml:
        with open(path, encoding="utf-8") as f:
            for r in yaml.safe_load(f)["rules"]:
                rules.append(("noseyparker:" + r["id"], r["pattern"]))
    if not rules:
        sys.exit(f"make_pattern_sets.py: no rules under {rules_dir}")
    return rules


def sample_lines(data_dir, per_file):
    files = sorted(glob.glob(os.path.join(data_dir, "*.jsonl.zst")))
    if not files:
        sys.exit(f"make_pattern_sets.py: no *.jsonl.zst under {data_dir}")
    lines = []
    for path in files:
        proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        for _ in range(per_file):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.decode("utf-8", "replace"))
        proc.kill()
        proc.wait()
    return lines


B32 = "0123456789abcdefghjkmnpqrstvwxyz"


def rand_id(rng, prefix, n):
    return prefix + "".join(rng.choice(B32) for _ in range(n))


def ids_in(lines):
    agents, keys, ips, private = set(), set(), set(), set()
    for line in lines:
        agents.update(re.findall(r'"agent_id": ?"(agt_[0-9a-z]{12})"', line))
        keys.update(re.findall(r'"api_key_id": ?"(key_[0-9a-z]{10})"', line))
        ips.update(re.findall(r'"ip": ?"(\d+\.\d+\.\d+\.\d+)"', line))
        private.update(re.findall(r"/v1/agents/(agt_[0-9a-z]{12})/private/memory/", line))
    return sorted(agents), sorted(keys), sorted(ips), sorted(private)


def pick(rng, population, k):
    if k > len(population):
        sys.exit(f"make_pattern_sets.py: the data sample holds {len(population)} ids of a kind, "
                 f"{k} needed; use a larger dataset")
    return rng.sample(population, k)


def literal_set(rng, total, present, seen):
    agents, keys, ips, _ = seen
    occurring = (pick(rng, agents, present * 4 // 10) + pick(rng, keys, present * 3 // 10) +
                 pick(rng, ips, present - present * 4 // 10 - present * 3 // 10))
    known = set(agents) | set(keys) | set(ips)
    absent, made = [], set()
    while len(absent) < total - present:
        kind = rng.random()
        if kind < 0.4:
            s = rand_id(rng, "agt_", 12)
        elif kind < 0.7:
            s = rand_id(rng, "key_", 10)
        else:
            s = ".".join(str(rng.randrange(1, 255)) for _ in range(4))
        if s not in known and s not in made:
            made.add(s)
            absent.append(s)
    out = [(s, "literal:occurring") for s in occurring] + [(s, "literal:absent") for s in absent]
    rng.shuffle(out)
    return out


def ioc_regexes(rng, count, seen):
    agents, keys, ips, private = seen
    kinds = ["agent", "key", "ip24", "private"]
    out = []
    nets_seen = sorted({ip.rsplit(".", 1)[0] for ip in ips})
    for j in range(count):
        kind = kinds[j % 4]
        absent = rng.random() < 0.25
        if kind == "agent":
            a = rand_id(rng, "agt_", 12) if absent else rng.choice(agents)
            out.append((f'"agent_id": ?"{a}"', "ioc:agent"))
        elif kind == "key":
            k = rand_id(rng, "key_", 10) if absent else rng.choice(keys)
            out.append((f'"api_key_id": ?"{k}"', "ioc:key"))
        elif kind == "ip24":
            net = (".".join(str(rng.randrange(1, 255)) for _ in range(3)) if absent
                   else rng.choice(nets_seen))
            out.append(('"ip": ?"' + net.replace(".", "\\.") + '\\.[0-9]{1,3}"', "ioc:ip24"))
        else:
            a = rand_id(rng, "agt_", 12) if absent else rng.choice(private or agents)
            out.append((f"/v1/agents/{a}/private/memory/mem_[0-9a-z]{{10}}", "ioc:private"))
    return out


def drop_hyperscan_rejects(hs_count, kept, rejected):
    """hs_count --check compiles each regex alone (UTF-8 mode, as the benchmark runs it)."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("".join(re2 + "\n" for _, re2, _ in kept))
    try:
        out = subprocess.run([hs_count, "--check", f.name], check=True, capture_output=True,
                             text=True).stdout
    finally:
        os.unlink(f.name)
    bad = {}
    for line in out.splitlines():
        number, message = line.split("\t", 1)
        bad[int(number) - 1] = message
    for index, message in bad.items():
        rejected.setdefault("Hyperscan: " + message, []).append(kept[index][0])
    return [k for i, k in enumerate(kept) if i not in bad]


# ---------------------------------------------------------------------------------------------

HITTING = ["gitleaks:github-pat", "gitleaks:aws-access-token", "gitleaks:private-key",
           "gitleaks:jwt"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hs-count", help="hs_count binary: drop rule regexes Hyperscan cannot compile")
    ap.add_argument("--sample-lines", type=int, default=30000, help="lines read per data file")
    args = ap.parse_args()

    rules = load_rules(args.rules)
    kept, rejected = [], {}
    spellings = set()
    for rule_id, pattern in rules:
        try:
            re2, rg = convert(pattern)
        except Unsupported as e:
            reason = re.sub(r" at offset \d+", "", str(e))
            rejected.setdefault(reason, []).append(rule_id)
            continue
        if re2 in spellings:
            rejected.setdefault("duplicate of another rule", []).append(rule_id)
            continue
        spellings.add(re2)
        kept.append((rule_id, re2, rg))
    if args.hs_count:
        kept = drop_hyperscan_rejects(args.hs_count, kept, rejected)
    by_id = {k[0]: k for k in kept}
    for rule_id in HITTING:
        if rule_id not in by_id:
            sys.exit(f"make_pattern_sets.py: rule {rule_id} missing or rejected")

    rng = random.Random(args.seed)
    others = [k for k in kept if k[0] not in HITTING]
    rng.shuffle(others)
    chosen = [by_id[r] for r in HITTING] + others
    # (pattern, rg spelling, source)
    regex_sets = {
        1: [by_id["gitleaks:github-pat"]],
        10: chosen[:10],
        100: chosen[:100],
        1000: chosen,
    }
    regex_sets = {n: [(re2, rg, src) for src, re2, rg in v] for n, v in regex_sets.items()}

    seen = ids_in(sample_lines(args.data, args.sample_lines))
    iocs = ioc_regexes(random.Random(args.seed + 1), 1000 - len(chosen), seen)
    for p, src in iocs:
        re2, rg = convert(p)
        regex_sets[1000].append((re2, rg, src))
    # IOC regexes drawn twice are replaced by fresh ones, keeping 1,000 distinct patterns.
    extra = random.Random(args.seed + 2)
    while len({p for p, _, _ in regex_sets[1000]}) < 1000:
        uniq, out = set(), []
        for item in regex_sets[1000]:
            if item[0] not in uniq:
                uniq.add(item[0])
                out.append(item)
        for p, src in ioc_regexes(extra, 1000 - len(out), seen):
            re2, rg = convert(p)
            out.append((re2, rg, src))
        regex_sets[1000] = out

    literal_sets = {
        10000: literal_set(random.Random(args.seed + 3), 10000, 1000, seen),
        100000: literal_set(random.Random(args.seed + 4), 100000, 5000, seen),
    }

    os.makedirs(args.out, exist_ok=True)
    manifest = {"rules": {"read": len(rules), "kept": len(kept),
                          "rejected": {k: v for k, v in sorted(rejected.items())}},
                "sample_ids": {"agents": len(seen[0]), "keys": len(seen[1]), "ips": len(seen[2]),
                               "private_owners": len(seen[3])},
                "sets": {}}

    def write(name, lines):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            for line in lines:
                assert line and "\n" not in line and "\r" not in line
                f.write(line + "\n")

    for n, items in regex_sets.items():
        assert len(items) == n and len({p for p, _, _ in items}) == n, n
        write(f"regex-{n}.txt", [p for p, _, _ in items])
        write(f"regex-{n}.rg.txt", [rg for _, rg, _ in items])
        manifest["sets"][f"regex-{n}"] = [{"pattern": p, "source": s} for p, _, s in items]
    for n, items in literal_sets.items():
        assert len(items) == n and len({p for p, _ in items}) == n, n
        write(f"literal-{n}.txt", [p for p, _ in items])
        manifest["sets"][f"literal-{n}"] = [{"pattern": p, "source": s} for p, s in items]
    with open(os.path.join(args.out, "sets.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)

    print(f"make_pattern_sets.py: {len(rules)} rules read, {len(kept)} regexes kept, "
          f"{len(regex_sets[1000]) - len(chosen)} IOC regexes added; rejected: " +
          ", ".join(f"{len(v)} {k}" for k, v in sorted(rejected.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
