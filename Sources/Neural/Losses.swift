import Foundation

/// Mean softmax cross-entropy over a batch; writes `∂loss/∂logits` to `gradient`.
///
/// `gradient[r][c] = (softmax(logits[r])[c] - [c == labels[r]]) / batch`, ready for
/// ``MLP/backward(outputGradient:accumulate:)``. Computed stably (max subtracted).
/// - Parameters:
///   - logits: `batch × classes` values, row-major, with `batch = labels.count`.
///   - labels: class indices in `0..<classes`.
///   - classes: the number of classes.
///   - gradient: receives `batch × classes` values (resized once if too small).
/// - Returns: the mean negative log-likelihood, accumulated in `Double`.
@discardableResult
public func softmaxCrossEntropy(
    logits: [Float], labels: [Int], classes: Int, gradient: inout [Float]
) -> Float {
    let batch = labels.count
    requireCount(logits.count, batch * classes, "softmaxCrossEntropy logits")
    if gradient.count < batch * classes {
        gradient = [Float](repeating: 0, count: batch * classes)
    }
    var total = 0.0
    let scale = 1 / Float(max(batch, 1))
    logits.withUnsafeBufferPointer { z in
        gradient.withUnsafeMutableBufferPointer { g in
            for r in 0..<batch {
                let label = labels[r]
                if label < 0 || label >= classes {
                    fatalError("softmaxCrossEntropy: label \(label) at row \(r) is not in 0..<\(classes)")
                }
                let row = r * classes
                var top = -Float.infinity
                for c in 0..<classes { top = max(top, z[row + c]) }
                var sum: Float = 0
                for c in 0..<classes {
                    let e = expf(z[row + c] - top)
                    g[row + c] = e
                    sum += e
                }
                total += Double(top - z[row + label]) + Double(logf(sum))
                let inv = scale / sum
                for c in 0..<classes { g[row + c] *= inv }
                g[row + label] -= scale
            }
        }
    }
    return Float(total / Double(max(batch, 1)))
}

/// Row-wise softmax: `probabilities[r] = softmax(logits[r])`, e.g. for a policy's action
/// probabilities.
/// - Parameters:
///   - logits: `rows × classes` values, row-major.
///   - classes: the number of classes.
///   - probabilities: receives `rows × classes` values (resized once if too small).
public func softmax(logits: [Float], classes: Int, into probabilities: inout [Float]) {
    let rows = logits.count / max(classes, 1)
    if probabilities.count < rows * classes {
        probabilities = [Float](repeating: 0, count: rows * classes)
    }
    for r in 0..<rows {
        let row = r * classes
        var top = -Float.infinity
        for c in 0..<classes { top = max(top, logits[row + c]) }
        var sum: Float = 0
        for c in 0..<classes {
            let e = expf(logits[row + c] - top)
            probabilities[row + c] = e
            sum += e
        }
        let inv = 1 / sum
        for c in 0..<classes { probabilities[row + c] *= inv }
    }
}

/// Row-wise log-softmax: `logProbabilities[r][c] = logits[r][c] - log Σ_k exp(logits[r][k])`.
/// - Parameters:
///   - logits: `rows × classes` values, row-major.
///   - classes: the number of classes.
///   - logProbabilities: receives `rows × classes` values (resized once if too small).
public func logSoftmax(logits: [Float], classes: Int, into logProbabilities: inout [Float]) {
    let rows = logits.count / max(classes, 1)
    if logProbabilities.count < rows * classes {
        logProbabilities = [Float](repeating: 0, count: rows * classes)
    }
    for r in 0..<rows {
        let row = r * classes
        var top = -Float.infinity
        for c in 0..<classes { top = max(top, logits[row + c]) }
        var sum: Float = 0
        for c in 0..<classes { sum += expf(logits[row + c] - top) }
        let logSum = top + logf(sum)
        for c in 0..<classes { logProbabilities[row + c] = logits[row + c] - logSum }
    }
}

/// Mean squared error `L = (1/n) Σ (prediction - target)²` over all `n` values; writes
/// `∂L/∂prediction = 2 (prediction - target) / n` to `gradient`.
/// - Parameters:
///   - prediction: `n` values (e.g. `batch × outputs`).
///   - target: `n` values.
///   - gradient: receives `n` values (resized once if too small).
/// - Returns: the loss, accumulated in `Double`.
@discardableResult
public func meanSquaredError(
    prediction: [Float], target: [Float], gradient: inout [Float]
) -> Float {
    let n = prediction.count
    requireCount(target.count, n, "meanSquaredError target")
    if gradient.count < n { gradient = [Float](repeating: 0, count: n) }
    var total = 0.0
    let scale = 2 / Float(max(n, 1))
    for i in 0..<n {
        let d = prediction[i] - target[i]
        total += Double(d) * Double(d)
        gradient[i] = scale * d
    }
    return Float(total / Double(max(n, 1)))
}

/// The index of the largest value in each row of a `rows × columns` matrix.
public func argmaxRows(_ values: [Float], columns: Int) -> [Int] {
    let rows = values.count / max(columns, 1)
    return (0..<rows).map { r in
        var best = 0
        for c in 1..<max(columns, 1) where values[r * columns + c] > values[r * columns + best] {
            best = c
        }
        return best
    }
}

/// Fraction of rows whose largest logit is at the label's index.
public func accuracy(logits: [Float], labels: [Int], classes: Int) -> Float {
    guard !labels.isEmpty else { return 0 }
    let predicted = argmaxRows(logits, columns: classes)
    var correct = 0
    for (p, y) in zip(predicted, labels) where p == y { correct += 1 }
    return Float(correct) / Float(labels.count)
}

/// Mean binary cross-entropy on logits (sigmoid inside, computed stably), e.g. for a GAN
/// discriminator; writes `∂loss/∂logits = (sigmoid(logits) - targets) / n` to `gradient`.
/// - Parameters:
///   - logits: `n` values.
///   - targets: `n` values in `[0, 1]` (1 for "real", 0 for "fake").
///   - gradient: receives `n` values (resized once if too small).
/// - Returns: `(1/n) Σ [max(x, 0) - x·t + log(1 + exp(-|x|))]`, accumulated in `Double`.
@discardableResult
public func sigmoidCrossEntropy(
    logits: [Float], targets: [Float], gradient: inout [Float]
) -> Float {
    let n = logits.count
    requireCount(targets.count, n, "sigmoidCrossEntropy targets")
    if gradient.count < n { gradient = [Float](repeating: 0, count: n) }
    var total = 0.0
    let scale = 1 / Float(max(n, 1))
    for i in 0..<n {
        let x = logits[i]
        let t = targets[i]
        let e = expf(-abs(x))
        total += Double(max(x, 0) - x * t) + Double(log1pf(e))
        let sigmoid = x >= 0 ? 1 / (1 + e) : e / (1 + e)
        gradient[i] = (sigmoid - t) * scale
    }
    return Float(total / Double(max(n, 1)))
}
