#!/usr/bin/env bats
# bootstrap.sh end to end, as root, against sparse files on loop devices posing as EBS volumes, with a fixture
# stage3 served from loopback. The kernel of the test machine reads no partition tables, so partitions are
# reached through helpers/partition-resolver; the volume is found through a by-id directory the test fills.

load helpers/common
load helpers/fixture

bats_require_minimum_version 1.5.0

# One volume goes through a build that fails inside the chroot and then a rerun that succeeds; the tests below
# inspect what both runs left. The other tests each run bootstrap.sh once on a fresh volume.
setup_file() {
  export WWW=$BATS_FILE_TMPDIR/www BY_ID=$BATS_FILE_TMPDIR/by-id WORK=$BATS_FILE_TMPDIR/work
  export PINNED=$BATS_FILE_TMPDIR/pinned-keys.txt INSPECT=$BATS_FILE_TMPDIR/inspect
  if ! grep -qw vfat /proc/filesystems && ! modprobe vfat 2>/dev/null; then
    export PATH=$HELPERS_DIR/no-vfat:$PATH
  fi
  local release_home=$BATS_FILE_TMPDIR/release-key rogue_home=$BATS_FILE_TMPDIR/rogue-key
  RELEASE_FPR=$(make_gpg_key "$release_home" release)
  make_gpg_key "$rogue_home" rogue >/dev/null
  export RELEASE_FPR

  local distribution
  for distribution in funtoo gentoo; do
    build_stage3_tree "$BATS_FILE_TMPDIR/tree-$distribution" "$distribution"
    pack_stage3 "$BATS_FILE_TMPDIR/tree-$distribution" "$BATS_FILE_TMPDIR/$distribution.tar.xz"
  done
  head -c 200000 "$BATS_FILE_TMPDIR/funtoo.tar.xz" >"$BATS_FILE_TMPDIR/truncated.tar.xz"
  publish_funtoo "$WWW" next "$BATS_FILE_TMPDIR/funtoo.tar.xz" "$release_home"
  publish_funtoo "$WWW" badsig "$BATS_FILE_TMPDIR/funtoo.tar.xz" "$rogue_home"
  publish_funtoo "$WWW" badsum "$BATS_FILE_TMPDIR/funtoo.tar.xz" "$release_home"
  printf 'sha256 %s\n' "$(printf 'a%.0s' {1..64})" >"$WWW/funtoo/badsum/x86-64bit/generic_64/stage3-latest.tar.xz.hash.txt"
  publish_funtoo "$WWW" truncated "$BATS_FILE_TMPDIR/truncated.tar.xz" "$release_home"
  publish_gentoo "$WWW" "$BATS_FILE_TMPDIR/gentoo.tar.xz" "$release_home"
  mkdir -p "$WWW/keys"
  GNUPGHOME=$release_home gpg --batch --armor --export "$RELEASE_FPR" >"$WWW/keys/release.asc"
  stop_gpg_agents "$release_home" "$rogue_home"
  start_http_server "$WWW"
  printf '%s %s http://127.0.0.1:%s/keys/release.asc\n' funtoo "$RELEASE_FPR" "$HTTP_PORT" gentoo "$RELEASE_FPR" "$HTTP_PORT" >"$PINNED"

  export REUSED_DISK
  REUSED_DISK=$(attach_volume "$BATS_FILE_TMPDIR/reused.img" vol-0aaaaaaaaaaaaaaa1 "$BY_ID")
  record_run failed vol-0aaaaaaaaaaaaaaa1 "$REUSED_DISK" --extra-packages "app-misc/fixture-fails-to-build"
  classify_volume "$REUSED_DISK" >"$BATS_FILE_TMPDIR/failed.disk"
  record_run rerun vol-0aaaaaaaaaaaaaaa1 "$REUSED_DISK" --hostname builder-test
  inspect_volume "$REUSED_DISK" 2 3
}

teardown_file() {
  detach_volume "$REUSED_DISK"
  stop_http_server
}

teardown() {
  if [[ -n ${TEST_DISK:-} ]]; then
    detach_volume "$TEST_DISK"
  fi
}

# LAUNCHER, when set, is a command prefix (the interruption tests run bootstrap.sh in its own session).
bootstrap() {
  local -a launcher=("${LAUNCHER[@]}")
  "${launcher[@]}" env BOOTSTRAP_TEST_BY_ID_DIR="$BY_ID" BOOTSTRAP_TEST_PARTITION_RESOLVER="$HELPERS_DIR/partition-resolver" \
    BOOTSTRAP_TEST_PINNED_KEYS="$PINNED" "$BOOTSTRAP_DIR/bootstrap.sh" --workdir "$WORK" \
    --stage3-base-url "http://127.0.0.1:$HTTP_PORT/funtoo" "$@"
}
LAUNCHER=()

