using System.Net;
using System.Text;
using NetOpsBot.Cards;
using NetOpsBot.Teams.Connector;
using NetOpsBot.Teams.Surface;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// Teams measures a bot message in UTF-16 code units ("The bot message size limit is 100 KB … encoded as UTF-16",
/// Microsoft Learn, "Format your bot messages"). A card full of CJK and emoji evidence is where the units differ:
/// a CJK character is 3 UTF-8 bytes but 1 unit, and "\uXXXX" escaping would make it 6 units. What the connector
/// actually receives must be within the Teams budget in those units.
/// </summary>
public sealed class TeamsMessageSizeTests
{
    private static DiagnosisCardView CjkAndEmojiCard()
    {
        // Eight steps with 2,810 characters of evidence each (under the 3,000 per block), the card's own budget untouched.
        var lines = Enumerable.Range(0, 10).Select(i => "接口" + new string('端', 276) + "🔥").ToArray();
        var view = DiagnosisCardViewBuilder.Start("INC-20261206-0001", "sw-access-12", "alice", DateTimeOffset.UnixEpoch, [.. Enumerable.Range(1, 8).Select(i => new NetOpsBot.Core.Diagnosis.StepDescriptor("s" + i, "Step " + i))]);
        return view with { Steps = [.. view.Steps.Select(s => s with { Status = CardStepStatus.Ok, Evidence = lines })] };
    }

    [Fact]
    public async Task Send_CjkAndEmojiCard_WireBodyWithinTeamsBudgetInUtf16Units_TextSentAsItself()
    {
        var view = CjkAndEmojiCard();
        var message = TeamsCardRenderer.Message(TeamsCardRenderer.Render(view, approverView: false, []));
        var capture = new Capture();
        using var http = new HttpClient(capture);
        var connector = new BotConnectorClient(http, new NoTokenSource());

        await connector.SendAsync(new ConversationRef("http://127.0.0.1:1/", "19:c@thread.tacv2", "channel", null, null, false), "19:c@thread.tacv2", message, CancellationToken.None);

        var body = capture.Body!;
        var units = body.Length;
        var utf8 = Encoding.UTF8.GetByteCount(body);

        // The two measures disagree on this card: a UTF-8 count would be the wrong number to compare with the limit.
        Assert.True(utf8 > units * 2, $"UTF-8 {utf8} bytes vs {units} UTF-16 units");
        Assert.Equal(units, TeamsCardRenderer.Utf16CodeUnits(message));
        Assert.InRange(units, 20_000, TeamsCardRenderer.MaxActivityUtf16CodeUnits);

        // CJK is sent as itself (one unit each, not six for "\u7AEF"); an emoji stays escaped as a surrogate pair (the
        // JSON encoder always escapes those), and the count is of what is sent, so it is counted as sent. Nothing
        // of the evidence was cut to fit.
        Assert.Contains("接口" + new string('端', 276), body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u7AEF", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(8 * 10, body.Split("\\uD83D\\uDD25").Length - 1);
        Assert.DoesNotContain("truncated", body, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxActivityUtf16CodeUnits_IsTheRecommended80KbOfUtf16()
    {
        Assert.Equal(80 * 1024 / 2, TeamsCardRenderer.MaxActivityUtf16CodeUnits);
        Assert.True(AdaptiveCardOptions.Default.MaxUtf16CodeUnits < TeamsCardRenderer.MaxActivityUtf16CodeUnits, "the card must leave room for the activity around it");
    }

    private sealed class Capture : HttpMessageHandler
    {
        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"id\":\"1\"}") };
        }
    }
}
