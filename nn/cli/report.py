"""What a run writes and shows: the progress bar, metrics.csv, the plot, the graph drawing.

Each optional piece says why it is skipped: no tqdm or no terminal (no bar: CI logs stay
short), no matplotlib (no plot), no ``ag.viz``, graphviz package or ``dot`` (no graph).
"""

import csv
import importlib.util
import shutil
import sys

METRICS = ("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds")


def progress(iterable, total, description):
    """``iterable`` wrapped in a tqdm bar on a terminal (``bar.set_postfix`` shows the
    running loss), else the iterable itself with a no-op ``set_postfix``."""
    if sys.stderr.isatty() and importlib.util.find_spec("tqdm") is not None:
        from tqdm import tqdm

        return tqdm(iterable, total=total, desc=description, leave=False, dynamic_ncols=True)
    return _Quiet(iterable)


class _Quiet:
    def __init__(self, iterable):
        self.iterable = iterable

    def __iter__(self):
        return iter(self.iterable)

    def set_postfix(self, **values):
        pass


def epoch_line(row, epochs):
    """One line per epoch: train and validation loss and accuracy, lr, seconds."""
    return (
        f"epoch {row['epoch']:3d}/{epochs}  train loss {row['train_loss']:.4f} acc "
        f"{row['train_acc']:7.2%}  val loss {row['val_loss']:.4f} acc {row['val_acc']:7.2%}  "
        f"lr {row['lr']:.3g}  {row['seconds']:.1f}s"
    )


def write_metrics(path, history):
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=METRICS)
        writer.writeheader()
        writer.writerows(history)


def plot_metrics(path, history):
    """Loss and accuracy per epoch (train and validation) as a PNG; the reason when skipped."""
    if importlib.util.find_spec("matplotlib") is None:
        return "no plot: matplotlib is not installed (pip install matplotlib)"
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    epochs = [row["epoch"] for row in history]
    figure, (loss_axes, accuracy_axes) = pyplot.subplots(1, 2, figsize=(10, 4))
    for split in ("train", "val"):
        loss_axes.plot(epochs, [row[f"{split}_loss"] for row in history], label=split)
        accuracy_axes.plot(epochs, [row[f"{split}_acc"] for row in history], label=split)
    for axes, title in ((loss_axes, "cross-entropy loss"), (accuracy_axes, "accuracy")):
        axes.set_xlabel("epoch")
        axes.set_title(title)
        axes.grid(alpha=0.3)
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
    return None


def draw_model_graph(path, model, loss):
    """The autograd graph behind ``loss`` as SVG at ``path``; the reason when skipped."""
    if importlib.util.find_spec("autograd.viz") is None:
        return "no graph: this chainrule has no ag.viz yet"
    if importlib.util.find_spec("graphviz") is None:
        return "no graph: the graphviz package is not installed (pip install graphviz)"
    if shutil.which("dot") is None:
        return "no graph: Graphviz's 'dot' program is not installed (apt-get install graphviz)"
    from autograd import viz

    graph = viz.draw_graph(loss, params=dict(model.named_parameters()), show_data=False)
    viz.render(graph, path)
    return None
