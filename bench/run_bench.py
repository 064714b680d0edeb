#!/usr/bin/python3
# Runs every row of the performance table (issue 4, docs/performance.md) against the programs
# scripts/bench built, and prints the table in markdown with medians and ratios. Each figure is
# measured in this one run together with its baseline, runs interleaved (baseline, pinlink,
# baseline, ...) so that other load on a shared machine hits both sides alike.
#
#   startup   exec -> first presented frame, and exec -> QR code on screen (--demo), per renderer,
#             against bench/baseline_window: PINLINK_TRACE=1 makes pinlink print
#             "pinlink: trace first-frame|qr <steady_clock ns>" on stderr (CLOCK_MONOTONIC, the
#             clock time.monotonic_ns() reads here, taken just before fork/exec).
#   idle      CPU of pinlink on the Code screen (utime+stime of all its threads from
#             /proc/<pid>/stat) over 30 s from 11 s after start (when a GL background, if the
#             presenter has one, has paused), per renderer; also the seconds before, for
#             reference. The provider runs in
#             its own process (`pinlink demo-server`), so only the link screen is measured.
#   memory    peak RSS (ru_maxrss of the reaped child, i.e. VmHWM) of pinlink after that idle run
#             vs baseline_window with SDL2_ttf and one font open; on GL also, for reference,
#             that baseline drawing one textured, blended triangle (--triangle).
#   frame     bench_frame (Google Benchmark): draw-list build, whole frame per renderer.
#   signing   bench_signing (pinlink, liboauth) and oauthlib_signing.py, one after the other.
#   link      bench_link: TLS handshakes per whole link over HTTPS, PIN submitted -> Linked event;
#             and the terminal front end end to end (PIN written to stdin -> JSON on stdout).
#
# Usage: run_bench.py BUILD_DIR [--runs N] [--idle-runs N] [--idle-seconds S] [--only ROWS]
#        run_bench.py BUILD_DIR --ab-startup OTHER_PINLINK [--runs N]   (one change, A/B)
#        BENCH_RENDERERS=software run_bench.py ...   (only some renderers; default gl,software)
import argparse
import json
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = "1920x1080"
RENDERERS = tuple(os.environ.get("BENCH_RENDERERS", "gl,software").split(","))
FONT = "/usr/share/fonts/opentype/inter/Inter-Regular.otf"  # the embedded interface font
BACKGROUND_ACTIVE_S = 10.0  # screen_frontend.cpp: kBackgroundActive
TICK = os.sysconf("SC_CLK_TCK")


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def env_display(extra=None, display=None):
    """The environment for a child with a screen: SDL's offscreen driver (EGL, Mesa llvmpipe)
    unless `display` names an X server (the x11 driver, GLX)."""
    env = dict(os.environ)
    if display:
        env["SDL_VIDEODRIVER"] = "x11"
        env["DISPLAY"] = display
    else:
        env.setdefault("SDL_VIDEODRIVER", "offscreen")
    env.update(extra or {})
    return env


class Xvfb:
    """A private X server for the idle rows: SDL's offscreen driver cannot block in
    SDL_WaitEventTimeout (SDL 2.26 then polls every millisecond), the x11 driver can, as on a
    real desktop or kiosk. None when Xvfb is not installed."""

    def __init__(self):
        self.proc = None
        self.display = None
        try:
            self.proc = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1920x1080x24",
                                          "-nolisten", "tcp"], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            return
        m = Lines(self.proc.stdout).wait_for(r"^(\d+)$", 20)
        if m:
            self.display = ":" + m.group(1)
        else:
            self.close()

    def close(self):
        if self.proc:
            stop(self.proc)
            self.proc = None


class Lines:
    """Reads a child's pipe line by line with deadlines, keeping what it has seen."""

    def __init__(self, pipe):
        self.pipe = pipe
        self.buffer = b""
        self.seen = []

    def wait_for(self, pattern, timeout):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for i, line in enumerate(self.seen):
                m = regex.search(line)
                if m:
                    del self.seen[: i + 1]
                    return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.pipe], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.pipe.fileno(), 65536)
            if not chunk:
                return None
            self.buffer += chunk
            *complete, self.buffer = self.buffer.split(b"\n")
            self.seen.extend(x.decode("utf-8", "replace") for x in complete)


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        return usage
    except ChildProcessError:
        return None


# ---------------------------------------------------------------------------------------------
# startup

