#!/usr/bin/env bats
# The first-boot service against a mock metadata service that enforces IMDSv2 (token first, 401 without one).

load helpers/common

INSTANCE=i-0123456789abcdef0
KEY="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests test@example"

setup_file() {
  mkdir -p "$BATS_FILE_TMPDIR/www/cgi-bin"
  cp "$BOOTSTRAP_DIR/local/imds.cgi" "$BATS_FILE_TMPDIR/www/cgi-bin/imds"
  export MOCK_IMDS_STATE=$BATS_FILE_TMPDIR/imds
  mkdir -p "$MOCK_IMDS_STATE"
  start_http_server "$BATS_FILE_TMPDIR/www" "MOCK_IMDS_STATE=$MOCK_IMDS_STATE"
}

teardown_file() {
  stop_http_server
}

setup() {
  rm -rf "${MOCK_IMDS_STATE:?}"/*
  echo "$INSTANCE" >"$MOCK_IMDS_STATE/instance-id"
  echo "ip-10-1-2-3.ec2.internal" >"$MOCK_IMDS_STATE/local-hostname"
  echo "$KEY" >"$MOCK_IMDS_STATE/openssh-key"
  export IMDS_ENDPOINT=http://127.0.0.1:$HTTP_PORT/cgi-bin/imds
  export FIRSTBOOT_ROOT=$BATS_TEST_TMPDIR/root
  export FIRSTBOOT_CONSOLE=$BATS_TEST_TMPDIR/console
  export IMDS_ATTEMPTS=3 IMDS_RETRY_DELAY=0
  mkdir -p "$FIRSTBOOT_ROOT"
  : >"$FIRSTBOOT_CONSOLE"
}

firstboot() {
  run "$BOOTSTRAP_DIR/firstboot/ami-firstboot.sh"
}

@test "mockMetadataServiceRefusesRequestsWithoutToken" {
  run curl --silent --output /dev/null --write-out '%{http_code}' "$IMDS_ENDPOINT/latest/meta-data/instance-id"
  [ "$output" = 401 ]
  run curl --silent --output /dev/null --write-out '%{http_code}' -X PUT "$IMDS_ENDPOINT/latest/api/token"
  [ "$output" = 400 ]
}

@test "firstBootInstallsKeyAndHostnameAndWritesTheConsoleMarker" {
  firstboot
  [ "$status" -eq 0 ]
  [ "$(cat "$FIRSTBOOT_ROOT/root/.ssh/authorized_keys")" = "$KEY" ]
  [ "$(stat -c %a "$FIRSTBOOT_ROOT/root/.ssh")" = 700 ]
  [ "$(stat -c %a "$FIRSTBOOT_ROOT/root/.ssh/authorized_keys")" = 600 ]
  [ "$(cat "$FIRSTBOOT_ROOT/etc/hostname")" = ip-10-1-2-3.ec2.internal ]
  [ "$(cat "$FIRSTBOOT_ROOT/etc/conf.d/hostname")" = 'hostname="ip-10-1-2-3.ec2.internal"' ]
  [ "$(cat "$FIRSTBOOT_CONSOLE")" = "funtoo-ami-builder: first-boot ok instance=$INSTANCE" ]
}

@test "firstBootAsksForTheTokenFirstAndSendsItWithEveryRequest" {
  firstboot
  [ "$status" -eq 0 ]
  [ "$(head -n 1 "$MOCK_IMDS_STATE/requests.log")" = "PUT /latest/api/token ttl=300" ]
  [ "$(grep -c '^GET' "$MOCK_IMDS_STATE/requests.log")" -eq 3 ]
  [ "$(grep '^GET' "$MOCK_IMDS_STATE/requests.log" | grep -vc 'token=valid$')" -eq 0 ]
}

@test "firstBootRetriesTheTokenUntilTheServiceAnswers" {
  echo 2 >"$MOCK_IMDS_STATE/token-failures"
  firstboot
  [ "$status" -eq 0 ]
  [ "$(grep -c '^PUT /latest/api/token' "$MOCK_IMDS_STATE/requests.log")" -eq 3 ]
  grep -q "first-boot ok instance=$INSTANCE" "$FIRSTBOOT_CONSOLE"
}

@test "firstBootWithoutTokenFailsAndReportsOnTheConsole" {
  echo 5 >"$MOCK_IMDS_STATE/token-failures"
  firstboot
  [ "$status" -eq 1 ]
  [ "$(grep -c '^PUT' "$MOCK_IMDS_STATE/requests.log")" -eq 3 ]
  [ "$(grep -c '^GET' "$MOCK_IMDS_STATE/requests.log")" -eq 0 ]
  [ "$(cat "$FIRSTBOOT_CONSOLE")" = "funtoo-ami-builder: first-boot failed: no IMDSv2 session token from $IMDS_ENDPOINT" ]
  [ ! -e "$FIRSTBOOT_ROOT/var/lib/funtoo-ami-builder/first-boot-instance-id" ]
}

@test "expiredTokenIsRenewedAfterA401" {
  touch "$MOCK_IMDS_STATE/expire-token"
  firstboot
  [ "$status" -eq 0 ]
  grep -q 'token=expired$' "$MOCK_IMDS_STATE/requests.log"
  [ "$(grep -c '^PUT' "$MOCK_IMDS_STATE/requests.log")" -eq 2 ]
  [ "$(cat "$FIRSTBOOT_ROOT/root/.ssh/authorized_keys")" = "$KEY" ]
}

@test "instanceLaunchedWithoutKeyPairGetsHostnameButNoKey" {
  rm "$MOCK_IMDS_STATE/openssh-key"
  firstboot
  [ "$status" -eq 0 ]
  [ ! -e "$FIRSTBOOT_ROOT/root/.ssh/authorized_keys" ]
  [ "$(cat "$FIRSTBOOT_ROOT/etc/hostname")" = ip-10-1-2-3.ec2.internal ]
  grep -q "first-boot ok instance=$INSTANCE" "$FIRSTBOOT_CONSOLE"
}

@test "rerunOnTheSameInstanceDoesNothing" {
  firstboot
  [ "$status" -eq 0 ]
  echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKey other@example" >"$MOCK_IMDS_STATE/openssh-key"
  echo "ip-10-9-9-9.ec2.internal" >"$MOCK_IMDS_STATE/local-hostname"
  : >"$MOCK_IMDS_STATE/requests.log"
  firstboot
  [ "$status" -eq 0 ]
  [ "$(cat "$FIRSTBOOT_ROOT/root/.ssh/authorized_keys")" = "$KEY" ]
  [ "$(cat "$FIRSTBOOT_ROOT/etc/hostname")" = ip-10-1-2-3.ec2.internal ]
  [ "$(grep -c 'first-boot ok' "$FIRSTBOOT_CONSOLE")" -eq 1 ]
  run grep -c -e openssh-key -e local-hostname "$MOCK_IMDS_STATE/requests.log"
  [ "$output" = 0 ]
}

@test "newInstanceIdRunsAgainWithItsOwnKey" {
  firstboot
  local other_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKey other@example"
  echo i-0fedcba9876543210 >"$MOCK_IMDS_STATE/instance-id"
  echo "$other_key" >"$MOCK_IMDS_STATE/openssh-key"
  firstboot
  [ "$status" -eq 0 ]
  [ "$(cat "$FIRSTBOOT_ROOT/root/.ssh/authorized_keys")" = "$other_key" ]
  [ "$(tail -n 1 "$FIRSTBOOT_CONSOLE")" = "funtoo-ami-builder: first-boot ok instance=i-0fedcba9876543210" ]
}

@test "everyNewInstanceGetsAMachineIdOfItsOwn" {
  firstboot
  [ "$status" -eq 0 ]
  local first
  first=$(cat "$FIRSTBOOT_ROOT/etc/machine-id")
  [[ $first =~ ^[0-9a-f]{32}$ ]]
  firstboot
  [ "$(cat "$FIRSTBOOT_ROOT/etc/machine-id")" = "$first" ]
  echo i-0fedcba9876543210 >"$MOCK_IMDS_STATE/instance-id"
  firstboot
  [ "$status" -eq 0 ]
  [[ $(cat "$FIRSTBOOT_ROOT/etc/machine-id") =~ ^[0-9a-f]{32}$ ]]
  [ "$(cat "$FIRSTBOOT_ROOT/etc/machine-id")" != "$first" ]
}

@test "somethingThatIsNotAKeyIsNotInstalled" {
  echo "<html>captive portal</html>" >"$MOCK_IMDS_STATE/openssh-key"
  firstboot
  [ "$status" -eq 1 ]
  [ ! -e "$FIRSTBOOT_ROOT/root/.ssh/authorized_keys" ]
  grep -q 'first-boot failed' "$FIRSTBOOT_CONSOLE"
}
