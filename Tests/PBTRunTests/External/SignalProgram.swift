import Foundation

/// Programs for the signal and shutdown tests.
/// A line ending in `\#` goes on at the next line's start (Swift's line continuation).
enum SignalProgram {
    /// A POSIX-shell program: `evaluate` answers the signals its children start with ignored
    /// (`SigIgn` of `/proc/self/status`, as a number); `MODE=fork` forks a long `sleep` at
    /// `train` and exits; `MODE=stubborn` (SIGTERM ignored) and `MODE=polite` (SIGTERM logged,
    /// then exit) wait on a long `sleep` at `shutdown`. It writes its process id to
    /// `program.pid` and the `sleep`'s to `child.pid`.
    static let shell = #"""
        #!/bin/sh
        echo $$ > program.pid
        while IFS= read -r line; do
          case "$line" in
            *'"type":"hello"'*)
              echo \#
        '{"type":"hello","protocol":1,"capabilities":["train","evaluate","save","load","set_hyperparameters"]}' ;;
            *'"type":"evaluate"'*)
              ignored=$(grep SigIgn /proc/self/status | cut -f2)
              echo "{\"type\":\"score\",\"score\":$((0x$ignored))}" ;;
            *'"type":"train"'*)
              if [ "$MODE" = fork ]; then sleep 300 & echo $! > child.pid; exit 0; fi
              echo '{"type":"ok"}' ;;
            *'"type":"shutdown"'*)
              [ "$MODE" = stubborn ] && trap '' TERM
              [ "$MODE" = polite ] && trap 'echo "got TERM" >&2; exit 0' TERM
              if [ -n "$MODE" ]; then sleep 300 & echo $! > child.pid; wait; fi
              exit 0 ;;
            *) echo '{"type":"ok"}' ;;
          esac
        done
        """#

    /// A Python program whose `evaluate` answers the exit status of
    /// `timeout --preserve-status 1 sleep 20`: 143 (128 + SIGTERM) when `timeout`'s SIGTERM
    /// ended `sleep` after a second, 0 when `sleep` ran its 20 s because the signal was blocked.
    /// (Plain `timeout` answers 124 either way, so its status cannot tell the two apart. The
    /// shell would not do either: dash clears the signal mask it inherits.)
    static let python = #"""
        import json, subprocess, sys
        for line in sys.stdin:
            kind = json.loads(line)["type"]
            if kind == "hello":
                reply = {"type": "hello", "protocol": 1, "capabilities": \#
        ["train", "evaluate", "save", "load", "set_hyperparameters"]}
            elif kind == "evaluate":
                status = subprocess.run(["timeout", "--preserve-status", "1", "sleep", "20"]).returncode
                reply = {"type": "score", "score": status}
            elif kind == "shutdown":
                break
            else:
                reply = {"type": "ok"}
            print(json.dumps(reply), flush=True)
        """#

    /// Whether process `pid` has ended: it no longer exists or is a zombie (the orphans of a
    /// test are reparented to an init that may never reap them).
    static func hasEnded(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.range(of: ") ").map { stat[$0.upperBound...].hasPrefix("Z") } ?? true
    }

    /// Waits until process `pid` has ended, at most `limit`; whether it has.
    static func waitUntilEnded(_ pid: pid_t, limit: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !hasEnded(pid), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return hasEnded(pid)
    }
}
