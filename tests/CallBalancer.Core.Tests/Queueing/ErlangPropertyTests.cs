using CallBalancer.Core.Queueing;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Queueing;

/// <summary>
/// Properties of Erlang B/C/A over generated queues. Generated integers are mapped onto realistic ranges
/// (loads from a fraction of an Erlang to hundreds, AHT 30 s to 15 min, patience 10 s to an hour).
/// </summary>
public sealed class ErlangPropertyTests
{
    private static double Load(int seed) => 0.2 + (Math.Abs(seed % 4000) * 0.05);            // 0.2 .. 200 Erlangs

    private static double Aht(int seed) => 30 + (Math.Abs(seed % 900));                        // 30 .. 929 s

    private static double Patience(int seed) => 10 + (Math.Abs(seed % 3600));                  // 10 .. 3609 s

    private static double Target(int seed) => Math.Abs(seed % 120);                             // 0 .. 119 s

    private static QueueLoad QueueOf(double erlangs, double aht) => new(erlangs / aht, aht);

    [Property(MaxTest = 200)]
    public bool ErlangB_falls_as_agents_are_added(int loadSeed, int agentSeed)
    {
        var a = Load(loadSeed);
        var n = Math.Abs(agentSeed % 400);
        return ErlangB.Blocking(n + 1, a) <= ErlangB.Blocking(n, a);
    }

    [Property(MaxTest = 200)]
    public bool ErlangC_improves_as_agents_are_added(int loadSeed, int ahtSeed, int targetSeed, int extraSeed)
    {
        var a = Load(loadSeed);
        var aht = Aht(ahtSeed);
        var t = Target(targetSeed);
        var n = (int)Math.Floor(a) + 1 + Math.Abs(extraSeed % 40);
        var load = QueueOf(a, aht);
        var m = ErlangC.Evaluate(load, n, t);
        var more = ErlangC.Evaluate(load, n + 1, t);
        return more.ProbabilityOfWaiting <= m.ProbabilityOfWaiting
            && more.ServiceLevel >= m.ServiceLevel
            && more.AverageSpeedOfAnswerSeconds <= m.AverageSpeedOfAnswerSeconds
            && more.Occupancy < m.Occupancy;
    }

    [Property(MaxTest = 200)]
    public bool ErlangA_improves_as_agents_are_added(int loadSeed, int ahtSeed, int patienceSeed, int targetSeed, int agentSeed)
    {
        var a = Load(loadSeed);
        var load = QueueOf(a, Aht(ahtSeed));
        var n = Math.Abs(agentSeed % ((int)(2 * a) + 5));
        var p = Patience(patienceSeed);
        var t = Target(targetSeed);
        var m = ErlangA.Evaluate(load, n, t, p);
        var more = ErlangA.Evaluate(load, n + 1, t, p);
        const double slack = 1e-12;
        return more.ProbabilityOfWaiting <= m.ProbabilityOfWaiting + slack
            && more.AbandonmentProbability <= m.AbandonmentProbability + slack
            && more.ServiceLevel >= m.ServiceLevel - slack;
    }

    [Property(MaxTest = 100)]
    public bool ErlangC_wait_vanishes_with_many_agents(int loadSeed, int ahtSeed)
    {
        var a = Load(loadSeed);
        var load = QueueOf(a, Aht(ahtSeed));
        var many = (int)Math.Ceiling(a + (12 * Math.Sqrt(a)) + 30);
        var m = ErlangC.Evaluate(load, many, 20);
        return m.ProbabilityOfWaiting < 1e-9 && m.ServiceLevel > 1 - 1e-9 && ErlangC.Evaluate(load, 10 * many, 20).ProbabilityOfWaiting < 1e-100;
    }

    [Property(MaxTest = 100)]
    public bool ErlangC_is_unstable_when_agents_do_not_exceed_the_load(int loadSeed, int ahtSeed, int deficitSeed)
    {
        var a = Load(loadSeed) + 1;
        var n = Math.Max(0, (int)Math.Floor(a) - Math.Abs(deficitSeed % 5));
        var m = ErlangC.Evaluate(QueueOf(a, Aht(ahtSeed)), n, 20);
        return !m.IsStable && m.ProbabilityOfWaiting == 1 && m.ServiceLevel == 0 && double.IsPositiveInfinity(m.AverageSpeedOfAnswerSeconds);
    }

