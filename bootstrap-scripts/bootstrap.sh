#!/usr/bin/env bash
# Turns an empty EBS volume attached to the helper instance (or, with --device, a disk image's loop device: see
# local-build.sh) into a bootable Funtoo or Gentoo disk.
# Runs as root through SSM Run Command; see --help and README.md. Every phase is a file in lib/phases, run in
# the order of its number; everything distribution specific is in distros/<name>.sh.
set -Eeuo pipefail

BOOTSTRAP_HOME=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly BOOTSTRAP_HOME

# shellcheck source=lib/common.sh
source "$BOOTSTRAP_HOME/lib/common.sh"
# shellcheck source=lib/options.sh
source "$BOOTSTRAP_HOME/lib/options.sh"
# shellcheck source=lib/disk.sh
source "$BOOTSTRAP_HOME/lib/disk.sh"
# shellcheck source=lib/verify.sh
source "$BOOTSTRAP_HOME/lib/verify.sh"
# shellcheck source=lib/render.sh
source "$BOOTSTRAP_HOME/lib/render.sh"

CURRENT_PHASE=options

on_err() {
  local status=$?
  record_failure "'$BASH_COMMAND' failed with status $status (${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]})"
}

on_signal() {
  record_failure "interrupted by SIG$1"
  exit "$2"
}

# Undoes every side effect still on the stack; on failure the reason is the very last line of output.
on_exit() {
  local status=$? reason=''
  trap - ERR
  set +e
  undo_all
  if [[ -n $REASON_FILE ]]; then
    reason=$(cat -- "$REASON_FILE" 2>/dev/null)
    rm -f -- "$REASON_FILE"
  fi
  if ((status != 0)); then
    log "bootstrap failed in phase $CURRENT_PHASE: ${reason:-exit status $status}"
  fi
  exit "$status"
}

warn_about_test_seams() {
  local seam
  for seam in BOOTSTRAP_TEST_BY_ID_DIR BOOTSTRAP_TEST_PARTITION_RESOLVER BOOTSTRAP_TEST_PINNED_KEYS \
    BOOTSTRAP_TEST_VERIFY_ONLY; do
    if [[ -n ${!seam:-} ]]; then
      warn "test seam $seam=${!seam} is set; it has no place in a real build"
    fi
  done
}

# Each lib/phases/NN-name.sh defines phase_name (dashes become underscores). PHASE_SECONDS collects
# "name:seconds" for the result line, so a build's summary has a real timeline.
PHASE_SECONDS=()
run_phases() {
  local file name started
  for file in "$BOOTSTRAP_HOME"/lib/phases/[0-9][0-9]-*.sh; do
    name=${file##*/}
    name=${name#[0-9][0-9]-}
    name=${name%.sh}
    # shellcheck source=/dev/null
    source "$file"
    CURRENT_PHASE=$name
    phase_log "starting"
    started=$SECONDS
    "phase_${name//-/_}"
    PHASE_SECONDS+=("$name:$((SECONDS - started))")
    phase_log "done in $((SECONDS - started))s"
  done
}

# The last line of a successful run, read by the workflow: what went into the image and how long each phase took.
print_result_line() {
  local IFS=,
  printf 'AMI-BUILD-RESULT stage3_url=%s stage3_sha256=%s kernel=%s phases=%s\n' "$STAGE3_URL" "$STAGE3_SHA256" \
    "$KERNEL_VERSION" "${PHASE_SECONDS[*]}"
}

# --verify-only: the stage3 is resolved, downloaded and verified exactly as in a build (the same phase file),
# then the run stops; no disk, no tools installed, no lock, the architecture need not be this machine's.
run_verify_only() {
  CURRENT_PHASE=check-helper
  phase_log "verify only: no disk is looked for or touched"
  local tool
  for tool in curl gpg sha256sum awk; do
    command -v "$tool" >/dev/null || die "--verify-only needs $tool on this machine"
  done
  if [[ -z $WORKDIR ]]; then
    WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/funtoo-ami-verify.XXXXXX")
    push_undo rm -rf --one-file-system -- "$WORKDIR"
  fi
  # shellcheck source=lib/phases/20-fetch-stage3.sh
  source "$BOOTSTRAP_HOME/lib/phases/20-fetch-stage3.sh"
  CURRENT_PHASE=fetch-stage3
  phase_log "starting"
  phase_fetch_stage3
  printf 'STAGE3-VERIFIED stage3_url=%s stage3_sha256=%s signer=%s\n' "$STAGE3_URL" "$STAGE3_SHA256" \
    "$STAGE3_SIGNER"
}

main() {
  REASON_FILE=$(mktemp "${TMPDIR:-/tmp}/bootstrap-reason.XXXXXX")
  trap on_exit EXIT
  trap on_err ERR
  trap 'on_signal INT 130' INT
  trap 'on_signal TERM 143' TERM
  trap 'on_signal HUP 129' HUP
  parse_options "$@"
  warn_about_test_seams
  CURRENT_PHASE=distribution
  # shellcheck source=/dev/null
  source "$BOOTSTRAP_HOME/distros/$DISTRIBUTION.sh"
  local reason
  if ! reason=$(distro_supports_arch "$ARCH"); then
    die_usage "--distribution $DISTRIBUTION --arch $ARCH is not supported: $reason"
  fi
  if [[ $VERIFY_ONLY == yes ]]; then
    log "funtoo-ami-builder bootstrap: verify the $(distro_display_name) $ARCH stage3 only"
    run_verify_only
    return 0
  fi
  log "funtoo-ami-builder bootstrap: $(distro_display_name) $ARCH onto ${DEVICE:-EBS volume $VOLUME_ID}, boot mode $BOOT_MODE"
  run_phases
  print_result_line
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
