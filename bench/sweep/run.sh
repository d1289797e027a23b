#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sweep benchmark (issue 11): scheduling overhead per task of the local executor and of Slurm job arrays, and the
# speed-up of a 40-task sweep of short flows with 2 workers against 1. One command, from the repository root:
#
#   bash bench/sweep/run.sh [REPEATS]        (default 3 repeats; the best of them is reported, as is usual for timings)
#   NP=core/NeuronPursuit.Cli/bin/Release/publish/np bash bench/sweep/run.sh 1    (the ReadyToRun np of `dotnet publish`)
#
# It builds np (Release), times everything with the np it built, and for the Slurm part starts a one-node cluster of
# its own (build/slurm-cluster.sh, in a temporary folder; stopped again at the end). Run it on a quiet machine: on a
# shared one the numbers are noisy. Writes nothing into the repository; the timings are printed at the end.
#
# Definitions. A task is `np flow` of a short flow (about 0.5-2 s, most of it np's start-up). Each task's own wall time
# (its np process, start to exit) is in the sweep's summary.csv; the rest of a sweep's wall time is the sweep's.
#   overhead per task (local) = (1 × wall of `np sweep run --workers 1` over N tasks - the sum of the N tasks' wall
#                                times) / N: np sweep's start, spawning each task, its result file, the SQLite
#                                transactions, reading the metrics, the gaps between tasks.
#   overhead per task (Slurm) = (wall from `np sweep submit` to the end of `np sweep collect --wait`, at most one task at
#                                a time - the sum of the tasks' wall times) / N: sbatch, scheduling, job start-up,
#                                run-task's own np process, squeue polling every 2 s.
#   speed-up = wall(40 tasks, 1 worker) / wall(40 tasks, 2 workers).
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-3}
work=$(mktemp -d)
cluster="$work/cluster"
started_cluster=0
cleanup() {
  if [ "$started_cluster" = 1 ]; then bash build/slurm-cluster.sh stop "$cluster" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# NP=PATH times another np, e.g. the native one of `dotnet publish` (README); by default the one built here.
if [ -n "${NP:-}" ]; then
  np=$(realpath "$NP")
else
  dotnet build core/NeuronPursuit.Cli -c Release -v q -nologo >/dev/null
  np="$PWD/core/NeuronPursuit.Cli/bin/Release/net10.0/np"
fi

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
# best WALL of a command run $repeats times (the command gets the repeat number as $1)
best() {
  local best="" t0 t1 dt
  for r in $(seq 1 "$repeats"); do
    t0=$(now)
    "$@" "$r" >/dev/null 2>&1
    t1=$(now)
    dt=$(calc "$t1 - $t0")
    if [ -z "$best" ] || [ "$(awk "BEGIN { print ($dt < $best) }")" = 1 ]; then best=$dt; fi
  done
  printf '%.3f' "$best"
}

options='"example": "two-relu-teacher", "net": "two-layer", "widths": "4", "activation": "relu-power:2", "init-scale": 0.1, "t-end": 20, "times": "linear:3", "observe": "loss"'
spec() { # $1 = number of tasks
  echo "{ \"command\": \"flow\", \"options\": { $options }, \"axes\": { \"seed\": \"1..$1\" }, \"metrics\": { \"loss\": \"result.final_loss\" } }" >"$work/spec-$1.json"
}
spec 20
spec 40

# Sum of the wall_seconds column of a sweep folder's summary.csv (written by np sweep report).
task_time() {
  "$np" sweep report "$1" >/dev/null
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "wall_seconds") c = i; next } { s += $c } END { printf "%.6f", s }' "$1/summary.csv"
}
# Times one sweep (a function of the repeat number that leaves its folder in $work/last); keeps the best wall, with
# the task time of that run, in t_wall and t_tasks.
best_sweep() {
  local dt t0 t1
  t_wall=""
  t_tasks=""
  for r in $(seq 1 "$repeats"); do
    t0=$(now)
    "$@" "$r" >/dev/null 2>&1
    t1=$(now)
    dt=$(calc "$t1 - $t0")
    if [ -z "$t_wall" ] || [ "$(awk "BEGIN { print ($dt < $t_wall) }")" = 1 ]; then
      t_wall=$dt
      t_tasks=$(task_time "$work/last")
    fi
  done
}
local_run() { # $1 = tasks, $2 = workers
  rm -rf "$work/last"
  "$np" sweep run "$work/spec-$1.json" --out "$work/last" --workers "$2"
}
local20() { local_run 20 1; }
local40x1() { local_run 40 1; }
local40x2() { local_run 40 2; }

echo "timing np sweep run, 20 tasks, 1 worker …" >&2
best_sweep local20
t_local=$t_wall
s_local=$t_tasks
echo "timing np sweep run, 40 tasks, 1 and 2 workers …" >&2
t_40x1=$(best local40x1)
t_40x2=$(best local40x2)

slurm_line="Slurm: not measured"
echo "starting a one-node Slurm cluster …" >&2
if conf=$(bash build/slurm-cluster.sh start "$cluster" | tail -n 1); then
  started_cluster=1
  export "${conf?}"
  slurm_run() {
    rm -rf "$work/last"
    "$np" sweep submit "$work/spec-20.json" --out "$work/last" --slurm --max-parallel 1 >/dev/null
    "$np" sweep collect "$work/last" --wait
  }
  echo "timing np sweep submit + collect --wait, 20 tasks, 1 at a time …" >&2
  best_sweep slurm_run
  slurm_line=$(printf 'Slurm: %.3f s for 20 tasks, 1 at a time, of which %.3f s in the tasks: overhead per task %.3f s' \
    "$t_wall" "$t_tasks" "$(calc "($t_wall - $t_tasks) / 20")")
else
  slurm_line="Slurm: the cluster did not start (see above); not measured"
fi

echo
echo "sweep benchmark, best of $repeats, $(nproc) cores, $(date -u +%Y-%m-%d)"
printf 'local: %.3f s for 20 tasks, 1 worker, of which %.3f s in the tasks: overhead per task %.3f s\n' \
  "$t_local" "$s_local" "$(calc "($t_local - $s_local) / 20")"
echo "$slurm_line"
printf 'speed-up, 40 tasks: %.3f s with 1 worker, %.3f s with 2 workers: %.2fx\n' "$t_40x1" "$t_40x2" "$(calc "$t_40x1 / $t_40x2")"
