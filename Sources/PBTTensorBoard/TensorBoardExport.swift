import Foundation
import PBT
import PBTStore

/// An experiment's history as TensorBoard event files: one file per member, in a folder of its
/// own (`member-N/`), so that TensorBoard shows each member as a run.
///
/// Each score becomes one event at the member's step, its time the score's recorded time,
/// holding the scalars `score`, `metrics/NAME` for each metric and `hyperparameters/NAME` for
/// each numeric hyperparameter in force (a text hyperparameter is a text summary, written
/// when its value changes). Each exploit or explore becomes a text summary `exploits` at the
/// step the member decided, after the score that led to it. Scalars are 32-bit floats, as TensorBoard keeps them.
public struct TensorBoardExport: Sendable {
    /// The experiment.
    public let experiment: ExperimentRecord
    /// Every score, in the order recorded.
    public let scores: [ScoreRecord]
    /// Every event, by sequence.
    public let events: [ExploitEvent]

    /// Creates an export of `experiment`'s history.
    public init(experiment: ExperimentRecord, scores: [ScoreRecord], events: [ExploitEvent]) {
        self.experiment = experiment
        self.scores = scores
        self.events = events
    }

    /// The file of `member`, relative to the export's folder:
    /// `member-N/events.out.tfevents.<creation time>.pbt` (the same name on every export of
    /// the experiment, so that exporting again replaces it).
    public func file(of member: Int) -> String {
        "member-\(member)/events.out.tfevents.\(Int(experiment.createdAt.timeIntervalSince1970)).pbt"
    }

    /// Writes every member's file under `directory` (created if missing), each replacing a
    /// file of the same name atomically; other files are left alone.
    /// - Returns: the files written, by member.
    /// - Throws: `TensorBoardExportError` naming a path that cannot be written.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        try (0..<experiment.population).map { member in
            let path = (directory as NSString).appendingPathComponent(file(of: member))
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(try bytes(of: member)).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw TensorBoardExportError(path: path, reason: error.localizedDescription)
            }
            return path
        }
    }

    /// The bytes of `member`'s event file: TFRecord-framed `Event` messages.
    public func bytes(of member: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for event in records(of: member) { bytes += TFRecord.frame(try event.serializedBytes()) }
        return bytes
    }

    /// The events of `member`'s file, in order: the file version, then its scores in the order
    /// recorded, each followed by the exploit or explore it led to (the member's next event, if
    /// it was decided at the score's step).
    func records(of member: Int) -> [Tensorboard_Event] {
        let created = experiment.createdAt.timeIntervalSince1970
        var records = [
            Tensorboard_Event.with {
                $0.wallTime = created
                $0.fileVersion = "brain.Event:2"
            }
        ]
        let changes = events.filter { $0.member == member }.sorted { $0.sequence < $1.sequence }
        var next = changes.startIndex
        var texts: [String: String] = [:]
        for score in scores where score.member == member {
            records.append(summary(of: score, created, texts: &texts))
            if next < changes.endIndex, changes[next].step == score.step {
                records.append(exploit(changes[next], created))
                next += 1
            }
        }
        records += changes[next...].map { exploit($0, created) }
        return records
    }

    private func summary(of score: ScoreRecord, _ created: Double, texts: inout [String: String]) -> Tensorboard_Event {
        var values = [Self.scalar("score", score.score)]
        values += score.metrics.names.map { Self.scalar("metrics/\($0)", score.metrics[$0]!) }
        for name in score.hyperparameters.names {
            let tag = "hyperparameters/\(name)"
            switch score.hyperparameters[name]! {
            case .number(let number): values.append(Self.scalar(tag, number))
            case .text(let text) where texts[tag] != text:
                texts[tag] = text
                values.append(Self.text(tag, text))
            case .text: break
            }
        }
        return Tensorboard_Event.with {
            $0.wallTime = score.recordedAt?.timeIntervalSince1970 ?? created
            $0.step = Int64(score.step)
            $0.summary = Tensorboard_Summary.with { $0.value = values }
        }
    }

    private func exploit(_ event: ExploitEvent, _ created: Double) -> Tensorboard_Event {
        Tensorboard_Event.with {
            $0.wallTime = event.recordedAt?.timeIntervalSince1970 ?? created
            $0.step = Int64(event.step)
            $0.summary = Tensorboard_Summary.with { $0.value = [Self.text("exploits", Self.describe(event))] }
        }
    }

    /// E.g. `step 40: copied member 2 (its step 40); lr: 0.01 → 0.012 (lr ×1.2)`, or
    /// `step 40: explored its own hyperparameters; …`.
    static func describe(_ event: ExploitEvent) -> String {
        let what =
            event.isExploit
            ? "copied member \(event.donor) (its step \(event.donorStep))" : "explored its own hyperparameters"
        let changes = event.mutations.map { mutation in
            let before = event.before[mutation.name].map { "\($0)" } ?? "none"
            let after = event.after[mutation.name].map { "\($0)" } ?? "none"
            return "\(mutation.name): \(before) → \(after) (\(mutation))"
        }
        return (["step \(event.step): \(what)"] + changes).joined(separator: "; ")
    }

    /// A scalar as TensorBoard's writers write one (`simple_value`, a 32-bit float).
    static func scalar(_ tag: String, _ value: Double) -> Tensorboard_Summary.Value {
        Tensorboard_Summary.Value.with {
            $0.tag = tag
            $0.simpleValue = Float(value)
        }
    }

    /// A text summary as `tf.summary.text` writes one: a string tensor of rank 0 for the text
    /// plugin.
    static func text(_ tag: String, _ text: String) -> Tensorboard_Summary.Value {
        Tensorboard_Summary.Value.with {
            $0.tag = tag
            $0.metadata = Tensorboard_SummaryMetadata.with {
                $0.pluginData = Tensorboard_SummaryMetadata.PluginData.with { $0.pluginName = "text" }
                $0.dataClass = .tensor
            }
            $0.tensor = Tensorboard_TensorProto.with {
                $0.dtype = .dtString
                $0.tensorShape = Tensorboard_TensorShapeProto()
                $0.stringVal = [Data(text.utf8)]
            }
        }
    }
}

/// An event file that could not be written.
public struct TensorBoardExportError: Error, CustomStringConvertible {
    /// The file.
    public let path: String
    /// Why.
    public let reason: String

    /// `cannot write the TensorBoard event file 'PATH': REASON`.
    public var description: String { "cannot write the TensorBoard event file '\(path)': \(reason)" }
}
