#!/usr/bin/env python3
"""Mutants of the lines a series adds to non-test C files (make mutate).

usage:
  mutate.py plan SRC BASE OUT.json [N|all] [SEED]
      the mutants of SRC's work tree against BASE..HEAD, all of them and
      the fixed-seed sample of N (default 80) to run, in OUT.json
  mutate.py gen FILE ADDED-LINES [FUNC]
      the mutants of FILE whose line numbers are ADDED-LINES ("3-9,12" or
      "all"), one a line (the selftest's samples)
  mutate.py apply OUT.json INDEX SRC    put mutant INDEX into SRC's file
  mutate.py check FIXTURE.c      the selftest: its mutants are its "expect:" lines
  mutate.py classify TEST.LOG RESULTS.json BASELINE.json TIMED-OUT(0/1)
      how a run went: CAUGHT(case ...), CRASH(...), TIMEOUT or SURVIVED

Only C source and headers not under tests/ and not *_test.c or *kunit*.
Left out: comments, blank lines, preprocessor lines but for "#define NAME
<number>", pure braces, declarations without an initializer, prototypes,
printk-style messages (pr_*, dev_*, printk), KUNIT_STATIC_STUB_REDIRECT
(the test seam) and the rest of its function (what the stub stands in
for: it runs only on the hardware, never under the suite), and
BUILD_BUG_ON (no code at run time).

Kinds: cmp (== <-> !=, < <-> >=, > <-> <=), bound (< -> <=, <= -> <,
> -> >=, >= -> >), logic (&& <-> ||), negate (if/while condition),
const (integer literal N -> N+1, true <-> false), drop (a call or
assignment statement -> ";", a field of an initializer -> nothing),
return (a one-line return in an int function: 0 -> -EIO, anything else
-> 0; bool: X -> !(X), true <-> false; unsigned: anything but 0 -> 0;
pointer: ERR_PTR(...) -> NULL), jump (break <-> continue whose nearest
loop-or-switch is a loop).  Each is one mutant; the list is in file and
line order, and the sample is random.Random(SEED).sample() of it.
"""
import json
import random
import re
import subprocess
import sys

NONTEST = re.compile(r'\.(c|h)$')
TEST = re.compile(r'(^|/)tests/|_test\.c$|kunit')

KEYWORDS = {'if', 'for', 'while', 'switch', 'do', 'else', 'return', 'goto',
            'break', 'continue', 'case', 'default', 'sizeof', 'typeof'}
PRINTK = re.compile(r'^\s*(pr_[a-z_]+|printk|dev_[a-z_]+|pr_cont)\s*\(')
SKIP_CALLS = re.compile(r'^\s*(KUNIT_STATIC_STUB_REDIRECT|BUILD_BUG_ON|static_assert)\b')
SEAM = re.compile(r'^\s*KUNIT_STATIC_STUB_REDIRECT\b')
INTLIT = re.compile(r'(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)(?![\w.])')
OPS = re.compile(r'==|!=|<<=|>>=|<<|>>|->|<=|>=|&&|\|\||<|>')
FLIP = {'==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>'}
BOUND = {'<': '<=', '<=': '<', '>': '>=', '>=': '>'}


def strip_code(text):
    """Per line: the code with comments, strings and chars blanked out
    (same length), and whether the line is a preprocessor line."""
    out, pre = [], []
    in_comment = False
    cont = False
    for line in text.split('\n'):
        is_pre = cont or (not in_comment and line.lstrip().startswith('#'))
        cont = is_pre and line.rstrip().endswith('\\')
        res = []
        i, n = 0, len(line)
        while i < n:
            c = line[i]
            if in_comment:
                if line.startswith('*/', i):
                    in_comment = False
                    res.append('  ')
                    i += 2
                else:
                    res.append(' ')
                    i += 1
            elif line.startswith('/*', i):
                in_comment = True
                res.append('  ')
                i += 2
            elif line.startswith('//', i):
                res.append(' ' * (n - i))
                break
            elif c in '"\'':
                j = i + 1
                while j < n and line[j] != c:
                    j += 2 if line[j] == '\\' else 1
                res.append(c + ' ' * (min(j, n) - i - 1) + (c if j < n else ''))
                i = j + 1
            else:
                res.append(c)
                i += 1
        out.append(''.join(res)[:n])
        pre.append(is_pre)
    return out, pre


