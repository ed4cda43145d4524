import Foundation
import Testing

@testable import Neural

@Suite("Activations and random numbers")
struct ActivationTests {
    @Test("fast tanh and sigmoid are within a few ulp of the C library")
    func tanhAccuracy() {
        var xs: [Float] = []
        var x: Float = -12
        while x <= 12 {
            xs.append(x)
            x += 0.001
        }
        xs += [0, -0.0, 1e-8, -3e-4, 4e-4, .infinity, -.infinity]
        var t = xs
        var s = xs
        t.withUnsafeMutableBufferPointer { Activation.tanh.apply($0.baseAddress!, count: $0.count) }
        s.withUnsafeMutableBufferPointer {
            Activation.sigmoid.apply($0.baseAddress!, count: $0.count)
        }
        for (i, x) in xs.enumerated() {
            #expect(abs(t[i] - Foundation.tanh(x)) <= 3e-7, "tanh(\(x)) = \(t[i])")
            #expect(abs(s[i] - 1 / (1 + Foundation.exp(-x))) <= 3e-7, "sigmoid(\(x)) = \(s[i])")
        }
    }

    @Test("vector square root is accurate, zero at zero")
    func squareRootAccuracy() {
        var values: [Float] = [0, 1e-30, 1e-12, 1e-8, 0.25, 1, 2, 3, 1e6, 1e30]
        var rng = NeuralRNG(seed: 9)
        values += (0..<100).map { _ in rng.nextFloat() * 10 }
        for chunk in stride(from: 0, to: values.count, by: 16) {
            var v = Vec()
            let n = min(16, values.count - chunk)
            for i in 0..<n { v[i] = values[chunk + i] }
            let r = squareRoot(v)
            for i in 0..<n {
                let exact = values[chunk + i].squareRoot()
                #expect(abs(r[i] - exact) <= 4e-7 * exact, "sqrt(\(values[chunk + i]))")
            }
        }
    }

    @Test("the generator is deterministic and its normals have the right moments")
    func generator() {
        var a = NeuralRNG(seed: 42)
        var b = NeuralRNG(seed: 42)
        var c = NeuralRNG(seed: 43)
        let sa = (0..<8).map { _ in a.next() }
        #expect(sa == (0..<8).map { _ in b.next() })
        #expect(sa != (0..<8).map { _ in c.next() })
        var sum = 0.0
        var squares = 0.0
        let n = 20_000
        for _ in 0..<n {
            let x = a.normal(mean: 1, standardDeviation: 2)
            sum += x
            squares += x * x
        }
        let mean = sum / Double(n)
        let std = (squares / Double(n) - mean * mean).squareRoot()
        #expect(abs(mean - 1) < 0.05)
        #expect(abs(std - 2) < 0.05)
        let f = (0..<1000).map { _ in a.nextFloat() }
        #expect(f.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(throws: NeuralError.self) { _ = try NeuralRNG(state: (0, 0, 0, 0)) }
    }
}
