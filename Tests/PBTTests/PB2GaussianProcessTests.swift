import Testing

@testable import PBT

/// PB2's GP against numpy/scikit-learn (cases from `scripts/pb2_reference.py`) and finite differences.
@Suite("PB2 Gaussian process")
struct PB2GaussianProcessTests: RelativeTolerance {
    /// Relative agreement required of the likelihood, its gradient and the posterior.
    static let tolerance = 1e-8

    private func process(_ reference: PB2GaussianProcessCase) throws -> PB2GaussianProcess {
        let inputs = PB2TestData.inputs(reference.inputs, columns: reference.columns)
        let parameters = PB2KernelParameters(
            variance: reference.variance, lengthscale: reference.lengthscale, epsilon: reference.epsilon,
            noise: reference.noise)
        return try #require(PB2GaussianProcess(inputs: inputs, targets: reference.targets, parameters: parameters))
    }

    @Test("log marginal likelihood and its gradient agree with scikit-learn", arguments: PB2GaussianProcessCase.all)
    func likelihood(_ reference: PB2GaussianProcessCase) throws {
        let gp = try process(reference)
        #expect(gp.factor.jitter == 0)
        #expect(close(gp.logMarginalLikelihood, reference.logMarginalLikelihood))
        for (value, expected) in zip(gp.logMarginalLikelihoodGradient(), reference.gradient) {
            #expect(close(value, expected), "gradient \(value) vs \(expected)")
        }
    }

    @Test("posterior mean and latent variance agree with scikit-learn", arguments: PB2GaussianProcessCase.all)
    func posterior(_ reference: PB2GaussianProcessCase) throws {
        let gp = try process(reference)
        let columns = reference.columns
        for q in 0..<reference.means.count {
            let row = Array(reference.queries[q * columns..<(q + 1) * columns])
            let (mean, variance) = gp.predict(time: row[0], z: Array(row.dropFirst()))
            #expect(close(mean, reference.means[q]), "mean \(mean) vs \(reference.means[q])")
            #expect(close(variance, reference.variances[q]), "variance \(variance) vs \(reference.variances[q])")
        }
    }

    @Test("the likelihood gradient matches central differences", arguments: PB2GaussianProcessCase.all)
    func finiteDifferences(_ reference: PB2GaussianProcessCase) throws {
        let gp = try process(reference)
        let origin = gp.parameters.coordinates
        for k in 0..<4 {
            let h = 1e-5
            func value(_ shift: Double) throws -> Double {
                var c = origin
                c[k] += shift
                return try #require(
                    PB2GaussianProcess(
                        inputs: gp.inputs, targets: gp.targets, parameters: PB2KernelParameters(coordinates: c))
                )
                .logMarginalLikelihood
            }
            let numeric = (try value(h) - value(-h)) / (2 * h)
            let analytic = gp.logMarginalLikelihoodGradient()[k]
            #expect(
                abs(numeric - analytic) <= 1e-6 * max(1, abs(analytic)), "coordinate \(k): \(analytic) vs \(numeric)")
        }
    }

    @Test("Cholesky adds jitter to a singular matrix and reconstructs it, and refuses NaN")
    func jitter() throws {
        // Rank one: [[1, 1], [1, 1]].
        let factor = try #require(DenseCholesky([1, 1, 1, 1], n: 2))
        #expect(factor.jitter > 0 && factor.jitter < 1e-6)
        let l = factor.lower
        #expect(abs(l[0] * l[0] - 1 - factor.jitter) < 1e-12)
        #expect(abs(l[2] * l[2] + l[3] * l[3] - 1 - factor.jitter) < 1e-12)
        #expect(DenseCholesky([.nan, 0, 0, 1], n: 2) == nil)
        let inverse = try #require(DenseCholesky([4, 2, 2, 3], n: 2)).inverse()
        for (value, expected) in zip(inverse, [0.375, -0.25, -0.25, 0.5]) { #expect(abs(value - expected) < 1e-15) }
    }
}
