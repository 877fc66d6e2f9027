using CallBalancer.Core.Queueing;
using CallBalancer.Core.Simulation;

namespace CallBalancer.Core.Tests.Simulation;

public sealed class ContactCentreSimulatorTests
{
    [Theory]
    [InlineData(360, 240, 28)]
    [InlineData(1800, 180, 95)]
    [InlineData(3600, 180, 185)]
    public void Poisson_arrivals_and_exponential_service_match_erlang_a(double callsPerHour, double aht, int agents)
    {
        var options = new SimulationOptions { SnapshotLagSeconds = 0 };
        var within = 0.0;
        var offered = 0.0;
        var abandoned = 0.0;
        for (var seed = 1; seed <= 4; seed++)
        {
            var day = SimulationTestDays.Poisson(callsPerHour, agents, new ExponentialServiceTimes(aht), seed, hours: 10);
            var r = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("service-only"), options with { Seed = seed });
            within += r.AnsweredWithinTarget;
            offered += r.OfferedCalls;
            abandoned += r.AbandonedCalls;
        }

        var model = ErlangA.Evaluate(QueueLoad.FromCallsPerHour(callsPerHour, aht), agents, 20, 180);
        Assert.InRange(within / offered, model.ServiceLevel - 0.03, model.ServiceLevel + 0.03);
        Assert.InRange(abandoned / offered, model.AbandonmentProbability - 0.01, model.AbandonmentProbability + 0.01);
    }
}