def match_paren(code, start):
    """Index of the ')' closing the '(' at start, or -1 on this line."""
    depth = 0
    for i in range(start, len(code)):
        if code[i] == '(':
            depth += 1
        elif code[i] == ')':
            depth -= 1
            if depth == 0:
                return i
    return -1


def ret_kind(header):
    """int, unsigned, bool, ptr or void from a function's header text."""
    m = re.search(r'([\w\s\*]*?)\b\w+\s*\(', header)
    if not m:
        return 'other'
    t = ' '.join(m.group(1).split())
    if '*' in t:
        return 'ptr'
    words = set(t.replace('*', ' ').split())
    if 'bool' in words:
        return 'bool'
    if 'void' in words:
        return 'void'
    if words & {'u64', 'u32', 'u16', 'u8', 'unsigned', 'size_t', 'phys_addr_t'}:
        return 'unsigned'
    if words & {'int', 'long', 's64', 's32', 'ssize_t'}:
        return 'int'
    return 'other'


class Line:
    __slots__ = ('code', 'pre', 'infunc', 'init', 'stmt_start', 'stmt_end', 'stmt_kw',
                 'loop', 'func', 'fid', 'skip')


def analyse(text):
    """Per line: its code, whether it is inside a function body, whether a
    statement starts there (and where it ends), the nearest enclosing
    loop-or-switch kind and the enclosing function's return kind."""
    codes, pres = strip_code(text)
    lines = []
    stack = []          # (kind, is_func_body) per open brace
    paren = 0
    at_start = True     # the next code begins a statement
    header = ''         # text at depth 0 since the last ; or }
    stmt_kw = None      # keyword of the statement being read
    stmt_first = None   # index of the Line where it began
    cur_func = None
    fid = 0             # counts function bodies
    prev_code = ''
    for idx, (code, pre) in enumerate(zip(codes, pres)):
        ln = Line()
        ln.code, ln.pre = code, pre
        ln.infunc = any(f for _, f in stack)
        ln.init = bool(stack) and stack[-1][0] == 'init'
        ln.stmt_start = False
        ln.stmt_end = None
        ln.stmt_kw = None
        ln.skip = False
        ln.func = cur_func if ln.infunc else None
        ln.fid = fid if ln.infunc else None
        loops = [k for k, _ in stack if k in ('for', 'while', 'do', 'switch')]
        ln.loop = loops[-1] if loops else None
        lines.append(ln)
        if pre or not code.strip():
            continue
        s = code.strip()
        if at_start and paren == 0 and not re.fullmatch(r'[{}]\s*;?|}\s*else\s*{?', s):
            ln.stmt_start = True
            m = re.match(r'}?\s*(else\s+if|else|if|for|while|switch|do|return|case|default|break|continue|goto)\b', s)
            stmt_kw = m.group(1) if m else None
            ln.stmt_kw = stmt_kw
            stmt_first = idx
            at_start = False
        header_prev = header
        if not stack:
            header += ' ' + code
        for i, c in enumerate(code):
            if c == '(':
                paren += 1
            elif c == ')':
                paren -= 1
            elif c == '{' and ((code[:i].strip() or prev_code).endswith('=') or
                               (stack and stack[-1][0] == 'init')):
                stack.append(('init', False))   # an initializer: an expression
                paren += 1
            elif c == '}' and stack and stack[-1][0] == 'init':
                stack.pop()
                paren -= 1
            elif c == '{':
                before = (header_prev + ' ' + code[:i]).strip()
                is_func = not stack and before.endswith(')') and '=' not in before
                if is_func:
                    cur_func = ret_kind(before)
                    fid += 1
                kw = 'func' if is_func else None
                m = re.match(r'}?\s*(else\s+if|else|if|for|while|switch|do)\b', s)
                if kw is None and m:
                    kw = m.group(1)
                elif kw is None and stmt_kw in ('if', 'else if', 'else', 'for', 'while', 'switch', 'do') and paren == 0:
                    kw = stmt_kw
                stack.append((kw or 'block', is_func))
                at_start = True
                stmt_kw = None
            elif c == '}':
                if stack:
                    stack.pop()
                if not stack:
                    header = ''
                at_start = True
                stmt_kw = None
            elif c == ';' and paren == 0:
                if stmt_first is not None and lines[stmt_first].stmt_end is None:
                    lines[stmt_first].stmt_end = idx
                at_start = True
                stmt_kw = None
                if not stack:
                    header = ''
            elif c == ':' and paren == 0 and stmt_kw in ('case', 'default'):
                at_start = True
        prev_code = s
        # a control header (if (...), else, for (...)) without a brace:
        # the next line is its body, a statement of its own
        if (paren == 0 and not at_start and stmt_kw in ('if', 'else if', 'for', 'while', 'switch')
                and s.endswith(')')) or (stmt_kw == 'else' and s.endswith('else')):
            at_start = True
            stmt_kw = None
    # whole statements that are printk-style messages or test seams
    for idx, ln in enumerate(lines):
        if ln.stmt_start and (PRINTK.match(ln.code) or SKIP_CALLS.match(ln.code)):
            for j in range(idx, (ln.stmt_end if ln.stmt_end is not None else idx) + 1):
                lines[j].skip = True
    # what a KUNIT_STATIC_STUB_REDIRECT stands in for: the rest of its
    # function runs only without the stub (on the hardware)
    for idx, ln in enumerate(lines):
        if ln.stmt_start and SEAM.match(ln.code):
            for later in lines[idx:]:
                if later.fid == ln.fid:
                    later.skip = True
    return lines


