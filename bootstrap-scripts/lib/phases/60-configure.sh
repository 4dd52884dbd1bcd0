# shellcheck shell=bash
# Phase: packages, kernel and the system configuration EC2 needs (fstab by UUID, hostname, UTC, locale, DHCP,
# sshd with key-only root login, serial getty, Amazon Time Sync).
# Reads: ARCH EXTRA_ATOMS TARGET_HOSTNAME (options); ROOT_MNT (check-helper); ESP_UUID ROOT_UUID (partition)
# Sets: KERNEL_VERSION
# Calls from the distribution file: distro_configure distro_kernel

# What the common phases configure: GRUB, time sync, DHCP, and the tools the first-boot services use.
readonly BASE_PACKAGES=(sys-boot/grub net-misc/chrony net-misc/dhcpcd net-misc/curl sys-apps/util-linux sys-fs/e2fsprogs)
readonly DEFAULT_SERVICES=(sshd dhcpcd chronyd)

grub_platforms() {
  if [[ $1 == x86_64 ]]; then echo "pc efi-64"; else echo "efi-64"; fi
}

# The newest kernel in /lib/modules, provided /boot holds a kernel image and an initramfs.
installed_kernel_version() {
  local root=$1 version
  version=$(find "$root/lib/modules/" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  [[ -n $version ]] || die "no kernel was installed (/lib/modules is empty)"
  compgen -G "$root/boot/vmlinuz-*" >/dev/null || compgen -G "$root/boot/kernel-*" >/dev/null ||
    die "kernel $version has no image in /boot"
  compgen -G "$root/boot/initramfs-*" >/dev/null || compgen -G "$root/boot/initrd*" >/dev/null ||
    die "kernel $version has no initramfs in /boot"
  printf '%s\n' "$version"
}

configure_system_files() {
  local root=$1
  render_fstab "$ROOT_UUID" "$ESP_UUID" >"$root/etc/fstab"
  printf '%s\n' "$TARGET_HOSTNAME" >"$root/etc/hostname"
  mkdir -p -- "$root/etc/conf.d" "$root/etc/env.d" "$root/etc/chrony"
  printf 'hostname="%s"\n' "$TARGET_HOSTNAME" >"$root/etc/conf.d/hostname"
  ln -sfn ../usr/share/zoneinfo/UTC "$root/etc/localtime"
  printf '%s\n' UTC >"$root/etc/timezone"
  printf '%s\n' 'clock="UTC"' >"$root/etc/conf.d/hwclock"
  printf '%s\n' 'en_US.UTF-8 UTF-8' >"$root/etc/locale.gen"
  printf '%s\n' 'LANG="en_US.UTF-8"' 'LC_COLLATE="C.UTF-8"' >"$root/etc/env.d/02locale"
  rewrite_file "$root/etc/ssh/sshd_config" render_sshd_config
  rewrite_file "$root/etc/inittab" render_inittab
  render_chrony_conf >"$root/etc/chrony/chrony.conf"
}

phase_configure() {
  local root=$ROOT_MNT service
  printf 'GRUB_PLATFORMS="%s"\n' "$(grub_platforms "$ARCH")" >>"$root/etc/portage/make.conf"
  distro_configure "$root"
  phase_log "installing the base packages"
  emerge_in_chroot "$root" "${BASE_PACKAGES[@]}"
  phase_log "installing the kernel and its initramfs"
  distro_kernel "$root"
  KERNEL_VERSION=$(installed_kernel_version "$root")
  phase_log "kernel $KERNEL_VERSION"
  if ((${#EXTRA_ATOMS[@]} > 0)); then
    phase_log "installing the extra packages"
    emerge_in_chroot "$root" "${EXTRA_ATOMS[@]}"
  fi
  configure_system_files "$root"
  in_chroot "$root" locale-gen
  in_chroot "$root" passwd -l root
  for service in "${DEFAULT_SERVICES[@]}"; do
    in_chroot "$root" rc-update add "$service" default
  done
}
