#!/usr/bin/env python3
"""Ratios measured in one run, which hold across machines where absolute times do not.

Runs every command once per round, in an order that rotates from round to round (so that a slow moment of
the machine falls on all of them alike), and writes a Markdown table: each command's median wall time with
its spread, and its time against each baseline command's *of the same round* (median and spread of those
per-round ratios).

Usage: ratios.py ROUNDS BASELINE[,BASELINE...] LABEL=COMMAND...   (COMMAND: run by the shell, output discarded)
"""
import statistics
import subprocess
import sys
import time


def run(command):
    start = time.perf_counter()
    subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def spread(values):
    return f"{min(values):.2f}–{max(values):.2f}"


def main():
    rounds, baselines = int(sys.argv[1]), sys.argv[2].split(",")
    commands = dict(arg.split("=", 1) for arg in sys.argv[3:])
    labels = list(commands)
    for label in labels:  # warm the page cache and the binaries
        run(commands[label])
    times = {label: [] for label in labels}
    for r in range(rounds):
        for k in range(len(labels)):
            label = labels[(r + k) % len(labels)]
            times[label].append(run(commands[label]))
    print(f"{rounds} interleaved rounds; times in ms (median, min–max); each ratio is taken against the "
          "baseline's time of the same round (median, min–max of the rounds).")
    print()
    print("| measure | median ms | spread ms | " + " | ".join(f"× {b} | spread" for b in baselines) + " |")
    print("| --- | --- | --- | " + " | ".join("--- | ---" for _ in baselines) + " |")
    for label in labels:
        cells = [f"{statistics.median(times[label]):.1f}", f"{min(times[label]):.1f}–{max(times[label]):.1f}"]
        for b in baselines:
            ratios = [t / u for t, u in zip(times[label], times[b])]
            cells += [f"{statistics.median(ratios):.2f}", spread(ratios)]
        print(f"| {label} | " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
