extension MLP {
    /// Backpropagates a gradient with respect to the outputs of the last
    /// `forward(_:batch:output:training:)`.
    ///
    /// Any loss works: pass `∂loss/∂output` (e.g. from ``softmaxCrossEntropy(logits:labels:classes:gradient:)``,
    /// ``meanSquaredError(prediction:target:gradient:)`` or a policy-gradient expression).
    /// - Parameters:
    ///   - outputGradient: `batch × outputCount` values, row-major.
    ///   - inputGradient: if given, receives `∂loss/∂input` (`batch × inputCount` values), e.g.
    ///     to train a GAN generator through its discriminator. Always overwritten.
    ///   - accumulate: add to ``gradients`` instead of overwriting them.
    /// - Complexity: O(batch × parameterCount); no allocation.
    public mutating func backward(
        outputGradient: UnsafeBufferPointer<Float>,
        inputGradient: UnsafeMutableBufferPointer<Float>?,
        accumulate: Bool = false
    ) {
        let batch = lastBatch
        if batch == 0 {
            if !accumulate { zeroGradients() }
            return
        }
        requireCount(outputGradient.count, batch * outputCount, "MLP.backward outputGradient")
        if let inputGradient {
            requireCount(inputGradient.count, batch * inputCount, "MLP.backward inputGradient")
        }
        let layout = self.layout
        let layers = self.layers
        let dropped = lastDropped
        parameters.withUnsafeBufferPointer { params in
            gradients.withUnsafeMutableBufferPointer { grads in
                workspace.withUnsafeMutableBufferPointer { ws in
                    let p = params.baseAddress!
                    let gr = grads.baseAddress!
                    let w = ws.baseAddress!
                    let deltas = (w + layout.deltas.0, w + layout.deltas.1)
                    // Gradient with respect to the (post-dropout) output of the current layer.
                    var g = UnsafeMutablePointer(mutating: outputGradient.baseAddress!)
                    var gIsOurs = false
                    for l in layers.indices.reversed() {
                        let layer = layers[l]
                        let count = batch * layer.outputs
                        let masked = dropped && l < layers.count - 1
                        // dZ = dY ⊙ mask ⊙ f'(z), in place when g is a workspace buffer.
                        var dz = g
                        if masked || layer.activation != .identity {
                            if !gIsOurs {
                                dz = deltas.0
                                dz.update(from: g, count: count)
                            }
                            if masked {
                                let mask = UnsafePointer(w + layout.masks[l])
                                zipVectors(dz, mask, count: count) { g, m in g * m }
                            }
                            layer.activation.multiplyDerivative(
                                dz, output: w + layout.activations[l], count: count)
                        }
                        columnSums(
                            dz, rows: batch, columns: layer.outputs,
                            into: gr + layer.biasOffset, accumulate: accumulate)
                        let x: UnsafePointer<Float>
                        if l == 0 {
                            x = UnsafePointer(w + layout.input)
                        } else {
                            x = UnsafePointer(
                                w + (dropped ? layout.dropped[l - 1] : layout.activations[l - 1]))
                        }
                        // dW = Xᵀ · dZ
                        Matmul.gemm(
                            m: layer.inputs, n: layer.outputs, k: batch,
                            a: x, aRow: 1, aCol: layer.inputs,
                            b: dz, ldb: layer.outputs,
                            c: gr + layer.weightOffset, ldc: layer.outputs,
                            bias: nil, store: accumulate ? .accumulate : .overwrite,
                            scratch: w + layout.scratch)
                        // dX = dZ · Wᵀ
                        let target: UnsafeMutablePointer<Float>?
                        if l > 0 {
                            target = dz == deltas.0 ? deltas.1 : deltas.0
                        } else {
                            target = inputGradient?.baseAddress
                        }
                        if let target {
                            Matmul.gemmTransposedB(
                                m: batch, n: layer.inputs, k: layer.outputs,
                                a: dz, lda: layer.outputs,
                                b: p + layer.weightOffset, ldb: layer.outputs,
                                c: target, ldc: layer.inputs,
                                store: .overwrite, scratch: w + layout.scratch)
                            g = target
                            gIsOurs = true
                        }
                    }
                }
            }
        }
    }

    /// Backpropagates `∂loss/∂output` held in an array; see
    /// `backward(outputGradient:inputGradient:accumulate:)`.
    public mutating func backward(outputGradient: [Float], accumulate: Bool = false) {
        outputGradient.withUnsafeBufferPointer { g in
            backward(outputGradient: g, inputGradient: nil, accumulate: accumulate)
        }
    }

    /// Backpropagates `∂loss/∂output` and also writes `∂loss/∂input` to `inputGradient`
    /// (resized once if it holds fewer than `batch × inputCount` values).
    public mutating func backward(
        outputGradient: [Float], inputGradient: inout [Float], accumulate: Bool = false
    ) {
        if inputGradient.count < lastBatch * inputCount {
            inputGradient = [Float](repeating: 0, count: lastBatch * inputCount)
        }
        outputGradient.withUnsafeBufferPointer { g in
            inputGradient.withUnsafeMutableBufferPointer { d in
                backward(outputGradient: g, inputGradient: d, accumulate: accumulate)
            }
        }
    }
}

/// `out[j] (=|+=) Σ_r x[r][j]` for a row-major `rows × columns` matrix.
func columnSums(
    _ x: UnsafePointer<Float>, rows: Int, columns: Int,
    into out: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    var j = 0
    while j + 16 <= columns {
        var s = accumulate ? loadVec(out + j) : Vec()
        for r in 0..<rows { s += loadVec(x + r * columns + j) }
        storeVec(s, out + j)
        j += 16
    }
    while j < columns {
        var s: Float = accumulate ? out[j] : 0
        for r in 0..<rows { s += x[r * columns + j] }
        out[j] = s
        j += 1
    }
}