def is_decl(code):
    s = code.strip()
    m = re.match(r'(const\s+|static\s+|volatile\s+)*(struct|enum|union)\s+\w+', s)
    if m:
        return True
    m = re.match(r'(\w+)\s+\**\s*(\w+)', s)
    return bool(m and m.group(1) not in KEYWORDS)


def line_mutants(lines, idx, raw):
    """(kind, col, start, end, replacement lines) for line idx (0-based)."""
    ln = lines[idx]
    code = ln.code
    out = []
    s = code.strip()
    if not s or ln.skip:
        return out
    if ln.pre:
        m = re.match(r'\s*#\s*define\s+\w+\s+', code)
        if not m:
            return out
        for lm in INTLIT.finditer(code, m.end()):
            out.append(('const', lm.start(), idx, idx, [sub(raw[idx], lm.start(), lm.end(), bump(lm))]))
        return out
    if re.fullmatch(r'[{}();,\s]*', s):
        return out
    decl = ln.infunc and ln.stmt_start and is_decl(code)
    if decl and '=' not in code:
        return out
    if not ln.infunc and not ln.stmt_start and not code.startswith((' ', '\t')):
        pass
    # a prototype or function header: nothing to break
    if not ln.infunc and '=' not in code and not re.search(r'\.\w+\s*=|\b(true|false)\b', code):
        if not INTLIT.search(code) or re.search(r'\w+\s*\(', code):
            return out
    # operators
    for om in OPS.finditer(code):
        op = om.group(0)
        if op in FLIP:
            out.append(('cmp', om.start(), idx, idx, [sub(raw[idx], om.start(), om.end(), FLIP[op])]))
        if op in BOUND:
            out.append(('bound', om.start(), idx, idx, [sub(raw[idx], om.start(), om.end(), BOUND[op])]))
        if op in ('&&', '||'):
            out.append(('logic', om.start(), idx, idx,
                        [sub(raw[idx], om.start(), om.end(), '||' if op == '&&' else '&&')]))
    # constants
    is_return = ln.stmt_start and ln.stmt_kw == 'return'
    for lm in INTLIT.finditer(code):
        if re.search(r'\[\s*$', code[:lm.start()]) and decl:
            continue
        if is_return and ln.infunc and re.fullmatch(r'\s*return\s+-?' + lm.group(0) + r'\s*;\s*', code):
            continue    # the return kind changes it
        out.append(('const', lm.start(), idx, idx, [sub(raw[idx], lm.start(), lm.end(), bump(lm))]))
    if not is_return:
        for bm in re.finditer(r'\b(true|false)\b', code):
            out.append(('const', bm.start(), idx, idx,
                        [sub(raw[idx], bm.start(), bm.end(), 'false' if bm.group(1) == 'true' else 'true')]))
    # dropped fields of an initializer (a store that no longer happens)
    if ln.init:
        for fm in re.finditer(r'\.\w+(\.\w+)*\s*=\s*[^,{}]+,\s*', code):
            rep = sub(raw[idx], fm.start(), fm.end(), '')
            out.append(('drop', fm.start(), idx, idx, [rep if rep.strip() else '']))
    if not ln.infunc:
        return out
    # negated conditions
    m = re.search(r'\b(if|while)\s*\(', code)
    if m and not (ln.stmt_kw == 'do' or re.match(r'\s*}\s*while', code)):
        op = code.index('(', m.start())
        cl = match_paren(code, op)
        if cl > 0:
            out.append(('negate', m.start(), idx, idx,
                        [raw[idx][:op + 1] + '!(' + raw[idx][op + 1:cl] + ')' + raw[idx][cl:]]))
    # dropped calls and stores
    if ln.stmt_start and ln.stmt_end is not None and ln.stmt_kw is None and not decl:
        call = re.match(r'\s*[\w.\->\[\]*()&]+?\s*\(', code)
        store = re.match(r'\s*(\+\+|--)?[\w.\->\[\]*()&]+\s*(\+\+|--|([-+*/|&^%]|<<|>>)?=(?!=))', code)
        if call or store:
            end = ln.stmt_end
            rep = [re.match(r'\s*', raw[idx]).group(0) + ';'] + [''] * (end - idx)
            out.append(('drop', 0, idx, end, rep))
    # return values
    if is_return and ln.stmt_end == idx:
        m = re.match(r'(\s*return\s+)(.*?)(\s*;\s*)$', raw[idx])
        if m and not PRINTK.match(code):
            pre, expr, post = m.groups()
            kind = ln.func
            rep = None
            if kind == 'int':
                rep = '-EIO' if expr == '0' else '0'
            elif kind == 'bool':
                rep = {'true': 'false', 'false': 'true'}.get(expr, '!(%s)' % expr)
            elif kind == 'unsigned':
                if expr != '0':
                    rep = '0'
            elif kind == 'ptr':
                if expr.startswith('ERR_PTR('):
                    rep = 'NULL'
            if rep is not None:
                out.append(('return', len(pre), idx, idx, [pre + rep + post]))
    # break <-> continue, where the nearest loop-or-switch is a loop
    if ln.stmt_start and ln.stmt_kw in ('break', 'continue') and ln.loop in ('for', 'while', 'do'):
        kw = ln.stmt_kw
        col = code.index(kw)
        out.append(('jump', col, idx, idx,
                    [sub(raw[idx], col, col + len(kw), 'continue' if kw == 'break' else 'break')]))
    return out


