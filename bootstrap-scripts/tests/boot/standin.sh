#!/usr/bin/env bash
# Builds the stage3 stand-ins of the boot test from Debian packages (mmdebstrap), shaped like the real stage3s in
# every point bootstrap.sh touches (tests/boot/README.md lists them):
#   funtoo  x86-64: a kernel + initramfs under debian-sources' file names whose initramfs cannot reach a Xen block
#           device, GRUB with only the pc platform installed, Funtoo's ego (from ../shared/third-party/ego) and
#           `ramdisk` available to emerge
#   gentoo  amd64: no kernel, GRUB, dhcpcd or chrony until emerged (gentoo-kernel-bin + installkernel + dracut)
# Both: OpenRC on sysvinit, openssh, Gentoo's service names (sshd, dhcpcd, chronyd), Gentoo's inittab gettys,
# host keys and a machine-id left from "the build", and an emerge stand-in with Portage's semantics.
#
#   standin.sh DISTRIBUTION OUT.tar.xz     (as root; cached by content hash in $BOOT_TEST_CACHE)
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
CACHE=${BOOT_TEST_CACHE:-/var/cache/funtoo-ami-builder/boot-test}
EGO_DIR=${EGO_DIR:-$(cd -- "$HERE/../../.." && pwd)/../shared/third-party/ego}
readonly HERE CACHE EGO_DIR
readonly SUITE=bookworm
readonly PACKAGES=sysvinit-core,openrc,udev,kmod,linux-image-amd64,dracut,grub-pc-bin,grub-efi-amd64-bin,grub2-common,dhcpcd-base,openssh-server,chrony,curl,util-linux,fdisk,e2fsprogs,locales,passwd,python3,procps,iproute2,zstd
# Module trees no EC2 instance or QEMU boot uses; removed to keep the stand-in small.
readonly PRUNED_MODULES=(sound drivers/gpu drivers/media drivers/net/wireless drivers/infiniband drivers/staging
  drivers/bluetooth drivers/iio drivers/input/touchscreen drivers/hwmon drivers/isdn drivers/mtd drivers/usb/gadget)

log() { printf 'standin: %s\n' "$*" >&2; }

