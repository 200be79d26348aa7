"""The chainrule command end to end: training runs (subprocess), exact resumption, eval,
graph, tune, the bad-argument messages, and the demo's accuracy on a shortened run."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import autograd as ag
from nn import cli
from nn.cli import datasets, train
from nn.data import idx

ROOT = Path(__file__).resolve().parent.parent


def chainrule(*args):
    """Run ``python -m nn.cli args`` in a subprocess; the CompletedProcess."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "nn.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tiny_idx(tmp_path_factory):
    """An MNIST-layout directory of 8x8 images: class = which quadrant is bright."""
    directory = tmp_path_factory.mktemp("idx")
    rng = np.random.default_rng(0)
    for split, count in (("train", 80), ("t10k", 40)):
        labels = rng.integers(0, 4, count)
        images = rng.integers(0, 60, (count, 8, 8))
        for quadrant in range(4):
            rows, cols = divmod(quadrant, 2)
            chosen = labels == quadrant
            images[chosen, 4 * rows : 4 * rows + 4, 4 * cols : 4 * cols + 4] += 190
        idx.write_idx(directory / f"{split}-images-idx3-ubyte.gz", images.astype(np.uint8))
        idx.write_idx(directory / f"{split}-labels-idx1-ubyte", labels.astype(np.uint8))
    return directory


def _weights(run_dir):
    state = ag.load(run_dir / train.CHECKPOINT)
    return {name: tensor.data for name, tensor in state["model"].items()}, state


