"""ctest interop.jsonld_nquads: dskill's canonical N-Quads against jsonld.js 9 (RDFC-1.0, safe mode).

Usage: ld_agreement.py NODE CANONIZE_MJS LD_CANON FILE...
Both print "# <file>" then the N-Quads, or "# <file> ERROR <message>". A file named error_*
must be refused by both; every other file must be accepted by both, with the same bytes.
"""
import os
import subprocess
import sys


def split(output):
    results, current, lines = {}, None, []
    for line in output.splitlines(keepends=True):
        if line.startswith("# "):
            if current is not None:
                results[current] = "".join(lines)
            head = line[2:].rstrip("\n")
            current, lines = head.split(" ERROR ", 1)[0], []
            if " ERROR " in head:
                lines = ["ERROR " + head.split(" ERROR ", 1)[1]]
        else:
            lines.append(line)
    if current is not None:
        results[current] = "".join(lines)
    return results


def main():
    node, script, ld_canon, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    modules = os.path.join(os.path.dirname(os.path.abspath(script)), "node_modules")
    if not os.path.isdir(os.path.join(modules, "jsonld")):
        print(f"FAIL: {modules} is missing: run scripts/install-deps.sh (npm ci in tests/interop)")
        return 1
    theirs = split(subprocess.run([node, script, *files], check=True, capture_output=True, text=True).stdout)
    ours = split(subprocess.run([ld_canon, *files], check=True, capture_output=True, text=True).stdout)
    failures = agreed = refused = 0
    for f in files:
        name = os.path.basename(f)
        a, b = theirs.get(f), ours.get(f)
        a_err, b_err = a is None or a.startswith("ERROR"), b is None or b.startswith("ERROR")
        if name.startswith("error_"):
            if a_err and b_err:
                refused += 1
                print(f"ok   {name}: refused by both\n       jsonld.js: {a.strip()[:120]}\n       dskill:    {b.strip()[:160]}")
                continue
            print(f"FAIL {name}: should be refused by both (jsonld.js: {'refused' if a_err else 'accepted'}, dskill: {'refused' if b_err else 'accepted'})")
            failures += 1
        elif a_err or b_err:
            print(f"FAIL {name}: jsonld.js {a.strip()[:200] if a_err else 'ok'} / dskill {b.strip()[:200] if b_err else 'ok'}")
            failures += 1
        elif a != b:
            print(f"FAIL {name}: the canonical N-Quads differ")
            al, bl = a.splitlines(), b.splitlines()
            for line in sorted(set(al) ^ set(bl))[:20]:
                print(("  jsonld.js only: " if line in al else "  dskill only:    ") + line)
            failures += 1
        else:
            agreed += 1
            print(f"ok   {name}: {len(a.splitlines())} quads, byte-identical")
    print(f"{agreed} documents byte-identical, {refused} refused by both, {failures} failures")
    return 1 if failures or agreed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
