#!/usr/bin/env bats
# Stage3 integrity: published checksum listings and GPG signatures accepted only from pinned keys.

load helpers/common

HEX_A=$(printf 'a%.0s' {1..64})

# Two signing keys made at test time: "release" is pinned for funtoo, "rogue" is not pinned at all.
setup_file() {
  local www=$BATS_FILE_TMPDIR/www
  mkdir -p "$www/keys"
  RELEASE_FPR=$(make_gpg_key "$BATS_FILE_TMPDIR/release-key" release)
  ROGUE_FPR=$(make_gpg_key "$BATS_FILE_TMPDIR/rogue-key" rogue)
  GNUPGHOME=$BATS_FILE_TMPDIR/release-key gpg --batch --armor --export "$RELEASE_FPR" >"$www/keys/release.asc"
  GNUPGHOME=$BATS_FILE_TMPDIR/rogue-key gpg --batch --armor --export "$ROGUE_FPR" >"$www/keys/rogue.asc"
  start_http_server "$www"
  printf 'funtoo %s http://127.0.0.1:%s/keys/release.asc\n' "$RELEASE_FPR" "$HTTP_PORT" >"$BATS_FILE_TMPDIR/pinned-keys.txt"
  export RELEASE_FPR ROGUE_FPR
}

teardown_file() {
  stop_http_server
  stop_gpg_agents "$BATS_FILE_TMPDIR/release-key" "$BATS_FILE_TMPDIR/rogue-key"
}

setup() {
  export BOOTSTRAP_TEST_PINNED_KEYS=$BATS_FILE_TMPDIR/pinned-keys.txt
  load_bootstrap_libs
  DATA=$BATS_TEST_TMPDIR/stage3-latest.tar.xz
  printf 'pretend stage3\n' >"$DATA"
}

sign_with() {
  GNUPGHOME=$BATS_FILE_TMPDIR/$1-key gpg --batch --quiet --local-user "$2" "${@:3}"
}

@test "funtooHashTxtGivesTheSha256" {
  printf 'sha256 %s\n' "$HEX_A" >"$BATS_TEST_TMPDIR/list"
  [ "$(checksum_from_listing "$BATS_TEST_TMPDIR/list" stage3-latest.tar.xz)" = "$HEX_A" ]
}

@test "coreutilsListingGivesTheSha256OfTheNamedFileOnly" {
  local other
  other=$(printf 'b%.0s' {1..64})
  cat >"$BATS_TEST_TMPDIR/list" <<EOF
-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA512

# SHA256 HASH
$other  stage3-amd64-openrc-20240428T163427Z.tar.xz.CONTENTS.gz
${HEX_A^^}  stage3-amd64-openrc-20240428T163427Z.tar.xz
-----BEGIN PGP SIGNATURE-----
EOF
  [ "$(checksum_from_listing "$BATS_TEST_TMPDIR/list" stage3-amd64-openrc-20240428T163427Z.tar.xz)" = "$HEX_A" ]
  [ -z "$(checksum_from_listing "$BATS_TEST_TMPDIR/list" stage3-arm64-openrc-20240428T163427Z.tar.xz)" ]
}

@test "sha512LinesOfDigestsAreNotMistakenForSha256" {
  printf '%s  stage3.tar.xz\n' "$(printf 'c%.0s' {1..128})" >"$BATS_TEST_TMPDIR/list"
  [ -z "$(checksum_from_listing "$BATS_TEST_TMPDIR/list" stage3.tar.xz)" ]
}

@test "verifySha256AcceptsTheMatchingFile" {
  printf 'sha256 %s\n' "$(sha256_of "$DATA")" >"$BATS_TEST_TMPDIR/list"
  run verify_sha256 "$DATA" "$BATS_TEST_TMPDIR/list" "$(sha256_of "$DATA")"
  [ "$status" -eq 0 ]
  [[ $output == *"sha256 ok"* ]]
}

@test "verifySha256RefusesAMismatchWithBothValues" {
  printf 'sha256 %s\n' "$HEX_A" >"$BATS_TEST_TMPDIR/list"
  run verify_sha256 "$DATA" "$BATS_TEST_TMPDIR/list" ""
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "ERROR: sha256 mismatch for stage3-latest.tar.xz: published $HEX_A, downloaded $(sha256_of "$DATA")" ]
}

@test "verifySha256RefusesAFileThatDiffersFromThePinnedValue" {
  printf 'sha256 %s\n' "$(sha256_of "$DATA")" >"$BATS_TEST_TMPDIR/list"
  run verify_sha256 "$DATA" "$BATS_TEST_TMPDIR/list" "$HEX_A"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "ERROR: sha256 mismatch for stage3-latest.tar.xz: pinned $HEX_A"* ]]
}

