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

# debian-sources with "binary" builds the kernel and, with "ramdisk", its initramfs; "ec2" makes the NVMe, ENA
# and Xen block/net drivers available at boot.
distro_configure() {
  local root=$1
  mkdir -p "$root/etc/portage/package.use"
  printf '%s\n' 'sys-kernel/debian-sources binary ramdisk ec2' >"$root/etc/portage/package.use/funtoo-ami-builder"
}

distro_kernel() {
  emerge_in_chroot "$1" sys-kernel/debian-sources
}

funtoo_boot_conf() {
  local root_uuid=$1
  cat <<EOF
# Written by funtoo-ami-builder; "ego boot update" turns it into /boot/grub/grub.cfg.
boot {
	generate grub
	default "Funtoo Linux"
	timeout 1
}

display {
	gfxmode text
}

"Funtoo Linux" {
	kernel kernel[-v]
	initrd initramfs[-v]
	params root=UUID=$root_uuid $(kernel_cmdline)
}
EOF
}

distro_bootloader_update() {
  local root=$1 root_uuid=$2
  funtoo_boot_conf "$root_uuid" >"$root/etc/boot.conf"
  in_chroot "$root" ego boot update
}

distro_scrub_paths() {
  printf '%s\n' var/cache/portage/distfiles var/cache/portage/packages var/tmp/portage
}
