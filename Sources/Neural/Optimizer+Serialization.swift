extension Adam {
    static let formatVersion: UInt16 = 1

    /// The optimizer as bytes: hyperparameters, step count and both moment buffers.
    ///
    /// Format (little-endian): tag `NADM`, `UInt16` version, `Float` learning rate, β1, β2, ε,
    /// weight decay, `UInt64` step, then the first and second moments (each a `UInt64` count
    /// and the floats).
    public func serialize() -> [UInt8] {
        var writer = ByteWriter()
        serialize(into: &writer)
        return writer.bytes
    }

    /// Appends the optimizer's bytes (see ``serialize()``) to `writer`.
    public func serialize(into writer: inout ByteWriter) {
        writer.write(tag: "NADM")
        writer.write(Self.formatVersion)
        for value in [learningRate, beta1, beta2, epsilon, weightDecay] { writer.write(value) }
        writer.write(UInt64(step))
        writer.write(firstMoment)
        writer.write(secondMoment)
    }

    /// Restores an optimizer from ``serialize()``'s bytes.
    /// - Throws: ``NeuralError`` if the buffer is short, has trailing bytes or is invalid.
    public init(serialized bytes: [UInt8]) throws(NeuralError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.expectEnd("Adam")
    }

    /// Reads an optimizer written by ``serialize(into:)`` from `reader`.
    /// - Throws: ``NeuralError`` if the data are short or invalid.
    public init(from reader: inout ByteReader) throws(NeuralError) {
        try reader.expect(tag: "NADM", "Adam optimizer")
        try reader.readVersion("Adam", supported: Self.formatVersion)
        let learningRate = try reader.readFloat("Adam learning rate")
        let beta1 = try reader.readFloat("Adam beta1")
        let beta2 = try reader.readFloat("Adam beta2")
        let epsilon = try reader.readFloat("Adam epsilon")
        let weightDecay = try reader.readFloat("Adam weight decay")
        let step = try reader.readUInt64("Adam step")
        guard step <= UInt64(Int.max) else {
            throw NeuralError(.invalidData, "Adam step \(step) is out of range")
        }
        let m = try reader.readFloats("Adam first moment")
        let v = try reader.readFloats("Adam second moment", expectedCount: m.count)
        self.init(
            parameterCount: 0, learningRate: learningRate, beta1: beta1, beta2: beta2,
            epsilon: epsilon, weightDecay: weightDecay)
        self.step = Int(step)
        firstMoment = m
        secondMoment = v
    }
}

extension SGD {
    static let formatVersion: UInt16 = 1

    /// The optimizer as bytes: hyperparameters and the momentum buffer.
    ///
    /// Format (little-endian): tag `NSGD`, `UInt16` version, `Float` learning rate, momentum,
    /// weight decay, `UInt8` Nesterov flag, then the velocity (`UInt64` count and the floats).
    public func serialize() -> [UInt8] {
        var writer = ByteWriter()
        serialize(into: &writer)
        return writer.bytes
    }

    /// Appends the optimizer's bytes (see ``serialize()``) to `writer`.
    public func serialize(into writer: inout ByteWriter) {
        writer.write(tag: "NSGD")
        writer.write(Self.formatVersion)
        for value in [learningRate, momentum, weightDecay] { writer.write(value) }
        writer.write(UInt8(nesterov ? 1 : 0))
        writer.write(velocity)
    }

    /// Restores an optimizer from ``serialize()``'s bytes.
    /// - Throws: ``NeuralError`` if the buffer is short, has trailing bytes or is invalid.
    public init(serialized bytes: [UInt8]) throws(NeuralError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.expectEnd("SGD")
    }

    /// Reads an optimizer written by ``serialize(into:)`` from `reader`.
    /// - Throws: ``NeuralError`` if the data are short or invalid.
    public init(from reader: inout ByteReader) throws(NeuralError) {
        try reader.expect(tag: "NSGD", "SGD optimizer")
        try reader.readVersion("SGD", supported: Self.formatVersion)
        let learningRate = try reader.readFloat("SGD learning rate")
        let momentum = try reader.readFloat("SGD momentum")
        let weightDecay = try reader.readFloat("SGD weight decay")
        let flag = try reader.readUInt8("SGD nesterov flag")
        guard flag <= 1 else {
            throw NeuralError(.invalidData, "SGD nesterov flag \(flag) is not 0 or 1")
        }
        let velocity = try reader.readFloats("SGD velocity")
        self.init(
            parameterCount: 0, learningRate: learningRate, momentum: momentum,
            weightDecay: weightDecay, nesterov: flag == 1)
        self.velocity = velocity
    }
}
