using System.Net;
using System.Text.Json.Nodes;
using NetOpsBot.Teams.Surface;
using NetOpsBot.Teams.Tests.Infrastructure;
using static NetOpsBot.Teams.Tests.Infrastructure.TeamsActivities;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// Who sees approve buttons, through the real host: approvers are the members of an Entra group read from (fake)
/// Microsoft Graph; the card everyone sees has no approve/reject but names the approvers (and the requester) in
/// <c>refresh.userIds</c>; a Universal Actions refresh returns the approver view only to group members and Withdraw
/// only to the requester; clicks are checked against the same group; a repeated click is answered privately.
/// </summary>
[Collection(TeamsHostGroup.Name)]
public sealed class HostApprovalViewTests(TeamsHostFixture fx, Xunit.Abstractions.ITestOutputHelper output)
{
    // Teams shows "Something went wrong" when an invoke is not answered within its 5-15 s timeout.
    private static readonly TimeSpan TeamsInvokeTimeout = TimeSpan.FromSeconds(5);
    private readonly List<JsonObject> _answered = [];
    private readonly List<TimeSpan> _invokeTimes = [];

    [Fact]
    public async Task RefreshInvoke_ApproveButtonsOnlyForGroupApprovers_ChannelCardListsThemInRefreshUserIds()
    {
        var host = fx.ApprovalHost;
        var serviceUrl = fx.Connector.ServiceUrl;
        var channel = $"19:netops-{Guid.NewGuid():N}@thread.tacv2";
        var graphReadsBefore = fx.Graph.Requests;

        // Alice mentions the bot in a channel: a new thread whose root is the card.
        await AliceDiagnosesInAsync(channel, Alice, Bob, Carol, Dave);

        await fx.Connector.WaitForAsync(c => c.Path == "/v3/conversations" && c.Status == 201 && (string?)c.Body?["channelData"]?["channel"]?["id"] == channel && c.Card is not null, TimeSpan.FromSeconds(20), "the incident's thread");

        // The diagnosis ends with the route fix on offer (the card is replaced in place at the thread's root); Alice requests it.
        var offer = await fx.Connector.WaitForAsync(c => c.Method == "PUT" && c.ConversationId?.StartsWith(channel + ";messageid=", StringComparison.Ordinal) == true && RouteFix(c.Card) is not null, TimeSpan.FromSeconds(60), "a card offering the route fix");
        var thread = offer.ConversationId!;
        var cardId = offer.Path.Split('/')[^1];
        Assert.Equal(thread[(channel + ";messageid=").Length..], cardId);
        var run = RouteFix(offer.Card)!;
        var planId = (string)run["data"]!["planId"]!;
        var requested = await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, run, Alice));
        Assert.Equal(TeamsActivityHandler.InvokeCardType, (string?)requested["type"]);
        Assert.Empty(Approvals(requested["value"] as JsonObject, planId));

        // Everyone's card (PUT to the thread root) has no approve/reject/withdraw, and names the group's members and the
        // requester (for her Withdraw) in the roster.
        var baseCard = (await fx.Connector.WaitForAsync(c => c.Method == "PUT" && c.ConversationId == thread && c.Card?["refresh"] is not null, TimeSpan.FromSeconds(20), "a card update with refresh")).Card!;
        Assert.Equal(new[] { Alice.Id, Bob.Id, Carol.Id }.Order(), baseCard["refresh"]!["userIds"]!.AsArray().Select(u => (string)u!).Order());
        Assert.Equal("refresh", (string?)baseCard["refresh"]!["action"]!["verb"]);
        Assert.Empty(Approvals(baseCard, planId));
        Assert.Empty(Execute(baseCard, "withdraw"));

        // The approvals line names the deadline and the time left.
        Assert.Matches(@"UTC \((1[0-5]|[1-9]) min left\)", baseCard.ToJsonString());
        Assert.True(fx.Entra.IssuedFor(fx.Connector.Calls.First(c => c.Path.EndsWith("/pagedmembers", StringComparison.Ordinal)).Bearer, FakeEntra.BotFrameworkScope));

        // Universal Actions refresh, as each client would send it: the approver view only for group members, Withdraw
        // (and no Approve) only for the requester.
        var refresh = baseCard["refresh"]!["action"]!.AsObject();
        foreach (var (user, expected) in new[] { (Bob, new[] { "approve", "reject" }), (Carol, ["approve", "reject"]), (Alice, ["withdraw"]), (Dave, []) })
        {
            var view = await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, refresh, user, trigger: "automatic"));
            Assert.Equal(TeamsActivityHandler.InvokeCardType, (string?)view["type"]);
            var buttons = Approvals(view["value"] as JsonObject, planId).Concat(Execute(view["value"], "withdraw")).Select(a => (string)a["data"]!["verb"]!).Order().ToList();
            Assert.Equal(expected, buttons);
        }

        // Clicks are checked against the same group: Dave is refused, Bob's approval counts.
        var approve = Execute((await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, refresh, Bob, trigger: "automatic")))["value"]!.AsObject(), "approve").First();
        var daveClick = await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, approve, Dave));
        Assert.Equal(TeamsActivityHandler.InvokeMessageType, (string?)daveClick["type"]);
        Assert.Contains("is not in the approver group", (string?)daveClick["value"], StringComparison.Ordinal);
        var bobClick = await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, approve, Bob));
        Assert.Equal(TeamsActivityHandler.InvokeCardType, (string?)bobClick["type"]);
        await fx.Connector.WaitForAsync(c => c.ConversationId == thread && ((string?)c.Body?["text"])?.Contains("Bob Approver", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(20), "Bob's approval in the thread");

        // Bob's double click: the repeats are answered to Bob alone (the invoke answer), never as thread lines.
        for (var i = 0; i < 3; i++)
        {
            var again = await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, approve, Bob));
            Assert.Equal(TeamsActivityHandler.InvokeMessageType, (string?)again["type"]);
            Assert.Contains("this click changes nothing", (string?)again["value"], StringComparison.Ordinal);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(fx.Connector.Calls, c => c.ConversationId == thread && ((string?)c.Body?["text"])?.Contains("changes nothing", StringComparison.Ordinal) == true);

        // At most one read of the group served the roster, four refreshes and two clicks (cached for 300 s; none
        // when another test of this host read it first).
        Assert.InRange(fx.Graph.Requests - graphReadsBefore, 0, 1);
        Assert.DoesNotContain(fx.ClientSecret, host.Log, StringComparison.Ordinal);

        // Every card the bot sent or answered with passes the official Adaptive Cards library and the size limit.
        var cards = fx.Connector.Calls.Where(c => c.ConversationId?.StartsWith(channel, StringComparison.Ordinal) == true || c.Path == "/v3/conversations").Select(c => c.Card?.DeepClone().AsObject()).OfType<JsonObject>().ToList();
        cards.AddRange(_answered);
        Assert.Contains(_answered, c => Execute(c, "approve").Any());
        Assert.All(cards, c => Assert.True(TeamsCardRenderer.Utf16CodeUnits(TeamsCardRenderer.Message(c.DeepClone().AsObject())) <= TeamsCardRenderer.MaxActivityUtf16CodeUnits));
        Assert.All(CardValidator.Validate(cards), issues => Assert.Empty(issues));

        // Invokes never wait for device work (the reboot request reads the device in the background).
        output.WriteLine($"adaptiveCard/action invokes: {_invokeTimes.Count}, slowest {_invokeTimes.Max().TotalMilliseconds:0} ms, median {_invokeTimes.Order().ElementAt(_invokeTimes.Count / 2).TotalMilliseconds:0} ms");
        Assert.All(_invokeTimes, t => Assert.True(t < TeamsInvokeTimeout, $"an invoke took {t.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task CardClick_RosterAndGraphSlow_AnsweredWithoutWaitingForThem_UpdateForEveryoneCarriesTheApprovers()
    {
        var host = fx.ApprovalHost;
        var serviceUrl = fx.Connector.ServiceUrl;
        var channel = $"19:slow-{Guid.NewGuid():N}@thread.tacv2";
        await AliceDiagnosesInAsync(channel, Alice, Bob, Carol);

        // Whichever fix the device's state leads to (the other test of this host may have added the route already).
        var offer = await fx.Connector.WaitForAsync(c => c.Method == "PUT" && c.ConversationId?.StartsWith(channel + ";messageid=", StringComparison.Ordinal) == true && Execute(c.Card, "run").Any(), TimeSpan.FromSeconds(60), "a card offering a fix");
        var thread = offer.ConversationId!;
        var cardId = offer.Path.Split('/')[^1];

        // This channel's roster has never been read, and Graph (when its cache is cold) answers late too.
        var slow = TimeSpan.FromSeconds(6);
        fx.Connector.RosterDelay = slow;
        fx.Graph.Delay = slow;
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var requested = await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, Execute(offer.Card, "run").First(), Alice));
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);

            output.WriteLine($"request click answered in {took.TotalMilliseconds:0} ms with roster and Graph {slow.TotalSeconds:0} s late");
            Assert.Equal(TeamsActivityHandler.InvokeCardType, (string?)requested["type"]);
            Assert.True(took < slow / 2, $"the click's answer waited {took.TotalMilliseconds:0} ms for the roster or Graph");

            // The update everyone gets waits for the roster and names the approvers.
            var update = await fx.Connector.WaitForAsync(c => c.Method == "PUT" && c.ConversationId == thread && c.Card?["refresh"]?["userIds"] is JsonArray { Count: > 0 }, TimeSpan.FromSeconds(30), "a card update naming the approvers");
            Assert.Equal(new[] { Alice.Id, Bob.Id, Carol.Id }.Order(), update.Card!["refresh"]!["userIds"]!.AsArray().Select(u => (string)u!).Order());
        }
        finally
        {
            fx.Connector.RosterDelay = TimeSpan.Zero;
            fx.Graph.Delay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task SlowClick_TheClickersPrivateAnswerComesInTheirOneOnOneChat_NotInTheThread()
    {
        // A host of its own whose approver group is re-read from Graph after 1 s, so a click can be made slow.
        var settings = fx.Settings();
        settings["Teams__ApproverGroupCacheSeconds"] = "1";
        await using var host = await Host.Tests.HostProcess.StartAsync(fx.Lab.RunDirectory, Path.Combine(fx.Lab.WorkDirectory, $"late-{Guid.NewGuid():N}.db"), settings);
        var serviceUrl = fx.Connector.ServiceUrl;
        var channel = $"19:late-{Guid.NewGuid():N}@thread.tacv2";
        fx.Connector.Members.Clear();
        fx.Connector.Members.AddRange(new[] { Alice, Bob, Carol, Dave }.Select(m => (m.Id, m.AadObjectId, m.Name)));
        fx.Graph.Groups[TeamsHostFixture.ApproverGroupId] = [Bob.AadObjectId, Carol.AadObjectId];
        using (var posted = await TeamsHostFixture.PostAsync(host, ChannelMention(serviceUrl, channel, "sshdiag sw-access-12", Alice), fx.ValidToken().Create()))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var offer = await fx.Connector.WaitForAsync(c => c.Method == "PUT" && c.ConversationId?.StartsWith(channel + ";messageid=", StringComparison.Ordinal) == true && Execute(c.Card, "run").Any(), TimeSpan.FromSeconds(60), "a card offering a fix");
        var thread = offer.ConversationId!;
        var cardId = offer.Path.Split('/')[^1];
        await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, Execute(offer.Card, "run").First(), Alice));
        var refresh = (await fx.Connector.WaitForAsync(c => c.Method == "PUT" && c.ConversationId == thread && c.Card?["refresh"] is not null, TimeSpan.FromSeconds(20), "a card update with refresh")).Card!["refresh"]!["action"]!.AsObject();
        var approve = Execute((await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, refresh, Bob, trigger: "automatic")))["value"]!.AsObject(), "approve").First();

        // Graph answers late: Dave's click (he is not an approver) is judged after its invoke was answered.
        fx.Graph.Delay = TimeSpan.FromSeconds(3);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var daveClick = await InvokeAsync(host, CardAction(serviceUrl, channel, thread, cardId, approve, Dave));
            Assert.Equal(TeamsActivityHandler.InvokeCardType, (string?)daveClick["type"]);

            var chat = await fx.Connector.WaitForAsync(c => c.Path == "/v3/conversations" && c.Status == 201 && (string?)c.Body?["members"]?[0]?["id"] == Dave.Id, TimeSpan.FromSeconds(20), "a one-on-one chat with Dave");
            Assert.False(chat.Body!["isGroup"]!.GetValue<bool>());
            var told = await fx.Connector.WaitForAsync(c => c.Method == "POST" && c.ConversationId?.StartsWith("a:1", StringComparison.Ordinal) == true && ((string?)c.Body?["text"])?.Contains("is not in the approver group", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(20), "Dave's answer in his chat");
            Assert.StartsWith("Dave Bystander: ", (string?)told.Body!["text"], StringComparison.Ordinal);
            // The thread keeps its timeline line of the refused click (an audited event), never the clicker's reply.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var inThread = fx.Connector.Calls.Where(c => c.ConversationId == thread && ((string?)c.Body?["text"])?.StartsWith("Dave Bystander: ", StringComparison.Ordinal) == true).Select(c => (string?)c.Body?["text"]).ToList();
            Assert.True(inThread.Count == 0, string.Join("\n", inThread));
        }
        finally
        {
            fx.Graph.Delay = TimeSpan.Zero;
        }
    }

    /// <summary>Alice mentions the bot with `sshdiag sw-access-12` in a channel whose roster is <paramref name="members"/>; Bob and Carol form the approver group.</summary>
    private async Task AliceDiagnosesInAsync(string channel, params TeamsUser[] members)
    {
        fx.Connector.Members.Clear();
        fx.Connector.Members.AddRange(members.Select(m => (m.Id, m.AadObjectId, m.Name)));
        fx.Graph.Groups[TeamsHostFixture.ApproverGroupId] = [Bob.AadObjectId, Carol.AadObjectId];
        using var posted = await TeamsHostFixture.PostAsync(fx.ApprovalHost, ChannelMention(fx.Connector.ServiceUrl, channel, "sshdiag sw-access-12", Alice), fx.ValidToken().Create());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private async Task<JsonObject> InvokeAsync(Host.Tests.HostProcess host, JsonObject invoke)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await TeamsHostFixture.PostAsync(host, invoke, fx.ValidToken().Create());
        _invokeTimes.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        if (answer["value"] is JsonObject card)
        {
            _answered.Add(card.DeepClone().AsObject());
        }

        return answer;
    }

    private static JsonObject? RouteFix(JsonObject? card) =>
        Execute(card, "run").FirstOrDefault(a => ((string?)a["title"])?.Contains("default route", StringComparison.Ordinal) == true);

    /// <summary>The Action.Execute actions of a card with the given verb, wherever they sit (actions, ActionSets, ShowCards).</summary>
    internal static IEnumerable<JsonObject> Execute(JsonNode? node, string verb)
    {
        switch (node)
        {
            case JsonObject o:
                if ((string?)o["type"] == "Action.Execute" && o["data"] is JsonObject d && (string?)d["verb"] == verb)
                {
                    yield return o;
                }

                foreach (var (_, v) in o)
                {
                    foreach (var a in Execute(v, verb))
                    {
                        yield return a;
                    }
                }

                break;
            case JsonArray arr:
                foreach (var v in arr)
                {
                    foreach (var a in Execute(v, verb))
                    {
                        yield return a;
                    }
                }

                break;
            default:
                break;
        }
    }

    private static List<JsonObject> Approvals(JsonObject? card, string planId) =>
        [.. Execute(card, "approve").Concat(Execute(card, "reject")).Where(a => (string?)a["data"]!["planId"] == planId)];
}
