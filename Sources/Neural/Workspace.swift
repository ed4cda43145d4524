/// Offsets into an ``MLP``'s single preallocated workspace buffer, sized for `capacity` rows.
///
/// Layout: a copy of the last input, then per layer its activations, dropout mask and
/// post-dropout activations, then two gradient buffers used in turn by the backward pass, then
/// scratch space for the matrix multiply.
struct WorkspaceLayout: Sendable {
    let capacity: Int
    let input: Int
    let activations: [Int]
    let masks: [Int]
    let dropped: [Int]
    let deltas: (Int, Int)
    let scratch: Int
    let count: Int

    init(layers: [Dense], capacity: Int) {
        self.capacity = capacity
        var offset = 0
        input = 0
        offset += capacity * layers[0].inputs
        var activations: [Int] = []
        var masks: [Int] = []
        var dropped: [Int] = []
        var widest = layers[0].inputs
        var largestLayer = 0
        for layer in layers {
            let size = capacity * layer.outputs
            activations.append(offset)
            masks.append(offset + size)
            dropped.append(offset + 2 * size)
            offset += 3 * size
            widest = max(widest, layer.outputs)
            largestLayer = max(largestLayer, layer.inputs * layer.outputs)
        }
        self.activations = activations
        self.masks = masks
        self.dropped = dropped
        deltas = (offset, offset + capacity * widest)
        offset += 2 * capacity * widest
        scratch = offset
        offset += largestLayer + Matmul.scratchCount(k: max(capacity, widest))
        count = offset
    }

}