# Starts a build that hangs in the chroot (a package that takes long), waits until it is there, then sends
# `signal` to its whole process group; the build's output is in $BATS_TEST_TMPDIR/out, its status in STATUS.
interrupt_build_in_chroot() {
  local volume_id=$1 signal=$2 pidfile=$BATS_TEST_TMPDIR/pid waited=0
  LAUNCHER=("$HELPERS_DIR/in-new-session" "$pidfile")
  bootstrap --volume-id "$volume_id" --extra-packages app-misc/fixture-takes-long >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local job=$!
  until grep -qs fixture-takes-long "$WORK/root/var/lib/fixture/calls.log"; do
    ((waited++ < 150)) || { echo "the build never reached the slow package" >&2; return 1; }
    sleep 0.2
  done
  kill "-$signal" -- "-$(cat "$pidfile")"
  STATUS=0
  wait "$job" || STATUS=$?
  LAUNCHER=()
}

# Runs bootstrap.sh in setup_file and keeps its output, status and what it left behind for the tests.
record_run() {
  local name=$1 volume_id=$2 disk=$3 status=0
  shift 3
  bootstrap --volume-id "$volume_id" "$@" >"$BATS_FILE_TMPDIR/$name.out" 2>&1 || status=$?
  echo "$status" >"$BATS_FILE_TMPDIR/$name.status"
  mounts_under "$WORK" >"$BATS_FILE_TMPDIR/$name.mounts"
  loops_on "$disk" >"$BATS_FILE_TMPDIR/$name.loops"
}

recorded() {
  status=$(cat "$BATS_FILE_TMPDIR/$1.status")
  output=$(cat "$BATS_FILE_TMPDIR/$1.out")
  mapfile -t lines <"$BATS_FILE_TMPDIR/$1.out"
}

classify_volume() {
  (load_bootstrap_libs && classify_disk "$1" x86_64)
}

# Copies the installed root out of the volume, with the partition table and filesystem facts.
inspect_volume() {
  local disk=$1 esp_number=$2 root_number=$3 esp root
  mkdir -p "$INSPECT/mnt"
  sgdisk --print "$disk" >"$INSPECT/sgdisk.txt"
  esp=$("$HELPERS_DIR/partition-resolver" resolve "$disk" "$esp_number")
  root=$("$HELPERS_DIR/partition-resolver" resolve "$disk" "$root_number")
  blkid --probe --output export "$esp" >"$INSPECT/esp.blkid"
  blkid --probe --output export "$root" >"$INSPECT/root.blkid"
  mount -o ro "$root" "$INSPECT/mnt"
  cp -a "$INSPECT/mnt" "$INSPECT/image"
  umount "$INSPECT/mnt"
  "$HELPERS_DIR/partition-resolver" release "$disk"
}

blkid_value() {
  awk -F= -v key="$2" '$1 == key { print $2 }' "$INSPECT/$1.blkid"
}

calls() {
  cat "$INSPECT/image/var/lib/fixture/calls.log"
}

# A fresh volume for one test, in TEST_DISK; teardown detaches it.
attach_test_volume() {
  TEST_DISK=$(attach_volume "$BATS_TEST_TMPDIR/volume.img" "$1" "$BY_ID")
}

# Runs bootstrap.sh on a fresh volume; the run's leftovers go to LEFT_MOUNTS and LEFT_LOOPS.
run_on_new_volume() {
  local volume_id=$1
  shift
  attach_test_volume "$volume_id"
  run bootstrap --volume-id "$volume_id" "$@"
  LEFT_MOUNTS=$(mounts_under "$WORK")
  LEFT_LOOPS=$(loops_on "$TEST_DISK")
}

# --- the failed build and its rerun ---------------------------------------------------------------------------

@test "buildFailingInTheChrootExitsNonZeroWithTheReasonLast" {
  recorded failed
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "bootstrap failed in phase configure: 'emerge --noreplace --quiet-build=y --color=n app-misc/fixture-fails-to-build' failed in the chroot (status 1)" ]
}

