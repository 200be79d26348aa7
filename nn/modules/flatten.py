"""Flatten and Unflatten: reshape a range of dims."""

from ..module import Module


class Flatten(Module):
    """Merge dims ``start_dim`` .. ``end_dim`` into one.

    Shape: input (*, S_start, ..., S_end, *), output (*, prod(S_start..S_end), *).

    >>> nn.Flatten()(ag.zeros(32, 1, 5, 5)).shape
    (32, 25)
    """

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):  # noqa: A002 - PyTorch's parameter name
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size``.

    Shape: input (*, S_dim, *), output (*, U_1, ..., U_n, *) with prod(U) = S_dim.

    >>> nn.Unflatten(1, (2, 5))(ag.zeros(2, 10)).shape
    (2, 2, 5)
    """

    def __init__(self, dim, unflattened_size):
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                "Unflatten: unflattened_size must be a tuple or list of ints, got "
                f"{type(unflattened_size).__name__}"
            )
        for position, size in enumerate(unflattened_size):
            if isinstance(size, bool) or not isinstance(size, int):
                raise TypeError(
                    "Unflatten: unflattened_size must be a tuple of ints, but found element of "
                    f"type {type(size).__name__} at pos {position}"
                )
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input):  # noqa: A002
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