def bump(m):
    lit, suffix = m.group(1), m.group(2)
    v = int(lit, 0) if not (len(lit) > 1 and lit[0] == '0' and lit[1] not in 'xX') else int(lit, 8)
    if lit.lower().startswith('0x'):
        return '0x%x%s' % (v + 1, suffix)
    if len(lit) > 1 and lit[0] == '0':
        return '0%o%s' % (v + 1, suffix)
    return '%d%s' % (v + 1, suffix)


def sub(s, a, b, rep):
    return s[:a] + rep + s[b:]


def file_mutants(path, text, added):
    raw = text.split('\n')
    lines = analyse(text)
    muts, seen = [], set()
    for idx in sorted(added):
        if idx >= len(raw):
            continue
        for kind, col, start, end, rep in line_mutants(lines, idx, raw):
            key = (start, end, tuple(rep))
            if key in seen or rep == raw[start:end + 1]:
                continue
            seen.add(key)
            muts.append({'file': path, 'line': start + 1, 'end': end + 1, 'col': col, 'kind': kind,
                         'original': raw[start:end + 1], 'replacement': rep})
    muts.sort(key=lambda m: (m['line'], m['col'], m['kind'], m['replacement']))
    return muts


def git(src, *args):
    return subprocess.run(['git', '-C', src] + list(args), check=True,
                          capture_output=True, text=True).stdout


