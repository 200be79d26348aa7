"""The ``chainrule`` command: train, eval, graph and tune (also ``python -m nn.cli``).

    chainrule train --model cnn --dataset digits --out runs/demo
    chainrule train --out runs/demo --resume --epochs 30
    chainrule eval runs/demo
    chainrule graph --model cnn --out graph.svg
    chainrule tune --model mlp --dataset moons --grid lr=0.1,0.03 batch_size=32,64 --out t

Bad arguments (an unknown dataset, a missing IDX directory, a negative lr, a model that
does not fit the data ...) end with argparse's usage line and message, exit status 2.
"""

import argparse
import json
import sys
from pathlib import Path

from nn.data import IDXError
from nn.parallel import launch

from . import evaluate, train, tune
from .datasets import dataset_name, load_splits
from .models import MODELS, ModelError, build_model


def _number(kind, test, wording):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid {kind.__name__} value: {text!r}") from None
        if not test(value):
            raise argparse.ArgumentTypeError(f"must be {wording}, got {text}")
        return value

    return parse


positive_int = _number(int, lambda value: value > 0, "a positive integer")
positive_float = _number(float, lambda value: value > 0, "positive")
nonnegative_float = _number(float, lambda value: value >= 0, "non-negative")


def _float_range(text):
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LOW,HIGH, got {text!r}") from None
    if not 0 < low < high:
        raise argparse.ArgumentTypeError(f"expected 0 < LOW < HIGH, got {text!r}")
    return low, high


def _int_list(text):
    return [positive_int(part) for part in text.split(",")]


def _run_options(parser):
    """The options that define a run; None marks "not given" (defaults come later)."""
    parser.add_argument("--model", choices=MODELS, help="default: cnn")
    parser.add_argument(
        "--dataset",
        type=dataset_name,
        help="digits (default), moons, "
        "spirals, xor, or idx:DIR (an MNIST-layout directory of IDX files)",
    )
    parser.add_argument("--epochs", type=positive_int, help="default: 20")
    parser.add_argument("--batch-size", type=positive_int, help="default: 32")
    parser.add_argument("--optimizer", choices=train.OPTIMIZERS, help="default: adam")
    parser.add_argument("--lr", type=positive_float, help="learning rate; default: 0.002")
    parser.add_argument("--weight-decay", type=nonnegative_float, help="default: 0")
    parser.add_argument("--scheduler", choices=train.SCHEDULERS, help="default: cosine")
    parser.add_argument("--clip-grad", type=positive_float, help="max gradient norm")
    parser.add_argument("--seed", type=int, help="default: 0")
    parser.add_argument("--config", type=Path, help="a JSON configuration (best_config.json)")


