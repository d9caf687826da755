using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Storage.Tests;

// The id is persisted as text and parsed back on every read, so its format is part of the storage contract.
public sealed class IncidentIdTests
{
    [Fact]
    public void New_Always_ParsesBackToItself()
    {
        for (var i = 0; i < 200; i++)
        {
            var id = IncidentId.New();
            Assert.Matches("^INC-[0-9A-HJKMNP-TV-Z]{8}$", id.Value);
            Assert.Equal(id, IncidentId.Parse(id.Value));
        }
    }

    [Fact]
    public void TryParse_LowerCase_NormalizesToUpper()
    {
        Assert.True(IncidentId.TryParse("inc-7k2m9qxa", out var id, out _));
        Assert.Equal("INC-7K2M9QXA", id.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("INC-1234567")]
    [InlineData("INC-123456789")]
    [InlineData("INC-1234567U")]
    [InlineData("INC-1234'; --")]
    [InlineData("ABC-12345678")]
    public void TryParse_Malformed_ReturnsReason(string? text)
    {
        Assert.False(IncidentId.TryParse(text, out var id, out var reason));
        Assert.Null(id);
        Assert.False(string.IsNullOrEmpty(reason));
    }
}
