# shellcheck shell=bash
# What disk.bats runs bootstrap.sh against: a stage3 stand-in built at test time (busybox as the shell, stubs
# that record every tool bootstrap.sh runs in the chroot), served from loopback with checksums and signatures
# made by a test key, and sparse files on loop devices posing as EBS volumes.

FIXTURE_KERNEL=6.6.13-fixture
STUBBED_TOOLS=(emerge emerge-webrsync ego rc-update grub-install grub-mkconfig locale-gen passwd ramdisk getuto)

# The stub every tool in STUBBED_TOOLS points at. It records the call, and does the one thing bootstrap.sh looks
# for afterwards: a kernel package leaves a kernel, modules and an initramfs; the boot loader update leaves a
# grub.cfg with one entry (ego takes its params from /etc/boot.conf; grub-mkconfig, like its 10_linux, names root by
# UUID only when /dev/disk/by-uuid has the root filesystem's link, and by device path otherwise); the package named
# fixture-fails-to-build fails, fixture-takes-long takes a minute. (The boot test runs the real tools.)
write_stub() {
  cat >"$1" <<EOF
#!/bin/sh
name=\${0##*/}
echo "\$name\${*:+ \$*}" >>/var/lib/fixture/calls.log
case "\$name \$*" in
  "ramdisk build "*)
    for out; do :; done
    echo "initramfs with \$*" >"\$out"
    ;;
  "emerge "*sys-kernel/gentoo-kernel-bin*)
    mkdir -p /lib/modules/$FIXTURE_KERNEL
    echo kernel >/boot/vmlinuz-$FIXTURE_KERNEL
    echo initramfs >/boot/initramfs-$FIXTURE_KERNEL.img
    ;;
  "emerge "*app-misc/fixture-fails-to-build*)
    echo "emerge: app-misc/fixture-fails-to-build failed to compile" >&2
    exit 1
    ;;
  "emerge "*app-misc/fixture-takes-long*)
    sleep 60
    ;;
  "ego boot update")
    mkdir -p /boot/grub
    params=\$(sed -n 's/^[[:space:]]*params //p' /etc/boot.conf)
    printf '%s\\n' "# written by ego" "menuentry 'Funtoo Linux' {" "  linux /boot/vmlinuz-$FIXTURE_KERNEL \$params" "}" >/boot/grub/grub.cfg
    ;;
  "grub-mkconfig "*)
    mkdir -p /boot/grub
    device=\$(awk '\$5 == "/" { print \$(NF - 1) }' /proc/self/mountinfo | tail -n 1)
    root=\$device
    for link in /dev/disk/by-uuid/*; do
      if [ "\$(readlink -f "\$link")" = "\$device" ]; then root=UUID=\${link##*/}; fi
    done
    printf '%s\\n' "# written by grub-mkconfig" "menuentry 'Gentoo GNU/Linux' {" "  linux /boot/vmlinuz-$FIXTURE_KERNEL root=\$root ro" "}" >/boot/grub/grub.cfg
    ;;
esac
exit 0
EOF
  chmod 0755 "$1"
}

# bootstrap.sh enters the chroot through /usr/bin/env. busybox's env would run its own applet for names such as
# passwd instead of the stub, so the fixture's env looks commands up on PATH itself.
write_env() {
  cat >"$1" <<'EOF'
#!/bin/sh
if [ "$1" = -i ]; then shift; fi
while case $1 in *=*) true ;; *) false ;; esac; do
  export "${1?}"
  shift
done
IFS=:
for dir in $PATH; do
  if [ -x "$dir/$1" ]; then
    command=$dir/$1
    shift
    exec "$command" "$@"
  fi
done
echo "env: $1: not found" >&2
exit 127
EOF
  chmod 0755 "$1"
}