@test "buildFailingInTheChrootLeavesNothingMountedAndNoPartitionLoop" {
  [ ! -s "$BATS_FILE_TMPDIR/failed.mounts" ]
  [ ! -s "$BATS_FILE_TMPDIR/failed.loops" ]
  grep -q "unmounted $WORK/root/proc" "$BATS_FILE_TMPDIR/failed.out"
  grep -q "unmounted $WORK/root/dev" "$BATS_FILE_TMPDIR/failed.out"
}

@test "rerunAfterAFailedBuildRedoesTheDiskAndSucceedsWithTheResultLineLast" {
  [ "$(cat "$BATS_FILE_TMPDIR/failed.disk")" = leftover ]
  recorded rerun
  [ "$status" -eq 0 ]
  [[ $output == *"carries the layout of an earlier failed run of this tool; it will be redone"* ]]
  local sha256
  sha256=$(sha256sum "$BATS_FILE_TMPDIR/funtoo.tar.xz" | cut -d' ' -f1)
  [[ ${lines[-1]} =~ ^"AMI-BUILD-RESULT stage3_url=http://127.0.0.1:$HTTP_PORT/funtoo/next/x86-64bit/generic_64/stage3-latest.tar.xz stage3_sha256=$sha256 kernel=$FIXTURE_KERNEL phases="$(phase_timeline_pattern)$ ]]
}

@test "successfulBuildLeavesNothingMountedAndNoPartitionLoop" {
  [ ! -s "$BATS_FILE_TMPDIR/rerun.mounts" ]
  [ ! -s "$BATS_FILE_TMPDIR/rerun.loops" ]
  [ ! -e "$WORK/download" ]
}

