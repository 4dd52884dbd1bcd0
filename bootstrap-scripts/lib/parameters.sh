# shellcheck shell=bash
# GENERATED from lambdas/src/main/java/org/funtoo/amibuilder/lambdas/core/BootstrapParameter.java: do not edit.
# Regenerate: mvn -B -q -pl lambdas compile exec:java -Dexec.mainClass=org.funtoo.amibuilder.lambdas.core.BootstrapParameter
# (BootstrapParameterFilesTest fails while this file differs from what the declaration generates.)
#
# The SSM document's parameters: SSM_PARAMETER_OPTION maps a parameter to the bootstrap.sh option it
# becomes; OPTION_PATTERN is the anchored extended regex every value of that option must match
# (the document's allowedPattern, and the input rule of the same field).

declare -gA SSM_PARAMETER_OPTION=(
  [volumeId]=--volume-id
  [distribution]=--distribution
  [architecture]=--arch
  [stage3Url]=--stage3-url
  [stage3BaseUrl]=--stage3-base-url
  [stage3Release]=--release
  [stage3Subarch]=--subarch
  [stage3Sha256]=--stage3-sha256
  [verifySignature]=--verify-signature
  [hostname]=--hostname
  [bootMode]=--boot-mode
  [extraPackages]=--extra-packages
)

declare -gA OPTION_PATTERN=(
  [--volume-id]='^((vol-?[0-9a-f]{8,17}))?$'
  [--distribution]='^((funtoo|gentoo))?$'
  [--arch]='^((x86_64|arm64))?$'
  [--stage3-url]='^((https://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~+/-]*)?))?$'
  [--stage3-base-url]='^((https://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~+/-]*)?))?$'
  [--release]='^(([A-Za-z0-9][A-Za-z0-9._-]{0,63}))?$'
  [--subarch]='^(([A-Za-z0-9][A-Za-z0-9._+-]{0,63}))?$'
  [--stage3-sha256]='^(([0-9a-fA-F]{64}))?$'
  [--verify-signature]='^((true|false))?$'
  [--hostname]='^(([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*))?$'
  [--boot-mode]='^((legacy-bios|uefi|uefi-preferred))?$'
  [--extra-packages]='^((([<>]=?|=|~)?[A-Za-z0-9_][A-Za-z0-9+_.-]*/[A-Za-z0-9_][A-Za-z0-9+_.-]*\*?(:[A-Za-z0-9_][A-Za-z0-9+_.-]*(/[A-Za-z0-9_][A-Za-z0-9+_.-]*)?[*=]?)?(::[A-Za-z0-9_][A-Za-z0-9_-]*)?)( (([<>]=?|=|~)?[A-Za-z0-9_][A-Za-z0-9+_.-]*/[A-Za-z0-9_][A-Za-z0-9+_.-]*\*?(:[A-Za-z0-9_][A-Za-z0-9+_.-]*(/[A-Za-z0-9_][A-Za-z0-9+_.-]*)?[*=]?)?(::[A-Za-z0-9_][A-Za-z0-9_-]*)?))*)?$'
)

# The SSM parameters that become options, one a line, sorted.
ssm_parameter_names() {
  printf '%s\n' "${!SSM_PARAMETER_OPTION[@]}" | LC_ALL=C sort
}

# The bootstrap.sh option SSM parameter $1 becomes.
ssm_parameter_option() {
  printf '%s\n' "${SSM_PARAMETER_OPTION[$1]:?no bootstrap.sh option for $1}"
}

# True when $2 is a value option $1 allows.
declared_value() {
  [[ $2 =~ ${OPTION_PATTERN[$1]:?no declared pattern for $1} ]]
}
