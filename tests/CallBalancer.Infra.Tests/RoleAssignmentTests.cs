using System.Text.RegularExpressions;

namespace CallBalancer.Infra.Tests;

/// <summary>The managed identity's data-plane roles, read from the compiled role assignments.</summary>
[Collection(InfraCollection.Name)]
[Trait("Category", "Infra")]
public sealed partial class RoleAssignmentTests(CompiledTemplateFixture fixture)
{
    // Built-in role definition ids, as published in the Azure built-in roles reference.
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private readonly CompiledTemplate template = fixture.Template;

    [Fact]
    public void Identity_gets_blob_owner_table_and_queue_contributor_on_the_storage_account()
    {
        var onStorage = Assignments().Where(a => a.Scope.Contains("Microsoft.Storage/storageAccounts", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(),
            onStorage.Select(a => a.RoleId).Order());
    }

    [Fact]
    public void Identity_gets_monitoring_metrics_publisher_on_application_insights()
    {
        var onInsights = Assert.Single(Assignments(), a => a.Scope.Contains("Microsoft.Insights/components", StringComparison.Ordinal));
        Assert.Equal(MonitoringMetricsPublisher, onInsights.RoleId);
    }

    [Fact]
    public void Assignments_are_named_with_guid_of_scope_principal_and_role_for_the_identity_service_principal()
    {
        var assignments = Assignments();
        Assert.Equal(4, assignments.Count);
        foreach (var assignment in assignments)
        {
            var name = assignment.Resource.Node["name"]!.GetValue<string>();
            Assert.StartsWith("[guid(", name, StringComparison.Ordinal);
            Assert.Contains("parameters('principalId')", name, StringComparison.Ordinal);
            Assert.Equal("ServicePrincipal", assignment.Resource.ResolvedString("properties/principalType"));
            Assert.Equal("[parameters('principalId')]", assignment.Resource.Properties!["principalId"]!.GetValue<string>());
        }

        // The principal is the user-assigned identity's, passed from the identity module.
        var module = assignments[0].Resource.Scope;
        ModuleOutput.AssertReferences(ResourceTests.ModuleParameter(module, "principalId"), "identity", "principalId");
        ModuleOutput.AssertReferences(ResourceTests.ModuleParameter(module, "storageAccountName"), "storage", "name");
        ModuleOutput.AssertReferences(ResourceTests.ModuleParameter(module, "applicationInsightsName"), "monitoring", "applicationInsightsName");
    }

    private List<Assignment> Assignments() => template.OfType("Microsoft.Authorization/roleAssignments")
        .Select(r => new Assignment(r, r.Node["scope"]?.GetValue<string>() ?? string.Empty, RoleId(r)))
        .ToList();

    // roleDefinitionId compiles to subscriptionResourceId('Microsoft.Authorization/roleDefinitions', <id>), where
    // <id> is either a literal or a variable of the module; resolve the variable to the literal GUID.
    private static string RoleId(TemplateResource assignment)
    {
        var expression = assignment.Properties!["roleDefinitionId"]!.GetValue<string>();
        Assert.Contains("Microsoft.Authorization/roleDefinitions", expression, StringComparison.Ordinal);
        var literal = GuidLiteral().Match(expression);
        if (literal.Success)
        {
            return literal.Value;
        }

        var variable = VariableReference().Match(expression);
        Assert.True(variable.Success, $"Cannot read a role definition id from {expression}.");
        return assignment.Scope.Template["variables"]![variable.Groups[1].Value]!.GetValue<string>();
    }

    private sealed record Assignment(TemplateResource Resource, string Scope, string RoleId);

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidLiteral();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();
}
