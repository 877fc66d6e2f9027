using CallBalancer.Core.Queueing;
using CallBalancer.Core.Simulation;
using Xunit.Abstractions;

namespace CallBalancer.Core.Tests.Simulation;

public sealed class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public void Scratch()
    {
        var calls = BankCallRecordReader.Read(new StreamReader("/work/shared/data/anonymous_bank_1999_02_calls.csv"));
        var emp = new EmpiricalServiceTimes(calls.Where(c => c.IsAnsweredWithServiceTime).Select(c => c.ServiceSeconds));
        foreach (var (name, dist) in new (string, IServiceTimeDistribution)[] { ("exp", new ExponentialServiceTimes(emp.Mean)), ("emp", emp) })
        {
            foreach (var fixedCounts in new[] { false, true })
            {
                double w = 0, o = 0;
                for (var seed = 1; seed <= 3; seed++)
                {
                    var day = SimulationTestDays.Poisson(3800, 196, dist, seed, hours: 10);
                    if (fixedCounts)
                    {
                        day = day with { Counts = day.Counts.Select(_ => 3800 / 12).ToList() };
                    }

                    var r = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("service-only"), new SimulationOptions { Seed = seed });
                    w += r.AnsweredWithinTarget;
                    o += r.OfferedCalls;
                }

                output.WriteLine($"{name} fixed={fixedCounts} sim {w / o:0.000}");
            }
        }

        output.WriteLine($"erlangA {ErlangA.Evaluate(QueueLoad.FromCallsPerHour(3800, emp.Mean), 196, 20, 180).ServiceLevel:0.000} erlangA T16 {ErlangA.Evaluate(QueueLoad.FromCallsPerHour(3800, emp.Mean), 196, 15.9, 180).ServiceLevel:0.000}");
    }
}
