#!/usr/bin/env bats
# Option parsing of bootstrap.sh: named options only, every error a clear reason on the last line.

load helpers/common

VOL=vol-0123456789abcdef0

setup() {
  load_bootstrap_libs
}

@test "helpDocumentsEveryOptionAndExitsZero" {
  run "$BOOTSTRAP_DIR/bootstrap.sh" --help
  [ "$status" -eq 0 ]
  local option
  for option in --volume-id --distribution --arch --stage3-url --stage3-base-url --release --subarch \
    --stage3-sha256 --verify-signature --hostname --boot-mode --extra-packages --workdir --device --progress --help; do
    [[ $output == *"  $option "* ]] || { echo "--help does not document $option"; return 1; }
  done
}

@test "missingVolumeIdFailsWithTheReasonLast" {
  run "$BOOTSTRAP_DIR/bootstrap.sh" --distribution funtoo
  [ "$status" -eq 2 ]
  [ "${lines[-1]}" = "bootstrap failed in phase options: --volume-id is required" ]
}

@test "unknownOptionFailsWithTheReasonLast" {
  run "$BOOTSTRAP_DIR/bootstrap.sh" --volume-id "$VOL" --colour blue
  [ "$status" -eq 2 ]
  [ "${lines[-1]}" = "bootstrap failed in phase options: unknown option --colour" ]
}

@test "positionalArgumentIsRefused" {
  run "$BOOTSTRAP_DIR/bootstrap.sh" "$VOL"
  [ "$status" -eq 2 ]
  [[ ${lines[-1]} == *"unexpected argument '$VOL': bootstrap.sh takes named options only" ]]
}

@test "optionWithoutValueIsRefused" {
  run parse_options --volume-id
  [ "$status" -eq 2 ]
  [[ $output == *"option --volume-id needs a value"* ]]
}

@test "emptyValuesMeanNotGivenAndDefaultsApply" {
  parse_options --volume-id "$VOL" --distribution "" --arch "" --verify-signature "" --hostname "" \
    --boot-mode "" --workdir "" --stage3-url "" --extra-packages ""
  [ "$DISTRIBUTION" = funtoo ]
  [ "$ARCH" = "$(helper_arch)" ]
  [ "$VERIFY_SIGNATURE" = yes ]
  [ "$TARGET_HOSTNAME" = funtoo ]
  [ "$WORKDIR" = /var/tmp/funtoo-ami-builder ]
  [ -z "$STAGE3_URL" ]
  [ "${#EXTRA_ATOMS[@]}" -eq 0 ]
}

@test "equalsFormAndSpaceFormAreBothAccepted" {
  parse_options --volume-id="$VOL" --distribution=gentoo --arch arm64 --hostname=web-1.example.com
  [ "$VOLUME_ID" = "$VOL" ]
  [ "$DISTRIBUTION" = gentoo ]
  [ "$ARCH" = arm64 ]
  [ "$TARGET_HOSTNAME" = web-1.example.com ]
}

@test "bootModeDefaultsToUefiPreferredOnX86AndUefiOnArm64" {
  parse_options --volume-id "$VOL" --arch x86_64
  [ "$BOOT_MODE" = uefi-preferred ]
  parse_options --volume-id "$VOL" --arch arm64
  [ "$BOOT_MODE" = uefi ]
}

@test "legacyBiosIsRefusedOnArm64" {
  run parse_options --volume-id "$VOL" --arch arm64 --boot-mode legacy-bios
  [ "$status" -eq 2 ]
  [[ $output == *"--boot-mode legacy-bios is not available on arm64"* ]]
}

@test "verifySignatureAcceptsYesNoTrueFalseOnly" {
  parse_options --volume-id "$VOL" --verify-signature false
  [ "$VERIFY_SIGNATURE" = no ]
  parse_options --volume-id "$VOL" --verify-signature TRUE
  [ "$VERIFY_SIGNATURE" = yes ]
  run parse_options --volume-id "$VOL" --verify-signature maybe
  [ "$status" -eq 2 ]
  [[ $output == *"--verify-signature must be yes or no"* ]]
}

@test "volumeIdAcceptsBothSpellingsAndRefusesOthers" {
  parse_options --volume-id vol0123456789abcdef0
  [ "$VOLUME_ID" = vol0123456789abcdef0 ]
  run parse_options --volume-id /dev/nvme1n1
  [ "$status" -eq 2 ]
  [[ $output == *"is not an EBS volume id"* ]]
}

@test "unsupportedDistributionNamesTheSupportedOnes" {
  run parse_options --volume-id "$VOL" --distribution ubuntu
  [ "$status" -eq 2 ]
  [[ $output == *"--distribution 'ubuntu' is not supported (have: funtoo gentoo)"* ]]
}

@test "distributionNameCannotEscapeTheDistrosDirectory" {
  run parse_options --volume-id "$VOL" --distribution ../lib/common
  [ "$status" -eq 2 ]
  [[ $output == *"is not supported"* ]]
}

@test "unsupportedArchitectureIsRefused" {
  run parse_options --volume-id "$VOL" --arch riscv64
  [ "$status" -eq 2 ]
  [[ $output == *"--arch 'riscv64' is not supported"* ]]
}

@test "urlWithShellSyntaxIsRefused" {
  run parse_options --volume-id "$VOL" --stage3-url "https://example.com/\$(reboot).tar.xz"
  [ "$status" -eq 2 ]
  [[ $output == *"is not an https URL (--stage3-url)"* ]]
  run parse_options --volume-id "$VOL" --stage3-base-url 'ftp://example.com/funtoo'
  [ "$status" -eq 2 ]
}

