"""``chainrule train``: one training run, its checkpoint, and exact resumption.

A run is fixed by its configuration (``DEFAULTS`` lists the keys). Everything random is
seeded from ``seed``: ``ag.manual_seed(seed)`` before the model is built (initialisation,
then dropout masks), and a separate ``ag.random.Generator(seed)`` for the order of the
training batches. The checkpoint, written with ``ag.save`` after every epoch, holds the
model, optimizer and scheduler states, the epoch, both generators' states and the metrics,
so ``--resume`` continues to the very same weights an uninterrupted run reaches.

Files in the run directory: ``config.json``, ``checkpoint.pt``, ``metrics.csv``,
``metrics.png`` (with matplotlib) and ``graph.svg`` (with Graphviz).
"""

import json
import math
import time
from pathlib import Path

import autograd as ag
import nn
import nn.functional as F
import optim
from autograd.random import Generator
from nn.data import DataLoader

from . import report
from .evaluate import evaluate
from .models import build_model

DEFAULTS = {
    "model": "cnn",
    "dataset": "digits",
    "epochs": 20,
    "batch_size": 32,
    "optimizer": "adam",
    "lr": 2e-3,
    "weight_decay": 0.0,
    "scheduler": "cosine",
    "clip_grad": None,
    "seed": 0,
}
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
SCHEDULERS = ("none", "step", "exponential", "cosine", "onecycle", "plateau")
CHECKPOINT = "checkpoint.pt"
CONFIG = "config.json"


def make_optimizer(name, parameters, lr, weight_decay):
    """Optimizer ``name`` of ``OPTIMIZERS`` (momentum and nesterov: SGD, momentum 0.9)."""
    options = {"lr": lr, "weight_decay": weight_decay}
    if name in ("sgd", "momentum", "nesterov"):
        momentum = 0.0 if name == "sgd" else 0.9
        return optim.SGD(parameters, momentum=momentum, nesterov=name == "nesterov", **options)
    classes = {
        "adagrad": optim.Adagrad,
        "rmsprop": optim.RMSprop,
        "adam": optim.Adam,
        "adamw": optim.AdamW,
    }
    return classes[name](parameters, **options)


def make_scheduler(name, optimizer, epochs, steps_per_epoch):
    """Scheduler ``name`` of ``SCHEDULERS`` (None for "none") and whether it steps once a
    batch (onecycle) rather than once an epoch: step divides the lr by 10 at a third and
    two thirds of the epochs, exponential multiplies it by 0.9 an epoch, cosine anneals it
    to 0 over the run, onecycle peaks at lr after 30% of the batches, plateau divides it by
    10 after 3 epochs without a better validation loss."""
    if name == "none":
        return None, False
    if name == "onecycle":
        total = epochs * steps_per_epoch
        max_lr = [group["lr"] for group in optimizer.param_groups]
        return optim.lr_scheduler.OneCycleLR(optimizer, max_lr, total_steps=total), True
    schedulers = {
        "step": lambda: optim.lr_scheduler.StepLR(optimizer, max(1, epochs // 3), 0.1),
        "exponential": lambda: optim.lr_scheduler.ExponentialLR(optimizer, 0.9),
        "cosine": lambda: optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs),
        "plateau": lambda: optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=3),
    }
    return schedulers[name](), False


