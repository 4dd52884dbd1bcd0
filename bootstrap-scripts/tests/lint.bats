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

# Each phase file's header says what it reads (and from where), what it sets and which distribution functions it
# calls; checked against the code (helpers/phase-vars.bash), and every global a phase reads must have been set by
# the options, bootstrap.sh, the SSM environment or an earlier phase.
@test "everyPhaseHeaderSaysWhatThePhaseReadsSetsAndCalls" {
  load helpers/phase-vars
  local file phase reads_text sets_text calls_text group names source name
  local -A set_by=() phase_index=()
  local index=0
  for name in $(phase_sets "$BOOTSTRAP_DIR/lib/options.sh"); do set_by[$name]+=" options"; done
  for name in $(phase_sets "$BOOTSTRAP_DIR/bootstrap.sh") $(constants_of "$BOOTSTRAP_DIR/bootstrap.sh"); do
    set_by[$name]+=" bootstrap.sh"
  done
  for file in "$BOOTSTRAP_DIR"/lib/phases/*.sh; do
    phase=${file##*/}
    phase=${phase:3:-3}
    index=$((index + 1))
    phase_index[$phase]=$index
    reads_text=$(header_text "$file" Reads) || { echo "${file##*/} has no '# Reads:' line"; return 1; }
    sets_text=$(header_text "$file" Sets) || { echo "${file##*/} has no '# Sets:' line"; return 1; }
    calls_text=$(header_text "$file" 'Calls from the distribution file') ||
      { echo "${file##*/} has no '# Calls from the distribution file:' line"; return 1; }
    [[ $sets_text == nothing ]] && sets_text=''
    [[ $calls_text == nothing ]] && calls_text=''

    [ "$(names_without "$sets_text")" = "$(phase_sets "$file")" ] ||
      { echo "${file##*/}: header Sets '$sets_text', code sets '$(phase_sets "$file")'"; return 1; }
    [ "$(names_without "$calls_text")" = "$(distro_calls "$file")" ] ||
      { echo "${file##*/}: header Calls '$calls_text', code calls '$(distro_calls "$file")'"; return 1; }

    # Reads: groups "NAMES (source)" separated by ';'. Every name read and not set here is listed; every name
    # listed is read and set by its source, which runs before this phase.
    local listed=''
    IFS=';' read -r -a groups <<<"$reads_text"
    for group in "${groups[@]}"; do
      [[ $group =~ ^\ *([A-Za-z0-9_ ]+)\ \(([a-z0-9.-]+)\)\ *$ ]] ||
        { echo "${file##*/}: '$group' is not 'NAMES (source)'"; return 1; }
      names=${BASH_REMATCH[1]} source=${BASH_REMATCH[2]}
      for name in $names; do
        listed+=" $name"
        case $source in
          environment) [[ $name == SSM_* ]] || { echo "${file##*/}: $name is not an SSM parameter's variable"; return 1; } ;;
          options | bootstrap.sh) [[ ${set_by[$name]:-} == *" $source"* ]] ||
            { echo "${file##*/}: $name is not set by $source"; return 1; } ;;
          *) [[ -n ${phase_index[$source]:-} ]] || { echo "${file##*/}: $source is not an earlier phase"; return 1; }
            [[ ${set_by[$name]:-} == *" $source"* ]] || { echo "${file##*/}: $name is not set by $source"; return 1; } ;;
        esac
      done
    done
    local required
    required=$(names_without "$(phase_reads "$file")" "$(phase_sets "$file")")
    for name in $required; do
      [[ " $listed " == *" $name "* ]] || { echo "${file##*/} reads $name; its header does not say so"; return 1; }
    done
    for name in $listed; do
      [[ " $(phase_reads "$file") " == *" $name "* ]] || { echo "${file##*/}: header lists $name, never read"; return 1; }
    done
    for name in $(phase_sets "$file"); do set_by[$name]+=" $phase"; done
  done
  [ "$index" -ge 10 ]
}
