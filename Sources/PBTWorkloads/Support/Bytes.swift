/// Appends little-endian numbers to a byte buffer (checkpoint writing).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Double) {
        append(value.bitPattern)
    }

    mutating func append(_ values: [Float]) {
        append(UInt64(values.count))
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }
}

/// Reads what `ByteWriter` wrote, throwing `WorkloadError` on short or malformed input.
struct ByteReader {
    private let bytes: [UInt8]
    private let what: String
    private var offset = 0

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    mutating func uint64() throws -> UInt64 {
        guard offset + 8 <= bytes.count else {
            throw WorkloadError("\(what) is truncated: \(bytes.count) bytes, needed more than \(offset + 7)")
        }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return value
    }

    mutating func double() throws -> Double {
        Double(bitPattern: try uint64())
    }

    mutating func floats(count expected: Int? = nil) throws -> [Float] {
        let count = Int(try uint64())
        guard count <= (bytes.count - offset) / 4, expected.map({ $0 == count }) ?? true else {
            throw WorkloadError("\(what) is malformed: array of \(count) floats does not fit")
        }
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            var bits: UInt32 = 0
            for byte in 0..<4 { bits |= UInt32(bytes[offset + 4 * index + byte]) << (8 * UInt32(byte)) }
            values[index] = Float(bitPattern: bits)
        }
        offset += 4 * count
        return values
    }

    func finish() throws {
        guard offset == bytes.count else {
            throw WorkloadError("\(what) is malformed: \(bytes.count - offset) unexpected trailing bytes")
        }
    }
}
