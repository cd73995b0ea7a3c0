#!/usr/bin/env python3
"""The hand-written derivations in examples/ through `gradscope derive`, as a student runs it.

Usage: derive_check.py PATH/TO/gradscope PATH/TO/examples

Every examples/*.gs with a backward section gets `right` on every claim and exit code 0.
Then typical mistakes, each made by changing one line of examples/ninja.gs, must exit 1 and be
pointed out at the claim that holds them (the first one not right that follows from no other),
with every later claim that is not right saying "follows from" it:
  4. the wrong axis of a reduction's gradient (once each way);
  5. 1/n instead of 1/(n-1) in the gradient of batch norm's variance.
And the slip example (the course notebook's sigmoid sign) exits 1 with a coincidence.
Ends with "N passed, M failed"; the exit code is non-zero if anything failed.
"""
import json
import pathlib
import re
import subprocess
import sys

# The gradients examples/ninja.gs claims, in the order it first writes them.
NINJA_CLAIMS = ["dlogprobs", "dprobs", "dcounts_sum_inv", "dcounts", "dcounts_sum", "dnorm_logits",
                "dlogit_maxes", "dlogits", "dh", "dW2", "db2", "dhpreact", "dbngain", "dbnraw", "dbnbias",
                "dbndiff", "dbnvar_inv", "dbnvar", "dbndiff2", "dhprebn", "dbnmeani", "dembcat", "dW1", "db1",
                "demb0", "demb1", "demb2", "dC"]

# (what, the line as written, the line with the mistake, the claim to blame, its verdict, its message)
MISTAKES = [
    ("4. the wrong axis: dcounts_sum_inv summed down the columns",
     "dcounts_sum_inv = sum(counts * dprobs, 1)", "dcounts_sum_inv = sum(counts * dprobs, 0)",
     "dcounts_sum_inv", "shape",
     "dcounts_sum_inv must have counts_sum_inv's shape (8, 1); yours is (1, 5), one value per column "
     "instead of one per row"),
    ("4. the wrong axis: dbnmeani summed along the rows",
     "dbnmeani = sum(-dbndiff, 0)", "dbnmeani = sum(-dbndiff, 1)",
     "dbnmeani", "shape",
     "dbnmeani must have bnmeani's shape (1, 6); yours is (8, 1), one value per row instead of one per column"),
    ("5. 1/n instead of 1/(n-1) in the variance's gradient",
     "dbndiff2 = ones_like(bndiff2) * dbnvar / 7", "dbndiff2 = ones_like(bndiff2) * dbnvar / 8",
     "dbndiff2", "wrong", None),
]

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<verdict>right|wrong|shape|coincidence): "
                  r"(?P<name>d\w+) (?P<rest>.*)$")


def derive(binary, args, text=None):
    proc = subprocess.run([binary, "derive", *args], input=text, capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


class Checker:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}" + (f"\n{detail}" if detail else ""))
        return ok


def check_all_right(binary, path, t):
    code, out, err = derive(binary, [str(path)])
    lines = out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    t.check(code == 0, f"{path.name}: exit code {code}, expected 0", out + err)
    t.check(lines and all(m and m["verdict"] == "right" and m["file"] == str(path) for m in parsed),
            f"{path.name}: every line 'FILE:LINE:COL: right: dNAME ...'", out)
    return [m["name"] for m in parsed if m]


def check_mistake(binary, source, mistake, t):
    what, right, wrong, blamed, verdict, message = mistake
    t.check(source.count(right + "\n") == 1, f"{what}: examples/ninja.gs has the line '{right}' once")
    text = source.replace(right + "\n", wrong + "\n")
    code, out, err = derive(binary, ["-"], text)
    t.check(code == 1, f"{what}: exit code {code}, expected 1", out + err)
    code, out, err = derive(binary, ["-", "--json"], text)
    if not t.check(code == 1 and out.strip(), f"{what}: --json", out + err):
        return
    d = json.loads(out)
    claims = {c["name"]: c for c in d["claims"]}
    t.check(d["ok"] is False and d["first_wrong"] == blamed,
            f"{what}: the first claim to fix is {d['first_wrong']}, expected {blamed}")
    c = claims[blamed]
    t.check(c["verdict"] == verdict and c["follows"] is None,
            f"{what}: {blamed} is {c['verdict']} (follows {c['follows']}), expected {verdict} on its own")
    if message:
        t.check(c["message"] == message, f"{what}: the message", f"  got:      {c['message']}\n  expected: {message}")
    else:
        t.check(c["message"].startswith(f"{blamed} differs from autodiff: largest error "),
                f"{what}: the message", c["message"])
    before = NINJA_CLAIMS[:NINJA_CLAIMS.index(blamed)]
    later_wrong = [c for c in d["claims"] if c["verdict"] != "right" and c["name"] != blamed]
    t.check(later_wrong and all(c["follows"] == blamed and c["message"] == f"{c['name']} follows from {blamed}, "
                                "which is wrong" for c in later_wrong),
            f"{what}: every other claim that is not right follows from {blamed}",
            "\n".join(f"  {c['name']}: {c['message']}" for c in later_wrong))
    # Claims written earlier stay right, except those that use the wrong one (dbndiff += ... dbndiff2).
    t.check(all(claims[n]["verdict"] == "right" or claims[n]["follows"] == blamed for n in before),
            f"{what}: the claims before {blamed} are right or follow from it")


def main():
    if len(sys.argv) != 3:
        print("usage: derive_check.py PATH/TO/gradscope PATH/TO/examples", file=sys.stderr)
        return 2
    binary, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    t = Checker()
    files = sorted(folder.glob("*.gs"))
    t.check(any(f.name == "ninja.gs" for f in files), f"{folder}/ninja.gs exists")
    for path in files:
        names = check_all_right(binary, path, t)
        if path.name == "ninja.gs":
            t.check(names == NINJA_CLAIMS, "ninja.gs claims every gradient of the exercise",
                    f"  got:      {names}\n  expected: {NINJA_CLAIMS}")
    ninja = (folder / "ninja.gs").read_text()
    for mistake in MISTAKES:
        check_mistake(binary, ninja, mistake, t)
    code, out, err = derive(binary, ["--example", "slip"])
    # The line of the slip's dy claim, wherever the example's comments put it.
    _, slip, _ = derive(binary, ["--example", "slip", "--json"])
    line = next((c["line"] for c in json.loads(slip)["claims"] if c["name"] == "dy"), 0)
    t.check(line > 0 and code == 1 and f"<example slip>:{line}:1: coincidence: dy agrees with autodiff at the current "
            "point but not at 8 of 8 other points" in out, f"the slip example: exit 1, dy (line {line}) a coincidence",
            out + err)
    print(f"{t.passed} passed, {t.failed} failed")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
