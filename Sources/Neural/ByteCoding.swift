/// Appends little-endian values to a byte buffer; the writing half of the `Neural`
/// serialization format (see ``ByteReader``).
///
/// Models and optimizers write themselves with `serialize(into:)`, so a workload can put
/// several of them (plus its own counters) into one checkpoint.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init() {}

    /// Appends raw bytes.
    public mutating func write(bytes other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// Appends a 4-byte ASCII tag identifying the next record.
    public mutating func write(tag: StaticString) {
        tag.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Appends a little-endian `UInt16`.
    public mutating func write(_ value: UInt16) { appendLittleEndian(value) }

    /// Appends a little-endian `UInt32`.
    public mutating func write(_ value: UInt32) { appendLittleEndian(value) }

    /// Appends a little-endian `UInt64`.
    public mutating func write(_ value: UInt64) { appendLittleEndian(value) }

    /// Appends the IEEE-754 bits of a `Float`, little-endian.
    public mutating func write(_ value: Float) { appendLittleEndian(value.bitPattern) }

    /// Appends the IEEE-754 bits of a `Double`, little-endian.
    public mutating func write(_ value: Double) { appendLittleEndian(value.bitPattern) }

    /// Appends a count (`UInt64`) followed by the floats' bits, little-endian.
    public mutating func write(_ values: [Float]) {
        write(UInt64(values.count))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { appendLittleEndian(v.bitPattern) }
        #endif
    }

    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian values from a byte buffer, throwing ``NeuralError`` (never trapping)
/// when the buffer is short or a value is out of range.
public struct ByteReader: Sendable {
    /// The whole buffer.
    public let bytes: [UInt8]
    /// Index of the next unread byte.
    public private(set) var position: Int = 0

    /// Creates a reader positioned at the start of `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Number of unread bytes.
    public var remaining: Int { bytes.count - position }

    /// Reads `count` raw bytes.
    public mutating func readBytes(_ count: Int, _ what: String) throws(NeuralError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw NeuralError(
                .invalidData,
                "buffer too short reading \(what): need \(count) bytes at offset \(position), "
                    + "\(remaining) left")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Reads a 4-byte tag and checks it is `expected`.
    public mutating func expect(tag expected: StaticString, _ what: String) throws(NeuralError) {
        let found = try readBytes(4, "\(what) header")
        let matches = expected.withUTF8Buffer { Array($0) == Array(found) }
        guard matches else {
            let text = String(decoding: found, as: UTF8.self)
            throw NeuralError(
                .invalidData,
                "not a serialized \(what): expected tag \"\(expected)\", found \"\(text)\" "
                    + "at offset \(position - 4)")
        }
    }

    /// Reads one byte.
    public mutating func readUInt8(_ what: String) throws(NeuralError) -> UInt8 {
        try readBytes(1, what).first!
    }

    /// Reads a little-endian `UInt16`.
    public mutating func readUInt16(_ what: String) throws(NeuralError) -> UInt16 {
        try readInteger(what)
    }

    /// Reads a little-endian `UInt32`.
    public mutating func readUInt32(_ what: String) throws(NeuralError) -> UInt32 {
        try readInteger(what)
    }

    /// Reads a little-endian `UInt64`.
    public mutating func readUInt64(_ what: String) throws(NeuralError) -> UInt64 {
        try readInteger(what)
    }

    /// Reads a `Float` from its little-endian bits.
    public mutating func readFloat(_ what: String) throws(NeuralError) -> Float {
        Float(bitPattern: try readInteger(what))
    }

    /// Reads a `Double` from its little-endian bits.
    public mutating func readDouble(_ what: String) throws(NeuralError) -> Double {
        Double(bitPattern: try readInteger(what))
    }

    /// Reads a float array written by ``ByteWriter/write(_:)-([Float])``, checking its count
    /// is `expectedCount` (when given) before allocating.
    public mutating func readFloats(
        _ what: String, expectedCount: Int? = nil
    ) throws(NeuralError)
        -> [Float]
    {
        let count = try readUInt64("\(what) count")
        if let expectedCount, count != UInt64(expectedCount) {
            throw NeuralError(
                .invalidData, "\(what): expected \(expectedCount) values, buffer says \(count)")
        }
        guard count <= UInt64(remaining / 4) else {
            throw NeuralError(
                .invalidData,
                "buffer too short reading \(what): \(count) floats (4 bytes each) at offset "
                    + "\(position), \(remaining) bytes left")
        }
        let raw = try readBytes(Int(count) * 4, what)
        var values = [Float](repeating: 0, count: Int(count))
        #if _endian(little)
        values.withUnsafeMutableBytes { dst in
            raw.withUnsafeBytes { src in dst.copyMemory(from: src) }
        }
        #else
        for i in 0..<Int(count) {
            var bits: UInt32 = 0
            for b in 0..<4 { bits |= UInt32(raw[raw.startIndex + 4 * i + b]) << (8 * b) }
            values[i] = Float(bitPattern: bits)
        }
        #endif
        return values
    }

    /// Throws unless every byte has been read (catches trailing garbage and wrong lengths).
    public func expectEnd(_ what: String) throws(NeuralError) {
        guard remaining == 0 else {
            throw NeuralError(
                .invalidData, "\(what): \(remaining) unexpected trailing bytes at offset \(position)")
        }
    }

    mutating func readInteger<T: FixedWidthInteger>(_ what: String) throws(NeuralError) -> T {
        let raw = try readBytes(MemoryLayout<T>.size, what)
        var value: T = 0
        for (i, byte) in raw.enumerated() { value |= T(byte) << (8 * i) }
        return value
    }
}

extension ByteReader {
    /// Reads a version number and checks that it is one this build understands.
    mutating func readVersion(_ what: String, supported: UInt16) throws(NeuralError) {
        let version = try readUInt16("\(what) version")
        guard version >= 1 && version <= supported else {
            throw NeuralError(
                .invalidData,
                "\(what) format version \(version) is not supported (this build reads 1...\(supported))")
        }
    }
}
