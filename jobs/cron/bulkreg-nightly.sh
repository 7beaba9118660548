#!/usr/bin/env bash
# The nightly bulkreg run, for cron. One run at a time on this host (flock): a second start is refused
# with exit 75 instead of queueing behind the first. Output goes to a log file rotated by size, with a
# dated line at the start and end of each run; the job's exit code is passed through (0 done, 1 failed:
# the next run continues, 2 configuration error, 3 devices in doubt and 4 a file refused: a person must look,
# 5 stopped on request: SIGTERM to this wrapper or `bulkreg stop`, 143 a SIGTERM before the run began; see README).
#
# Settings come from an environment file (BULKREG_ENV_FILE), never from this command line. The secrets are
# files: the token /etc/bulkreg/mcs-token (BULKREG_MCS_TOKEN_FILE) and the database password in the config tree
# /etc/bulkreg/secrets/ (SPRING_CONFIG_IMPORT), unless the environment file names others; so they show in no
# `ps` output and no crontab. The job runs in BULKREG_WORK_DIR (the environment file sets /var/lib/bulkreg), so
# that its relative paths (data/reports, H2's ./data) land there, as under systemd and in the image.
# Arguments are passed to bulkreg (default: register).
set -uo pipefail

readonly EXIT_LOCKED=75   # EX_TEMPFAIL (sysexits.h): another run holds the lock, try later

env_file=${BULKREG_ENV_FILE:-/etc/bulkreg/bulkreg.env}
if [[ -r $env_file ]]; then
  set -a   # every assignment of the file is exported to the job
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi

home=${BULKREG_HOME:-/opt/bulkreg}
work=${BULKREG_WORK_DIR:-$home}
# The secrets' files for cron. They are not in the environment file, which systemd reads too: there they would
# override the unit's own credentials (EnvironmentFile= wins over Environment=).
if [[ -z ${BULKREG_MCS_TOKEN:-} ]]; then
  export BULKREG_MCS_TOKEN_FILE=${BULKREG_MCS_TOKEN_FILE:-/etc/bulkreg/mcs-token}
fi
export SPRING_CONFIG_IMPORT=${SPRING_CONFIG_IMPORT:-optional:configtree:/etc/bulkreg/secrets/}
lock_file=${BULKREG_LOCK_FILE:-/run/lock/bulkreg.lock}
log_file=${BULKREG_LOG_FILE:-/var/log/bulkreg/bulkreg.log}
log_max_bytes=${BULKREG_LOG_MAX_BYTES:-10485760}   # rotate past 10 MiB
log_keep=${BULKREG_LOG_KEEP:-7}                    # bulkreg.log.1 .. .7
# The job's command; a test (or a host without java on cron's PATH) sets it.
read -r -a command <<< "${BULKREG_CMD:-java -jar $home/bulkreg.jar}"
(( $# > 0 )) || set -- register

stamp() { date '+%Y-%m-%d %H:%M:%S%z'; }

mkdir -p "$(dirname "$log_file")" "$(dirname "$lock_file")"
exec 9>>"$lock_file"
if ! flock --nonblock 9; then
  message="$(stamp) bulkreg-nightly: refused: another bulkreg run holds $lock_file on $(hostname); not started (exit $EXIT_LOCKED)"
  echo "$message" >&2
  echo "$message" >>"$log_file"
  exit "$EXIT_LOCKED"
fi

# Rotation happens under the lock, so no run is writing to the file being moved.
if [[ -f $log_file ]] && (( $(stat -c %s "$log_file") > log_max_bytes )); then
  rm -f "$log_file.$log_keep"
  for (( i = log_keep - 1; i >= 1; i-- )); do
    [[ -f $log_file.$i ]] && mv "$log_file.$i" "$log_file.$((i + 1))"
  done
  mv "$log_file" "$log_file.1"
fi

cd "$work" || { echo "$(stamp) bulkreg-nightly: cannot enter BULKREG_WORK_DIR $work" | tee -a "$log_file" >&2; exit 2; }
echo "$(stamp) bulkreg-nightly: start: bulkreg $* (wrapper pid $$)" >>"$log_file"
# The job runs in the background so that a SIGTERM to this wrapper reaches it (a graceful stop) and the
# wrapper still logs the end. The job inherits the lock (fd 9): it stays held until the job itself ends.
"${command[@]}" "$@" >>"$log_file" 2>&1 &
job=$!
trap 'kill -TERM "$job" 2>/dev/null' TERM INT HUP
while :; do
  wait "$job"
  status=$?
  kill -0 "$job" 2>/dev/null || break   # wait was only interrupted by a signal: the job is still stopping
done
echo "$(stamp) bulkreg-nightly: end: exit $status" >>"$log_file"
exit "$status"
