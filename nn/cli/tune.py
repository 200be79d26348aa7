"""``chainrule tune``: grid or random search over training hyperparameters.

Each trial is a training run (see ``train.Run``) with some options replaced, stopped early
once its validation loss has not improved for ``patience`` epochs. The trials are printed
as a table sorted by their best validation loss and written to ``OUT/results.csv``; the
best trial's whole configuration goes to ``OUT/best_config.json``, which
``chainrule train --config`` reads.
"""

import csv
import itertools
import json
import math

import numpy as np

from . import train

# option -> the type of its values in --grid
TUNABLE = {
    "lr": float,
    "batch_size": int,
    "weight_decay": float,
    "optimizer": str,
    "scheduler": str,
    "clip_grad": float,
    "epochs": int,
    "seed": int,
}
CHOICES = {"optimizer": train.OPTIMIZERS, "scheduler": train.SCHEDULERS}


def parse_grid(items):
    """``["lr=0.1,0.03", "batch_size=32,64"]`` -> ``{"lr": [0.1, 0.03], "batch_size": [32,
    64]}``; ValueError naming the item when a key or value is not valid."""
    grid = {}
    for item in items:
        key, separator, values = item.partition("=")
        if not separator or not values:
            raise ValueError(f"grid item {item!r} is not KEY=VALUE[,VALUE...]")
        if key not in TUNABLE:
            raise ValueError(f"grid key {key!r} is not tunable (choose from {', '.join(TUNABLE)})")
        try:
            parsed = [TUNABLE[key](value) for value in values.split(",")]
        except ValueError:
            kind = TUNABLE[key].__name__
            raise ValueError(f"grid values of {key!r} must be {kind}s: {values!r}") from None
        bad = [value for value in parsed if key in CHOICES and value not in CHOICES[key]]
        bad += [value for value in parsed if TUNABLE[key] is not str and value <= 0]
        if bad and not (key == "weight_decay" and min(parsed) == 0):
            raise ValueError(f"grid values of {key!r} not allowed: {bad}")
        grid[key] = parsed
    return grid


def grid_trials(grid):
    """Every combination of the grid's values, the first key varying slowest."""
    return [dict(zip(grid, values)) for values in itertools.product(*grid.values())]


def random_trials(count, lr_range, batch_sizes, seed):
    """``count`` trials with lr log-uniform in ``lr_range`` and a batch size drawn from
    ``batch_sizes`` (when given), from a generator seeded with ``seed``."""
    rng = np.random.Generator(np.random.PCG64(seed))
    low, high = np.log(lr_range)
    trials = [{"lr": float(f"{np.exp(rng.uniform(low, high)):.3g}")} for _ in range(count)]
    for trial in trials if batch_sizes else ():
        trial["batch_size"] = int(rng.choice(batch_sizes))
    return trials


def search(base, splits, trials, patience, out_dir, log=print):
    """Train every trial (``base`` with the trial's options), print the sorted table, write
    results.csv and best_config.json; the sorted result rows."""
    rows = []
    for number, overrides in enumerate(trials, 1):
        config = {**base, **overrides}
        run = train.Run(config, splits)
        best_loss = train.fit(run, patience=patience, log=lambda line: None)
        best = min(run.history, key=lambda row: row["val_loss"])
        rows.append(
            {
                "trial": number,
                **overrides,
                "epochs_run": run.epoch,
                "best_epoch": best["epoch"],
                "val_loss": best_loss,
                "val_acc": best["val_acc"],
                "config": config,
            }
        )
        described = " ".join(f"{key}={value}" for key, value in overrides.items())
        log(
            f"trial {number}/{len(trials)} {described}: best val loss {best_loss:.4f} "
            f"(epoch {best['epoch']}, val acc {best['val_acc']:.2%})"
        )
    rows.sort(key=lambda row: (math.isnan(row["val_loss"]), row["val_loss"]))
    columns = [key for key in rows[0] if key != "config"]
    log(_table(rows, columns))
    with open(out_dir / "results.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    (out_dir / "best_config.json").write_text(json.dumps(rows[0]["config"], indent=2) + "\n")
    log(f"best: trial {rows[0]['trial']}; configuration in {out_dir / 'best_config.json'}")
    return rows


def _table(rows, columns):
    def cell(value):
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    cells = [[cell(row.get(column, "")) for column in columns] for row in rows]
    widths = [
        max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)
    ]
    lines = [columns, *cells]
    return "\n".join(
        "  ".join(text.rjust(width) for text, width in zip(line, widths)) for line in lines
    )
