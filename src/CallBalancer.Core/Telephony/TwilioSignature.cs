using System.Security.Cryptography;
using System.Text;

namespace CallBalancer.Core.Telephony;

/// <summary>
/// Twilio's request signature (<c>X-Twilio-Signature</c>): base64 of HMAC-SHA1, keyed with the account's auth token,
/// over the full public URL Twilio called (scheme, host, path and query string) followed by every POST field sorted by
/// name, each name immediately followed by its value (https://www.twilio.com/docs/usage/security#validating-requests).
/// </summary>
public static class TwilioSignature
{
    /// <summary>The signature Twilio would send for this URL and these form fields.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formFields)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(formFields);
        var data = new StringBuilder(url);

        // Ordinal sort: Twilio's helper libraries sort by the raw key bytes. Repeated names keep their values in order.
        foreach (var field in formFields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(field.Key).Append(field.Value);
        }

        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(mac);
    }

    /// <summary>True when <paramref name="signature"/> is the one Twilio would send; compared in constant time.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formFields, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(authToken, url, formFields));
        var given = Encoding.ASCII.GetBytes(signature.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
