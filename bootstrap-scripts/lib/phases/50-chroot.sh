# shellcheck shell=bash
# Phase: a working chroot (proc, sys, dev, run, name resolution) and the package repository.
# Reads: ROOT_MNT (check-helper)
# Sets: nothing
# Calls from the distribution file: distro_sync_repository

# Recursive binds are made slaves so that unmounting them in the chroot never propagates to the helper.
bind_into_root() {
  local source=$1 target=$ROOT_MNT$1
  mkdir -p -- "$target"
  mount --rbind "$source" "$target"
  mount --make-rslave "$target"
  push_undo unmount_tree "$target"
}

phase_chroot() {
  mount -t proc proc "$ROOT_MNT/proc"
  push_undo unmount_tree "$ROOT_MNT/proc"
  bind_into_root /sys
  bind_into_root /dev
  bind_into_root /run
  rm -f -- "$ROOT_MNT/etc/resolv.conf"
  if [[ -e /etc/resolv.conf ]]; then
    cp -L -- /etc/resolv.conf "$ROOT_MNT/etc/resolv.conf"
  fi
  mkdir -p -- "$ROOT_MNT/etc/portage"
  render_build_settings "$(nproc)" >>"$ROOT_MNT/etc/portage/make.conf"
  phase_log "syncing the package repository"
  distro_sync_repository "$ROOT_MNT"
}
