#!/usr/bin/env python3
"""Reference values for the queueing tests, computed independently of the C# code with mpmath (50+ digits).

Run once:  python3 tests/CallBalancer.Core.Tests/Queueing/reference_values.py
Methods (deliberately different from the C# implementation):
  * Erlang B/C: the textbook factorial sums, in arbitrary precision.
  * Erlang A: P(W>0) and P(Ab) from Mandelbaum & Zeltyn's closed form with the lower incomplete gamma
    function A(x,y) = x e^y y^-x gamma(x,y) (Mandelbaum & Zeltyn 2005, "The Palm/Erlang-A queue", eq. for P{W>0}
    and P{Ab|W>0} = 1/(rho A) + 1 - 1/rho); the service level and ASA from the birth-death stationary law and,
    for each queue position, the hypoexponential law by partial fractions (exact in high precision).
"""
import mpmath as mp

mp.mp.dps = 60


def erlang_b(n, a):
    a = mp.mpf(a)
    num = a**n / mp.factorial(n)
    den = mp.fsum(a**k / mp.factorial(k) for k in range(n + 1))
    return num / den


def erlang_c(n, a, aht, t):
    a = mp.mpf(a)
    top = a**n / mp.factorial(n) * n / (n - a)
    c = top / (mp.fsum(a**k / mp.factorial(k) for k in range(n)) + top)
    sl = 1 - c * mp.e ** (-(n - a) * t / aht)
    asa = c * aht / (n - a)
    return c, sl, asa


def mz_A(x, y):
    # A(x, y) = x e^y / y^x * gamma_lower(x, y)
    return x * mp.e**y / y**x * mp.gammainc(x, 0, y)


def erlang_a_closed(n, lam, aht, patience):
    mu = 1 / mp.mpf(aht)
    theta = 1 / mp.mpf(patience)
    lam = mp.mpf(lam)
    e = erlang_b(n, lam / mu)
    big_a = mz_A(n * mu / theta, lam / theta)
    pw = big_a * e / (1 + (big_a - 1) * e)
    rho = lam / (n * mu)
    pab = (1 / (rho * big_a) + 1 - 1 / rho) * pw
    return pw, pab


def hypoexp_cdf(rates, t):
    # P(sum of independent Exp(rates) <= t), distinct rates, by partial fractions (needs high precision).
    total = mp.mpf(0)
    for i, ri in enumerate(rates):
        coef = mp.mpf(1)
        for k, rk in enumerate(rates):
            if k != i:
                coef *= rk / (rk - ri)
        total += coef * mp.e ** (-ri * t)
    return 1 - total


def erlang_a_birth_death(n, lam, aht, patience, t):
    mu = 1 / mp.mpf(aht)
    theta = 1 / mp.mpf(patience)
    lam = mp.mpf(lam)
    a = lam / mu
    below = [a**k / mp.factorial(k) for k in range(n)]  # states with an idle agent
    pin = a**n / mp.factorial(n)
    queue = []  # weights of n + j in system, j >= 0
    w = pin
    j = 0
    while True:
        if j > 0:
            w = w * lam / (n * mu + j * theta)
        queue.append(w)
        if lam < n * mu + j * theta and w < pin * mp.mpf(10) ** -40:
            break
        j += 1
    total = mp.fsum(below) + mp.fsum(queue)
    pw = mp.fsum(queue) / total
    pab = mp.fsum(queue[j] * (j + 1) * theta / (n * mu + (j + 1) * theta) for j in range(len(queue))) / total
    sl = mp.fsum(below) / total
    ans_wait = mp.mpf(0)
    answered = mp.fsum(below) / total
    for j, wj in enumerate(queue):
        q = n * mu / (n * mu + (j + 1) * theta)
        rates = [n * mu + (k + 1) * theta for k in range(j + 1)]
        if wj / total > mp.mpf(10) ** -25:
            sl += wj / total * q * hypoexp_cdf(rates, t)
        ans_wait += wj / total * q * mp.fsum(1 / r for r in rates)
        answered += wj / total * q
    return pw, pab, sl, ans_wait / answered


def show(label, value):
    print(f"{label} = {mp.nstr(value, 17)}")


if __name__ == "__main__":
    # Classic example: 360 calls/h, AHT 240 s (A = 24 Erlangs), 28 agents, 20 s.
    c, sl, asa = erlang_c(28, 24, 240, 20)
    show("C(28,24) P(wait)", c); show("C(28,24) SL20", sl); show("C(28,24) ASA", asa)
    show("B(28,24)", erlang_b(28, 24))
    # Westbay / CC-Excel walkthrough: 360 calls per half hour, 4 min calls (A = 48), 55 agents, 15 s.
    c, sl, asa = erlang_c(55, 48, 240, 15)
    show("C(55,48) P(wait)", c); show("C(55,48) SL15", sl); show("C(55,48) ASA", asa)
    # Large: A = 2000 Erlangs, 2050 agents, AHT 300 s, 20 s.
    c, sl, asa = erlang_c(2050, 2000, 300, 20)
    show("C(2050,2000) P(wait)", c); show("C(2050,2000) SL20", sl)
    show("B(10000,9800)", erlang_b(10000, 9800))
    # Erlang A: 360 calls/h, AHT 240 s, 28 agents, patience 120 s, 20 s.
    pw, pab = erlang_a_closed(28, mp.mpf(360) / 3600, 240, 120)
    show("A(28) closed P(wait)", pw); show("A(28) closed P(Ab)", pab)
    pw, pab, sl, asa = erlang_a_birth_death(28, mp.mpf(360) / 3600, 240, 120, 20)
    show("A(28) bd P(wait)", pw); show("A(28) bd P(Ab)", pab); show("A(28) bd SL20", sl); show("A(28) bd ASA", asa)
    # Erlang A overloaded: 360 calls/h, AHT 240 s, 22 agents (N < A), patience 60 s, 20 s.
    pw, pab = erlang_a_closed(22, mp.mpf(360) / 3600, 240, 60)
    show("A(22) closed P(wait)", pw); show("A(22) closed P(Ab)", pab)
    pw, pab, sl, asa = erlang_a_birth_death(22, mp.mpf(360) / 3600, 240, 60, 20)
    show("A(22) bd P(wait)", pw); show("A(22) bd P(Ab)", pab); show("A(22) bd SL20", sl); show("A(22) bd ASA", asa)
    # Erlang A at scale: 10,000 agents, 9,900 Erlangs (AHT 300 s), patience 180 s: closed form only.
    mp.mp.dps = 80
    pw, pab = erlang_a_closed(10000, mp.mpf(9900) / 300, 300, 180)
    show("A(10000) closed P(wait)", pw); show("A(10000) closed P(Ab)", pab)
    # Overloaded at scale: 1,900 agents for 2,000 Erlangs, patience 120 s.
    pw, pab = erlang_a_closed(1900, mp.mpf(2000) / 300, 300, 120)
    show("A(1900) closed P(wait)", pw); show("A(1900) closed P(Ab)", pab)
