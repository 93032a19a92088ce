#!/usr/bin/env bash
# Runs every role's Molecule scenario (podman driver), MOLECULE_JOBS at a time (default 2), from the repository root.
# Prints one timing line per scenario and a summary line; exits non-zero when any scenario fails or cannot run.
# Logs: tests/output/molecule/<scenario>.log. Needs tests/molecule/setup-host.sh to have run.
# Select scenarios with MOLECULE_SCENARIOS="redis/default al2023/default" (names as printed).
set -uo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root" || exit 2
jobs="${MOLECULE_JOBS:-2}"
log_dir="$repo_root/tests/output/molecule"
apt_cache_root="${BAKERY_APT_CACHE_DIR:-/var/cache/bakery/apt-archives}"
mkdir -p "$log_dir"
rm -f "$log_dir"/*.result

# <name>|<project directory>|<scenario>, slowest first so the two lanes finish together.
all_scenarios=(
  "web_base/default|roles/web_base|default"
  "rails_app/default|roles/rails_app|default"
  "imagemagick/default|roles/imagemagick|default"
  "al2023/default|tests/molecule/al2023|default"
  "redis/default|roles/redis|default"
  "cloudwatch_agent/default|roles/cloudwatch_agent|default"
  "os_patch/default|roles/os_patch|default"
  "image_hygiene/default|roles/image_hygiene|default"
)
scenarios=()
for entry in "${all_scenarios[@]}"; do
  name="${entry%%|*}"
  if [[ -z "${MOLECULE_SCENARIOS:-}" ]] || [[ " ${MOLECULE_SCENARIOS} " == *" $name "* ]]; then
    scenarios+=("$entry")
  fi
done
if ((${#scenarios[@]} == 0)); then
  echo "run-all: no scenario matches MOLECULE_SCENARIOS='${MOLECULE_SCENARIOS:-}'" >&2
  exit 2
fi

for image in localhost/bakery/debian13:latest localhost/bakery/debian12:latest localhost/bakery/al2023-standin:latest; do
  if ! podman image exists "$image"; then
    echo "run-all: image $image is missing; run tests/molecule/setup-host.sh first" >&2
    exit 2
  fi
done

run_scenario() {
  local name="$1" project="$2" scenario="$3" lane="$4"
  local log="$log_dir/${name//\//_}.log" start rc
  start=$(date +%s)
  # apt takes a lock in its archives directory: one cache per lane and release, so parallel scenarios and the two
  # Debian platforms of one scenario never wait on each other.
  mkdir -p "$apt_cache_root/lane$lane/debian13/partial" "$apt_cache_root/lane$lane/debian12/partial"
  (
    cd "$project" &&
      BAKERY_APT_CACHE_DIR="$apt_cache_root/lane$lane" NO_COLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 \
        molecule test -s "$scenario"
  ) >"$log" 2>&1
  rc=$?
  local seconds=$(( $(date +%s) - start ))
  local verdict=PASS
  ((rc == 0)) || verdict=FAIL
  printf '%s %s %d\n' "$verdict" "$name" "$seconds" >"$log_dir/${name//\//_}.result"
  printf 'molecule: %-4s %-26s %4ds  (log: %s)\n' "$verdict" "$name" "$seconds" "${log#"$repo_root"/}"
}

total_start=$(date +%s)
declare -a lane_pid
for ((lane = 0; lane < jobs; lane++)); do lane_pid[lane]=0; done
for entry in "${scenarios[@]}"; do
  IFS='|' read -r name project scenario <<<"$entry"
  while :; do
    free_lane=-1
    for ((lane = 0; lane < jobs; lane++)); do
      if ((lane_pid[lane] == 0)) || ! kill -0 "${lane_pid[lane]}" 2>/dev/null; then
        free_lane=$lane
        break
      fi
    done
    ((free_lane >= 0)) && break
    sleep 1
  done
  run_scenario "$name" "$project" "$scenario" "$free_lane" &
  lane_pid[free_lane]=$!
done
wait

passed=0; failed=0; failed_names=()
for entry in "${scenarios[@]}"; do
  name="${entry%%|*}"
  result="$log_dir/${name//\//_}.result"
  if [[ -f $result ]] && [[ $(cut -d' ' -f1 "$result") == PASS ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failed_names+=("$name")
  fi
done
printf 'molecule: %d scenarios, %d passed, %d failed in %ds%s\n' "${#scenarios[@]}" "$passed" "$failed" \
  "$(( $(date +%s) - total_start ))" "${failed_names:+ (failed: ${failed_names[*]})}"
((failed == 0))
