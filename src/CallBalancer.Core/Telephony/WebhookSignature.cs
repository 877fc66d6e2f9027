using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallBalancer.Core.Telephony;

/// <summary>
/// The balancer's own webhook signature, for platforms and middleware that can sign: the header
/// <c>X-CallBalancer-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>, where the MAC is keyed with the shared
/// secret over <c>t + "." + body</c> (the scheme Stripe popularised). Binding the timestamp into the MAC and accepting
/// it only within <see cref="ReplayWindow"/> of the server clock stops a captured request from being replayed later.
/// </summary>
public sealed class WebhookSignature(TimeProvider time)
{
    /// <summary>The header that carries the signature.</summary>
    public const string HeaderName = "X-CallBalancer-Signature";

    /// <summary>How far the signed timestamp may be from the server clock, either way: five minutes.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>The header value for a body signed at <paramref name="at"/> (for senders and tests).</summary>
    public static string Sign(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>Checks a header value against the body and the clock.</summary>
    public WebhookSignatureResult Verify(string secret, string? header, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrWhiteSpace(header))
        {
            return WebhookSignatureResult.Missing;
        }

        string? t = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t")
            {
                t = value;
            }
            else if (name == "v1")
            {
                // Several v1 values are allowed so a sender can sign with the old and the new secret while rotating.
                candidates.Add(value);
            }
        }

        if (t is null || candidates.Count == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || unix > 253_402_300_799)
        {
            return WebhookSignatureResult.Malformed;
        }

        var skew = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(unix);
        if (skew.Duration() > ReplayWindow)
        {
            return WebhookSignatureResult.OutsideWindow;
        }

        var expected = Mac(secret, t, body);
        foreach (var candidate in candidates)
        {
            byte[] given;
            try
            {
                given = Convert.FromHexString(candidate);
            }
            catch (FormatException)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(expected, given))
            {
                return WebhookSignatureResult.Valid;
            }
        }

        return WebhookSignatureResult.Mismatch;
    }

    private static byte[] Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(t + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);
    }
}
