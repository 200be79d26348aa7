"""ag.viz.draw_graph and ag.viz.render: boxes and edges match the graph, names, values and
gradients, module clusters, collapsing, saved tensors, DOT validity, install messages."""

import re
import shutil
import sys

import graphviz
import numpy as np
import pytest

import autograd as ag
import nn

HAS_DOT = shutil.which("dot") is not None
NODE = re.compile(r"^\s+(\w+) \[label=", re.M)
EDGE = re.compile(r"^\s+(\w+) -> (\w+)", re.M)


def nodes(graph):
    return NODE.findall(graph.source)


def edges(graph):
    return EDGE.findall(graph.source)


def label_of(graph, text):
    """The DOT name of the one box whose label contains ``text``."""
    found = [line for line in graph.source.splitlines() if "[label=" in line and text in line]
    assert len(found) == 1, found
    return NODE.match(found[0]).group(1)


def walkthrough():
    """Issue 7's notebook 01 network with 0-d tensors: 3 inputs, 2 sigmoid hidden units,
    1 sigmoid output; the hidden activations and the output retain their grad."""
    params = {}

    def scalar(name, value):
        params[name] = ag.tensor(value, requires_grad=True)
        return params[name]

    x = [scalar(f"x{i}", value) for i, value in enumerate([0.5, 0.1, 0.4])]
    hidden_weights = [[0.2, 0.8, -0.5], [0.7, -0.9, 0.3]]
    w = [[scalar(f"w{j}{i}", v) for i, v in enumerate(row)] for j, row in enumerate(hidden_weights)]
    v = [scalar(f"v{j}", value) for j, value in enumerate([0.9, -0.4])]
    hidden = []
    for j in range(2):
        h = (w[j][0] * x[0] + w[j][1] * x[1] + w[j][2] * x[2]).sigmoid()
        h.retain_grad()
        hidden.append(h)
    out = (v[0] * hidden[0] + v[1] * hidden[1]).sigmoid()
    out.retain_grad()
    return out, params, hidden


def test_scalar_walkthrough_boxes_edges_values_and_grads():
    out, params, hidden = walkthrough()
    before = ag.viz.draw_graph(out, params=params)
    # 16 ops (8 mul, 5 add, 3 sigmoid), 11 leaves, 2 hidden values (they retain their
    # grad), the root; edges: 2 into each mul and add, 1 into each sigmoid, sigmoid -> h
    # twice, the last sigmoid -> root
    assert len(nodes(before)) == 16 + 11 + 2 + 1
    assert len(edges(before)) == 8 * 2 + 5 * 2 + 3 + 2 + 1
    assert "grad " not in before.source
    for name in params:
        assert f"<B>{name}</B>" in before.source
    assert "data 0.5<" in before.source
    assert before.source.count("MulBackward") == 8
    out.backward()
    after = ag.viz.draw_graph(out, params={**params, "h0": hidden[0], "h1": hidden[1]})
    assert len(nodes(after)) == len(nodes(before)) and len(edges(after)) == len(edges(before))
    for name, tensor in {**params, "h0": hidden[0], "output": out}.items():
        box = label_of(after, f"<B>{name}</B>")
        line = next(line for line in after.source.splitlines() if line.lstrip().startswith(box))
        assert f"data {tensor.data.item():.4g}<" in line
        assert f"grad {tensor.grad.item():.4g}<" in line
    assert "grad 1<" in after.source  # d out / d out
    h0 = label_of(after, "<B>h0</B>")
    assert sum(1 for tail, _ in edges(after) if tail == h0) == 1  # h0 feeds one mul


def test_tensor_graph_shapes_attributes_and_show_data():
    w = ag.tensor(np.arange(12.0).reshape(3, 4), dtype=ag.float32, requires_grad=True)
    b = ag.tensor([1.0, -1.0, 0.5], requires_grad=True)
    x = ag.ones(2, 3)
    loss = (x @ w).relu().sum(dim=1).mean() + (b * b).sum()
    graph = ag.viz.draw_graph(loss, params={"W": w, "b": b})
    assert "(3, 4) float32" in graph.source and "(3,) float32" in graph.source
    assert "→ (2, 4)" in graph.source  # matmul's output shape
    assert "dims=(1,)" in graph.source  # sum's option
    view = ag.viz.draw_graph(w.reshape(12).sum()).source
    assert "ReshapeBackward" in view and "version" not in view  # no engine bookkeeping
    assert "data [ 1. , -1. ,  0.5]" in graph.source  # 3 elements: shown
    assert "data [[" not in graph.source  # W has 12 elements: not shown
    loss.backward()
    graph = ag.viz.draw_graph(loss, params={"W": w, "b": b})
    assert "grad [ 2., -2.,  1.]" in graph.source
    assert f"grad norm {np.linalg.norm(w.grad.data):.4g}" in graph.source
    everything = ag.viz.draw_graph(loss, params={"W": w}, show_data=True)
    assert "data [[ 0.,  1.,  2.,  3.]," in everything.source
    nothing = ag.viz.draw_graph(loss, params={"W": w}, show_data=False, show_grad=False)
    assert "data " not in nothing.source and "grad" not in nothing.source
    assert "rankdir=TB" in ag.viz.draw_graph(loss, rankdir="TB").source


