import Foundation
import Testing

@testable import PBT

/// The UCB acquisition's gradient and the window selection.
@Suite("PB2 acquisition and window")
struct PB2AcquisitionTests {
    @Test("the UCB gradient matches central differences, with and without pending points", arguments: [0, 3])
    func gradient(pending: Int) throws {
        let reference = PB2GaussianProcessCase.all[2]
        let inputs = PB2TestData.inputs(reference.inputs, columns: reference.columns)
        let parameters = PB2KernelParameters(variance: 2.5, lengthscale: 0.8, epsilon: 0.3, noise: 0.05)
        let data = try #require(PB2GaussianProcess(inputs: inputs, targets: reference.targets, parameters: parameters))
        var z = inputs.z, time = inputs.time
        for k in 0..<pending {
            z.append(0.4)
            z.append(contentsOf: [0.1 * Double(k), 0.5, 0.9, 0.3])
            time.append(0.7)
        }
        let spread = try #require(PB2GaussianProcess(
            inputs: PB2Inputs(time: time, z: z, dimension: inputs.dimension),
            targets: reference.targets + Array(repeating: 0, count: pending), parameters: parameters))
        let acquisition = PB2Acquisition(data: data, spread: spread, time: 0.7, score: 0.4)
        let x = [0.3, 0.6, 0.2, 0.8]
        let analytic = acquisition.evaluate(x).gradient
        for j in 0..<4 {
            var up = x, down = x
            up[j] += 1e-6
            down[j] -= 1e-6
            let numeric = (acquisition.evaluate(up).value - acquisition.evaluate(down).value) / 2e-6
            #expect(abs(numeric - analytic[j]) <= 1e-6 * max(1, abs(analytic[j])), "\(j): \(analytic[j]) vs \(numeric)")
        }
        let (mean, variance) = data.predict(time: 0.7, z: [0.4] + x)
        #expect(abs(acquisition.evaluate(x).mean - mean) < 1e-12)
        if pending == 0 {
            #expect(abs(acquisition.evaluate(x).deviation - variance.squareRoot()) < 1e-10)
        } else {
            let atPending = [0.0, 0.5, 0.9, 0.3]
            let unbatched = data.predict(time: 0.7, z: [0.4] + atPending).variance.squareRoot()
            #expect(acquisition.evaluate(atPending).deviation < 0.5 * unbatched)
        }
        #expect(abs(acquisition.kappa - (0.2 + log(0.4 * 40)).squareRoot()) < 1e-15)
    }

    @Test("window selection uses every row below the minimum and a candidate length above it")
    func windowLength() throws {
        let space = try SearchSpace(["p": .uniform(lower: 0, upper: 1)])
        let history = PB2TestData.history(space: space, members: 8, records: 40, segment: 4) { 0.1 * $0.number("p")! }
        let data = try PB2Observations(history, encoding: PB2Encoding(space), maximumRows: 1000)
        var random = PBTRandom(seed: 2)
        #expect(PB2WindowSelection.length(data, minimum: data.count + 1, step: 10, fitStarts: 1, using: &random) == data.count)
        let length = PB2WindowSelection.length(data, minimum: 100, step: 10, fitStarts: 1, using: &random)
        #expect(length >= 100 && length <= data.count && (length - 100) % 10 == 0, "\(length) of \(data.count)")
    }
}
