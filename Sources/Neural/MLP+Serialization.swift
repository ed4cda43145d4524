extension MLP {
    /// Current version of the serialized MLP format.
    static let formatVersion: UInt16 = 1

    /// The model as bytes: architecture, dropout rate, random generator state and parameters
    /// (not gradients or workspaces).
    ///
    /// Format (little-endian): tag `NMLP`, `UInt16` version, `UInt32` layer count, `UInt32`
    /// input width, then per layer `UInt32` output width and `UInt8` activation, then `Float`
    /// dropout, four `UInt64` generator words, `UInt64` parameter count and the parameters.
    public func serialize() -> [UInt8] {
        var writer = ByteWriter()
        serialize(into: &writer)
        return writer.bytes
    }

    /// Appends the model's bytes (see ``serialize()``) to `writer`.
    public func serialize(into writer: inout ByteWriter) {
        writer.write(tag: "NMLP")
        writer.write(Self.formatVersion)
        writer.write(UInt32(layers.count))
        writer.write(UInt32(inputCount))
        for layer in layers {
            writer.write(UInt32(layer.outputs))
            writer.write(layer.activation.rawValue)
        }
        writer.write(dropout)
        let s = rng.state
        for word in [s.0, s.1, s.2, s.3] { writer.write(word) }
        writer.write(parameters)
    }

    /// Restores a model from ``serialize()``'s bytes, with workspaces for `maxBatch` rows.
    /// - Throws: ``NeuralError`` if the buffer is short, has trailing bytes, or is not a valid
    ///   serialized MLP.
    public init(serialized bytes: [UInt8], maxBatch: Int = 64) throws(NeuralError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader, maxBatch: maxBatch)
        try reader.expectEnd("MLP")
    }

    /// Reads a model written by ``serialize(into:)`` from `reader`.
    /// - Throws: ``NeuralError`` if the data are short or invalid.
    public init(from reader: inout ByteReader, maxBatch: Int = 64) throws(NeuralError) {
        try reader.expect(tag: "NMLP", "MLP")
        try reader.readVersion("MLP", supported: Self.formatVersion)
        let layerCount = try reader.readUInt32("MLP layer count")
        guard layerCount >= 1 && layerCount <= 1024 else {
            throw NeuralError(.invalidData, "MLP layer count \(layerCount) is not in 1...1024")
        }
        var sizes = [Int(try reader.readUInt32("MLP input width"))]
        var activations: [Activation] = []
        for l in 0..<Int(layerCount) {
            sizes.append(Int(try reader.readUInt32("MLP layer \(l) width")))
            let raw = try reader.readUInt8("MLP layer \(l) activation")
            guard let activation = Activation(rawValue: raw) else {
                throw NeuralError(
                    .invalidData, "MLP layer \(l) has unknown activation code \(raw)")
            }
            activations.append(activation)
        }
        if let bad = sizes.first(where: { $0 < 1 || $0 > 1 << 20 }) {
            throw NeuralError(.invalidData, "MLP layer width \(bad) is not in 1...1048576")
        }
        let dropout = try reader.readFloat("MLP dropout")
        guard dropout >= 0 && dropout < 1 else {
            throw NeuralError(.invalidData, "MLP dropout \(dropout) is not in [0, 1)")
        }
        let state = (
            try reader.readUInt64("MLP rng"), try reader.readUInt64("MLP rng"),
            try reader.readUInt64("MLP rng"), try reader.readUInt64("MLP rng")
        )
        let rng = try NeuralRNG(state: state)
        let layers = Self.makeLayers(sizes: sizes, activations: activations)
        let count = layers.last.map { $0.weightOffset + $0.parameterCount } ?? 0
        let parameters = try reader.readFloats("MLP parameters", expectedCount: count)
        var seedless = NeuralRNG(seed: 0)
        self.init(layers: layers, dropout: dropout, rng: &seedless, maxBatch: maxBatch)
        self.parameters = parameters
        self.rng = rng
    }
}
