#!/usr/bin/env python3
"""Every ```cpp and ```c block of README.md and docs/*.md compiles warning-free with GCC and with
Clang and runs (exit 0, something on stdout) from the repository root, which has item_banks/.

C++ blocks build against the dskill package installed from the build tree (find_package, as the
README says); C blocks against the build tree's libdskill_c.so and the C header, as the C
snippets' build line says. Usage: check_snippets.py SOURCE_DIR BUILD_DIR INSTALL_PREFIX
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

WARNINGS = "-Wall -Wextra -Wpedantic -Werror"
COMPILERS = [("gcc", "g++"), ("clang", "clang++")]


def blocks(doc, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```", doc.read_text(), flags=re.S | re.M)


def main():
    source, build, prefix = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    docs = [source / "README.md"] + sorted((source / "docs").glob("*.md"))
    capi = build / "bindings" / "c" / "libdskill_c.so"
    work = pathlib.Path(tempfile.mkdtemp(prefix="dskill_snippets_"))
    targets = []  # (target name, where it came from)
    lists = ["cmake_minimum_required(VERSION 3.25)", "project(dskill_doc_snippets C CXX)",
             "set(CMAKE_CXX_STANDARD 20)", "set(CMAKE_CXX_STANDARD_REQUIRED ON)", "set(CMAKE_C_STANDARD 11)",
             "find_package(dskill CONFIG REQUIRED)"]
    for doc in docs:
        for lang, ext in (("cpp", "cpp"), ("c", "c")):
            for n, code in enumerate(blocks(doc, lang), 1):
                name = f"{doc.stem.lower()}_{lang}_{n}"
                (work / f"{name}.{ext}").write_text(code)
                lists.append(f"add_executable({name} {name}.{ext})")
                lists.append(f"separate_arguments(w UNIX_COMMAND \"{WARNINGS}\")")
                lists.append(f"target_compile_options({name} PRIVATE ${{w}})")
                if lang == "cpp":
                    lists.append(f"target_link_libraries({name} PRIVATE dskill::dskill)")
                else:
                    if not capi.exists():
                        print(f"skipping {name}: no C API in this build")
                        lists.pop(); lists.pop(); lists.pop()
                        continue
                    lists.append(f"target_include_directories({name} PRIVATE {source / 'bindings/c/include'})")
                    lists.append(f"target_link_libraries({name} PRIVATE {capi})")
                targets.append((name, f"{doc.name} ```{lang} block {n}"))
    (work / "CMakeLists.txt").write_text("\n".join(lists) + "\n")
    if not targets:
        print("no C or C++ blocks found")
        return 1
    failed = []
    env = dict(os.environ, LD_LIBRARY_PATH=str(capi.parent))
    for cc, cxx in COMPILERS:
        if shutil.which(cc) is None or shutil.which(cxx) is None:
            failed.append(f"{cxx}: not installed")
            continue
        out = work / f"build-{cxx}"
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        for cmd in (["cmake", "-S", str(work), "-B", str(out), *generator, f"-DCMAKE_C_COMPILER={cc}",
                     f"-DCMAKE_CXX_COMPILER={cxx}", f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE=Release"],
                    ["cmake", "--build", str(out), "-j2"]):
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode != 0:
                failed.append(f"{cxx}: {' '.join(cmd[:2])} failed:\n{run.stdout}{run.stderr}")
                break
        for name, origin in targets:
            exe = out / name
            if not exe.exists():
                failed.append(f"{cxx}: {origin} did not build")
                continue
            run = subprocess.run([str(exe)], cwd=source, env=env, capture_output=True, text=True, timeout=300)
            if run.returncode != 0 or not run.stdout.strip():
                failed.append(f"{cxx}: {origin} exited {run.returncode}:\n{run.stdout}{run.stderr}")
            else:
                print(f"{cxx}: {origin}: ok: {run.stdout.strip().splitlines()[0]}")
    shutil.rmtree(work, ignore_errors=True)
    for f in failed:
        print("FAIL", f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
