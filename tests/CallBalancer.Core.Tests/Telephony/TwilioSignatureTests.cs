using CallBalancer.Core.Telephony;

namespace CallBalancer.Core.Tests.Telephony;

public sealed class TwilioSignatureTests
{
    // Twilio's published validation example (twilio-php docs, "Validate Incoming Requests"): auth token 12345, this URL
    // and these POST fields are signed RSOYDt4T1cUTdK1PDd93/VVr8B8=.
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string PublishedSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static readonly KeyValuePair<string, string>[] Fields =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675309"),
        new("Digits", "1234"),
        new("From", "+14158675309"),
        new("To", "+18005551212"),
    ];

    [Fact]
    public void Twilios_published_example_validates()
    {
        Assert.Equal(PublishedSignature, TwilioSignature.Compute(AuthToken, Url, Fields));
        Assert.True(TwilioSignature.IsValid(AuthToken, Url, Fields, PublishedSignature));
    }

    [Fact]
    public void Field_order_in_the_request_does_not_matter()
    {
        Assert.True(TwilioSignature.IsValid(AuthToken, Url, Fields.Reverse(), PublishedSignature));
    }

    [Fact]
    public void A_changed_field_url_or_token_fails()
    {
        var tampered = Fields.Select(f => f.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "1235") : f);
        Assert.False(TwilioSignature.IsValid(AuthToken, Url, tampered, PublishedSignature));
        Assert.False(TwilioSignature.IsValid(AuthToken, "https://mycompany.com/myapp.php?foo=1&bar=3", Fields, PublishedSignature));
        Assert.False(TwilioSignature.IsValid("54321", Url, Fields, PublishedSignature));
        Assert.False(TwilioSignature.IsValid(AuthToken, Url, Fields.Append(new("Extra", "x")), PublishedSignature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-base64")]
    public void A_missing_or_garbage_signature_fails(string? signature)
    {
        Assert.False(TwilioSignature.IsValid(AuthToken, Url, Fields, signature));
    }
}
