# shellcheck shell=bash
# Stage3 integrity: published checksums and GPG signatures checked against fingerprints pinned in the repo.
#
# Test seam (tests only; bootstrap.sh warns when it is set):
#   BOOTSTRAP_TEST_PINNED_KEYS   a file in the format of keys/pinned-keys.txt used instead of it

readonly PINNED_KEYS_FILE=${BOOTSTRAP_TEST_PINNED_KEYS:-$BOOTSTRAP_HOME/keys/pinned-keys.txt}

# The sha256 a checksum listing gives for `name`. Understands Funtoo's "sha256 <hex>" (.hash.txt) and the
# coreutils "<hex>  <name>" lines of Gentoo's .sha256 and DIGESTS files (PGP armour lines are ignored).
checksum_from_listing() {
  local listing=$1 name=$2
  awk -v name="$name" '
    $1 == "sha256" && $2 ~ /^[0-9a-fA-F]+$/ && length($2) == 64 { print tolower($2); exit }
    $1 ~ /^[0-9a-fA-F]+$/ && length($1) == 64 {
      file = $2; sub(/^\*/, "", file); sub(/.*\//, "", file)
      if (file == name) { print tolower($1); exit }
    }' "$listing"
}

# Fails unless `file` has the sha256 the listing publishes for it (and the pinned one, when given).
verify_sha256() {
  local file=$1 listing=$2 pinned=${3:-} name published actual
  name=${file##*/}
  published=$(checksum_from_listing "$listing" "$name")
  [[ -n $published ]] || die "no sha256 for $name in ${listing##*/}"
  actual=$(sha256_of "$file")
  [[ $actual == "$published" ]] || die "sha256 mismatch for $name: published $published, downloaded $actual"
  if [[ -n $pinned && $actual != "$pinned" ]]; then
    die "sha256 mismatch for $name: pinned $pinned, downloaded $actual"
  fi
  log "    sha256 ok: $actual"
}

# Lines "fingerprint key-url" of the keys pinned for a distribution.
pinned_keys() {
  local distribution=$1
  [[ -r $PINNED_KEYS_FILE ]] || die "pinned keys file $PINNED_KEYS_FILE is missing"
  awk -v d="$distribution" '$1 == d && $2 ~ /^[0-9A-F]+$/ && length($2) == 40 { print $2, $3 }' "$PINNED_KEYS_FILE"
}

# An isolated GNUPGHOME holding only the pinned keys of the distribution, fetched by fingerprint.
# The fingerprint authenticates the key, so where it is fetched from does not matter.
prepare_keyring() {
  local distribution=$1 home=$2 fingerprint url count=0
  rm -rf -- "$home"
  install -d -m 0700 -- "$home"
  while read -r fingerprint url; do
    fetch "$url" "$home/$fingerprint.key"
    GNUPGHOME=$home gpg --batch --quiet --no-autostart --import "$home/$fingerprint.key" 2>/dev/null ||
      die "could not import the key $fingerprint from $url"
    count=$((count + 1))
  done < <(pinned_keys "$distribution")
  ((count > 0)) || die "no pinned keys for $distribution in $PINNED_KEYS_FILE"
}

# Prints the primary key fingerprint of a good signature whose key is pinned for the distribution; fails
# otherwise. `gpg_args` are the gpg arguments after --verify/--decrypt. Key trust is decided here, by pinning,
# which is why gpg's own trust model is switched off.
gpg_check_signature() {
  local distribution=$1 home=$2 what=$3
  shift 3
  local status primary
  if ! status=$(GNUPGHOME=$home gpg --batch --no-tty --no-autostart --trust-model always --status-fd 1 "$@" 2>/dev/null) ||
    ! grep -q '^\[GNUPG:\] GOODSIG ' <<<"$status" ||
    grep -Eq '^\[GNUPG:\] (BADSIG|ERRSIG|EXPKEYSIG|REVKEYSIG) ' <<<"$status"; then
    die "bad or missing GPG signature on $what"
  fi
  primary=$(awk '$2 == "VALIDSIG" { print $NF; exit }' <<<"$status")
  pinned_keys "$distribution" | awk -v p="$primary" '$1 == p { found = 1 } END { exit !found }' ||
    die "GPG signature on $what is by $primary, which is not pinned for $distribution"
  log "    signature ok: $what signed by $primary"
  printf '%s\n' "$primary"
}

gpg_verify_detached() {
  local distribution=$1 home=$2 signature=$3 file=$4
  gpg_check_signature "$distribution" "$home" "${file##*/}" --verify "$signature" "$file"
}

# Checks a downloaded stage3 against the checksum listing published beside it (its URL + listing_suffix) and, with
# a keyring, against its detached signature (URL + signature_suffix); prints the signer's fingerprint.
verify_published_stage3() {
  local distribution=$1 file=$2 url=$3 keyring=$4 pinned_sha256=$5 listing_suffix=$6 signature_suffix=$7
  fetch "$url$listing_suffix" "$file$listing_suffix"
  verify_sha256 "$file" "$file$listing_suffix" "$pinned_sha256"
  if [[ -n $keyring ]]; then
    fetch "$url$signature_suffix" "$file$signature_suffix"
    gpg_verify_detached "$distribution" "$keyring" "$file$signature_suffix" "$file"
  fi
}

# Verifies a clearsigned file and writes only its signed text to `out`.
gpg_verify_clearsigned() {
  local distribution=$1 home=$2 file=$3 out=$4
  rm -f -- "$out"
  gpg_check_signature "$distribution" "$home" "${file##*/}" --output "$out" --decrypt "$file"
}
