#!/usr/bin/env bats
# The helper check: which package provides a missing tool on the helper images we expect (AL2023, Debian).

load helpers/common

setup() {
  load_bootstrap_libs
  load_phase 00-check-helper
}

@test "missingToolsMapToTheirPackagesPerPackageManager" {
  [ "$(tool_package dnf sgdisk)" = gdisk ]
  [ "$(tool_package dnf mkfs.vfat)" = dosfstools ]
  [ "$(tool_package dnf gpg)" = gnupg2 ]
  [ "$(tool_package apt-get gpg)" = gnupg ]
  [ "$(tool_package dnf xz)" = xz ]
  [ "$(tool_package apt-get xz)" = xz-utils ]
  [ "$(tool_package dnf flock)" = util-linux ]
}

@test "thisMachineHasEveryRequiredTool" {
  run missing_tools
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}
