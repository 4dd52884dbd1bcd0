#!/usr/bin/env bats
# Unmounting: the exit path may detach a busy mount lazily (the helper must stay usable), the final check may not
# (a lazily detached filesystem can still be written to, so it must be neither checked nor captured).

load helpers/common

setup() {
  load_bootstrap_libs
  MNT=$(mktemp -d "${BATS_TEST_TMPDIR:-/tmp}/mnt.XXXXXX")
  mount -t tmpfs -o size=1m busy-test "$MNT"
  # a process whose working directory is inside keeps the mount busy
  (cd "$MNT" && exec sleep 60) &
  HOLDER=$!
}

teardown() {
  kill "$HOLDER" 2>/dev/null || true
  wait "$HOLDER" 2>/dev/null || true
  umount -l "$MNT" 2>/dev/null || true
  rmdir "$MNT" 2>/dev/null || true
}

@test "strictUnmountOfABusyMountFailsAndLeavesItMounted" {
  run unmount_tree "$MNT" strict
  [ "$status" -ne 0 ]
  mountpoint -q "$MNT"
}

@test "exitPathDetachesABusyMountLazily" {
  run unmount_tree "$MNT"
  [ "$status" -eq 0 ]
  run mountpoint -q "$MNT"
  [ "$status" -ne 0 ]
}

@test "strictUnmountOfAnIdleMountSucceeds" {
  kill "$HOLDER"
  wait "$HOLDER" 2>/dev/null || true
  run unmount_tree "$MNT" strict
  [ "$status" -eq 0 ]
  run mountpoint -q "$MNT"
  [ "$status" -ne 0 ]
}