def test_multi_output_op_names_its_outputs():
    x = ag.ones(4, 2, requires_grad=True)
    first, second = x.split(2)
    graph = ag.viz.draw_graph((first * 2 + second).sum())
    assert len(nodes(graph)) == 6 and len(edges(graph)) == 6
    assert "out 0: (2, 2)" in graph.source and "out 1: (2, 2)" in graph.source
    split = label_of(graph, "SplitBackward")
    labels = sorted(re.findall(rf'{split} -> \w+ \[label="(out \d)"', graph.source))
    assert labels == ["out 0", "out 1"]


def test_tensor_name_attribute_and_several_roots():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.name = "input"
    y = x * 3
    z = x.exp()
    graph = ag.viz.draw_graph([y, z, y])
    assert "<B>input</B>" in graph.source
    assert len(nodes(graph)) == 1 + 2 + 2 and len(edges(graph)) == 4
    leaf_only = ag.viz.draw_graph(x)
    assert len(nodes(leaf_only)) == 1 and edges(leaf_only) == []


def mlp():
    ag.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def test_module_graph_clusters_and_parameter_names():
    model = mlp()
    loss = model(ag.randn(5, 3)).sum()
    params = dict(model.named_parameters())
    graph = ag.viz.draw_graph(loss, params=params, group_modules=model)
    for name in params:
        assert f"<B>{name}</B>" in graph.source
    for path, kind in [("0", "Linear"), ("1", "ReLU"), ("2", "Linear")]:
        assert f"subgraph cluster_{path} {{" in graph.source
        assert f'label="{path} · {kind}"' in graph.source
    assert "subgraph cluster_model {" in graph.source and "label=Sequential " in graph.source
    # a layer's parameters are drawn inside its cluster
    block = graph.source.split("subgraph cluster_0 {")[1].split("}")[0]
    assert "<B>0.weight</B>" in block and "<B>0.bias</B>" in block
    assert "<B>2.weight</B>" not in block
    # Linear is one fused op, twice; relu; sum: 4 ops, 4 parameters, the root; the first
    # Linear's input is a constant (weight and bias edges), the second's comes from relu
    assert len(nodes(graph)) == 4 + 4 + 1
    assert len(edges(graph)) == 2 + 1 + (1 + 2) + 1 + 1
    flat = ag.viz.draw_graph(loss, params=params, group_modules=False)
    assert "cluster" not in flat.source and len(nodes(flat)) == 4 + 4 + 1
    unnamed = ag.viz.draw_graph(loss, params=params)
    assert "label=model " in unnamed.source and "label=0 " in unnamed.source


def rnn_loss(steps=4):
    """A tanh RNN unrolled by a Python loop: h = tanh(h @ W + x_t @ U)."""
    ag.manual_seed(1)
    w = ag.randn(3, 3, requires_grad=True)
    u = ag.randn(2, 3, requires_grad=True)
    h = ag.zeros(1, 3)
    for x_t in ag.randn(steps, 1, 2):
        h = ag.tanh(h @ w + x_t @ u)
    return h.sum(), {"W": w, "U": u}


def test_rnn_loop_graph():
    loss, params = rnn_loss()
    graph = ag.viz.draw_graph(loss, params=params)
    # 4 steps of matmul, matmul, add, tanh, then sum; the leaves W and U; the root
    assert len(nodes(graph)) == 4 * 4 + 1 + 2 + 1
    # step 1: h is a constant (edges W, U, add 2, tanh); later steps also h -> matmul
    assert len(edges(graph)) == 5 + 3 * 6 + 1 + 1
    shared = label_of(graph, "<B>W</B>")
    assert sum(1 for tail, _ in edges(graph) if tail == shared) == 4
    assert graph.source.count("TanhBackward") == 4


