#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A single-node Slurm cluster for the tests of `np sweep submit`: this machine is the only node (its real CPU count
# and memory), with its own munged, slurmctld and slurmd started directly (no systemd), all state, sockets and logs
# under one folder, and nothing written outside it (the clients find the cluster through SLURM_CONF).
#
#   build/slurm-cluster.sh start [DIR]   installs slurm-wlm and munge when missing (apt-get), writes DIR/slurm.conf,
#                                        starts the daemons, waits until sinfo shows the node idle; prints
#                                        SLURM_CONF=DIR/slurm.conf as its last line. On failure it stops what it
#                                        started and exits non-zero with one line naming the reason.
#   build/slurm-cluster.sh stop [DIR]    stops the daemons this script started (by the pids it recorded in DIR).
#
# DIR defaults to ${TMPDIR:-/tmp}/np-slurm-cluster. The ports are NP_SLURM_PORT and NP_SLURM_PORT + 1; without
# NP_SLURM_PORT, the first pair from 6817 on that nothing listens on (another cluster may be running here).
set -uo pipefail

action=${1:-}
dir=${2:-${TMPDIR:-/tmp}/np-slurm-cluster}
port=${NP_SLURM_PORT:-}

fail() {
  echo "slurm-cluster: $*" >&2
  exit 1
}

# Sends TERM to every daemon whose pid this script recorded, waits up to 10 s for each, then KILL.
stop_daemons() {
  [ -f "$dir/pids" ] || return 0
  while read -r name pid; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null
        echo "slurm-cluster: $name (pid $pid) did not stop on TERM; killed" >&2
      fi
    fi
  done <"$dir/pids"
  rm -f "$dir/pids"
}

# Installs the Debian packages when a program is missing (non-interactive; the machine's package lists are updated
# first, since a fresh machine may have none).
install_packages() {
  local missing=0
  for program in munged slurmctld slurmd sinfo sbatch squeue; do
    command -v "$program" >/dev/null 2>&1 || missing=1
  done
  [ "$missing" = 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || fail "slurm-wlm and munge are not installed and apt-get is missing"
  echo "slurm-cluster: installing slurm-wlm and munge (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >"$dir/apt.log" 2>&1 || fail "apt-get update failed (see $dir/apt.log)"
  apt-get install -y -q --no-install-recommends slurm-wlm munge >>"$dir/apt.log" 2>&1 ||
    fail "apt-get install slurm-wlm munge failed (see $dir/apt.log)"
}

# Starts a daemon in the foreground, detached into its own session, and records its pid.
start_daemon() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$dir/$name.out" 2>&1 &
  local pid=$!
  echo "$name $pid" >>"$dir/pids"
  sleep 0.5
  kill -0 "$pid" 2>/dev/null || fail "$name exited at once: $(tail -n 3 "$dir/$name.out" "$dir/$name.log" 2>/dev/null | tr '\n' ' ')"
}

start() {
  mkdir -p "$dir" || fail "cannot create $dir"
  chmod 0700 "$dir"
  stop_daemons # leftovers of an earlier start in the same folder
  install_packages
  trap 'stop_daemons' EXIT

  # Ports: NP_SLURM_PORT, else the first free pair from 6817 on (a connection that succeeds means a listener).
  if [ -z "$port" ]; then
    port=6817
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))") 2>/dev/null; do
      port=$((port + 2))
      [ "$port" -lt 6917 ] || fail "no free port pair between 6817 and 6917"
    done
  fi

  local node config
  node=$(hostname -s) || fail "hostname -s failed"
  # slurmd -C reports this machine's CPUs, sockets, cores, threads and memory in slurm.conf syntax.
  config=$(slurmd -C 2>/dev/null | head -n 1)
  [[ "$config" == NodeName=* ]] || fail "slurmd -C did not describe this node: $config"
  config=${config#NodeName=* }

  mkdir -p "$dir/munge" "$dir/ctld" "$dir/spool"
  chmod 0700 "$dir/munge"
  if [ ! -s "$dir/munge/munge.key" ]; then
    head -c 1024 /dev/urandom >"$dir/munge/munge.key" || fail "cannot create the munge key"
  fi
  chmod 0400 "$dir/munge/munge.key"

  cat >"$dir/slurm.conf" <<EOF
# Written by build/slurm-cluster.sh: one node, this machine.
ClusterName=np-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
# Finished jobs stay visible to squeue for 10 minutes (there is no accounting database for sacct).
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 $config State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

  export SLURM_CONF="$dir/slurm.conf"
  start_daemon munged munged --foreground --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed"
  # -c: a fresh controller state (no jobs of an earlier cluster in this folder).
  start_daemon slurmctld slurmctld -D -c -f "$dir/slurm.conf"
  start_daemon slurmd slurmd -D -f "$dir/slurm.conf"

  # The node registers within a few seconds; it is usable once idle (ReturnToService=2 clears an old DOWN state).
  local state=""
  for _ in $(seq 1 120); do
    state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1)
    [ "$state" = "idle" ] && break
    sleep 0.5
  done
  [ "$state" = "idle" ] || fail "the node is not idle after 60 s (sinfo says '${state:-nothing}'); see $dir/slurmctld.log and $dir/slurmd.log"
  trap - EXIT
  echo "slurm-cluster: node $node idle (munged, slurmctld, slurmd started; state in $dir)" >&2
  echo "SLURM_CONF=$dir/slurm.conf"
}

case "$action" in
  start) start ;;
  stop) stop_daemons ;;
  *)
    echo "usage: build/slurm-cluster.sh start|stop [DIR]" >&2
    exit 2
    ;;
esac
