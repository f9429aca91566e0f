"""``directive-nlp train classifier|ranker|tagger``: options parsed here, the work done by
``models.train`` (a library module that knows nothing of the command line)."""

from __future__ import annotations

from pathlib import Path

import click

from .train import CORPUS, DEFAULT_OUT, train_classifier, train_ranker, train_tagger


@click.group()
def train() -> None:
    """Train the models of the ensemble on the gold corpus (CPU; fixed seed)."""


def _common(f):
    f = click.option("--out", type=click.Path(file_okay=False), default=str(DEFAULT_OUT), show_default=True, help="Models folder (holds ensemble.yaml).")(f)
    f = click.option("--seed", type=int, default=0, show_default=True)(f)
    f = click.option("--train-file", type=click.Path(exists=True, dir_okay=False), default=str(CORPUS / "train.jsonl"), show_default=True)(f)
    f = click.option("--dev-file", type=click.Path(exists=True, dir_okay=False), default=str(CORPUS / "dev.jsonl"), show_default=True)(f)
    f = click.option("--test-file", type=click.Path(dir_okay=False), default=str(CORPUS / "test.jsonl"), show_default=True)(f)
    return f


@train.command("classifier")
@_common
@click.option("--base", type=click.Path(), default=None, help="Unused by the classifier (it trains from scratch); accepted for symmetry.")
def classifier_cmd(out, seed, train_file, dev_file, test_file, base) -> None:
    """Train the directive sentence classifier and tune the ensemble on dev.

    \b
    Example:
        directive-nlp train classifier --seed 0
    """
    train_classifier(*_paths(out, train_file, dev_file, test_file, seed), log=click.echo)


@train.command("ranker")
@_common
def ranker_cmd(out, seed, train_file, dev_file, test_file) -> None:
    """Train the agency span ranker and tune the agency ensemble on dev.

    \b
    Example:
        directive-nlp train ranker --seed 0
    """
    train_ranker(*_paths(out, train_file, dev_file, test_file, seed), log=click.echo)


@train.command("tagger")
@_common
@click.option("--base", type=click.Path(exists=True, file_okay=False), default=None, help="Fine-tune this local checkpoint instead of a tiny model from scratch.")
@click.option("--epochs", type=int, default=None, help="Training epochs (default: the tagger's own).")
@click.option("--retune", is_flag=True, help="Keep the saved weights: recalibrate, re-tune the ensemble and re-score on dev/test.")
def tagger_cmd(out, seed, train_file, dev_file, test_file, base, epochs, retune) -> None:
    """Train the BIO span tagger (AGENCY, VERB, TARGET) and tune the agency ensemble on dev.

    \b
    Example:
        directive-nlp train tagger --seed 0
    """
    train_tagger(*_paths(out, train_file, dev_file, test_file, seed), base=Path(base) if base else None, epochs=epochs, log=click.echo, retune=retune)


def _paths(out: str, train_file: str, dev_file: str, test_file: str, seed: int) -> tuple:
    """(output folder, created; seed; train, dev and test files): the arguments every trainer takes."""
    out_p = Path(out)
    out_p.mkdir(parents=True, exist_ok=True)
    return out_p, seed, Path(train_file), Path(dev_file), Path(test_file)
