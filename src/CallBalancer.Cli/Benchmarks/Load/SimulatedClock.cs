namespace CallBalancer.Cli.Benchmarks.Load;

/// <summary>
/// The load simulation's wall clock: the time the app reads (<see cref="GetUtcNow"/>) moves only when the simulation
/// advances it, one simulated second at a time, however long that second's work takes here. Timers and delays
/// (Polly's retry back-off, for instance) still run in real time, so nothing waits for a clock that never moves.
/// </summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
