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
        var pendingPoints: [[Double]] = []
        for k in 0..<pending {
            pendingPoints.append([0.1 * Double(k), 0.5, 0.9, 0.3])
            z.append(0.4)
            z.append(contentsOf: pendingPoints[k])
            time.append(0.7)
        }
        let spread = try #require(
            PB2GaussianProcess(
                inputs: PB2Inputs(time: time, z: z, dimension: inputs.dimension),
                targets: reference.targets + Array(repeating: 0, count: pending), parameters: parameters))
        let acquisition = PB2Acquisition(process: data, pending: pendingPoints, time: 0.7, score: 0.4)
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
        // The deviation is the spread GP's, computed directly on the extended rows.
        let direct = spread.predict(time: 0.7, z: [0.4] + x).variance.squareRoot()
        #expect(
            abs(acquisition.evaluate(x).deviation - direct) < 1e-10, "\(acquisition.evaluate(x).deviation) vs \(direct)"
        )
        if pending == 0 {
            #expect(abs(acquisition.evaluate(x).deviation - variance.squareRoot()) < 1e-10)
        } else {
            let atPending = [0.0, 0.5, 0.9, 0.3]
            let unbatched = data.predict(time: 0.7, z: [0.4] + atPending).variance.squareRoot()
            #expect(acquisition.evaluate(atPending).deviation < 0.5 * unbatched)
        }
        #expect(abs(acquisition.kappa - (0.2 + log(0.4 * 40)).squareRoot()) < 1e-15)
    }

    @Test("rows sharing a configuration are grouped without changing the mean or the deviation", arguments: [0, 2])
    func groups(pending: Int) throws {
        // 30 rows in 6 configurations of 5 rows each, at different times and scores.
        var random = PBTRandom(seed: 9)
        let configurations = (0..<6).map { _ in (0..<3).map { _ in random.unit() } }
        var time: [Double] = [], z: [Double] = [], targets: [Double] = []
        for i in 0..<30 {
            time.append(random.unit())
            z.append(random.unit())
            z.append(contentsOf: configurations[i / 5])
            targets.append(2 * random.unit() - 1)
        }
        let inputs = PB2Inputs(time: time, z: z, dimension: 4)
        let parameters = PB2KernelParameters(variance: 1.3, lengthscale: 0.4, epsilon: 0.2, noise: 0.02)
        let data = try #require(PB2GaussianProcess(inputs: inputs, targets: targets, parameters: parameters))
        let pendingPoints = (0..<pending).map { k in [0.2 + 0.3 * Double(k), 0.6, 0.1] }
        var spreadZ = z
        for point in pendingPoints { spreadZ += [0.55] + point }
        let spread = try #require(
            PB2GaussianProcess(
                inputs: PB2Inputs(time: time + Array(repeating: 0.9, count: pending), z: spreadZ, dimension: 4),
                targets: targets + Array(repeating: 0, count: pending), parameters: parameters))
        let acquisition = PB2Acquisition(process: data, pending: pendingPoints, time: 0.9, score: 0.55)
        #expect(acquisition.groups == 6 + pending)
        for x in [configurations[0], [0.5, 0.5, 0.5], pendingPoints.first ?? [0.9, 0.1, 0.3]] {
            let value = acquisition.evaluate(x)
            #expect(abs(value.mean - data.predict(time: 0.9, z: [0.55] + x).mean) < 1e-12)
            let direct = spread.predict(time: 0.9, z: [0.55] + x).variance
            #expect(
                abs(value.deviation * value.deviation - direct) < 1e-10, "\(value.deviation) vs \(direct.squareRoot())")
        }
    }

    @Test("window selection uses every row below the minimum and a candidate length above it")
    func windowLength() throws {
        let space = try SearchSpace(["p": .uniform(lower: 0, upper: 1)])
        let history = PB2TestData.history(space: space, members: 8, records: 40, segment: 4) { 0.1 * $0.number("p")! }
        let data = try PB2Observations(history, encoding: PB2Encoding(space), maximumRows: 1000)
        var random = PBTRandom(seed: 2)
        let all = try #require(
            PB2Model.fit(
                data, step: 400, score: 1, minimumWindow: data.count + 1, windowStep: 10, fitRows: 100, fitStarts: 1,
                using: &random))
        #expect(all.window == data.count)
        let model = try #require(
            PB2Model.fit(
                data, step: 400, score: 1, minimumWindow: 100, windowStep: 10, fitRows: 100, fitStarts: 1,
                using: &random))
        let length = model.window
        #expect(length >= 100 && length <= data.count && (length - 100) % 10 == 0, "\(length) of \(data.count)")
        // The window's targets are Ray's: its rates standardised over it and clipped.
        #expect(model.process.targets == PB2Window.standardise(data.rate.reversed()[0..<length]).targets)
    }

    @Test("from the minimum window on, the kernel is fitted on the newest min(fitRows, minimumWindow) rows")
    func fitRows() throws {
        let space = try SearchSpace(["p": .uniform(lower: 0, upper: 1)])
        var noise = PBTRandom(seed: 9)
        let history = PB2TestData.history(space: space, members: 8, records: 40, segment: 4) {
            0.1 * $0.number("p")! + 0.05 * noise.unit()
        }
        let data = try PB2Observations(history, encoding: PB2Encoding(space), maximumRows: 1000)
        let all = PB2Window(data, length: data.count, step: 400, score: 1, newestFirst: true)
        let rates = Array(data.rate.reversed())
        var fitted: [PB2KernelParameters] = []
        for (fitRows, expectedRows) in [(30, 30), (100, 100), (500, 100)] {
            var random = PBTRandom(seed: 5), same = PBTRandom(seed: 5)
            let model = try #require(
                PB2Model.fit(
                    data, step: 400, score: 1, minimumWindow: 100, windowStep: 10, fitRows: fitRows, fitStarts: 2,
                    using: &random))
            let direct = try #require(
                PB2Fit.parameters(
                    inputs: all.inputs.prefix(expectedRows),
                    targets: PB2Window.standardise(rates[0..<expectedRows]).targets, starts: 2, using: &same))
            #expect(model.process.parameters == direct, "fitRows \(fitRows)")
            fitted.append(direct)
        }
        #expect(fitted[0] != fitted[1] && fitted[1] == fitted[2], "\(fitted)")
    }

    @Test("each window's likelihood from one factorisation equals a direct fit on the window")
    func prefixLikelihoods() throws {
        let space = try SearchSpace(["p": .uniform(lower: 0, upper: 1), "q": .uniform(lower: 0, upper: 1)])
        let history = PB2TestData.history(space: space, members: 6, records: 20, segment: 3) {
            0.1 * $0.number("p")! - 0.05 * $0.number("q")!
        }
        let data = try PB2Observations(history, encoding: PB2Encoding(space), maximumRows: 1000)
        let all = PB2Window(data, length: data.count, step: 200, score: 1, newestFirst: true)
        let parameters = PB2KernelParameters(variance: 0.9, lengthscale: 0.5, epsilon: 0.3, noise: 0.01)
        let n = data.count
        var matrix = all.inputs.kernelMatrix(parameters)
        for i in 0..<n { matrix[i * n + i] += parameters.noise }
        let factor = try #require(DenseCholesky(matrix, n: n))
        let floor = 1e-8 / all.rateScale
        let likelihoods = PB2WindowSelection.prefixLikelihoods(factor: factor, values: all.targets, floor: floor)
        for length in [2, 17, 40, 63, n] {
            let values = all.targets[0..<length]
            let mean = values.reduce(0, +) / Double(length)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(length)).squareRoot()
            let targets = values.map { ($0 - mean) / (deviation + floor) }
            let direct = try #require(
                PB2GaussianProcess(
                    inputs: all.inputs.prefix(length), targets: targets, parameters: parameters))
            let expected = direct.logMarginalLikelihood
            #expect(
                abs(likelihoods[length - 1] - expected) <= 1e-9 * max(1, abs(expected)),
                "\(length): \(likelihoods[length - 1]) vs \(expected)")
            let leading = PB2GaussianProcess(
                inputs: all.inputs.prefix(length), targets: targets, parameters: parameters,
                factor: factor.leading(length))
            #expect(abs(leading.logMarginalLikelihood - expected) <= 1e-9 * max(1, abs(expected)))
        }
        #expect(PB2WindowSelection.length(likelihoods: likelihoods, minimum: n + 1, step: 10) == n)
        let chosen = PB2WindowSelection.length(likelihoods: likelihoods, minimum: 40, step: 10)
        let candidates = Array(Swift.stride(from: 40, through: n, by: 10))
        #expect(chosen == candidates.max { likelihoods[$0 - 1] < likelihoods[$1 - 1] })
    }
}