# A root tree shaped like a stage3 of the distribution, including what scrubbing must remove.
build_stage3_tree() {
  local root=$1 distribution=$2 tool applet distfiles
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib/fixture,usr/share/zoneinfo,proc,sys,dev,run,tmp,boot,root/.ssh} \
    "$root"/usr/lib/grub/{i386-pc,x86_64-efi} \
    "$root"/etc/{ssh,init.d,conf.d,portage,default} "$root"/var/{log,tmp/portage,lib/fixture,db/repos} "$root/lib/modules"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in sh mkdir cat echo sleep awk sed readlink printf tail; do
    ln -s busybox "$root/bin/$applet"
  done
  write_env "$root/usr/bin/env"
  write_stub "$root/usr/lib/fixture/stub"
  for tool in "${STUBBED_TOOLS[@]}"; do
    ln -s ../lib/fixture/stub "$root/usr/bin/$tool"
  done
  printf '%s\n' '#PermitRootLogin prohibit-password' 'PermitRootLogin yes' 'PasswordAuthentication yes' \
    'Subsystem sftp /usr/lib64/misc/sftp-server' >"$root/etc/ssh/sshd_config"
  printf '%s\n' 'id:3:initdefault:' 'c1:12345:respawn:/sbin/agetty 38400 tty1 linux' \
    '#s0:12345:respawn:/sbin/agetty -L 9600 ttyS0 vt100' >"$root/etc/inittab"
  printf '%s\n' 'COMMON_FLAGS="-O2 -pipe"' >"$root/etc/portage/make.conf"
  printf '%s\n' 'GRUB_DISTRIBUTOR="Gentoo"' >"$root/etc/default/grub"
  touch "$root/usr/lib/grub/i386-pc/modinfo.sh" "$root/usr/lib/grub/x86_64-efi/modinfo.sh"
  echo TZif2 >"$root/usr/share/zoneinfo/UTC"
  chown 250:250 "$root/var/db/repos"
  # Left by the build of the stage3 or by a previous life; the image must not carry any of it.
  echo private >"$root/etc/ssh/ssh_host_ed25519_key"
  echo public >"$root/etc/ssh/ssh_host_ed25519_key.pub"
  echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
  echo "ssh-ed25519 AAAA builder@stage3" >"$root/root/.ssh/authorized_keys"
  echo "ls /" >"$root/root/.bash_history"
  echo "boot messages" >"$root/var/log/messages"
  echo "old" >"$root/var/log/messages.1"
  echo "build log" >"$root/var/tmp/portage/build.log"
  echo "junk" >"$root/tmp/junk"
  if [[ $distribution == funtoo ]]; then
    distfiles=var/cache/portage/distfiles
    # The x86-64 stage3's built debian-sources, under its file names.
    mkdir -p "$root/lib/modules/$FIXTURE_KERNEL"
    echo kernel >"$root/boot/kernel-debian-sources-x86_64-$FIXTURE_KERNEL"
    echo "initramfs without xen-blkfront" >"$root/boot/initramfs-debian-sources-x86_64-$FIXTURE_KERNEL"
  else
    distfiles=var/cache/distfiles
  fi
  mkdir -p "$root/$distfiles"
  echo source >"$root/$distfiles/grub-2.12.tar.xz"
}

pack_stage3() {
  local root=$1 out=$2
  mkdir -p "$(dirname "$out")"
  XZ_OPT=-0 tar --create --xz --numeric-owner --xattrs --file "$out" --directory "$root" .
}

sign_detached() {
  local home=$1 file=$2 out=$3
  shift 3
  GNUPGHOME=$home gpg --batch --quiet --yes --detach-sign "$@" --output "$out" "$file"
}

# Funtoo layout: <base>/<release>/x86-64bit/generic_64/stage3-latest.tar.xz with .hash.txt and .gpg.
publish_funtoo() {
  local www=$1 release=$2 tarball=$3 signing_home=$4 dir
  dir=$www/funtoo/$release/x86-64bit/generic_64
  mkdir -p "$dir"
  cp "$tarball" "$dir/stage3-latest.tar.xz"
  printf 'sha256 %s\n' "$(sha256sum "$tarball" | cut -d' ' -f1)" >"$dir/stage3-latest.tar.xz.hash.txt"
  sign_detached "$signing_home" "$dir/stage3-latest.tar.xz" "$dir/stage3-latest.tar.xz.gpg"
}

# Gentoo layout: a clearsigned latest-stage3 pointer, the timestamped tarball, a clearsigned .sha256, an .asc.
publish_gentoo() {
  local www=$1 tarball=$2 signing_home=$3 stamp=20240428T163427Z autobuilds name
  autobuilds=$www/gentoo/releases/amd64/autobuilds
  name=stage3-amd64-openrc-$stamp.tar.xz
  mkdir -p "$autobuilds/$stamp"
  cp "$tarball" "$autobuilds/$stamp/$name"
  printf '# SHA256 HASH\n%s  %s\n' "$(sha256sum "$tarball" | cut -d' ' -f1)" "$name" |
    GNUPGHOME=$signing_home gpg --batch --quiet --clearsign >"$autobuilds/$stamp/$name.sha256"
  sign_detached "$signing_home" "$autobuilds/$stamp/$name" "$autobuilds/$stamp/$name.asc" --armor
  printf '# ts=1714323601\n%s/%s 282176236\n' "$stamp" "$name" |
    GNUPGHOME=$signing_home gpg --batch --quiet --clearsign >"$autobuilds/latest-stage3-amd64-openrc.txt"
}

# A sparse file on a loop device with the udev by-id link of an EBS volume; prints the loop device.
attach_volume() {
  local image=$1 volume_id=$2 by_id=$3 loop
  truncate -s 1G "$image"
  loop=$(losetup --find --show "$image")
  mkdir -p "$by_id"
  ln -sfn "$loop" "$by_id/nvme-Amazon_Elastic_Block_Store_${volume_id/-/}"
  printf '%s\n' "$loop"
}

detach_volume() {
  local loop=$1
  "$HELPERS_DIR/partition-resolver" release "$loop"
  losetup --detach "$loop"
}

# Mount points under a directory, and loop devices layered on a disk: both must be empty after every run.
mounts_under() {
  findmnt --raw --noheadings --output TARGET | grep -F "$1" || true
}

loops_on() {
  losetup --list --noheadings --raw --output NAME --associated "$1"
}
