using System.Text;
using System.Text.RegularExpressions;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Tests.Runbooks;

namespace NetOpsBot.Core.Tests.Chat;

/// <summary>
/// ChatCommandParser is the security boundary between chat text and everything after it (issue 16, item 5): what
/// leaves it is a device name of a narrow ASCII alphabet, an incident id, help, or a refusal whose reason is safe to
/// post back into the channel. These tests attack it with what people (and attackers) actually type.
/// </summary>
public sealed partial class ChatCommandParserBoundaryTests
{
    private static ChatCommand Parse(string? text) => ChatCommandParser.Parse(text, TestRunbooks.Registry);

    [Theory]
    [InlineData("/sshdiag sw;ls")]
    [InlineData("/sshdiag sw&id")]
    [InlineData("/sshdiag sw>out")]
    [InlineData("/sshdiag sw<in")]
    [InlineData("/sshdiag sw$HOME")]
    [InlineData("/sshdiag ${IFS}sw")]
    [InlineData("/sshdiag sw'x'")]
    [InlineData("/sshdiag sw\"x\"")]
    [InlineData("/sshdiag sw\\x")]
    [InlineData("/sshdiag sw*")]
    [InlineData("/sshdiag sw?")]
    [InlineData("/sshdiag sw(1)")]
    [InlineData("/sshdiag sw{1,2}")]
    [InlineData("/sshdiag sw[1]")]
    [InlineData("/sshdiag sw!1")]
    [InlineData("/sshdiag sw#1")]
    [InlineData("/sshdiag sw%0a")]
    [InlineData("/sshdiag ~root")]
    [InlineData("/sshdiag sw^1")]
    [InlineData("/sshdiag sw=1")]
    [InlineData("/sshdiag sw,1")]
    [InlineData("/sshdiag sw:22")]
    [InlineData("/sshdiag sw/1")]
    [InlineData("/sshdiag sw@jump")]
    [InlineData("/sshdiag -oProxyCommand=reboot")]
    [InlineData("/sshdiag .hidden")]
    [InlineData("/sshdiag _sw")]
    public void Parse_DeviceWithAShellOrCliMetacharacter_IsRefusedNamingTheCharacter(string text)
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(Parse(text));
        Assert.StartsWith("Not a device name: ", invalid.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uFF0Fsshdiag sw-1")] // fullwidth solidus
    [InlineData("/\u0455shdiag sw-1")] // Cyrillic dze, looks like s
    [InlineData("/ssh\u200Bdiag sw-1")] // zero-width space inside the verb
    [InlineData("\uFEFF/sshdiag sw-1")] // byte order mark before the verb
    [InlineData("/sshdiag sw-\u0430ccess-12")] // Cyrillic a
    [InlineData("/sshdiag sw\u200Baccess")] // zero-width space
    [InlineData("/sshdiag sw\u00ADaccess")] // soft hyphen
    [InlineData("/sshdiag sw\u2010access")] // Unicode hyphen
    [InlineData("/sshdiag sw-\uFF11")] // fullwidth digit one
    [InlineData("/sshdiag sw-1\u0301")] // combining acute accent
    [InlineData("/sshdiag \u202Esw-1")] // right-to-left override
    [InlineData("/sshdiag sw-1\uD83D\uDE00")] // emoji
    [InlineData("/sshdiag incident \u0131nc-7k2m9qxa")] // dotless i
    [InlineData("/sshdiag incident INC-7K2M9QX\u0391")] // Greek capital alpha
    public void Parse_UnicodeLookAlikesAndInvisibles_AreRefused(string text) =>
        Assert.IsType<ChatCommand.Invalid>(Parse(text));

    [Theory]
    [InlineData("/sshdiag sw\u202Eabc", "U+202E")]
    [InlineData("/sshdiag sw\u200Babc", "U+200B")]
    [InlineData("/sshdiag sw-\u0430", "U+0430")]
    [InlineData("/sshdiag sw\u001B[2J", "U+001B")]
    [InlineData("/sshdiag sw\u0000x", "U+0000")]
    [InlineData("/sshdiag sw\uD83D\uDE00", "U+1F600")]
    public void Parse_RefusalOfAnInvisibleOrLookAlikeCharacter_NamesItsCodePointAndNeverEchoesIt(string text, string codePoint)
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(Parse(text));
        Assert.Contains(codePoint, invalid.Reason, StringComparison.Ordinal);
        AssertPrintableAscii(invalid.Reason);
    }

