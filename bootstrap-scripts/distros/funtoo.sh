# shellcheck shell=bash
# Funtoo Linux. Implements the distribution interface described in bootstrap-scripts/README.md.
#
# Stage3 layout ("next" on build.funtoo.org and its mirrors):
#   <base>/<release>/<x86-64bit|arm-64bit>/<subarch>/stage3-latest.tar.xz
#   ...stage3-latest.tar.xz.hash.txt  "sha256 <hex>"
#   ...stage3-latest.tar.xz.gpg       detached binary signature by a build server key

distro_display_name() { echo "Funtoo Linux"; }
distro_default_base_url() { echo "https://build.funtoo.org"; }
distro_default_release() { echo "next"; }

distro_default_subarch() {
  case $1 in
    x86_64) echo generic_64 ;;
    arm64) echo arm64_generic ;;
  esac
}

funtoo_arch_dir() {
  case $1 in
    x86_64) echo x86-64bit ;;
    arm64) echo arm-64bit ;;
  esac
}

distro_stage3_url() {
  local base=$1 release=$2 arch=$3 subarch=$4
  printf '%s/%s/%s/%s/stage3-latest.tar.xz\n' "${base%/}" "$release" "$(funtoo_arch_dir "$arch")" "$subarch"
}

distro_verify() {
  verify_published_stage3 funtoo "$1" "$2" "$3" "$4" .hash.txt .gpg
}

distro_sync_repository() {
  in_chroot "$1" ego sync
}

# Funtoo publishes no arm64 kernel path: the arm64 stage3 carries no kernel and debian-sources dies in src_prepare
# on anything but x86/amd64.
distro_supports_arch() {
  if [[ $1 != x86_64 ]]; then
    echo "Funtoo's $1 stage3 carries no kernel and sys-kernel/debian-sources does not build on $1; use --distribution gentoo"
    return 1
  fi
}

distro_configure() {
  :
}

# The x86-64 stage3 already carries a built debian-sources (/boot/kernel-debian-sources-x86_64-<version>), and
# rebuilding it compiles a distribution kernel for hours, so it is kept. Its initramfs, made by Funtoo's ramdisk,
# loads NVMe and ext4 but not the Xen block front end, so it is made again with those three autoloaded; ENA and
# xen-netfront are loaded from /lib/modules after the switch to the root filesystem.
readonly FUNTOO_INITRAMFS_MODULES=nvme,xen-blkfront,ext4

distro_kernel() {
  local root=$1 kernel version initramfs
  kernel=$(find "$root/boot" -maxdepth 1 -name 'kernel-debian-sources-*' -printf '%f\n' | sort -V | tail -n 1)
  [[ -n $kernel ]] || die "the stage3 carries no debian-sources kernel in /boot, and compiling one takes hours: use a stage3 that has one"
  version=$(find "$root/lib/modules/" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1)
  [[ -n $version ]] || die "the stage3's kernel $kernel has no modules in /lib/modules"
  initramfs=/boot/initramfs-${kernel#kernel-}
  emerge_in_chroot "$root" sys-kernel/ramdisk
  log "    ramdisk for $version, autoloading $FUNTOO_INITRAMFS_MODULES"
  in_chroot "$root" ramdisk build --kernel "$version" --kpop="$FUNTOO_INITRAMFS_MODULES" "$initramfs.new"
  mv -- "$root$initramfs.new" "$root$initramfs"
}

funtoo_boot_conf() {
  local root_uuid=$1
  cat <<EOF
# Written by funtoo-ami-builder; "ego boot update" turns it into /boot/grub/grub.cfg. GRUB on the serial console
# (EC2's console output); no display section, so nothing in the result depends on the helper's firmware.
boot {
	generate grub
	default "Funtoo Linux"
	timeout 1
	terminal serial
}

"Funtoo Linux" {
	kernel kernel[-v]
	initrd initramfs[-v]
	params root=UUID=$root_uuid $(kernel_cmdline)
}
EOF
}

# ego runs in the chroot, so it sees the helper's CPU: on a helper with microcode files it would prepend that
# vendor's early microcode to the image's initrd. EC2 instances cannot load microcode, and the image may run on the
# other vendor's CPU, so that is undone.
distro_bootloader_update() {
  local root=$1 root_uuid=$2
  funtoo_boot_conf "$root_uuid" >"$root/etc/boot.conf"
  in_chroot "$root" ego boot update
  rm -f -- "$root/boot/early_ucode.cpio" "$root/boot/amd-uc.img"
  rewrite_file "$root/boot/grub/grub.cfg" sed -E '/^[[:space:]]*initrd /s# [^ ]*/(early_ucode\.cpio|amd-uc\.img)##g'
}

distro_scrub_paths() {
  printf '%s\n' var/cache/portage/distfiles var/cache/portage/packages var/tmp/portage
}
