#!/bin/sh
# Installs the Debian packages timtin needs that are missing; does nothing
# when all are present.  Usage: scripts/install-deps.sh GROUP...
# Groups: build (compile), test (make check), bench (make bench), browser
# (make check too, where Debian has chromium), fuzz (make fuzz: clang and
# its libFuzzer runtime).
# Runs apt-get through sudo when not root.  TIMTIN_NO_APT=1 only checks.
set -eu
build="pkg-config gcc g++ make libxapian-dev libcurl4-openssl-dev zlib1g-dev
  libxml2-dev libutf8proc-dev libjansson-dev libssl-dev libfcgi-dev
  libjemalloc-dev"
test="xapian-tools lighttpd curl python3 procps tidy"
bench="xapian-omega sqlite3 wrk gnuplot-nox hyperfine lighttpd time"
browser="chromium"
fuzz="clang libclang-rt-14-dev"
want=""
for g in "$@"; do
    case $g in
    build) want="$want $build" ;;
    test) want="$want $test" ;;
    bench) want="$want $bench" ;;
    browser) want="$want $browser" ;;
    fuzz) want="$want $fuzz" ;;
    *) echo "install-deps: unknown group $g" >&2; exit 2 ;;
    esac
done
missing=""
for p in $want; do
    case " $missing " in *" $p "*) continue ;; esac
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case $st in *"ok installed"*) ;; *) missing="$missing $p" ;; esac
done
# npm/npx (make check installs npm's warcio with it, the independent WARC
# reader of tests/e2e/corpus.sh); a NodeSource node already has it.
case " $* " in *" test "*)
    command -v npx >/dev/null 2>&1 || missing="$missing nodejs npm" ;;
esac
[ -z "$missing" ] && exit 0
if [ "${TIMTIN_NO_APT:-}" = 1 ]; then
    echo "install-deps: missing packages:$missing" >&2; exit 1
fi
echo "install-deps: installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