@test "partitionTableHasBiosBootThenEspThenRootFillingTheDisk" {
  local table
  table=$(awk '/^Number/ { on = 1; next } on { print $1, $6, $7 }' "$INSPECT/sgdisk.txt")
  [ "$table" = "1 EF02 ami-bios-boot
2 EF00 ami-esp
3 8300 ami-root" ]
  local last_usable root_end
  last_usable=$(awk '/last usable sector is/ { print $NF }' "$INSPECT/sgdisk.txt")
  root_end=$(awk '/^ +3 / { print $3 }' "$INSPECT/sgdisk.txt")
  [ "$root_end" = "$last_usable" ]
}

@test "filesystemsAreVfatAndExt4WithTheirLabels" {
  [ "$(blkid_value esp TYPE)" = vfat ]
  [ "$(blkid_value esp LABEL)" = EFI ]
  [ "$(blkid_value root TYPE)" = ext4 ]
  [ "$(blkid_value root LABEL)" = root ]
}

@test "fstabMountsTheRealFilesystemsByUuid" {
  local fstab=$INSPECT/image/etc/fstab
  [ "$(awk '$2 == "/" { print $1 }' "$fstab")" = "UUID=$(blkid_value root UUID)" ]
  [ "$(awk '$2 == "/boot/efi" { print $1 }' "$fstab")" = "UUID=$(blkid_value esp UUID)" ]
}

@test "bootLoaderIsInstalledForBiosAndUefiWithRootByUuid" {
  calls | grep -qx "grub-install --target=i386-pc --boot-directory=/boot $REUSED_DISK"
  calls | grep -qx "grub-install --target=x86_64-efi --efi-directory=/boot/efi --boot-directory=/boot --removable --no-nvram"
  calls | grep -qx "ego boot update"
  grep -q "params root=UUID=$(blkid_value root UUID) console=tty0 console=ttyS0,115200n8 .*nvme_core.io_timeout=4294967295" \
    "$INSPECT/image/etc/boot.conf"
  grep -Eq "^[[:space:]]*terminal serial$" "$INSPECT/image/etc/boot.conf"
  grep -q "^  linux .* root=UUID=$(blkid_value root UUID) " "$INSPECT/image/boot/grub/grub.cfg"
}

@test "packagesKernelAndServicesAreSetUpInTheChroot" {
  calls | grep -qx "ego sync"
  calls | grep -q "^emerge --noreplace .* sys-boot/grub net-misc/chrony net-misc/dhcpcd net-misc/curl"
  # The stage3's kernel is kept (rebuilding debian-sources compiles for hours); its initramfs is made again so
  # that it reaches a Xen block device too.
  run ! grep -q "^emerge .*sys-kernel/debian-sources" "$INSPECT/image/var/lib/fixture/calls.log"
  calls | grep -q "^emerge --noreplace .* sys-kernel/ramdisk$"
  calls | grep -qx "ramdisk build --kernel $FIXTURE_KERNEL --kpop=nvme,xen-blkfront,ext4 /boot/initramfs-debian-sources-x86_64-$FIXTURE_KERNEL.new"
  grep -q -- "--kpop=nvme,xen-blkfront,ext4" "$INSPECT/image/boot/initramfs-debian-sources-x86_64-$FIXTURE_KERNEL"
  [ ! -e "$INSPECT/image/etc/portage/package.use/funtoo-ami-builder" ]
  local service
  for service in "sshd default" "dhcpcd default" "chronyd default" "ami-growroot boot" "ami-firstboot default"; do
    calls | grep -qx "rc-update add $service" || { echo "not enabled: $service"; return 1; }
  done
  calls | grep -qx "passwd -l root"
  calls | grep -qx "locale-gen"
}

@test "firstBootServicesAreInstalledFromTheRepository" {
  local image=$INSPECT/image
  cmp "$BOOTSTRAP_DIR/firstboot/init.d/ami-firstboot" "$image/etc/init.d/ami-firstboot"
  cmp "$BOOTSTRAP_DIR/firstboot/init.d/ami-growroot" "$image/etc/init.d/ami-growroot"
  cmp "$BOOTSTRAP_DIR/firstboot/ami-firstboot.sh" "$image/usr/libexec/funtoo-ami-builder/firstboot"
  cmp "$BOOTSTRAP_DIR/firstboot/ami-growroot.sh" "$image/usr/libexec/funtoo-ami-builder/growroot"
  [ -x "$image/etc/init.d/ami-firstboot" ] && [ -x "$image/usr/libexec/funtoo-ami-builder/growroot" ]
}

@test "systemIsConfiguredForEc2" {
  local image=$INSPECT/image
  [ "$(cat "$image/etc/hostname")" = builder-test ]
  [ "$(readlink "$image/etc/localtime")" = ../usr/share/zoneinfo/UTC ]
  grep -qx 's0:12345:respawn:/sbin/agetty -L 115200 ttyS0 vt100' "$image/etc/inittab"
  [ "$(grep -ci '^permitrootlogin' "$image/etc/ssh/sshd_config")" -eq 1 ]
  grep -qx 'PermitRootLogin prohibit-password' "$image/etc/ssh/sshd_config"
  grep -qx 'PasswordAuthentication no' "$image/etc/ssh/sshd_config"
  grep -q '^server 169.254.169.123 ' "$image/etc/chrony/chrony.conf"
  grep -qx 'en_US.UTF-8 UTF-8' "$image/etc/locale.gen"
}

@test "imageCarriesNothingOfTheBuildOrOfTheHelper" {
  local image=$INSPECT/image
  [ -z "$(find "$image/etc/ssh" -name 'ssh_host_*')" ]
  [ ! -e "$image/etc/machine-id" ]
  [ ! -e "$image/root/.ssh/authorized_keys" ]
  [ ! -e "$image/root/.bash_history" ]
  [ ! -e "$image/etc/resolv.conf" ]
  [ ! -s "$image/var/log/messages" ]
  [ ! -e "$image/var/log/messages.1" ]
  [ -z "$(find "$image/var/cache/portage/distfiles" "$image/var/tmp" "$image/tmp" -mindepth 1)" ]
  [ "$(grep -c 'funtoo-ami-builder: build-time settings' "$image/etc/portage/make.conf")" -eq 0 ]
  grep -qx 'COMMON_FLAGS="-O2 -pipe"' "$image/etc/portage/make.conf"
  grep -qx 'GRUB_PLATFORMS="pc efi-64"' "$image/etc/portage/make.conf"
}

@test "buildInfoSaysWhatTheImageIsMadeOf" {
  local info=$INSPECT/image/etc/ami-build-info sha256
  sha256=$(sha256sum "$BATS_FILE_TMPDIR/funtoo.tar.xz" | cut -d' ' -f1)
  grep -qx 'DISTRIBUTION=funtoo' "$info"
  grep -qx "STAGE3_URL=http://127.0.0.1:$HTTP_PORT/funtoo/next/x86-64bit/generic_64/stage3-latest.tar.xz" "$info"
  grep -qx "STAGE3_SHA256=$sha256" "$info"
  grep -qx "STAGE3_SIGNER=$RELEASE_FPR" "$info"
  grep -qx "KERNEL=$FIXTURE_KERNEL" "$info"
  grep -q '^BUILD_TIME=20[0-9][0-9]-' "$info"
}

@test "stage3IsUnpackedWithNumericOwners" {
  [ "$(stat -c %u:%g "$INSPECT/image/var/db/repos")" = 250:250 ]
}

# --- failures on fresh volumes ----------------------------------------------------------------------------------

@test "wrongPublishedSha256FailsBeforeTheDiskIsTouched" {
  run_on_new_volume vol-0bbbbbbbbbbbbbbb1 --release badsum
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "bootstrap failed in phase fetch-stage3: sha256 mismatch for stage3-latest.tar.xz: published $(printf 'a%.0s' {1..64}), downloaded "* ]]
  [ "$(classify_volume "$TEST_DISK")" = blank ]
  [ -z "$LEFT_MOUNTS" ] && [ -z "$LEFT_LOOPS" ]
}

