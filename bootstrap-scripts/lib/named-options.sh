# shellcheck shell=bash
# Named options, read the same way by bootstrap.sh and local-build.sh: "--name value" or "--name=value".

# Splits the option that starts the arguments into OPTION_NAME and OPTION_VALUE, and says in OPTION_WORDS how
# many words it took (1 or 2). Fails when "--name" is the last word, with no value after it.
split_option() {
  if [[ $1 == --*=* ]]; then
    OPTION_NAME=${1%%=*} OPTION_VALUE=${1#*=} OPTION_WORDS=1
    return 0
  fi
  OPTION_NAME=$1
  (($# >= 2)) || return 1
  OPTION_VALUE=$2 OPTION_WORDS=2
}
