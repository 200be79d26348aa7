"""Drawing autograd graphs with Graphviz: ops, tensors, values, gradients and module calls.

``draw_graph(root)`` walks the graph that produced ``root`` (through each node's
``_edges``) and returns a ``graphviz.Digraph``: one box per op (``MulBackward``, its
options such as ``dim=1`` and its output shape), one box per leaf tensor (its name, shape,
dtype, and for small tensors its values and gradient), the root last. Edges run the way
the data flows, from inputs to the ops that consume them. In Jupyter the Digraph shows
itself as SVG; ``render(graph, "graph.png")`` writes a file.

The graph keeps op nodes, not intermediate tensors, so an intermediate value is drawn
(with its data and gradient) only where it is known: the root, tensors that called
``retain_grad()`` and tensors given in ``params``. Gradients appear once ``backward()``
has run. The micrograd-style scalar walkthrough is the same drawing with 0-d tensors::

    >>> x = ag.tensor(0.5, requires_grad=True)
    >>> w = ag.tensor(0.2, requires_grad=True)
    >>> y = (x * w).sigmoid()
    >>> y.backward()
    >>> graph = ag.viz.draw_graph(y, params={"x": x, "w": w})
    >>> "MulBackward" in graph.source
    True

Nodes made inside an ``nn.Module`` call remember its qualified name (``_module_path``);
with ``group_modules`` each module is a labelled cluster, nested as the modules are (a
module called several times, an RNN cell in a loop, holds the ops of all its calls).
Graphs with more than ``max_nodes`` boxes are drawn one box per module call instead.
"""

import html
import shutil
from collections import Counter
from pathlib import Path

import numpy as np

from .tensor import Tensor

INSTALL_DOT = (
    "rendering a graph needs the Graphviz 'dot' program, which is not on PATH; install it "
    "with `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or "
    "`conda install graphviz`"
)
_INSTALL_PACKAGE = (
    "draw_graph needs the graphviz Python package: `pip install graphviz` "
    "(or install chainrule with the viz extra: `pip install chainrule[viz]`)"
)

# Fill colours: leaves that require grad (parameters, inputs), known intermediate values,
# the root, op nodes, tensors saved for backward (constants) and collapsed module calls.
_STYLE = {
    "leaf": {"fillcolor": "#cfe3ff", "color": "#4a78b5"},
    "value": {"fillcolor": "#efe3fa", "color": "#8a64b0"},
    "root": {"fillcolor": "#c9ecbf", "color": "#4f8f3a", "penwidth": "2"},
    "op": {"fillcolor": "#fff4d6", "color": "#b99a45", "style": "filled,rounded"},
    "saved": {"fillcolor": "#eeeeee", "color": "#c07a3a", "style": "filled,dashed"},
    "module": {"fillcolor": "#e6f1e6", "color": "#7aa07a"},
}
_CLUSTER_FILL = ("#f6f8fb", "#edf2f8", "#e4ebf4", "#dbe4f0")
_SMALL = 8  # show_data=None shows the values of tensors with at most this many elements
_ATTRIBUTE_WIDTH = 40


