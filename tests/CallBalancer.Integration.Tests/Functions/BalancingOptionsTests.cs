using System.ComponentModel.DataAnnotations;
using CallBalancer.Core.Balancing;
using CallBalancer.Functions;

namespace CallBalancer.Integration.Tests.Functions;

/// <summary>The app's balancing options as the policy receives them.</summary>
public sealed class BalancingOptionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static ModeDecision Decide(QueueSettings settings, TimeSpan forecastAge)
    {
        var agents = Enumerable.Range(0, 10).Select(i => new AgentPresence($"a{i}", i < 5 ? AgentState.OnCall : AgentState.Available)).ToList();
        var forecast = Enumerable.Range(0, 8)
            .Select(k => new ForecastInterval(Now.AddMinutes(15 * k), 900, 30, 40) { LearnedThrough = Now - forecastAge })
            .ToList();
        return new ModePolicy().Decide(new RebalanceInput(new QueueSnapshot("q1", Now.AddSeconds(-2), 0, 0, agents), [], settings, Now) { Forecast = forecast });
    }

    [Fact]
    public void The_configured_stale_forecast_limit_reaches_the_policy_and_a_limit_out_of_range_is_refused()
    {
        var strict = new BalancingOptions { StaleForecastMinutes = 30 }.ToQueueSettings();
        var stale = Decide(strict, TimeSpan.FromMinutes(45));
        Assert.Equal("idle-reserve", stale.Rule);
        Assert.Contains("limit 30 min", stale.Explanation, StringComparison.Ordinal);
        Assert.NotEqual("idle-reserve", Decide(new BalancingOptions().ToQueueSettings(), TimeSpan.FromMinutes(45)).Rule);

        var results = new List<ValidationResult>();
        var tooShort = new BalancingOptions { StaleForecastMinutes = 10 };
        Assert.False(Validator.TryValidateObject(tooShort, new ValidationContext(tooShort), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(BalancingOptions.StaleForecastMinutes)));
    }
}
