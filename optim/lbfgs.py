"""L-BFGS: a quasi-Newton method from the last ``history_size`` steps and gradient changes,
optionally with a strong-Wolfe line search (the algorithm of Nocedal and Wright, ch. 3, 7,
as in Mark Schmidt's minFunc, which PyTorch's LBFGS follows)."""

import functools

import numpy as np

from autograd.tensor import Tensor, version_counter

from ._functional import check_nonnegative
from .optimizer import Optimizer


class LBFGS(Optimizer):
    """L-BFGS, PyTorch's algorithm step for step; ``step(closure)`` runs up to ``max_iter``
    iterations, each re-evaluating the model through ``closure``.

    Direction: the two-loop recursion over the stored pairs (s_k = step, y_k = gradient
    change, kept when y_k . s_k > 1e-10), starting from H_0 = (y.s / y.y) I; the first
    iteration steps by min(1, 1 / |g|_1) * lr along -g, later ones by lr, or by the step a
    strong-Wolfe line search finds (``line_search_fn="strong_wolfe"``). Iterations stop at
    ``max_iter``, ``max_eval`` closure calls, max |g| <= tolerance_grad, or changes in the
    step or the loss below tolerance_change.

    All parameters form one group; the state lives under the first parameter.

    >>> opt = optim.LBFGS(model.parameters(), line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = loss_fn(model(x), y)
    ...     loss.backward()
    ...     return loss
    >>> opt.step(closure)
    """

    def __init__(
        self,
        params,
        lr=1,
        max_iter=20,
        max_eval=None,
        tolerance_grad=1e-7,
        tolerance_change=1e-9,
        history_size=100,
        line_search_fn=None,
    ):
        check_nonnegative("learning rate", lr)
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(
                f"only 'strong_wolfe' is supported, got line_search_fn={line_search_fn!r}"
            )
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_iter * 5 // 4 if max_eval is None else max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self):
        """All gradients in one vector (zeros where a gradient is None)."""
        return np.concatenate(
            [
                np.zeros(p.data.size, p.data.dtype) if p.grad is None else p.grad.data.ravel()
                for p in self._params
            ]
        )

    def _add_to_params(self, step_size, direction):
        """p <- p + step_size * direction (the slice of the flat vector that is p's)."""
        offset = 0
        for param in self._params:
            size = param.data.size
            param.data += step_size * direction[offset : offset + size].reshape(param.data.shape)
            offset += size
            version_counter(param)[0] += 1

    def _set_params(self, saved):
        for param, array in zip(self._params, saved):
            np.copyto(param.data, array)
            version_counter(param)[0] += 1

    def _evaluate_at(self, closure, saved, step_size, direction):
        """Loss and flat gradient at saved + step_size * direction; the parameters are
        restored to ``saved`` afterwards."""
        self._add_to_params(step_size, direction)
        loss = float(self._evaluate(closure))
        flat_grad = self._flat_grad()
        self._set_params(saved)
        return loss, flat_grad

    def step(self, closure):
        """Run up to ``max_iter`` L-BFGS iterations; returns the loss at the starting point.

        Its arithmetic runs with NumPy's floating-point warnings off (an inf gradient gives
        NaN, silently, as in PyTorch); the closure runs with the caller's settings."""
        self._caller_errstate = np.geterr()
        with np.errstate(all="ignore"):
            return self._iterate(closure)

    def _evaluate(self, closure):
        with np.errstate(**self._caller_errstate):
            return super()._evaluate(closure)

    def _iterate(self, closure):
        if closure is None:
            raise RuntimeError(
                "LBFGS.step needs a closure that re-evaluates the model and returns the loss"
            )
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        original_loss = self._evaluate(closure)
        loss = float(original_loss)
        evaluations = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return original_loss

        memory = _Memory(state)
        direction = memory.direction_taken
        iteration = 0
        while iteration < max_iter:
            iteration += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                memory.reset()
                direction = -flat_grad
            else:
                memory.update(flat_grad - memory.prev_flat_grad, direction * memory.t, group)
                direction = memory.direction(flat_grad)
            memory.prev_flat_grad = flat_grad.copy()
            memory.prev_loss = loss
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr
            else:
                t = lr
            memory.t = t  # kept even if the iteration stops here, as PyTorch keeps it
            slope = flat_grad.dot(direction)
            if slope > -tolerance_change:
                break
            if group["line_search_fn"] is not None:
                saved = [p.data.copy() for p in self._params]
                loss, flat_grad, t, line_evaluations = _strong_wolfe(
                    functools.partial(self._evaluate_at, closure, saved, direction=direction),
                    t,
                    direction,
                    loss,
                    flat_grad,
                    slope,
                    max_ls=max_eval - evaluations,  # the search spends what max_eval leaves
                )
                self._add_to_params(t, direction)
                converged = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_to_params(t, direction)
                line_evaluations = 0
                converged = False
                if iteration != max_iter:
                    loss = float(self._evaluate(closure))
                    flat_grad = self._flat_grad()
                    converged = np.abs(flat_grad).max() <= tolerance_grad
                    line_evaluations = 1
            memory.t = t
            evaluations += line_evaluations
            state["func_evals"] += line_evaluations
            if iteration == max_iter or evaluations >= max_eval or converged:
                break
            if np.abs(direction * t).max() <= tolerance_change:
                break
            if abs(loss - memory.prev_loss) < tolerance_change:
                break
        memory.direction_taken = direction
        memory.save(state)
        return original_loss


