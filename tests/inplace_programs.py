"""The programs of tests/test_random_inplace.py: the ``Program`` class, and programs that
once failed there, kept as explicit examples (each also runs with ``lib = torch``)."""


class Program:
    """Steps of source text run one at a time with ``lib`` bound to a library; the last two
    make ``loss`` and call ``loss.backward()``. ``expanded_writes``: the indexes of the steps
    that write into an expanded view (see ``check_against_torch``).
    (A plain class: hypothesis prints it with ``repr``, as the source.)"""

    def __init__(self, steps, expanded_writes=()):
        self.steps = tuple(steps)
        self.expanded_writes = frozenset(expanded_writes)

    def __repr__(self):
        return "\n" + "\n".join(self.steps) + "\n"

    def run(self, lib):
        """Run the steps: (namespace, index of the step that raised or None, the error)."""
        namespace = {"lib": lib}
        for index, step in enumerate(self.steps):
            try:
                exec(compile(step, f"<step {index}>", "exec"), namespace)
            except Exception as error:
                return namespace, index, error
        return namespace, None, None


# Programs that once failed, kept as explicit examples.
SAVED_THEN_WRITTEN = Program(
    [
        "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
        "v1 = x0.exp()",
        "v1.mul_(2.0)",
        "loss = 1.0 * v1.sum()",
        "loss.backward()",
    ]
)
# a write through a reshape view of a recorded tensor must reach the base's graph
WRITE_THROUGH_A_RESHAPE = Program(
    [
        "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
        "v1 = x0 * 1.0",
        "v2 = v1.view((3, 1))",
        "v2.mul_(2.0)",
        "loss = 1.0 * v1.sum()",
        "loss.backward()",
    ]
)
# a view read after its base was written must see the base's new graph
VIEW_READ_AFTER_THE_BASE_WAS_WRITTEN = Program(
    [
        "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
        "v1 = x0 * 1.0",
        "v2 = v1[1:]",
        "v1.mul_(2.0)",
        "loss = 1.0 * v2.sum()",
        "loss.backward()",
    ]
)
# retain_grad, then an in-place op: PyTorch's .grad is that of the new value
RETAIN_GRAD_THEN_WRITE = Program(
    [
        "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
        "v1 = x0 * 1.0",
        "v1.retain_grad()",
        "v1.mul_(2.0)",
        "loss = 1.0 * (v1 * v1).sum()",
        "loss.backward()",
    ]
)
# a write through a view of a leaf that requires grad must be refused, as on the leaf
WRITE_THROUGH_A_VIEW_OF_A_LEAF = Program(
    [
        "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
        "v1 = x0.unsqueeze(0)",
        "v1.mul_(2.0)",
        "loss = 1.0 * x0.sum()",
        "loss.backward()",
    ]
)
# a write of a value requiring grad through a view of a plain tensor
GRAD_WRITTEN_THROUGH_A_VIEW_OF_A_PLAIN_TENSOR = Program(
    [
        "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
        "x1 = lib.tensor([[1.0, 2.0, 3.0]], dtype=lib.float64)",
        "v2 = x1.t()",
        "v2.copy_(x0.reshape(3, 1))",
        "loss = 1.0 * x1.sum()",
        "loss.backward()",
    ]
)


# a view of a plain tensor written after the tensor got a graph (PyTorch: only once the
# view's grad_fn has been read)
VIEW_WRITTEN_AFTER_ITS_BASE_GOT_A_GRAPH = Program(
    [
        "x0 = lib.tensor(0.5, dtype=lib.float64, requires_grad=True)",
        "x1 = lib.tensor(0.0, dtype=lib.float64)",
        "v2 = x1.reshape((1,))",
        "x1.add_(x0)",
        "v2.add_(x0)",
        "loss = 1.0 * v2.sum() + 1.0 * x0.sum()",
        "loss.backward()",
    ]
)


# the copy of a written value that keeps its graph for the write must not replace what that
# graph's node saved (relu_ keeps its output; the write through v3 then changes v2)
SAVED_OUTPUT_OF_A_BASE_WRITTEN_THROUGH_A_VIEW = Program(
    [
        "x0 = lib.tensor([[1.0, 1.0, 1.0]], dtype=lib.float64, requires_grad=True)",
        "v1 = x0 + x0",
        "v2 = v1.reshape((3, 1))",
        "v1.relu_()",
        "v3 = -v1",
        "v2.sub_(v2)",
        "loss = 1.0 * v3.sum() + 1.0 * x0.sum()",
        "loss.backward()",
    ]
)
# the same, then a write that PyTorch's backward refuses as well (x * x saves x)
VIEW_SQUARED_AFTER_ITS_BASE_GOT_A_GRAPH = Program(
    [
        "x0 = lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64, requires_grad=True)",
        "x1 = lib.zeros(2, 3, dtype=lib.float64)",
        "v2 = x1.reshape((6,))",
        "x1.add_(x0)",
        "v2.mul_(v2)",
        "loss = 1.0 * x1.sum()",
        "loss.backward()",
    ]
)


# a number filled into an expanded view of a 0-d tensor
ZERO_D_EXPANDED_AND_FILLED = Program(
    [
        "x0 = lib.tensor(0.5, dtype=lib.float64, requires_grad=True)",
        "x1 = lib.tensor(0.0, dtype=lib.float64)",
        "v2 = x1.expand(2, 3)",
        "v2.zero_()",
        "loss = 1.0 * v2.sum() + 1.0 * x0.sum()",
        "loss.backward()",
    ]
)
