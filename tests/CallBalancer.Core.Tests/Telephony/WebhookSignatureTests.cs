using System.Text;
using CallBalancer.Core.Telephony;
using Microsoft.Extensions.Time.Testing;

namespace CallBalancer.Core.Tests.Telephony;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"eventId\":\"e1\"}");

    // HMAC-SHA256(key "whsec_test_secret", "1795860000." + body), computed independently with Python's hmac module.
    private const string ExpectedHeader = "t=1795860000,v1=188d1783b8fe9bad30e5a5d154832af3a8df8903d470a4fa8e34c36e025b1c4c";

    private static WebhookSignature At(DateTimeOffset now) => new(new FakeTimeProvider(now));

    [Fact]
    public void Sign_matches_an_independently_computed_hmac()
    {
        Assert.Equal(ExpectedHeader, WebhookSignature.Sign(Secret, SignedAt, Body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(299)]
    [InlineData(-299)]
    public void A_signature_within_five_minutes_is_valid(int secondsLater)
    {
        Assert.Equal(WebhookSignatureResult.Valid, At(SignedAt.AddSeconds(secondsLater)).Verify(Secret, ExpectedHeader, Body));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void A_replay_outside_the_window_is_rejected(int secondsLater)
    {
        Assert.Equal(WebhookSignatureResult.OutsideWindow, At(SignedAt.AddSeconds(secondsLater)).Verify(Secret, ExpectedHeader, Body));
    }

    [Fact]
    public void A_modified_body_or_wrong_secret_is_a_mismatch()
    {
        var verifier = At(SignedAt);
        Assert.Equal(WebhookSignatureResult.Mismatch, verifier.Verify(Secret, ExpectedHeader, Encoding.UTF8.GetBytes("{\"eventId\":\"e2\"}")));
        Assert.Equal(WebhookSignatureResult.Mismatch, verifier.Verify("another", ExpectedHeader, Body));
    }

    [Fact]
    public void The_timestamp_is_bound_into_the_mac()
    {
        // Moving t forward to dodge the window check must break the signature.
        var forged = ExpectedHeader.Replace("t=1795860000", "t=1795860100", StringComparison.Ordinal);
        Assert.Equal(WebhookSignatureResult.Mismatch, At(SignedAt.AddSeconds(100)).Verify(Secret, forged, Body));
    }

    [Fact]
    public void A_second_v1_value_supports_secret_rotation()
    {
        var header = "t=1795860000,v1=00ff,v1=188d1783b8fe9bad30e5a5d154832af3a8df8903d470a4fa8e34c36e025b1c4c";
        Assert.Equal(WebhookSignatureResult.Valid, At(SignedAt).Verify(Secret, header, Body));
    }

    [Theory]
    [InlineData(null, WebhookSignatureResult.Missing)]
    [InlineData("", WebhookSignatureResult.Missing)]
    [InlineData("v1=abc", WebhookSignatureResult.Malformed)]
    [InlineData("t=abc,v1=abc", WebhookSignatureResult.Malformed)]
    [InlineData("t=1795860000", WebhookSignatureResult.Malformed)]
    [InlineData("t=1795860000,v1=zz", WebhookSignatureResult.Mismatch)]
    [InlineData("t=99999999999999999999,v1=00", WebhookSignatureResult.Malformed)]
    public void Malformed_headers_are_rejected(string? header, WebhookSignatureResult expected)
    {
        Assert.Equal(expected, At(SignedAt).Verify(Secret, header, Body));
    }
}