class _Memory:
    """The L-BFGS history: pairs (y, s), ro = 1 / y.s, the initial Hessian scale, and what
    the next iteration needs (last direction d, step t, gradient, loss)."""

    def __init__(self, state):
        self.old_dirs = [y.data for y in state.get("old_dirs", [])]
        self.old_stps = [s.data for s in state.get("old_stps", [])]
        self.ro = list(state.get("ro", []))
        self.H_diag = state.get("H_diag", 1)
        self.direction_taken = _array(state.get("d"))
        self.t = state.get("t")
        self.prev_flat_grad = _array(state.get("prev_flat_grad"))
        self.prev_loss = state.get("prev_loss")

    def reset(self):
        self.old_dirs, self.old_stps, self.ro, self.H_diag = [], [], [], 1

    def update(self, y, s, group):
        """Keep the pair if the curvature condition y.s > 1e-10 holds (dropping the oldest
        beyond history_size) and rescale H_0."""
        ys = y.dot(s)
        if ys > 1e-10:
            if len(self.old_dirs) == group["history_size"]:
                del self.old_dirs[0], self.old_stps[0], self.ro[0]
            self.old_dirs.append(y)
            self.old_stps.append(s)
            self.ro.append(1.0 / ys)
            self.H_diag = ys / y.dot(y)

    def direction(self, flat_grad):
        """-H g by the two-loop recursion."""
        q = -flat_grad
        alphas = [None] * len(self.old_dirs)
        for i in reversed(range(len(self.old_dirs))):
            alphas[i] = self.old_stps[i].dot(q) * self.ro[i]
            q += -alphas[i] * self.old_dirs[i]
        r = q * self.H_diag
        for i in range(len(self.old_dirs)):
            beta = self.old_dirs[i].dot(r) * self.ro[i]
            r += (alphas[i] - beta) * self.old_stps[i]
        return r

    def save(self, state):
        state["d"] = Tensor._make(self.direction_taken)
        state["t"] = self.t
        state["old_dirs"] = [Tensor._make(y) for y in self.old_dirs]
        state["old_stps"] = [Tensor._make(s) for s in self.old_stps]
        state["ro"] = self.ro
        state["H_diag"] = self.H_diag
        state["prev_flat_grad"] = Tensor._make(self.prev_flat_grad)
        state["prev_loss"] = self.prev_loss


def _array(value):
    return None if value is None else value.data


def _cubic_minimum(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clipped
    to ``bounds`` (default: between x1 and x2); their midpoint if the cubic has none."""
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = d2_square**0.5
    if x1 <= x2:
        position = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        position = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(position, low), high)


def _strong_wolfe(evaluate, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """A step t along d meeting the strong Wolfe conditions (sufficient decrease c1,
    curvature c2): bracket by extrapolation, then zoom by cubic interpolation.
    ``evaluate(t)`` returns (loss, flat gradient). Returns (loss, gradient, t, evaluations).
    """
    d_norm = np.abs(d).max()
    f_new, g_new = evaluate(t)
    evaluations = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    iteration = 0
    while iteration < max_ls:
        if f_new > f + c1 * t * gtd or (iteration > 1 and f_new >= f_prev):
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new, gtd_new]]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket = [[t, f_new, g_new, gtd_new]]
            done = True
            break
        if gtd_new >= 0:
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new, gtd_new]]
            break
        t_next = _cubic_minimum(
            t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(t + 0.01 * (t - t_prev), t * 10)
        )
        t_prev, f_prev, g_prev, gtd_prev = t, f_new, g_new, gtd_new
        t = t_next
        f_new, g_new = evaluate(t)
        evaluations += 1
        gtd_new = g_new.dot(d)
        iteration += 1
    if iteration == max_ls:
        bracket = [[0, f, g, gtd], [t, f_new, g_new, gtd_new]]

    # Zoom: shrink the bracket [low, high] until a point meets both conditions.
    insufficient_progress = False
    low, high = (0, 1) if bracket[0][1] <= bracket[-1][1] else (1, 0)
    while not done and iteration < max_ls:
        (t0, f0, _, gtd0), (t1, f1, _, gtd1) = bracket
        if abs(t1 - t0) * d_norm < tolerance_change:
            break
        t = _cubic_minimum(t0, f0, gtd0, t1, f1, gtd1)
        top, bottom = max(t0, t1), min(t0, t1)
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:
            # Too near an end: move it inside, unless the last try was not near one.
            if insufficient_progress or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        f_new, g_new = evaluate(t)
        evaluations += 1
        gtd_new = g_new.dot(d)
        iteration += 1
        if f_new > f + c1 * t * gtd or f_new >= bracket[low][1]:
            bracket[high] = [t, f_new, g_new, gtd_new]
            low, high = (0, 1) if bracket[0][1] <= bracket[1][1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high][0] - bracket[low][0]) >= 0:
                bracket[high] = bracket[low]
            bracket[low] = [t, f_new, g_new, gtd_new]
    t, f_new, g_new, _ = bracket[low]
    return f_new, g_new, t, evaluations
