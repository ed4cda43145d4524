import Foundation

extension ExperimentConfig {
    /// The keys of `workload: {command: ...}`.
    static let commandKeys = ["command", "cwd", "env", "timeout", "max_failures"]

    /// Reads `workload: {command: [...], cwd:, env:, timeout:, max_failures:}`.
    /// - Parameter base: the folder a relative `cwd` resolves against (the experiment file's).
    static func command(_ node: ConfigNode, base: String) throws -> CommandSpec {
        let fields = try node.mapping(allowed: commandKeys)
        let commandNode = fields["command"]!
        let arguments = try commandNode.list().map { try $0.string() }
        guard let program = arguments.first, !program.isEmpty else {
            throw commandNode.error("needs the program and its arguments, e.g. [python3, train.py]")
        }
        var directory = base
        if let cwd = fields["cwd"] {
            let text = try cwd.string()
            guard !text.isEmpty else { throw cwd.error("must be a folder, got an empty text") }
            directory = text.hasPrefix("/") ? text : URL(fileURLWithPath: base).appendingPathComponent(text).path
        }
        var environment: [String: String] = [:]
        if let env = fields["env"] {
            for (key, value) in try env.entries() {
                guard !key.isEmpty, !key.contains("=") else { throw value.error("not a valid variable name") }
                environment[key] = try value.string()
            }
        }
        let timeout = try fields["timeout"]?.number() ?? CommandSpec.defaultTimeout
        guard timeout > 0 else { throw fields["timeout"]!.error("must be a number of seconds > 0, got \(timeout)") }
        let maxFailures = try fields["max_failures"]?.integer(in: 0...1_000_000) ?? CommandSpec.defaultMaxFailures
        return CommandSpec(
            arguments: arguments, directory: URL(fileURLWithPath: directory).standardizedFileURL.path,
            environment: environment, timeout: timeout, maxFailures: maxFailures)
    }

    /// The folder relative paths in `file` resolve against: the file's folder, or the working
    /// directory for text that is not a file.
    static func baseFolder(of file: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        guard file != "<input>" else { return cwd }
        let url =
            file.hasPrefix("/") ? URL(fileURLWithPath: file) : URL(fileURLWithPath: cwd).appendingPathComponent(file)
        return url.deletingLastPathComponent().standardizedFileURL.path
    }
}
