# Sourced by the bench scripts that start `./tern serve`: with TERN_BENCH_TOML set, writes those lines of
# configuration to DATA/tern.toml and sets the array `config` to the options that load it; else `config` is
# empty and the server runs its embedded default.
tern_bench_config() { # DATA
  config=()
  if [ -n "${TERN_BENCH_TOML:-}" ]; then
    printf '%s\n' "$TERN_BENCH_TOML" > "$1/tern.toml"
    config=(--config "$1/tern.toml")
  fi
}
