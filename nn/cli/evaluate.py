"""``chainrule eval RUN_DIR``: a trained run's test accuracy and confusion matrix.

The run's model is rebuilt from ``config.json``, its weights loaded from the checkpoint,
and the test split of its dataset classified; the confusion matrix (rows: true class,
columns: predicted class) is printed and written to ``RUN_DIR/confusion.csv``.
"""

import numpy as np

import autograd as ag
import nn.functional as F
from nn.data import DataLoader


def evaluate(model, dataset, batch_size=512):
    """(mean cross-entropy, accuracy, predicted classes as an int64 ndarray) of ``model``
    in eval mode on ``dataset`` of (inputs, labels)."""
    model.eval()
    total_loss, predictions, labels = 0.0, [], []
    with ag.no_grad():
        for inputs, targets in DataLoader(dataset, batch_size=batch_size):
            logits = model(inputs)
            total_loss += F.cross_entropy(logits, targets, reduction="sum").item()
            predictions.append(logits.data.argmax(axis=1))
            labels.append(targets.data)
    predictions, labels = np.concatenate(predictions), np.concatenate(labels)
    return total_loss / len(labels), float((predictions == labels).mean()), predictions


def confusion_matrix(labels, predictions, classes):
    """counts[i, j]: how many samples of class i were predicted as class j."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (labels, predictions), 1)
    return counts


def format_confusion(counts):
    """The matrix as a text table with a header row of predicted classes."""
    width = max(4, len(str(counts.max())) + 1)
    header = "true\\pred" + "".join(f"{column:>{width}}" for column in range(len(counts)))
    rows = [
        f"{row:>9}" + "".join(f"{value:>{width}}" for value in counts[row])
        for row in range(len(counts))
    ]
    return "\n".join([header, *rows])


def run_eval(run, out_dir, log=print):
    """Print the test accuracy and confusion matrix of ``run``; write confusion.csv."""
    test = run.splits.test
    loss, accuracy, predictions = evaluate(run.model, test)
    labels = np.concatenate([targets.data for _, targets in DataLoader(test, batch_size=512)])
    counts = confusion_matrix(labels, predictions, run.splits.classes)
    log(
        f"{run.config['model']} on {run.config['dataset']} after {run.epoch} epochs: test "
        f"accuracy {accuracy:.2%} ({int(np.trace(counts))}/{len(labels)}), test loss {loss:.4f}"
    )
    log(format_confusion(counts))
    np.savetxt(out_dir / "confusion.csv", counts, fmt="%d", delimiter=",")
    return accuracy