# A stand-in is rebuilt when anything it is made from changes; the Debian base only when its package set does.
content_hash() {
  { cat "$0"; printf '%s\n' "$@"; find "$HERE/standin-root" "$HERE/postinst" -type f -print0 |
    sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16
}

base_hash() {
  printf '%s\n' "$SUITE" "$PACKAGES" "${PRUNED_MODULES[@]}" | sha256sum | cut -c1-16
}

# Runs a command in a tree with /proc, /sys and /dev mounted, as tools such as dracut expect; release_tree (also
# the EXIT trap's) undoes the mounts.
in_tree() {
  local root=$1 status=0
  shift
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
  mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
  chroot "$root" "$@" || status=$?
  release_tree "$root"
  return "$status"
}

release_tree() {
  local root=$1 dir
  for dir in dev sys proc; do
    if mountpoint -q "$root/$dir"; then umount -R "$root/$dir"; fi
  done
}

# A tree being built is removed on every exit, its mounts first; --one-file-system keeps rm out of anything still
# bound into it.
remove_tree() {
  local root=$1
  [[ -d $root ]] || return 0
  release_tree "$root"
  rm -rf --one-file-system -- "$root"
}

# The Debian root every stand-in starts from (about 2 minutes, once).
base_tree() {
  local dir
  dir=$CACHE/base-$(base_hash)
  if [[ ! -f $dir.done ]]; then
    log "building the Debian base with mmdebstrap (once; cached in $dir)"
    remove_tree "$dir"
    mmdebstrap --quiet --variant=minbase --include="$PACKAGES" --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' "$SUITE" "$dir" >&2
    local modules
    modules=$(find "$dir/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n')
    for path in "${PRUNED_MODULES[@]}"; do
      rm -rf "$dir/lib/modules/$modules/kernel/$path"
    done
    chroot "$dir" depmod "$modules"
    touch "$dir.done"
  fi
  printf '%s\n' "$dir"
}

files_of() {
  local root=$1
  shift
  chroot "$root" dpkg-query -L "$@" | while read -r path; do
    # Files and symbolic links, but not the merged-/usr links to directories such as /lib.
    if [[ -L $root$path && ! -d $root$path ]] || [[ -f $root$path && ! -L $root$path ]]; then
      printf '%s\n' "${path#/}"
    fi
  done
}

# Moves files out of the tree into the store as package `name` (they come back when it is emerged).
stash() {
  local root=$1 package=$2 list=$3 store=$1/$STORE_PATH/$2
  mkdir -p "$store"
  tar --create --file "$store/files.tar" --directory "$root" --numeric-owner --files-from "$list"
  (cd "$root" && xargs -d '\n' rm -f <"$list")
}

write_meta() {
  local root=$1 package=$2
  shift 2
  mkdir -p "$root/$STORE_PATH/$package"
  printf '%s\n' "$@" >"$root/$STORE_PATH/$package/meta"
}

mark_installed() {
  local root=$1 package=$2 version=$3 use=$4
  mkdir -p "$root/var/db/pkg/$package-$version"
  printf '%s\n' "$use" >"$root/var/db/pkg/$package-$version/USE"
  echo ebuild >"$root/var/db/pkg/$package-$version/BUILT_FROM"
}

# Gentoo-shaped pieces every stand-in shares.
common_shape() {
  local root=$1
  cp -a "$HERE/standin-root/." "$root/"
  rm -f "$root/etc/init.d/ssh" "$root/etc/init.d/chrony" "$root"/etc/runlevels/*/ssh "$root"/etc/runlevels/*/chrony
  # Gentoo's inittab gettys: VGA consoles active, the serial ones commented out.
  awk '!/getty/ { print }
    END {
      for (i = 1; i <= 6; i++) printf "c%d:12345:respawn:/sbin/agetty 38400 tty%d linux\n", i, i
      print "#s0:12345:respawn:/sbin/agetty -L 9600 ttyS0 vt100"
      print "#s1:12345:respawn:/sbin/agetty -L 9600 ttyS1 vt100"
    }' "$root/etc/inittab" >"$root/etc/inittab.new"
  mv "$root/etc/inittab.new" "$root/etc/inittab"
  ln -sfn /etc/init.d/root "$root/etc/runlevels/boot/root"
  ln -sfn /etc/init.d/localmount "$root/etc/runlevels/boot/localmount"
  mkdir -p "$root/etc/portage/package.use" "$root/etc/default"
  printf '%s\n' 'COMMON_FLAGS="-O2 -pipe"' "CFLAGS=\"\${COMMON_FLAGS}\"" >"$root/etc/portage/make.conf"
  printf '%s\n' "stand-in root password hash" >"$root/var/tmp/stage3-build.log"
  [[ -s $root/etc/machine-id ]] || echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
  chroot "$root" ssh-keygen -A >/dev/null
  mkdir -p "$root/root/.ssh"
  echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuildKeyNeverInAnImage builder@stage3" >"$root/root/.ssh/authorized_keys"
  rm -f "$root/etc/resolv.conf"
}

funtoo_shape() {
  local root=$1 version list
  STORE_PATH=var/cache/portage/packages/standin
  version=$(find "$root/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n')
  list=$(mktemp)
  # The stage3's initramfs, as Funtoo's ramdisk makes it: no xen-blkfront.
  in_tree "$root" dracut --quiet --force --no-hostonly --no-hostonly-cmdline --omit-drivers xen-blkfront --kver "$version" \
    "/boot/initramfs-debian-sources-x86_64-$version"
  mv "$root/boot/vmlinuz-$version" "$root/boot/kernel-debian-sources-x86_64-$version"
  mv "$root/boot/System.map-$version" "$root/boot/System.map-debian-sources-x86_64-$version"
  rm -f "$root"/boot/initrd.img-* "$root"/boot/config-*
  write_meta "$root" sys-kernel/debian-sources version=6.1.0 build=kernel binhost=no
  mark_installed "$root" sys-kernel/debian-sources 6.1.0 "binary custom-cflags"
  # GRUB built with the profile's empty GRUB_PLATFORMS: pc only.
  files_of "$root" grub-efi-amd64-bin | grep '^usr/lib/grub/x86_64-efi/' >"$list"
  mkdir -p "$root/$STORE_PATH/sys-boot/grub"
  tar --create --file "$root/$STORE_PATH/sys-boot/grub/platform-x86_64-efi.tar" --directory "$root" --files-from "$list"
  (cd "$root" && xargs -d '\n' rm -f <"$list") && rm -rf "$root/usr/lib/grub/x86_64-efi"
  files_of "$root" grub-pc-bin | grep '^usr/lib/grub/i386-pc/' >"$list"
  tar --create --file "$root/$STORE_PATH/sys-boot/grub/platform-i386-pc.tar" --directory "$root" --files-from "$list"
  tar --create --file "$root/$STORE_PATH/sys-boot/grub/files.tar" --files-from /dev/null
  write_meta "$root" sys-boot/grub version=2.06 build=source binhost=no platform_pc=i386-pc platform_efi-64=x86_64-efi
  mark_installed "$root" sys-boot/grub 2.06 grub_platforms_pc
  # dhcpcd, chrony, curl, util-linux, e2fsprogs: in the Funtoo stage3 (or emerged quickly); recorded as installed.
  local package
  for package in net-misc/dhcpcd net-misc/chrony net-misc/curl sys-apps/util-linux sys-fs/e2fsprogs; do
    write_meta "$root" "$package" version=1 build=source binhost=no
    mark_installed "$root" "$package" 1 ""
  done
  # `ramdisk` (with the dracut it is built on here) comes with emerge sys-kernel/ramdisk.
  { printf '%s\n' usr/bin/ramdisk; files_of "$root" dracut dracut-core; } >"$list"
  stash "$root" sys-kernel/ramdisk "$list"
  write_meta "$root" sys-kernel/ramdisk version=1.1.17 build=source binhost=no
  # Funtoo's ego, the real one; `ego sync` needs the network, so it is stood in for.
  if [[ -f $EGO_DIR/ego ]]; then
    mkdir -p "$root/usr/share/ego"
    cp -a "$EGO_DIR/." "$root/usr/share/ego/"
    cat >"$root/usr/bin/ego" <<'EGO'
#!/bin/sh
# Funtoo's ego from /usr/share/ego; `ego sync` (which fetches meta-repo over the network) is a stand-in.
if [ "$1" = sync ]; then echo "ego sync: stand-in, nothing fetched"; exit 0; fi
exec python3 /usr/share/ego/ego "$@"
EGO
    chmod 0755 "$root/usr/bin/ego"
    printf '[global]\ninstall_path = /usr/share/ego\n' >"$root/etc/ego.conf"
    # Installed by the ego package: the defaults /etc/boot.conf is read on top of.
    cp "$EGO_DIR/etc/boot.conf.defaults" "$root/etc/boot.conf.defaults"
  else
    log "Funtoo's ego is not at $EGO_DIR: the Funtoo stand-in cannot be built"
    return 3
  fi
  rm -f "$list"
}

gentoo_shape() {
  local root=$1 version list
  STORE_PATH=var/cache/binpkgs/standin
  version=$(find "$root/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n')
  list=$(mktemp)
  # No kernel: gentoo-kernel-bin brings one (installkernel + dracut make its initramfs).
  cp "$root/boot/vmlinuz-$version" "$root/lib/modules/$version/vmlinuz"
  rm -f "$root"/boot/*
  { files_of "$root" "linux-image-$version" | grep -v '^boot/'; echo "lib/modules/$version/vmlinuz"
    find "$root/lib/modules/$version" -maxdepth 1 -name 'modules.*' -printf "lib/modules/$version/%f\n"; } | sort -u >"$list"
  stash "$root" sys-kernel/gentoo-kernel-bin "$list"
  write_meta "$root" sys-kernel/gentoo-kernel-bin "version=$version" build=binary binhost=yes depends=sys-kernel/installkernel
  cp "$HERE/postinst/sys-kernel_gentoo-kernel-bin" "$root/$STORE_PATH/sys-kernel/gentoo-kernel-bin/postinst"
  files_of "$root" dracut dracut-core >"$list"
  stash "$root" sys-kernel/dracut "$list"
  write_meta "$root" sys-kernel/dracut version=105 build=source binhost=yes
  mkdir -p "$root/$STORE_PATH/sys-kernel/installkernel"
  tar --create --file "$root/$STORE_PATH/sys-kernel/installkernel/files.tar" --files-from /dev/null
  write_meta "$root" sys-kernel/installkernel version=50 build=source binhost=yes depends=sys-kernel/dracut
  # GRUB, both platforms available to build.
  files_of "$root" grub-efi-amd64-bin | grep '^usr/lib/grub/x86_64-efi/' >"$list"
  mkdir -p "$root/$STORE_PATH/sys-boot/grub"
  tar --create --file "$root/$STORE_PATH/sys-boot/grub/platform-x86_64-efi.tar" --directory "$root" --files-from "$list"
  files_of "$root" grub-pc-bin | grep '^usr/lib/grub/i386-pc/' >"$list"
  tar --create --file "$root/$STORE_PATH/sys-boot/grub/platform-i386-pc.tar" --directory "$root" --files-from "$list"
  files_of "$root" grub-efi-amd64-bin grub-pc-bin grub2-common grub-common | grep -v '^usr/lib/grub/\(x86_64-efi\|i386-pc\)/' >"$list"
  stash "$root" sys-boot/grub "$list"
  rm -rf "$root/usr/lib/grub" "$root/etc/grub.d"
  write_meta "$root" sys-boot/grub version=2.12 build=source binhost=yes platform_pc=i386-pc platform_efi-64=x86_64-efi
  { files_of "$root" dhcpcd-base; echo etc/init.d/dhcpcd; } >"$list"
  stash "$root" net-misc/dhcpcd "$list"
  write_meta "$root" net-misc/dhcpcd version=10.0.6 build=source binhost=yes
  { files_of "$root" chrony | grep -v '^etc/init.d/'; echo etc/init.d/chronyd; } >"$list"
  stash "$root" net-misc/chrony "$list"
  write_meta "$root" net-misc/chrony version=4.5 build=source binhost=yes
  local package
  for package in net-misc/curl sys-apps/util-linux sys-fs/e2fsprogs; do
    write_meta "$root" "$package" version=1 build=source binhost=yes
    mark_installed "$root" "$package" 1 ""
  done
  mkdir -p "$root/etc/portage/binrepos.conf"
  printf '%s\n' '[gentoobinhost]' 'priority = 1' 'sync-uri = https://distfiles.gentoo.org/releases/amd64/binpackages/23.0/x86-64' \
    >"$root/etc/portage/binrepos.conf/gentoobinhost.conf"
  printf '%s\n' 'GRUB_DISTRIBUTOR="Gentoo"' >"$root/etc/default/grub"
  rm -f "$list"
}

main() {
  local distribution=$1 out=$2 hash base tree
  [[ $distribution == funtoo || $distribution == gentoo ]] || { log "unknown distribution $distribution"; return 2; }
  hash=$(content_hash "$distribution" "$(cat "$EGO_DIR/VERSION" 2>/dev/null || true)")
  if [[ -f $CACHE/$distribution-$hash.tar.xz ]]; then
    log "$distribution stand-in from the cache ($CACHE/$distribution-$hash.tar.xz)"
  else
    base=$(base_tree)
    tree=$(mktemp -d "$CACHE/tree-$distribution.XXXXXX")
    BUILD_TREE=$tree
    trap 'remove_tree "$BUILD_TREE"' EXIT
    cp -a "$base/." "$tree/"
    common_shape "$tree"
    "${distribution}_shape" "$tree"
    log "packing the $distribution stand-in"
    XZ_OPT='-0 -T0' tar --create --xz --numeric-owner --xattrs --file "$CACHE/$distribution-$hash.tar.xz.part" \
      --directory "$tree" .
    mv "$CACHE/$distribution-$hash.tar.xz.part" "$CACHE/$distribution-$hash.tar.xz"
    remove_tree "$tree"
    trap - EXIT
  fi
  ln -sfn "$CACHE/$distribution-$hash.tar.xz" "$out"
}

mkdir -p "$CACHE"
# One build of the cache at a time (two test runs on one machine share it).
exec {lock}>"$CACHE/.lock"
flock "$lock"
main "$@"
