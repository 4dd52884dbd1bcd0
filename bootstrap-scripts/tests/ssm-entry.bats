#!/usr/bin/env bats
# ssm-entry.sh, what the SSM document runs: each SSM_<parameter> becomes bootstrap.sh's option as lib/parameters.sh
# declares it, as one argument, never evaluated; the output is logged, its tail goes to stderr, the status is kept.

load helpers/common

# A copy of the entry point and its declaration beside a bootstrap.sh stand-in that records its arguments, one a line.
setup() {
  ENTRY=$BATS_TEST_TMPDIR/scripts
  mkdir -p "$ENTRY/lib"
  cp "$BOOTSTRAP_DIR/ssm-entry.sh" "$ENTRY/"
  cp "$BOOTSTRAP_DIR/lib/parameters.sh" "$ENTRY/lib/"
  cat >"$ENTRY/bootstrap.sh" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$ARGS_FILE"
for i in $(seq 1 "${STUB_LINES:-1}"); do echo "line $i"; done
echo "to stderr" >&2
exit "${STUB_STATUS:-0}"
STUB
  export ARGS_FILE=$BATS_TEST_TMPDIR/args
}

# Runs the entry point with only the given variables and PATH in its environment.
entry() {
  env -i PATH="$PATH" ARGS_FILE="$ARGS_FILE" "$@" bash "$ENTRY/ssm-entry.sh" "$BATS_TEST_TMPDIR/log/bootstrap.log"
}

@test "everyDeclaredParameterBecomesItsOptionWithItsValueAsOneArgument" {
  entry SSM_volumeId=vol-0123456789abcdef0 SSM_distribution=gentoo SSM_architecture=arm64 \
    SSM_stage3BaseUrl=https://distfiles.gentoo.org/releases SSM_stage3Release=20260301T170000Z \
    SSM_stage3Subarch=arm64-openrc+llvm SSM_verifySignature=false SSM_hostname=web-1 SSM_bootMode=uefi \
    "SSM_extraPackages=>=dev-lang/perl-5.38:0 app-misc/tmux" SSM_buildId=build-1 2>/dev/null
  run cat "$ARGS_FILE"
  [ "$output" = "--arch
arm64
--boot-mode
uefi
--distribution
gentoo
--extra-packages
>=dev-lang/perl-5.38:0 app-misc/tmux
--hostname
web-1
--stage3-base-url
https://distfiles.gentoo.org/releases
--release
20260301T170000Z
--subarch
arm64-openrc+llvm
--verify-signature
false
--volume-id
vol-0123456789abcdef0" ]
}

@test "emptyParametersAreLeftOutSoBootstrapShUsesItsDefaults" {
  entry SSM_volumeId=vol-0123456789abcdef0 SSM_stage3Url= SSM_stage3Sha256= SSM_extraPackages= 2>/dev/null
  run cat "$ARGS_FILE"
  [ "$output" = "--volume-id
vol-0123456789abcdef0" ]
}

@test "valuesWithShellSyntaxArePassedVerbatimNeverEvaluated" {
  local marker=$BATS_TEST_TMPDIR/evaluated
  entry SSM_volumeId=vol-0123456789abcdef0 "SSM_hostname=\$(touch $marker)" "SSM_extraPackages=a/b; touch $marker" \
    2>/dev/null
  [ ! -e "$marker" ]
  run cat "$ARGS_FILE"
  [ "${lines[1]}" = "a/b; touch $marker" ]
  [ "${lines[3]}" = "\$(touch $marker)" ]
}

@test "theOutputIsLoggedItsLast40LinesGoToStderrAndTheStatusIsBootstrapShs" {
  local out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr code=0
  entry SSM_volumeId=vol-0123456789abcdef0 STUB_LINES=50 STUB_STATUS=3 >"$out" 2>"$err" || code=$?
  [ "$code" -eq 3 ]
  [ "$(wc -l <"$BATS_TEST_TMPDIR/log/bootstrap.log")" -eq 51 ]
  [ "$(wc -l <"$err")" -eq 40 ]
  [ "$(tail -n 1 "$err")" = "to stderr" ]
  [ "$(head -n 1 "$err")" = "line 12" ]
  [ "$(wc -l <"$out")" -eq 51 ]
}

@test "withTheRealBootstrapABadValueFailsWithTheReasonLast" {
  local err=$BATS_TEST_TMPDIR/stderr code=0
  env -i PATH="$PATH" SSM_volumeId=vol-0123456789abcdef0 "SSM_extraPackages=app-misc/tmux"$'\n'"app-misc/screen" \
    bash "$BOOTSTRAP_DIR/ssm-entry.sh" "$BATS_TEST_TMPDIR/log/bootstrap.log" >/dev/null 2>"$err" || code=$?
  [ "$code" -eq 2 ]
  [ "$(tail -n 1 "$err")" = "bootstrap failed in phase options: --extra-packages: 'app-misc/tmux\\napp-misc/screen' is not a package atom" ]
}
