"""numpy reference of gdbench's workloads: the same maths as gdlib, written the numpy way.

gdbench (main.go beside this file) writes the workloads, their initial parameters and their data
to a folder, runs this script on it with Debian's numpy, and compares times and results:

    /usr/bin/python3 numpy_ref.py DIR

DIR/spec.json lists the workloads; each array is a file DIR/<workload>.<name>.f64 of
little-endian float64 in row-major order. The script times every workload `repeat` times from the
same start and writes DIR/<workload>.out.<name>.f64 (the final W1, b1, W2, b2 of the first run)
and prints one JSON object: per workload the seconds of each run and the losses of the first run,
and which BLAS numpy uses with how many threads.

Workloads, as the lesson (Section4: 勾配降下法) writes its numpy code:
  sgd        the lesson's SGD loop: one sample per step, x of shape (2,), W2 of shape (10,),
             b2 a scalar, forward2/backward2 with batch_size == 1; the one fix is the ReLU
             derivative (the lesson calls d_sigmoid on a ReLU layer).
  minibatch  the lesson's mini-batch loop, vectorized and corrected: each step copies the next
             batch_size samples from the lesson's list of {'x', 'd'} dicts into xs and ds, as the
             lesson does, and backpropagates the batch mean (the lesson's code copies one sample
             too few and keeps one "representative" sample of the batch).
  slices     the same step on rows sliced from one array, X[i:i+batch], without the lesson's copy
             loop: numpy at its best on this problem.
  adam       the same vectorized step on a larger network, updated by Adam as torch.optim.Adam
             (and gdlib.Adam) compute it.
"""

import json
import os
import sys
import time

import numpy as np


# The course's common/functions.py, the functions the lesson imports.
def relu(x):
    return np.maximum(0, x)


def d_relu(x):
    return np.where(x > 0, 1, 0)


def mean_squared_error(d, y):
    return np.mean(np.square(d - y)) / 2


def d_mean_squared_error(d, y):
    if type(d) == np.ndarray:
        batch_size = d.shape[0]
        dx = (y - d) / batch_size
    else:
        dx = y - d
    return dx


# sgd: the lesson's forward2 and backward2 (batch_size == 1 branch), ReLU derivative fixed.
def forward2(network, x):
    W1, W2 = network['W1'], network['W2']
    b1, b2 = network['b1'], network['b2']
    u1 = np.dot(x, W1) + b1
    z1 = relu(u1)
    u2 = np.dot(z1, W2) + b2
    y = u2
    return z1, y


def backward2(network, x, d, z1, y):
    grad = {}
    W2 = network['W2']
    delta2 = d_mean_squared_error(d, y)
    grad['b2'] = np.sum(delta2, axis=0)
    grad['W2'] = np.dot(z1.T, delta2)
    delta1 = np.dot(delta2, W2.T) * d_relu(z1)  # the lesson: functions.d_sigmoid(z1)
    delta1 = delta1[np.newaxis, :]
    grad['b1'] = np.sum(delta1, axis=0)
    x = x[np.newaxis, :]
    grad['W1'] = np.dot(x.T, delta1)
    return grad


def run_sgd(w, xs, ds, lr):
    # The lesson's shapes: W2 is a vector, b2 a scalar, each sample x a vector and d a number.
    network = {'W1': w['W1'].copy(), 'W2': w['W2'].reshape(-1).copy(),
               'b1': w['b1'].reshape(-1).copy(), 'b2': np.float64(w['b2'][0, 0])}
    data_sets = [{'x': x, 'd': d} for x, d in zip(xs, ds[:, 0])]
    losses = []
    start = time.perf_counter()
    for dataset in data_sets:
        x, d = dataset['x'], dataset['d']
        z1, y = forward2(network, x)
        grad = backward2(network, x, d, z1, y)
        for key in ('W1', 'W2', 'b1', 'b2'):
            network[key] -= lr * grad[key]
        loss = mean_squared_error(d, y)
        losses.append(loss)
    seconds = time.perf_counter() - start
    final = {'W1': network['W1'], 'b1': network['b1'].reshape(1, -1),
             'W2': network['W2'].reshape(-1, 1), 'b2': np.array([[network['b2']]])}
    return seconds, losses, final


# minibatch and adam: the step vectorized over a batch of rows, with the gradient of the batch mean.
def gradient(network, x, d):
    W1, W2 = network['W1'], network['W2']
    b1, b2 = network['b1'], network['b2']
    u1 = np.dot(x, W1) + b1
    z1 = relu(u1)
    y = np.dot(z1, W2) + b2
    grad = {}
    delta2 = (y - d) / y.size  # ∂E/∂y of E = mean((y − d)²)/2 over every sample and output
    grad['b2'] = np.sum(delta2, axis=0)
    grad['W2'] = np.dot(z1.T, delta2)
    delta1 = np.dot(delta2, W2.T) * d_relu(z1)
    grad['b1'] = np.sum(delta1, axis=0)
    grad['W1'] = np.dot(x.T, delta1)
    return grad, mean_squared_error(d, y)


