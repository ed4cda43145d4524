import Foundation
import PBT
import Testing

@testable import PBTRuntime

/// `workload: {command: ...}` in experiment files.
@Suite("Experiment files: command workloads")
struct CommandConfigTests {
    static func file(_ workload: String) -> String {
        """
        name: ext
        workload: \(workload)
        population: 2
        steps: 10
        interval: 5
        hyperparameters:
          lr: {loguniform: [0.001, 0.1]}
        """
    }

    @Test func aCommandIsReadWithItsSettings() throws {
        let yaml = Self.file(
            "{command: [python3, train.py, --fast], cwd: sub, env: {A: '1'}, timeout: 30, max_failures: 5}")
        let config = try ExperimentConfig(yaml: yaml, file: "/data/exp/ext.yaml")
        let command = try #require(config.workload.command)
        #expect(
            command
                == CommandSpec(
                    arguments: ["python3", "train.py", "--fast"], directory: "/data/exp/sub", environment: ["A": "1"],
                    timeout: 30,
                    maxFailures: 5))
        #expect(config.workload.name == "command" && config.workload.maxFailures == 5)
        let decoded = try JSONDecoder().decode(ExperimentConfig.self, from: Data(try config.canonicalJSON().utf8))
        #expect(decoded == config)
    }

    @Test func defaultsRunInTheFilesFolder() throws {
        let config = try ExperimentConfig(yaml: Self.file("{command: [./train.sh]}"), file: "/data/exp/ext.yaml")
        #expect(config.workload.command == CommandSpec(arguments: ["./train.sh"], directory: "/data/exp"))
        #expect(config.workload.maxFailures == CommandSpec.defaultMaxFailures)
        let absolute = try ExperimentConfig(yaml: Self.file("{command: [a], cwd: /opt/x/../y}"), file: "/data/e.yaml")
        #expect(absolute.workload.command?.directory == "/opt/y")
    }

    @Test func builtinWorkloadsKeepTheirCanonicalJSON() throws {
        let config = try ExperimentConfig(yaml: Self.file("{name: quadratic, step_size: 0.02}"))
        #expect(config.workload.command == nil && config.workload.maxFailures == CommandSpec.defaultMaxFailures)
        #expect(!(try config.canonicalJSON()).contains("command"))
    }

    @Test(arguments: [
        ("{command: []}", "workload.command", "needs the program"),
        ("{command: python3}", "workload.command", "expected a list"),
        ("{command: [python3], timeout: 0}", "workload.timeout", "> 0"),
        ("{command: [python3], timeout: soon}", "workload.timeout", "finite number"),
        ("{command: [python3], max_failures: -1}", "workload.max_failures", "must be in 0..."),
        ("{command: [python3], env: {A: [1]}}", "workload.env.A", "expected text"),
        ("{command: [python3], cwd: ''}", "workload.cwd", "empty"),
        ("{command: [python3], retries: 2}", "workload.retries", "allowed: command, cwd, env, timeout, max_failures"),
        ("{name: quadratic, timeout: 3}", "workload.timeout", "only a command workload"),
    ])
    func badCommandFieldsAreNamed(workload: String, field: String, phrase: String) {
        #expect {
            _ = try ExperimentConfig(yaml: Self.file(workload), file: "ext.yaml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.field == field && error.message.contains(phrase) && error.line == 2
        }
    }
}
