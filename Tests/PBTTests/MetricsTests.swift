import Foundation
import PBT
import Testing

/// `Metrics.validated`: names, values and counts a score may carry.
@Suite("Metrics")
struct MetricsTests {
    @Test func validMetricsPassUnchanged() throws {
        let values = ["loss": 0.5, "train/loss": -1e-300, "_x.y-z": 0, "Acc9": 1e300]
        #expect(try Metrics.validated(values) == Metrics(values))
        #expect(try Metrics.validated([:]).isEmpty)
        let most = Dictionary(uniqueKeysWithValues: (0..<Metrics.maximumCount).map { ("m\($0)", Double($0)) })
        #expect(try Metrics.validated(most).values.count == Metrics.maximumCount)
        #expect(try Metrics.validated([String(repeating: "a", count: Metrics.maximumNameLength): 1]).values.count == 1)
    }

    @Test func everyReservedNameIsRefused() {
        for name in Metrics.reservedNames {
            #expect(throws: MetricsError.self) { try Metrics.validated([name: 1]) }
        }
    }

    @Test func aHyperparameterNameIsRefused() {
        #expect {
            try Metrics.validated(["lr": 0.1], hyperparameterNames: ["lr"])
        } throws: {
            ($0 as? MetricsError)?.code == .reservedName
                && "\($0)".contains("metric 'lr' has the name of a hyperparameter")
        }
    }

    @Test func nonFiniteValuesAreRefused() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect {
                try Metrics.validated(["loss": value])
            } throws: { ($0 as? MetricsError)?.code == .notFinite && "\($0)".contains("metric 'loss'") }
        }
    }

    @Test func badNamesAndCountsAreRefused() {
        let cases: [([String: Double], MetricsError.Code)] = [
            (["": 1], .badName), (["9a": 1], .badName), (["a b": 1], .badName), (["é": 1], .badName),
            (["a\u{1B}[2J": 1], .badName), ([String(repeating: "a", count: 65): 1], .badName),
            (Dictionary(uniqueKeysWithValues: (0...Metrics.maximumCount).map { ("m\($0)", 1.0) }), .tooMany),
        ]
        for (values, code) in cases {
            #expect { try Metrics.validated(values) } throws: { ($0 as? MetricsError)?.code == code }
        }
        // A control character is shown escaped, never raw.
        #expect { try Metrics.validated(["a\u{1B}": 1]) } throws: { !"\($0)".contains("\u{1B}") }
    }

    @Test func metricsEncodeAsAnObject() throws {
        let data = try JSONEncoder().encode(Metrics(["b": 2, "a": 0.1]))
        #expect(try JSONDecoder().decode(Metrics.self, from: data) == Metrics(["a": 0.1, "b": 2]))
        #expect(Metrics(["b": 2, "a": 0.5]).description == "a=0.5, b=2.0")
    }
}