    [Property(MaxTest = 100)]
    public bool ErlangA_tends_to_ErlangC_as_patience_grows(int loadSeed, int ahtSeed, int targetSeed, int extraSeed)
    {
        var a = Load(loadSeed);
        var aht = Aht(ahtSeed);
        var t = Target(targetSeed);
        var n = (int)Math.Ceiling(a / 0.95) + Math.Abs(extraSeed % 10); // utilisation at most 95%
        var load = QueueOf(a, aht);
        var c = ErlangC.Evaluate(load, n, t);
        var nearC = ErlangA.Evaluate(load, n, t, aht * 1e7);
        var lessPatient = ErlangA.Evaluate(load, n, t, aht * 1e3);
        var errNear = Math.Abs(nearC.ServiceLevel - c.ServiceLevel) + Math.Abs(nearC.ProbabilityOfWaiting - c.ProbabilityOfWaiting);
        var errLess = Math.Abs(lessPatient.ServiceLevel - c.ServiceLevel) + Math.Abs(lessPatient.ProbabilityOfWaiting - c.ProbabilityOfWaiting);
        return errNear < 1e-5 && errNear <= errLess + 1e-12
            && Math.Abs(nearC.AverageSpeedOfAnswerSeconds - c.AverageSpeedOfAnswerSeconds) <= 1e-4 * (1 + c.AverageSpeedOfAnswerSeconds);
    }

    [Property(MaxTest = 60)]
    public bool ErlangA_agrees_with_an_independent_birth_death_computation(int loadSeed, int ahtSeed, int patienceSeed, int targetSeed, int agentSeed)
    {
        var a = 0.2 + (Math.Abs(loadSeed % 600) * 0.1); // up to 60 Erlangs keeps the reference quick
        var aht = Aht(ahtSeed);
        var n = Math.Abs(agentSeed % ((int)(1.5 * a) + 3));
        var p = Patience(patienceSeed);
        var t = Target(targetSeed);
        var load = QueueOf(a, aht);
        var m = ErlangA.Evaluate(load, n, t, p);
        var r = BirthDeathReference.Solve(load.ArrivalRatePerSecond, aht, n, p, t);
        return Near(r.ProbWait, m.ProbabilityOfWaiting) && Near(r.ProbAbandon, m.AbandonmentProbability)
            && Near(r.ServiceLevel, m.ServiceLevel)
            && Near(r.MeanQueue / load.ArrivalRatePerSecond, m.AverageWaitSeconds);
    }

    [Property(MaxTest = 60)]
    public bool ErlangC_agrees_with_an_independent_birth_death_computation(int loadSeed, int ahtSeed, int targetSeed, int extraSeed)
    {
        var a = 0.2 + (Math.Abs(loadSeed % 600) * 0.1);
        var aht = Aht(ahtSeed);
        var n = (int)Math.Ceiling(a / 0.97) + Math.Abs(extraSeed % 8);
        var t = Target(targetSeed);
        var load = QueueOf(a, aht);
        var m = ErlangC.Evaluate(load, n, t);
        var r = BirthDeathReference.Solve(load.ArrivalRatePerSecond, aht, n, double.PositiveInfinity, t);
        return Near(r.ProbWait, m.ProbabilityOfWaiting) && Near(r.ServiceLevel, m.ServiceLevel)
            && Near(r.MeanQueue / load.ArrivalRatePerSecond, m.AverageSpeedOfAnswerSeconds);
    }

    [Property(MaxTest = 50)]
    public bool Large_centres_stay_finite_and_in_range(int loadSeed, int ahtSeed, int agentSeed, int patienceSeed)
    {
        var a = 500 + Math.Abs(loadSeed % 9500);           // 500 .. 10,000 Erlangs
        var n = (int)(a * 0.9) + Math.Abs(agentSeed % (int)(0.3 * a));
        var load = QueueOf(a, Aht(ahtSeed));
        var c = ErlangC.Evaluate(load, n, 20);
        var e = ErlangA.Evaluate(load, n, 20, Patience(patienceSeed));
        return InRange(c.ProbabilityOfWaiting) && InRange(c.ServiceLevel)
            && InRange(e.ProbabilityOfWaiting) && InRange(e.ServiceLevel) && InRange(e.AbandonmentProbability)
            && double.IsFinite(e.AverageSpeedOfAnswerSeconds) && e.ServiceLevel >= c.ServiceLevel - 1e-12;
    }

    private static bool InRange(double p) => p >= 0 && p <= 1 && !double.IsNaN(p);

    private static bool Near(double expected, double actual) =>
        Math.Abs(expected - actual) <= 1e-9 + (1e-7 * Math.Abs(expected));
}
