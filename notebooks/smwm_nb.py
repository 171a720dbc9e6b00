"""What the notebooks share: run the `smwm` command line (the same one a user types) and show what it writes.

Nothing here computes a result of its own: every number and plot comes from a command's output files or its
`--json` output.
"""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

from IPython.display import HTML, Image, display

ROOT = pathlib.Path(__file__).resolve().parent.parent
SMWM = str(ROOT / "smwm")


def workspace(name):
    """A fresh directory runs/notebooks/NAME under the repository (runs/ is git-ignored)."""
    w = ROOT / "runs" / "notebooks" / name
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    return w


def smwm(*args, quiet=False, tail=None):
    """Runs `./smwm ARGS...` and prints its standard output (only its last `tail` lines when given, e.g. for a
    training run's summary); with quiet=True returns it instead of printing it.

    A non-zero exit raises RuntimeError with the end of stderr, so a notebook run stops at the failing cell."""
    p = subprocess.run([SMWM, *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("smwm %s exited %d:\n%s\n%s" % (" ".join(map(str, args)), p.returncode,
                                                           p.stdout[-3000:], p.stderr[-3000:]))
    if quiet:
        return p.stdout
    lines = p.stdout.splitlines()
    if tail is not None and len(lines) > tail:
        print("[... %d lines of progress ...]" % (len(lines) - tail))
        lines = lines[-tail:]
    print("\n".join(lines))
    return None


def smwm_json(*args):
    """Runs a command that prints JSON (`--json`) and returns it parsed."""
    return json.loads(smwm(*args, quiet=True))


def jshell(code):
    """Runs Java snippets in `./smwm jshell` (the project and Spark on the class path) and prints what they print.

    The snippets end the shell themselves; a snippet that fails (jshell's "|  Error:" or an exception) raises."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsh", delete=False) as f:
        f.write(code.rstrip() + "\n/exit\n")
        script = f.name
    try:
        p = subprocess.run([SMWM, "jshell", "-q", script], cwd=ROOT,
                           capture_output=True, text=True)
    finally:
        os.unlink(script)
    out = p.stdout
    if p.returncode != 0 or "|  Error:" in out or "|  Exception" in out:
        raise RuntimeError("jshell failed (exit %d):\n%s\n%s" % (p.returncode, out[-3000:], p.stderr[-3000:]))
    print(out, end="")


def show(*pngs, width=None):
    """Shows PNG files one under the other."""
    for png in pngs:
        display(Image(filename=str(png), width=width))


def side_by_side(left, right, titles=("", ""), width=440):
    """Shows two PNG files next to each other, each under its title."""
    import base64
    cells = []
    for png, title in zip((left, right), titles):
        data = base64.b64encode(pathlib.Path(png).read_bytes()).decode()
        cells.append('<td style="vertical-align:top"><b>%s</b><br><img width="%d" src="data:image/png;base64,%s">'
                     '</td>' % (title, width, data))
    display(HTML("<table><tr>%s</tr></table>" % "".join(cells)))


def metrics(run):
    """The rows of RUN/metrics/metrics.jsonl (one JSON object per line, as `train` writes them)."""
    with open(pathlib.Path(run) / "metrics" / "metrics.jsonl") as f:
        return [json.loads(line) for line in f if line.strip()]