@test "plainHttpIsAcceptedForTheLoopbackTestServerOnly" {
  parse_options --volume-id "$VOL" --stage3-base-url "http://127.0.0.1:8080/funtoo"
  [ "$STAGE3_BASE_URL" = "http://127.0.0.1:8080/funtoo" ]
  run parse_options --volume-id "$VOL" --stage3-base-url "http://build.funtoo.org"
  [ "$status" -eq 2 ]
  [[ $output == *"'http://build.funtoo.org' is not an https URL (--stage3-base-url)"* ]]
}

@test "sha256MustBe64HexDigitsAndIsLowercased" {
  parse_options --volume-id "$VOL" --stage3-sha256 "$(printf 'AB%.0s' {1..32})"
  [ "$PINNED_SHA256" = "$(printf 'ab%.0s' {1..32})" ]
  run parse_options --volume-id "$VOL" --stage3-sha256 abc123
  [ "$status" -eq 2 ]
  [[ $output == *"--stage3-sha256 must be 64 hex digits"* ]]
}

@test "hostnameMustBeAValidHostname" {
  run parse_options --volume-id "$VOL" --hostname 'web_1;reboot'
  [ "$status" -eq 2 ]
  [[ $output == *"is not a valid hostname"* ]]
}

@test "extraPackagesAreSplitIntoAtoms" {
  parse_options --volume-id "$VOL" --extra-packages ">=app-editors/vim-9.0 app-misc/tmux:0 dev-vcs/git"
  [ "${#EXTRA_ATOMS[@]}" -eq 3 ]
  [ "${EXTRA_ATOMS[0]}" = ">=app-editors/vim-9.0" ]
  [ "${EXTRA_ATOMS[1]}" = "app-misc/tmux:0" ]
}

@test "extraPackagesAfterANewlineAreCheckedNotDropped" {
  run parse_options --volume-id "$VOL" --extra-packages $'app-misc/tmux\napp-misc/screen;reboot'
  [ "$status" -eq 2 ]
  [[ $output == *"--extra-packages: 'app-misc/tmux\napp-misc/screen;reboot' is not a package atom"* ]]
  run parse_options --volume-id "$VOL" --extra-packages "app-misc/tmux  app-misc/screen"
  [ "$status" -eq 2 ]
  [[ $output == *"atoms must be separated by single spaces"* ]]
}

@test "atomsWithSlotsRepositoriesAndVersionsAreAcceptedLikeTheValidatorDoes" {
  parse_options --volume-id "$VOL" --extra-packages ">=dev-lang/perl-5.38:0 =dev-lang/python-3.12.3:3.12 =sys-kernel/gentoo-sources-6.6.30::gentoo _a/_b"
  [ "${#EXTRA_ATOMS[@]}" -eq 4 ]
  run parse_options --volume-id "$VOL" --extra-packages ">=dev-lang/perl:0"
  [ "$status" -eq 2 ]
  [[ $output == *"'>=dev-lang/perl:0' has a version operator but no version"* ]]
  run parse_options --volume-id "$VOL" --extra-packages "dev-lang/perl-5*"
  [ "$status" -eq 2 ]
  [[ $output == *"may end in * only after the = operator"* ]]
}

@test "extraPackageLookingLikeAnEmergeOptionIsRefused" {
  run parse_options --volume-id "$VOL" --extra-packages "app-misc/tmux --config-root=/tmp"
  [ "$status" -eq 2 ]
  [[ $output == *"'--config-root=/tmp' is not a package atom"* ]]
}

@test "releaseAndSubarchRefuseDirectoryTraversal" {
  run parse_options --volume-id "$VOL" --release ../../etc
  [ "$status" -eq 2 ]
  run parse_options --volume-id "$VOL" --subarch 'generic_64/../x'
  [ "$status" -eq 2 ]
}

@test "workdirMustBeAnAbsolutePathOtherThanRoot" {
  run parse_options --volume-id "$VOL" --workdir relative/dir
  [ "$status" -eq 2 ]
  run parse_options --volume-id "$VOL" --workdir /
  [ "$status" -eq 2 ]
  parse_options --volume-id "$VOL" --workdir /mnt/build
  [ "$WORKDIR" = /mnt/build ]
}

@test "deviceNamesTheTargetDiskInPlaceOfAVolumeIdNeverBesideIt" {
  parse_options --device /dev/loop7 --progress
  [ "$DEVICE" = /dev/loop7 ]
  [ -z "$VOLUME_ID" ]
  progress_requested
  parse_options --volume-id "$VOL"
  ! progress_requested || { echo "--progress without asking for it"; return 1; }
  run "$BOOTSTRAP_DIR/bootstrap.sh" --volume-id "$VOL" --device /dev/loop7
  [ "$status" -eq 2 ]
  [ "${lines[-1]}" = "bootstrap failed in phase options: --volume-id and --device name the target disk twice: give one of them" ]
}

@test "deviceMustBeAPathUnderDev" {
  local path
  for path in loop7 /tmp/disk.img /dev/../etc/passwd '/dev/loop7;reboot' /dev/; do
    run "$BOOTSTRAP_DIR/bootstrap.sh" --device "$path"
    [ "$status" -eq 2 ]
    [ "${lines[-1]}" = "bootstrap failed in phase options: --device '$path' is not a device path under /dev (e.g. /dev/loop0)" ] ||
      { echo "accepted: $path"; return 1; }
  done
}
