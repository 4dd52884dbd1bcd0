#!/usr/bin/env bash
# What the stack's SSM document runs (the step RunBootstrap), from the unpacked scripts asset: turns the document's
# parameters into bootstrap.sh's named options and runs it.
#
# SSM passes each parameter only as the environment variable SSM_<name> (interpolationType ENV_VAR); "" means
# "not given". Which option a parameter becomes is lib/parameters.sh, generated from the declaration of the
# bootstrap parameters (lambdas .../core/BootstrapParameter.java). No value is ever evaluated by a shell: each
# travels as one quoted array element.
#
# Usage: ssm-entry.sh LOG_FILE
#   bootstrap.sh's output (stdout and stderr) goes to LOG_FILE and to stdout (the command's output); the last 40
#   lines of the log then go to stderr, where the workflow reads the result line or the reason of a failure
#   (SSM keeps the first 8000 characters of each stream). The exit status is bootstrap.sh's.
set -euo pipefail

ENTRY_HOME=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly ENTRY_HOME
readonly TAIL_LINES=40

# shellcheck source=lib/parameters.sh
source "$ENTRY_HOME/lib/parameters.sh"

# The bootstrap.sh arguments for the SSM_* variables of this environment, NUL-separated, in a stable order.
bootstrap_arguments() {
  local name value
  while read -r name; do
    value=SSM_$name
    value=${!value:-}
    if [[ -n $value ]]; then
      printf '%s\0%s\0' "$(ssm_parameter_option "$name")" "$value"
    fi
  done < <(ssm_parameter_names)
}

main() {
  local log=${1:?usage: ssm-entry.sh LOG_FILE} status
  local -a args
  mapfile -d '' -t args < <(bootstrap_arguments)
  mkdir -p -- "$(dirname -- "$log")"
  # no --workdir: bootstrap.sh's fixed default, so that a rerun after a killed run finds its lock and the mounts
  # that run left behind
  set +e
  bash "$ENTRY_HOME/bootstrap.sh" "${args[@]}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  tail -n "$TAIL_LINES" -- "$log" >&2
  exit "$status"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