def baseline_first_frame(build, renderer, drawn=False):
    start = time.monotonic_ns()
    proc = subprocess.Popen([f"{build}/bench/pinlink_baseline_window", "--renderer", renderer,
                             "--windowed", SIZE, "--trace"] + (["--drawn"] if drawn else []),
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env_display())
    m = Lines(proc.stderr).wait_for(r"baseline: trace first-frame (\d+)", 60)
    stop(proc)
    if not m:
        raise RuntimeError(f"baseline_window --renderer {renderer} showed no frame")
    return (int(m.group(1)) - start) / 1e6


def pinlink_startup(build, renderer, binary=None):
    start = time.monotonic_ns()
    proc = subprocess.Popen([binary or f"{build}/src/app/pinlink", "--demo", "--windowed", SIZE,
                             "--renderer", renderer], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env_display({"PINLINK_TRACE": "1"}))
    lines = Lines(proc.stderr)
    first = lines.wait_for(r"pinlink: trace first-frame (\d+)", 60)
    qr = lines.wait_for(r"pinlink: trace qr (\d+)", 60) if first else None
    stop(proc)
    if not first or not qr:
        raise RuntimeError(f"pinlink --renderer {renderer} never showed the QR code")
    return (int(first.group(1)) - start) / 1e6, (int(qr.group(1)) - start) / 1e6


def run_startup(build, runs):
    out = {}
    for renderer in RENDERERS:
        base, drawn, first, qr = [], [], [], []
        # One untimed round first: page cache, font cache, shader cache warm for both.
        baseline_first_frame(build, renderer)
        pinlink_startup(build, renderer)
        for _ in range(runs):
            base.append(baseline_first_frame(build, renderer))
            f, q = pinlink_startup(build, renderer)
            first.append(f)
            qr.append(q)
            # Reference only (GL): the same baseline, but its clear counts once it is drawn.
            if renderer == "gl":
                drawn.append(baseline_first_frame(build, renderer, drawn=True))
        out[renderer] = {"baseline_ms": base, "first_frame_ms": first, "qr_ms": qr}
        if drawn:
            out[renderer]["baseline_drawn_ms"] = drawn
        log(f"startup {renderer}: baseline {median(base):.1f} ms"
            + (f" (drawn {median(drawn):.1f} ms)" if drawn else "")
            + f", first frame {median(first):.1f} ms, QR {median(qr):.1f} ms")
    return out


def run_ab_startup(build, other, runs):
    """Startup of this build's pinlink against another pinlink binary (`--ab-startup`), rounds
    interleaved with the baseline: for judging one change, not part of the table."""
    for renderer in RENDERERS:
        base, ours, theirs = [], [], []
        baseline_first_frame(build, renderer)
        pinlink_startup(build, renderer)
        pinlink_startup(build, renderer, other)
        for _ in range(runs):
            base.append(baseline_first_frame(build, renderer))
            theirs.append(pinlink_startup(build, renderer, other))
            ours.append(pinlink_startup(build, renderer))
        b = median(base)
        for name, v in ((other, theirs), (f"{build}/src/app/pinlink", ours)):
            f, q = median([x[0] for x in v]), median([x[1] for x in v])
            print(f"{renderer}: {name}: first frame {f:.0f} ms ({f / b:.2f}x), QR {q:.0f} ms "
                  f"(+{q - b:.0f}); baseline {b:.0f} ms")
        d = sorted(t[1] - o[1] for t, o in zip(theirs, ours))
        print(f"{renderer}: QR, other minus this build, per round: median {median(d):.0f} ms, "
              f"{sum(1 for x in d if x > 0)} of {len(d)} rounds faster here")


