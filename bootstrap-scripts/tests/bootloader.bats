#!/usr/bin/env bats
# The bootloader phase's own checks, without a disk: grub.cfg must boot the root filesystem by UUID.

load helpers/common

UUID=0b7c5f4e-4f0e-4a86-9a63-3f1b2e7c9d10

setup() {
  load_bootstrap_libs
  load_phase 80-bootloader
  CFG=$BATS_TEST_TMPDIR/grub.cfg
}

write_cfg() {
  printf '%s\n' "menuentry 'Gentoo GNU/Linux' {" "$@" "}" >"$CFG"
}

@test "grubCfgBootingRootByUuidPasses" {
  write_cfg "	linux	/boot/vmlinuz-6.6 root=UUID=$UUID ro console=ttyS0" "	initrd	/boot/initramfs-6.6.img"
  run check_grub_cfg "$CFG" "$UUID"
  [ "$status" -eq 0 ]
}

@test "grubCfgWithTheHelpersDevicePathFails" {
  # What grub-mkconfig writes when /dev/disk/by-uuid has no link for the root filesystem.
  write_cfg "	linux	/boot/vmlinuz-6.6 root=/dev/nvme1n1p3 ro console=ttyS0"
  run check_grub_cfg "$CFG" "$UUID"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "ERROR: grub.cfg boots without root=UUID=$UUID: line 2: "*"root=/dev/nvme1n1p3"* ]]
}

@test "grubCfgWithAnotherFilesystemsUuidFails" {
  write_cfg "	linux	/boot/vmlinuz-6.6 root=UUID=11111111-2222-3333-4444-555555555555 ro"
  run check_grub_cfg "$CFG" "$UUID"
  [ "$status" -eq 1 ]
}

@test "grubCfgWhereASecondRootOverridesTheUuidFails" {
  write_cfg "	linux	/boot/vmlinuz-6.6 root=UUID=$UUID root=/dev/sda3 ro"
  run check_grub_cfg "$CFG" "$UUID"
  [ "$status" -eq 1 ]
}

@test "everyEntryIsCheckedNotOnlyTheFirst" {
  write_cfg "	linux	/boot/vmlinuz-6.6 root=UUID=$UUID ro" "}" "menuentry 'old' {" "	linux	/boot/vmlinuz-6.5 root=/dev/nvme1n1p3 ro"
  run check_grub_cfg "$CFG" "$UUID"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == *"vmlinuz-6.5"* ]]
}

@test "grubCfgWithoutABootEntryFails" {
  write_cfg "	echo nothing to boot"
  run check_grub_cfg "$CFG" "$UUID"
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "ERROR: $CFG has no boot entry" ]
}

@test "byUuidLinkIsMadeWhenUdevHasNotAndRemovedByTheUndoStack" {
  local uuid node=$BATS_TEST_TMPDIR/node
  uuid=feedface-0000-4000-8000-$(printf '%012d' $$)
  touch "$node"
  ensure_by_uuid_link "$node" "$uuid"
  [ "$(readlink "/dev/disk/by-uuid/$uuid")" = "$node" ]
  undo_all
  [ ! -e "/dev/disk/by-uuid/$uuid" ]
}
