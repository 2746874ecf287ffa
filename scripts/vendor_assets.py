"""Copy the front-end files the pages use from node_modules into hongyin/static/vendor (git-ignored).

Run by `make setup` after `npm ci`. Nothing is fetched here; the pages never load from another host.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NM = ROOT / "node_modules"
OUT = ROOT / "hongyin" / "static" / "vendor"

FILES = {
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    # whole TTFs for WeasyPrint (unicode-range subsets print wrong glyphs there)
    "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf": "fonts/NotoSansSC-Regular.ttf",
    "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf": "fonts/NotoSansSC-Bold.ttf",
}
WEIGHTS = ("400", "700")


def copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if not dst.exists() or dst.stat().st_mtime < src.stat().st_mtime or dst.stat().st_size != src.stat().st_size:
        shutil.copy2(src, dst)


def main() -> int:
    if not NM.exists():
        print("node_modules is missing: run `npm ci` first", file=sys.stderr)
        return 1
    for src, dst in FILES.items():
        copy(NM / src, OUT / dst)
    font_dir = NM / "@fontsource" / "noto-sans-sc"
    for weight in WEIGHTS:
        css = (font_dir / f"{weight}.css").read_text()
        css = re.sub(r", url\([^)]*\.woff\) format\('woff'\)", "", css)  # woff2 only
        (OUT / "noto-sans-sc").mkdir(parents=True, exist_ok=True)
        (OUT / "noto-sans-sc" / f"{weight}.css").write_text(css)
        for woff2 in (font_dir / "files").glob(f"noto-sans-sc-*-{weight}-normal.woff2"):
            copy(woff2, OUT / "noto-sans-sc" / "files" / woff2.name)
    print(f"vendor assets ready in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
