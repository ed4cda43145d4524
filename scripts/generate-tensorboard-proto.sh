#!/usr/bin/env bash
# Regenerates Sources/PBTTensorBoard/Generated/tensorboard.pb.swift from
# scripts/proto/tensorboard.proto with swift-protobuf's protoc-gen-swift (built from the
# package's own dependency, the version Package.swift names) and protoc from pip's grpcio-tools
# (in a virtual environment under .build/). The generated file is committed: building swift-pbt
# needs neither protoc nor the plugin. Building the plugin takes about 10 minutes the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.build/proto-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c 'import grpc_tools' 2>/dev/null || "$venv/bin/pip" install --quiet grpcio-tools

swift build --product protoc-gen-swift
plugin="$(swift build --show-bin-path)/protoc-gen-swift"

out=Sources/PBTTensorBoard/Generated
mkdir -p "$out"
"$venv/bin/python" -m grpc_tools.protoc \
    --plugin=protoc-gen-swift="$plugin" \
    --proto_path=scripts/proto \
    --swift_out="$out" \
    --swift_opt=Visibility=Internal \
    scripts/proto/tensorboard.proto
echo "wrote $out/tensorboard.pb.swift"
