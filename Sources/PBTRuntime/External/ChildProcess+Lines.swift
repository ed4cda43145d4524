extension ChildProcess {
    /// What the reader thread has read: complete lines not yet taken, the partial last line,
    /// whether output ended, and the `nextLine` waiting for a line.
    struct LineState {
        var buffer: [UInt8] = []
        var lines: [String] = []
        var nextLine = 0
        var closed = false
        var tooLong = false
        var waiter: CheckedContinuation<String, any Error>?
        var waiterToken = 0

        /// Splits `bytes` into lines (a trailing `\r` is dropped), keeping the partial last one.
        mutating func append(_ bytes: ArraySlice<UInt8>) {
            for byte in bytes {
                if byte == 0x0A {
                    var line = buffer
                    if line.last == 0x0D { line.removeLast() }
                    lines.append(String(decoding: line, as: UTF8.self))
                    buffer.removeAll(keepingCapacity: true)
                } else {
                    buffer.append(byte)
                }
            }
            if buffer.count > ChildProcess.maximumLineLength { tooLong = true }
        }

        /// The next complete line, or the reason there is none; nil while more may come.
        mutating func take() -> Result<String, any Error>? {
            if nextLine < lines.count {
                nextLine += 1
                let line = lines[nextLine - 1]
                if nextLine == lines.count {
                    lines.removeAll(keepingCapacity: true)
                    nextLine = 0
                }
                return .success(line)
            }
            if tooLong { return .failure(End.tooLong) }
            if closed { return .failure(End.closed) }
            return nil
        }
    }
}
