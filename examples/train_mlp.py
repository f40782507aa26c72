"""Train an MLP classifier on scikit-learn's bundled handwritten digits (8x8 images).

The whole epoch (shuffle, minibatch SGD/Adam steps) is one ``fl.jit``-compiled
function built from ``fl.lax.scan``; ``--no-jit`` runs the same code eagerly.

    python examples/train_mlp.py                 # defaults: about 10 s on 2 CPU cores
    python examples/train_mlp.py --optimizer sgd --lr 0.1 --epochs 40
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

import functorch_lite as fl
import functorch_lite.numpy as fnp


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--optimizer", choices=["sgd", "momentum", "adam"], default="adam")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-jit", action="store_true", help="run the same code eagerly")
    p.add_argument("--plot", default=os.path.join(os.path.dirname(__file__), "out",
                                                  "train_mlp.png"))
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p.parse_args(argv)


def load_digits(seed: int):
    from sklearn.datasets import load_digits as sk_digits
    d = sk_digits()
    x = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.int32)
    perm = np.asarray(fl.random.permutation(fl.random.key(seed), len(x)))
    x, y = x[perm], y[perm]
    n_test = len(x) // 5
    return (x[n_test:], y[n_test:]), (x[:n_test], y[:n_test])


def make_optimizer(name: str, lr: float):
    return {"sgd": fl.optim.sgd, "momentum": fl.optim.momentum, "adam": fl.optim.adam}[name](lr)


def loss_fn(params, x, y):
    return fl.nn.softmax_cross_entropy(fl.nn.mlp(params, x), y)


def accuracy(params, x, y):
    return fnp.mean(fnp.argmax(fl.nn.mlp(params, x), axis=-1) == y)


def make_epoch(opt, n_train: int, batch_size: int):
    n_batches = n_train // batch_size

    def epoch(params, state, key, x, y):
        perm = fl.random.permutation(key, n_train)[: n_batches * batch_size]
        xb = x[perm].reshape(n_batches, batch_size, x.shape[-1])
        yb = y[perm].reshape(n_batches, batch_size)

        def step(carry, batch):
            params, state = carry
            loss, grads = fl.value_and_grad(loss_fn)(params, *batch)
            params, state = opt.update(grads, state, params)
            return (params, state), loss
        (params, state), losses = fl.lax.scan(step, (params, state), (xb, yb))
        return params, state, fnp.mean(losses)
    return epoch


def train(args: argparse.Namespace) -> dict:
    (xtr, ytr), (xte, yte) = load_digits(args.seed)
    key = fl.random.key(args.seed)
    key, init_key = fl.random.split(key)
    params = fl.nn.init_mlp(init_key, [xtr.shape[1], args.hidden, 10])
    opt = make_optimizer(args.optimizer, args.lr)
    state = opt.init(params)
    epoch = make_epoch(opt, len(xtr), args.batch_size)
    evaluate = accuracy
    if not args.no_jit:
        epoch, evaluate = fl.jit(epoch), fl.jit(accuracy)
    history = {"loss": [], "train_acc": [], "test_acc": []}
    bar = range(args.epochs)
    if not args.quiet:
        from tqdm import tqdm
        bar = tqdm(bar, desc="training", unit="epoch", file=sys.stdout)
    t0 = time.perf_counter()
    for _ in bar:
        key, sub = fl.random.split(key)
        params, state, loss = epoch(params, state, sub, xtr, ytr)
        history["loss"].append(float(loss))
        history["train_acc"].append(float(evaluate(params, xtr, ytr)))
        history["test_acc"].append(float(evaluate(params, xte, yte)))
        if not args.quiet:
            bar.set_postfix(loss=f"{history['loss'][-1]:.4f}",
                            test_acc=f"{history['test_acc'][-1]:.3f}")
    history["seconds"] = time.perf_counter() - t0
    history["params"] = params
    return history


def plot(history: dict, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.5))
    a.plot(history["loss"])
    a.set(xlabel="epoch", ylabel="training loss", yscale="log", title="loss")
    b.plot(history["train_acc"], label="train")
    b.plot(history["test_acc"], label="test")
    b.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None) -> dict:
    args = parse_args(argv)
    print(f"functorch_lite: MLP 64-{args.hidden}-10 on sklearn digits, {args.optimizer} "
          f"lr={args.lr}, batch {args.batch_size}, {args.epochs} epochs, "
          f"{'eager' if args.no_jit else 'jit'}")
    h = train(args)
    plot(h, args.plot)
    print(f"final training loss {h['loss'][-1]:.4f}; train accuracy {h['train_acc'][-1]:.3f}")
    print(f"held-out test accuracy: {h['test_acc'][-1]:.3f} ({h['seconds']:.1f} s)")
    print(f"plot saved to {args.plot}")
    return h


if __name__ == "__main__":
    main()
