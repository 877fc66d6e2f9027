namespace CallBalancer.Functions.Telephony;

/// <summary>
/// Webhook secrets and the public address, read from <c>CallBalancer__Webhooks__SigningSecret</c>,
/// <c>CallBalancer__Twilio__AuthToken</c>, <c>CallBalancer__Twilio__RequireSignature</c> and <c>CallBalancer__PublicBaseUrl</c>.
/// Secrets are never logged or echoed in an answer.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Shared secret of the generic endpoint's optional <c>X-CallBalancer-Signature</c> (HMAC-SHA256). When set, every
    /// request to <c>POST /api/telephony/events</c> must carry a valid signature; when empty, the function key alone
    /// protects it. Default: empty.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>The Twilio account's auth token, the key of <c>X-Twilio-Signature</c>. Default: empty.</summary>
    public string? TwilioAuthToken { get; set; }

    /// <summary>
    /// Whether Twilio callbacks must be signed when no auth token is configured: true (default) answers 403 to every
    /// callback until the token is set (fail closed, in Azure); the dev host sets it to false so Twilio callbacks can
    /// be tried locally without a token, as function keys are not enforced locally either.
    /// </summary>
    public bool TwilioRequireSignature { get; set; } = true;

    /// <summary>
    /// The public base URL Twilio calls (e.g. <c>https://cb-func.azurewebsites.net</c>), because the signature covers the
    /// URL as Twilio sees it, not as the app sees it behind a proxy. When empty, the request's own scheme and host are used.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}