def build_parser():
    parser = argparse.ArgumentParser(prog="chainrule", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train_parser = commands.add_parser("train", help="train a model")
    _run_options(train_parser)
    train_parser.add_argument("--out", type=Path, required=True, metavar="RUN_DIR")
    train_parser.add_argument("--resume", action="store_true", help="continue RUN_DIR's run")
    train_parser.add_argument(
        "--stop-after",
        type=positive_int,
        metavar="EPOCH",
        help="stop after this epoch, as if interrupted (resumable)",
    )
    train_parser.add_argument(
        "--nproc",
        type=positive_int,
        default=1,
        help="train on N processes under mpiexec (pip install 'chainrule[mpi]')",
    )
    eval_parser = commands.add_parser("eval", help="test accuracy and confusion matrix")
    eval_parser.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    graph_parser = commands.add_parser("graph", help="draw a model's autograd graph as SVG")
    graph_parser.add_argument("--model", choices=MODELS, default="cnn")
    graph_parser.add_argument("--dataset", type=dataset_name, default="digits")
    graph_parser.add_argument("--out", type=Path, required=True)
    tune_parser = commands.add_parser("tune", help="grid or random hyperparameter search")
    _run_options(tune_parser)
    search = tune_parser.add_mutually_exclusive_group(required=True)
    search.add_argument("--grid", nargs="+", metavar="KEY=V1,V2")
    search.add_argument("--random", type=positive_int, metavar="TRIALS")
    tune_parser.add_argument("--lr-range", type=_float_range, default=(1e-4, 1e-1))
    tune_parser.add_argument("--batch-sizes", type=_int_list, help="e.g. 32,64,128")
    tune_parser.add_argument("--patience", type=positive_int, default=3)
    tune_parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    return parser, {
        "train": train_parser,
        "eval": eval_parser,
        "graph": graph_parser,
        "tune": tune_parser,
    }


def _given(args):
    keys = [key for key in train.DEFAULTS if getattr(args, key, None) is not None]
    return {key: getattr(args, key) for key in keys}


def _read_json(parser, path, what):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        parser.error(f"cannot read {what} {path}: {error}")


def _config(parser, args):
    """DEFAULTS, then --config's file, then the options given; with --resume the saved
    configuration, where only --epochs may change."""
    given = _given(args)
    if getattr(args, "resume", False):
        if not (args.out / train.CHECKPOINT).is_file():
            parser.error(f"--resume: no {train.CHECKPOINT} in {args.out}")
        saved = _read_json(parser, args.out / train.CONFIG, "the run's configuration")
        for key, value in given.items():
            if key != "epochs" and value != saved[key]:
                parser.error(
                    f"--resume continues {args.out}'s run: its {key} is "
                    f"{saved[key]!r}, not {value!r}"
                )
        return {**saved, **given}
    from_file = _read_json(parser, args.config, "--config") if args.config else {}
    unknown = sorted(set(from_file) - set(train.DEFAULTS))
    if unknown:
        parser.error(f"--config {args.config}: unknown keys {unknown}")
    return {**train.DEFAULTS, **from_file, **given}


def _splits(parser, dataset):
    try:
        return load_splits(dataset)
    except (FileNotFoundError, IDXError) as error:
        parser.error(f"argument --dataset: {error}")


def _start(parser, config, out_dir, resume):
    try:
        return train.start(config, _splits(parser, config["dataset"]), out_dir, resume)
    except ModelError as error:
        parser.error(f"argument --model: {error}")


def _train(parser, args):
    config = _config(parser, args)
    if args.nproc > 1 and config["scheduler"] == "onecycle":
        parser.error("--nproc: onecycle counts one process's batches; choose another scheduler")
    run = _start(parser, config, args.out, args.resume)
    if launch.is_worker():
        launch.distribute(run)
    if args.resume:
        launch.log(f"resuming {args.out} after epoch {run.epoch}")
    out_dir = args.out if launch.is_writer() else None
    train.fit(run, out_dir, stop_after=args.stop_after, log=launch.log)
    if run.epoch < config["epochs"]:
        launch.log(
            f"stopped after epoch {run.epoch}; continue with: chainrule train --out "
            f"{args.out} --resume"
        )
        return 0
    if launch.is_writer():
        launch.log(train.finish(run, args.out, log=launch.log))
    return 0


def _eval(parser, args):
    if not (args.run_dir / train.CHECKPOINT).is_file():
        parser.error(f"{args.run_dir} holds no {train.CHECKPOINT}: not a training run")
    config = _read_json(parser, args.run_dir / train.CONFIG, "the run's configuration")
    run = _start(parser, config, args.run_dir, resume=True)
    evaluate.run_eval(run, args.run_dir)
    return 0


def _graph(parser, args):
    from .report import draw_model_graph

    import nn.functional as F
    from nn.data import DataLoader

    splits = _splits(parser, args.dataset)
    try:
        model = build_model(args.model, splits.input_shape, splits.classes)
    except ModelError as error:
        parser.error(f"argument --model: {error}")
    inputs, targets = next(iter(DataLoader(splits.test, batch_size=2)))
    model.eval()
    note = draw_model_graph(args.out, model, F.cross_entropy(model(inputs), targets))
    if note:
        print(f"chainrule graph: {note}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


def _tune(parser, args):
    config = _config(parser, args)
    try:
        trials = (
            tune.grid_trials(tune.parse_grid(args.grid))
            if args.grid
            else tune.random_trials(args.random, args.lr_range, args.batch_sizes, config["seed"])
        )
    except ValueError as error:
        parser.error(f"argument --grid: {error}")
    splits = _splits(parser, config["dataset"])
    try:
        build_model(config["model"], splits.input_shape, splits.classes)
    except ModelError as error:
        parser.error(f"argument --model: {error}")
    args.out.mkdir(parents=True, exist_ok=True)
    tune.search(config, splits, trials, args.patience, args.out)
    return 0


def main(argv=None):
    """Run the command line ``argv`` (default: sys.argv[1:]); the exit status."""
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "nproc", 1) > 1 and not launch.is_worker():
        arguments = sys.argv[1:] if argv is None else argv
        return launch.relaunch(args.nproc, ["-m", "nn.cli", *arguments])
    command = {"train": _train, "eval": _eval, "graph": _graph, "tune": _tune}[args.command]
    try:
        return command(commands[args.command], args)
    except KeyboardInterrupt:
        print(
            "\ninterrupted; a run continues from its last finished epoch with --resume",
            file=sys.stderr,
        )
        return 130
