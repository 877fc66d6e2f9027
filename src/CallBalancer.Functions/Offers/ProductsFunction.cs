using System.Text.Json;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using CallBalancer.Storage.Offers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Offers;

/// <summary>
/// The supervisor's catalogue API: <c>GET /api/products</c>, <c>GET /api/products/{productId}</c>,
/// <c>PUT /api/products/{productId}</c> (create or replace; changed weights apply from their effective date on) and
/// <c>GET /api/catalogue/audit</c> (every edit: who, when, before, after, why).
/// </summary>
internal sealed class ProductsFunction(
    ProductStore products,
    CatalogueCache cache,
    IConfiguration configuration,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<ProductsFunction> logger)
{
    private const int MaxAttempts = 5;

    [Function("ListProducts")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "products")] HttpRequest request,
        CancellationToken cancellationToken = default)
    {
        if (SupervisorPrincipal.Require(request, configuration).Problem is { } denied)
        {
            return denied;
        }

        try
        {
            var now = time.GetUtcNow();
            var all = await products.GetAllAsync(cancellationToken);
            return new OkObjectResult(new { products = all.OrderBy(p => p.ProductId, StringComparer.Ordinal).Select(p => ProductResponse.From(p, now)) });
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "products", "the catalogue");
        }
    }

    [Function("GetProduct")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "products/{productId}")] HttpRequest request,
        string productId,
        CancellationToken cancellationToken = default)
    {
        if (SupervisorPrincipal.Require(request, configuration).Problem is { } denied)
        {
            return denied;
        }

        if (!TableKeys.IsValidId(productId))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["productId"] = ["Product ids are 1-64 letters, digits, '.', '_', '-' or ':'."] });
        }

        try
        {
            var found = await products.GetAsync(productId, cancellationToken);
            return found is { } f
                ? new OkObjectResult(ProductResponse.From(f.Product, time.GetUtcNow()))
                : Problems.NotFound($"No product '{productId}' in the catalogue.");
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "products", productId);
        }
    }

    [Function("GetCatalogueAudit")]
    public async Task<IActionResult> AuditAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalogue/audit")] HttpRequest request,
        CancellationToken cancellationToken = default)
    {
        if (SupervisorPrincipal.Require(request, configuration).Problem is { } denied)
        {
            return denied;
        }

        var (after, bad) = Supervision.SupervisionRequests.Continuation(request, ProductStore.IsAuditContinuation);
        if (bad is not null)
        {
            return bad;
        }

        try
        {
            var (entries, continuation) = await products.ListAuditPageAsync(Supervision.SupervisionRequests.Take(request, 50, 500), after, cancellationToken);
            return new OkObjectResult(new { entries = entries.Select(Supervision.QueueAuditFunction.ToJson).ToList(), continuation });
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "catalogue.audit", "the catalogue");
        }
    }

    [Function("PutProduct")]
    public async Task<IActionResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "products/{productId}")] HttpRequest request,
        string productId,
        CancellationToken cancellationToken = default)
    {
        var (principal, denied) = SupervisorPrincipal.Require(request, configuration);
        if (denied is not null)
        {
            return denied;
        }

        var (body, problem) = await JsonBody.ReadAsync<ProductRequest>(request, cancellationToken: cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var now = time.GetUtcNow();
                var existing = TableKeys.IsValidId(productId) ? await products.GetAsync(productId, cancellationToken) : null;
                var (product, errors) = ProductValidator.Validate(productId, body!, existing?.Product, now, OfferOutcomeFunction.FutureTolerance + cache.Lifetime,
                    TimeSpan.FromDays(retention.Value.OfferDays + 1));
                if (product is null)
                {
                    return Problems.Validation(errors);
                }

                var audit = new AuditEntry("product", productId, principal!.Name, now,
                    existing is { Product: var before } ? JsonSerializer.Serialize(ProductResponse.ForAudit(before), JsonBody.Options) : null,
                    JsonSerializer.Serialize(ProductResponse.ForAudit(product), JsonBody.Options),
                    body!.Reason?.Trim() ?? string.Empty);
                if (!await products.SaveAsync(product, existing?.ETag, audit, cancellationToken))
                {
                    continue; // Changed by someone else since read: re-read and apply again.
                }

                cache.Invalidate();
                logger.LogInformation("Product {ProductId} saved ({Kind}) by {Who} with {WeightChanges} weight periods: {Reason}", productId,
                    existing is null ? "created" : "replaced", principal.Name, product.Weights.Count, audit.Reason);
                var response = ProductResponse.From(product, now);
                return existing is null ? new ObjectResult(response) { StatusCode = StatusCodes.Status201Created } : new OkObjectResult(response);
            }

            return Problems.Create(StatusCodes.Status409Conflict, "The product keeps changing.", "Another edit won each attempt; read it and try again.");
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "products", productId);
        }
    }
}
