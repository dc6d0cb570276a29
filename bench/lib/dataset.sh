# shellcheck shell=bash
# Sourced by the bench scripts: the generated dataset they share, made once under a cache folder.
#
# bench_dataset ROOT GEN EVENTS NAME: generates EVENTS events with the agentsweep-gen at GEN
# into ROOT/data (again only when the options change; the same options and seed give the same
# bytes), and sets: gen_args (the generator's options), data (the folder), files (its zstd
# files) and decoded (their decoded bytes, counted once). NAME prefixes the progress message.
# shellcheck disable=SC2034  # gen_args, data, files and decoded are for the caller
bench_dataset() {
  local root=$1 gen=$2 events=$3 name=$4
  data=$root/data
  gen_args=(--events "$events" --days 4 --agents 100000 --operators 1200 --seed 1
            --incident secret_in_content=40)
  if [[ "$(cat "$data/.options" 2>/dev/null)" != "${gen_args[*]}" ]]; then
    echo "$name: generating $events events in $data" >&2
    rm -rf "$data" "$data.tmp"
    "$gen" "${gen_args[@]}" --out "$data.tmp" >/dev/null
    echo "${gen_args[*]}" >"$data.tmp/.options"
    mv "$data.tmp" "$data"
  fi
  files=("$data"/*.jsonl.zst)
  if [[ ! -s "$root/decoded_bytes" || "$root/decoded_bytes" -ot "$data/.options" ]]; then
    zstd -dc "${files[@]}" | wc -c >"$root/decoded_bytes"
  fi
  decoded=$(cat "$root/decoded_bytes")
}
