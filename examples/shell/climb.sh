#!/usr/bin/env bash
# A training program in bash + jq: proof that the protocol (docs/protocol.md) is
# language-neutral. The "model" is one number x climbing toward 1 by gradient ascent on
# score(x) = -(x - 1)^2 with step size `lr`; the checkpoint is a text file holding x.
set -u
command -v jq >/dev/null || { echo "climb.sh needs jq" >&2; exit 2; }
x=0
lr=0.1
calc() { awk "BEGIN { printf \"%.17g\", $1 }"; }
while IFS= read -r line; do
  type=$(jq -r '.type' <<<"$line")
  case "$type" in
    hello)
      echo '{"type":"hello","protocol":1,"capabilities":["train","evaluate","save","load","set_hyperparameters"],"hyperparameters":["lr"]}' ;;
    set_hyperparameters)
      lr=$(jq -r '.hyperparameters.lr // empty' <<<"$line"); lr=${lr:-0.1}
      echo '{"type":"ok"}' ;;
    train)
      steps=$(jq -r '.steps' <<<"$line")
      x=$(awk "BEGIN { x = $x; for (i = 0; i < $steps; i++) x += $lr * 2 * (1 - x); printf \"%.17g\", x }")
      echo '{"type":"ok"}' ;;
    evaluate)
      echo "{\"type\":\"score\",\"score\":$(calc "-($x - 1) ^ 2")}" ;;
    save)
      path=$(jq -r '.path' <<<"$line")
      echo "$x" >"$path"
      jq -cn --arg path "$path" '{type: "saved", path: $path}' ;;
    load)
      x=$(cat "$(jq -r '.path' <<<"$line")")
      echo '{"type":"ok"}' ;;
    shutdown)
      exit 0 ;;
    *)
      jq -cn --arg type "$type" '{type: "error", message: ("unknown request " + $type)}' ;;
  esac
done
