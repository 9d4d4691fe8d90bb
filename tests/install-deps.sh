#!/bin/sh
# Installs what eider needs to build and to run its tests, from Debian
# packages (Debian 12). Run as root. Node.js comes from Debian unless a
# node is already installed (the tests only need it for the Promises/A+
# suite and the benchmark).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential autoconf automake libtool pkg-config \
    libevent-dev duktape-dev libhttp-parser-dev libssl-dev libmimalloc-dev \
    libutf8proc-dev \
    libhiredis-dev \
    libpcre2-dev \
    node-typescript node-tslib \
    python3 python3-pytest python3-pytest-xdist python3-pytest-timeout \
    curl ca-certificates mandoc man-db valgrind openssl \
    wrk nginx-light libnginx-mod-http-lua haproxy strace \
    redis-server \
    clang libclang-rt-14-dev \
    debhelper dpkg-dev lintian fakeroot logrotate iproute2 \
    node-events node-path-browserify node-string-decoder \
    python3-prometheus-client chromium chromium-driver python3-selenium \
    libpq-dev postgresql postgresql-client
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends nodejs npm
fi
