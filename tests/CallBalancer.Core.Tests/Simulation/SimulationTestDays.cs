using CallBalancer.Core.Simulation;

namespace CallBalancer.Core.Tests.Simulation;

/// <summary>Synthetic days for the simulator tests.</summary>
internal static class SimulationTestDays
{
    /// <summary>
    /// A day of <paramref name="hours"/> from 08:00 with Poisson counts per 5-minute interval at a constant rate
    /// (so the arrivals are a Poisson process), a flat plan of <paramref name="agents"/> and the given service times.
    /// </summary>
    public static SimulationDay Poisson(double callsPerHour, int agents, IServiceTimeDistribution service, int seed, int hours = 8)
    {
        var random = new Random(seed);
        var offsets = new List<int>();
        var counts = new List<int>();
        for (var t = 8 * 3600; t < (8 + hours) * 3600; t += 300)
        {
            offsets.Add(t);
            counts.Add(PoissonSample(random, callsPerHour / 12));
        }

        var plan = new int[48];
        for (var s = 16; s < 16 + hours * 2; s++)
        {
            plan[s] = agents;
        }

        return new SimulationDay
        {
            Date = new DateOnly(2024, 1, 8),
            IntervalSeconds = 300,
            IntervalOffsets = offsets,
            Counts = counts,
            Staffing = new StaffingPlan(plan),
            ServiceTimes = service,
        };
    }

    private static int PoissonSample(Random random, double mean)
    {
        // Knuth's product method in chunks, adequate for means up to a few hundred.
        var k = 0;
        var remaining = mean;
        while (remaining > 0)
        {
            var step = Math.Min(remaining, 30);
            remaining -= step;
            var l = Math.Exp(-step);
            var p = random.NextDouble();
            while (p > l)
            {
                k++;
                p *= random.NextDouble();
            }
        }

        return k;
    }
}

/// <summary>A forecaster that expects the same count every interval (upper bound 10% above plus 2), for days of a known rate.</summary>
internal sealed class FlatForecaster(double callsPerInterval) : IIntradayForecaster
{
    public void Observe(int interval, int calls)
    {
    }

    public (double Expected, double Upper, double RateCv) Forecast(int interval) => (callsPerInterval, callsPerInterval * 1.1 + 2, 0);
}
