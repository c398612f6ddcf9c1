#!/usr/bin/env python3
"""Render .rst files with docutils and print their problems, one per line,
without line numbers, so that two versions of a file can be compared.

usage: rst-check.py NAME FILE   (NAME: the path to print, FILE: the text)

Printed: every docutils system message (WARNING and up; INFO too when it
is about a table); a list-table whose rendered rows differ from its "* -"
lines; a simple table whose rows span several lines (a non-blank first
column starts a new row, so a wrapped first cell silently makes extra rows:
write such a table as a list-table).  The kernel's Sphinx directives and
roles (kernel-doc, c:func, :doc:, toctree...) are accepted and ignored.
"""
import re
import sys
import warnings

import docutils.core
import docutils.nodes
import docutils.utils
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.tables import ListTable

problems = []


class AnyOption(dict):
    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return directives.unchanged


class Ignored(Directive):
    """Any directive docutils does not know (Sphinx's, the kernel's)."""
    optional_arguments = 99
    final_argument_whitespace = True
    has_content = True
    option_spec = AnyOption()

    def run(self):
        return []


class CheckedListTable(ListTable):
    def run(self):
        result = super().run()
        written = sum(1 for line in self.content if re.match(r"\s*\*\s+-", line))
        for node in result:
            if isinstance(node, docutils.nodes.table):
                rendered = len(list(node.findall(docutils.nodes.row)))
                if rendered != written:
                    title = node.next_node(docutils.nodes.title)
                    problems.append("list-table %r: %d rows rendered, %d written"
                                    % (title.astext() if title else "", rendered, written))
        return result


def ignored_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [docutils.nodes.literal(rawtext, text)], []


_directive, _role = directives.directive, roles.role
directives.directive = lambda name, *a: (_directive(name, *a)[0] or Ignored, [])
roles.role = lambda name, *a: (_role(name, *a)[0] or ignored_role, [])
directives.register_directive("list-table", CheckedListTable)


def simple_tables(text):
    """Simple tables with a continuation line (blank first column)."""
    lines = text.splitlines()
    border = re.compile(r"^(=+)( +=+)+\s*$")
    i = 0
    while i < len(lines):
        m = border.match(lines[i])
        if not m:
            i += 1
            continue
        width, segs = len(m.group(1)), [[]]
        i += 1
        while i < len(lines):
            if border.match(lines[i]):
                if i + 1 >= len(lines) or not lines[i + 1].strip():
                    break
                segs.append([])
            elif lines[i].strip():
                segs[-1].append(lines[i])
            i += 1
        i += 1
        header = " ".join(segs[0][0].split()) if segs[0] else ""
        wrapped = any(not line[:width].strip() for line in segs[-1])
        if wrapped:
            rows = sum(1 for line in segs[-1] if line[:width].strip())
            problems.append("simple table %r renders %d body rows and wraps cells over"
                            " several lines: write it as a list-table" % (header, rows))


def main():
    name, path = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    messages = []

    def observe(msg):
        level, text = msg["level"], msg.children[0].astext() if msg.children else ""
        if level >= 2 or (level == 1 and "table" in text.lower()):
            kind = docutils.utils.Reporter.levels[level]
            messages.append("%s: %s" % (kind, re.sub(r"\d+", "#", text.splitlines()[0])))

    warnings.simplefilter("ignore")
    parser = docutils.parsers.rst.Parser()
    doc = docutils.utils.new_document(name, docutils.frontend.OptionParser(
        components=(docutils.parsers.rst.Parser,)).get_default_values())
    doc.reporter = docutils.utils.Reporter(name, 1, 5, stream=False)
    doc.reporter.attach_observer(observe)
    parser.parse(text, doc)
    simple_tables(text)
    for p in messages + problems:
        print("%s: %s" % (name, p))


if __name__ == "__main__":
    main()
