# shellcheck shell=bash
# Gentoo Linux. Implements the distribution interface described in bootstrap-scripts/README.md.
#
# Stage3 layout (autobuilds on the Gentoo release mirrors):
#   <base>/<amd64|arm64>/autobuilds/latest-stage3-<subarch>.txt        clearsigned pointer to the newest build
#   <base>/<amd64|arm64>/autobuilds/<ts>/stage3-<subarch>-<ts>.tar.xz  the tarball, <ts> like 20240428T163427Z
#   ...tar.xz.sha256  clearsigned "<hex>  <name>"       ...tar.xz.asc  detached armoured signature

distro_display_name() { echo "Gentoo Linux"; }
distro_default_base_url() { echo "https://distfiles.gentoo.org/releases"; }
distro_default_release() { echo "latest"; }

distro_default_subarch() {
  case $1 in
    x86_64) echo amd64-openrc ;;
    arm64) echo arm64-openrc ;;
  esac
}

gentoo_arch_dir() {
  case $1 in
    x86_64) echo amd64 ;;
    arm64) echo arm64 ;;
  esac
}

# The "<ts>/stage3-<subarch>-<ts>.tar.xz" path a latest-stage3-*.txt pointer names (awk without interval
# expressions, which mawk lacks).
gentoo_path_from_pointer() {
  local pointer=$1 subarch=$2
  awk -v subarch="$subarch" '
    $1 ~ /^[0-9]+T[0-9]+Z\/stage3-/ && $1 ~ /\.tar\.xz$/ && index($1, "/stage3-" subarch "-") { print $1; exit }' "$pointer"
}

# "latest" follows the pointer, which is itself signature-checked when a keyring is given.
distro_stage3_url() {
  local base=$1 release=$2 arch=$3 subarch=$4 work=$5 keyring=$6 autobuilds path
  autobuilds=${base%/}/$(gentoo_arch_dir "$arch")/autobuilds
  if [[ $release != latest ]]; then
    printf '%s/%s/stage3-%s-%s.tar.xz\n' "$autobuilds" "$release" "$subarch" "$release"
    return 0
  fi
  local pointer=$work/latest-stage3-$subarch.txt
  fetch "$autobuilds/latest-stage3-$subarch.txt" "$pointer"
  if [[ -n $keyring ]]; then
    gpg_verify_clearsigned gentoo "$keyring" "$pointer" "$pointer.verified" >/dev/null
    pointer=$pointer.verified
  fi
  path=$(gentoo_path_from_pointer "$pointer" "$subarch")
  [[ -n $path ]] || die "latest-stage3-$subarch.txt names no stage3-$subarch tarball"
  printf '%s/%s\n' "$autobuilds" "$path"
}

distro_verify() {
  verify_published_stage3 gentoo "$1" "$2" "$3" "$4" .sha256 .asc
}

distro_sync_repository() {
  in_chroot "$1" emerge-webrsync --quiet
}

distro_supports_arch() {
  :
}

# Packages come from Gentoo's official binhost (the stage3 ships its binrepos.conf), with their signatures checked
# against the release keys getuto puts in /etc/portage/gnupg, so a default build compiles nothing; the setting is
# build-time only and leaves the image with the stage3's own. A distribution kernel whose initramfs is built by
# dracut for any hardware (hostonly=no, which installkernel also insists on in a chroot), with the NVMe, ENA and
# Xen drivers, because the image boots on Nitro and Xen instance types.
distro_configure() {
  local root=$1
  mkdir -p "$root/etc/portage/package.use" "$root/etc/dracut.conf.d"
  render_build_settings_block "FEATURES=\"\${FEATURES} getbinpkg binpkg-request-signature\"" >>"$root/etc/portage/make.conf"
  in_chroot "$root" getuto
  printf '%s\n' 'sys-kernel/installkernel dracut grub' >"$root/etc/portage/package.use/funtoo-ami-builder"
  cat >"$root/etc/dracut.conf.d/funtoo-ami-builder.conf" <<'EOF'
hostonly="no"
add_drivers+=" nvme nvme-core ena xen-blkfront xen-netfront "
EOF
}

distro_kernel() {
  emerge_in_chroot "$1" sys-kernel/installkernel sys-kernel/gentoo-kernel-bin
}

distro_bootloader_update() {
  local root=$1
  render_grub_defaults >>"$root/etc/default/grub"
  in_chroot "$root" grub-mkconfig -o /boot/grub/grub.cfg
}

distro_scrub_paths() {
  printf '%s\n' var/cache/distfiles var/cache/binpkgs var/tmp/portage
}
