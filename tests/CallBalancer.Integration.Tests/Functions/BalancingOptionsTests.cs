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

    [Fact]
    public void The_configured_abandonment_cap_reaches_the_policy_and_a_cap_out_of_range_is_refused()
    {
        // 10 agents, 5 on calls, 120 calls/h of 180 s (6 Erlangs): some may cross-sell without a cap; a cap of 0.1% is
        // below what even service-only is predicted to lose, so nobody may.
        var capped = Decide(new BalancingOptions { MaxAbandonRate = 0.001 }.ToQueueSettings(), TimeSpan.FromMinutes(5));
        var uncapped = Decide(new BalancingOptions { MaxAbandonRate = 1 }.ToQueueSettings(), TimeSpan.FromMinutes(5));
        Assert.Equal(0.001, capped.Inputs["maxAbandonRate"]);
        Assert.Equal(0, capped.CrossSellAllowed);
        Assert.True(uncapped.CrossSellAllowed > 0, uncapped.Explanation);

        var results = new List<ValidationResult>();
        var negative = new BalancingOptions { MaxAbandonRate = -0.1 };
        Assert.False(Validator.TryValidateObject(negative, new ValidationContext(negative), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(BalancingOptions.MaxAbandonRate)));
    }
}
