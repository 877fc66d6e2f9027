using System.Text.Json.Nodes;

namespace CallBalancer.Infra.Tests;

/// <summary>The resources infra/main.bicep compiles to: plan, app, storage, identity, monitoring, outputs.</summary>
[Collection(InfraCollection.Name)]
[Trait("Category", "Infra")]
public sealed class ResourceTests(CompiledTemplateFixture fixture)
{
    private readonly CompiledTemplate template = fixture.Template;

    [Fact]
    public void Template_is_subscription_scoped_and_creates_the_resource_group()
    {
        Assert.Contains("subscriptionDeploymentTemplate.json", template.Root["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        var group = template.SingleOfType("Microsoft.Resources/resourceGroups");
        Assert.Null(group.Scope.ModuleName);

        // Every module deploys into that group.
        var modules = template.OfType("Microsoft.Resources/deployments");
        Assert.NotEmpty(modules);
        var groupName = group.Node["name"]!.GetValue<string>();
        Assert.All(modules, module => Assert.Equal(groupName, module.Node["resourceGroup"]?.GetValue<string>()));
    }

    [Fact]
    public void Plan_is_flex_consumption_FC1_on_linux()
    {
        var plan = template.SingleOfType("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.ResolvedString("sku/name"));
        Assert.Equal("FlexConsumption", plan.ResolvedString("sku/tier"));
        Assert.True(plan.Resolved("properties/reserved")!.GetValue<bool>());
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_on_the_flex_plan()
    {
        var app = template.SingleOfType("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", app.ResolvedString("kind"));
        Assert.Equal("dotnet-isolated", app.ResolvedString("properties/functionAppConfig/runtime/name"));
        Assert.Equal("10.0", app.ResolvedString("properties/functionAppConfig/runtime/version"));
        Assert.True(app.Resolved("properties/httpsOnly")!.GetValue<bool>());
        Assert.Contains("Microsoft.Web/serverfarms", app.ResolvedString("properties/serverFarmId"), StringComparison.Ordinal);
    }

    [Fact]
    public void Supervisor_sign_in_is_app_service_authentication_that_lets_anonymous_webhooks_through_and_only_with_a_client_id()
    {
        // The app trusts X-MS-CLIENT-PRINCIPAL only when the platform runs authentication (WEBSITE_AUTH_ENABLED): with
        // it on, App Service strips a client's own header. Without a client id nothing is configured, and supervisor
        // endpoints refuse everyone rather than believe a forged header.
        var auth = template.SingleOfType("Microsoft.Web/sites/config");
        Assert.EndsWith("'authsettingsV2')]", auth.Node["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[not(empty(parameters('supervisorAuthClientId')))]", auth.Node["condition"]!.GetValue<string>());
        Assert.True(auth.Resolved("properties/platform/enabled")!.GetValue<bool>());
        Assert.False(auth.Resolved("properties/globalValidation/requireAuthentication")!.GetValue<bool>());
        Assert.Equal("AllowAnonymous", auth.ResolvedString("properties/globalValidation/unauthenticatedClientAction"));
        Assert.Equal("[parameters('supervisorAuthClientId')]", auth.Node["properties"]!["identityProviders"]!["azureActiveDirectory"]!["registration"]!["clientId"]!.GetValue<string>());
        Assert.Equal(string.Empty, ModuleParameterDefault("supervisorAuthClientId"));
    }

    private string ModuleParameterDefault(string name) => template.Root["parameters"]![name]!["defaultValue"]!.GetValue<string>();

    [Fact]
    public void Function_app_runs_as_the_user_assigned_identity_created_by_the_identity_module()
    {
        var app = template.SingleOfType("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", app.ResolvedString("identity/type"));
        var identities = app.Node["identity"]!["userAssignedIdentities"]!.AsObject();
        var key = Assert.Single(identities).Key;
        Assert.Contains("parameters('identityResourceId')", key, StringComparison.Ordinal);

        ModuleOutput.AssertReferences(ModuleParameter(app.Scope, "identityResourceId"), "identity", "resourceId");
        template.SingleOfType("Microsoft.ManagedIdentity/userAssignedIdentities");
    }

    [Fact]
    public void Deployment_package_container_is_read_with_the_user_assigned_identity()
    {
        var app = template.SingleOfType("Microsoft.Web/sites");
        const string storage = "properties/functionAppConfig/deployment/storage";
        Assert.Equal("blobContainer", app.ResolvedString($"{storage}/type"));
        Assert.Equal("UserAssignedIdentity", app.ResolvedString($"{storage}/authentication/type"));
        Assert.Equal("[parameters('identityResourceId')]", app.Node["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["userAssignedIdentityResourceId"]!.GetValue<string>());
        Assert.Contains("deploymentContainerName", app.ResolvedString($"{storage}/value"), StringComparison.Ordinal);

        var container = template.SingleOfType("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", container.ResolvedString("properties/publicAccess"));
        ModuleOutput.AssertReferences(ModuleParameter(app.Scope, "deploymentContainerName"), "storage", "deploymentContainerName");
    }

    [Fact]
    public void Scale_settings_default_to_512_MB_and_100_instances_within_flex_limits()
    {
        var app = template.SingleOfType("Microsoft.Web/sites");
        Assert.Equal(512, app.Resolved("properties/functionAppConfig/scaleAndConcurrency/instanceMemoryMB")!.GetValue<int>());
        Assert.Equal(100, app.Resolved("properties/functionAppConfig/scaleAndConcurrency/maximumInstanceCount")!.GetValue<int>());

        var parameters = template.Root["parameters"]!;
        Assert.Equal([512, 2048, 4096], parameters["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<int>()));
        Assert.Equal(40, parameters["maximumInstanceCount"]!["minValue"]!.GetValue<int>());
        Assert.Equal(1000, parameters["maximumInstanceCount"]!["maxValue"]!.GetValue<int>());
    }

    [Fact]
    public void Function_app_is_tagged_as_the_azd_api_service()
    {
        var app = template.SingleOfType("Microsoft.Web/sites");
        Assert.Contains("'azd-service-name', parameters('serviceName')", app.Node["tags"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("api", ModuleParameter(app.Scope, "serviceName"));
    }

    [Fact]
    public void Storage_account_refuses_shared_keys_public_blobs_and_old_tls()
    {
        var storage = template.SingleOfType("Microsoft.Storage/storageAccounts");
        Assert.False(storage.Resolved("properties/allowSharedKeyAccess")!.GetValue<bool>());
        Assert.False(storage.Resolved("properties/allowBlobPublicAccess")!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage.ResolvedString("properties/minimumTlsVersion"));
        Assert.True(storage.Resolved("properties/supportsHttpsTrafficOnly")!.GetValue<bool>());
    }

    [Fact]
    public void Rebalance_work_queue_is_declared_in_the_storage_account()
    {
        var queue = template.SingleOfType("Microsoft.Storage/storageAccounts/queueServices/queues");
        Assert.Contains("parameters('workQueueName')", queue.Node["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("rebalance-work", CompiledTemplate.Resolve(queue.Scope, JsonValue.Create("[parameters('workQueueName')]"))!.GetValue<string>());
    }

    [Fact]
    public void Application_insights_is_workspace_based_with_local_auth_disabled()
    {
        var insights = template.SingleOfType("Microsoft.Insights/components");
        Assert.True(insights.Resolved("properties/DisableLocalAuth")!.GetValue<bool>());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.ResolvedString("properties/WorkspaceResourceId"), StringComparison.Ordinal);
        template.SingleOfType("Microsoft.OperationalInsights/workspaces");
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("AZURE_FUNCTION_NAME")]
    [InlineData("SERVICE_API_NAME")]
    [InlineData("AZURE_STORAGE_ACCOUNT_NAME")]
    [InlineData("AZURE_STORAGE_TABLE_ENDPOINT")]
    [InlineData("AZURE_STORAGE_QUEUE_ENDPOINT")]
    [InlineData("AZURE_MANAGED_IDENTITY_CLIENT_ID")]
    public void Template_outputs_the_values_azd_and_the_app_need(string output)
    {
        var node = template.Root["outputs"]?[output];
        Assert.NotNull(node);
        Assert.Equal("string", node["type"]!.GetValue<string>());
    }

    /// <summary>The value the parent template passes to a module parameter, as written in the compiled JSON.</summary>
    internal static string ModuleParameter(TemplateScope moduleScope, string name)
    {
        var value = moduleScope.Deployment?["properties"]?["parameters"]?[name]?["value"];
        Assert.True(value is JsonValue, $"Module {moduleScope.ModuleName} gets no value for parameter {name}.");
        return value.GetValue<string>();
    }
}
