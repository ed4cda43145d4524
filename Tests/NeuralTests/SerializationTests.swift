import Testing

@testable import Neural

@Suite("Serialization")
struct SerializationTests {
    /// A model and optimizer after a few dropout training steps, plus the data used.
    struct Fixture {
        var model: MLP
        var adam: Adam
        var sgd: SGD
        let x: [Float]
        let y: [Int]

        init() {
            var rng = NeuralRNG(seed: 61)
            model = try! MLP(
                sizes: [6, 20, 3], activations: [.tanh, .identity], dropout: 0.2, seed: 7)
            adam = Adam(parameterCount: model.parameterCount, learningRate: 3e-3, weightDecay: 0.01)
            sgd = SGD(parameterCount: model.parameterCount, learningRate: 0.1, momentum: 0.9, nesterov: true)
            x = randomFloats(8 * 6, rng: &rng)
            y = (0..<8).map { $0 % 3 }
            train(steps: 3)
        }

        mutating func train(steps: Int) {
            var out = [Float]()
            var grad = [Float]()
            for _ in 0..<steps {
                model.forward(x, batch: 8, output: &out, training: true)
                softmaxCrossEntropy(logits: out, labels: y, classes: 3, gradient: &grad)
                model.backward(outputGradient: grad)
                adam.update(&model)
                sgd.update(&model.parameters, gradients: model.gradients)
            }
        }
    }

    @Test("model and optimizer state round-trip bit for bit")
    func roundTrip() throws {
        let f = Fixture()
        let modelBytes = f.model.serialize()
        let restored = try MLP(serialized: modelBytes)
        #expect(restored.parameters.map(\.bitPattern) == f.model.parameters.map(\.bitPattern))
        #expect(restored.layers == f.model.layers)
        #expect(restored.rng == f.model.rng)
        #expect(restored.dropout == f.model.dropout)
        #expect(restored.serialize() == modelBytes)

        let adam = try Adam(serialized: f.adam.serialize())
        #expect(adam == f.adam)
        #expect(adam.step == 3)
        let sgd = try SGD(serialized: f.sgd.serialize())
        #expect(sgd == f.sgd)
    }

    @Test("training continues identically after a restore")
    func continueAfterRestore() throws {
        var original = Fixture()
        var writer = ByteWriter()
        original.model.serialize(into: &writer)
        original.adam.serialize(into: &writer)
        original.sgd.serialize(into: &writer)
        let checkpoint = writer.bytes

        var resumed = Fixture()
        resumed.train(steps: 2)  // diverge, then restore
        var reader = ByteReader(checkpoint)
        resumed.model = try MLP(from: &reader)
        resumed.adam = try Adam(from: &reader)
        resumed.sgd = try SGD(from: &reader)
        try reader.expectEnd("checkpoint")

        original.train(steps: 4)
        resumed.train(steps: 4)
        #expect(resumed.model.parameters.map(\.bitPattern) == original.model.parameters.map(\.bitPattern))
        #expect(resumed.adam == original.adam)
        #expect(resumed.model.rng == original.model.rng)
    }

    @Test("every truncation, a wrong tag, a bad version, bad fields and trailing bytes throw")
    func corruptBuffers() {
        let f = Fixture()
        let model = f.model.serialize()
        let adam = f.adam.serialize()
        let sgd = f.sgd.serialize()
        for n in 0..<model.count {
            #expect(throws: NeuralError.self) { _ = try MLP(serialized: Array(model[..<n])) }
        }
        for n in 0..<adam.count {
            #expect(throws: NeuralError.self) { _ = try Adam(serialized: Array(adam[..<n])) }
        }
        for n in 0..<sgd.count {
            #expect(throws: NeuralError.self) { _ = try SGD(serialized: Array(sgd[..<n])) }
        }
        #expect(throws: NeuralError.self) { _ = try MLP(serialized: adam) }
        #expect(throws: NeuralError.self) { _ = try Adam(serialized: model) }
        #expect(throws: NeuralError.self) { _ = try MLP(serialized: model + [0]) }

        var badVersion = model
        badVersion[4] = 99
        #expect(throws: NeuralError.self) { _ = try MLP(serialized: badVersion) }
        // Layer 0's activation byte follows tag(4) version(2) count(4) input(4) width(4).
        var badActivation = model
        badActivation[18] = 200
        #expect(throws: NeuralError.self) { _ = try MLP(serialized: badActivation) }
        // A width that disagrees with the parameter count.
        var badWidth = model
        badWidth[14] = 21
        #expect(throws: NeuralError.self) { _ = try MLP(serialized: badWidth) }
        // A huge float count must fail cleanly, not allocate.
        var writer = ByteWriter()
        writer.write(tag: "NSGD")
        writer.write(UInt16(1))
        for v: Float in [0.1, 0, 0] { writer.write(v) }
        writer.write(UInt8(0))
        writer.write(UInt64.max)
        #expect(throws: NeuralError.self) { _ = try SGD(serialized: writer.bytes) }
        do {
            _ = try MLP(serialized: Array(model[..<10]))
        } catch {
            #expect(error.kind == .invalidData)
            #expect(error.message.contains("too short"))
        }
    }
}
