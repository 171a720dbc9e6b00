#!/usr/bin/env bash
# Installs what the notebooks need from Debian's packages (the kernel is Debian's Python 3 with ipykernel):
# nbclient/nbconvert to execute them headless, ipykernel, matplotlib. Does nothing when they are there.
set -euo pipefail
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c "import nbclient, nbconvert, nbformat, ipykernel, matplotlib" 2>/dev/null; then
  exit 0
fi
pkgs=(python3-nbclient python3-nbconvert python3-nbformat python3-ipykernel python3-matplotlib)
sudo=""
[ "$(id -u)" = "0" ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "notebooks: installing ${pkgs[*]} from Debian's packages ..." >&2
if ! $sudo apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null; then
  $sudo apt-get update -q >/dev/null
  $sudo apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null
fi
"$PY" -c "import nbclient, nbconvert, nbformat, ipykernel, matplotlib"
