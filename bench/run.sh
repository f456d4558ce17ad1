#!/usr/bin/env bash
# Load benchmark for onramp. See bench/README.md.
#
# Usage: bench/run.sh [sqlite|postgres|both] [--candidates N] [--cohorts N [--trainees M]]
#                     [--duration 10s] [--connections 32]
#
# Per backend: fresh database, migrate, generate demo data, create a known
# user + API token, start the release server on 127.0.0.1:18080, log in, run
# wrk against every row of ENDPOINTS, record peak RSS, stop the server, and
# append a section to bench/RESULTS.md.
set -euo pipefail

# ---------------------------------------------------------------------------
# Endpoints under load: "name|path|auth[|needs[|connections]]" with auth one of
# none|cookie|bearer|trainee.
#   none    - no credentials
#   cookie  - header "Cookie: onramp_session=<session from a real /login>"
#   bearer  - header "Authorization: Bearer <API token from `onramp token create`>"
#   trainee - the session of a trainee of the generated running cohort (its portal)
# needs "cohorts": only run with --cohorts (training and offer data); {COHORT} in the
# path is the generated running cohort of 200 trainees. connections overrides
# --connections: the report pages have a latency target for one HR user at a time.
# Every endpoint must answer 2xx (not a redirect) for the credentials given.
# Add rows here as the app grows. The hiring rows need `--candidates` >= 1000 (jobs 1..50
# and candidates from id 1 come from the generator).
# ---------------------------------------------------------------------------
ENDPOINTS=(
    "login page|/login|none"
    "home|/home|cookie"
    "api users|/api/v1/users?limit=50|bearer"
    "candidate list, filtered|/hiring/candidates?job=7&stage=screening&limit=50|cookie"
    "pipeline board|/hiring/jobs/7|cookie"
    "candidate page|/hiring/candidates/1000|cookie"
    "api candidates, filtered|/api/v1/candidates?job=7&stage=screening&limit=50|bearer"
    "cohort list|/training/cohorts|cookie|cohorts"
    "roster, 200 trainees|/training/cohorts/{COHORT}|cookie|cohorts"
    "attendance page, 200 trainees|/training/cohorts/{COHORT}/attendance?day=1|cookie|cohorts"
    "new hire portal|/portal|trainee|cohorts"
    "uptake report, 1 connection|/offers/uptake|cookie|cohorts|1"
    "retention report, 1 connection|/offers/retention|cookie|cohorts|1"
)

# The load only ever targets this fixed loopback address.
readonly HOST=127.0.0.1
readonly PORT=18080
readonly BASE="http://${HOST}:${PORT}"
readonly WRK_THREADS=2
readonly PG_ADMIN=(psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q)
# Loopback needs no TLS; libpq's default (sslmode=prefer) encrypts anyway, which cost the
# server and PostgreSQL about 15% of a signed-in page.
readonly PG_URL="postgres://postgres@127.0.0.1:5432/onramp_bench?sslmode=disable"
readonly BENCH_EMAIL="bench@bench.test"
readonly IMPORT_ROWS=100000
readonly WARMUP=2s

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
readonly ROOT
readonly TMP="$ROOT/bench/tmp"
# ONRAMP_BENCH_BIN: use another binary and skip `cargo build` (for testing this script).
readonly BIN="${ONRAMP_BENCH_BIN:-$ROOT/target/release/onramp}"
readonly RESULTS="$ROOT/bench/RESULTS.md"

# Keep everything the app writes (mail .eml files) under bench/tmp, and never send real mail.
unset ONRAMP_SMTP_URL ONRAMP_BASE_URL
export ONRAMP_MAIL_DIR="$TMP/mail-out"

CMDLINE="bench/run.sh"
for a in "$@"; do CMDLINE+=" $(printf '%q' "$a")"; done
readonly CMDLINE

