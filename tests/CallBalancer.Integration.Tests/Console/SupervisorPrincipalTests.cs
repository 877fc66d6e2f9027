using System.Text;
using CallBalancer.Functions.Http;
using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Console;

public sealed class SupervisorPrincipalTests
{
    [Fact]
    public void Reads_name_and_roles_from_an_app_service_principal()
    {
        // The shape App Service authentication sends for Entra ID: role claims under the role_typ it names.
        var json = """
        {"auth_typ":"aad","name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
         "claims":[{"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","val":"sue@contoso.com"},
                   {"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"supervisor"},
                   {"typ":"roles","val":"reader"}]}
        """;
        var p = SupervisorPrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));
        Assert.NotNull(p);
        Assert.Equal("sue@contoso.com", p.Name);
        Assert.Equal(["supervisor", "reader"], p.Roles);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("bnVsbA==")] // "null"
    public void A_malformed_header_is_nobody(string header) => Assert.Null(SupervisorPrincipal.Parse(header));

    [Fact]
    public void Without_a_principal_401_with_another_role_403_with_supervisor_the_caller()
    {
        var config = SupervisorRequests.DevAuth();
        Assert.Equal(401, Requests.Status(SupervisorPrincipal.Require(SupervisorRequests.Get(role: null), config).Problem!));
        Assert.Equal(403, Requests.Status(SupervisorPrincipal.Require(SupervisorRequests.Get(role: "agent"), config).Problem!));
        var (principal, problem) = SupervisorPrincipal.Require(SupervisorRequests.Get(name: "sue"), config);
        Assert.Null(problem);
        Assert.Equal("sue", principal!.Name);
    }

    [Fact]
    public void The_header_is_ignored_unless_app_service_authentication_or_dev_auth_is_on()
    {
        Assert.Equal(401, Requests.Status(SupervisorPrincipal.Require(SupervisorRequests.Get(), SupervisorRequests.DevAuth(enabled: false)).Problem!));
        Assert.Null(SupervisorPrincipal.Require(SupervisorRequests.Get(), SupervisorRequests.Azure()).Problem);

        // In Azure without App Service authentication nothing strips a client's own header: a forged supervisor.
        Assert.Equal(401, Requests.Status(SupervisorPrincipal.Require(SupervisorRequests.Get(), SupervisorRequests.Azure(authentication: false)).Problem!));
    }

    [Fact]
    public void A_static_web_apps_principal_is_named_by_its_user_details_and_one_naming_nobody_is_not_signed_in()
    {
        static SupervisorPrincipal? Parse(string json) => SupervisorPrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));

        var jane = Parse("""{"identityProvider":"aad","userId":"8d1f","userDetails":"jane@contoso.com","userRoles":["anonymous","authenticated","supervisor"]}""");
        Assert.Equal("jane@contoso.com", jane!.Name);
        Assert.Contains("supervisor", jane.Roles);
        Assert.Equal("8d1f", Parse("""{"identityProvider":"aad","userId":"8d1f","userRoles":["supervisor"]}""")!.Name);
        Assert.Null(Parse("""{"identityProvider":"aad","userRoles":["supervisor"]}"""));
        Assert.Null(Parse("""{"claims":[{"typ":"roles","val":"supervisor"}]}"""));
    }
}
