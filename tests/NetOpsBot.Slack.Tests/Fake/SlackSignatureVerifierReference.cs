using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Slack.Tests.Fake;

/// <summary>
/// The fake's own signer, written from Slack's documentation and independent of the product's verifier
/// (HMACSHA256 one-shot, string concatenation), so the two are not the same code checking itself.
/// </summary>
internal static class SlackSignatureVerifierReference
{
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var basestring = Encoding.UTF8.GetBytes("v0:" + timestamp + ":").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), basestring));
    }
}
