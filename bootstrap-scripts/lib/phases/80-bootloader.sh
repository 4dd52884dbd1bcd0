# shellcheck shell=bash
# Phase: GRUB for BIOS (x86_64) and/or UEFI (removable path, so no NVRAM entry is needed), then its config.

# GRUB targets for an architecture and AWS boot mode.
grub_targets() {
  local target_arch=$1 mode=$2
  if [[ $target_arch == arm64 ]]; then
    echo arm64-efi
    return 0
  fi
  case $mode in
    legacy-bios) echo i386-pc ;;
    uefi) echo x86_64-efi ;;
    uefi-preferred) printf '%s\n' i386-pc x86_64-efi ;;
  esac
}

phase_bootloader() {
  local target
  while read -r target; do
    phase_log "grub-install --target=$target"
    if [[ $target == i386-pc ]]; then
      in_chroot "$ROOT_MNT" grub-install --target=i386-pc --boot-directory=/boot "$DISK"
    else
      in_chroot "$ROOT_MNT" grub-install --target="$target" --efi-directory=/boot/efi --boot-directory=/boot \
        --removable --no-nvram
    fi
  done < <(grub_targets "$ARCH" "$BOOT_MODE")
  distro_bootloader_update "$ROOT_MNT" "$ROOT_UUID"
}