class Run:
    """A model with its optimizer, scheduler, data order and history, for ``config``."""

    def __init__(self, config, splits):
        self.config = config
        self.splits = splits
        ag.manual_seed(config["seed"])
        self.model = build_model(config["model"], splits.input_shape, splits.classes)
        self.data_generator = Generator(config["seed"])
        self.loader = DataLoader(
            splits.train,
            batch_size=config["batch_size"],
            shuffle=True,
            generator=self.data_generator,
        )
        self.optimizer = make_optimizer(
            config["optimizer"], self.model.parameters(), config["lr"], config["weight_decay"]
        )
        self.scheduler, self.per_batch = make_scheduler(
            config["scheduler"], self.optimizer, config["epochs"], len(self.loader)
        )
        self.epoch = 0
        self.history = []

    def state_dict(self):
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": None if self.scheduler is None else self.scheduler.state_dict(),
            "epoch": self.epoch,
            "seed": self.config["seed"],
            "rng": {"default": ag.random.get_rng_state(), "data": self.data_generator.get_state()},
            "history": self.history,
        }

    def load_state_dict(self, state):
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.epoch = state["epoch"]
        ag.random.set_rng_state(state["rng"]["default"])
        self.data_generator.set_state(state["rng"]["data"])
        self.history = list(state["history"])

    def train_epoch(self):
        """One pass over the training batches; (mean loss, accuracy)."""
        self.model.train()
        total_loss, correct, seen = 0.0, 0, 0
        description = f"epoch {self.epoch + 1}/{self.config['epochs']}"
        bar = report.progress(self.loader, len(self.loader), description)
        for inputs, targets in bar:
            self.optimizer.zero_grad()
            logits = self.model(inputs)
            loss = F.cross_entropy(logits, targets)
            loss.backward()
            if self.config["clip_grad"] is not None:
                nn.utils.clip_grad_norm_(self.model.parameters(), self.config["clip_grad"])
            self.optimizer.step()
            if self.per_batch:
                self.scheduler.step()
            count = len(targets)
            total_loss += loss.item() * count
            correct += int((logits.data.argmax(axis=1) == targets.data).sum())
            seen += count
            bar.set_postfix(loss=f"{total_loss / seen:.4f}", refresh=False)
        return total_loss / seen, correct / seen

    def run_epoch(self):
        """Train one epoch, validate, step the scheduler; the epoch's metrics row."""
        start = time.perf_counter()
        lr = self.optimizer.param_groups[0]["lr"]
        train_loss, train_acc = self.train_epoch()
        val_loss, val_acc, _ = evaluate(self.model, self.splits.val)
        if self.scheduler is not None and not self.per_batch:
            plateau = isinstance(self.scheduler, optim.lr_scheduler.ReduceLROnPlateau)
            self.scheduler.step(val_loss) if plateau else self.scheduler.step()
        self.epoch += 1
        row = {
            "epoch": self.epoch,
            "train_loss": train_loss,
            "train_acc": train_acc,
            "val_loss": val_loss,
            "val_acc": val_acc,
            "lr": lr,
            "seconds": time.perf_counter() - start,
        }
        self.history.append(row)
        return row


def fit(run, out_dir=None, stop_after=None, patience=None, log=print):
    """Train ``run`` up to its configured epochs (or ``stop_after``, as if interrupted, or
    until the validation loss has not improved for ``patience`` epochs), writing the
    checkpoint and metrics to ``out_dir`` after each epoch when given; the best validation
    loss."""
    last = run.config["epochs"] if stop_after is None else min(stop_after, run.config["epochs"])
    best = min((row["val_loss"] for row in run.history), default=math.inf)
    stale = 0
    while run.epoch < last:
        row = run.run_epoch()
        log(report.epoch_line(row, run.config["epochs"]))
        stale = 0 if row["val_loss"] < best else stale + 1
        best = min(best, row["val_loss"])
        if out_dir is not None:
            ag.save(run.state_dict(), Path(out_dir) / CHECKPOINT)
            report.write_metrics(Path(out_dir) / "metrics.csv", run.history)
        if patience is not None and stale >= patience:
            log(f"early stop: no better validation loss for {patience} epochs")
            break
    return best


def start(config, splits, out_dir, resume):
    """A Run for ``config``, restored from ``out_dir``'s checkpoint when ``resume``."""
    run = Run(config, splits)
    out_dir = Path(out_dir)
    if resume:
        run.load_state_dict(ag.load(out_dir / CHECKPOINT))
    else:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / CONFIG).write_text(json.dumps(config, indent=2) + "\n")
    return run


def finish(run, out_dir, log=print):
    """Test accuracy, the plot and the graph drawing of a finished run; the summary line."""
    out_dir = Path(out_dir)
    _, test_acc, _ = evaluate(run.model, run.splits.test)
    seconds = sum(row["seconds"] for row in run.history)
    for note in (
        report.plot_metrics(out_dir / "metrics.png", run.history),
        _draw(run, out_dir / "graph.svg"),
    ):
        if note:
            log(note)
    count = len(run.splits.test)
    return (
        f"{run.config['model']} on {run.config['dataset']}: test accuracy {test_acc:.2%} "
        f"({round(test_acc * count)}/{count}) after {run.epoch} epochs; training took "
        f"{seconds:.1f} s"
    )


def _draw(run, path):
    inputs, targets = next(iter(DataLoader(run.splits.test, batch_size=2)))
    run.model.eval()
    loss = F.cross_entropy(run.model(inputs), targets)
    return report.draw_model_graph(path, run.model, loss)
