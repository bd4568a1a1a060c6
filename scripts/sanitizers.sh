#!/usr/bin/env bash
# Runs the reliability checks that need instrumented builds, each in its own
# build directory:
#   asan  the whole GoogleTest suite (and the CLI it runs) built with clang,
#         AddressSanitizer and UndefinedBehaviorSanitizer   (build-asan/)
#   tsan  the multi-threaded tests under ThreadSanitizer     (build-tsan/)
#   fuzz  every libFuzzer target for FUZZ_SECONDS seconds (default 20),
#         starting from fuzz/seeds/, after replaying fuzz/regressions/
#         (uses the build-asan/ binaries)
# Usage: scripts/sanitizers.sh [asan] [tsan] [fuzz]   (default: all three)
# Debian's Abseil, ICU and RE2 are not instrumented; see docs/reliability.md
# for what that leaves unchecked.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

steps=("$@")
if ((${#steps[@]} == 0)); then steps=(asan tsan fuzz); fi
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-20}
fuzz_targets=(tokenizer_json_fuzzer corpus_reader_fuzzer count_shard_fuzzer encode_bpe_fuzzer
              encode_unigram_fuzzer encode_wordpiece_fuzzer)

# Threads that the multi-threaded code paths start: counting, merge learning,
# batch encoding and concurrent encodes of one Tokenizer.
tsan_filter='*ConcurrencyTest.*:BpeTrainerTest.SameFileForOneAndTwoThreads'
tsan_filter+=':BpeLearnerTest.SameMergesWithThreads'

configure() {
  local dir=$1
  shift
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-gline-tables-only \
    -DCMAKE_CXX_COMPILER=clang++ -DTOKFORGE_BUILD_PYTHON=OFF -DTOKFORGE_BUILD_BENCH=OFF \
    "$@" > "$dir/configure.log" 2>&1 || {
    cat "$dir/configure.log" >&2
    echo "sanitizers.sh: cmake configuration of $dir failed (log above)" >&2
    exit 1
  }
}

build_asan() {
  if [[ ! -f build-asan/build.ninja ]]; then
    configure build-asan -DTOKFORGE_SANITIZE=address,undefined -DTOKFORGE_BUILD_FUZZERS=ON
  fi
  cmake --build build-asan -j "$jobs"
}

run_asan() {
  build_asan
  # hf_live_parity drives Node.js as well; the release run in test.sh covers it.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -E hf_live_parity
}

run_tsan() {
  if [[ ! -f build-tsan/build.ninja ]]; then
    configure build-tsan -DTOKFORGE_SANITIZE=thread
  fi
  cmake --build build-tsan -j "$jobs" --target tokforge_tests
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    build-tsan/tests/tokforge_tests --gtest_filter="$tsan_filter"
}

# Runs every target even after one fails, so that one report lists every
# crash, then fails the step if any target crashed, leaked, timed out or
# exceeded its memory limit (libFuzzer exits non-zero for each of those).
run_fuzz() {
  build_asan
  local target failed=()
  for target in "${fuzz_targets[@]}"; do
    local binary=build-asan/fuzz/$target
    # Inputs that once crashed a target must keep passing.
    if compgen -G "fuzz/regressions/$target/*" > /dev/null; then
      echo "fuzz: replaying fuzz/regressions/$target" >&2
      if ! "$binary" fuzz/regressions/"$target"/*; then
        failed+=("$target (a regression input in fuzz/regressions/$target)")
        continue
      fi
    fi
    # New inputs go to a scratch corpus so that fuzz/seeds stays as committed.
    local scratch=build-asan/fuzz-corpus/$target
    mkdir -p "$scratch" build-asan/fuzz-artifacts
    echo "fuzz: running $target for ${fuzz_seconds}s" >&2
    if ! ASAN_OPTIONS=detect_leaks=1 "$binary" -max_total_time="$fuzz_seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix=build-asan/fuzz-artifacts/"$target"- "$scratch" fuzz/seeds/"$target"; then
      failed+=("$target (input saved under build-asan/fuzz-artifacts/$target-*)")
    fi
  done
  if ((${#failed[@]} > 0)); then
    echo "sanitizers.sh: fuzzing failed for ${#failed[@]} target(s):" >&2
    printf '  %s\n' "${failed[@]}" >&2
    echo "Reproduce with build-asan/fuzz/TARGET INPUT; after the fix, copy the input to" \
      "fuzz/regressions/TARGET/ (see docs/reliability.md)." >&2
    exit 1
  fi
}

for step in "${steps[@]}"; do
  case $step in
    asan) run_asan ;;
    tsan) run_tsan ;;
    fuzz) run_fuzz ;;
    *)
      echo "sanitizers.sh: unknown step \"$step\"; use asan, tsan or fuzz" >&2
      exit 2
      ;;
  esac
done
