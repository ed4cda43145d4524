/// The TFRecord framing of one record, as TensorBoard's event files hold them:
///
/// ```
/// length        UInt64, little-endian
/// length CRC    UInt32, little-endian: masked CRC-32C of the 8 length bytes
/// data          `length` bytes
/// data CRC      UInt32, little-endian: masked CRC-32C of the data
/// ```
public enum TFRecord {
    /// `data` framed as one record.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(data.count + 16)
        let length = littleEndian(UInt64(data.count))
        record += length
        record += littleEndian(CRC32C.masked(CRC32C.checksum(length)))
        record += data
        record += littleEndian(CRC32C.masked(CRC32C.checksum(data)))
        return record
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
