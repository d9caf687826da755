using System.Text;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Slack.Signing;

namespace NetOpsBot.Slack.Tests.Signing;

public sealed class SlackSignatureVerifierTests
{
    // Slack's worked example from "Verifying requests from Slack".
    internal const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    internal const string DocTimestamp = "1531420618";
    internal const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    internal const string DocBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static SlackSignatureVerifier At(long unixSeconds, string secret = DocSecret) =>
        new(secret, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), TimeSpan.FromMinutes(5));

    [Fact]
    public void Verify_SlackDocumentationExample_IsValid()
    {
        Assert.Equal(SignatureCheck.Valid, At(1531420618).Verify(DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody)));
        Assert.Equal(DocSignature, SlackSignatureVerifier.Sign(DocSecret, DocTimestamp, Encoding.UTF8.GetBytes(DocBody)));
    }

    [Theory]
    [InlineData(300, SignatureCheck.Valid)]
    [InlineData(301, SignatureCheck.Stale)]
    [InlineData(-300, SignatureCheck.Valid)]
    [InlineData(-301, SignatureCheck.FromTheFuture)]
    public void Verify_TimestampWindow_IsFiveMinutesBothWays(long nowMinusTs, SignatureCheck expected) =>
        Assert.Equal(expected, At(1531420618 + nowMinusTs).Verify(DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody)));

    [Theory]
    [InlineData(null, DocSignature, SignatureCheck.MissingHeaders)]
    [InlineData(DocTimestamp, null, SignatureCheck.MissingHeaders)]
    [InlineData("1531420618.5", DocSignature, SignatureCheck.MalformedTimestamp)]
    [InlineData("-1531420618", DocSignature, SignatureCheck.MalformedTimestamp)]
    [InlineData(DocTimestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.UnknownVersion)]
    [InlineData(DocTimestamp, "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503", SignatureCheck.Mismatch)]
    [InlineData(DocTimestamp, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50", SignatureCheck.Mismatch)]
    [InlineData(DocTimestamp, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5033", SignatureCheck.Mismatch)]
    [InlineData(DocTimestamp, "v0=", SignatureCheck.Mismatch)]
    public void Verify_BadHeaders_AreRefusedWithTheReason(string? ts, string? sig, SignatureCheck expected) =>
        Assert.Equal(expected, At(1531420618).Verify(ts, sig, Encoding.UTF8.GetBytes(DocBody)));

    [Fact]
    public void Verify_BodyChangedByOneByte_IsRefused()
    {
        var body = Encoding.UTF8.GetBytes(DocBody);
        body[^1] ^= 1;
        Assert.Equal(SignatureCheck.Mismatch, At(1531420618).Verify(DocTimestamp, DocSignature, body));
    }

    [Fact]
    public void Verify_ReEncodedForm_IsRefused()
    {
        // The signature covers the bytes as sent: the same form re-encoded ('%20' for '+') is another body.
        var sent = "text=sw-access-12+now&user_id=U1";
        var ts = "1700000000";
        var sig = SlackSignatureVerifier.Sign("s3cret", ts, Encoding.UTF8.GetBytes(sent));
        var verifier = At(1700000000, "s3cret");
        Assert.Equal(SignatureCheck.Valid, verifier.Verify(ts, sig, Encoding.UTF8.GetBytes(sent)));
        Assert.Equal(SignatureCheck.Mismatch, verifier.Verify(ts, sig, Encoding.UTF8.GetBytes(sent.Replace("+", "%20", StringComparison.Ordinal))));
    }

    [Fact]
    public void Verify_OtherSecret_IsRefused() =>
        Assert.Equal(SignatureCheck.Mismatch, At(1531420618, DocSecret + "x").Verify(DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody)));
}
