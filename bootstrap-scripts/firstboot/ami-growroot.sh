#!/usr/bin/env bash
# Grows the root partition to the end of its disk and the ext4 filesystem to the partition, on every boot (a
# no-op once grown), so an instance launched with a larger volume than the image gets all of it. Uses only
# util-linux and e2fsprogs, which every stage3 has. The functions are sourced by the tests.
set -euo pipefail

log() {
  printf 'ami-growroot: %s\n' "$*" >&2
}

# "disk number partition" of the root filesystem, from sysfs.
root_partition() {
  local device name number parent
  device=$(readlink -f -- "$(findmnt --noheadings --output SOURCE /)")
  name=${device##*/}
  if [[ ! -r /sys/class/block/$name/partition ]]; then
    log "root ($device) is not a partition; nothing to grow"
    return 1
  fi
  number=$(<"/sys/class/block/$name/partition")
  parent=$(readlink -f -- "/sys/class/block/$name/..")
  printf '/dev/%s %s %s\n' "${parent##*/}" "$number" "$device"
}

partition_sectors() {
  local sectors
  sectors=$(partx --show --noheadings --output SECTORS --nr "$2" "$1")
  printf '%s\n' "${sectors//[[:space:]]/}"
}

# Moves the backup GPT to the end of a grown disk, then extends partition `number` as far as it goes.
# Prints "grown" or "unchanged".
grow_partition() {
  local disk=$1 number=$2 before after
  before=$(partition_sectors "$disk" "$number")
  sfdisk --quiet --no-reread --no-tell-kernel --relocate gpt-bak-std "$disk" 2>/dev/null
  printf ', +\n' | sfdisk --quiet --no-reread --no-tell-kernel --force -N "$number" "$disk" >/dev/null 2>&1
  after=$(partition_sectors "$disk" "$number")
  if ((after > before)); then
    log "partition $number of $disk grew from $before to $after sectors"
    echo grown
  else
    echo unchanged
  fi
}

grow_filesystem() {
  resize2fs "$1" >&2
}

main() {
  local disk number device
  read -r disk number device < <(root_partition) || return 0
  if [[ $(grow_partition "$disk" "$number") == grown ]]; then
    partx --update --nr "$number" "$disk"
  fi
  grow_filesystem "$device"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