def test_collapse_above_max_nodes():
    loss, params = rnn_loss(steps=30)
    graph = ag.viz.draw_graph(loss, params=params, max_nodes=50)
    size = 30 * 4 + 1 + 2 + 1
    assert f'label="{size} nodes > max_nodes=50: collapsed' in graph.source
    assert f"max_nodes={size}) shows every op" in graph.source
    assert len(nodes(graph)) == 2  # everything outside modules in one box, and the root
    assert "121 ops" in graph.source
    model = mlp()
    loss = model(ag.randn(5, 3)).sum()
    collapsed = ag.viz.draw_graph(loss, max_nodes=5, group_modules=model)
    assert len(nodes(collapsed)) == 3 + 1 + 1  # three layers, the sum outside, the root
    assert "0 · Linear" in collapsed.source and "LinearBackward: 1" in collapsed.source
    assert len(edges(collapsed)) == 2 + 1 + 1
    assert len(nodes(ag.viz.draw_graph(loss, max_nodes=9))) == 9  # at the limit: full


def test_saved_tensors_on_request():
    x = ag.tensor([1.0, 2.0])  # a constant that mul saves
    w = ag.tensor([0.5, 0.5], requires_grad=True)
    y = (x * w).exp().sum()
    graph = ag.viz.draw_graph(y, show_saved=True)
    assert graph.source.count("saved for backward") == 1  # x; w is a drawn leaf
    assert "saves its output" in graph.source  # exp keeps its result
    dashed = re.findall(r"(\w+) -> (\w+) \[color=\"#c07a3a\" style=dashed\]", graph.source)
    assert len(dashed) == 1  # x into mul (w is read only by x's gradient, never needed)
    assert len(nodes(graph)) == 3 + 1 + 1 + 1
    y.backward()  # frees what was saved
    assert "saved for backward" not in ag.viz.draw_graph(y, show_saved=True).source


def test_drawing_is_deterministic():
    first = ag.viz.draw_graph(walkthrough()[0])
    second = ag.viz.draw_graph(walkthrough()[0])
    assert first.source == second.source


def test_dot_text_is_valid():
    loss, params = rnn_loss()
    graph = ag.viz.draw_graph(loss, params=params, show_saved=True)
    source = graphviz.Source(graph.source)
    assert source.source == graph.source
    if HAS_DOT:  # parse with Graphviz itself
        assert "<svg" in source.pipe(format="svg").decode()


@pytest.mark.skipif(not HAS_DOT, reason="the Graphviz dot program is not installed")
def test_render_writes_files(tmp_path):
    model = mlp()
    graph = ag.viz.draw_graph(model(ag.randn(2, 3)).sum(), group_modules=model)
    svg = ag.viz.render(graph, tmp_path / "mlp.svg")
    assert "<svg" in svg.read_text()
    png = ag.viz.render(graph, tmp_path / "mlp", format="png")
    assert png.name == "mlp.png" and png.read_bytes().startswith(b"\x89PNG")


def test_missing_dot_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out, params, _ = walkthrough()
    graph = ag.viz.draw_graph(out, params=params)  # building still works
    assert "MulBackward" in graph.source
    with pytest.raises(RuntimeError) as error:
        ag.viz.render(graph, tmp_path / "graph.svg")
    for command in ("apt-get install graphviz", "brew install graphviz", "conda install graphviz"):
        assert command in str(error.value)
    assert not (tmp_path / "graph.svg").exists()


def test_missing_graphviz_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match=r"pip install graphviz.*viz"):
        ag.viz.draw_graph(ag.ones(2, requires_grad=True))


def test_bad_arguments():
    x = ag.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match=r"draw_graph\(\): root must be a Tensor.*ndarray"):
        ag.viz.draw_graph(np.ones(2))
    with pytest.raises(TypeError, match=r"root must be a Tensor.*list"):
        ag.viz.draw_graph([x, 1.0])
    with pytest.raises(TypeError, match=r"params must be a dict.*list"):
        ag.viz.draw_graph(x, params=[x])
    with pytest.raises(TypeError, match=r"params\['w'\] must be a Tensor, got float"):
        ag.viz.draw_graph(x, params={"w": 1.0})
    with pytest.raises(ValueError, match=r"rankdir must be .* got 'down'"):
        ag.viz.draw_graph(x, rankdir="down")
