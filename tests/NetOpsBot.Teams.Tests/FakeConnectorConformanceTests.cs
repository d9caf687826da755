using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetOpsBot.Teams.Connector;
using NetOpsBot.Teams.Tests.Infrastructure;
using NetOpsBot.Testing;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// The fake Bot Connector the host tests rely on, checked against the Bot Framework SDK's own REST client
/// (botframework-connector ConnectorClient, Node): it accepts what the SDK sends and answers in shapes the SDK
/// reads; and our <see cref="BotConnectorClient"/> makes the same calls on the same paths as the SDK does.
/// </summary>
public sealed partial class FakeConnectorConformanceTests
{
    private const string Token = "sdk-check-token";
    private const string Channel = "19:a1b2c3d4e5@thread.tacv2";
    private static readonly string JsDir = JsScript.JsDir;

    [Fact]
    public async Task SdkConnectorClient_AndOurs_MakeTheSameCalls_AndTheFakeAnswersBothInTheConnectorsShapes()
    {
        await using var fake = await FakeConnector.StartAsync(t => t == Token);
        fake.Members.AddRange([("29:alice-mri", "a1a1a1a1-0000-4000-8000-000000000001", "Alice Oncall"), ("29:bob-mri", "b2b2b2b2-0000-4000-8000-000000000002", "Bob Approver")]);

        var sdk = RunSdkClient(fake.ServiceUrl);
        var activityId = (string)sdk["created"]!["activityId"]!;
        Assert.Equal($"{Channel};messageid={activityId}", (string?)sdk["created"]!["id"]);
        Assert.False(string.IsNullOrEmpty((string?)sdk["reply"]!["id"]));
        Assert.Equal(activityId, (string?)sdk["update"]!["id"]);
        Assert.False(string.IsNullOrEmpty((string?)sdk["sent"]!["id"]));
        Assert.Equal(["a1a1a1a1-0000-4000-8000-000000000001", "b2b2b2b2-0000-4000-8000-000000000002"], sdk["members"]!.AsArray().Select(m => (string)m!["aadObjectId"]!));
        var sdkCalls = fake.Calls;
        Assert.All(sdkCalls, c => Assert.InRange(c.Status, 200, 201));
        Assert.All(sdkCalls, c => Assert.Equal(Token, c.Bearer));

        using var http = new HttpClient();
        var ours = new BotConnectorClient(http, new FixedToken());
        var target = new ConversationRef(fake.ServiceUrl.TrimEnd('/'), Channel, "channel", TestIds.TenantId, "28:" + TestIds.AppId, Authenticated: true);
        Func<JsonObject> message = () => new JsonObject { ["type"] = "message", ["text"] = "ours" };
        var created = await ours.CreateConversationAsync(target, new JsonObject { ["isGroup"] = true, ["channelData"] = new JsonObject { ["channel"] = new JsonObject { ["id"] = Channel } }, ["activity"] = message() }, CancellationToken.None);
        Assert.Equal($"{Channel};messageid={created.ActivityId}", created.Id);
        Assert.NotNull(await ours.ReplyAsync(target, created.Id, created.ActivityId!, message(), CancellationToken.None));
        await ours.UpdateAsync(target, created.Id, created.ActivityId!, message(), CancellationToken.None);
        Assert.NotNull(await ours.SendAsync(target, Channel, message(), CancellationToken.None));
        var members = await ours.MembersAsync(target, Channel, CancellationToken.None);
        Assert.Equal(["29:alice-mri", "29:bob-mri"], members.Select(m => m.Id));
        Assert.Equal("b2b2b2b2-0000-4000-8000-000000000002", members[1].AadObjectId);

        var ourCalls = fake.Calls.Skip(sdkCalls.Count).ToList();
        Assert.Equal(Shape(sdkCalls), Shape(ourCalls));
    }

    /// <summary>Method and decoded path, with the fake's activity ids made comparable.</summary>
    private static List<string> Shape(IEnumerable<ConnectorCall> calls) => [.. calls.Select(c => c.Method + " " + ActivityIds().Replace(c.Path, "act-N"))];

    [GeneratedRegex("act-[0-9]+")]
    private static partial Regex ActivityIds();

    private static JsonObject RunSdkClient(string serviceUrl)
    {
        Assert.True(Directory.Exists(Path.Combine(JsDir, "node_modules", "botframework-connector")), "run `npm ci --prefix tests/NetOpsBot.Teams.Tests/js`");
        return JsScript.RunNodeJson("connector-client-check.js", serviceUrl, Token, Channel, TestIds.TenantId);
    }

    private sealed class FixedToken : IConnectorTokenSource
    {
        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(Token);
    }
}
