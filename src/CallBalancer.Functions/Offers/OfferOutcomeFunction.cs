using CallBalancer.Core.Offers;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using CallBalancer.Storage.Offers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Offers;

/// <summary>
/// <c>POST /api/offers/{offerId}/outcome</c>: the customer's answer. Idempotent (the same answer again is a 200 that
/// changes nothing); the contact history changes under its ETag, so overlapping calls never exceed the contact limit
/// (the one that would is a 409 <c>contact-limit</c>); a rejected answer writes nothing.
/// </summary>
internal sealed class OfferOutcomeFunction(OfferService offers, TimeProvider time, ILogger<OfferOutcomeFunction> logger)
{
    /// <summary>How far ahead of the server clock an answer's <c>occurredAt</c> may be (desktop clocks drift).</summary>
    internal static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    [Function("PostOfferOutcome")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "offers/{offerId}/outcome")] HttpRequest request,
        string offerId,
        CancellationToken cancellationToken = default)
    {
        var (body, problem) = await JsonBody.ReadAsync<OfferOutcomeRequest>(request, cancellationToken: cancellationToken);
        if (problem is not null)
        {
            CallBalancerTelemetry.RecordRequest("outcome", "rejected");
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (!TableKeys.IsValidId(offerId))
        {
            errors["offerId"] = ["Offer ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        if (!OfferNames.TryParseOutcome(body!.Outcome, out var outcome))
        {
            errors["outcome"] = [$"One of: {string.Join(", ", OfferNames.OutcomeNames)}."];
        }

        if (!TableKeys.IsValidId(body.AgentId))
        {
            errors["agentId"] = ["An agent id (1-64 letters, digits, '.', '_', '-' or ':') is required."];
        }

        if (!TableKeys.IsValidId(body.CustomerId))
        {
            errors["customerId"] = ["A pseudonymous customer id (1-64 letters, digits, '.', '_', '-' or ':') is required."];
        }

        if (body.OccurredAt is not { } occurredAt)
        {
            errors["occurredAt"] = ["When the customer answered (ISO 8601 with offset) is required."];
        }
        else if (occurredAt > time.GetUtcNow() + FutureTolerance)
        {
            errors["occurredAt"] = ["The answer cannot be in the future."];
        }

        if (errors.Count > 0)
        {
            CallBalancerTelemetry.RecordRequest("outcome", "rejected");
            return Problems.Validation(errors);
        }

        OutcomeResult result;
        try
        {
            result = await offers.RecordOutcomeAsync(offerId, body.AgentId!, body.CustomerId!, outcome, body.OccurredAt!.Value, cancellationToken);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "outcome", offerId,
                "The answer may not be recorded. Post it again: the same answer is recorded once.");
        }

        CallBalancerTelemetry.RecordRequest("outcome", result.Status.ToString());
        switch (result.Status)
        {
            case OutcomeStatus.OfferNotFound:
                return Problems.NotFound($"No offer '{offerId}' was made to customer '{body.CustomerId}'.");
            case OutcomeStatus.AgentMismatch:
                return Problems.Validation(new Dictionary<string, string[]> { ["agentId"] = [$"Offer '{offerId}' was shown to another agent."] });
            case OutcomeStatus.Contended:
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, "The customer's history is busy.", "Nothing was written. Post the answer again.");
            case OutcomeStatus.ProductNotFound:
                return Problems.Create(StatusCodes.Status409Conflict, "The offer's product is not in the catalogue.",
                    $"Offer '{offerId}' is for product '{result.Offer!.ProductId}', which the catalogue no longer holds. Nothing was written.");
            case OutcomeStatus.Rejected:
                // Stamped before its offer was shown: the request is wrong, not the customer's state.
                var rejected = Problems.Create(
                    result.Decision!.Rejection == "before-offer" ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict,
                    "The answer cannot be recorded.", result.Decision.Detail);
                ((ProblemDetails)rejected.Value!).Extensions["code"] = result.Decision.Rejection;
                return rejected;
        }

        var entry = result.Decision!.Entry!;
        logger.LogInformation("Offer {OfferId} of {ProductId}: {Outcome} ({Status}), credit {Credit}", offerId, result.Offer!.ProductId,
            outcome.ToName(), result.Status, entry.Credit);
        return new OkObjectResult(new
        {
            offerId,
            productId = result.Offer.ProductId,
            outcome = outcome.ToName(),
            status = result.Status == OutcomeStatus.Recorded ? "recorded" : "already-recorded",
            ledgerEntryId = entry.EntryId,
            credit = entry.Credit,
        });
    }
}