def draw_graph(
    root,
    params=None,
    show_data=None,
    show_grad=True,
    rankdir="LR",
    group_modules=True,
    max_nodes=500,
    show_saved=False,
):
    """The graph that produced ``root`` (a Tensor or a sequence of Tensors) as a Digraph.

    Args:
        params: ``{name: tensor}`` naming tensors, e.g. ``dict(model.named_parameters())``;
            a named non-leaf tensor is drawn with its value. Unnamed tensors use ``.name``.
        show_data: print tensor values: None for tensors of at most 8 elements, True for
            all (summarised), False for none.
        show_grad: print each drawn tensor's ``.grad`` (values where data is shown, else
            its norm).
        rankdir: Graphviz layout direction, "LR" (left to right) or "TB" (top to bottom).
        group_modules: draw each nn.Module call as a cluster; a Module here also names
            the clusters with the layers' class names.
        max_nodes: above this many boxes, draw one box per module call, with a note.
        show_saved: draw the tensors each op saved for backward (dashed; freed by
            backward unless ``retain_graph=True``).

    >>> a = ag.ones(2, 3, requires_grad=True)
    >>> graph = ag.viz.draw_graph(a.sum(dim=1).mean(), params={"a": a})
    >>> "dims=(1,)" in graph.source
    True
    """
    digraph_class = _import_graphviz().Digraph
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph(): rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    roots = _as_roots(root)
    names = _names(params)
    nodes, leaves = _walk(roots)
    known = _known_outputs(roots, nodes, params)
    digraph = digraph_class(
        graph_attr={"rankdir": rankdir, "fontname": "Helvetica", "fontsize": "11"},
        node_attr={"shape": "box", "style": "filled", "fontname": "Helvetica", "fontsize": "10"},
        edge_attr={"color": "#555555", "arrowsize": "0.7", "fontname": "Helvetica"},
    )
    drawing = _Drawing(digraph, names, known, show_data, show_grad)
    size = len(nodes) + len(leaves) + len(known) + len(roots)
    if size > max_nodes:
        drawing.collapsed(roots, nodes, size, max_nodes, group_modules)
    else:
        drawing.full(roots, nodes, leaves, group_modules, show_saved)
    return digraph


def render(graph, path, format=None):  # noqa: A002 - graphviz's parameter name
    """Write ``graph`` to ``path`` as SVG, PNG, PDF ... (``format``, else the path's suffix,
    else SVG) and return the path. RuntimeError saying how to install Graphviz when the
    ``dot`` program is missing (``graph.render`` would raise graphviz.ExecutableNotFound)."""
    if shutil.which("dot") is None:
        raise RuntimeError(INSTALL_DOT)
    path = Path(path)
    format = format or path.suffix.lstrip(".") or "svg"  # noqa: A001
    if not path.suffix:
        path = path.with_suffix("." + format)
    path.write_bytes(graph.pipe(format=format))
    return path


def _import_graphviz():
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(_INSTALL_PACKAGE) from error
    return graphviz


def _as_roots(root):
    roots = [root] if isinstance(root, Tensor) else root if isinstance(root, (list, tuple)) else []
    if not roots or not all(isinstance(tensor, Tensor) for tensor in roots):
        raise TypeError(
            f"draw_graph(): root must be a Tensor or a sequence of Tensors, got "
            f"{type(root).__name__}"
        )
    return list({id(tensor): tensor for tensor in roots}.values())  # each root drawn once


def _names(params):
    """id(tensor) -> name, from the params dict."""
    if params is None:
        return {}
    if not hasattr(params, "items"):
        raise TypeError(
            f"draw_graph(): params must be a dict of name -> Tensor, got {type(params).__name__}"
        )
    names = {}
    for name, tensor in params.items():
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"draw_graph(): params[{name!r}] must be a Tensor, got {type(tensor).__name__}"
            )
        names.setdefault(id(tensor), str(name))
    return names


def _walk(roots):
    """The op nodes reachable from the roots, in creation order, and the leaf tensors that
    require grad, in the order their first consumers were created."""
    found = {}
    stack = [tensor.grad_fn for tensor in roots if tensor.grad_fn is not None]
    while stack:
        node = stack.pop()
        if id(node) in found:
            continue
        found[id(node)] = node
        for producer in node._edges:
            if producer is not None and not isinstance(producer, Tensor):
                if id(producer) not in found:
                    stack.append(producer)
    nodes = sorted(found.values(), key=lambda node: getattr(node, "_sequence", 0))
    leaves = {}
    for node in nodes:
        for producer in node._edges:
            if isinstance(producer, Tensor):
                leaves.setdefault(id(producer), producer)
    return nodes, list(leaves.values())


