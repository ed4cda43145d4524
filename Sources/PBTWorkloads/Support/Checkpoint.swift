import Neural

/// Writes a built-in workload's checkpoint: a 4-byte tag and version, then models, optimizers,
/// generators and counters in a fixed order (the `Neural` serialization format).
struct CheckpointWriter {
    private var writer = Neural.ByteWriter()

    /// Starts a checkpoint with the workload's tag and format version.
    init(tag: StaticString, version: UInt16) {
        writer.write(tag: tag)
        writer.write(version)
    }

    /// The bytes written so far.
    var bytes: [UInt8] { writer.bytes }

    mutating func write(_ model: MLP) { model.serialize(into: &writer) }
    mutating func write(_ optimizer: Adam) { optimizer.serialize(into: &writer) }
    mutating func write(_ value: UInt64) { writer.write(value) }
    mutating func write(_ value: Int) { writer.write(UInt64(bitPattern: Int64(value))) }
    mutating func write(_ value: Double) { writer.write(value) }
    mutating func write(_ values: [Float]) { writer.write(values) }

    mutating func write(_ rng: NeuralRNG) {
        let state = rng.state
        for word in [state.0, state.1, state.2, state.3] { writer.write(word) }
    }

    mutating func write(_ values: [Double]) {
        writer.write(UInt64(values.count))
        for value in values { writer.write(value) }
    }

    mutating func write(_ values: [Int]) {
        writer.write(UInt64(values.count))
        for value in values { write(value) }
    }
}

/// Reads what `CheckpointWriter` wrote, turning every malformed input into a `WorkloadError`
/// that names the workload and the part at fault.
struct CheckpointReader {
    private var reader: Neural.ByteReader
    private let what: String

    /// Checks the tag and version.
    /// - Parameter what: the checkpoint's kind for messages, e.g. `cartpole checkpoint`.
    init(_ bytes: [UInt8], tag: StaticString, version: UInt16, what: String) throws {
        reader = Neural.ByteReader(bytes)
        self.what = what
        try wrap { (reader: inout Neural.ByteReader) throws(NeuralError) in
            try reader.expect(tag: tag, what)
        }
        let found = try wrap { (reader: inout Neural.ByteReader) throws(NeuralError) in
            try reader.readUInt16("version")
        }
        guard found == version else {
            throw WorkloadError("\(what) has format version \(found); this build reads version \(version)")
        }
    }

    private mutating func wrap<T>(_ body: (inout Neural.ByteReader) throws(NeuralError) -> T) throws -> T {
        do {
            return try body(&reader)
        } catch {
            throw WorkloadError("\(what) is malformed: \(error.message)")
        }
    }

    /// Reads a model and checks its layer widths.
    mutating func model(_ name: String, sizes: [Int], maxBatch: Int) throws -> MLP {
        let model = try wrap { (reader: inout Neural.ByteReader) throws(NeuralError) in
            try MLP(from: &reader, maxBatch: maxBatch)
        }
        guard model.sizes == sizes else {
            throw WorkloadError(
                "\(what): the \(name) network has layer sizes \(model.sizes), but this workload's options give \(sizes)"
            )
        }
        return model
    }

    /// Reads an Adam optimizer and checks it is sized for `parameterCount` parameters.
    mutating func adam(_ name: String, parameterCount: Int) throws -> Adam {
        let optimizer = try wrap { (reader: inout Neural.ByteReader) throws(NeuralError) in
            try Adam(from: &reader)
        }
        guard optimizer.parameterCount == parameterCount else {
            throw WorkloadError(
                """
                \(what): the \(name) optimizer holds \(optimizer.parameterCount) parameters, expected \(parameterCount)
                """
            )
        }
        return optimizer
    }

    mutating func rng(_ name: String) throws -> NeuralRNG {
        let words = (try uint64(name), try uint64(name), try uint64(name), try uint64(name))
        do {
            return try NeuralRNG(state: words)
        } catch {
            throw WorkloadError("\(what) is malformed: \(name): \(error.message)")
        }
    }

    mutating func uint64(_ name: String) throws -> UInt64 {
        try wrap { (reader: inout Neural.ByteReader) throws(NeuralError) in try reader.readUInt64(name) }
    }

    /// Reads an integer and checks it is in `range`.
    mutating func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        let value = Int(Int64(bitPattern: try uint64(name)))
        guard range.contains(value) else {
            throw WorkloadError(
                "\(what) is malformed: \(name) is \(value), expected \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// Reads a finite double.
    mutating func double(_ name: String) throws -> Double {
        let value = try wrap { (reader: inout Neural.ByteReader) throws(NeuralError) in try reader.readDouble(name) }
        guard value.isFinite else { throw WorkloadError("\(what) is malformed: \(name) is \(value)") }
        return value
    }

    mutating func floats(_ name: String, count: Int) throws -> [Float] {
        try wrap { (reader: inout Neural.ByteReader) throws(NeuralError) in
            try reader.readFloats(name, expectedCount: count)
        }
    }

    /// Reads `count` finite doubles written as an array.
    mutating func doubles(_ name: String, count: Int) throws -> [Double] {
        let found = try integer("\(name) count", in: 0...Int(Int32.max))
        guard found == count else {
            throw WorkloadError("\(what) is malformed: \(name) has \(found) values, expected \(count)")
        }
        return try (0..<count).map { _ in try double(name) }
    }

    /// Reads `count` integers in `range` written as an array.
    mutating func integers(_ name: String, count: Int, in range: ClosedRange<Int>) throws -> [Int] {
        let found = try integer("\(name) count", in: 0...Int(Int32.max))
        guard found == count else {
            throw WorkloadError("\(what) is malformed: \(name) has \(found) values, expected \(count)")
        }
        return try (0..<count).map { _ in try integer(name, in: range) }
    }

    /// Throws unless every byte was read.
    func finish() throws {
        guard reader.remaining == 0 else {
            throw WorkloadError("\(what) is malformed: \(reader.remaining) unexpected trailing bytes")
        }
    }
}
