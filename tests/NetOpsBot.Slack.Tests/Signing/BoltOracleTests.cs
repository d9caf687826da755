using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Slack.Signing;
using NetOpsBot.Slack.Tests.Fake;
using NetOpsBot.Slack.Tests.Oracle;

namespace NetOpsBot.Slack.Tests.Signing;

/// <summary>
/// Our verifier against Bolt's own (<c>@slack/bolt</c> 5.1.0 <c>verifySlackRequest</c>, run in Node) on the
/// same generated requests. Where they differ it is by design and asserted as such: Bolt lets a
/// timestamp from the future through (its check is one-sided), we do not.
/// </summary>
public sealed class BoltOracleTests
{
    private sealed record Case(string Name, byte[] Body, string? Timestamp, string? Signature, long NowSeconds, string Secret);

    [Fact]
    public async Task Verify_SameRequestsAsBolt_SameDecisionExceptFutureTimestamps()
    {
        const string secret = "oracle-signing-secret-2b7e151628aed2a6";
        const long now = 1_764_000_000;
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var slash = Encoding.UTF8.GetBytes("token=x&team_id=T0NETOPS01&channel_id=C0NETOPS01&user_id=U0ALICE001&command=%2Fsshdiag&text=sw-access-12+%3C%40U0BOB%3E+%26+more&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1%2F2%2F3&trigger_id=1.2.3");
        var click = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(new JsonObject { ["type"] = "block_actions", ["user"] = new JsonObject { ["id"] = "U0BOB00002" }, ["text"] = "é ✓ 日本" }.ToJsonString()));
        string Sig(byte[] body, string t, string s = secret) => SlackSignatureVerifierReference.Sign(s, t, body);
        var tampered = slash.ToArray();
        tampered[^1] = (byte)'4';
        var cases = new List<Case>
        {
            new("valid slash command", slash, ts, Sig(slash, ts), now, secret),
            new("valid click, non-ASCII JSON", click, ts, Sig(click, ts), now, secret),
            new("documentation vector", Encoding.UTF8.GetBytes(SlackSignatureVerifierTests.DocBody), SlackSignatureVerifierTests.DocTimestamp, SlackSignatureVerifierTests.DocSignature, 1531420618, SlackSignatureVerifierTests.DocSecret),
            new("tampered body", tampered, ts, Sig(slash, ts), now, secret),
            new("tampered signature", slash, ts, "v0=" + new string('0', 64), now, secret),
            new("signature in upper case", slash, ts, Sig(slash, ts).ToUpperInvariant().Replace("V0=", "v0=", StringComparison.Ordinal), now, secret),
            new("wrong secret", slash, ts, Sig(slash, ts, secret + "x"), now, secret),
            new("v1 signature", slash, ts, "v1=" + Sig(slash, ts)[3..], now, secret),
            new("stale by 301 s", slash, ts, Sig(slash, ts), now + 301, secret),
            new("299 s old", slash, ts, Sig(slash, ts), now + 299, secret),
            new("replayed 10 min later", slash, ts, Sig(slash, ts), now + 600, secret),
            new("signed with another timestamp", slash, (now - 1).ToString(CultureInfo.InvariantCulture), Sig(slash, ts), now, secret),
            new("no signature header", slash, ts, null, now, secret),
            new("299 s in the future", slash, ts, Sig(slash, ts), now - 299, secret),
            new("future by 301 s", slash, ts, Sig(slash, ts), now - 301, secret),
            new("future by 1 h", slash, ts, Sig(slash, ts), now - 3600, secret),
        };

        var input = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
        {
            ["secret"] = c.Secret,
            ["bodyBase64"] = Convert.ToBase64String(c.Body),
            ["timestamp"] = c.Timestamp,
            ["signature"] = c.Signature,
            ["nowMs"] = c.NowSeconds * 1000,
        })]);
        var output = JsonNode.Parse(await Node.RunAsync("verify.mjs", input.ToJsonString()))!.AsArray();

        var table = new StringBuilder();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var ours = new SlackSignatureVerifier(c.Secret, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(c.NowSeconds)), TimeSpan.FromMinutes(5))
                .Verify(c.Timestamp, c.Signature, c.Body);
            var bolt = output[i]!["valid"]!.GetValue<bool>();
            table.AppendLine(CultureInfo.InvariantCulture, $"{c.Name}: ours={ours} bolt={bolt} ({output[i]!["reason"]})");
            var future = c.Timestamp is not null && long.Parse(c.Timestamp, CultureInfo.InvariantCulture) - c.NowSeconds > 300;
            if (future)
            {
                // Bolt accepts it (one-sided window); Slack's docs and the Python SDK refuse it, and so do we.
                Assert.True(bolt, table.ToString());
                Assert.Equal(SignatureCheck.FromTheFuture, ours);
            }
            else
            {
                Assert.True(bolt == (ours == SignatureCheck.Valid), table.ToString());
            }
        }

        // The set covers both answers.
        Assert.Contains(output, r => r!["valid"]!.GetValue<bool>());
        Assert.Contains(output, r => !r!["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task FakeSlackSignatures_BoltAcceptsValidAndRefusesTheRest()
    {
        await using var fake = await FakeSlack.StartAsync();
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var requests = new[] { FakeSigning.Valid, FakeSigning.WrongSecret, FakeSigning.Stale, FakeSigning.TamperedBody }
            .Select(s => (s, r: fake.Slash("U0ALICE001", "C0NETOPS01", "sw-access-12", s)))
            .ToList();
        var input = new JsonArray([.. requests.Select(x => (JsonNode)new JsonObject
        {
            ["secret"] = fake.SigningSecret,
            ["bodyBase64"] = Convert.ToBase64String(x.r.Body),
            ["timestamp"] = x.r.Timestamp,
            ["signature"] = x.r.Signature,
            ["nowMs"] = now,
        })]);
        var output = JsonNode.Parse(await Node.RunAsync("verify.mjs", input.ToJsonString()))!.AsArray();
        Assert.Equal([true, false, false, false], output.Select(o => o!["valid"]!.GetValue<bool>()));
    }
}
