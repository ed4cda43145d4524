import Foundation
import Testing

@testable import PBT

/// PB2's suggestion end to end: determinism, following a signal, fallback, refusals.
@Suite("PB2 suggestion")
struct PB2Tests {
    static let space = try! SearchSpace([
        "lr": .logUniform(lower: 1e-4, upper: 1e-1), "momentum": .uniform(lower: 0, upper: 1),
        "width": .integer(lower: 8, upper: 64), "frozen": .constant("yes"),
    ])

    @Test("the same seed gives the same suggestion and explanation", arguments: 0..<5)
    func deterministic(seed: UInt64) throws {
        let history = PB2TestData.history(space: Self.space, seed: seed) { $0.number("momentum")! }
        let pb2 = try PB2(space: Self.space)
        var first = PBTRandom(seed: seed), second = PBTRandom(seed: seed)
        let a = try pb2.suggest(history: history, step: 130, score: 1, using: &first)
        let b = try pb2.suggest(history: history, step: 130, score: 1, using: &second)
        #expect(a == b)
        #expect(a.explanation != nil)
        try Self.space.validate(a.hyperparameters, context: "suggestion")
    }

    @Test("a rate that grows with momentum pulls the suggestion to high momentum", arguments: 0..<5)
    func followsSignal(seed: UInt64) throws {
        let history = PB2TestData.history(space: Self.space, seed: seed) { $0.number("momentum")! }
        var random = PBTRandom(seed: seed)
        let suggestion = try PB2(space: Self.space).suggest(history: history, step: 130, score: 5, using: &random)
        #expect(suggestion.hyperparameters.number("momentum")! > 0.8, "\(suggestion)")
        #expect(suggestion.hyperparameters.text("frozen") == "yes")
    }

    @Test("pending configurations are counted and the fitted kernel is in its box")
    func pending() throws {
        let history = PB2TestData.history(space: Self.space) { $0.number("momentum")! }
        let pb2 = try PB2(space: Self.space)
        var random = PBTRandom(seed: 3)
        let alone = try pb2.suggest(history: history, step: 130, score: 5, using: &random)
        random = PBTRandom(seed: 3)
        let batched = try pb2.suggest(
            history: history, step: 130, score: 5, pending: [alone.hyperparameters], using: &random)
        let explanation = try #require(batched.explanation)
        #expect(explanation.pending == 1)
        #expect(explanation.window == explanation.rows)
        #expect(explanation.kernel.epsilon >= 0 && explanation.kernel.epsilon <= 0.5)
        #expect(explanation.standardDeviation >= 0)
    }

    @Test("with fewer than two observations the suggestion is a prior draw without explanation")
    func fallback() throws {
        let h = Hyperparameters(["lr": 0.01, "momentum": 0.5, "width": 8, "frozen": "yes"])
        var random = PBTRandom(seed: 1), prior = PBTRandom(seed: 1)
        let suggestion = try PB2(space: Self.space).suggest(
            history: [PB2Record(member: 0, step: 10, score: 1, hyperparameters: h)], step: 10, score: 1, using: &random)
        #expect(suggestion.explanation == nil)
        #expect(suggestion.hyperparameters == Self.space.sample(using: &prior))
    }

    @Test(
        "a trust region keeps the suggestion near the configuration explored from; 1 is the whole domains",
        arguments: 0..<5)
    func trustRegion(seed: UInt64) throws {
        let history = PB2TestData.history(space: Self.space, seed: seed) { $0.number("momentum")! }
        let origin = Hyperparameters(["lr": 0.001, "momentum": 0.2, "width": 30, "frozen": "yes"])
        var random = PBTRandom(seed: seed)
        let near = try PB2(space: Self.space, trustRegion: 0.1).suggest(
            history: history, step: 130, score: 5, around: origin, using: &random)
        // Encoded: lr on a log scale over three decades (0.001 → 2/3), momentum as is, width over 8...64.
        let lr = try #require(near.hyperparameters.number("lr")),
            momentum = try #require(near.hyperparameters.number("momentum"))
        let width = try #require(near.hyperparameters.number("width"))
        #expect(abs(log10(lr / 0.001)) / 3 <= 0.1 + 1e-9, "\(near)")
        #expect(abs(momentum - 0.2) <= 0.1 + 1e-9, "\(near)")
        #expect(abs(width - 30) <= 0.1 * 56 + 0.5, "\(near)")
        #expect(momentum > 0.25, "within the region the rising rate still pulls momentum up: \(near)")
        var first = PBTRandom(seed: seed), second = PBTRandom(seed: seed)
        let whole = try PB2(space: Self.space, trustRegion: 1).suggest(
            history: history, step: 130, score: 5, around: origin, using: &first)
        #expect(whole == (try PB2(space: Self.space).suggest(history: history, step: 130, score: 5, using: &second)))
        for bad in [0, -0.5, 1.5, .nan] {
            do {
                _ = try PB2(space: Self.space, trustRegion: bad)
                Issue.record("accepted trust region \(bad)")
            } catch let error as PBTError { #expect(error.field == "explore.trust_region") }
        }
    }

    @Test("untunable spaces, bad settings and bad values are refused by name; unordered choices are PB2-Mix's")
    func refusals() throws {
        let unordered = try SearchSpace([
            "act": .choice(["relu", "tanh"], ordered: false), "lr": .uniform(lower: 0, upper: 1),
        ])
        #expect(try PB2(space: unordered).encoding.categoricalNames == ["act"])
        let constant = try SearchSpace(["a": .constant(1), "b": .choice(["x"], ordered: false)])
        do { _ = try PB2(space: constant) } catch let error as PBTError { #expect(error.field == "explore.strategy") }
        do { _ = try PB2(space: Self.space, fitStarts: 0) } catch let error as PBTError {
            #expect(error.field == "explore.fit_starts")
        }
        #expect { try PB2(space: Self.space, fitRows: 1) } throws: { ($0 as? PBTError)?.field == "explore.fit_rows" }
        let outside = PB2Record(
            member: 0, step: 10, score: 1, hyperparameters: Hyperparameters(["lr": 5, "momentum": 0.5, "width": 8]))
        var random = PBTRandom(seed: 1)
        do {
            _ = try PB2(space: Self.space).suggest(history: [outside], step: 10, score: 1, using: &random)
            Issue.record("accepted lr = 5")
        } catch let error as PBTError { #expect(error.field == "history[0].lr") }
    }
}