def batches(xs, ds, batch, epochs):
    for _ in range(epochs):
        for i in range(0, len(xs), batch):
            yield xs[i:i + batch], ds[i:i + batch]


def run_minibatch(w, xs_all, ds_all, lr, batch_size, epochs):
    network = {k: (v.reshape(-1) if k in ('b1', 'b2') else v).copy() for k, v in w.items()}
    random_datasets = [{'x': x, 'd': d} for x, d in zip(xs_all, ds_all)]
    data_num = len(random_datasets)
    xs = np.empty((batch_size, xs_all.shape[1]))
    ds = np.empty((batch_size, ds_all.shape[1]))
    losses = []
    start = time.perf_counter()
    for _ in range(epochs):
        for idx_d in range(0, data_num, batch_size):
            batch_dataset = random_datasets[idx_d:idx_d + batch_size]  # the lesson: … + batch_size - 1
            for idx_b in range(batch_size):                             # the lesson: batch_size - 1
                xs[idx_b] = batch_dataset[idx_b]['x']
                ds[idx_b] = batch_dataset[idx_b]['d']
            grad, loss = gradient(network, xs, ds)
            for key in ('W1', 'W2', 'b1', 'b2'):
                network[key] -= lr * grad[key]
            losses.append(loss)
    seconds = time.perf_counter() - start
    return seconds, losses, network


def run_slices(w, xs, ds, lr, batch, epochs):
    network = {k: (v.reshape(-1) if k in ('b1', 'b2') else v).copy() for k, v in w.items()}
    losses = []
    start = time.perf_counter()
    for x, d in batches(xs, ds, batch, epochs):
        grad, loss = gradient(network, x, d)
        for key in ('W1', 'W2', 'b1', 'b2'):
            network[key] -= lr * grad[key]
        losses.append(loss)
    seconds = time.perf_counter() - start
    return seconds, losses, network


def run_adam(w, xs, ds, lr, batch, epochs, beta1=0.9, beta2=0.999, eps=1e-8):
    network = {k: (v.reshape(-1) if k in ('b1', 'b2') else v).copy() for k, v in w.items()}
    m = {k: np.zeros_like(v) for k, v in network.items()}
    v = {k: np.zeros_like(p) for k, p in network.items()}
    t = 0
    losses = []
    start = time.perf_counter()
    for x, d in batches(xs, ds, batch, epochs):
        grad, loss = gradient(network, x, d)
        t += 1
        c1 = 1 - beta1 ** t           # 1 − β1^t
        c2 = np.sqrt(1 - beta2 ** t)  # √(1 − β2^t)
        for key in ('W1', 'W2', 'b1', 'b2'):
            g, mk, vk = grad[key], m[key], v[key]
            mk *= beta1                # m ← β1·m + (1 − β1)·g
            mk += (1 - beta1) * g
            vk *= beta2                # v ← β2·v + (1 − β2)·g²
            vk += (1 - beta2) * g * g
            step = mk / c1             # m̂ / (√v / √(1 − β2^t) + eps)
            step /= np.sqrt(vk) / c2 + eps
            network[key] -= lr * step  # w ← w − ε·step
        losses.append(loss)
    seconds = time.perf_counter() - start
    return seconds, losses, network


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{'note': 'threadpoolctl not installed: apt-get install python3-threadpoolctl'}]
    return [{k: i.get(k) for k in ('internal_api', 'version', 'architecture', 'num_threads', 'filepath')}
            for i in threadpool_info()]


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, 'spec.json')) as f:
        spec = json.load(f)

    def load(name, shape):
        return np.fromfile(os.path.join(folder, name + '.f64'), dtype='<f8').reshape(shape)

    results = {}
    for wl in spec['workloads']:
        name = wl['name']
        arrays = {a: load(name + '.' + a, wl['shapes'][a]) for a in wl['shapes']}
        w = {k: arrays[k] for k in ('W1', 'b1', 'W2', 'b2')}
        xs, ds = arrays['X'], arrays['D']
        runs, first = [], None
        for _ in range(wl['repeat']):
            if wl['kind'] == 'sgd':
                out = run_sgd(w, xs, ds, wl['lr'])
            elif wl['kind'] == 'minibatch':
                out = run_minibatch(w, xs, ds, wl['lr'], wl['batch'], wl['epochs'])
            elif wl['kind'] == 'slices':
                out = run_slices(w, xs, ds, wl['lr'], wl['batch'], wl['epochs'])
            elif wl['kind'] == 'adam':
                out = run_adam(w, xs, ds, wl['lr'], wl['batch'], wl['epochs'])
            else:
                raise SystemExit('numpy_ref.py: unknown workload kind ' + wl['kind'])
            runs.append(out[0])
            if first is None:
                first = out
        for key, value in first[2].items():
            np.asarray(value, dtype='<f8').tofile(os.path.join(folder, name + '.out.' + key + '.f64'))
        results[name] = {'seconds': runs, 'losses': [float(x) for x in first[1]]}
    json.dump({'numpy': np.__version__, 'python': sys.version.split()[0], 'blas': blas_info(),
               'results': results}, sys.stdout)


if __name__ == '__main__':
    main()
