// The core is pure domain code: no Azure package, no I/O, time from an injected TimeProvider.