def test_train_writes_the_run(tmp_path):
    run_dir = tmp_path / "run"
    done = chainrule(
        "train",
        "--model",
        "mlp",
        "--dataset",
        "moons",
        "--epochs",
        "2",
        "--batch-size",
        "64",
        "--out",
        run_dir,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("epoch   1/2  train loss ") and "val loss" in lines[0]
    assert "mlp on moons: test accuracy" in lines[-1] and "training took" in lines[-1]
    with open(run_dir / "metrics.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["epoch"] for row in rows] == ["1", "2"] and float(rows[1]["val_acc"]) > 0.5
    assert json.loads((run_dir / "config.json").read_text())["epochs"] == 2
    assert (run_dir / "metrics.png").read_bytes()[:4] == b"\x89PNG"
    graph = run_dir / "graph.svg"
    assert graph.exists() or "no graph:" in done.stdout
    _, state = _weights(run_dir)
    assert state["epoch"] == 2 and state["seed"] == 0 and set(state["rng"]) == {"default", "data"}


def test_resume_reaches_the_same_weights(tmp_path, tiny_idx):
    """A CNN (dropout, momentum, a per-batch schedule) stopped after 2 epochs and resumed
    ends bit for bit where 4 uninterrupted epochs end; so does extending a 2-epoch run."""
    options = (
        "--model",
        "cnn",
        "--dataset",
        f"idx:{tiny_idx}",
        "--batch-size",
        "16",
        "--optimizer",
        "nesterov",
        "--lr",
        "0.05",
        "--scheduler",
        "step",
        "--seed",
        "3",
    )
    straight, stopped, extended = tmp_path / "straight", tmp_path / "stopped", tmp_path / "ext"
    runs = [
        ("train", *options, "--epochs", "4", "--out", straight),
        ("train", *options, "--epochs", "4", "--stop-after", "2", "--out", stopped),
        ("train", "--out", stopped, "--resume"),
        ("train", *options, "--epochs", "4", "--stop-after", "2", "--out", extended),
        ("train", "--out", extended, "--resume", "--epochs", "4"),
    ]
    outputs = [chainrule(*args) for args in runs]
    for done in outputs:
        assert done.returncode == 0, done.stderr
    assert "stopped after epoch 2; continue with" in outputs[1].stdout
    assert outputs[2].stdout.startswith("resuming") and "epoch   3/4" in outputs[2].stdout
    expected, _ = _weights(straight)
    for run_dir in (stopped, extended):
        weights, state = _weights(run_dir)
        assert state["epoch"] == 4
        for name, value in expected.items():
            np.testing.assert_array_equal(weights[name], value, err_msg=name)
    with open(stopped / "metrics.csv") as handle:
        assert [row["epoch"] for row in csv.DictReader(handle)] == ["1", "2", "3", "4"]

    done = chainrule("eval", straight)
    assert done.returncode == 0, done.stderr
    assert "test accuracy" in done.stdout and "true\\pred" in done.stdout
    counts = np.loadtxt(straight / "confusion.csv", delimiter=",")
    assert counts.shape == (4, 4) and counts.sum() == 40


def test_graph_command(tmp_path, capsys):
    out = tmp_path / "graph.svg"
    status = cli.main(["graph", "--model", "mlp", "--out", str(out)])
    if status == 0:
        assert out.read_text().lstrip().startswith(("<?xml", "<svg"))
    else:
        assert "no graph:" in capsys.readouterr().err


def test_tune_grid(tmp_path, capsys):
    status = cli.main(
        [
            "tune",
            "--model",
            "mlp",
            "--dataset",
            "xor",
            "--epochs",
            "3",
            "--grid",
            "lr=0.03,0.001",
            "batch_size=64,128",
            "--patience",
            "2",
            "--out",
            str(tmp_path),
        ]
    )
    assert status == 0
    output = capsys.readouterr().out
    assert output.count("trial ") >= 4 and "best: trial" in output
    with open(tmp_path / "results.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 and {row["batch_size"] for row in rows} == {"64", "128"}
    losses = [float(row["val_loss"]) for row in rows]
    assert losses == sorted(losses)
    best = json.loads((tmp_path / "best_config.json").read_text())
    assert best["lr"] == float(rows[0]["lr"]) and best["model"] == "mlp"


def test_tune_random_trials():
    trials = cli.tune.random_trials(5, (1e-4, 1e-1), [32, 64], seed=0)
    assert len(trials) == 5 and all(1e-4 <= trial["lr"] <= 1e-1 for trial in trials)
    assert trials == cli.tune.random_trials(5, (1e-4, 1e-1), [32, 64], seed=0)
    assert {trial["batch_size"] for trial in trials} <= {32, 64}


BAD_ARGUMENTS = [
    (["train", "--dataset", "cifar", "--out", "x"], "unknown dataset 'cifar'"),
    (["train", "--dataset", "idx:/no/such/dir", "--out", "x"], "IDX directory '/no/such/dir'"),
    (["train", "--lr", "-0.1", "--out", "x"], "argument --lr: must be positive, got -0.1"),
    (["train", "--epochs", "0", "--out", "x"], "argument --epochs: must be a positive integer"),
    (["train", "--batch-size", "ten", "--out", "x"], "invalid int value: 'ten'"),
    (["train", "--model", "vgg", "--out", "x"], "argument --model: invalid choice: 'vgg'"),
    (["train", "--optimizer", "lion", "--out", "x"], "argument --optimizer: invalid choice"),
    (["train", "--model", "cnn", "--dataset", "moons", "--out", "x"], "cnn needs an image"),
    (["train"], "the following arguments are required: --out"),
    (["train", "--out", "{tmp}", "--resume"], "--resume: no checkpoint.pt in"),
    (["eval", "{tmp}"], "holds no checkpoint.pt: not a training run"),
    (["tune", "--grid", "momentum=0.9", "--out", "x"], "grid key 'momentum' is not tunable"),
    (["tune", "--grid", "lr=fast", "--out", "x"], "grid values of 'lr' must be floats"),
    (["tune", "--random", "3", "--lr-range", "1,0.1", "--out", "x"], "expected 0 < LOW < HIGH"),
    (["tune", "--out", "x"], "one of the arguments --grid --random is required"),
    (["bake"], "invalid choice: 'bake'"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_ARGUMENTS, ids=lambda v: str(v)[:40])
def test_bad_arguments(tmp_path, capsys, argv, message):
    argv = [item.replace("{tmp}", str(tmp_path)) for item in argv]
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("usage: chainrule") and message in error


def test_corrupt_idx_dir_is_an_argument_error(tmp_path, tiny_idx):
    for path in tiny_idx.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    labels = tmp_path / "train-labels-idx1-ubyte"
    labels.write_bytes(labels.read_bytes()[:-3])
    done = chainrule("train", "--dataset", f"idx:{tmp_path}", "--out", tmp_path / "run")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("usage: chainrule train")
    assert f"IDX file {labels}: truncated" in done.stderr


def test_digits_splits_are_fixed():
    splits = datasets.load_splits("digits")
    assert (len(splits.train), len(splits.val), len(splits.test)) == (1257, 180, 360)
    again = datasets.load_splits("digits")
    assert again.test.indices == splits.test.indices
    assert not set(splits.test.indices) & set(splits.train.indices)


@pytest.mark.parametrize(("model", "epochs", "accuracy"), [("cnn", 6, 0.98), ("mlp", 8, 0.96)])
def test_demo_accuracy_on_a_shortened_run(model, epochs, accuracy):
    """The demo trains the CNN 20 epochs (>= 98% test accuracy; the MLP >= 97%): a few
    epochs of the same configuration already get there (the CNN) or close (the MLP)."""
    config = {**train.DEFAULTS, "model": model, "epochs": epochs}
    run = train.Run(config, datasets.load_splits("digits"))
    train.fit(run, log=lambda line: None)
    _, test_accuracy, _ = cli.evaluate.evaluate(run.model, run.splits.test)
    assert test_accuracy >= accuracy
