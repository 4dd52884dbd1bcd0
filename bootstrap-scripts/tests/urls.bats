#!/usr/bin/env bats
# Where each distribution's stage3 comes from, per architecture, from defaults or given mirror/release/subarch.

load helpers/common

# A mirror with a Gentoo pointer file as published (clearsigned; the signature is not checked here) and one that
# names another flavour.
setup_file() {
  local autobuilds=$BATS_FILE_TMPDIR/www/releases/amd64/autobuilds
  mkdir -p "$autobuilds"
  cat >"$autobuilds/latest-stage3-amd64-openrc.txt" <<'POINTER'
-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA512

# Latest as of Sun, 28 Apr 2024 17:00:01 +0000
# ts=1714323601
20240428T163427Z/stage3-amd64-openrc-20240428T163427Z.tar.xz 282176236
-----BEGIN PGP SIGNATURE-----
iHUEARYKAB0WIQQT67297noSd139sbq7Vy4OLRgpEAUCZi6FUQAKCRC7Vy4OLRgpEA==
-----END PGP SIGNATURE-----
POINTER
  printf '%s\n' "20240428T163427Z/stage3-amd64-openrc-20240428T163427Z.tar.xz 1" \
    >"$autobuilds/latest-stage3-amd64-systemd.txt"
  start_http_server "$BATS_FILE_TMPDIR/www"
}

teardown_file() {
  stop_http_server
}

setup() {
  load_bootstrap_libs
}

funtoo_default_url() {
  distro_stage3_url "$(distro_default_base_url)" "$(distro_default_release)" "$1" "$(distro_default_subarch "$1")"
}

@test "funtooX86DefaultIsTheNextGeneric64Stage3" {
  load_distro funtoo
  [ "$(funtoo_default_url x86_64)" = "https://build.funtoo.org/next/x86-64bit/generic_64/stage3-latest.tar.xz" ]
}

@test "funtooArm64DefaultIsTheNextArm64GenericStage3" {
  load_distro funtoo
  [ "$(funtoo_default_url arm64)" = "https://build.funtoo.org/next/arm-64bit/arm64_generic/stage3-latest.tar.xz" ]
}

@test "funtooUsesTheGivenMirrorReleaseAndSubarch" {
  load_distro funtoo
  run distro_stage3_url "https://mirror.example.org/funtoo/" 1.4-release-std x86_64 intel64-skylake
  [ "$output" = "https://mirror.example.org/funtoo/1.4-release-std/x86-64bit/intel64-skylake/stage3-latest.tar.xz" ]
}

@test "gentooGivenReleaseNamesTheTimestampedTarballForEachArch" {
  load_distro gentoo
  run distro_stage3_url "$(distro_default_base_url)" 20240428T163427Z x86_64 "$(distro_default_subarch x86_64)" "$BATS_TEST_TMPDIR" ""
  [ "$output" = "https://distfiles.gentoo.org/releases/amd64/autobuilds/20240428T163427Z/stage3-amd64-openrc-20240428T163427Z.tar.xz" ]
  run distro_stage3_url "$(distro_default_base_url)" 20240428T163427Z arm64 "$(distro_default_subarch arm64)" "$BATS_TEST_TMPDIR" ""
  [ "$output" = "https://distfiles.gentoo.org/releases/arm64/autobuilds/20240428T163427Z/stage3-arm64-openrc-20240428T163427Z.tar.xz" ]
}

@test "gentooLatestFollowsThePointerFileOfTheSubarch" {
  load_distro gentoo
  run distro_stage3_url "http://127.0.0.1:$HTTP_PORT/releases" latest x86_64 amd64-openrc "$BATS_TEST_TMPDIR" ""
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "http://127.0.0.1:$HTTP_PORT/releases/amd64/autobuilds/20240428T163427Z/stage3-amd64-openrc-20240428T163427Z.tar.xz" ]
}

@test "gentooPointerWithoutTheSubarchFailsWithReason" {
  load_distro gentoo
  run distro_stage3_url "http://127.0.0.1:$HTTP_PORT/releases" latest x86_64 amd64-systemd "$BATS_TEST_TMPDIR" ""
  [ "$status" -ne 0 ]
  [ "${lines[-1]}" = "ERROR: latest-stage3-amd64-systemd.txt names no stage3-amd64-systemd tarball" ]
}

@test "everyDistributionHasDefaultsForBothArchitectures" {
  local distribution arch
  for distribution in funtoo gentoo; do
    load_distro "$distribution"
    for arch in x86_64 arm64; do
      [ -n "$(distro_default_subarch "$arch")" ] || { echo "$distribution has no default subarch for $arch"; return 1; }
    done
    [[ $(distro_default_base_url) == https://* ]]
    [ -n "$(distro_default_release)" ]
  done
}