def _known_outputs(roots, nodes, params):
    """(id(node), output_nr) -> the intermediate Tensor, for outputs that retain their grad
    or are named in params (roots are drawn separately)."""
    known = {}
    for node in nodes:
        for output_nr, reference in (node._retained or {}).items():
            tensor = reference()
            if tensor is not None:
                known[(id(node), output_nr)] = tensor
    drawn = {id(node) for node in nodes}
    for tensor in (params or {}).values():
        if tensor.grad_fn is not None and id(tensor.grad_fn) in drawn:
            known[(id(tensor.grad_fn), tensor._output_nr)] = tensor
    for tensor in roots:
        known.pop((id(tensor.grad_fn), tensor._output_nr), None)
    return known


class _Drawing:
    """Adds the nodes and edges to one Digraph; the options are shared by every box."""

    def __init__(self, digraph, names, known, show_data, show_grad):
        self.digraph = digraph
        self.names = names
        self.known = known
        self.show_data = show_data
        self.show_grad = show_grad
        self.ids = {}  # id(object), or (id(node), output_nr) for a drawn value -> DOT name

    # ---- the full view -------------------------------------------------------------------

    def full(self, roots, nodes, leaves, group_modules, show_saved):
        clusters = _Clusters(group_modules, nodes)
        for leaf in leaves:
            name = self.names.get(id(leaf), leaf.name)
            clusters.add(self._tensor_node(leaf, "leaf"), clusters.owner_of(name))
        for node in nodes:
            path = node._module_path
            clusters.add(self._op_node(node), path)
            for output_nr in range(node._num_outputs):
                tensor = self.known.get((id(node), output_nr))
                if tensor is not None:
                    clusters.add(
                        self._tensor_node(tensor, "value", key=(id(node), output_nr)), path
                    )
            if show_saved:
                for tensor in self._saved_constants(node):
                    clusters.add(self._tensor_node(tensor, "saved"), path)
        for tensor in roots:
            clusters.add(self._tensor_node(tensor, "root"), None)
        clusters.emit(self.digraph)
        for node in nodes:
            for index, producer in enumerate(node._edges):
                if producer is not None:
                    self._edge(producer, node.edge_nr(index), self.ids[id(node)])
            for output_nr in range(node._num_outputs):
                key = (id(node), output_nr)
                if key in self.known:
                    self._edge(node, output_nr, self.ids[key], to_value=True)
            if show_saved:
                self._saved_edges(node)
        for tensor in roots:
            if tensor.grad_fn is not None and id(tensor.grad_fn) in self.ids:
                self._edge(tensor.grad_fn, tensor._output_nr, self.ids[id(tensor)], to_value=True)

    def _edge(self, source, output_nr, head, to_value=False, **attributes):
        """An edge from a leaf tensor or from output ``output_nr`` of an op node (through its
        drawn value when that is known) to the DOT node ``head``."""
        if isinstance(source, Tensor):
            tail = self.ids[id(source)]
        else:
            value = None if to_value else self.ids.get((id(source), output_nr))
            tail = value or self.ids[id(source)]
            if value is None and source._num_outputs > 1:
                attributes.setdefault("label", f"out {output_nr}")
                attributes.setdefault("fontsize", "8")
        self.digraph.edge(tail, head, **attributes)

    def _saved_constants(self, node):
        """The tensors ``node`` saved for backward that are not drawn otherwise (neither a
        leaf, nor a drawn value, nor an op's output): they get boxes of their own."""
        found = []
        for tensor, output_nr in _saved_entries(node):
            if output_nr >= 0 or id(tensor) in self.ids or any(tensor is seen for seen in found):
                continue
            if tensor.grad_fn is None or id(tensor.grad_fn) not in self.ids:
                found.append(tensor)
        return found

    def _saved_edges(self, node):
        """Dashed edges from each tensor ``node`` saved for backward (outputs the op saved
        are noted in its label): from its own box, its leaf, or the op that made it."""
        head = self.ids[id(node)]
        for tensor, output_nr in _saved_entries(node):
            if output_nr >= 0:
                continue
            source = tensor if id(tensor) in self.ids else tensor.grad_fn
            self._edge(source, tensor._output_nr, head, style="dashed", color="#c07a3a")

    def _new_id(self, key, prefix):
        name = f"{prefix}{len(self.ids)}"
        self.ids[key] = name
        return name

    def _tensor_node(self, tensor, kind, key=None):
        """The DOT attributes of a tensor's box: name, shape and dtype, data, grad."""
        name = self.names.get(id(tensor), tensor.name)
        if name is None and kind == "root":
            name = "output"
        rows = [] if name is None else [_bold(name)]
        if kind == "saved":
            rows.append(_small("saved for backward"))
        rows.append(_escape(f"{_shape(tensor.data.shape)} {tensor.data.dtype}"))
        show = self.show_data if self.show_data is not None else tensor.data.size <= _SMALL
        if show:
            rows.append(_values("data", tensor.data))
        if self.show_grad and tensor.grad is not None:
            grad = tensor.grad.data
            rows.append(_values("grad", grad) if show else _norm(grad))
        node_id = self._new_id(id(tensor) if key is None else key, "t")
        return {"name": node_id, "label": _table(rows), **_STYLE[kind]}

    def _op_node(self, node):
        """The DOT attributes of an op's box: name, options, output shape(s)."""
        rows = [_bold(node.name())]
        rows += [_small(text) for text in _attributes(node)]
        outputs = [_shape(shape) for shape, _ in node._output_meta]
        if len(outputs) == 1:
            rows.append(_escape(f"→ {outputs[0]}"))
        else:
            rows += [_escape(f"out {nr}: {shape}") for nr, shape in enumerate(outputs)]
        if any(output_nr >= 0 for _, output_nr in _saved_entries(node)):
            rows.append(_small("saves its output"))
        attributes = {"name": self._new_id(id(node), "op"), "label": _table(rows), **_STYLE["op"]}
        if node._module_path:
            attributes["tooltip"] = node._module_path
        return attributes

    # ---- the collapsed view --------------------------------------------------------------

    def collapsed(self, roots, nodes, size, max_nodes, group_modules):
        """One box per module call (ops outside modules share one), edges between them."""
        labels = _module_labels(group_modules)
        groups = {}
        for node in nodes:
            groups.setdefault(node._module_path, []).append(node)
        group_of = {}
        for path, members in groups.items():
            name = self._new_id(("module", path), "m")
            counts = Counter(node.name() for node in members).most_common(3)
            ops = "1 op" if len(members) == 1 else f"{len(members)} ops"
            rows = [_bold(_path_label(path, labels)), _escape(ops)]
            rows += [_small(f"{op}: {count}") for op, count in counts]
            self.digraph.node(name, label=_table(rows), **_STYLE["module"])
            for node in members:
                group_of[id(node)] = name
        edges = Counter()
        for node in nodes:
            for producer in node._edges:
                if producer is not None and not isinstance(producer, Tensor):
                    edges[(group_of[id(producer)], group_of[id(node)])] += 1
        for (tail, head), count in edges.items():  # labelled with how many tensors flow
            if tail != head:
                self.digraph.edge(tail, head, label=str(count) if count > 1 else None, fontsize="8")
        for tensor in roots:
            self.digraph.node(**self._tensor_node(tensor, "root"))
            if tensor.grad_fn is not None:
                self.digraph.edge(group_of[id(tensor.grad_fn)], self.ids[id(tensor)])
        self.digraph.attr(
            label=f"{size} nodes > max_nodes={max_nodes}: collapsed to one box per module "
            f"call (draw_graph(..., max_nodes={size}) shows every op)",
            labelloc="t",
        )