@test "sha256DifferentFromThePinnedValueFails" {
  run_on_new_volume vol-0bbbbbbbbbbbbbbb2 --stage3-sha256 "$(printf 'b%.0s' {1..64})"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "bootstrap failed in phase fetch-stage3: sha256 mismatch for stage3-latest.tar.xz: pinned bbbb"* ]]
  [ -z "$LEFT_MOUNTS" ] && [ -z "$LEFT_LOOPS" ]
}

@test "signatureByAnUnpinnedKeyFails" {
  run_on_new_volume vol-0bbbbbbbbbbbbbbb3 --release badsig
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "bootstrap failed in phase fetch-stage3: bad or missing GPG signature on stage3-latest.tar.xz" ]
  [ "$(classify_volume "$TEST_DISK")" = blank ]
  [ -z "$LEFT_MOUNTS" ] && [ -z "$LEFT_LOOPS" ]
}

@test "failingDownloadFailsNamingTheUrl" {
  run_on_new_volume vol-0bbbbbbbbbbbbbbb4 --release gone
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "bootstrap failed in phase fetch-stage3: download failed: http://127.0.0.1:$HTTP_PORT/funtoo/gone/x86-64bit/generic_64/stage3-latest.tar.xz" ]
  [ -z "$LEFT_MOUNTS" ] && [ -z "$LEFT_LOOPS" ]
}

@test "diskThatAlreadyHasPartitionsIsRefusedAndLeftAsItWas" {
  attach_test_volume vol-0bbbbbbbbbbbbbbb5
  sgdisk --clear --new=1:0:+100M --change-name=1:data "$TEST_DISK" >/dev/null
  run bootstrap --volume-id vol-0bbbbbbbbbbbbbbb5
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "bootstrap failed in phase find-disk: $TEST_DISK is not empty (foreign: signatures PMBR,gpt, partitions data); refusing to overwrite it" ]
  [ "$(awk '/^Number/ { on = 1; next } on { print $1, $7 }' < <(sgdisk --print "$TEST_DISK"))" = "1 data" ]
  [ -z "$(mounts_under "$WORK")" ]
}

@test "mountedDiskIsRefused" {
  attach_test_volume vol-0bbbbbbbbbbbbbbb6
  mkfs.ext4 -q "$TEST_DISK"
  mkdir -p "$BATS_TEST_TMPDIR/mnt"
  mount "$TEST_DISK" "$BATS_TEST_TMPDIR/mnt"
  run bootstrap --volume-id vol-0bbbbbbbbbbbbbbb6
  umount "$BATS_TEST_TMPDIR/mnt"
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "bootstrap failed in phase find-disk: $TEST_DISK is in use, mounted at: $BATS_TEST_TMPDIR/mnt" ]
}

@test "stage3ThatDoesNotUnpackFailsAfterPartitioningAndUnmountsEverything" {
  run_on_new_volume vol-0bbbbbbbbbbbbbbb7 --release truncated
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "bootstrap failed in phase extract: could not unpack stage3-latest.tar.xz" ]
  [ "$(classify_volume "$TEST_DISK")" = leftover ]
  [ -z "$LEFT_MOUNTS" ] && [ -z "$LEFT_LOOPS" ]
}

@test "interruptedBuildUndoesEverythingAndSaysWhy" {
  attach_test_volume vol-0bbbbbbbbbbbbbbb9
  interrupt_build_in_chroot vol-0bbbbbbbbbbbbbbb9 TERM
  [ "$STATUS" -eq 143 ]
  [ "$(tail -n 1 "$BATS_TEST_TMPDIR/out")" = "bootstrap failed in phase configure: interrupted by SIGTERM" ]
  [ -z "$(mounts_under "$WORK")" ]
  [ -z "$(loops_on "$TEST_DISK")" ]
}