def series_added(src, base):
    """{path: set of 0-based line numbers added by base..HEAD}."""
    files = [f for f in git(src, 'diff', '--name-only', '--diff-filter=AM', base, 'HEAD').split()
             if NONTEST.search(f) and not TEST.search(f)]
    added = {}
    for f in files:
        cur = None
        for l in git(src, 'diff', '-U0', base, 'HEAD', '--', f).split('\n'):
            m = re.match(r'@@ -\S+ \+(\d+)(?:,(\d+))? @@', l)
            if m:
                cur = int(m.group(1)) - 1
                continue
            if cur is not None and l.startswith('+') and not l.startswith('+++'):
                added.setdefault(f, set()).add(cur)
                cur += 1
    return added


def plan(src, base, out, n='80', seed='1'):
    muts = []
    for f, added in series_added(src, base).items():
        text = git(src, 'show', 'HEAD:' + f)
        muts += file_mutants(f, text, added)
    total = len(muts)
    idx = list(range(total))
    if n != 'all' and int(n) < total:
        idx = sorted(random.Random(int(seed)).sample(idx, int(n)))
    with open(out, 'w') as fh:
        json.dump({'total': total, 'seed': int(seed), 'n': n, 'sample': idx, 'mutants': muts}, fh, indent=1)
    print('%d mutants, %d to run' % (total, len(idx)))


def describe(m):
    o = ' '.join(x.strip() for x in m['original'])
    r = ' '.join(x.strip() for x in m['replacement'] if x.strip()) or '(nothing)'
    return '%s:%d %s: %s -> %s' % (m['file'], m['line'], m['kind'], o, r)


def apply(out, index, src):
    with open(out) as fh:
        m = json.load(fh)['mutants'][int(index)]
    path = src + '/' + m['file']
    with open(path) as fh:
        raw = fh.read().split('\n')
    a, b = m['line'] - 1, m['end']
    if raw[a:b] != m['original']:
        sys.exit('mutate.py: %s:%d is not what the plan says' % (m['file'], m['line']))
    raw[a:b] = m['replacement']
    with open(path, 'w') as fh:
        fh.write('\n'.join(raw))
    print(describe(m))


# --- classify ----------------------------------------------------------
REPORT = re.compile(r'Kernel panic|Oops|BUG:|BUG [^ :]+ \(|kernel BUG|general protection fault|KASAN:|UBSAN:|'
                    r'WARNING:|watchdog: .*stuck|rcu: .*stall|INFO: task .* blocked|'
                    r'possible circular locking|inconsistent lock state|suspicious RCU usage')


def leaves(node, path=()):
    subs = node.get('sub_groups', []) + node.get('test_cases', [])
    name = node.get('name', '')
    here = path + ((name,) if name and name != 'KUnit Test Group' else ())
    if not subs:
        yield '.'.join(here), node.get('status')
    for s in subs:
        yield from leaves(s, here)


def key(line):
    line = re.sub(r'^\[[^]]*\]\s*', '', line.strip())
    return re.sub(r'0x[0-9a-fA-F]+|\d+', '#', line)


