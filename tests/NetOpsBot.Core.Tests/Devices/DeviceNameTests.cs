using NetOpsBot.Core.Devices;

namespace NetOpsBot.Core.Tests.Devices;

public sealed class DeviceNameTests
{
    [Theory]
    [InlineData("sw-access-12")]
    [InlineData("SW1")]
    [InlineData("0core.dc1_a")]
    public void TryParse_ValidName_Accepted(string text)
    {
        Assert.True(DeviceName.TryParse(text, out var name, out var reason));
        Assert.Equal(text, name.Value);
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("sw-1; reboot")]
    [InlineData("sw 1")]
    [InlineData("$(id)")]
    [InlineData("a|b")]
    [InlineData("sw1\nreboot")]
    [InlineData("sw1\r")]
    [InlineData("'sw1'")]
    [InlineData("\"sw1\"")]
    [InlineData("sw1`id`")]
    [InlineData("-sw1")]
    [InlineData(".sw1")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_MetacharactersOrEmpty_RejectedWithReason(string? text)
    {
        Assert.False(DeviceName.TryParse(text, out var name, out var reason));
        Assert.Null(name);
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.DoesNotContain('\n', reason);
    }

    [Fact]
    public void TryParse_64Characters_Rejected() => Assert.False(DeviceName.TryParse(new string('a', 64), out _, out _));

    [Fact]
    public void TryParse_63Characters_Accepted() => Assert.True(DeviceName.TryParse(new string('a', 63), out _, out _));

    [Fact]
    public void TryParse_Newline_ReasonNamesCodePointNotRawCharacter()
    {
        Assert.False(DeviceName.TryParse("sw1\nx", out _, out var reason));
        Assert.Contains("U+000A", reason, StringComparison.Ordinal);
    }
}
