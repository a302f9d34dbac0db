#!/usr/bin/env python3
"""gen.py: the inputs of the load comparison, written into OUT.

    gen.py ROOT OUT KEY

- OUT/bodies/largest-NN.json: ten variants of the largest fixture
  (testdata/tasks/all-field-types.json, ~12.8 KB), each a different task id
  and each changing what the rules decide (an amount, the newest comment, a
  date, a catalog city, the bot's own comment, a close event...), so that
  the load sends different bodies and different answers come back.
- OUT/bodies/<fixture>.json: the fixtures of the mixed load.
- OUT/largest.list, OUT/mix.list: "SIGNATURE PATH" lines, read by rotate.lua.
- OUT/check.list: every body of both loads, plus edge cases that are only
  checked, never timed: a signature in upper-case hex, and settings that are
  not JSON.
- OUT/rules1000.yaml: bench/rules.yaml repeated to 1,000 rules with new names
  and without `stop`, so that every rule runs for every task.

Only the standard library: the signature is HMAC-SHA1 of the exact bytes of
each body, in hex, as Pyrus signs.
"""

import hashlib
import hmac
import os
import sys

LARGEST = "all-field-types.json"

# The fixtures of the mixed load: every fixture in today's protocol whose
# values have the types Pyrus documents. protocol3.json (PascalCase keys of the
# old protocol) and id-as-string.json (ids sent as strings) test rulebot's
# lenient decoder; a bot written by hand does not read them, so they are left
# out rather than taught to the hand-written bots.
MIX = [
    "all-field-types.json", "closed.json", "cyrillic.json",
    "last-comment-only.json", "missing-cost-center.json", "no-comments.json",
    "own-comment.json", "purchase-big.json", "purchase-small.json",
    "simple-task.json", "template-injection.json",
]

# Checked for identical answers but not timed: settings that are not a JSON
# object make two rules fail in rulebot (logged at Error on every webhook).
CHECK_ONLY = ["settings-plain-text.json"]

TASK_ID = "11839954"
LAST_COMMENT = "Any news? Only one pallet jack is left on the night shift."


def replace_last(text, old, new):
    at = text.rfind(old)
    if at < 0:
        raise SystemExit(f"gen.py: {old!r} not found in {LARGEST}")
    return text[:at] + new + text[at + len(old):]


def replace_all(text, old, new):
    if old not in text:
        raise SystemExit(f"gen.py: {old!r} not found in {LARGEST}")
    return text.replace(old, new)


# Each variant is a list of (how, old, new) edits of the fixture's text, so
# that the layout, and so the size, of the body stays as it is.
VARIANTS = [
    [],
    [("all", '"value": 96500', '"value": 8200')],
    [("all", '"value": "2025-03-12"', '"value": "2025-03-08"')],
    [("all", LAST_COMMENT, "Thanks, we wait for the quote from the second supplier.")],
    [("all", '"Kazan"', '"Moscow"')],
    [("all", '"value": 96500', '"value": 1750.5')],
    [("all", '"value": "NW-WH-301"', '"value": "  "')],
    # The newest comment is the bot's own: the answer is empty.
    [("last", '"id": 100101', '"id": 100500')],
    # The CFO approves in the newest comment.
    [("all", LAST_COMMENT, "Approve: budget line CAPEX-2025-WH-07 confirmed."),
     ("last", '"anna.petrova@example.com"', '"cfo@example.com"')],
    [("all", '"event": "comment"', '"event": "close"')],
]


def variant(text, number, edits):
    text = replace_all(text, TASK_ID, str(int(TASK_ID) + number))
    for how, old, new in edits:
        text = replace_last(text, old, new) if how == "last" else replace_all(text, old, new)
    return text


def sign(key, body):
    return hmac.new(key, body, hashlib.sha1).hexdigest()


def write_bodies(out, key, named):
    """Writes each (name, bytes) body and returns its list lines."""
    lines = []
    for name, body in named:
        path = os.path.join(out, "bodies", name)
        with open(path, "wb") as f:
            f.write(body)
        lines.append(f"{sign(key, body)} {path}")
    return lines


def write_list(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def rules1000(src, count=1000):
    """Repeats the rules of src, renamed, until there are count of them."""
    head, sep, body = src.partition("\nrules:\n")
    if not sep:
        raise SystemExit("gen.py: bench/rules.yaml has no top-level rules:")
    rules = ["  - name: " + r for r in body.split("\n  - name: ")[1:]]
    out = []
    for i in range(count):
        rule = rules[i % len(rules)].replace("\n    stop: true", "")
        name, rest = rule.split("\n", 1)
        out.append(f"{name}-{i}\n{rest.rstrip()}\n")
    return "rules:\n" + "".join(out)


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: gen.py ROOT OUT KEY")
    root, out, key = sys.argv[1], sys.argv[2], sys.argv[3].encode()
    tasks = os.path.join(root, "testdata", "tasks")
    os.makedirs(os.path.join(out, "bodies"), exist_ok=True)

    with open(os.path.join(tasks, LARGEST), encoding="utf-8") as f:
        largest = f.read()
    variants = [(f"largest-{i:02d}.json", variant(largest, i, e).encode())
                for i, e in enumerate(VARIANTS)]

    def fixture(name):
        with open(os.path.join(tasks, name), "rb") as f:
            return name, f.read()

    largest_lines = write_bodies(out, key, variants)
    mix_lines = write_bodies(out, key, [fixture(n) for n in MIX])
    only_lines = write_bodies(out, key, [fixture(n) for n in CHECK_ONLY])

    # The same body as largest-00, signed in upper-case hex.
    sig, path = largest_lines[0].split(" ", 1)
    upper = [f"{sig.upper()} {path}"]

    write_list(os.path.join(out, "largest.list"), largest_lines)
    write_list(os.path.join(out, "mix.list"), mix_lines)
    write_list(os.path.join(out, "check.list"), largest_lines + mix_lines + only_lines + upper)

    with open(os.path.join(root, "bench", "rules.yaml"), encoding="utf-8") as f:
        many = rules1000(f.read())
    with open(os.path.join(out, "rules1000.yaml"), "w", encoding="utf-8") as f:
        f.write(many)


if __name__ == "__main__":
    main()
