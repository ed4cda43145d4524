import Foundation
import PBT
import Testing

@testable import PBTRuntime

/// The `score` reply's optional `metrics` (docs/protocol.md): read when valid, refused with a
/// message naming the metric and what is allowed.
@Suite("External protocol: metrics")
struct ExternalProtocolMetricsTests {
    @Test func metricsAreReadBesideTheScore() throws {
        let reply = try ExternalProtocol.parse(
            #"{"type":"score","score":0.9,"metrics":{"train/loss":0.25,"test_accuracy":1,"n-params":12345}}"#,
            answering: .evaluate)
        #expect(reply == .score(0.9, metrics: Metrics(["train/loss": 0.25, "test_accuracy": 1, "n-params": 12345])))
        #expect(
            try ExternalProtocol.parse(#"{"type":"score","score":1,"metrics":{}}"#, answering: .evaluate)
                == .score(1, metrics: .none))
        #expect(
            try ExternalProtocol.parse(#"{"type":"score","score":1,"metrics":null}"#, answering: .evaluate)
                == .score(1, metrics: .none))
    }

    static let tooMany = "{" + (0...Metrics.maximumCount).map { "\"m\($0)\":1" }.joined(separator: ",") + "}"
    static let longName = String(repeating: "x", count: Metrics.maximumNameLength + 1)

    @Test(arguments: [
        (#"{"score":2}"#, ExternalProgramError.Code.invalidMetrics, "collides with a built-in field"),
        (#"{"step":2}"#, .invalidMetrics, "reserved: "),
        (#"{"member":2}"#, .invalidMetrics, "'member' collides"),
        (#"{"loss":"low"}"#, .invalidMetrics, "metric 'loss' is not a number"),
        (#"{"loss":true}"#, .invalidMetrics, "metric 'loss' is not a number"),
        (#"{"loss":[1]}"#, .invalidMetrics, "metric 'loss' is not a number"),
        (#"{"loss":null}"#, .invalidMetrics, "metric 'loss' is not a number"),
        (#"[1]"#, .invalidMetrics, "'metrics' must be an object"),
        (#"{"":1}"#, .invalidMetrics, "a letter or '_' first"),
        (#"{"1st":1}"#, .invalidMetrics, "metric name '1st' is not allowed"),
        (#"{"a b":1}"#, .invalidMetrics, "metric name 'a b' is not allowed"),
        (#"{"\#(longName)":1}"#, .invalidMetrics, "1 to 64 characters"),
        (tooMany, .invalidMetrics, "at most 64"),
        (#"{"loss":1e999}"#, .malformed, "not JSON"),  // beyond a double: Foundation's parser refuses the line
        (#"{"loss":NaN}"#, .invalidScore, "not a valid score or metric"),
    ])
    func badMetricsAreNamed(metrics: String, code: ExternalProgramError.Code, phrase: String) {
        #expect {
            _ = try ExternalProtocol.parse(#"{"type":"score","score":1,"metrics":\#(metrics)}"#, answering: .evaluate)
        } throws: { error in
            guard let violation = error as? ExternalProtocol.Violation else { return false }
            return violation.code == code && violation.message.contains(phrase)
        }
    }

    @Test func badMetricsRecurButANonFiniteValueOfATrainableMayNot() {
        #expect(ExternalProgramError(.invalidMetrics, member: 0, message: "", lastLine: nil, logPath: "").recurs)
        #expect(!MetricsError(.notFinite, "").recurs && MetricsError(.reservedName, "").recurs)
    }
}
