#!/usr/bin/env bats
# Static checks: shellcheck on every script, the distribution interface, the phase convention, and the one test
# command shared by README.md and .ci/run.

load helpers/common

# Every shell script of bootstrap-scripts: by extension, or by a shell/openrc shebang.
shell_scripts() {
  local file
  while IFS= read -r -d '' file; do
    case $file in
      *.sh | *.bash | *.bats) printf '%s\n' "$file" ;;
      *) head -n 1 "$file" | grep -Eq '^#!.*(/bash|/sh|openrc-run|env bash|env sh)' && printf '%s\n' "$file" ;;
    esac
  done < <(find "$BOOTSTRAP_DIR" -type f ! -name '*.md' ! -name '*.txt' -print0) | sort
}

readonly INTERFACE=(distro_display_name distro_supports_arch distro_default_base_url distro_default_release distro_default_subarch
  distro_stage3_url distro_verify distro_sync_repository distro_configure distro_kernel distro_bootloader_update
  distro_scrub_paths)

@test "everyShellScriptPassesShellcheck" {
  local -a scripts
  mapfile -t scripts < <(shell_scripts)
  ((${#scripts[@]} >= 25)) || { echo "found only ${#scripts[@]} scripts"; return 1; }
  shellcheck --external-sources --source-path=SCRIPTDIR "${scripts[@]}"
}

@test "noShellcheckWarningIsSwitchedOff" {
  # The brackets keep this line from matching itself.
  run grep -rn -e 'shellcheck[ ]disable' -e 'disable[=]SC' "$BOOTSTRAP_DIR"
  [ "$status" -eq 1 ]
  [ ! -e "$BOOTSTRAP_DIR/.shellcheckrc" ]
  [ ! -e "$REPO_DIR/.shellcheckrc" ]
}

@test "everyDistributionImplementsTheWholeInterface" {
  local file function
  for file in "$BOOTSTRAP_DIR"/distros/*.sh; do
    for function in "${INTERFACE[@]}"; do
      # shellcheck source=/dev/null
      (source "$file" && declare -F "$function" >/dev/null) || { echo "${file##*/} lacks $function"; return 1; }
    done
  done
}

@test "everyPhaseFileDefinesThePhaseFunctionItsNameImplies" {
  local file name count=0
  for file in "$BOOTSTRAP_DIR"/lib/phases/*.sh; do
    name=${file##*/}
    [[ $name =~ ^[0-9][0-9]-[a-z0-9-]+\.sh$ ]] || { echo "$name does not follow NN-name.sh"; return 1; }
    name=${name:3:-3}
    grep -q "^phase_${name//-/_}() {" "$file" || { echo "${file##*/} does not define phase_${name//-/_}"; return 1; }
    count=$((count + 1))
  done
  [ "$count" -ge 10 ]
}

@test "readmeAndCiRunTheSameTestCommand" {
  local readme_command ci_command
  readme_command=$(awk '/^## Test everything/ { section = 1 } section && /^```sh/ { getline; print; exit }' "$REPO_DIR/README.md")
  ci_command=$(grep '^apt-get ' "$REPO_DIR/.ci/run")
  [ -n "$readme_command" ]
  [ "$readme_command" = "$ci_command" ]
  [[ $readme_command == *" && bats --recursive bootstrap-scripts/tests" ]]
}
