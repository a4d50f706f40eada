#!/usr/bin/python3
"""Reference learning rates for gdlib's schedules, from torch.optim.lr_scheduler (gdlib/schedule_test.go reads them).

For each scheduler setting in CASES, the script makes a torch.optim.SGD with learning rate BASE
and steps it as a training loop does, once per epoch: record the learning rate the optimizer
holds during epoch t, then optimizer.step() and scheduler.step(). So the values are what torch
actually produces over the epochs (its recursive form, where CosineAnnealingLR's closed form
would differ by rounding), for EPOCHS epochs, beyond T_max for the cosine. The learning rates go
to torch_lr.json.

Regenerate (torch is needed only for this, never by the Go tests or CI):

    apt-get update && apt-get install -y python3-torch   # Debian 12: torch 1.13
    cd gdlib/testdata && /usr/bin/python3 torch_lr.py    # rewrites torch_lr.json
"""

import torch
from torch.optim import lr_scheduler

import fixture

EPOCHS = 45

# name, base learning rate, scheduler class, its keyword arguments. Names match the table in
# schedule_test.go.
CASES = [
    ("StepLR/s=3,γ=0.5", 0.1, lr_scheduler.StepLR, dict(step_size=3, gamma=0.5)),
    ("StepLR/s=10", 0.07, lr_scheduler.StepLR, dict(step_size=10)),  # torch's default γ = 0.1
    ("StepLR/s=1,γ=0.9", 0.07, lr_scheduler.StepLR, dict(step_size=1, gamma=0.9)),
    ("ExponentialLR/γ=0.9", 0.1, lr_scheduler.ExponentialLR, dict(gamma=0.9)),
    ("ExponentialLR/γ=0.5", 0.07, lr_scheduler.ExponentialLR, dict(gamma=0.5)),
    ("ExponentialLR/γ=1", 0.07, lr_scheduler.ExponentialLR, dict(gamma=1.0)),
    ("CosineAnnealingLR/T=10", 0.1, lr_scheduler.CosineAnnealingLR, dict(T_max=10)),
    ("CosineAnnealingLR/T=7,min=0.001", 0.07, lr_scheduler.CosineAnnealingLR, dict(T_max=7, eta_min=0.001)),
    ("CosineAnnealingLR/T=1,min=0.01", 0.07, lr_scheduler.CosineAnnealingLR, dict(T_max=1, eta_min=0.01)),
    ("CosineAnnealingLR/T=20,min=0.005", 0.1, lr_scheduler.CosineAnnealingLR, dict(T_max=20, eta_min=0.005)),
]


def main():
    cases = []
    for name, base, cls, kwargs in CASES:
        w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([w], lr=base)
        sched = cls(opt, **kwargs)
        lrs = []
        for _ in range(EPOCHS):
            lrs.append(opt.param_groups[0]["lr"])  # the learning rate of this epoch
            w.grad = torch.ones_like(w)
            opt.step()    # the epoch's training (one step stands for all of them)
            sched.step()  # after the epoch, as torch's documentation shows
        cases.append({"name": name, "torch": cls.__name__, "base": base, "args": kwargs, "lrs": lrs})

    out = {
        "generator": "gdlib/testdata/torch_lr.py",
        "torch_version": torch.__version__,
        "epochs": EPOCHS,
        "cases": cases,
    }
    fixture.write("torch_lr.json", out)


if __name__ == "__main__":
    main()
