using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CallBalancer.Storage;

namespace CallBalancer.Infra.Tests;

/// <summary>The operational alert rules (infra/modules/alerts.bicep) as compiled: what they watch and where they go.</summary>
[Collection(InfraCollection.Name)]
[Trait("Category", "Infra")]
public sealed partial class AlertTests(CompiledTemplateFixture fixture)
{
    private readonly CompiledTemplate template = fixture.Template;

    // The rules are a copy loop over a variable: read the variable's entries.
    private JsonArray Alerts()
    {
        var rules = template.SingleOfType("Microsoft.Insights/scheduledQueryRules");
        return rules.Scope.Template["variables"]!["alerts"]!.AsArray();
    }

    private static IReadOnlySet<string> FunctionNames() =>
        Directory.EnumerateFiles(RepositoryRoot.Combine("src", "CallBalancer.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => FunctionAttribute().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_rule_is_an_enabled_log_alert_on_the_application_insights_component()
    {
        var rules = template.SingleOfType("Microsoft.Insights/scheduledQueryRules");
        Assert.Equal("LogAlert", rules.ResolvedString("kind"));
        Assert.True(rules.Resolved("properties/enabled")!.GetValue<bool>());
        var scope = Assert.Single(rules.Properties!["scopes"]!.AsArray())!.GetValue<string>();
        Assert.Contains("parameters('applicationInsightsId')", scope, StringComparison.Ordinal);
        ModuleOutput.AssertReferences(ResourceTests.ModuleParameter(rules.Scope, "applicationInsightsId"), "monitoring", "applicationInsightsId");
        Assert.Equal(
            ["forecast-stalled", "nightly-job-failed", "rebalance-queue-failures", "rebalance-stalled", "server-errors", "storage-unavailable"],
            Alerts().Select(a => a!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_rules_name_functions_the_app_has_and_metrics_it_emits()
    {
        var functions = FunctionNames();
        Assert.Contains("Rebalance", functions); // the regex finds the app's functions at all
        foreach (var alert in Alerts())
        {
            var query = alert!["query"]!.GetValue<string>();
            foreach (Match m in QuotedName().Matches(query))
            {
                var name = m.Groups[1].Value;
                var known = functions.Contains(name)
                    || name is CallBalancerTelemetry.RebalanceFailuresMetric or CallBalancerTelemetry.HttpRequestsMetric or CallBalancerTelemetry.OutcomeTag
                        or CallBalancerTelemetry.UnavailableOutcome;
                Assert.True(known, $"Alert {alert["name"]} queries '{name}', which is neither a function nor a metric of the app.");
            }
        }

        var byName = Alerts().ToDictionary(a => a!["name"]!.GetValue<string>(), a => a!["query"]!.GetValue<string>());
        Assert.Contains("\"Rebalance\"", byName["rebalance-stalled"], StringComparison.Ordinal);
        Assert.Contains("\"ForecastRefresh\"", byName["forecast-stalled"], StringComparison.Ordinal);
        Assert.Contains("\"KpiRollup\"", byName["nightly-job-failed"], StringComparison.Ordinal);
        Assert.Contains("\"Retention\"", byName["nightly-job-failed"], StringComparison.Ordinal);
        Assert.Contains(CallBalancerTelemetry.RebalanceFailuresMetric, byName["rebalance-queue-failures"], StringComparison.Ordinal);
        Assert.Contains(CallBalancerTelemetry.HttpRequestsMetric, byName["storage-unavailable"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_stalled_rebalance_pages_before_the_fail_safe_has_lasted_long()
    {
        var stalled = Alerts().Single(a => a!["name"]!.GetValue<string>() == "rebalance-stalled")!;
        Assert.Equal(1, stalled["severity"]!.GetValue<int>());
        Assert.Equal("PT5M", stalled["window"]!.GetValue<string>());
        Assert.Equal("LessThan", stalled["operator"]!.GetValue<string>());
        Assert.Equal(1, stalled["threshold"]!.GetValue<int>());
    }

    [Fact]
    public void The_action_group_exists_only_with_an_address_and_the_rules_use_it_then()
    {
        var group = template.SingleOfType("Microsoft.Insights/actionGroups");
        Assert.Contains("parameters('alertEmail')", group.Node["condition"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[parameters('alertEmail')]", group.Node["properties"]!["emailReceivers"]![0]!["emailAddress"]!.GetValue<string>());
        Assert.Equal(string.Empty, CompiledTemplate.Resolve(group.Scope, JsonValue.Create("[parameters('alertEmail')]"))!.GetValue<string>());

        var rules = template.SingleOfType("Microsoft.Insights/scheduledQueryRules");
        var actions = rules.Properties!["actions"]!["actionGroups"]!.GetValue<string>();
        Assert.Contains("empty(parameters('alertEmail'))", actions, StringComparison.Ordinal);
        Assert.Contains("Microsoft.Insights/actionGroups", actions, StringComparison.Ordinal);
    }

    [GeneratedRegex("""\[Function\("([A-Za-z0-9]+)"\)\]""")]
    private static partial Regex FunctionAttribute();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();
}
