using System.Text.Json.Nodes;

namespace NetOpsBot.Cards.Tests;

public sealed class CardActionTests
{
    [Fact]
    public void ToCompactJson_RoundTrips()
    {
        var action = new CardAction(CardActionVerb.ShowOutput, "INC-1", null, "n1") { StepId = "listener" };

        Assert.True(CardAction.TryParse(action.ToCompactJson(), out var parsed));
        Assert.Equal(action, parsed);
    }

    [Fact]
    public void ToData_RoundTrips()
    {
        var action = new CardAction(CardActionVerb.Approve, "INC-1", "reboot", "n2");

        Assert.True(CardAction.TryFromData(action.ToData(), out var parsed));
        Assert.Equal(action, parsed);
        Assert.Equal("approve", (string?)action.ToData()["verb"]);
    }

    [Fact]
    public void RequestIdAndCommandsHash_RoundTripInBothForms()
    {
        var action = new CardAction(CardActionVerb.Approve, "INC-1", "reboot", "n3") { RequestId = "REQ-ABCD2345", CommandsHash = "fbe7072834268c1a" };

        Assert.True(CardAction.TryParse(action.ToCompactJson(), out var slack));
        Assert.True(CardAction.TryFromData(action.ToData(), out var adaptive));

        Assert.Equal(action, slack);
        Assert.Equal(action, adaptive);
        Assert.Equal(new Core.Approvals.ClickTarget("REQ-ABCD2345", "fbe7072834268c1a"), slack.Target);
        Assert.Equal(("REQ-ABCD2345", "fbe7072834268c1a"), ((string?)action.ToData()["requestId"], (string?)action.ToData()["commandsHash"]));
        Assert.Equal(Core.Approvals.ClickTarget.None, new CardAction(CardActionVerb.Approve, "INC-1", "reboot", "n").Target);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("{\"v\":\"format-disk\",\"i\":\"INC-1\",\"n\":\"x\"}")]
    [InlineData("{\"v\":\"approve\",\"i\":\"INC-1\"}")]
    [InlineData("{\"v\":\"approve\",\"i\":7,\"n\":\"x\"}")]
    public void TryParse_Garbage_ReturnsFalse(string? json)
    {
        Assert.False(CardAction.TryParse(json, out _));
    }

    [Fact]
    public void TryFromData_NestedObjectForString_ReturnsFalse()
    {
        Assert.False(CardAction.TryFromData(new JsonObject { ["verb"] = "run", ["incidentId"] = new JsonObject(), ["nonce"] = "n" }, out _));
    }
}
