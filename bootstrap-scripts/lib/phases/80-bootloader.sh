# shellcheck shell=bash
# Phase: GRUB for BIOS (x86_64) and/or UEFI (removable path, so no NVRAM entry is needed), then its config.
# Reads: ARCH BOOT_MODE (options); ROOT_MNT (check-helper); DISK (find-disk); ROOT_NODE ROOT_UUID (partition)
# Sets: nothing
# Calls from the distribution file: distro_bootloader_update

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

# A stage3's GRUB is built for the platforms of its profile (Funtoo's: pc only), and `emerge --noreplace` never
# rebuilds it, so a target whose platform files are missing gets GRUB rebuilt with the GRUB_PLATFORMS that the
# configure phase set (--newuse notices the changed USE_EXPAND).
ensure_grub_platforms() {
  local root=$1 target missing=()
  shift
  for target in "$@"; do
    [[ -e $root/usr/lib/grub/$target/modinfo.sh ]] || missing+=("$target")
  done
  ((${#missing[@]} > 0)) || return 0
  phase_log "the stage3's GRUB lacks ${missing[*]}; rebuilding it for GRUB_PLATFORMS=\"$(grub_platforms "$ARCH")\""
  in_chroot "$root" emerge --oneshot --newuse --quiet-build=y --color=n sys-boot/grub
  for target in "${missing[@]}"; do
    [[ -e $root/usr/lib/grub/$target/modinfo.sh ]] || die "GRUB still has no $target platform after rebuilding it"
  done
}

# grub-mkconfig writes root=UUID=... only if /dev/disk/by-uuid/<uuid> exists when it runs, and the device path the
# helper sees (/dev/nvme1n1p3, which no instance has) otherwise. udev makes the link, but not always in time, so it
# is made here when missing, and removed again afterwards.
ensure_by_uuid_link() {
  local node=$1 uuid=$2 link=/dev/disk/by-uuid/$2
  [[ -e $link ]] && return 0
  if command -v udevadm >/dev/null; then
    udevadm settle --timeout=10 || true
  fi
  [[ -e $link ]] && return 0
  mkdir -p -- /dev/disk/by-uuid
  ln -sfn -- "$node" "$link"
  push_undo remove_link_to "$link" "$node"
  phase_log "made $link -> $node (udev had not)"
}

# Removes a link made here, unless udev has replaced it in the meantime.
remove_link_to() {
  local link=$1 target=$2
  if [[ $(readlink -- "$link") == "$target" ]]; then
    rm -f -- "$link"
  fi
}

# Every boot entry must find root by UUID: a device path in grub.cfg is the helper's, and the instance booted from
# the image would stop in the initramfs.
check_grub_cfg() {
  local cfg=$1 uuid=$2 bad
  [[ -s $cfg ]] || die "no $cfg was written"
  grep -Eq '^[[:space:]]*linux(efi)?[[:space:]]' "$cfg" || die "$cfg has no boot entry"
  bad=$(awk -v want="root=UUID=$uuid" '
    $1 ~ /^linux(efi)?$/ {
      ok = 0
      for (i = 3; i <= NF; i++) {
        if ($i == want) ok = 1
        else if ($i ~ /^root=/) { ok = 0; break }
      }
      if (!ok) { print "line " NR ": " $0; exit }
    }' "$cfg")
  [[ -z $bad ]] || die "grub.cfg boots without root=UUID=$uuid: ${bad//[[:space:]]/ }"
  phase_log "grub.cfg: every boot entry uses root=UUID=$uuid"
}

phase_bootloader() {
  local target
  local -a targets
  mapfile -t targets < <(grub_targets "$ARCH" "$BOOT_MODE")
  ensure_grub_platforms "$ROOT_MNT" "${targets[@]}"
  for target in "${targets[@]}"; do
    phase_log "grub-install --target=$target"
    if [[ $target == i386-pc ]]; then
      in_chroot "$ROOT_MNT" grub-install --target=i386-pc --boot-directory=/boot "$DISK"
    else
      in_chroot "$ROOT_MNT" grub-install --target="$target" --efi-directory=/boot/efi --boot-directory=/boot \
        --removable --no-nvram
    fi
  done
  ensure_by_uuid_link "$ROOT_NODE" "$ROOT_UUID"
  distro_bootloader_update "$ROOT_MNT" "$ROOT_UUID"
  check_grub_cfg "$ROOT_MNT/boot/grub/grub.cfg" "$ROOT_UUID"
}
