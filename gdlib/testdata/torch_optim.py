#!/usr/bin/python3
"""Reference values for gdlib's optimizers, computed by torch.optim (gdlib/optimizer_test.go reads them).

For each optimizer setting in CASES, the script starts from the same float64 parameters W1 (2x3),
b1 (1x3), W2 (3x1), b2 (1x1), applies STEPS steps of torch.optim with a fixed gradient per step
(a different one each step, drawn once from a seeded numpy generator) and records the parameters
after every step. The parameters, the gradients and the results go to torch_optim.json; matrices
are flattened row by row, as gonum stores them.

Regenerate (torch is needed only for this, never by the Go tests or CI):

    apt-get update && apt-get install -y python3-torch python3-numpy   # Debian 12: torch 1.13
    cd gdlib/testdata && /usr/bin/python3 torch_optim.py               # rewrites torch_optim.json
"""

import numpy as np
import torch

import fixture

SEED = 20240601
STEPS = 5
SHAPES = {"W1": (2, 3), "b1": (1, 3), "W2": (3, 1), "b2": (1, 1)}
NAMES = list(SHAPES)  # gdlib's ParamNames order

# name, torch optimizer class, its keyword arguments. Names match the table in optimizer_test.go.
# Momentum and Nesterov have no torch defaults; they use gdlib's default momentum 0.9.
# foreach=False selects torch's per-tensor loop, the algorithm its documentation spells out.
CASES = [
    ("SGD", torch.optim.SGD, dict(lr=0.1)),
    ("Momentum", torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    ("Momentum/μ=0.5", torch.optim.SGD, dict(lr=0.1, momentum=0.5)),
    ("Nesterov", torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Nesterov/μ=0.5", torch.optim.SGD, dict(lr=0.05, momentum=0.5, nesterov=True)),
    ("AdaGrad", torch.optim.Adagrad, dict(lr=0.1)),
    ("AdaGrad/lr_decay", torch.optim.Adagrad,
     dict(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.5, eps=1e-6)),
    ("RMSProp", torch.optim.RMSprop, dict(lr=0.01)),
    ("RMSProp/α=0.9", torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6)),
    ("Adadelta", torch.optim.Adadelta, dict(lr=1.0)),
    ("Adadelta/ρ=0.5", torch.optim.Adadelta, dict(lr=0.5, rho=0.5, eps=1e-3)),
    ("Adam", torch.optim.Adam, dict(lr=0.01)),
    ("Adam/β", torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6)),
    ("AdamW", torch.optim.AdamW, dict(lr=0.01)),
    ("AdamW/λ=0.1", torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
]


def flat(t):
    return [float(x) for x in t.detach().numpy().ravel()]


def main():
    rng = np.random.default_rng(SEED)
    init = {n: rng.normal(size=s) for n, s in SHAPES.items()}
    # Gradients of varied sizes, so that the adaptive optimizers scale them differently.
    grads = [{n: rng.normal(scale=0.5 * (k + 1), size=s) for n, s in SHAPES.items()} for k in range(STEPS)]

    cases = []
    for name, cls, kwargs in CASES:
        params = [torch.tensor(init[n], dtype=torch.float64, requires_grad=True) for n in NAMES]
        opt = cls(params, foreach=False, **kwargs)
        steps = []
        for g in grads:
            for p, n in zip(params, NAMES):
                p.grad = torch.tensor(g[n], dtype=torch.float64)
            opt.step()
            steps.append({n: flat(p) for p, n in zip(params, NAMES)})
        hyper = {k: v for k, v in opt.defaults.items() if v is not None}  # all of torch's settings
        cases.append({"name": name, "torch": cls.__name__, "hyper": hyper, "steps": steps})

    out = {
        "generator": "gdlib/testdata/torch_optim.py",
        "torch_version": torch.__version__,
        "numpy_seed": SEED,
        "shapes": {n: list(s) for n, s in SHAPES.items()},
        "init": {n: [float(x) for x in v.ravel()] for n, v in init.items()},
        "grads": [{n: [float(x) for x in g[n].ravel()] for n in NAMES} for g in grads],
        "cases": cases,
    }
    fixture.write("torch_optim.json", out)


if __name__ == "__main__":
    main()
