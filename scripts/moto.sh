#!/usr/bin/env bash
# moto server (a real AWS emulator, PyPI moto[server]) on a free loopback port, for the
# integration tests and the local end-to-end run (docs/LOCAL-RUN.md).
#
#   scripts/moto.sh start [--until-exit-of PID]   install if needed, start, print the endpoint URL on stdout
#   scripts/moto.sh stop                           stop the server this script started
#   scripts/moto.sh endpoint                       print the running server's endpoint URL
#   scripts/moto.sh install                        only install moto into .venv/moto
#
# Then: mvn -B verify -Dmoto.endpoint="$(scripts/moto.sh endpoint)"
#
# The server is loaded with the AMI catalogue in integration-tests/moto/amis.json (trusted golden
# AMIs and a public look-alike from another owner); moto reads it once, at start.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION=5.2.5
venv="${MOTO_VENV:-.venv/moto}"
state_dir="$venv/server"
amis="$PWD/integration-tests/moto/amis.json"

say() { echo "moto: $*" >&2; }

# The Python that runs moto: the venv's, or (where python3-venv is missing) python3 with a --target dir.
python_cmd() {
  if [[ -x "$venv/bin/python" ]]; then echo "$venv/bin/python"; else echo python3; fi
}

installed() {
  PYTHONPATH="$venv/site" "$(python_cmd)" -c "import moto,sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null
}

install() {
  if installed; then
    return
  fi
  say "installing moto[server]==$MOTO_VERSION into $venv (one minute, once)"
  if python3 -m venv "$venv" >/dev/null 2>&1; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  else
    say "python3 -m venv is not available here; installing with pip --target $venv/site instead"
    rm -rf "$venv" && mkdir -p "$venv"
    python3 -m pip install --quiet --disable-pip-version-check --target "$venv/site" "moto[server]==$MOTO_VERSION" >&2
  fi
  installed || { say "moto $MOTO_VERSION is still not importable after installing"; exit 1; }
}

endpoint() {
  local port_file="$state_dir/port" pid_file="$state_dir/pid"
  if [[ -f "$pid_file" && -f "$port_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "http://127.0.0.1:$(cat "$port_file")"
  else
    return 1
  fi
}

start() {
  local watch_pid=""
  if [[ "${1:-}" == "--until-exit-of" ]]; then watch_pid="${2:?--until-exit-of needs a PID}"; fi
  if endpoint >/dev/null; then
    say "already running"; endpoint; return
  fi
  install
  mkdir -p "$state_dir"
  # A free port: bind to port 0 and let the kernel choose (tiny race, acceptable on loopback).
  local port
  port=$("$(python_cmd)" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  MOTO_AMIS_PATH="$amis" PYTHONPATH="$venv/site" nohup "$(python_cmd)" -m moto.server -H 127.0.0.1 -p "$port" >"$state_dir/server.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$state_dir/pid"
  echo "$port" >"$state_dir/port"
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "server exited at start; its log:"; cat "$state_dir/server.log" >&2; exit 1
    fi
    sleep 0.2
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" || { say "server did not answer on port $port"; exit 1; }
  # Lambda Invoke without Docker (the tests record invocations in their own front; see docs/LOCAL-RUN.md).
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$port/moto-api/config" -d '{"lambda": {"use_docker": false}}'
  if [[ -n "$watch_pid" ]]; then
    # Stops the server when the calling script ends, even if its own EXIT trap is replaced later.
    ( while kill -0 "$watch_pid" 2>/dev/null; do sleep 2; done; kill "$pid" 2>/dev/null || true ) >/dev/null 2>&1 &
    disown || true
  fi
  say "moto $MOTO_VERSION listening on http://127.0.0.1:$port (pid $pid, log $state_dir/server.log)"
  echo "http://127.0.0.1:$port"
}

stop() {
  local pid_file="$state_dir/pid"
  if [[ -f "$pid_file" ]]; then
    local pid
    pid=$(cat "$pid_file")
    if kill "$pid" 2>/dev/null; then say "stopped (pid $pid)"; fi
    rm -f "$pid_file" "$state_dir/port"
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  endpoint) endpoint || { say "not running: scripts/moto.sh start"; exit 1; } ;;
  install) install ;;
  *) echo "usage: $0 start [--until-exit-of PID] | stop | endpoint | install" >&2; exit 2 ;;
esac
