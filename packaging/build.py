#!/usr/bin/env python3
"""Build the frozen app and its installer: ``python packaging/build.py linux|windows|macos``.

One command per system, run from any folder (paths are taken from this
file's location), with the project's virtual environment (``pip install -e
'.[freeze]'``):

* ``linux``: the frozen app in ``dist/kobikom-desktop/`` and the Debian
  package ``dist/kobikom-desktop_<version>_<arch>.deb``.
* ``windows``: the frozen app and ``dist/kobikom-desktop-<version>.msi``
  (WiX 3: ``heat``, ``candle`` and ``light`` on the PATH).
* ``macos``: ``dist/Kobikom Desktop.app`` and ``dist/kobikom-desktop-<version>.dmg``.
* ``check-msi``: compile the MSI source with ``wixl`` on Linux against a
  stand-in bundle and read its tables back (no Windows needed).

After PyInstaller (``packaging/kobikom-desktop.spec``) the bundle is
checked like qutebrowser's ``build_release.py`` does: the files the known
traps are about must be there (the FFmpeg multimedia plugin, the SVG
plugins, ``qtbase_tr.qm``, our translation, the sample recording), and the
unpacked size must stay within :data:`SIZE_BUDGET_MB`.  The smoke test of
the result is a separate, slow step (``tests/run-frozen``).

On Linux, ICU's 31 MB locale database (which Qt links) is cut to the
locales the app shows (Turkish, English and the root locale) with ICU's own
``icupkg``; the .deb's ``Depends`` are computed from the libraries the
bundle links to and the Debian packages that hold them, as
``dpkg-shlibdeps`` would.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
NAME = "kobikom-desktop"
BUNDLE = DIST / NAME
#: Largest unpacked bundle accepted (MiB); a naive spec gives about 260.
SIZE_BUDGET_MB = 130
#: ICU locales kept in the bundle (the UI is Turkish or English).
ICU_KEEP_LOCALES = re.compile(
    r"^(res_index|root|en|en_001|en_150|en_GB|en_US|en_US_POSIX|tr|tr_TR|tr_CY)\.res$")
_ICU_LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
#: Debian packages the .deb needs beyond the libraries it links to.
DEB_EXTRA_DEPENDS = ("ca-certificates",)
DEB_RECOMMENDS = ("gnome-keyring | kwalletmanager | keepassxc", "fonts-dejavu-core | fonts-noto-core",
                  "xdg-utils")


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from desktop import __version__

    return __version__


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run(*argv: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    print("$ " + " ".join(str(a) for a in argv), flush=True)
    return subprocess.run([str(a) for a in argv], check=True, text=True, **kwargs)  # type: ignore[call-overload]


def size_mb(path: Path) -> float:
    total = sum(p.lstat().st_size for p in path.rglob("*") if not p.is_symlink())
    return total / (1024 * 1024)


# ---------------------------------------------------------------- PyInstaller


def freeze() -> None:
    step("PyInstaller")
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.rmtree(BUNDLE, ignore_errors=True)
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", DIST, "--workpath", WORK, PACKAGING / "kobikom-desktop.spec",
        cwd=ROOT)


def internal(bundle: Path) -> Path:
    return bundle / "_internal" if (bundle / "_internal").is_dir() else bundle


def check_bundle(bundle: Path, *, qt_plugins: Path | None = None) -> float:
    """The files of the known traps are there, and the size is within budget."""
    step("checking the bundle")
    base = internal(bundle)
    # Linux and macOS wheels keep Qt under PySide6/Qt, Windows wheels directly in PySide6.
    plugins = qt_plugins or next(
        (p for p in (base / "PySide6" / "Qt" / "plugins", base / "PySide6" / "plugins")
         if p.is_dir()), base / "PySide6" / "Qt" / "plugins")
    translations = plugins.parent / "translations"
    expected = {
        "FFmpeg multimedia plugin": list(plugins.glob("multimedia/*ffmpegmediaplugin*")),
        "SVG image plugin": list(plugins.glob("imageformats/*qsvg*")),
        "SVG icon engine": list(plugins.glob("iconengines/*qsvgicon*")),
        "Qt's Turkish (qtbase_tr.qm)": list(translations.glob("qtbase_tr.qm")),
        "our Turkish (kobikom_tr.qm)": list(base.glob("resources/translations/kobikom_tr.qm")),
        "sample recording": list(base.glob("resources/sample-data/sample-recording.WAV")),
        "app icon": list(base.glob("resources/icons/kobikom-desktop.svg")),
    }
    missing = [what for what, found in expected.items() if not found]
    if missing:
        raise SystemExit(f"the bundle lacks: {', '.join(missing)}")
    others = [p.name for p in translations.glob("*.qm") if not re.search(r"_(tr|en)\.qm$", p.name)]
    if others:
        raise SystemExit(f"unused Qt translations in the bundle: {others[:5]}...")
    size = size_mb(bundle)
    print(f"bundle: {bundle} = {size:.1f} MiB unpacked (budget {SIZE_BUDGET_MB} MiB)")
    if size > SIZE_BUDGET_MB:
        raise SystemExit(f"the bundle is {size:.1f} MiB, over its {SIZE_BUDGET_MB} MiB budget")
    return size


# ---------------------------------------------------------------- Linux


def trim_icu(bundle: Path) -> None:
    """Replace the bundled ICU data library by one with only the locales we show."""
    step("trimming ICU's locale data to root, Turkish and English")
    libs = sorted(internal(bundle).glob("PySide6/Qt/lib/libicudata.so.*"))
    tools = [shutil.which(t) for t in ("icupkg", "readelf", "as", "ld")]
    if not libs or not all(tools):
        print("skipped: no bundled libicudata, or icupkg/binutils missing "
              "(Debian: icu-devtools binutils)")
        return
    lib = libs[0]
    symbols = run("readelf", "-Ws", "--dyn-syms", lib, capture_output=True).stdout
    found = re.search(r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\S+\s+"
                      r"(icudt(\d+)_dat)", symbols)
    sections = run("readelf", "-SW", lib, capture_output=True).stdout
    rodata = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)", sections)
    if not found or not rodata:
        print("skipped: the ICU data symbol was not found")
        return
    address, length = int(found.group(1), 16), int(found.group(2), 0)
    symbol, icu_version = found.group(3), found.group(4)
    offset = address - int(rodata.group(1), 16) + int(rodata.group(2), 16)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # icupkg names the items after the output file: both must be icudt<N>l.dat.
        (work / "in").mkdir()
        (work / "out").mkdir()
        full = work / "in" / f"icudt{icu_version}l.dat"
        small = work / "out" / f"icudt{icu_version}l.dat"
        with lib.open("rb") as fh:
            fh.seek(offset)
            full.write_bytes(fh.read(length))
        items = run("icupkg", "-l", full, capture_output=True).stdout.split()
        drop = [item for item in items
                if _ICU_LOCALE_ITEM.match(item.rsplit("/", 1)[-1])
                and not ICU_KEEP_LOCALES.match(item.rsplit("/", 1)[-1])]
        # What Qt does not use here: legacy code pages, transliteration, break iterators
        # and their dictionaries (Qt segments text itself), character names,
        # spoof checking and stringprep profiles.
        drop += [item for item in items
                 if item.endswith((".cnv", ".spp", ".cfu")) or item == "unames.icu"
                 or item.startswith(("translit/", "brkitr/"))]
        (work / "drop.txt").write_text("\n".join(drop) + "\n")
        run("icupkg", "-r", work / "drop.txt", full, small, cwd=work)
        asm = work / "icudata.S"
        asm.write_text(f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
                       f'\t.balign 16\n{symbol}:\n\t.incbin "{small}"\n'
                       f'\t.size {symbol}, . - {symbol}\n'
                       '\t.section .note.GNU-stack,"",@progbits\n')
        run("as", "-o", work / "icudata.o", asm)
        out = work / lib.name
        run("ld", "-shared", "-soname", lib.name, "-o", out, work / "icudata.o")
        before = lib.stat().st_size
        shutil.copyfile(out, lib)
        print(f"ICU data: {len(items)} items -> {len(items) - len(drop)}; "
              f"{before / 2**20:.1f} MiB -> {lib.stat().st_size / 2**20:.1f} MiB")


def strip_symbols(bundle: Path) -> None:
    """Strip the ELF files that still carry a symbol table (never the stripped ones)."""
    step("stripping debug symbols")
    if not shutil.which("strip"):
        print("skipped: no strip (Debian: binutils)")
        return
    before = size_mb(bundle)
    count = 0
    for elf in _elf_files(bundle):
        sections = subprocess.run(["readelf", "-SW", str(elf)], capture_output=True, text=True,
                                  check=False).stdout
        if ".symtab" in sections or ".debug_info" in sections:
            subprocess.run(["strip", "--strip-debug", "--strip-unneeded", str(elf)],
                           check=True)
            count += 1
    print(f"stripped {count} files: {before:.1f} MiB -> {size_mb(bundle):.1f} MiB")


def _elf_files(root: Path) -> list[Path]:
    files = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    files.append(path)
    return files


def debian_depends(bundle: Path) -> list[str]:
    """The Debian packages holding the system libraries the bundle links to."""
    provided = {p.name for p in bundle.rglob("*.so*")}
    needed: set[str] = set()
    for elf in _elf_files(bundle):
        dynamic = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True,
                                 check=False).stdout
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True,
                           check=True).stdout
    arch_tag = "x86-64" if os.uname().machine == "x86_64" else ""
    paths: dict[str, str] = {}
    for line in cache.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and match.group(1) not in paths and arch_tag in match.group(2):
            paths[match.group(1)] = match.group(3)
    packages: set[str] = set()
    unresolved = []
    multiarch = subprocess.run(["dpkg-architecture", "-qDEB_HOST_MULTIARCH"],
                               capture_output=True, text=True, check=False).stdout.strip()
    search = [Path(d) for d in (f"/lib/{multiarch}", f"/usr/lib/{multiarch}", "/lib",
                                "/usr/lib") if d]
    for soname in sorted(needed - provided):
        path = paths.get(soname) or next(
            (str(d / soname) for d in search if (d / soname).exists()), None)
        if path is None:
            unresolved.append(soname)
            continue
        owner = _dpkg_owner(path)
        if owner:
            packages.add(owner)
        else:
            unresolved.append(soname)
    if unresolved:
        raise SystemExit("no Debian package found for: " + ", ".join(unresolved))
    return sorted(packages | set(DEB_EXTRA_DEPENDS))


def _dpkg_owner(path: str) -> str | None:
    for candidate in (path, os.path.realpath(path)):
        for variant in (candidate, candidate.replace("/usr/lib/", "/lib/", 1),
                        candidate.replace("/lib/", "/usr/lib/", 1)):
            done = subprocess.run(["dpkg-query", "-S", variant], capture_output=True,
                                  text=True, check=False)
            if done.returncode == 0:
                return done.stdout.split(":", 1)[0].strip()
    return None


def build_deb(bundle: Path, size: float) -> Path:
    step("Debian package")
    ver = version()
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    depends = debian_depends(bundle)
    linux = PACKAGING / "linux"
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "root"
        opt = stage / "opt" / NAME
        shutil.copytree(bundle, opt, symlinks=True)
        (stage / "usr" / "bin").mkdir(parents=True)
        (stage / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
        apps = stage / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        shutil.copy(linux / "kobikom-desktop.desktop", apps)
        icons = stage / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
        icons.mkdir(parents=True)
        shutil.copy(ROOT / "resources" / "icons" / "kobikom-desktop.svg", icons)
        autostart = stage / "etc" / "xdg" / "autostart"
        autostart.mkdir(parents=True)
        shutil.copy(linux / "kobikom-desktop-autostart.desktop",
                    autostart / "kobikom-desktop.desktop")
        policy_dir = stage / "usr" / "share" / "doc" / NAME
        policy_dir.mkdir(parents=True)
        shutil.copy(linux / "policy.toml.example", policy_dir / "policy.toml.example")
        shutil.copy(ROOT / "LICENSE", policy_dir / "copyright")
        debian = stage / "DEBIAN"
        debian.mkdir()
        installed_kb = int(size * 1024)
        control = [
            f"Package: {NAME}", f"Version: {ver}", f"Architecture: {arch}",
            "Maintainer: Kobikom <yazilim@kobikom.com.tr>", f"Installed-Size: {installed_kb}",
            "Section: comm", "Priority: optional",
            f"Depends: {', '.join(depends)}",
            f"Recommends: {', '.join(DEB_RECOMMENDS)}",
            "Homepage: https://www.kobikom.com.tr/",
            "Description: tray companion for Kobikom PBX agents",
            " Caller popups with the contact's name and last calls, click-to-call for",
            " tel:, callto: and sip: links, call history and recordings, softphone QR",
            " codes and quick SMS, for Kobikom Tekil Santral and Bulut Santral (KobiPBX).",
        ]
        (debian / "control").write_text("\n".join(control) + "\n")
        (debian / "conffiles").write_text("/etc/xdg/autostart/kobikom-desktop.desktop\n")
        for script in ("postinst", "postrm"):
            target = debian / script
            shutil.copy(linux / script, target)
            target.chmod(0o755)
        for path in stage.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
        out = DIST / f"{NAME}_{ver}_{arch}.deb"
        out.unlink(missing_ok=True)
        run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", stage, out)
    print(f"Depends: {', '.join(depends)}")
    print(f"package: {out} ({out.stat().st_size / 2**20:.1f} MiB)")
    return out


# ---------------------------------------------------------------- Windows


def build_msi(bundle: Path) -> Path:
    """WiX 3 on Windows: harvest the bundle, compile, link (see windows/kobikom-desktop.wxs)."""
    step("MSI (WiX 3)")
    ver = version()
    work = ROOT / "build" / "wix"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    run("heat", "dir", bundle, "-nologo", "-gg", "-sfrag", "-srd", "-sreg", "-suid",
        "-cg", "BundleFiles", "-dr", "INSTALLFOLDER", "-var", "var.BundleDir",
        "-out", work / "bundle.wxs")
    wxs = PACKAGING / "windows" / "kobikom-desktop.wxs"
    run("candle", "-nologo", "-arch", "x64", f"-dVersion={ver}", f"-dBundleDir={bundle}", "-dWixl=0",
        "-out", f"{work}{os.sep}", wxs, work / "bundle.wxs")
    out = DIST / f"{NAME}-{ver}.msi"
    run("light", "-nologo", "-spdb", "-sice:ICE61", "-out", out,
        work / "kobikom-desktop.wixobj", work / "bundle.wixobj")
    print(f"installer: {out}")
    return out


def check_msi() -> Path:
    """Compile the MSI source with wixl (Linux) against a stand-in bundle; read it back."""
    step("MSI source check with wixl")
    for tool in ("wixl", "wixl-heat", "msiinfo"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (Debian: wixl msitools)")
    work = ROOT / "build" / "wixl"
    shutil.rmtree(work, ignore_errors=True)
    fake = work / "bundle"
    (fake / "_internal").mkdir(parents=True)
    for name in (f"{NAME}.exe", f"{NAME}-cli.exe", "_internal/python311.dll"):
        (fake / name).write_bytes(b"MZ stand-in for the check")
    files = sorted(str(p) for p in fake.rglob("*") if p.is_file())
    heat = subprocess.run(["wixl-heat", "-p", f"{fake}/", "--component-group", "BundleFiles",
                           "--var", "var.BundleDir", "--directory-ref", "INSTALLFOLDER"],
                          input="\n".join(files) + "\n", capture_output=True, text=True,
                          check=True, cwd=fake)
    (work / "bundle.wxs").write_text(heat.stdout)
    out = work / f"{NAME}-check.msi"
    # wixl wants the file sources relative to its working folder.
    run("wixl", "-a", "x64", "-D", f"Version={version()}", "-D", "BundleDir=bundle",
        "-D", "Wixl=1", "-o", out, PACKAGING / "windows" / "kobikom-desktop.wxs",
        work / "bundle.wxs", cwd=work)
    tables = run("msiinfo", "tables", out, capture_output=True).stdout.split()
    print("tables: " + " ".join(tables))
    return out


# ---------------------------------------------------------------- macOS


def build_dmg() -> Path:
    step("DMG")
    app = DIST / "Kobikom Desktop.app"
    out = DIST / f"{NAME}-{version()}.dmg"
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "Kobikom Desktop"
        staging.mkdir()
        run("ditto", app, staging / app.name)
        (staging / "Applications").symlink_to("/Applications")
        run("hdiutil", "create", "-volname", "Kobikom Desktop", "-srcfolder", staging,
            "-ov", "-format", "UDZO", out)
    print(f"disk image: {out}")
    return out


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=["linux", "windows", "macos", "check-msi"])
    parser.add_argument("--no-package", action="store_true",
                        help="stop after the frozen app (no .deb, .msi or .dmg)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.target == "check-msi":
        check_msi()
        return 0
    freeze()
    if args.target == "linux":
        strip_symbols(BUNDLE)
        trim_icu(BUNDLE)
        size = check_bundle(BUNDLE)
        if not args.no_package:
            build_deb(BUNDLE, size)
    elif args.target == "windows":
        check_bundle(BUNDLE)
        if not args.no_package:
            build_msi(BUNDLE)
    else:
        app = DIST / "Kobikom Desktop.app"
        check_bundle(app / "Contents" / "Frameworks",
                     qt_plugins=app / "Contents" / "Frameworks" / "PySide6" / "Qt" / "plugins")
        if not args.no_package:
            build_dmg()
    print(f"\nbuild done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