@test "verifySha256RefusesAListingWithoutTheFile" {
  printf '%s  other.tar.xz\n' "$HEX_A" >"$BATS_TEST_TMPDIR/list"
  run verify_sha256 "$DATA" "$BATS_TEST_TMPDIR/list" ""
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "ERROR: no sha256 for stage3-latest.tar.xz in list" ]
}

@test "signatureByThePinnedKeyIsAcceptedAndNamesItsFingerprint" {
  sign_with release "$RELEASE_FPR" --detach-sign --output "$DATA.gpg" "$DATA"
  prepare_keyring funtoo "$BATS_TEST_TMPDIR/keyring"
  run gpg_verify_detached funtoo "$BATS_TEST_TMPDIR/keyring" "$DATA.gpg" "$DATA"
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "$RELEASE_FPR" ]
}

@test "signatureOverDifferentDataIsRefused" {
  sign_with release "$RELEASE_FPR" --detach-sign --output "$DATA.gpg" "$DATA"
  printf 'tampered\n' >>"$DATA"
  prepare_keyring funtoo "$BATS_TEST_TMPDIR/keyring"
  run gpg_verify_detached funtoo "$BATS_TEST_TMPDIR/keyring" "$DATA.gpg" "$DATA"
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "ERROR: bad or missing GPG signature on stage3-latest.tar.xz" ]
}

@test "goodSignatureByAKeyThatIsNotPinnedIsRefused" {
  sign_with rogue "$ROGUE_FPR" --detach-sign --output "$DATA.gpg" "$DATA"
  prepare_keyring funtoo "$BATS_TEST_TMPDIR/keyring"
  # Even with the rogue key in the keyring, only a pinned fingerprint is trusted.
  GNUPGHOME=$BATS_TEST_TMPDIR/keyring gpg --batch --quiet --no-autostart --import "$BATS_FILE_TMPDIR/www/keys/rogue.asc"
  run gpg_verify_detached funtoo "$BATS_TEST_TMPDIR/keyring" "$DATA.gpg" "$DATA"
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "ERROR: GPG signature on stage3-latest.tar.xz is by $ROGUE_FPR, which is not pinned for funtoo" ]
}

@test "keyringForADistributionWithoutPinnedKeysIsRefused" {
  run prepare_keyring gentoo "$BATS_TEST_TMPDIR/keyring"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "ERROR: no pinned keys for gentoo in "* ]]
}

@test "clearsignedFileYieldsOnlyItsSignedText" {
  printf '%s\n' '20240428T163427Z/stage3-amd64-openrc-20240428T163427Z.tar.xz 1' >"$BATS_TEST_TMPDIR/pointer"
  sign_with release "$RELEASE_FPR" --clearsign --output "$BATS_TEST_TMPDIR/pointer.txt" "$BATS_TEST_TMPDIR/pointer"
  printf '%s\n' '20990101T000000Z/stage3-amd64-openrc-20990101T000000Z.tar.xz 1' >>"$BATS_TEST_TMPDIR/pointer.txt"
  prepare_keyring funtoo "$BATS_TEST_TMPDIR/keyring"
  run gpg_verify_clearsigned funtoo "$BATS_TEST_TMPDIR/keyring" "$BATS_TEST_TMPDIR/pointer.txt" "$BATS_TEST_TMPDIR/verified"
  [ "$status" -eq 0 ]
  diff "$BATS_TEST_TMPDIR/pointer" "$BATS_TEST_TMPDIR/verified"
}

@test "pinnedKeysFileListsFingerprintsAndHttpsSourcesForBothDistributions" {
  local file=$BOOTSTRAP_DIR/keys/pinned-keys.txt distribution fingerprint url extra
  while read -r distribution fingerprint url extra; do
    [[ -z $distribution || $distribution == \#* ]] && continue
    [[ $distribution == funtoo || $distribution == gentoo ]] || { echo "unknown distribution $distribution"; return 1; }
    [[ $fingerprint =~ ^[0-9A-F]{40}$ ]] || { echo "bad fingerprint $fingerprint"; return 1; }
    [[ $url == https://*"$fingerprint" ]] || { echo "key URL for $fingerprint does not fetch it over https: $url"; return 1; }
    [ -z "$extra" ]
  done <"$file"
  grep -q '^gentoo 13EBBDBEDE7A12775DFDB1BABB572E0E2D182910 ' "$file"
  grep -q '^funtoo 70ACBB6BFEE7BC572A8941D19266C4FA11FD00FD ' "$file"
}