# ---------------------------------------------------------------------------------------------
# idle CPU and memory

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def start_demo_server(build):
    proc = subprocess.Popen([f"{build}/src/app/pinlink", "demo-server"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    m = Lines(proc.stdout).wait_for(r"^\{.*\}$", 30)
    if not m:
        stop(proc)
        raise RuntimeError("pinlink demo-server did not start")
    return proc, json.loads(m.group(0))


def idle_run(build, renderer, server, idle_seconds, display):
    env = env_display({"PINLINK_TRACE": "1", "PINLINK_CONSUMER_KEY": server["consumer_key"],
                       "PINLINK_CONSUMER_SECRET": server["consumer_secret"]}, display)
    start = time.monotonic()
    proc = subprocess.Popen([f"{build}/src/app/pinlink", "--api-base", server["api_base"],
                             "--windowed", SIZE, "--renderer", renderer],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    try:
        if not Lines(proc.stderr).wait_for(r"pinlink: trace qr (\d+)", 60):
            raise RuntimeError(f"pinlink --renderer {renderer} never showed the QR code")
        shown = time.monotonic()
        at_qr = cpu_seconds(proc.pid)
        # The GL background moves for 10 s after start, then holds still.
        time.sleep(max(0.0, start + BACKGROUND_ACTIVE_S + 1.0 - time.monotonic()))
        settled = time.monotonic()
        before = cpu_seconds(proc.pid)
        time.sleep(idle_seconds)
        after = cpu_seconds(proc.pid)
        ended = time.monotonic()
        usage = stop(proc)
    finally:
        if proc.poll() is None:
            stop(proc)
    return {"animated_pct": 100 * (before - at_qr) / (settled - shown),
            "idle_pct": 100 * (after - before) / (ended - settled),
            "peak_rss_mib": usage.ru_maxrss / 1024 if usage else float("nan")}


def baseline_memory(build, renderer, display, triangle=False):
    """Peak RSS of the baseline; with `triangle` (GL), of the baseline that then draws one
    textured, blended triangle: the reference for what any GL drawing costs."""
    proc = subprocess.Popen([f"{build}/bench/pinlink_baseline_window", "--renderer", renderer,
                             "--windowed", SIZE, "--ttf", FONT] +
                            (["--triangle"] if triangle else []), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env_display(display=display))
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"baseline_window --ttf{' --triangle' if triangle else ''} failed "
                           f"({proc.returncode})")
    return usage.ru_maxrss / 1024


def run_idle_and_memory(build, runs, idle_seconds):
    server, info = start_demo_server(build)
    xvfb = Xvfb()
    out = {}
    try:
        drivers = [("offscreen", None)] + ([("x11", xvfb.display)] if xvfb.display else [])
        for driver, display in drivers:
            for renderer in RENDERERS:
                rows = {"animated_pct": [], "idle_pct": [], "peak_rss_mib": [],
                        "baseline_rss_mib": [], "triangle_rss_mib": []}
                if renderer == "gl":
                    # Untimed: fills Mesa's shader cache with the triangle's shaders, as the
                    # startup rows' first round does for pinlink's.
                    baseline_memory(build, renderer, display, triangle=True)
                for _ in range(runs):
                    rows["baseline_rss_mib"].append(baseline_memory(build, renderer, display))
                    if renderer == "gl":
                        rows["triangle_rss_mib"].append(
                            baseline_memory(build, renderer, display, triangle=True))
                    for key, value in idle_run(build, renderer, info, idle_seconds,
                                               display).items():
                        rows[key].append(value)
                out[f"{driver}/{renderer}"] = rows
                log(f"idle {driver}/{renderer}: {median(rows['idle_pct']):.2f} % of a core, "
                    f"peak RSS {median(rows['peak_rss_mib']):.1f} MiB (baseline "
                    f"{median(rows['baseline_rss_mib']):.1f} MiB)")
    finally:
        xvfb.close()
        stop(server)
    return out


# ---------------------------------------------------------------------------------------------
# Google Benchmark programs

def google_benchmark(program, runs, extra=(), env=None):
    result = subprocess.run([program, "--benchmark_format=json",
                             f"--benchmark_repetitions={runs}",
                             "--benchmark_report_aggregates_only=true", *extra],
                            capture_output=True, text=True, env=env, check=True)
    rows = {}
    data = json.loads(result.stdout)
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            raise RuntimeError(f"{b['name']}: {b.get('error_message')}")
        if b.get("aggregate_name") == "median" or (runs == 1 and b.get("run_type") == "iteration"):
            # "BM_Frame/gl/1080p/min_time:1.000/manual_time" -> "BM_Frame/gl/1080p"
            name = "/".join(part for part in b["run_name"].split("/")
                            if ":" not in part and part not in ("manual_time", "real_time"))
            rows[name] = b
    return rows, data["context"]


def run_frame(build, runs):
    rows, _ = google_benchmark(f"{build}/bench/pinlink_bench_frame", runs, env=env_display())
    out = {}
    for name, b in rows.items():
        out[name] = {k: b[k] for k in ("build_us", "build_cpu_us", "frame_us", "frame_cpu_us",
                                         "vertices") if k in b}
        out[name]["label"] = b.get("label", "")
    log("frame:", json.dumps(out))
    return out


# The three libraries one after the other, `runs` times: a ratio is taken within each round
# (seconds apart) and the median of those is reported, so a change in the machine's load between
# rounds moves both sides of a ratio alike.
# pinlink's side is oauth::Signer, what PinFlow signs with, in both rows; the one-off
# oauth::sign() (BM_PinlinkFixedNonce) is printed as a reference row.
SIGNING_PAIRS = {"fixed": ("BM_PinlinkSignerFixedNonce", "BM_LiboauthSignUrl2FixedNonce"),
                 "fresh": ("BM_Pinlink", "BM_LiboauthSignUrl2")}


def run_signing(build, runs):
    rounds = []
    same = True
    for _ in range(runs):
        rows, _ = google_benchmark(f"{build}/bench/pinlink_bench_signing", 1)
        rate = {name: b["signatures_per_s"] for name, b in rows.items() if "signatures_per_s" in b}
        label = rows.get("BM_CrossCheck", {}).get("label", "")
        py = json.loads(subprocess.run(["/usr/bin/python3", f"{ROOT}/bench/oauthlib_signing.py",
                                        "1000"], capture_output=True, text=True,
                                       check=True).stdout)
        same = same and label == "signature=" + py["signature"]
        rounds.append({"rate": rate, "oauthlib": {k: py[k]["signatures_per_s"]
                                                  for k in SIGNING_PAIRS}})
    out = {"same_signature": same, "rounds": rounds}
    for kind, (ours, lib) in SIGNING_PAIRS.items():
        out[kind] = {
            "pinlink": median([r["rate"][ours] for r in rounds]),
            "liboauth": median([r["rate"][lib] for r in rounds]),
            "oauthlib": median([r["oauthlib"][kind] for r in rounds]),
            "vs_liboauth": median([r["rate"][ours] / r["rate"][lib] for r in rounds]),
            "vs_oauthlib": median([r["rate"][ours] / r["oauthlib"][kind] for r in rounds]),
        }
    log("signing:", json.dumps({k: out[k] for k in SIGNING_PAIRS}))
    return out


def tty_link_once(build):
    proc = subprocess.Popen([f"{build}/src/app/pinlink", "--tty", "--demo", "--json"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        m = Lines(proc.stderr).wait_for(r"PIN for this code is (\d+)", 30)
        if not m:
            raise RuntimeError("pinlink --tty --demo printed no PIN")
        out = Lines(proc.stdout)
        start = time.monotonic_ns()
        proc.stdin.write((m.group(1) + "\n").encode())
        proc.stdin.flush()
        done = out.wait_for(r"^\{.*\}$", 30)
        end = time.monotonic_ns()
        if not done or "oauth_token" not in json.loads(done.group(0)):
            raise RuntimeError("pinlink --tty --demo did not link")
        return (end - start) / 1e6
    finally:
        stop(proc)


def run_link(build, runs):
    program = f"{build}/bench/pinlink_bench_link"
    out = {}
    if os.path.exists(program):
        rows, _ = google_benchmark(program, runs)
        for name, b in rows.items():
            out[name] = {"ms": b["real_time"], "tls_handshakes_min": b.get("tls_handshakes_min"),
                         "tls_handshakes_max": b.get("tls_handshakes_max"),
                         "links": b.get("links")}
    tty = [tty_link_once(build) for _ in range(max(runs, 5))]
    out["tty"] = {"ms": median(tty), "runs": tty}
    log("link:", json.dumps(out))
    return out


# ---------------------------------------------------------------------------------------------
# the table

def verdict(ok):
    return "met" if ok else "**missed**"


def table(r):
    lines = ["| what | baseline (same run) | pinlink | ratio / difference | target | |",
             "|---|---|---|---|---|---|"]
    add = lines.append
    if "startup" in r:
        for renderer in RENDERERS:
            s = r["startup"][renderer]
            b, f, q = median(s["baseline_ms"]), median(s["first_frame_ms"]), median(s["qr_ms"])
            add(f"| exec → first presented frame, {renderer} | {b:.0f} ms | {f:.0f} ms | "
                f"{f / b:.2f}× | ≤ 1.3× | {verdict(f <= 1.3 * b)} |")
        for renderer in RENDERERS:
            s = r["startup"][renderer]
            b, q = median(s["baseline_ms"]), median(s["qr_ms"])
            add(f"| exec → QR code on screen, `--demo`, {renderer} | {b:.0f} ms | {q:.0f} ms | "
                f"+{q - b:.0f} ms | ≤ +80 ms | {verdict(q - b <= 80)} |")
        s = r["startup"].get("gl", {})
        if s.get("baseline_drawn_ms"):
            b, q = median(s["baseline_drawn_ms"]), median(s["qr_ms"])
            add(f"| (reference) exec → QR code on screen, `--demo`, gl, against the baseline "
                f"waiting for its clear to be drawn (`--drawn`, glFinish) | {b:.0f} ms | "
                f"{q:.0f} ms | +{q - b:.0f} ms | — | |")
    if "idle" in r:
        # x11 first: the offscreen driver cannot block (see docs/performance.md).
        for key in sorted(r["idle"], key=lambda k: not k.startswith("x11/")):
            s = r["idle"][key]
            driver, renderer = key.split("/")
            i = median(s["idle_pct"])
            where = "x11 (Xvfb)" if driver == "x11" else "SDL offscreen driver, which polls"
            add(f"| CPU idle on the Code screen, {r['idle_seconds']:.0f} s, {renderer}, {where} "
                f"| — | {i:.2f} % of one core | — | < 1 % | {verdict(i < 1.0)} |")
    if "frame" in r:
        f = r["frame"]
        for size in ("1080p", "2160p"):
            b = f.get(f"BM_Build/{size}")
            if b:
                add(f"| draw-list build (ui::Screen::build, warm atlas), {size} | — | "
                    f"{b['build_us']:.0f} µs wall, {b.get('build_cpu_us', float('nan')):.0f} µs CPU "
                    f"({b['vertices']:.0f} vertices) | — | < 100 µs | "
                    f"{verdict(b['build_us'] < 100)} |")
        for renderer in RENDERERS:
            for size in ("1080p", "2160p"):
                b = f.get(f"BM_Frame/{renderer}/{size}")
                if b:
                    add(f"| whole frame (build + submit + finish), {renderer}, {size} | — | "
                        f"{b['frame_us'] / 1000:.2f} ms wall, {b['frame_cpu_us'] / 1000:.2f} ms CPU | "
                        f"— | reported | |")
    if "idle" in r:
        for key, s in r["idle"].items():
            driver, renderer = key.split("/")
            b, p = median(s["baseline_rss_mib"]), median(s["peak_rss_mib"])
            add(f"| peak RSS on the Code screen, {renderer}, {driver} | {b:.1f} MiB (SDL2_ttf + "
                f"1 font open) | {p:.1f} MiB | +{p - b:.1f} MiB | ≤ +15 MiB | "
                f"{verdict(p - b <= 15)} |")
            if s.get("triangle_rss_mib"):
                t = median(s["triangle_rss_mib"])
                add(f"| (reference) peak RSS, {renderer}, {driver}: the same baseline drawing one "
                    f"textured, blended triangle (`--triangle`), what any GL drawing costs on "
                    f"this driver | {b:.1f} MiB | {t:.1f} MiB | +{t - b:.1f} MiB | — | |")
    if "signing" in r:
        s = r["signing"]
        for kind, words in (("fixed", "same request, same nonce and timestamp (pinlink's kept "
                                      "`oauth::Signer`)"),
                            ("fresh", "fresh nonce and timestamp each (each library's own; "
                                      "pinlink's kept `oauth::Signer`)")):
            k = s[kind]
            add(f"| HMAC-SHA1 signatures/s, {words} | liboauth {k['liboauth'] / 1000:.0f} k/s, "
                f"oauthlib {k['oauthlib'] / 1000:.1f} k/s | {k['pinlink'] / 1000:.0f} k/s | "
                f"{k['vs_liboauth']:.1f}× liboauth, {k['vs_oauthlib']:.0f}× oauthlib | ≥ 3×, ≥ 30× "
                f"| {verdict(k['vs_liboauth'] >= 3 and k['vs_oauthlib'] >= 30)} |")
        one_off = [rd["rate"].get("BM_PinlinkFixedNonce") for rd in s["rounds"]]
        if all(one_off):
            k = s["fixed"]
            v = median(one_off)
            add(f"| (reference) the same request through the one-off `oauth::sign()`, which "
                f"sets the key up every call (not the flow's path) | liboauth "
                f"{k['liboauth'] / 1000:.0f} k/s, oauthlib {k['oauthlib'] / 1000:.1f} k/s | "
                f"{v / 1000:.0f} k/s | {v / k['liboauth']:.1f}× liboauth, "
                f"{v / k['oauthlib']:.0f}× oauthlib | — | |")
        if not s["same_signature"]:
            add("| signing cross-check | | | **pinlink, liboauth and oauthlib disagree** | | |")
    if "link" in r:
        k = r["link"]
        https = k.get("BM_PinToLinked/https")
        if https:
            lo, hi = https["tls_handshakes_min"], https["tls_handshakes_max"]
            add(f"| TLS handshakes for one whole link, local HTTPS provider | — | "
                f"{lo:.0f}{'' if lo == hi else f'–{hi:.0f}'} per link ({https['links']:.0f} links) "
                f"| — | exactly 1 | {verdict(lo == 1 and hi == 1)} |")
            add(f"| PIN submitted → Linked event (LinkWorker, HTTPS) | — | {https['ms']:.1f} ms | — "
                f"| reported | |")
        http = k.get("BM_PinToLinked/http")
        if http:
            add(f"| PIN submitted → Linked event (LinkWorker, HTTP as `--demo`) | — | "
                f"{http['ms']:.1f} ms | — | reported | |")
        add(f"| PIN typed → JSON on stdout (`--tty --demo --json`, end to end) | — | "
            f"{k['tty']['ms']:.1f} ms | — | reported | |")
    return "\n".join(lines)


def machine():
    model = cores = "?"
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in text.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
            if line.startswith("CPU(s):"):
                cores = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return model, cores


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--idle-runs", type=int, default=2)
    parser.add_argument("--idle-seconds", type=float, default=30.0)
    parser.add_argument("--only", default="startup,idle,frame,signing,link")
    parser.add_argument("--json", help="also write every measurement to this file")
    parser.add_argument("--from-json", help="print the table of an earlier --json file, no runs")
    parser.add_argument("--ab-startup", metavar="PINLINK",
                        help="only compare startup with another pinlink binary, interleaved")
    args = parser.parse_args()
    if args.from_json:
        with open(args.from_json) as f:
            print(table(json.load(f)))
        return
    rows = set(args.only.split(","))
    build = os.path.abspath(args.build)
    # pinlink keeps linked GL programs in $XDG_CACHE_HOME/pinlink. The bench gets its own, so it
    # writes nothing to ~/.cache; the untimed first round of each row fills it, as any first
    # start does, and the timed rounds measure the starts after that.
    os.environ["XDG_CACHE_HOME"] = os.path.join(build, "bench-xdg-cache")
    if args.ab_startup:
        run_ab_startup(build, os.path.abspath(args.ab_startup), args.runs)
        return

    load_before = os.getloadavg()
    started = time.time()
    results = {"idle_seconds": args.idle_seconds}
    if "startup" in rows:
        results["startup"] = run_startup(build, args.runs)
    if "frame" in rows:
        results["frame"] = run_frame(build, min(args.runs, 5))
    if "signing" in rows:
        results["signing"] = run_signing(build, min(args.runs, 5))
    if "link" in rows:
        results["link"] = run_link(build, min(args.runs, 3))
    if "idle" in rows:
        results["idle"] = run_idle_and_memory(build, args.idle_runs, args.idle_seconds)
    load_after = os.getloadavg()

    model, cores = machine()
    gl = ""
    for name, b in results.get("frame", {}).items():
        if name.startswith("BM_Frame/gl") and b.get("label"):
            gl = b["label"]
    print(table(results))
    print()
    print(f"Machine: {model}, {cores} CPUs; load average (1/5/15 min) "
          f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
          f"{' '.join(f'{x:.2f}' for x in load_after)} after; "
          f"{time.time() - started:.0f} s; SDL_VIDEODRIVER={env_display()['SDL_VIDEODRIVER']}"
          f"{'; GL ' + gl if gl else ''}; {SIZE} window.")
    print(f"Medians of {args.runs} runs (startup), {min(args.runs, 5)} repetitions (frame, "
          f"signing), {min(args.runs, 3)} (link), {args.idle_runs} (idle, memory; each "
          f"{args.idle_seconds:.0f} s). Startup, frame and memory rows use SDL's offscreen "
          f"driver unless marked x11 (a private Xvfb).")
    results["machine"] = {"model": model, "cpus": cores, "load_before": load_before,
                          "load_after": load_after}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