usage() {
    echo "usage: bench/run.sh [sqlite|postgres|both] [--candidates N] [--cohorts N [--trainees M]] [--duration 10s] [--connections 32]" >&2
    exit 2
}

die() { echo "run.sh: error: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }
loud() {
    {
        echo
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        echo "!!! $*"
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        echo
    } >&2
}

# --------------------------------------------------------------------------- args
BACKEND=both
CANDIDATES=100000
COHORTS=0
TRAINEES=100
DURATION=10s
CONNS=32
backend_set=0
while (($#)); do
    case "$1" in
        sqlite | postgres | both)
            ((backend_set == 0)) || usage
            BACKEND=$1; backend_set=1; shift ;;
        --candidates) (($# >= 2)) || usage; CANDIDATES=$2; shift 2 ;;
        --candidates=*) CANDIDATES=${1#*=}; shift ;;
        --cohorts) (($# >= 2)) || usage; COHORTS=$2; shift 2 ;;
        --cohorts=*) COHORTS=${1#*=}; shift ;;
        --trainees) (($# >= 2)) || usage; TRAINEES=$2; shift 2 ;;
        --trainees=*) TRAINEES=${1#*=}; shift ;;
        --duration) (($# >= 2)) || usage; DURATION=$2; shift 2 ;;
        --duration=*) DURATION=${1#*=}; shift ;;
        --connections) (($# >= 2)) || usage; CONNS=$2; shift 2 ;;
        --connections=*) CONNS=${1#*=}; shift ;;
        -h | --help) usage ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $CANDIDATES =~ ^[0-9]{1,8}$ ]] || die "--candidates must be an integer in 0..10000000"
CANDIDATES=$((10#$CANDIDATES))
[[ $COHORTS =~ ^[0-9]{1,6}$ ]] || die "--cohorts must be an integer in 0..100000"
COHORTS=$((10#$COHORTS))
[[ $TRAINEES =~ ^[0-9]{1,4}$ ]] || die "--trainees must be an integer in 0..1000"
TRAINEES=$((10#$TRAINEES))
((CANDIDATES <= 10000000)) || die "--candidates must be an integer in 0..10000000"
[[ $DURATION =~ ^[1-9][0-9]*[smh]?$ ]] || die "--duration must look like 10s, 2m"
[[ $CONNS =~ ^[0-9]{1,5}$ ]] || die "--connections must be an integer in ${WRK_THREADS}..10000"
CONNS=$((10#$CONNS))
((CONNS >= WRK_THREADS && CONNS <= 10000)) || die "--connections must be an integer in ${WRK_THREADS}..10000"
case "$BACKEND" in
    both) BACKENDS=(sqlite postgres) ;;
    *) BACKENDS=("$BACKEND") ;;
esac

# --------------------------------------------------------------------------- cleanup
SERVER_PID=""
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    local pid=$SERVER_PID i
    SERVER_PID=""
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        # Bounded wait (~35 s), then SIGKILL.
        for ((i = 0; i < 350; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "run.sh: server $pid ignored SIGTERM for 35 s, sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT
trap 'stop_server; exit 143' TERM

# --------------------------------------------------------------------------- helpers
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

random_password() {
    # 20 alphanumeric characters; reads finite input so pipefail cannot trip on SIGPIPE.
    local pw
    pw=$(head -c 96 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c1-20)
    ((${#pw} == 20)) || die "could not generate a password"
    printf '%s' "$pw"
}

machine_info() {
    local cpu mem
    cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    [[ -n $cpu ]] || cpu=$(awk -F': *' '/^(Hardware|Model|cpu model)/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    [[ -n $cpu ]] || cpu="unknown CPU"
    mem=$(free -g | awk '/^Mem:/ { print $2 }')
    printf '%s cores, %s GiB RAM, Linux %s, %s' "$(nproc)" "$mem" "$(uname -r)" "$cpu"
}

git_commit() {
    local c
    if c=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
        # The results file itself is not "uncommitted code": the first section changes it.
        if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no -- . ':!bench/RESULTS.md' 2>/dev/null) ]]; then
            c+=" (with uncommitted changes)"
        fi
        printf '%s' "$c"
    else
        printf 'uncommitted'
    fi
}

ensure_wrk() {
    if ! command -v wrk >/dev/null 2>&1; then
        log "installing wrk"
        apt-get update -qq && apt-get install -y -qq wrk
    fi
    command -v wrk >/dev/null 2>&1 || die "wrk is not installed and could not be installed"
}

# http_status URL [curl header args...] -> prints the status code (no redirects followed)
http_status() {
    local url=$1
    shift
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" "$url") || true
    printf '%s' "${code:-000}"
}

fresh_database() {
    local backend=$1
    case "$backend" in
        sqlite)
            rm -f "$TMP/bench.db" "$TMP/bench.db-wal" "$TMP/bench.db-shm"
            DATABASE_URL="sqlite://$TMP/bench.db"
            ;;
        postgres)
            command -v psql >/dev/null 2>&1 || die "psql not found"
            PGCONNECT_TIMEOUT=10 PGOPTIONS="-c client_min_messages=warning" "${PG_ADMIN[@]}" \
                -c 'DROP DATABASE IF EXISTS onramp_bench' \
                -c 'CREATE DATABASE onramp_bench' ||
                die "could not recreate database onramp_bench on 127.0.0.1:5432"
            DATABASE_URL="$PG_URL"
            ;;
    esac
    export DATABASE_URL
}

# Sets DEMO_NOTE (text for RESULTS.md), and with --cohorts COHORT (the running cohort's
# id) and TRAINEE_EMAIL / TRAINEE_PW (a trainee of it, printed once by the generator).
generate_demo() {
    local backend=$1 t0 secs out="$TMP/$backend-demo.log"
    local -a args=(demo --candidates "$CANDIDATES")
    ((COHORTS == 0)) || args+=(--cohorts "$COHORTS" --trainees "$TRAINEES")
    log "[$backend] onramp ${args[*]}"
    t0=$(now)
    "$BIN" "${args[@]}" >"$out" 2>&1 || {
        tail -n 20 "$out" >&2
        die "[$backend] onramp ${args[*]} failed (log: $out)"
    }
    secs=$(elapsed "$t0" "$(now)")
    DEMO_NOTE="$CANDIDATES candidates"
    ((COHORTS == 0)) || DEMO_NOTE+=", $COHORTS graduated cohorts of $TRAINEES trainees (each with a hire, enrolment and offer) and one running cohort of 200"
    DEMO_NOTE+="; \`onramp ${args[*]}\` took ${secs} s ($(grep -E '^generated' "$out" | paste -sd ';' -))"
    log "[$backend] demo data generated in ${secs} s"
    if ((COHORTS > 0)); then
        COHORT=$(sed -nE 's/^running cohort: ([0-9]+)$/\1/p' "$out")
        TRAINEE_EMAIL=$(sed -nE 's/^portal login: ([^ ]+) ([^ ]+)$/\1/p' "$out")
        TRAINEE_PW=$(sed -nE 's/^portal login: ([^ ]+) ([^ ]+)$/\2/p' "$out")
        [[ -n $COHORT && -n $TRAINEE_EMAIL && -n $TRAINEE_PW ]] ||
            die "[$backend] the generator printed no running cohort or portal login (log: $out)"
    fi
}

# Sets TOKEN and PW.
create_user_and_token() {
    local backend=$1 out
    PW=$(random_password)
    log "[$backend] creating user $BENCH_EMAIL"
    printf '%s\n' "$PW" | "$BIN" user add --email "$BENCH_EMAIL" --name Bench \
        --role admin --role hr --role recruiter --password-stdin >"$TMP/$backend-user.log" 2>&1 || {
        cat "$TMP/$backend-user.log" >&2
        die "[$backend] onramp user add failed"
    }
    log "[$backend] creating API token"
    out=$("$BIN" token create --email "$BENCH_EMAIL" --label bench 2>"$TMP/$backend-token.err") || {
        cat "$TMP/$backend-token.err" >&2
        die "[$backend] onramp token create failed"
    }
    TOKEN=$(printf '%s\n' "$out" | awk 'NF { last = $0 } END { print last }' | tr -d '[:space:]')
    [[ -n $TOKEN ]] || die "[$backend] onramp token create printed no token"
}

start_server() {
    local backend=$1 i code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)
    [[ $code == 000 ]] || die "something is already listening on $HOST:$PORT (healthz answered $code)"
    log "[$backend] starting server on $HOST:$PORT"
    ONRAMP_LOG=warn "$BIN" serve --bind "$HOST:$PORT" >"$TMP/$backend-server.log" 2>&1 &
    SERVER_PID=$!
    # Bounded wait: up to 60 s.
    for ((i = 0; i < 600; i++)); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 20 "$TMP/$backend-server.log" >&2
            SERVER_PID=""
            die "[$backend] server exited during startup (log: $TMP/$backend-server.log)"
        fi
        if curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    die "[$backend] server did not answer /healthz within 60 s"
}

# login BACKEND EMAIL PASSWORD: prints the session token of a real sign-in.
login() {
    local backend=$1 email=$2 password=$3 SESSION
    local jar="$TMP/$backend-cookies.txt" hdr="$TMP/$backend-login-headers.txt"
    local page csrf code
    rm -f "$jar" "$hdr"
    page=$(curl -fsS --max-time 10 -c "$jar" -b "$jar" "$BASE/login") ||
        die "[$backend] GET /login failed"
    csrf=$(printf '%s' "$page" | grep -oE '<input[^>]*name="csrf_token"[^>]*>' | head -n1 |
        sed -nE 's/.*value="([^"]*)".*/\1/p' || true)
    [[ -n $csrf ]] || die "[$backend] no csrf_token hidden input on /login"
    code=$(curl -sS -o /dev/null -D "$hdr" -w '%{http_code}' --max-time 10 -c "$jar" -b "$jar" \
        --data-urlencode "email=$email" \
        --data-urlencode "password=$password" \
        --data-urlencode "csrf_token=$csrf" \
        "$BASE/login") || die "[$backend] POST /login failed"
    [[ $code == 303 ]] || die "[$backend] POST /login answered $code, expected 303"
    # Take the value from the Set-Cookie header (works even if the cookie is Secure).
    SESSION=$(sed -nE 's/^[Ss]et-[Cc]ookie:[[:space:]]*onramp_session=([^;[:space:]]*).*/\1/p' "$hdr" | tail -n1)
    if [[ -z $SESSION ]]; then
        SESSION=$(awk '$6 == "onramp_session" { v = $7 } END { print v }' "$jar")
    fi
    [[ -n $SESSION ]] || die "[$backend] login answered 303 but set no onramp_session cookie"
    printf '%s' "$SESSION"
}

# cpu_snapshot BACKEND: "pid ticks" for the server and, on PostgreSQL, every postgres
# process (its backends do the queries' work). wrk's own CPU is left out.
cpu_snapshot() {
    local pid
    for pid in $SERVER_PID $([[ $1 == postgres ]] && pgrep -x postgres || true); do
        awk -v p="$pid" '{ print p, $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true
    done
}

# cpu_per_request BEFORE AFTER WRK_OUTPUT: the CPU milliseconds those processes spent per
# request served. It varies less than requests/s when the machine's speed does (CPU steal
# on a shared host is not charged to the process). A process gone by the end is not
# counted; one started during the run counts from zero.
cpu_per_request() {
    local n
    n=$(awk '/ requests in / { print $1 }' "$3")
    awk -v hz="$(getconf CLK_TCK)" -v n="${n:-0}" '
        FNR == NR { before[$1] = $2; next }
        { used += $2 - before[$1] }
        END { if (n > 0) printf "%.2f", used * 1000 / hz / n; else print "-" }
    ' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# Runs one endpoint. Appends a table row to ROWS; sets FAILED=1 on failure.
run_endpoint() {
    local backend=$1 spec=$2 name path auth needs conns url safe out code rps p50 p99 non2xx sockerr
    IFS='|' read -r name path auth needs conns <<<"$spec"
    conns=${conns:-$CONNS}
    if [[ $needs == cohorts ]] && ((COHORTS == 0)); then
        return 0
    fi
    url="$BASE${path//\{COHORT\}/$COHORT}"
    local -a hdr=()
    case "$auth" in
        none) ;;
        cookie) hdr=(-H "Cookie: onramp_session=$SESSION") ;;
        trainee) hdr=(-H "Cookie: onramp_session=$TRAINEE_SESSION") ;;
        bearer) hdr=(-H "Authorization: Bearer $TOKEN") ;;
        *) die "ENDPOINTS: unknown auth kind '$auth' for $name" ;;
    esac

    # wrk only counts status >= 400 as errors, so a redirect to /login would look
    # like success. Check the exact status with curl before and after the run.
    code=$(http_status "$url" "${hdr[@]}")
    if [[ ! $code =~ ^2 ]]; then
        loud "[$backend] $name ($path): FAILED - answers HTTP $code before the run, skipped"
        ROWS+="| $name \`$path\` | **FAILED: HTTP $code before the run** | - | - | - | - |"$'\n'
        FAILED=1
        return 0
    fi

    safe=${name//[^A-Za-z0-9]/_}
    out="$TMP/$backend-wrk-$safe.txt"
    local threads=$((conns < WRK_THREADS ? conns : WRK_THREADS)) cpu_before cpu
    # Warm-up, not recorded: the host reclaims this machine's page cache while it idles
    # (2,075 to 1,921 MiB in 45 s), and the first requests then read from disk (runs
    # without it showed maximums of 0.5-1.3 s and a PostgreSQL p99 of 174 ms).
    wrk -t"$threads" -c"$conns" -d"$WARMUP" "${hdr[@]}" "$url" >/dev/null 2>&1 || true
    log "[$backend] wrk -t$threads -c$conns -d$DURATION --latency $url"
    cpu_before=$(cpu_snapshot "$backend")
    if ! wrk -t"$threads" -c"$conns" -d"$DURATION" --latency "${hdr[@]}" "$url" >"$out" 2>&1; then
        cat "$out" >&2
        loud "[$backend] $name ($path): FAILED - wrk exited non-zero"
        ROWS+="| $name \`$path\` | **FAILED: wrk error** | - | - | - | - |"$'\n'
        FAILED=1
        return 0
    fi
    cpu=$(cpu_per_request "$cpu_before" "$(cpu_snapshot "$backend")" "$out")
    cat "$out" >&2

    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(awk '$1 == "50%" { print $2 }' "$out")
    p99=$(awk '$1 == "99%" { print $2 }' "$out")
    non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")
    non2xx=${non2xx:-0}
    sockerr=$(sed -nE 's/^[[:space:]]*Socket errors:[[:space:]]*//p' "$out")
    code=$(http_status "$url" "${hdr[@]}")

    if [[ -z $rps || -z $p50 || -z $p99 ]]; then
        loud "[$backend] $name ($path): FAILED - could not parse wrk output ($out)"
        ROWS+="| $name \`$path\` | **FAILED: unparsable wrk output** | - | - | - | - |"$'\n'
        FAILED=1
    elif ((non2xx > 0)); then
        loud "[$backend] $name ($path): FAILED - $non2xx non-2xx responses during the run"
        ROWS+="| $name \`$path\` | **FAILED: $non2xx non-2xx responses** | - | - | $non2xx | - |"$'\n'
        FAILED=1
    elif [[ ! $code =~ ^2 ]]; then
        loud "[$backend] $name ($path): FAILED - answers HTTP $code after the run"
        ROWS+="| $name \`$path\` | **FAILED: HTTP $code after the run** | - | - | - | - |"$'\n'
        FAILED=1
    elif [[ $sockerr =~ (connect|timeout)\ [1-9] ]]; then
        loud "[$backend] $name ($path): FAILED - socket errors: $sockerr"
        ROWS+="| $name \`$path\` | **FAILED: socket errors ($sockerr)** | - | - | 0 | - |"$'\n'
        FAILED=1
    else
        ROWS+="| $name \`$path\` | $rps | $p50 | $p99 | 0 | $cpu |"$'\n'
        [[ -z $sockerr ]] || NOTES+="- $name: socket errors: $sockerr"$'\n'
    fi
}

# Saving a whole day's attendance for the running cohort's 200 trainees in one request,
# one connection, alternating everyone present / everyone late so every save changes 200
# marks (a save that changes nothing is cheaper and would flatter the figure).
run_attendance_save() {
    local backend=$1 page csrf ids url="$BASE/training/cohorts/$COHORT/attendance?day=1"
    local name="attendance save, 200 trainees (POST, 1 connection)" out="$TMP/$backend-wrk-attendance-save.txt"
    local -a hdr=(-H "Cookie: onramp_session=$SESSION")
    page=$(curl -fsS --max-time 10 "${hdr[@]}" "$url") || die "[$backend] GET attendance page failed"
    csrf=$(printf '%s' "$page" | grep -oE 'name="csrf_token" value="[^"]*"' | head -n1 | sed -E 's/.*value="([^"]*)"/\1/')
    ids=$(printf '%s' "$page" | grep -oE 'name="e" value="[0-9]+"' | sed -E 's/.*value="([0-9]+)"/\1/')
    (($(wc -w <<<"$ids") == 200)) || die "[$backend] the attendance page lists $(wc -w <<<"$ids") trainees, expected 200"
    local status body
    for status in present late; do
        body="csrf_token=$csrf&day=1"
        for id in $ids; do body+="&e=$id&status_$id=$status&note_$id="; done
        printf '%s' "$body" >"$TMP/attendance-$status.txt"
    done
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${hdr[@]}" \
        --data-binary "@$TMP/attendance-late.txt" "$url")
    if [[ $code != 303 ]]; then
        loud "[$backend] $name: FAILED - answers HTTP $code, expected 303"
        ROWS+="| $name | **FAILED: HTTP $code** | - | - | - | - |"$'\n'
        FAILED=1
        return 0
    fi
    cat >"$TMP/attendance.lua" <<LUA
local function slurp(path) local f = assert(io.open(path, "rb")); local s = f:read("*a"); f:close(); return s end
local bodies = { slurp("$TMP/attendance-present.txt"), slurp("$TMP/attendance-late.txt") }
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[n % 2 + 1])
end
LUA
    log "[$backend] wrk -t1 -c1 -d$DURATION --latency -s attendance.lua POST $url"
    local cpu_before cpu
    cpu_before=$(cpu_snapshot "$backend")
    wrk -t1 -c1 -d"$DURATION" --latency "${hdr[@]}" -s "$TMP/attendance.lua" "$url" >"$out" 2>&1 || {
        cat "$out" >&2
        die "[$backend] wrk failed on the attendance save"
    }
    cpu=$(cpu_per_request "$cpu_before" "$(cpu_snapshot "$backend")" "$out")
    cat "$out" >&2
    local rps p50 p99 errs
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(awk '$1 == "50%" { print $2 }' "$out")
    p99=$(awk '$1 == "99%" { print $2 }' "$out")
    errs=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")
    if [[ -n $errs ]]; then
        loud "[$backend] $name: FAILED - $errs error responses"
        ROWS+="| $name | **FAILED: $errs error responses** | - | - | $errs | - |"$'\n'
        FAILED=1
    else
        ROWS+="| $name | $rps | $p50 | $p99 | 0 (303s) | $cpu |"$'\n'
    fi
}

# Times `onramp import candidates` of IMPORT_ROWS new rows into job 1 (server stopped).
# Sets IMPORT_NOTE.
time_import() {
    local backend=$1 csv="$TMP/import.csv" out="$TMP/$backend-import.log" t0 secs
    if [[ ! -f $csv ]] || (($(wc -l <"$csv") != IMPORT_ROWS + 1)); then
        awk -v n="$IMPORT_ROWS" 'BEGIN {
            print "name,email,phone,source,resume_url,resume_text,notes"
            for (i = 1; i <= n; i++)
                printf "Imported Person %d,imported.%d@import.example,+1 702 555 %04d,agency,,Ten years in retail.,\n", i, i, i % 10000
        }' >"$csv"
    fi
    log "[$backend] onramp import candidates ($IMPORT_ROWS rows) --job 1"
    t0=$(now)
    "$BIN" import candidates "$csv" --job 1 >"$out" 2>&1 || {
        tail -n 20 "$out" >&2
        die "[$backend] onramp import candidates failed (log: $out)"
    }
    secs=$(elapsed "$t0" "$(now)")
    IMPORT_NOTE="Import: \`onramp import candidates\` of $IMPORT_ROWS rows (bench/tmp/import.csv) into a database of $CANDIDATES candidates took ${secs} s ($(tail -n1 "$out"))."
    log "[$backend] imported in ${secs} s"
}

proc_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
kb_to_mb() { [[ -n $1 ]] && awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }' || printf 'unknown'; }

write_preamble() {
    cat >"$RESULTS" <<'EOF'
# onramp load benchmark results

Each section below is one run of `bench/run.sh` against one database backend:
a fresh database is migrated and filled with `onramp demo --candidates N`, the
release server is started on 127.0.0.1:18080, and `wrk` (2 threads) hammers
each endpoint for a fixed duration. Runs with any non-2xx response are recorded
as FAILED, not as numbers. See `bench/README.md`.

Repeat with:

    bench/run.sh both        # defaults: --candidates 100000 --duration 10s --connections 32

Targets on 2 cores, 32 connections:

- platform (at 100,000 candidates): login page >= 20,000 requests/s; logged-in pages
  >= 5,000 requests/s with p99 < 20 ms; server RSS < 150 MB
- hiring (at 1,000,000 candidates across 50 jobs): candidate list (a page of 50), pipeline
  board, candidate page >= 3,000 requests/s with p99 < 25 ms; import of 100,000 rows < 20 s
- training (with --cohorts 10000): roster and attendance page of a 200-trainee cohort,
  the portal, the cohort list >= 3,000 requests/s with p99 < 25 ms; saving a day's
  attendance for 200 trainees < 50 ms
- the offer (1,000,000 offers across 10,000 cohorts: --cohorts 10000 --trainees 100):
  uptake and retention report pages < 100 ms each

EOF
}

append_results() {
    local backend=$1
    [[ -f $RESULTS ]] || write_preamble
    {
        echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $backend"
        echo
        echo "- commit: $(git_commit)"
        echo "- machine: $(machine_info)"
        echo "- command: \`$CMDLINE\`"
        echo "- load: wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency (wrk on the same machine)"
        echo "- data: $DEMO_NOTE"
        echo
        echo "| endpoint | requests/s | p50 | p99 | non-2xx | CPU ms/request |"
        echo "|---|---:|---:|---:|---:|---:|"
        printf '%s' "$ROWS"
        echo
        echo "$IMPORT_NOTE"
        echo
        echo "Server RSS: peak (VmHWM) $(kb_to_mb "$RSS_PEAK"), after the runs (VmRSS) $(kb_to_mb "$RSS_NOW"), idle after start $(kb_to_mb "$RSS_IDLE")."
        if [[ -n $NOTES ]]; then
            echo
            printf '%s' "$NOTES"
        fi
        echo
    } >>"$RESULTS"
    log "[$backend] results appended to bench/RESULTS.md"
}

# PostgreSQL only: measure the steady state, not the catch-up after a bulk load. Once the
# server has delivered the generated mail, VACUUM ANALYZE what the generator and the mail
# worker changed; autovacuum would do the same within minutes, but during the first runs
# (the generator's ANALYZE saw every message pending, so the unsent-mail count read the whole
# outbox until statistics caught up: /home 4,256 against 4,896 requests/s after ANALYZE).
settle_database() {
    local backend=$1 i pending
    [[ $backend == postgres ]] || return 0
    local -a sql=(psql "$PG_URL" -v ON_ERROR_STOP=1 -qAt)
    for ((i = 0; i < 600; i++)); do
        pending=$("${sql[@]}" -c "SELECT count(*) FROM outbox WHERE status = 'pending'") ||
            die "[$backend] could not read the outbox"
        ((pending == 0)) && break
        sleep 0.1
    done
    ((pending == 0)) || log "[$backend] $pending messages still pending after 60 s"
    log "[$backend] VACUUM ANALYZE"
    "${sql[@]}" -c "VACUUM ANALYZE" || die "[$backend] VACUUM ANALYZE failed"
}

bench_backend() {
    local backend=$1 spec
    ROWS="" NOTES="" DEMO_NOTE="" SESSION="" TOKEN="" PW="" COHORT="" TRAINEE_SESSION=""
    log "===== backend: $backend ====="
    rm -f "$TMP/$backend"-*.txt "$TMP/$backend"-*.log "$TMP/$backend"-*.err
    fresh_database "$backend"
    log "[$backend] onramp migrate"
    "$BIN" migrate >"$TMP/$backend-migrate.log" 2>&1 || {
        cat "$TMP/$backend-migrate.log" >&2
        die "[$backend] onramp migrate failed"
    }
    generate_demo "$backend"
    create_user_and_token "$backend"
    start_server "$backend"
    RSS_IDLE=$(proc_kb "$SERVER_PID" VmRSS)
    SESSION=$(login "$backend" "$BENCH_EMAIL" "$PW")
    [[ -n $SESSION ]] || die "[$backend] could not sign in as $BENCH_EMAIL"
    if ((COHORTS > 0)); then
        TRAINEE_SESSION=$(login "$backend" "$TRAINEE_EMAIL" "$TRAINEE_PW")
        [[ -n $TRAINEE_SESSION ]] || die "[$backend] could not sign in as $TRAINEE_EMAIL"
    fi
    settle_database "$backend"
    for spec in "${ENDPOINTS[@]}"; do
        run_endpoint "$backend" "$spec"
    done
    ((COHORTS == 0)) || run_attendance_save "$backend"
    RSS_PEAK=$(proc_kb "$SERVER_PID" VmHWM)
    RSS_NOW=$(proc_kb "$SERVER_PID" VmRSS)
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        loud "[$backend] server died during the run (log: $TMP/$backend-server.log)"
        FAILED=1
    fi
    log "[$backend] stopping server"
    stop_server
    time_import "$backend"
    append_results "$backend"
}

# --------------------------------------------------------------------------- main
mkdir -p "$TMP"
ensure_wrk
if [[ -z ${ONRAMP_BENCH_BIN:-} ]]; then
    log "cargo build --release"
    cargo build --release
fi
[[ -x $BIN ]] || die "$BIN not found after build"

FAILED=0
for b in "${BACKENDS[@]}"; do
    bench_backend "$b"
done

if ((FAILED)); then
    loud "one or more benchmark runs FAILED (see above and bench/RESULTS.md)"
    exit 1
fi
log "done; results in bench/RESULTS.md"
