using System.Text;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using CallBalancer.Storage.Offers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Offers;

/// <summary>
/// Loading customer profiles (supervisor or back office): <c>PUT /api/customers/{customerId}/profile</c> (JSON) and
/// <c>POST /api/customers/import</c> (<c>text/csv</c>, see <see cref="CustomerCsv"/>; all lines are checked before any is stored).
/// </summary>
internal sealed class CustomerProfileFunction(CustomerProfileStore profiles, IConfiguration configuration, ILogger<CustomerProfileFunction> logger)
{
    public const int MaxImportBytes = 4 * 1024 * 1024;
    public const int MaxImportRows = 20_000;

    [Function("PutCustomerProfile")]
    public async Task<IActionResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "customers/{customerId}/profile")] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken = default)
    {
        if (SupervisorPrincipal.Require(request, configuration).Problem is { } denied)
        {
            return denied;
        }

        var (body, problem) = await JsonBody.ReadAsync<CustomerProfileRequest>(request, cancellationToken: cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        var profile = CustomerProfileValidator.Validate(customerId, body!.Tier, body.TenureMonths, body.Holdings, body.MonthlySpending, errors);
        if (profile is null)
        {
            return Problems.Validation(errors);
        }

        try
        {
            await profiles.SaveAsync(profile, cancellationToken);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "profile", customerId);
        }

        return new OkObjectResult(new { customerId, status = "stored" });
    }

    [Function("ImportCustomers")]
    public async Task<IActionResult> ImportAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/import")] HttpRequest request,
        CancellationToken cancellationToken = default)
    {
        if (SupervisorPrincipal.Require(request, configuration).Problem is { } denied)
        {
            return denied;
        }

        var mediaType = (request.ContentType ?? string.Empty).Split(';', 2)[0].Trim();
        if (!mediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", $"Send the profiles as text/csv (got '{request.ContentType ?? "none"}').");
        }

        if (request.ContentLength > MaxImportBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"The limit is {MaxImportBytes / 1024 / 1024} MB.");
        }

        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxImportBytes)
            {
                return Problems.Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"The limit is {MaxImportBytes / 1024 / 1024} MB.");
            }

            buffer.Write(chunk, 0, read);
        }

        var (parsed, errors) = CustomerCsv.Parse(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), MaxImportRows);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            // Each profile is its own partition, so no transaction spans them: a failure part-way leaves some stored,
            // and importing the same file again is safe (each line replaces its profile).
            await profiles.SaveManyAsync(parsed, cancellationToken);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "customers.import", $"an import of {parsed.Count} profiles",
                "Some profiles may have been stored; importing the same file again is safe.");
        }

        logger.LogInformation("Imported {Count} customer profiles", parsed.Count);
        return new OkObjectResult(new { imported = parsed.Count });
    }
}