    [Theory]
    [InlineData("/sshdiag sw-1\u2028reboot")] // line separator
    [InlineData("/sshdiag sw-1\u0085reboot")] // next line
    [InlineData("/sshdiag sw-1\rreboot")]
    [InlineData("/sshdiag sw-1\r\nreboot")]
    [InlineData("/sshdiag sw-1\u3000reboot")] // ideographic space
    [InlineData("/sshdiag sw-1\u00A0reboot")] // no-break space
    public void Parse_ASecondLineOrWordAfterTheDevice_IsRefusedNotRun(string text)
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(Parse(text));
        Assert.StartsWith("Usage:", invalid.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sshdiag  sw-1")]
    [InlineData("/sshdiag\tsw-1")]
    [InlineData("\t /sshdiag \t sw-1 \t ")]
    [InlineData("/sshdiag\u00A0sw-1")]
    [InlineData("/sshdiag\n\nsw-1\n")]
    public void Parse_AnyRunOfWhitespace_SeparatesTheWords(string text) =>
        Assert.Equal("sw-1", Assert.IsType<ChatCommand.Diagnose>(Parse(text)).Device.Value);

    [Theory]
    [InlineData("/SSHDIAG HELP")]
    [InlineData("/SshDiag Help")]
    [InlineData("  /sshdiag   help  ")]
    public void Parse_VerbAndHelp_AreCaseInsensitive(string text) =>
        Assert.IsType<ChatCommand.Help>(Parse(text));

    [Fact]
    public void Parse_DeviceName_KeepsItsCase() =>
        Assert.Equal("SW-Access-12", Assert.IsType<ChatCommand.Diagnose>(Parse("/SSHDIAG SW-Access-12")).Device.Value);

    [Theory]
    [InlineData("/sshdiag incident inc-7k2m9qxa")]
    [InlineData("/SSHDIAG INCIDENT INC-7K2M9QXA")]
    [InlineData("/sshdiag\tIncident \t Inc-7K2m9qxA")]
    public void Parse_IncidentId_AnyCaseAnySpacing_NormalisedToUpperCase(string text) =>
        Assert.Equal("INC-7K2M9QXA", Assert.IsType<ChatCommand.ShowIncident>(Parse(text)).Incident.Value);

    [Theory]
    [InlineData("/sshdiag incident INC-7K2M9QXO")] // O is not Crockford base32
    [InlineData("/sshdiag incident INC-7K2M9QX")]
    [InlineData("/sshdiag incident INC-7K2M9QXAB")]
    [InlineData("/sshdiag incident REQ-7K2M9QXA")]
    [InlineData("/sshdiag incident INC-7K2M9QXA extra")]
    [InlineData("/sshdiag incident INC-7K2M9QX;")]
    public void Parse_MalformedIncidentId_IsRefused(string text) =>
        Assert.IsType<ChatCommand.Invalid>(Parse(text));

    [Theory]
    [InlineData("/sshdiag reboot sw-1")]
    [InlineData("/sshdiag help me")]
    [InlineData("/sshdiag sw-1 sw-2")]
    [InlineData("/sshdiag --help")]
    [InlineData("/sshdiag -h")]
    [InlineData("/sshdiagnose sw-1")]
    [InlineData("/sshdiag/ sw-1")]
    [InlineData("sshdiag sw-1")]
    [InlineData("@NetOpsBot /sshdiag sw-1")]
    [InlineData("/reboot sw-1")]
    public void Parse_UnknownVerbsOptionsAndExtraWords_AreRefused(string text) =>
        Assert.IsType<ChatCommand.Invalid>(Parse(text));

    [Fact]
    public void Parse_MessageOfExactlyTheLimit_IsParsed()
    {
        var text = "/sshdiag sw-1".PadRight(ChatCommandParser.MaxMessageLength);
        Assert.Equal(ChatCommandParser.MaxMessageLength, text.Length);
        Assert.IsType<ChatCommand.Diagnose>(Parse(text));
    }

    [Fact]
    public void Parse_OneCharacterOverTheLimit_IsRefusedEvenIfTheRestIsWhitespace()
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(Parse("/sshdiag sw-1".PadRight(ChatCommandParser.MaxMessageLength + 1)));
        Assert.StartsWith("Message too long", invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AMegabyte_IsRefusedWithoutEchoingIt()
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(Parse("/sshdiag " + new string('x', 1 << 20)));
        Assert.True(invalid.Reason.Length < 200, invalid.Reason);
    }

    [Fact]
    public void Parse_DeviceNameOfTheLongestLength_IsParsed_OneMoreIsRefused()
    {
        Assert.IsType<ChatCommand.Diagnose>(Parse("/sshdiag " + new string('a', 63)));
        Assert.IsType<ChatCommand.Invalid>(Parse("/sshdiag " + new string('a', 64)));
    }

    /// <summary>
    /// Whatever is typed, only four shapes come out, and the two that carry chat text carry it in the narrow alphabet;
    /// every refusal is printable ASCII (safe to post back, in any client). Thousands of messages mixing the allowed
    /// alphabet with shell, CLI and Unicode characters, from a fixed seed so a failure reproduces.
    /// </summary>
    [Fact]
    public void Parse_AnyInput_YieldsOnlyNarrowDeviceNamesOrIncidentIdsAndPrintableRefusals()
    {
        // Mostly the allowed alphabet, so that one bad character in an otherwise good name is common.
        const string allowed = "aZ09.-_";
        const string hostile = " ;|&$`'\"\\/<>(){}[]*?!#%~^=,:@\t\n\r\u0000\u001B\u00A0\u00AD\u0301\u0430\u0455\u200B\u202E\u2028\u3000\uFEFF\uFF0F\uFF11";
        string[] heads = ["/sshdiag ", "/SSHDIAG ", "/sshdiag incident ", "/sshdiag incident INC-", "/sshdiag incident inc-7k2m9qx", "/sshdiag help ", "", "/sshdiag"];
        var random = new Random(16);
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(heads[random.Next(heads.Length)]);
            var length = random.Next(0, 10);
            for (var j = 0; j < length; j++)
            {
                text.Append(random.NextDouble() < 0.75 ? allowed[random.Next(allowed.Length)] : hostile[random.Next(hostile.Length)]);
            }

            var command = Parse(text.ToString());
            shapes[command.GetType().Name] = shapes.GetValueOrDefault(command.GetType().Name) + 1;
            switch (command)
            {
                case ChatCommand.Diagnose d:
                    Assert.Matches(NarrowDeviceName(), d.Device.Value);
                    break;
                case ChatCommand.ShowIncident s:
                    Assert.Matches(IncidentIdShape(), s.Incident.Value);
                    break;
                case ChatCommand.Invalid invalid:
                    AssertPrintableAscii(invalid.Reason);
                    break;
                case ChatCommand.Help:
                    break;
                default:
                    Assert.Fail($"unexpected command {command} for '{text}'");
                    break;
            }
        }

        // The corpus reaches every shape, or it proves nothing about the ones it misses.
        Assert.All(["Diagnose", "ShowIncident", "Invalid", "Help"], shape => Assert.True(shapes.GetValueOrDefault(shape) > 0, shape));
    }

    private static void AssertPrintableAscii(string text)
    {
        var bad = text.FirstOrDefault(c => c is < ' ' or > '~');
        Assert.True(bad == default(char), $"U+{(int)bad:X4} in: {text}");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex NarrowDeviceName();

    [GeneratedRegex("^INC-[0-9A-HJKMNP-TV-Z]{8}$")]
    private static partial Regex IncidentIdShape();
}
