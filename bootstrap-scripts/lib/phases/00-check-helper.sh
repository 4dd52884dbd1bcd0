# shellcheck shell=bash
# Phase: the helper can do the job (root, matching architecture, tools), holds the work directory alone, and
# carries nothing left mounted by an interrupted earlier run.
# Reads: ARCH WORKDIR (options)
# Sets: LOCK_FD ROOT_MNT
# Calls from the distribution file: nothing

readonly REQUIRED_TOOLS=(sgdisk wipefs blkid lsblk findmnt mountpoint partx flock mkfs.vfat fsck.vfat mkfs.ext4
  e2fsck curl gpg tar xz sha256sum chroot)

# Package that provides a tool, for the package managers of the helper images we expect (AL2023, Debian).
tool_package() {
  local manager=$1 tool=$2
  case $tool in
    sgdisk) echo gdisk ;;
    mkfs.vfat | fsck.vfat) echo dosfstools ;;
    mkfs.ext4 | e2fsck) echo e2fsprogs ;;
    curl | tar) echo "$tool" ;;
    gpg) if [[ $manager == apt-get ]]; then echo gnupg; else echo gnupg2; fi ;;
    xz) if [[ $manager == apt-get ]]; then echo xz-utils; else echo xz; fi ;;
    sha256sum | chroot) echo coreutils ;;
    *) echo util-linux ;;
  esac
}

missing_tools() {
  local tool
  for tool in "${REQUIRED_TOOLS[@]}"; do
    command -v "$tool" >/dev/null || printf '%s\n' "$tool"
  done
}

install_missing_tools() {
  local -a missing packages
  mapfile -t missing < <(missing_tools)
  ((${#missing[@]} > 0)) || return 0
  local manager tool
  for manager in dnf yum apt-get; do
    command -v "$manager" >/dev/null && break
    manager=''
  done
  [[ -n $manager ]] || die "missing tools (${missing[*]}) and no known package manager to install them"
  for tool in "${missing[@]}"; do
    packages+=("$(tool_package "$manager" "$tool")")
  done
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  phase_log "installing ${packages[*]} with $manager for ${missing[*]}"
  if [[ $manager == apt-get ]]; then
    apt-get update -q >&2
  fi
  "$manager" install -y "${packages[@]}" >&2 || die "could not install ${packages[*]} with $manager"
  mapfile -t missing < <(missing_tools)
  ((${#missing[@]} == 0)) || die "still missing after installing packages: ${missing[*]}"
}

phase_check_helper() {
  ((EUID == 0)) || die "bootstrap.sh must run as root"
  local machine
  machine=$(helper_arch)
  [[ $machine == "$ARCH" ]] || die "target architecture $ARCH does not match this helper ($machine)"
  install_missing_tools
  mkdir -p -- "$WORKDIR"
  exec {LOCK_FD}>"$WORKDIR/.lock"
  flock --nonblock "$LOCK_FD" || die "another bootstrap run holds $WORKDIR/.lock"
  ROOT_MNT=$WORKDIR/root
  if mountpoint -q "$ROOT_MNT"; then
    phase_log "unmounting $ROOT_MNT, left mounted by an interrupted run"
    unmount_tree "$ROOT_MNT"
  fi
}
