import Foundation
import PBT
import PBTRuntime
import PBTStore
import Testing

@testable import PBTReport

@Suite("Member tracks, settings and names")
struct TracksTests {
    @Test(
        "every exploit starts a stretch linked to the donor's ready point at the donor's step", arguments: [1, 2, 3, 4])
    func parents(seed: UInt64) async throws {
        let history = try await run(try quadratic(members: 6, steps: 80, seed: seed), in: InMemoryStore())
        let tracks = MemberTracks(history)
        let exploits = history.events.filter(\.isExploit)
        #expect(tracks.segments.map { $0.count - 1 }.reduce(0, +) == exploits.count)
        for member in tracks.segments.indices {
            let own = history.events.filter { $0.isExploit && $0.member == member }
            for (segment, event) in zip(tracks.segments[member].dropFirst(), own) {
                #expect(segment.start == event.donorStep)
                #expect(segment.donor == event.donor)
                let parent = try #require(segment.parent)
                #expect(history.scores[parent].member == event.donor)
                #expect(history.scores[parent].step == event.donorStep)
            }
            #expect(tracks.segments[member].last?.alive == true)
        }
        let points = tracks.segments.flatMap { $0.flatMap(\.points) }.sorted()
        #expect(points == Array(history.scores.indices), "every ready point is in exactly one stretch")
    }

    @Test("settings come from the stored configuration")
    func settings() throws {
        let config = try quadratic()
        let settings = ExperimentSettings(configuration: try config.canonicalJSON())
        #expect(settings.workload == "quadratic")
        #expect(settings.steps == 60 && settings.interval == 4)
        #expect(settings.mode == .max)
        #expect(settings.isLogarithmic("h0") && !settings.isLogarithmic("h1"))
        #expect(settings.exploit == "truncation(fraction: 0.25)")
        #expect(settings.explore == "perturb(factors: [0.8, 1.2])")
        let unknown = ExperimentSettings(configuration: #"{"benchmark":"store"}"#)
        #expect(unknown.domains.isEmpty && unknown.steps == nil && unknown.mode == .max)
    }

    @Test("comparison names")
    func comparisonNames() {
        #expect(ComparisonRuns.base(of: "toy.pbt.seed12") == "toy")
        #expect(ComparisonRuns.base(of: "a.b.random.seed0") == "a.b")
        #expect(ComparisonRuns.base(of: "toy.pbt.seedx") == "toy.pbt.seedx")
        #expect(ComparisonRuns.arm(of: "toy.random.seed3", base: "toy") == .random)
        #expect(ComparisonRuns.arm(of: "toy.fixed.seed0", base: "toy") == .fixed)
        #expect(ComparisonRuns.arm(of: "toy.pbt.seed", base: "toy") == nil)
        #expect(ComparisonRuns.arm(of: "toyx.pbt.seed1", base: "toy") == nil)
        #expect(ComparisonRuns.arm(of: "toy.pb3.seed1", base: "toy") == nil)
        #expect(
            ComparisonRuns.base(of: "toy.pbt.seed007") == "toy.pbt.seed007", "a seed is written without leading zeros")
        #expect(ComparisonRuns.base(of: ".pbt.seed1") == ".pbt.seed1")
        #expect(ComparisonRunName(parsing: "a.b.fixed.seed18446744073709551615")?.seed == .max)
        #expect(ComparisonRunName(base: "a.b", arm: .fixed, seed: 9).description == "a.b.fixed.seed9")
    }

    @Test("an arm's band: median, min and max over runs, each run holding its latest value")
    func armBand() {
        let band = ArmBand([
            [(4, 1.0), (8, 2.0), (12, 3.0)],
            [(4, 5.0), (12, 0.0)],
            [(8, 4.0), (12, .infinity)],
        ])
        #expect(
            band.points == [
                .init(step: 4, median: 3, low: 1, high: 5),
                .init(step: 8, median: 4, low: 2, high: 5),
                .init(step: 12, median: 3, low: 0, high: 4),
            ])
    }
}

@Suite("Scales and decimation")
struct ScaleTests {
    @Test("log ticks are decades, linear ticks round")
    func ticks() {
        let log = Scale(covering: [0.0001, 1], pixels: (0, 100), logarithmic: true)
        #expect(log.ticks() == [0.0001, 0.001, 0.01, 0.1, 1])
        #expect(log(0.0001) == 0 && log(1) == 100 && abs(log(0.01) - 50) < 1e-6)
        let twoDecades = Scale(covering: [0.01, 1], pixels: (0, 100), logarithmic: true)
        #expect(twoDecades.ticks().count == 5, "1 and 3 per decade when there are few decades")
        let linear = Scale(covering: [0, 1], pixels: (0, 100))
        let ticks = linear.ticks(count: 5)
        #expect(ticks.count == 6 && zip(ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(linear(0.5) == 50)
        let flat = Scale(covering: [3, 3], pixels: (0, 10))
        #expect(flat.lower < 3 && flat.upper > 3)
    }

    @Test("decimation keeps the ends and the peaks, and at most the threshold")
    func decimation() {
        var points = (0..<10_000).map { (x: Double($0), y: sin(Double($0) / 300)) }
        points[5_000].y = 40
        let kept = decimate(points, threshold: 200)
        #expect(kept.count == 200)
        #expect(kept.first!.x == 0 && kept.last!.x == 9_999)
        #expect(kept.contains { $0.y == 40 })
        #expect(decimate(Array(points.prefix(50)), threshold: 200).count == 50)
    }
}
