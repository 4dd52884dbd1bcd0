# shellcheck shell=bash
# Phase: the OpenRC services that run on the instances: IMDSv2 key + hostname, and growing the root filesystem.
# Reads: BOOTSTRAP_HOME (bootstrap.sh); ROOT_MNT (check-helper)
# Sets: nothing
# Calls from the distribution file: nothing

phase_first_boot() {
  local source=$BOOTSTRAP_HOME/firstboot root=$ROOT_MNT
  install -D -m 0755 "$source/ami-firstboot.sh" "$root/usr/libexec/funtoo-ami-builder/firstboot"
  install -D -m 0755 "$source/ami-growroot.sh" "$root/usr/libexec/funtoo-ami-builder/growroot"
  install -D -m 0755 "$source/init.d/ami-firstboot" "$root/etc/init.d/ami-firstboot"
  install -D -m 0755 "$source/init.d/ami-growroot" "$root/etc/init.d/ami-growroot"
  in_chroot "$root" rc-update add ami-growroot boot
  in_chroot "$root" rc-update add ami-firstboot default
}
