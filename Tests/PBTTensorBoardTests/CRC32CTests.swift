import Testing

@testable import PBTTensorBoard

/// CRC-32C on the published vectors (RFC 3720, appendix B.4, and the check value of
/// "123456789"), its TFRecord mask, and one framed record, against what TensorBoard's own
/// Python writer (`tensorboard.summary.writer.record_writer`) produces.
@Suite("CRC-32C and TFRecord framing")
struct CRC32CTests {
    @Test(arguments: [
        ([UInt8](), UInt32(0x0000_0000), UInt32(0xA282_EAD8)),
        (Array("a".utf8), 0xC1D0_4330, 0x28E4_6E78),
        (Array("123456789".utf8), 0xE306_9283, 0xC78A_B0E5),
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA, 0x0FD7_FFFA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43, 0xF909_B029),
        ((0..<32).map { UInt8($0) }, 0x46DD_794E, 0x951F_7892),
        ((0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C, 0x593B_0D57),
    ])
    func knownVectors(bytes: [UInt8], crc: UInt32, masked: UInt32) {
        #expect(CRC32C.checksum(bytes) == crc)
        #expect(CRC32C.masked(CRC32C.checksum(bytes)) == masked)
    }

    @Test func aRecordIsFramedAsTensorBoardFramesIt() {
        #expect(
            TFRecord.frame(Array("hello".utf8))
                == [5, 0, 0, 0, 0, 0, 0, 0, 234, 178, 4, 62, 104, 101, 108, 108, 111, 187, 31, 28, 25])
    }
}
