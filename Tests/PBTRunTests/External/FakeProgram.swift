import Foundation
import PBT
import PBTRuntime
import PBTTestSupport

/// A POSIX-shell training program for tests: its "model" is a counter `x` of steps trained,
/// its score is `x`, its checkpoint a text file holding `x`. `MODE` makes it misbehave at the
/// `FAIL_AT`-th request of one kind (train, evaluate or save), in every process, or only in
/// the first (`ONCE=1`, remembered by a marker file), or only as member `FAIL_MEMBER` (the
/// member it was started for, or the one its last `load` named). With `EVENTS` it appends
/// `start PID MEMBER SLOT DEVICE` (`PBT_SLOT` and `CUDA_VISIBLE_DEVICES`, `-` when unset),
/// `load PID MEMBER` and `exit PID` lines to that file. With `READS` (JSON strings, e.g.
/// `"lr","momentum"`) its `hello` says it reads those hyperparameters.
/// A line ending in `\#` goes on at the next line's start (Swift's line continuation).
enum FakeProgram {
    static let script = #"""
        #!/bin/sh
        x=0; trains=0; evaluates=0; saves=0
        reads=""; [ -z "$READS" ] || reads=",\"hyperparameters\":[$READS]"
        [ -z "$EVENTS" ] || { echo "start $$ $PBT_MEMBER ${PBT_SLOT:--} ${CUDA_VISIBLE_DEVICES:--}" >> "$EVENTS"; \#
        trap 'echo "exit $$" >> "$EVENTS"' EXIT; }
        misbehave() { # $1: the request kind, $2: its count in this process
          [ "$1" = "$KIND" ] && [ "$2" = "${FAIL_AT:-1}" ] || return 1
          [ -z "$FAIL_MEMBER" ] || [ "$FAIL_MEMBER" = "$PBT_MEMBER" ] || return 1
          if [ -n "$ONCE" ]; then [ -e "marker-$PBT_MEMBER" ] && return 1; : > "marker-$PBT_MEMBER"; fi
          echo "misbehaving: $MODE" >&2
          case "$MODE" in
            exit) echo "dying on purpose" >&2; exit 3 ;;
            hang) sleep 30 ;;
            garbage) echo 'this is not json' ;;
            unknown) echo '{"type":"trained"}' ;;
            error) echo '{"type":"error","message":"out of memory"}' ;;
            missing) echo '{"type":"score"}' ;;
            nan) echo '{"type":"score","score":NaN}' ;;
            inf) echo '{"type":"score","score":-Infinity}' ;;
            nosave) echo "{\"type\":\"saved\",\"path\":\"$3\"}" ;;
            wrongpath) echo '{"type":"saved","path":"/elsewhere"}' ;;
            escape) printf '%s\n' \#
        '{"type":"error","message":"\u001b[31mred\u001b[0m \u009b2J\u0007 tab\tnext\nline"}' ;;
            rawescape) printf '\033]0;title\007\033[2Jnot json\n' ;;
          esac
          return 0
        }
        field() { echo "$line" | sed -n "s/.*\"$1\":\"*\([^\",}]*\).*/\1/p"; }
        while IFS= read -r line; do
          case "$line" in
            *'"type":"hello"'*)
              echo '{"type":"hello","protocol":'"${REPLY_VERSION:-1}"\#
        ',"capabilities":["train","evaluate","save","load","set_hyperparameters"]'"$reads"'}' ;;
            *'"type":"set_hyperparameters"'*) echo '{"type":"ok"}' ;;
            *'"type":"train"'*)
              trains=$((trains + 1)); x=$((x + $(field steps)))
              misbehave train $trains || echo '{"type":"ok"}' ;;
            *'"type":"evaluate"'*)
              evaluates=$((evaluates + 1))
              misbehave evaluate $evaluates || echo "{\"type\":\"score\",\"score\":$x}" ;;
            *'"type":"save"'*)
              saves=$((saves + 1)); path=$(field path)
              misbehave save $saves "$path" || \#
        { echo "$x" > "$path"; echo "{\"type\":\"saved\",\"path\":\"$path\"}"; } ;;
            *'"type":"load"'*)
              x=$(cat "$(field path)"); member=$(field member); PBT_MEMBER=${member:-$PBT_MEMBER}
              [ -z "$EVENTS" ] || echo "load $$ $PBT_MEMBER" >> "$EVENTS"
              echo '{"type":"ok"}' ;;
            *'"type":"shutdown"'*) exit 0 ;;
            *) echo '{"type":"error","message":"unknown request"}' ;;
          esac
        done
        """#

    /// The kind of request each mode hijacks.
    static func kind(of mode: String) -> String {
        switch mode {
        case "missing", "nan", "inf", "escape", "rawescape": "evaluate"
        case "nosave", "wrongpath": "save"
        default: "train"
        }
    }
}

/// A temporary folder with a program in it (the fake program unless told), removed by `remove()`.
struct ProgramFolder {
    private let directory: TemporaryDirectory
    /// What runs the program: `/bin/sh` or `python3`.
    let interpreter: String

    /// The folder.
    var path: String { directory.path }

    init(script: String = FakeProgram.script, interpreter: String = "/bin/sh") throws {
        directory = try TemporaryDirectory()
        self.interpreter = interpreter
        _ = FileManager.default.createFile(
            atPath: path + "/program", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
    }

    /// The workload running the program with `environment` (add `MODE` to misbehave).
    ///
    /// It runs `/bin/sh program` rather than executing the freshly written file: a process
    /// forked by a concurrent test can inherit the file still open for writing, and exec then
    /// fails with "Text file busy" (seen once in CI).
    func workload(
        _ environment: [String: String] = [:], timeout: Double = 10, maxFailures: Int = 3, experiment: String = "fake",
        slots: Slots? = nil
    ) throws -> ExternalProgram {
        var environment = environment
        if let mode = environment["MODE"] { environment["KIND"] = FakeProgram.kind(of: mode) }
        let spec = CommandSpec(
            arguments: [interpreter, "program"], directory: path, environment: environment, timeout: timeout,
            maxFailures: maxFailures)
        return try ExternalProgram(
            spec: spec, experiment: experiment, logDirectory: path + "/logs", hyperparameterNames: ["lr"], slots: slots)
    }

    /// The process id the program wrote to `file` in its folder, if any.
    func processIdentifier(in file: String) -> pid_t? {
        let text = try? String(contentsOfFile: path + "/" + file, encoding: .utf8)
        return text.flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The text of member `member`'s log.
    func log(member: Int) -> String {
        (try? String(contentsOfFile: ExternalLogs.path(member: member, in: path + "/logs"), encoding: .utf8)) ?? ""
    }

    func remove() {
        directory.remove()
    }
}