def reports(log):
    try:
        with open(log, errors='replace') as fh:
            return [l.strip() for l in fh if REPORT.search(l)]
    except OSError:
        return []


def classify(log, results, baseline, timed_out):
    with open(baseline) as fh:
        base = json.load(fh)
    try:
        with open(results) as fh:
            res = dict(leaves(json.load(fh)))
    except (OSError, ValueError):
        res = {}
    known = set(base.get('reports', []))
    new = [r for r in reports(log) if key(r) not in known]
    failed = [n for n, s in res.items() if s not in ('PASS', 'SKIP')]
    crashed = [n for n, s in res.items() if s == 'ERROR']
    real_fail = [n for n in failed if n not in crashed]
    short = lambda n: n.split('.', 1)[-1] if '.' in n else n
    if new:
        where = (' in ' + short(failed[0])) if failed else ''
        return 'CRASH(%s%s)' % (re.sub(r'^\[[^]]*\]\s*', '', new[0])[:80], where)
    if real_fail:
        more = ' +%d' % (len(real_fail) - 1) if len(real_fail) > 1 else ''
        return 'CAUGHT(case %s%s)' % (short(real_fail[0]), more)
    if timed_out == '1':
        return 'TIMEOUT'
    if crashed:
        return 'CRASH(%s did not finish)' % short(crashed[0])
    want = base.get('cases', {})
    missing = [n for n in want if n not in res]
    if not res or missing:
        return 'CRASH(%d of %d results missing)' % (len(missing) if res else len(want), len(want))
    skipped = [n for n, s in res.items() if s == 'SKIP' and want.get(n) != 'SKIP']
    return 'SURVIVED' + (' (%d more skipped)' % len(skipped) if skipped else '')


def baseline(log, results, out):
    with open(results) as fh:
        res = dict(leaves(json.load(fh)))
    bad = [n for n, s in res.items() if s not in ('PASS', 'SKIP')]
    with open(out, 'w') as fh:
        json.dump({'cases': res, 'reports': sorted({key(r) for r in reports(log)})}, fh, indent=1)
    if bad or not res:
        sys.exit('baseline: %s' % (', '.join(bad) if bad else 'no results'))
    print('%d cases, %d skipped' % (len(res), sum(s == 'SKIP' for s in res.values())))


def parse_lines(spec, n):
    if spec == 'all':
        return set(range(n))
    got = set()
    for part in spec.split(','):
        a, _, b = part.partition('-')
        got |= set(range(int(a) - 1, int(b or a)))
    return got


def check(fixture):
    """The selftest: FIXTURE's mutants (every line counted as added) are
    exactly its "expect: LINE KIND: ORIGINAL -> REPLACEMENT" comments."""
    with open(fixture) as fh:
        text = fh.read()
    want = [l.split('expect: ', 1)[1].strip() for l in text.split('\n') if 'expect: ' in l]
    got = [describe(m).split(':', 1)[1] for m in file_mutants(fixture, text, parse_lines('all', text.count('\n') + 1))]
    bad = 0
    for g in got:
        if g not in want:
            print('unexpected: ' + g)
            bad = 1
    for w in want:
        if w not in got:
            print('missing: ' + w)
            bad = 1
    print('%d mutants, %d expected' % (len(got), len(want)))
    return bad


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ''
    if cmd == 'plan':
        plan(*argv[2:])
    elif cmd == 'gen':
        with open(argv[2]) as fh:
            text = fh.read()
        for m in file_mutants(argv[2], text, parse_lines(argv[3], text.count('\n') + 1)):
            print(describe(m))
    elif cmd == 'check':
        sys.exit(check(argv[2]))
    elif cmd == 'apply':
        apply(*argv[2:5])
    elif cmd == 'describe':
        with open(argv[2]) as fh:
            print(describe(json.load(fh)['mutants'][int(argv[3])]))
    elif cmd == 'classify':
        print(classify(*argv[2:6]))
    elif cmd == 'baseline':
        baseline(*argv[2:5])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