class _Clusters:
    """The module calls as nested clusters: "encoder.fc1" inside "encoder" inside the
    outermost call "" (labelled "model", or the Module's class name)."""

    def __init__(self, group_modules, nodes):
        self.labels = _module_labels(group_modules)
        self.members = {None: []}
        if group_modules:
            for node in nodes:
                path = node._module_path
                while path is not None and path not in self.members:
                    self.members[path] = []
                    path = _parent(path)

    def owner_of(self, name):
        """The cluster a parameter named "encoder.fc1.weight" belongs in, if drawn."""
        if name is None or "." not in name:
            return None
        owner = name.rsplit(".", 1)[0]
        return owner if owner in self.members else None

    def add(self, attributes, path):
        self.members[path if path in self.members else None].append(attributes)

    def emit(self, digraph):
        for attributes in self.members[None]:
            digraph.node(**attributes)
        children = {}
        for path in self.members:
            if path is not None:
                children.setdefault(_parent(path), []).append(path)
        self._emit_children(digraph, children, None, 0)

    def _emit_children(self, container, children, parent, depth):
        for path in children.get(parent, ()):
            with container.subgraph(name=f"cluster_{path or 'model'}") as cluster:
                cluster.attr(
                    label=_path_label(path, self.labels),
                    style="filled,rounded",
                    fillcolor=_CLUSTER_FILL[min(depth, len(_CLUSTER_FILL) - 1)],
                    color="#9fb0c8",
                    fontsize="10",
                    labeljust="l",
                )
                for attributes in self.members[path]:
                    cluster.node(**attributes)
                self._emit_children(cluster, children, path, depth + 1)


