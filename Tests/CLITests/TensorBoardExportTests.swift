import Foundation
import PBTTestSupport
import Testing

/// `pbt export NAME --format tensorboard --output DIR`, read back with the `tensorboard` Python
/// package's own event reader (installed into a virtual environment under `.build/`; skipped,
/// with the reason printed, when pip cannot reach the package index): every scalar and text
/// equals what the JSON export says, at the same step and wall time.
@Suite("CLI: TensorBoard export")
struct TensorBoardExportTests {
    /// Prints `{member: [[wall_time, step, kind, tag, value], ...]}` for every event of every
    /// member's file, in file order, as TensorBoard's `EventFileLoader` reads them (it checks
    /// each record's length and data CRCs, and gives scalars as the scalar plugin's tensors).
    /// A line ending in `\#` goes on at the next line's start (Swift's line continuation).
    static let reader = #"""
        import glob, json, os, sys
        from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
        out = {}
        for path in sorted(glob.glob(os.path.join(sys.argv[1], "member-*", "events.out.tfevents.*"))):
            member = int(os.path.basename(os.path.dirname(path)).split("-")[1])
            rows = []
            for event in EventFileLoader(path).Load():
                if event.HasField("file_version"):
                    rows.append([event.wall_time, event.step, "file_version", "", event.file_version])
                for value in event.summary.value:
                    plugin = value.metadata.plugin_data.plugin_name
                    if plugin == "scalars":  # the loader turns simple_value into the scalar plugin's tensor
                        assert value.tensor.dtype == 1 and len(value.tensor.float_val) == 1, value
                        rows.append([event.wall_time, event.step, "scalar", value.tag, value.tensor.float_val[0]])
                    else:
                        assert plugin == "text" and len(value.tensor.string_val) == 1, value
                        rows.append([event.wall_time, event.step, "text", value.tag, \#
        value.tensor.string_val[0].decode()])
            out[member] = rows
        print(json.dumps(out))
        """#

    @Test func everyValueReadsBackWithTensorBoardsReader() async throws {
        guard let python = try await pythonEnvironment("tensorboard-venv", probe: "tensorboard") else { return }
        if try await shell([python, "-c", "import tensorboard"]).status != 0 {
            let install = try await shell([python, "-m", "pip", "install", "--quiet", "tensorboard"])
            try #require(install.status == 0, "pip install tensorboard failed:\n\(install.output)")
        }

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("quad.yaml", quadraticExperiment(name: "quad", population: 3, steps: 60, interval: 4))
        try await pbt(["run", "quad.yaml", "--workers", "1", "--quiet"], in: directory)
        let json = try await pbt(["export", "quad", "--format", "json"], in: directory).stdout
        let export = try JSONDecoder().decode(Export.self, from: Data(json.utf8))
        let written = try await pbt(["export", "quad", "--format", "tensorboard", "--output", "tb"], in: directory)
        #expect(written.stdout.contains("wrote 3 event files under tb; view them with: tensorboard --logdir tb"))
        // A second export replaces the files instead of adding to them.
        try await pbt(["export", "quad", "--format", "tensorboard", "--output", "tb"], in: directory)

        let read = try await shell([python, "-c", Self.reader, directory.path + "/tb"])
        try #require(read.status == 0, "the tensorboard reader failed:\n\(read.output)")
        let files = try JSONDecoder().decode([String: [Row]].self, from: Data(read.output.utf8))
        #expect(files.keys.sorted() == ["0", "1", "2"])
        for member in 0..<3 {
            let rows = try #require(files[String(member)])
            #expect(rows.first?.kind == "file_version" && rows.first?.text == "brain.Event:2")
            #expect(rows.dropFirst() == Self.expected(export, member: member)[...], "member \(member)")
        }
        let scalars = files.values.joined().filter { $0.kind == "scalar" }.count
        #expect(scalars == export.scores.count * 6, "score, 3 metrics and 2 hyperparameters per ready point")
    }

    @Test func withoutAFolderOrOnAFileItIsRefusedAndNothingIsWritten() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("quad.yaml", quadraticExperiment(name: "quad", population: 2, steps: 8, interval: 4))
        try await pbt(["run", "quad.yaml", "--workers", "1", "--quiet"], in: directory)
        try directory.write("taken", "a file")
        try await refuse(["export", "quad", "--format", "tensorboard"], in: directory, mentioning: ["--output DIR"])
        try await refuse(
            ["export", "quad", "--format", "tensorboard", "--output", "taken"], in: directory,
            mentioning: ["'taken': it is a file; give a folder"])
        try await refuse(
            ["export", "quad", "--format", "tb", "--output", "x"], in: directory,
            mentioning: ["csv", "json", "tensorboard"])
    }

    /// What member `member`'s file must hold after its file version: for each score, in the
    /// order recorded, `score`, the metrics and the hyperparameters (32-bit floats, at the
    /// score's step and time), then the event it led to (as text, at its step and time).
    static func expected(_ export: Export, member: Int) -> [Row] {
        var rows: [Row] = []
        let events = export.events.filter { $0.member == member }
        var next = 0
        for score in export.scores where score.member == member {
            let values =
                [("score", score.score)]
                + score.metrics.sorted { $0.key < $1.key }.map { ("metrics/\($0.key)", $0.value) }
                + score.hyperparameters.sorted { $0.key < $1.key }.map { ("hyperparameters/\($0.key)", $0.value) }
            for (tag, value) in values {
                rows.append(
                    Row(wallTime: score.time, step: score.step, kind: "scalar", tag: tag, value: Double(Float(value))))
            }
            if next < events.count, events[next].step == score.step {
                rows.append(text(events[next]))
                next += 1
            }
        }
        return rows + events[next...].map(text)
    }

    /// E.g. `step 8: copied member 2 (its step 8); h0: 0.5 → 0.6 (h0 ×1.2); h1: 0.25 → 0.25 (h1 unchanged)`.
    private static func text(_ event: Export.Event) -> Row {
        let what =
            event.kind == "exploit"
            ? "copied member \(event.donor) (its step \(event.donor_step))" : "explored its own hyperparameters"
        let number = { (value: Double) in
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.6g", value)
        }
        let changes = event.mutations.map { change in
            let operation: String =
                switch change.operation {
                case "scaled": "×\(change.by!)"
                case "shifted": "index \(change.by! >= 0 ? "+" : "")\(Int(change.by!))"
                case "resampled": "resample"
                default: change.operation
                }
            return "\(change.name): \(number(event.before[change.name]!)) → \(number(event.after[change.name]!)) "
                + "(\(change.name) \(operation)\(change.clamped ? " clamped" : ""))"
        }
        let text = (["step \(event.step): \(what)"] + changes).joined(separator: "; ")
        return Row(wallTime: event.time, step: event.step, kind: "text", tag: "exploits", text: text)
    }

    /// One value of an event file.
    struct Row: Decodable, Equatable, CustomStringConvertible {
        var wallTime: Double
        var step: Int
        var kind: String
        var tag: String
        var value: Double?
        var text: String?

        init(wallTime: Double, step: Int, kind: String, tag: String, value: Double? = nil, text: String? = nil) {
            (self.wallTime, self.step, self.kind, self.tag, self.value, self.text) = (
                wallTime, step, kind, tag, value, text
            )
        }

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            wallTime = try row.decode(Double.self)
            step = try row.decode(Int.self)
            kind = try row.decode(String.self)
            tag = try row.decode(String.self)
            if kind == "scalar" { value = try row.decode(Double.self) } else { text = try row.decode(String.self) }
        }

        var description: String {
            "\(kind) \(tag) at step \(step), time \(wallTime): \(value.map { "\($0)" } ?? text ?? "")"
        }
    }

    /// The JSON export's scores and events.
    struct Export: Decodable {
        struct Score: Decodable {
            var member: Int
            var step: Int
            var score: Double
            var hyperparameters: [String: Double]
            var metrics: [String: Double]
            var time: Double
        }

        struct Event: Decodable {
            struct Change: Decodable {
                var name: String
                var operation: String
                var by: Double?
                var clamped: Bool
            }

            var kind: String
            var member: Int
            var step: Int
            var donor: Int
            var donor_step: Int
            var before: [String: Double]
            var after: [String: Double]
            var mutations: [Change]
            var time: Double
        }

        var scores: [Score]
        var events: [Event]
    }
}
