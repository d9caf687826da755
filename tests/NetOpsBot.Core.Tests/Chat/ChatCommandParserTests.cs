using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Tests.Runbooks;

namespace NetOpsBot.Core.Tests.Chat;

/// <summary>
/// The parser is the boundary between chat text and the device CLI: only a validated device name or incident id
/// gets through, so nothing a user types can become a command on a switch.
/// </summary>
public sealed class ChatCommandParserTests
{
    private static ChatCommand Parse(string? text) => ChatCommandParser.Parse(text, TestRunbooks.Registry);

    [Theory]
    [InlineData("/sshdiag sw-access-12", "sw-access-12")]
    [InlineData("  /SSHDIAG   sw-access-12  ", "sw-access-12")]
    public void Parse_DeviceName_Diagnoses(string text, string device) =>
        Assert.Equal(device, Assert.IsType<ChatCommand.Diagnose>(Parse(text)).Device.Value);

    [Theory]
    [InlineData("/sshdiag sw-access-12; reboot")]
    [InlineData("/sshdiag sw-access-12 && display current-configuration")]
    [InlineData("/sshdiag sw-access-12\nreboot")]
    [InlineData("/sshdiag `reboot`")]
    [InlineData("/sshdiag $(reboot)")]
    [InlineData("/sshdiag sw-access-12|include password")]
    [InlineData("/sshdiag ../../etc/passwd")]
    [InlineData("/sshdiag sw-access-12 --force")]
    [InlineData("/sshdiag sw\u0000access")]
    [InlineData("/sshdiag sw-access-12\u001b[2J")]
    public void Parse_InjectionAttempts_AreInvalid_NeverADiagnosis(string text) =>
        Assert.IsType<ChatCommand.Invalid>(Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("reboot sw-access-12")]
    [InlineData("/sshdiag incident")]
    [InlineData("/sshdiag incident INC-1; reboot")]
    public void Parse_NotACommand_IsInvalidWithAHint(string? text)
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(Parse(text));
        Assert.False(string.IsNullOrWhiteSpace(invalid.Reason));
    }

    [Fact]
    public void Parse_OverTheLengthLimit_IsRefusedWithTheLimit()
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(Parse("/sshdiag " + new string('a', ChatCommandParser.MaxMessageLength)));
        Assert.Contains(ChatCommandParser.MaxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture), invalid.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sshdiag history sw-access-12", "sw-access-12")]
    [InlineData("/SSHDIAG HISTORY 10.0.0.12", "10.0.0.12")]
    public void Parse_History_TakesOneValidatedDeviceName(string text, string device) =>
        Assert.Equal(device, Assert.IsType<ChatCommand.History>(Parse(text)).Device.Value);

    [Theory]
    [InlineData("/sshdiag history")]
    [InlineData("/sshdiag history sw-access-12 sw-access-13")]
    [InlineData("/sshdiag history sw-access-12;reboot")]
    [InlineData("/sshdiag history $(reboot)")]
    [InlineData("/sshdiag history sw-access-12|include password")]
    [InlineData("/sshdiag history fe80::1")]
    public void Parse_History_AnythingButOneDeviceName_IsInvalid(string text) =>
        Assert.IsType<ChatCommand.Invalid>(Parse(text));

    [Fact]
    public void HelpText_ListsEveryCommand()
    {
        foreach (var command in new[] { "/sshdiag <device>", "/sshdiag incident <id>", "/sshdiag history <device>", "/sshdiag help" })
        {
            Assert.Contains("`" + command + "`", ChatCommandParser.HelpText(TestRunbooks.Registry), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/sshdiag")]
    [InlineData("/sshdiag help")]
    public void Parse_Help(string text) => Assert.IsType<ChatCommand.Help>(Parse(text));
}
