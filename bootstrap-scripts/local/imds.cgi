#!/bin/sh
# A stand-in for the EC2 instance metadata service with the IMDSv2 rules, as a CGI: imds-server.py beside it runs it
# for every request of a local boot (local-build.sh --boot, the boot test); tests/firstboot.bats runs it under
# busybox httpd (IMDS_ENDPOINT=http://127.0.0.1:PORT/cgi-bin/imds). Driven by files in $MOCK_IMDS_STATE:
#   instance-id, local-hostname, openssh-key   answers (a missing file is a 404)
#   token-failures                             number of token requests still to fail with 503
#   expire-token                               present: the next request with a token gets 401 and the token dies
# Every request is appended to requests.log as "METHOD PATH token=none|invalid|expired|valid".
state=$MOCK_IMDS_STATE
path=$PATH_INFO

respond() {
  printf 'Status: %s\r\nContent-Type: text/plain\r\n\r\n' "$1"
  if [ -n "${2:-}" ]; then
    printf '%s' "$2"
  fi
  exit 0
}

record() {
  echo "$REQUEST_METHOD $path $1" >>"$state/requests.log"
}

if [ "$path" = /latest/api/token ]; then
  record "ttl=${HTTP_X_AWS_EC2_METADATA_TOKEN_TTL_SECONDS:-none}"
  [ "$REQUEST_METHOD" = PUT ] || respond "405 Method Not Allowed"
  ttl=${HTTP_X_AWS_EC2_METADATA_TOKEN_TTL_SECONDS:-}
  case $ttl in '' | *[!0-9]*) respond "400 Bad Request" ;; esac
  { [ "$ttl" -ge 1 ] && [ "$ttl" -le 21600 ]; } || respond "400 Bad Request"
  failures=$(cat "$state/token-failures" 2>/dev/null || echo 0)
  if [ "$failures" -gt 0 ]; then
    echo $((failures - 1)) >"$state/token-failures"
    respond "503 Service Unavailable"
  fi
  count=$(($(cat "$state/token-count" 2>/dev/null || echo 0) + 1))
  echo "$count" >"$state/token-count"
  echo "token-$count" >"$state/token"
  respond "200 OK" "token-$count"
fi

sent=${HTTP_X_AWS_EC2_METADATA_TOKEN:-}
if [ -z "$sent" ]; then
  record "token=none"
  respond "401 Unauthorized"
fi
if [ "$sent" != "$(cat "$state/token" 2>/dev/null)" ]; then
  record "token=invalid"
  respond "401 Unauthorized"
fi
if [ -f "$state/expire-token" ]; then
  rm -f "$state/expire-token" "$state/token"
  record "token=expired"
  respond "401 Unauthorized"
fi
record "token=valid"
case $path in
  /latest/meta-data/instance-id) file=instance-id ;;
  /latest/meta-data/local-hostname) file=local-hostname ;;
  /latest/meta-data/public-keys/0/openssh-key) file=openssh-key ;;
  *) respond "404 Not Found" ;;
esac
[ -f "$state/$file" ] || respond "404 Not Found"
respond "200 OK" "$(cat "$state/$file")"