@test "rerunAfterAKilledBuildReleasesItsMountsAndSucceeds" {
  attach_test_volume vol-0bbbbbbbbbbbbbbba
  interrupt_build_in_chroot vol-0bbbbbbbbbbbbbbba KILL
  [ "$STATUS" -eq 137 ]
  [ -n "$(mounts_under "$WORK")" ]
  run bootstrap --volume-id vol-0bbbbbbbbbbbbbbba
  [ "$status" -eq 0 ]
  [[ $output == *"unmounting $WORK/root, left mounted by an interrupted run"* ]]
  [[ ${lines[-1]} == "AMI-BUILD-RESULT "* ]]
  [ -z "$(mounts_under "$WORK")" ]
  [ -z "$(loops_on "$TEST_DISK")" ]
}

@test "architectureOtherThanTheHelpersIsRefused" {
  run bootstrap --volume-id vol-0bbbbbbbbbbbbbbb8 --distribution gentoo --arch arm64
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "bootstrap failed in phase check-helper: target architecture arm64 does not match this helper (x86_64)" ]
}

@test "funtooOnArm64IsRefusedBeforeAnythingIsTouchedAndGentooSuggested" {
  run bootstrap --volume-id vol-0bbbbbbbbbbbbbbb8 --arch arm64
  [ "$status" -eq 2 ]
  [ "${lines[-1]}" = "bootstrap failed in phase distribution: --distribution funtoo --arch arm64 is not supported: Funtoo's arm64 stage3 carries no kernel and sys-kernel/debian-sources does not build on arm64; use --distribution gentoo" ]
}

# --- Gentoo through the same interface --------------------------------------------------------------------------

@test "gentooBuildFollowsTheSignedPointerAndUsesGrubMkconfig" {
  run_on_new_volume vol-0ccccccccccccccc1 --distribution gentoo --boot-mode uefi \
    --stage3-base-url "http://127.0.0.1:$HTTP_PORT/gentoo/releases"
  [ "$status" -eq 0 ] || { printf "%s\n" "${lines[@]: -15}"; false; }
  local sha256
  sha256=$(sha256sum "$BATS_FILE_TMPDIR/gentoo.tar.xz" | cut -d' ' -f1)
  [[ ${lines[-1]} =~ ^"AMI-BUILD-RESULT stage3_url=http://127.0.0.1:$HTTP_PORT/gentoo/releases/amd64/autobuilds/20240428T163427Z/stage3-amd64-openrc-20240428T163427Z.tar.xz stage3_sha256=$sha256 kernel=$FIXTURE_KERNEL phases="$(phase_timeline_pattern)$ ]]
  [ -z "$LEFT_MOUNTS" ] && [ -z "$LEFT_LOOPS" ]
  INSPECT=$BATS_TEST_TMPDIR/inspect inspect_volume "$TEST_DISK" 2 3
  local image=$BATS_TEST_TMPDIR/inspect/image
  grep -qx "grub-mkconfig -o /boot/grub/grub.cfg" "$image/var/lib/fixture/calls.log"
  grep -qx "emerge-webrsync --quiet" "$image/var/lib/fixture/calls.log"
  grep -q "^emerge --noreplace .* sys-kernel/installkernel sys-kernel/gentoo-kernel-bin$" "$image/var/lib/fixture/calls.log"
  # Binary packages from Gentoo's binhost, signatures checked, during the build only.
  grep -qx "getuto" "$image/var/lib/fixture/calls.log"
  run ! grep -q "getbinpkg" "$image/etc/portage/make.conf"
  # grub-mkconfig found the root filesystem's by-uuid link (made by the bootstrap: no udev here).
  grep -q "^  linux .* root=UUID=$(INSPECT=$BATS_TEST_TMPDIR/inspect blkid_value root UUID) ro$" "$image/boot/grub/grub.cfg"
  [ "$(grep -c -- "--target=i386-pc" "$image/var/lib/fixture/calls.log")" -eq 0 ]
  grep -qx "GRUB_CMDLINE_LINUX=\"console=tty0 console=ttyS0,115200n8 net.ifnames=0 nvme_core.io_timeout=4294967295 rootfstype=ext4\"" "$image/etc/default/grub"
  grep -q 'xen-blkfront' "$image/etc/dracut.conf.d/funtoo-ami-builder.conf"
  [ -z "$(ls -A "$image/var/cache/distfiles")" ]
}
