import Foundation
import Testing

@testable import PBT

/// The map between hyperparameters and `[0, 1]^d`, and the observation rows.
@Suite("PB2 encoding and observations")
struct PB2EncodingTests {
    static let space = try! SearchSpace([
        "lr": .logUniform(lower: 1e-4, upper: 1), "layers": .integer(lower: 1, upper: 4),
        "size": .choice([16, 32, 64], ordered: true), "p": .uniform(lower: -1, upper: 1), "c": .constant(7),
    ])

    @Test("loguniform maps on a log scale, both ways")
    func logarithmic() throws {
        let encoding = try PB2Encoding(Self.space)
        #expect(encoding.names == ["layers", "lr", "p", "size"])
        let x = try encoding.encode(
            Hyperparameters(["lr": 1e-2, "layers": 1, "size": 64, "p": 0, "c": 7]), context: "h")
        #expect(abs(x[1] - 0.5) < 1e-15)
        #expect(x[0] == 0 && x[2] == 0.5 && x[3] == 1)
        let back = encoding.decode([0, 0.25, 0.5, 1])
        #expect(abs(back.number("lr")! - 1e-3) < 1e-15)
        #expect(back.number("c") == 7 && back.number("size") == 64)
    }

    @Test("integers are rounded to the nearest (not truncated) and clamped; ordered choices to the nearest index")
    func rounding() throws {
        let encoding = try PB2Encoding(Self.space)
        // layers = 1 + 3x: x = 0.6 → 2.8 → 3 (Ray: 2); 0.5 → 2.5 → 3; 0.49 → 2.47 → 2; out of the box → clamped.
        for (x, layers) in [(0.6, 3.0), (0.5, 3), (0.49, 2), (1.7, 4), (-0.3, 1)] {
            #expect(encoding.decode([x, 0, 0, 0]).number("layers") == layers, "x = \(x)")
        }
        for (x, size) in [(0.24, 16.0), (0.26, 32), (0.74, 32), (0.76, 64)] {
            #expect(encoding.decode([0, 0, 0, x]).number("size") == size, "x = \(x)")
        }
    }

    @Test("rows are Δscore/Δstep of consecutive records with equal hyperparameters, sorted by time")
    func observations() throws {
        let space = try SearchSpace(["p": .uniform(lower: 0, upper: 1)])
        let a = Hyperparameters(["p": 0.25]), b = Hyperparameters(["p": 0.75])
        let records = [
            PB2Record(member: 0, step: 10, score: 1, hyperparameters: a),
            PB2Record(member: 1, step: 10, score: 2, hyperparameters: b),
            PB2Record(member: 0, step: 30, score: 5, hyperparameters: a),  // 0: (5 − 1) / 20
            PB2Record(member: 1, step: 20, score: 3, hyperparameters: b),  // 1: (3 − 2) / 10
            PB2Record(member: 0, step: 20, score: 4, hyperparameters: b),  // exploit: starts a segment
            PB2Record(member: 0, step: 20, score: 6, hyperparameters: b),  // Δstep 0: dropped
            PB2Record(member: 0, step: 40, score: .nan, hyperparameters: b),  // diverged: dropped
        ]
        let rows = try PB2Observations(records, encoding: PB2Encoding(space), maximumRows: 1000)
        #expect(rows.time == [20, 30])
        #expect(rows.rate == [0.1, 0.2])
        #expect(rows.scoreBefore == [2, 1])
        #expect(rows.hyperparameters == [0.75, 0.25])
        let newest = try PB2Observations(records, encoding: PB2Encoding(space), maximumRows: 1)
        #expect(newest.time == [30])
    }

    @Test("the window scales time and score min–max and clips standardised rates to [−2, 2]")
    func window() throws {
        let space = try SearchSpace(["p": .uniform(lower: 0, upper: 1)])
        var records: [PB2Record] = []
        for (member, rate) in [1.0, 1, 1, 1, 1, 1, 1, 1, 1, 100].enumerated() {
            let h = Hyperparameters(["p": 0.5])
            records.append(PB2Record(member: member, step: member, score: Double(member), hyperparameters: h))
            records.append(
                PB2Record(member: member, step: member + 1, score: Double(member) + rate, hyperparameters: h))
        }
        let data = try PB2Observations(records, encoding: PB2Encoding(space), maximumRows: 1000)
        let window = PB2Window(data, length: 10, step: 5.5, score: 18)
        #expect(window.inputs.time.first == 0 && window.inputs.time.last == 1)
        #expect(window.time == 0.5 && window.score == 2)
        #expect(window.targets.last == 2)
        #expect(window.targets.first! < 0 && window.targets.first! > -1)
    }
}
