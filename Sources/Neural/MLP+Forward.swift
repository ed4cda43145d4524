extension MLP {
    /// Runs the network on a batch and writes the outputs (post-activation) to `output`.
    ///
    /// Keeps the activations needed by ``backward(outputGradient:inputGradient:accumulate:)-([Float],_,_)``.
    /// In training mode with ``dropout`` > 0, hidden activations are zeroed with that
    /// probability and the rest scaled by `1 / (1 - dropout)`, using ``rng``.
    /// - Parameters:
    ///   - input: `batch × inputCount` values, row-major (one example per row).
    ///   - batch: number of examples.
    ///   - output: receives `batch × outputCount` values, row-major.
    ///   - training: whether to apply dropout.
    /// - Complexity: O(batch × parameterCount); no allocation unless `batch` exceeds every
    ///   earlier batch.
    public mutating func forward(
        _ input: UnsafeBufferPointer<Float>, batch: Int,
        output: UnsafeMutableBufferPointer<Float>, training: Bool = false
    ) {
        requireCount(input.count, batch * inputCount, "MLP.forward input")
        requireCount(output.count, batch * outputCount, "MLP.forward output")
        lastBatch = batch
        guard batch > 0 else { return }
        reserve(batch: batch)
        let rate = dropout
        let drop = training && rate > 0 && layers.count > 1
        lastDropped = drop
        let layout = self.layout
        let layers = self.layers
        var rng = self.rng
        let inputs = inputCount
        let outputs = outputCount
        parameters.withUnsafeBufferPointer { params in
            workspace.withUnsafeMutableBufferPointer { ws in
                let p = params.baseAddress!
                let w = ws.baseAddress!
                (w + layout.input).update(from: input.baseAddress!, count: batch * inputs)
                var x = UnsafePointer(w + layout.input)
                for (l, layer) in layers.enumerated() {
                    let y = w + layout.activations[l]
                    let count = batch * layer.outputs
                    Matmul.gemm(
                        m: batch, n: layer.outputs, k: layer.inputs,
                        a: x, aRow: layer.inputs, aCol: 1,
                        b: p + layer.weightOffset, ldb: layer.outputs,
                        c: y, ldc: layer.outputs,
                        bias: p + layer.biasOffset,
                        store: layer.activation == .relu ? .relu : .overwrite,
                        scratch: w + layout.scratch)
                    if layer.activation != .relu {
                        layer.activation.apply(y, count: count)
                    }
                    x = UnsafePointer(y)
                    if drop && l < layers.count - 1 {
                        let mask = w + layout.masks[l]
                        let dropped = w + layout.dropped[l]
                        let keep = 1 / (1 - rate)
                        for i in 0..<count {
                            let m: Float = rng.nextFloat() < rate ? 0 : keep
                            mask[i] = m
                            dropped[i] = y[i] * m
                        }
                        x = UnsafePointer(dropped)
                    }
                }
                output.baseAddress!.update(from: x, count: batch * outputs)
            }
        }
        self.rng = rng
    }

    /// Runs the network on a batch stored in an array; see
    /// `forward(_:batch:output:training:)`.
    ///
    /// `output` is resized (once) if it holds fewer than `batch × outputCount` values.
    public mutating func forward(
        _ input: [Float], batch: Int, output: inout [Float], training: Bool = false
    ) {
        if output.count < batch * outputCount {
            output = [Float](repeating: 0, count: batch * outputCount)
        }
        input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                forward(input, batch: batch, output: output, training: training)
            }
        }
    }

    /// Returns the network's outputs for a batch, without dropout. Allocates the result;
    /// use `forward(_:batch:output:training:)` in training loops.
    public mutating func predict(_ input: [Float], batch: Int) -> [Float] {
        var output = [Float](repeating: 0, count: batch * outputCount)
        forward(input, batch: batch, output: &output, training: false)
        return output
    }
}