def _parent(path):
    """ "a.b.c" -> "a.b"; "a" -> "" (the outermost call); "" -> None."""
    if path == "":
        return None
    return path.rsplit(".", 1)[0] if "." in path else ""


def _module_labels(group_modules):
    """Module path -> "path · ClassName" when a Module was given."""
    if not hasattr(group_modules, "named_modules"):
        return {}
    return {path: type(module).__name__ for path, module in group_modules.named_modules()}


def _path_label(path, labels):
    if path is None:
        return "outside modules"
    kind = labels.get(path)
    if path == "":
        return kind or "model"
    return f"{path} · {kind}" if kind else path


def _saved_entries(node):
    """(tensor, output_nr) for each tensor ``node`` saved for backward (none once freed);
    output_nr >= 0 marks the node's own output (which may be kept as its bare array), -1
    anything else."""
    if node._saved is None or node._saved_info is None:
        return []
    return [
        (tensor, info[1])
        for tensor, info in zip(node._saved, node._saved_info)
        if tensor is not None
    ]


def _attributes(node):
    """ "key=value" for the node's public ctx attributes of simple types (dim, stride ...);
    shapes are left out (the boxes show them)."""
    shown = []
    for key, value in vars(node).items():
        if key.startswith("_") or key.endswith("_shape"):
            continue
        text = _simple_repr(value)
        if text is not None:
            if len(text) > _ATTRIBUTE_WIDTH:
                text = text[: _ATTRIBUTE_WIDTH - 1] + "…"
            shown.append(f"{key}={text}")
    return shown


def _simple_repr(value):
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (tuple, list)) and len(value) <= 8:
        items = ["None" if item is None else _simple_repr(item) for item in value]
        if all(item is not None for item in items) and any(item != "None" for item in items):
            comma = "," if len(items) == 1 else ""
            return "(" + ", ".join(items) + comma + ")"
    return None


def _shape(shape):
    if shape is None:
        return "?"
    return "scalar" if shape == () else str(tuple(shape))


def _values(title, array):
    if array.ndim == 0:
        return _escape(f"{title} {array.item():.4g}")
    text = np.array2string(array, precision=4, separator=", ", threshold=64, max_line_width=44)
    lines = text.split("\n")
    return _escape(f"{title} {lines[0]}") + "".join(
        '<BR ALIGN="LEFT"/>' + _escape("     " + line) for line in lines[1:]
    )


def _norm(array):
    return _escape(f"grad norm {float(np.linalg.norm(array)):.4g}")


def _escape(text):
    return html.escape(text, quote=False)


def _bold(text):
    return f"<B>{_escape(text)}</B>"


def _small(text):
    return f'<FONT POINT-SIZE="8" COLOR="#555555">{_escape(text)}</FONT>'


def _table(rows):
    """An HTML-like Graphviz label with one row per entry."""
    cells = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>>'
