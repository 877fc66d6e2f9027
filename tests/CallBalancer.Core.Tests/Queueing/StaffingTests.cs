using CallBalancer.Core.Queueing;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Queueing;

public sealed class StaffingTests
{
    [Fact]
    public void ErlangC_80_20_for_360_calls_per_hour_of_240s()
    {
        // reference_values.py: SL20 with 28 agents is 0.7613 (< 0.8), so 28 is not enough; the least N is the
        // first one above that meets 80% (the script gives SL20 = 0.84028 for 29 agents).
        var result = Staffing.ErlangC(QueueLoad.FromCallsPerHour(360, 240), StaffingTarget.EightyTwenty);
        Assert.Equal(29, result.Agents);
        Assert.True(result.Metrics.ServiceLevel >= 0.8);
        Assert.True(ErlangC.Evaluate(QueueLoad.FromCallsPerHour(360, 240), 28, 20).ServiceLevel < 0.8);
    }

    [Fact]
    public void ErlangA_needs_fewer_agents_than_ErlangC_and_honours_an_abandonment_ceiling()
    {
        var load = QueueLoad.FromCallsPerHour(360, 240);
        var a = Staffing.ErlangA(load, StaffingTarget.EightyTwenty, 120);
        // reference_values.py: Erlang A with 28 agents and 120 s patience answers 89.9% within 20 s.
        Assert.True(a.Agents <= 28);
        var strict = Staffing.ErlangA(load, StaffingTarget.EightyTwenty with { MaxAbandonment = 0.01 }, 120);
        Assert.True(strict.Metrics.AbandonmentProbability <= 0.01);
        Assert.True(ErlangA.Evaluate(load, strict.Agents - 1, 20, 120).AbandonmentProbability > 0.01
            || ErlangA.Evaluate(load, strict.Agents - 1, 20, 120).ServiceLevel < 0.8);
    }

    [Fact]
    public void Occupancy_ceiling_adds_agents()
    {
        var load = QueueLoad.FromCallsPerHour(3600, 300); // 300 Erlangs
        var plain = Staffing.ErlangC(load, StaffingTarget.EightyTwenty);
        var capped = Staffing.ErlangC(load, StaffingTarget.EightyTwenty with { MaxOccupancy = 0.85 });
        Assert.True(plain.Metrics.Occupancy > 0.85);
        Assert.Equal((int)Math.Ceiling(300 / 0.85), capped.Agents);
    }

    [Fact]
    public void No_traffic_needs_no_agents()
    {
        Assert.Equal(0, Staffing.ErlangC(new QueueLoad(0, 240), StaffingTarget.EightyTwenty).Agents);
    }

    [Property(MaxTest = 150)]
    public bool The_answer_is_the_least_agents_meeting_the_target(int loadSeed, int ahtSeed, int slSeed, int tSeed, int patienceSeed, bool abandon)
    {
        var a = 0.3 + (Math.Abs(loadSeed % 3000) * 0.7); // up to ~2,100 Erlangs
        var aht = 60 + Math.Abs(ahtSeed % 600);
        var load = new QueueLoad(a / aht, aht);
        var target = new StaffingTarget(0.5 + (Math.Abs(slSeed % 49) / 100.0), 5 + Math.Abs(tSeed % 60));
        double? patience = abandon ? 20 + Math.Abs(patienceSeed % 600) : null;
        var result = Staffing.Required(load, target, patience);
        QueueMetrics At(int n) => patience is { } p ? ErlangA.Evaluate(load, n, target.TargetSeconds, p) : ErlangC.Evaluate(load, n, target.TargetSeconds);
        return target.IsMetBy(At(result.Agents)) && (result.Agents == 0 || !target.IsMetBy(At(result.Agents - 1)));
    }
}
