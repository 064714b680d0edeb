#!/usr/bin/python3
# Where pinlink's resident memory on the Code screen goes, next to the baseline's
# (docs/performance.md, peak RSS): both programs' /proc/<pid>/smaps, summed per mapped file
# (anonymous memory, the heap and thread arenas as one "[anon]" row), pinlink read SECONDS
# after its QR code is on screen, the baseline (--ttf, --hold) after its frame is presented.
# Uses the programs scripts/bench built and `pinlink demo-server`, as run_bench.py does.
#
# Usage: rss_by_mapping.py BUILD_DIR [--renderer gl|software] [--seconds S] [--rows N]
import argparse
import collections
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_bench as rb  # noqa: E402


def smaps(pid):
    """KiB resident per mapping name, and KiB of anonymous (private, not file) pages in all."""
    rss, anon, name = collections.Counter(), 0, "[anon]"
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if not parts[0].endswith(":"):
                path = parts[5] if len(parts) > 5 else ""
                name = os.path.basename(path) if path.startswith("/") else "[anon]"
            elif parts[0] == "Rss:":
                rss[name] += int(parts[1])
            elif parts[0] == "Anonymous:":
                anon += int(parts[1])
    return rss, anon


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--renderer", default="gl", choices=rb.RENDERERS)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--rows", type=int, default=15)
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    os.environ["XDG_CACHE_HOME"] = os.path.join(build, "bench-xdg-cache")

    base = subprocess.Popen([f"{build}/bench/pinlink_baseline_window", "--renderer",
                             args.renderer, "--windowed", rb.SIZE, "--ttf", rb.FONT, "--trace",
                             "--hold", "3"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=rb.env_display())
    if not rb.Lines(base.stderr).wait_for(r"baseline: trace first-frame", 60):
        raise SystemExit("the baseline showed no frame")
    time.sleep(0.5)
    base_rss, base_anon = smaps(base.pid)
    rb.stop(base)

    server, info = rb.start_demo_server(build)
    try:
        env = rb.env_display({"PINLINK_TRACE": "1", "PINLINK_CONSUMER_KEY": info["consumer_key"],
                              "PINLINK_CONSUMER_SECRET": info["consumer_secret"]})
        proc = subprocess.Popen([f"{build}/src/app/pinlink", "--api-base", info["api_base"],
                                 "--windowed", rb.SIZE, "--renderer", args.renderer],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env)
        if not rb.Lines(proc.stderr).wait_for(r"pinlink: trace qr", 60):
            raise SystemExit("pinlink never showed the QR code")
        time.sleep(args.seconds)
        ours, ours_anon = smaps(proc.pid)
        rb.stop(proc)
    finally:
        rb.stop(server)

    mib = 1024.0
    print(f"{args.renderer}: resident {sum(base_rss.values()) / mib:.1f} MiB (baseline) vs "
          f"{sum(ours.values()) / mib:.1f} MiB (pinlink), "
          f"+{(sum(ours.values()) - sum(base_rss.values())) / mib:.1f} MiB; of it anonymous "
          f"+{(ours_anon - base_anon) / mib:.1f} MiB, file-backed "
          f"+{(sum(ours.values()) - ours_anon - sum(base_rss.values()) + base_anon) / mib:.1f} MiB")
    print("| mapping | baseline | pinlink | difference |")
    print("|---|---|---|---|")
    names = sorted(set(base_rss) | set(ours), key=lambda n: base_rss[n] - ours[n])
    for n in names[:args.rows]:
        print(f"| {n} | {base_rss[n] / mib:.1f} MiB | {ours[n] / mib:.1f} MiB | "
              f"{(ours[n] - base_rss[n]) / mib:+.1f} MiB |")


if __name__ == "__main__":
    main()
